import { App, Duration, RemovalPolicy, SecretValue, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DirectoryProvider, FederatedSignUp, UserDirectory } from '../../src';
import { ValidationError } from '../../src/private/errors';

function newStack(): Stack {
  return new Stack(new App(), 'Stack');
}

function google(): DirectoryProvider {
  return DirectoryProvider.google({ clientId: 'google-client', clientSecret: SecretValue.secretsManager('google'), signUp: FederatedSignUp.anyone() });
}

describe('UserDirectory defaults', () => {
  let template: Template;
  let stack: Stack;
  beforeAll(() => {
    // GIVEN a stack WHEN a UserDirectory is added with no props
    stack = newStack();
    new UserDirectory(stack, 'Users');
    template = Template.fromStack(stack);
  });

  test('signs in with a case-insensitive email and only admins create users', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
  });

  test('requires 12-character passwords with every character class and 3-day temporary passwords', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 3,
        },
      },
    });
  });

  test('requires TOTP MFA, never SMS', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  test('uses the PLUS plan with full-function threat protection', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  test('is protected from deletion and retained', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  test('recovers accounts by verified email only', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  test('creates no domain, client, group or provider of its own', () => {
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 0);
  });

  test('warns that Cognito\'s email sender is for development', () => {
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('UserPoolEmail.withSES'));
  });

  test('does not warn about MFA or threat protection', () => {
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('MFA is off'));
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('threat protection'));
  });

  test('snapshot of the default directory', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });
});

describe('UserDirectory overrides', () => {
  test('selfSignUp turns on sign-up with email verification codes', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { selfSignUp: true });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      VerificationMessageTemplate: Match.objectLike({ DefaultEmailOption: 'CONFIRM_WITH_CODE' }),
    });
  });

  test('signInAliases can add phone and preferred username', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { signInAliases: { email: true, phone: true, preferredUsername: true, username: true } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      AliasAttributes: Match.arrayWith(['email', 'phone_number', 'preferred_username']),
      AutoVerifiedAttributes: ['email', 'phone_number'],
    });
  });

  test('mfa OPTIONAL is honoured without a warning', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { mfa: cognito.Mfa.OPTIONAL });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OPTIONAL' });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('MFA is off'));
  });

  test('mfa OFF is honoured with a warning', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { mfa: cognito.Mfa.OFF });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OFF',
      EnabledMfas: Match.absent(),
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('MFA is off'));
  });

  test('mfaSecondFactor can allow SMS too', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { mfaSecondFactor: { otp: true, sms: true } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      EnabledMfas: Match.arrayWith(['SMS_MFA', 'SOFTWARE_TOKEN_MFA']),
    });
  });

  test('the ESSENTIALS plan drops threat protection with a warning', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      UserPoolAddOns: Match.absent(),
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('no threat protection'));
  });

  test('passwordPolicy replaces the default policy', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { passwordPolicy: { minLength: 16, tempPasswordValidity: Duration.days(1) } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 16, TemporaryPasswordValidityDays: 1 }) },
    });
  });

  test('removalPolicy and deletionProtection can be relaxed for development stacks', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
    Template.fromStack(stack).hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: 'INACTIVE' }),
    });
  });

  test('email with SES removes the warning', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', {
      email: cognito.UserPoolEmail.withSES({ fromEmail: 'no-reply@example.com', sesRegion: 'us-east-1' }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', From: 'no-reply@example.com' }),
    });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('UserPoolEmail.withSES'));
  });

  test('userPoolName is passed through', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { userPoolName: 'notes-users' });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { UserPoolName: 'notes-users' });
  });

  test('domainPrefix creates a managed login (version 2) domain', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    expect(users.domain).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'notes-auth',
      ManagedLoginVersion: 2,
    });
  });

  test('customDomain creates a custom managed login domain', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    new UserDirectory(stack, 'Users', { customDomain: { domainName: 'auth.example.com', certificate } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'auth.example.com',
      CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc' },
      ManagedLoginVersion: 2,
    });
  });
});

