import { Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { expectInvalid, newStack, sesEmail } from './helpers';
import { SignInFactor, UserDirectory, UserDirectoryProps } from '../../src';

const PASSWORDLESS: UserDirectoryProps = {
  signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY, SignInFactor.EMAIL_OTP],
  mfa: cognito.Mfa.OPTIONAL,
  email: sesEmail(),
  domainPrefix: 'notes-auth',
};

describe('choice-based sign-in: defaults', () => {
  test('without signInFactors the template has no sign-in policy, no passkey settings and no USER_AUTH flow', () => {
    // GIVEN a directory without signInFactors
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: Match.objectLike({ SignInPolicy: Match.absent() }),
      WebAuthnRelyingPartyID: Match.absent(),
      WebAuthnUserVerification: Match.absent(),
      MfaConfiguration: 'ON',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] });
    expect(users.signInFactors).toEqual([SignInFactor.PASSWORD]);
    expect(users.mfa).toBe(cognito.Mfa.REQUIRED);
    expect(users.passkeyRelyingPartyId).toBeUndefined();
  });

  test('passkeys and email codes next to passwords: sign-in policy, prefix-domain relying party, required user verification', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const users = new UserDirectory(stack, 'Users', PASSWORDLESS);
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: Match.objectLike({ SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] } }),
      WebAuthnRelyingPartyID: { 'Fn::Join': ['', ['notes-auth.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] },
      WebAuthnUserVerification: 'required',
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER' }),
      UserPoolTier: 'PLUS',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH'],
    });
    expect(users.signInFactors).toEqual([SignInFactor.PASSWORD, SignInFactor.PASSKEY, SignInFactor.EMAIL_OTP]);
    expect(users.mfa).toBe(cognito.Mfa.OPTIONAL);
    expect(stack.resolve(users.passkeyRelyingPartyId)).toEqual({ 'Fn::Join': ['', ['notes-auth.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] });
  });

  test('optional MFA for passwordless sign-in is said explicitly and warned about', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', PASSWORDLESS);
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('MFA is optional because passwordless sign-in is on \\(SignInFactor.PASSKEY, SignInFactor.EMAIL_OTP\\)'));
  });

  test('password-only sign-in never warns about passwordless MFA', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { signInFactors: [SignInFactor.PASSWORD] });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: Match.objectLike({ SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } }),
      MfaConfiguration: 'ON',
    });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('passwordless'));
  });

  test('a region known at synth gives a literal relying party id', () => {
    const stack = newStack({ env: { region: 'eu-west-1', account: '111111111111' } });
    const users = new UserDirectory(stack, 'Users', { ...PASSWORDLESS, signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY], email: undefined });
    expect(users.passkeyRelyingPartyId).toBe('notes-auth.auth.eu-west-1.amazoncognito.com');
  });
});

describe('choice-based sign-in: options', () => {
  test('a custom domain is the relying party', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    new UserDirectory(stack, 'Users', {
      ...PASSWORDLESS,
      domainPrefix: undefined,
      customDomain: { domainName: 'auth.example.com', certificate },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { WebAuthnRelyingPartyID: 'auth.example.com' });
  });

  test('an explicit relying party id works without a domain (SDK sign-in), and user verification can be preferred', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', {
      signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY],
      mfa: cognito.Mfa.OPTIONAL,
      passkeyRelyingPartyId: 'app.example.com',
      passkeyUserVerification: cognito.PasskeyUserVerification.PREFERRED,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      WebAuthnRelyingPartyID: 'app.example.com',
      WebAuthnUserVerification: 'preferred',
      Policies: Match.objectLike({ SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } }),
    });
  });

  test('a token relying party id is not checked for its shape', () => {
    const stack = newStack();
    expect(() => new UserDirectory(stack, 'Users', {
      signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY],
      mfa: cognito.Mfa.OPTIONAL,
      passkeyRelyingPartyId: Token.asString({ Ref: 'RpId' }),
    })).not.toThrow();
  });

  test('SMS codes get the pool an SMS role (Amazon SNS)', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { signInFactors: [SignInFactor.PASSWORD, SignInFactor.SMS_OTP], mfa: cognito.Mfa.OPTIONAL });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: Match.objectLike({ SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'SMS_OTP'] } }),
      SmsConfiguration: Match.objectLike({ SnsCallerArn: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'cognito-idp.amazonaws.com' } })],
      }),
    });
  });

  test('Mfa.OFF with passwordless sign-in keeps the MFA-off warning', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { ...PASSWORDLESS, mfa: cognito.Mfa.OFF });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OFF' });
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('MFA is off'));
  });

  test('the Essentials plan allows passwordless sign-in', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { ...PASSWORDLESS, featurePlan: cognito.FeaturePlan.ESSENTIALS });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'ESSENTIALS' });
  });
});

