import { Stack, Token } from 'aws-cdk-lib';
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
  passkeyRelyingPartyId: 'auth.example.com',
};

/** Passkeys next to passwords, with the relying party pinned to the prefix domain (the stack's region at deploy time). */
function passkeysOnly(stack: Stack): UserDirectoryProps {
  return {
    signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY],
    domainPrefix: 'notes-auth',
    passkeyRelyingPartyId: `notes-auth.auth.${stack.region}.amazoncognito.com`,
  };
}

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

  test('passkeys and email codes next to passwords: sign-in policy, the pinned prefix-domain relying party, required user verification', () => {
    // GIVEN
    const stack = newStack();

    // WHEN the relying party is pinned to the prefix domain
    const users = new UserDirectory(stack, 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: `notes-auth.auth.${stack.region}.amazoncognito.com` });
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
      WebAuthnFactorConfiguration: Match.absent(),
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
    const users = new UserDirectory(stack, 'Users', { ...passkeysOnly(stack), mfa: cognito.Mfa.OPTIONAL });
    expect(users.passkeyRelyingPartyId).toBe('notes-auth.auth.eu-west-1.amazoncognito.com');
  });
});

describe('passkeys count as MFA', () => {
  test('passkeys with user verification satisfy the default required MFA: the pool counts them as MFA', () => {
    // GIVEN passkeys next to passwords, MFA left at its default (REQUIRED)
    const stack = newStack();

    // WHEN
    const users = new UserDirectory(stack, 'Users', passkeysOnly(stack));

    // THEN a user-verified passkey sign-in satisfies MFA (API WebAuthnConfigurationType FactorConfiguration)
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      WebAuthnUserVerification: 'required',
      WebAuthnFactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION',
      Policies: Match.objectLike({ SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } }),
    });
    expect(users.mfa).toBe(cognito.Mfa.REQUIRED);
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('passwordless'));
  });

  test('Mfa.REQUIRED said explicitly with passkeys renders the factor configuration too', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { ...passkeysOnly(stack), mfa: cognito.Mfa.REQUIRED, passkeyUserVerification: cognito.PasskeyUserVerification.REQUIRED });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      WebAuthnFactorConfiguration: 'MULTI_FACTOR_WITH_USER_VERIFICATION',
    });
  });

  test('optional or no MFA leaves passkeys a single factor (no factor configuration)', () => {
    for (const mfa of [cognito.Mfa.OPTIONAL, cognito.Mfa.OFF]) {
      const stack = newStack();
      new UserDirectory(stack, 'Users', { ...passkeysOnly(stack), mfa });
      Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { WebAuthnFactorConfiguration: Match.absent() });
    }
  });

  test('fails on required MFA with passkeys whose user verification is only preferred: Cognito does not count them as MFA', () => {
    const stack = newStack();
    expectInvalid(() => new UserDirectory(stack, 'Users', { ...passkeysOnly(stack), passkeyUserVerification: cognito.PasskeyUserVerification.PREFERRED }),
      { property: 'passkeyUserVerification', received: '"preferred"', fix: 'Leave `passkeyUserVerification` out (PasskeyUserVerification.REQUIRED), or choose `mfa: Mfa.OPTIONAL`' });
  });

  test('fails on required MFA with one-time codes next to passkeys: codes are not offered to users with MFA', () => {
    const stack = newStack();
    expectInvalid(() => new UserDirectory(stack, 'Users', { ...passkeysOnly(stack), signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY, SignInFactor.SMS_OTP] }),
      { property: 'mfa', received: 'Mfa.REQUIRED (the default)', fix: 'drop the one-time codes: passkeys that verify the user count as MFA' });
  });
});