describe('groups', () => {
  test('addGroup creates a group with precedence and description and lists it', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addGroup('admins', { precedence: 0, description: 'Administrators' });
    users.addGroup('editors');
    expect(users.groupNames).toEqual(['admins', 'editors']);
    expect(users.hasGroup('admins')).toBe(true);
    expect(users.hasGroup('viewers')).toBe(false);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: 'admins',
      Precedence: 0,
      Description: 'Administrators',
      UserPoolId: { Ref: Match.stringLikeRegexp('Users') },
    });
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', 2);
  });

  test('group names with punctuation get distinct construct ids', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addGroup('team.a');
    users.addGroup('team-a');
    users.addGroup('teama');
    Template.fromStack(stack).resourceCountIs('AWS::Cognito::UserPoolGroup', 3);
  });

  test('setGroupRole sets the group role ARN', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addGroup('admins');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/admins');
    expect(users.setGroupRole('admins', role)).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: 'admins',
      RoleArn: 'arn:aws:iam::111111111111:role/admins',
    });
  });

  test('fails to add the same group twice', () => {
    const users = new UserDirectory(newStack(), 'Users');
    users.addGroup('admins');
    expect(() => users.addGroup('admins')).toThrow(/`groupName`: the directory already has this group \(received "admins"\)/);
  });

  test('fails on a group name with whitespace', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addGroup('site admins')).toThrow(/`groupName`: a group name is 1-128 characters without whitespace \(received "site admins"\)/);
  });

  test('fails on an empty or over-long group name', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addGroup('')).toThrow(ValidationError);
    expect(() => users.addGroup('g'.repeat(129))).toThrow(/1-128 characters/);
  });

  test('fails on a token group name', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addGroup(Token.asString({ Ref: 'X' }))).toThrow(/group names must be known at synth, they name roles and construct ids \(received <token>\)/);
  });

  test('fails on a negative or fractional precedence', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addGroup('a', { precedence: -1 })).toThrow(/`precedence`: must be a whole number from 0 to 2147483647 \(received -1\)/);
    expect(() => users.addGroup('b', { precedence: 1.5 })).toThrow(/received 1.5/);
  });

  test('fails to set the role of a group that does not exist', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addGroup('admins');
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/x');
    expect(() => users.setGroupRole('editors', role)).toThrow(/the directory has no such group \(received "editors"\)\. Call addGroup\('editors'\) first\. Known groups: admins\./);
  });
});

describe('custom attributes', () => {
  test('are added to the schema after construction, admin-writable only by default', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Web');
    users.addCustomAttribute('tenant', { mutable: false });
    users.addCustomAttribute('nickname2', { userWritable: true, minLength: 2, maxLength: 40 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: [
        { Name: 'email', Required: true, Mutable: true },
        { Name: 'tenant', AttributeDataType: 'String', Mutable: false, StringAttributeConstraints: { MinLength: '1', MaxLength: '256' } },
        { Name: 'nickname2', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '2', MaxLength: '40' } },
      ],
    });
    const writeAttributes: string[] = template.findResources('AWS::Cognito::UserPoolClient')[Object.keys(template.findResources('AWS::Cognito::UserPoolClient'))[0]].Properties.WriteAttributes;
    expect(writeAttributes).toContain('custom:nickname2');
    expect(writeAttributes).not.toContain('custom:tenant');
    expect(writeAttributes).not.toContain('email_verified');
    expect(users.isClaimUserWritable('custom:tenant')).toBe(false);
    expect(users.isClaimUserWritable('custom:nickname2')).toBe(true);
    expect(users.isClaimUserWritable('email')).toBe(true);
  });

  test('fails on a name with the custom: prefix or over 20 characters', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addCustomAttribute('custom:tenant')).toThrow(/`name`: a custom attribute name is 1-20 letters.*without the `custom:` prefix \(received "custom:tenant"\)/);
    expect(() => users.addCustomAttribute('a'.repeat(21))).toThrow(ValidationError);
  });

  test('fails on a duplicate custom attribute', () => {
    const users = new UserDirectory(newStack(), 'Users');
    users.addCustomAttribute('tenant');
    expect(() => users.addCustomAttribute('tenant')).toThrow(/already has this custom attribute \(received "tenant"\)/);
  });

  test('fails when minLength exceeds maxLength', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addCustomAttribute('tenant', { minLength: 10, maxLength: 5 }))
      .toThrow(/`maxLength`: lengths must be whole numbers with 0 <= minLength <= maxLength <= 2048 \(received \{"minLength":10,"maxLength":5\}\)/);
  });
});