describe('choice-based sign-in: bad input', () => {
  test('fails on an empty factor list', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { signInFactors: [] }),
      { property: 'signInFactors', received: '[]', fix: 'Leave `signInFactors` out for password sign-in' });
  });

  test('fails on a factor listed twice', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY, SignInFactor.PASSKEY] }),
      { property: 'signInFactors', received: 'SignInFactor.PASSKEY, SignInFactor.PASSKEY', fix: 'List each factor once' });
  });

  test('fails without the password factor', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, signInFactors: [SignInFactor.PASSKEY] }),
      { property: 'signInFactors', received: 'SignInFactor.PASSKEY', fix: 'Add `SignInFactor.PASSWORD`' });
  });

  test('fails on a value outside the SignInFactor enum', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { signInFactors: [SignInFactor.PASSWORD, 'MAGIC_LINK' as SignInFactor] }),
      { property: 'signInFactors', received: '"MAGIC_LINK"', fix: 'Use the `SignInFactor` enum' });
  });

  test('fails on passwordless sign-in with the Lite plan', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, featurePlan: cognito.FeaturePlan.LITE }),
      { property: 'featurePlan', received: '"LITE"', fix: '`FeaturePlan.ESSENTIALS`' });
  });

  test('fails on passwordless sign-in with the default (required) MFA: optional MFA must be said explicitly', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, mfa: undefined }),
      { property: 'mfa', received: 'Mfa.REQUIRED (the default)', fix: 'Say so explicitly with `mfa: Mfa.OPTIONAL`' });
  });

  test('fails on passwordless sign-in with Mfa.REQUIRED', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, mfa: cognito.Mfa.REQUIRED }),
      { property: 'mfa', received: '"Mfa.REQUIRED"', fix: '`mfa: Mfa.OPTIONAL`' });
  });

  test('fails on passkeys without a domain or relying party id', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, domainPrefix: undefined }),
      { property: 'passkeyRelyingPartyId', received: 'undefined', fix: 'Set `domainPrefix` or `customDomain`' });
  });

  test('fails on a relying party id with a scheme', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: 'https://auth.example.com' }),
      { property: 'passkeyRelyingPartyId', received: '"https://auth.example.com"', fix: 'Use a domain such as `auth.example.com`' });
  });

  test('fails on a relying party id longer than 63 characters', () => {
    const long = `${'a'.repeat(60)}.com`;
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: long }),
      { property: 'passkeyRelyingPartyId', received: long, fix: 'Use a domain such as' });
  });

  test('fails on a relying party id other than the custom domain', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    expectInvalid(() => new UserDirectory(stack, 'Users', {
      ...PASSWORDLESS,
      domainPrefix: undefined,
      customDomain: { domainName: 'auth.example.com', certificate },
      passkeyRelyingPartyId: 'example.com',
    }), { property: 'passkeyRelyingPartyId', received: '"example.com"', fix: 'set it to the custom domain name' });
  });

  test('fails when the prefix domain is too long to be the relying party', () => {
    const stack = newStack({ env: { region: 'ap-southeast-1', account: '111111111111' } });
    const prefix = 'a'.repeat(30);
    expectInvalid(() => new UserDirectory(stack, 'Users', { ...PASSWORDLESS, domainPrefix: prefix }),
      { property: 'domainPrefix', received: prefix, fix: 'Use a shorter `domainPrefix`, or set `passkeyRelyingPartyId`' });
  });

  test('fails on a relying party id without passkeys', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { passkeyRelyingPartyId: 'auth.example.com' }),
      { property: 'passkeyRelyingPartyId', received: '"auth.example.com"', fix: 'Add `SignInFactor.PASSKEY` to `signInFactors`' });
  });

  test('fails on a user verification setting without passkeys', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { passkeyUserVerification: cognito.PasskeyUserVerification.PREFERRED }),
      { property: 'passkeyUserVerification', received: '"preferred"', fix: 'Add `SignInFactor.PASSKEY`' });
  });

  test('fails on email codes with Cognito\'s own email sender', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, email: undefined }),
      { property: 'email', received: '"COGNITO_DEFAULT"', fix: 'Set `email: UserPoolEmail.withSES(' });
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, email: cognito.UserPoolEmail.withCognito() }),
      { property: 'email', received: '"COGNITO_DEFAULT"', fix: 'drop `SignInFactor.EMAIL_OTP`' });
  });
});
