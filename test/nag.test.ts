import { App, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BrandingSettings, DirectoryLogEvents, DirectoryProvider, FederatedSignUp, SignInFactor, UserDirectory } from '../src';

// cdk-nag 3 cannot run as a synth plugin on aws-cdk-lib 2.257: run the pack directly.
function findings(app: App) {
  return new AwsSolutionsChecks(app).validateScope(app).violations;
}

describe('cdk-nag AwsSolutions', () => {
  test('a default UserDirectory with a web client has no findings and no acknowledgements', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

    // WHEN
    const violations = findings(app);

    // THEN
    expect(violations).toEqual([]);
  });

  test('an invite-only directory whose provider admits one email domain (the admission trigger) has no findings', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

    // WHEN
    users.addIdentityProvider(DirectoryProvider.google({
      clientId: 'google', clientSecret: SecretValue.secretsManager('google'), signUp: FederatedSignUp.emailDomains('example.com'),
    }));

    // THEN the function, its role and its log group pass as they are (no managed policy, a current runtime)
    expect(users.signUpAdmissionFunction).toBeDefined();
    expect(findings(app)).toEqual([]);
  });

  test('the checks can fail: a relaxed directory is reported', () => {
    // GIVEN a directory without MFA and threat protection (a positive control for the test above)
    const app = new App();
    const stack = new Stack(app, 'Stack');
    new UserDirectory(stack, 'Users', {
      mfa: cognito.Mfa.OFF,
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
    });

    // WHEN
    const rules = findings(app).map((v) => v.ruleName);

    // THEN
    expect(rules).toEqual(expect.arrayContaining([expect.stringMatching(/COG2/), expect.stringMatching(/COG8/)]));
  });

  describe('wave 2: passwordless sign-in, triggers, machine clients and admin grants', () => {
    function wave2(sms: boolean) {
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const users = new UserDirectory(stack, 'Users', {
        signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY, SignInFactor.EMAIL_OTP, ...(sms ? [SignInFactor.SMS_OTP] : [])],
        mfa: cognito.Mfa.OPTIONAL,
        domainPrefix: 'notes-auth',
        passkeyRelyingPartyId: 'auth.example.com',
        email: cognito.UserPoolEmail.withSES({ fromEmail: 'no-reply@example.com', sesRegion: 'us-east-1' }),
      });
      users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
      // The test's own function has a role of its own (no managed policy): findings below are the library's.
      const role = new iam.Role(stack, 'BackendRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const fn = new lambda.Function(stack, 'Backend', {
        role,
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async (event) => event;'),
      });
      users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, fn, { lambdaVersion: cognito.LambdaVersion.V2_0 });
      users.addTrigger(cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER, fn, { kmsKey: new kms.Key(stack, 'SenderKey', { enableKeyRotation: true }) });
      users.addResourceServer('notes-api', { scopes: { 'notes.read': 'Read notes' } });
      users.addMachineClient('Reports', { scopes: ['notes-api/notes.read'] });
      users.grantReadUsers(fn);
      users.grantManageAccounts(fn);
      users.grantChangeSignInAttributes(fn);
      users.grantManageGroups(fn);
      return { app, users };
    }

    test('the only library-side finding is COG2 (optional MFA), which passwordless sign-in needs and which is acknowledged with that reason', () => {
      // GIVEN
      const { app, users } = wave2(false);
      expect(findings(app).map((v) => v.ruleName)).toEqual(['AwsSolutions-COG2']);

      // WHEN the decision to make MFA optional is acknowledged on the pool alone
      Validations.of(users.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason: 'Passkeys and email codes are first factors that Cognito offers only without MFA; password sign-ins keep optional TOTP MFA.',
      });

      // THEN
      expect(findings(app)).toEqual([]);
    });

    test('SMS codes add the SMS role, whose sns:Publish has no resource to scope to (IAM5), acknowledged on that role', () => {
      // GIVEN
      const { app, users } = wave2(true);
      Validations.of(users.userPool).acknowledge({ id: 'AwsSolutions-COG2', reason: 'Passwordless first factors are offered only without MFA.' });
      expect(findings(app).map((v) => v.ruleName)).toEqual(['AwsSolutions-IAM5[Resource::*]']);

      // WHEN
      Validations.of(users.userPool.node.findChild('smsRole')).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'SNS publishes to phone numbers, which have no ARN; only Cognito with this pool\'s external id assumes the role.',
      });

      // THEN
      expect(findings(app)).toEqual([]);
    });
  });

  describe('a directory run in production: log delivery, web ACL, threat responses and messages', () => {
    test('a directory with every item turned on has no findings and no acknowledgements', () => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
      const users = new UserDirectory(stack, 'Users', {
        email: cognito.UserPoolEmail.withSES({ fromEmail: 'no-reply@example.com', sesRegion: 'us-east-1', sesVerifiedDomain: 'example.com' }),
        verificationMessage: { emailBody: 'Your code is {####}' },
        invitationMessage: { emailBody: 'Sign in as {username} with {####}' },
      });
      users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

      // WHEN
      users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);
      users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS);
      users.addWebAcl();
      users.configureThreatResponses({ notification: { sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com' } });

      // THEN
      expect(findings(app)).toEqual([]);
    });
  });
});

describe('server clients, device tracking, custom domain and branding', () => {
  test('a directory with a server client and device tracking has no findings', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users', {
      domainPrefix: 'notes-auth',
      deviceTracking: { challengeRequiredOnNewDevice: false, deviceOnlyRememberedOnUserPrompt: true },
    });

    // WHEN
    users.addServerClient('Alb', { callbackUrls: ['https://app.example.com/oauth2/idpresponse'] });

    // THEN
    expect(findings(app)).toEqual([]);
  });

  test('a custom domain with its certificate and alias record has no findings', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' });

    // WHEN
    const users = new UserDirectory(stack, 'Users', { customDomain: { domainName: 'auth.example.com', hostedZone: zone } });
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

    // THEN
    expect(findings(app)).toEqual([]);
  });

  test('a web client with its own branding has no findings', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });

    // WHEN
    users.addWebClient('Web', {
      callbackUrls: ['https://app.example.com/'],
      branding: { settings: BrandingSettings.fromJson('{"componentClasses":{"focusState":{"lightMode":{"borderColor":"0972d3ff"}}}}') },
    });

    // THEN
    expect(findings(app)).toEqual([]);
  });
});