describe('web clients', () => {
  test('are public, SRP-only, code grant only, with hidden user existence errors and revocation', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/', 'http://localhost:3000/'] });
    expect(users.webClients).toEqual([web]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      // Refresh tokens rotate (through GetTokensFromRefreshToken or the token endpoint), so the
      // REFRESH_TOKEN_AUTH flow of InitiateAuth is off.
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: ['https://app.example.com/', 'http://localhost:3000/'],
      LogoutURLs: ['https://app.example.com/', 'http://localhost:3000/'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 43200,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      SupportedIdentityProviders: ['COGNITO'],
    });
    // Managed login v2 needs a branding style per client.
    template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: { Ref: Match.stringLikeRegexp('UsersWeb') },
      UseCognitoProvidedValues: true,
    });
  });

  test('without callback URLs the client has no OAuth at all', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Mobile');
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: Match.absent(),
      CallbackURLs: Match.absent(),
      SupportedIdentityProviders: ['COGNITO'],
    });
  });

  test('scopes, logout URLs and token lifetimes can be set', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Web', {
      callbackUrls: ['https://app.example.com/callback'],
      logoutUrls: ['https://app.example.com/'],
      scopes: [cognito.OAuthScope.OPENID],
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.days(1),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthScopes: ['openid'],
      LogoutURLs: ['https://app.example.com/'],
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 1440,
    });
  });

  test('token URLs are accepted as they are', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expect(() => users.addWebClient('Web', { callbackUrls: [Token.asString({ 'Fn::GetAtt': ['Dist', 'DomainName'] })] })).not.toThrow();
  });

  test('fails on an http callback URL that is not localhost', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addWebClient('Web', { callbackUrls: ['http://app.example.com/'] }))
      .toThrow(/`callbackUrls`: plain http is only allowed for localhost \(received "http:\/\/app.example.com\/"\)\. Use https/);
  });

  test('fails on an http logout URL that only looks like localhost', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addWebClient('Web', { callbackUrls: ['https://a.example.com/'], logoutUrls: ['http://localhost.evil.com/'] }))
      .toThrow(/`logoutUrls`: plain http is only allowed for localhost/);
  });

  test('fails on a relative URL, a fragment, or an empty list', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addWebClient('A', { callbackUrls: ['/callback'] })).toThrow(/must be an absolute URL \(received "\/callback"\)/);
    expect(() => users.addWebClient('B', { callbackUrls: ['https://a.example.com/#x'] })).toThrow(/must not contain a fragment/);
    expect(() => users.addWebClient('C', { callbackUrls: [] })).toThrow(/`callbackUrls`: must not be empty/);
  });

  test('fails on an empty scope list', () => {
    const users = new UserDirectory(newStack(), 'Users');
    expect(() => users.addWebClient('Web', { callbackUrls: ['https://a.example.com/'], scopes: [] })).toThrow(/`scopes`: must not be empty/);
  });

  test('fails on a duplicate client id', () => {
    const users = new UserDirectory(newStack(), 'Users');
    users.addWebClient('Web');
    expect(() => users.addWebClient('Web')).toThrow(/`id`: the directory already has a child with this id \(received "Web"\)/);
  });
});