describe('passkeys: the relying party id never moves by itself', () => {
  test('fails on passkeys without passkeyRelyingPartyId, naming the consequence and the prefix domain to pin', () => {
    // GIVEN a directory with a prefix domain in a known region WHEN passkeys are on without a relying party id
    const stack = newStack({ env: { region: 'eu-west-1', account: '111111111111' } });
    const error = expectInvalid(() => new UserDirectory(stack, 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: undefined }),
      { property: 'passkeyRelyingPartyId', received: 'undefined', fix: '`passkeyRelyingPartyId: \'notes-auth.auth.eu-west-1.amazoncognito.com\'`' });
    expect(error.message).toMatch(/changing the domain prefix or adding a custom domain would make every registered passkey unusable/);
  });

  test('fails on passkeys without passkeyRelyingPartyId and suggests the custom domain', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    expectInvalid(() => new UserDirectory(stack, 'Users', {
      ...PASSWORDLESS,
      domainPrefix: undefined,
      customDomain: { domainName: 'auth.example.com', certificate },
      passkeyRelyingPartyId: undefined,
    }), { property: 'passkeyRelyingPartyId', received: 'undefined', fix: '`passkeyRelyingPartyId: \'auth.example.com\'`' });
  });

  test('fails on passkeys without passkeyRelyingPartyId in a region known only at deploy time, with the domain\'s shape', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: undefined }),
      { property: 'passkeyRelyingPartyId', received: 'undefined', fix: '`passkeyRelyingPartyId: \'notes-auth.auth.<region>.amazoncognito.com\'` (`<region>`: the stack\'s region' });
  });

  test('fails on passkeys without passkeyRelyingPartyId under a custom domain known only at deploy time', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    const error = expectInvalid(() => new UserDirectory(stack, 'Users', {
      ...PASSWORDLESS,
      domainPrefix: undefined,
      customDomain: { domainName: Token.asString({ Ref: 'AuthDomain' }), certificate },
      passkeyRelyingPartyId: undefined,
    }), { property: 'passkeyRelyingPartyId', received: 'undefined', fix: '`passkeyRelyingPartyId: \'<your custom domain name>\'`' });
    expect(error.message).not.toContain('undefined.auth');
  });

  test('a relying party id of your own domain stays when the domain prefix changes', () => {
    // GIVEN passkeys pinned to the app's domain (SDK sign-in), as deployed
    const before = newStack();
    new UserDirectory(before, 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: 'example.com' });

    // WHEN the prefix changes
    const after = newStack();
    new UserDirectory(after, 'Users', { ...PASSWORDLESS, domainPrefix: 'notes-login', passkeyRelyingPartyId: 'example.com' });

    // THEN both templates carry the same relying party id
    for (const stack of [before, after]) {
      Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { WebAuthnRelyingPartyID: 'example.com' });
    }
  });

  test('fails, naming the consequence, when the prefix changes under passkeys pinned to the old prefix domain', () => {
    // GIVEN passkeys pinned to the prefix domain WHEN the prefix changes (managed login moves to another origin)
    const stack = newStack({ env: { region: 'eu-west-1', account: '111111111111' } });
    const error = expectInvalid(() => new UserDirectory(stack, 'Users', {
      ...PASSWORDLESS,
      domainPrefix: 'notes-login',
      passkeyRelyingPartyId: 'notes-auth.auth.eu-west-1.amazoncognito.com',
    }), { property: 'passkeyRelyingPartyId', received: '"notes-auth.auth.eu-west-1.amazoncognito.com"', fix: 'keep `domainPrefix` as it was' });
    expect(error.message).toMatch(/passkeys registered for it no longer work/);
  });

  test('fails, naming the consequence, when a custom domain is added under passkeys pinned to the prefix domain', () => {
    const stack = newStack({ env: { region: 'eu-west-1', account: '111111111111' } });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    const error = expectInvalid(() => new UserDirectory(stack, 'Users', {
      ...PASSWORDLESS,
      domainPrefix: undefined,
      customDomain: { domainName: 'auth.example.com', certificate },
      passkeyRelyingPartyId: 'notes-auth.auth.eu-west-1.amazoncognito.com',
    }), { property: 'passkeyRelyingPartyId', received: '"notes-auth.auth.eu-west-1.amazoncognito.com"', fix: 'set it to the custom domain name' });
    expect(error.message).toMatch(/passkeys registered for another relying party id stop working/);
  });
});