describe('identity providers', () => {
  test('every OAuth web client supports every provider, whichever is added first', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addWebClient('Before', { callbackUrls: ['https://app.example.com/'] });
    users.addIdentityProvider(google());
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://idp.example.com/metadata' }));
    users.addWebClient('After', { callbackUrls: ['https://app.example.com/'] });
    expect(users.identityProviderNames).toEqual(['Google', 'Corp']);
    const template = Template.fromStack(stack);
    const clients = template.findResources('AWS::Cognito::UserPoolClient');
    expect(Object.keys(clients)).toHaveLength(2);
    for (const client of Object.values(clients)) {
      expect(client.Properties.SupportedIdentityProviders).toEqual([
        'COGNITO',
        { Ref: expect.stringMatching(/UsersProviderGoogle/) },
        { Ref: expect.stringMatching(/UsersProviderCorp/) },
      ]);
      // CloudFormation must create the providers before a client names them: the Refs above order
      // them, and a DependsOn on the same providers would be redundant (cfn-lint W3005).
      expect(client.DependsOn ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/UsersProvider/)]));
    }
  });

  test('google keeps its secret a dynamic reference and maps email', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addIdentityProvider(google());
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'Google',
      ProviderType: 'Google',
      AttributeMapping: { email: 'email' },
      ProviderDetails: {
        client_id: 'google-client',
        client_secret: '{{resolve:secretsmanager:google:SecretString:::}}',
        authorize_scopes: 'openid email profile',
      },
    });
  });

  test('facebook, apple, amazon and oidc map email and keep secrets out of the template', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    const secret = (name: string) => SecretValue.secretsManager(name);
    users.addIdentityProvider(DirectoryProvider.facebook({ clientId: 'fb', clientSecret: secret('fb'), signUp: FederatedSignUp.anyone() }));
    users.addIdentityProvider(DirectoryProvider.apple({ servicesId: 'com.example', teamId: 'TEAM', keyId: 'KEY', privateKey: secret('apple'), signUp: FederatedSignUp.anyone() }));
    users.addIdentityProvider(DirectoryProvider.amazon({ clientId: 'amzn', clientSecret: secret('amzn'), signUp: FederatedSignUp.anyone() }));
    users.addIdentityProvider(DirectoryProvider.oidc({ name: 'Okta', clientId: 'okta', clientSecret: secret('okta'), issuerUrl: 'https://example.okta.com' }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderType: 'Facebook',
      AttributeMapping: { email: 'email' },
      ProviderDetails: Match.objectLike({ client_secret: '{{resolve:secretsmanager:fb:SecretString:::}}', authorize_scopes: 'public_profile,email' }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderType: 'SignInWithApple',
      AttributeMapping: { email: 'email' },
      ProviderDetails: Match.objectLike({ private_key: '{{resolve:secretsmanager:apple:SecretString:::}}', team_id: 'TEAM', key_id: 'KEY' }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderType: 'LoginWithAmazon',
      AttributeMapping: { email: 'email' },
      ProviderDetails: Match.objectLike({ client_secret: '{{resolve:secretsmanager:amzn:SecretString:::}}' }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'Okta',
      ProviderType: 'OIDC',
      AttributeMapping: { email: 'email' },
      ProviderDetails: Match.objectLike({ oidc_issuer: 'https://example.okta.com', authorize_scopes: 'openid email' }),
    });
  });

  test('saml maps the standard email claim from a metadata URL or document', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://idp.example.com/metadata' }));
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Partner', metadataDocument: '<EntityDescriptor/>' }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'Corp',
      ProviderType: 'SAML',
      AttributeMapping: { email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
      ProviderDetails: Match.objectLike({ MetadataURL: 'https://idp.example.com/metadata', IDPSignout: false }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'Partner',
      ProviderDetails: Match.objectLike({ MetadataFile: '<EntityDescriptor/>' }),
    });
  });

  test('fails to add the same provider twice', () => {
    const users = new UserDirectory(newStack(), 'Users', { domainPrefix: 'notes-auth' });
    users.addIdentityProvider(google());
    expect(() => users.addIdentityProvider(google())).toThrow(/`provider`: the directory already has a provider of this name \(received "Google"\)/);
  });

  test('fails at synth when providers have no managed login domain', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    users.addIdentityProvider(google());
    expect(() => app.synth()).toThrow(/`domainPrefix`: sign-in with Google needs the managed login pages/);
  });

  test('fails at synth when no web client can use the providers', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addWebClient('Mobile');
    users.addIdentityProvider(google());
    expect(() => app.synth()).toThrow(/`callbackUrls`: no web client can use Google/);
  });

  test('fails at synth when a provider maps an attribute the clients cannot write', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addCustomAttribute('tenant');
    users.addIdentityProvider(DirectoryProvider.saml({
      name: 'Corp',
      metadataUrl: 'https://idp.example.com/metadata',
      attributeMapping: { custom: { 'custom:tenant': cognito.ProviderAttribute.other('tenant') } },
    }));
    expect(() => app.synth()).toThrow(/`attributeMapping`: provider Corp maps `custom:tenant`, which the web clients cannot write/);
  });

  test('fails on a SAML provider with both or neither metadata sources', () => {
    expect(() => DirectoryProvider.saml({ name: 'Corp' })).toThrow(/a SAML provider needs exactly one of `metadataUrl` and `metadataDocument`/);
    expect(() => DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://a.example.com', metadataDocument: '<x/>' })).toThrow(/exactly one/);
  });

  test('fails on a non-https metadata or issuer URL', () => {
    expect(() => DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'http://idp.example.com/metadata' }))
      .toThrow(/`metadataUrl`: must be an https URL \(received "http:\/\/idp.example.com\/metadata"\)/);
    expect(() => DirectoryProvider.oidc({ name: 'Okta', clientId: 'c', clientSecret: SecretValue.secretsManager('s'), issuerUrl: 'example.okta.com' }))
      .toThrow(/`issuerUrl`: must be an https URL/);
  });

  test('fails on a reserved or malformed provider name', () => {
    expect(() => DirectoryProvider.saml({ name: 'Google', metadataUrl: 'https://a.example.com' })).toThrow(/`name`: is reserved for a built-in provider/);
    expect(() => DirectoryProvider.saml({ name: 'My Corp', metadataUrl: 'https://a.example.com' })).toThrow(/3-32 characters without spaces/);
    expect(() => DirectoryProvider.saml({ name: 'ab', metadataUrl: 'https://a.example.com' })).toThrow(ValidationError);
  });

  test('fails on an empty client id', () => {
    expect(() => DirectoryProvider.google({ clientId: ' ', clientSecret: SecretValue.secretsManager('g') })).toThrow(/`clientId`: must be a non-empty string/);
  });
});

describe('construction errors', () => {
  test('fails when every sign-in alias is off', () => {
    expect(() => new UserDirectory(newStack(), 'Users', { signInAliases: { email: false } }))
      .toThrow(/`signInAliases`: at least one sign-in alias must be on \(received \{"email":false\}\)/);
  });

  test('fails on both a domain prefix and a custom domain', () => {
    const stack = newStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    expect(() => new UserDirectory(stack, 'Users', { domainPrefix: 'notes', customDomain: { domainName: 'auth.example.com', certificate } }))
      .toThrow(/`domainPrefix`: `domainPrefix` and `customDomain` cannot both be set/);
  });

  test('fails on a domain prefix with upper case or a reserved word', () => {
    expect(() => new UserDirectory(newStack(), 'Users', { domainPrefix: 'Notes' })).toThrow(/1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen \(received "Notes"\)/);
    expect(() => new UserDirectory(newStack(), 'Users', { domainPrefix: 'my-cognito-app' })).toThrow(/reserves prefixes containing `aws`, `amazon` or `cognito`/);
    expect(() => new UserDirectory(newStack(), 'Users', { domainPrefix: '-notes' })).toThrow(ValidationError);
  });

  test('accepts a token domain prefix', () => {
    expect(() => new UserDirectory(newStack(), 'Users', { domainPrefix: Token.asString({ Ref: 'Prefix' }) })).not.toThrow();
  });
});

describe('triggers and imports', () => {
  test('addTrigger passes through to the user pool', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:pre-signup');
    users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:111111111111:function:pre-signup' },
    });
  });

  test('fromUserPool wraps an existing pool with the groups and writable attributes given', () => {
    const stack = newStack();
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abc');
    const users = UserDirectory.fromUserPool(stack, 'Users', pool, { groupNames: ['admins'], userWritableAttributes: ['email'] });
    expect(users.userPoolId).toBe('us-east-1_abc');
    expect(users.groupNames).toEqual(['admins']);
    expect(users.hasGroup('admins')).toBe(true);
    expect(users.isClaimUserWritable('email')).toBe(true);
    expect(users.isClaimUserWritable('custom:tenant')).toBe(false);
    expect(stack.resolve(users.userPoolProviderName)).toEqual({
      'Fn::Join': ['', ['cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/us-east-1_abc']],
    });
  });

  test('fromUserPool cannot set group roles and says so', () => {
    const stack = newStack();
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abc');
    const users = UserDirectory.fromUserPool(stack, 'Users', pool, { groupNames: ['admins'] });
    const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/admins');
    expect(users.setGroupRole('admins', role)).toBe(false);
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('imported user pool cannot be set'));
  });
});