describe('passkeys: public suffixes are refused as relying party id', () => {
  // WebAuthn: the RP id must be a registrable domain suffix of the origin, never a public suffix.
  test.each([
    ['com', 'a single label is a top-level domain'],
    ['co.uk', '"co.uk" is a public suffix'],
    ['com.au', '"com.au" is a public suffix'],
    ['github.io', '"github.io" is a public suffix'],
    ['amazoncognito.com', '"amazoncognito.com" is shared by every Cognito prefix domain'],
    ['auth.us-east-1.amazoncognito.com', '"auth.us-east-1.amazoncognito.com" is shared by every Cognito prefix domain'],
    ['auth-fips.us-east-1.amazoncognito.com', 'is shared by every Cognito prefix domain'],
  ])('fails on %s', (id, why) => {
    const error = expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: id }),
      { property: 'passkeyRelyingPartyId', received: `"${id}"`, fix: 'Use a domain you own' });
    expect(error.message).toContain(why);
    expect(error.message).toContain('WebAuthn refuses a relying party id that is a public suffix');
  });

  test('fails on a name under amazoncognito.com that is not a prefix domain', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: 'login.amazoncognito.com' }),
      { property: 'passkeyRelyingPartyId', received: '"login.amazoncognito.com"', fix: 'Use your prefix domain' });
  });

  test('fails on another directory\'s prefix domain', () => {
    const stack = newStack({ env: { region: 'eu-west-1', account: '111111111111' } });
    expectInvalid(() => new UserDirectory(stack, 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: 'other-auth.auth.eu-west-1.amazoncognito.com' }),
      { property: 'passkeyRelyingPartyId', received: '"other-auth.auth.eu-west-1.amazoncognito.com"', fix: '`passkeyRelyingPartyId: \'notes-auth.auth.eu-west-1.amazoncognito.com\'`' });
  });

  test('fails on another directory\'s prefix domain in a region known only at deploy time', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: 'other-auth.auth.eu-west-1.amazoncognito.com' }),
      { property: 'passkeyRelyingPartyId', received: '"other-auth.auth.eu-west-1.amazoncognito.com"', fix: '`passkeyRelyingPartyId: \'notes-auth.auth.<region>.amazoncognito.com\'`' });
  });

  test('the directory\'s own prefix domain is accepted when the region is known', () => {
    const stack = newStack({ env: { region: 'eu-west-1', account: '111111111111' } });
    new UserDirectory(stack, 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: 'notes-auth.auth.eu-west-1.amazoncognito.com' });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { WebAuthnRelyingPartyID: 'notes-auth.auth.eu-west-1.amazoncognito.com' });
  });

  test('fails on a prefix domain without a domainPrefix', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, domainPrefix: undefined, passkeyRelyingPartyId: 'notes-auth.auth.eu-west-1.amazoncognito.com' }),
      { property: 'passkeyRelyingPartyId', received: '"notes-auth.auth.eu-west-1.amazoncognito.com"', fix: 'Set `domainPrefix`' });
  });

  test.each([
    'example.com', 'auth.example.com', 'example.co.uk', 'notes.github.io', 'localhost',
  ])('accepts the registrable domain or a name under it: %s', (id) => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { ...PASSWORDLESS, passkeyRelyingPartyId: id });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { WebAuthnRelyingPartyID: id });
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
      passkeyRelyingPartyId: 'auth.example.com',
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
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, domainPrefix: undefined, passkeyRelyingPartyId: undefined }),
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
    const error = expectInvalid(() => new UserDirectory(stack, 'Users', { ...PASSWORDLESS, domainPrefix: prefix, passkeyRelyingPartyId: undefined }),
      { property: 'passkeyRelyingPartyId', received: 'undefined', fix: 'Use a shorter `domainPrefix` or a `customDomain`, and set `passkeyRelyingPartyId` to it' });
    expect(error.message).toContain(`"${prefix}.auth.ap-southeast-1.amazoncognito.com" is 68 characters; Cognito allows 63`);
    expectInvalid(() => new UserDirectory(newStack(), 'Users', { ...PASSWORDLESS, domainPrefix: prefix, passkeyRelyingPartyId: `${prefix}.auth.ap-southeast-1.amazoncognito.com` }),
      { property: 'passkeyRelyingPartyId', received: prefix, fix: 'Use a domain such as' });
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
