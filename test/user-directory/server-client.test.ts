import { App, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as actions from 'aws-cdk-lib/aws-elasticloadbalancingv2-actions';
import { expectInvalid, newStack } from './helpers';
import { ClientConfig } from '../../src/client-config';
import { DirectoryProvider, FederatedSignUp, UserDirectory } from '../../src/user-directory';

const ALB_CALLBACK = 'https://app.example.com/oauth2/idpresponse';

function clientsOf(template: Template): Record<string, any> {
  return template.findResources('AWS::Cognito::UserPoolClient');
}

/** Every `Fn::GetAtt` in the template, as `<logical id>.<attribute>`. */
function getAtts(template: Template): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Fn::GetAtt') {
          found.push((value as string[]).join('.'));
        }
        walk(value);
      }
    }
  };
  walk(template.toJSON());
  return found;
}

describe('server clients', () => {
  test('default: a confidential client with the code grant, openid only, no user flow, and the secret in no Output or custom resource', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });

    // WHEN
    const alb = users.addServerClient('Alb', { callbackUrls: [ALB_CALLBACK] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: [ALB_CALLBACK],
      LogoutURLs: [ALB_CALLBACK],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 43200,
      WriteAttributes: Match.arrayWith(['email']),
    });
    expect(users.serverClients).toEqual([alb]);
    expect(users.webClients).toEqual([]);
    // The secret is never read: no GetAtt ClientSecret, no Output, no Lambda-backed custom resource.
    expect(getAtts(template).filter((a) => a.endsWith('.ClientSecret'))).toEqual([]);
    expect(template.toJSON().Outputs).toBeUndefined();
    expect(Object.keys(template.toJSON().Resources).filter((id) => /Custom|AWS679f53fac002430cb0da5b7982bd2287/.test(id))).toEqual([]);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('an Application Load Balancer authenticates with it: the action names the client id, never its secret', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    const client = users.addServerClient('Alb', { callbackUrls: [ALB_CALLBACK] });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });

    // WHEN
    lb.addListener('Https', {
      port: 443,
      certificates: [acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc')],
      defaultAction: new actions.AuthenticateCognitoAction({
        userPool: users.userPool,
        userPoolClient: client,
        userPoolDomain: users.domain!,
        next: elbv2.ListenerAction.fixedResponse(200, { messageBody: 'signed in' }),
      }),
    });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      DefaultActions: Match.arrayWith([Match.objectLike({
        Type: 'authenticate-cognito',
        AuthenticateCognitoConfig: Match.objectLike({ UserPoolClientId: { Ref: Match.stringLikeRegexp('UsersAlb') } }),
      })]),
    });
    expect(getAtts(template).filter((a) => a.endsWith('.ClientSecret'))).toEqual([]);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('overrides: scopes, logout URLs and token lifetimes', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });

    // WHEN
    users.addServerClient('App', {
      callbackUrls: ['https://app.example.com/callback'],
      logoutUrls: ['https://app.example.com/'],
      scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.days(1),
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthScopes: ['openid', 'email'],
      LogoutURLs: ['https://app.example.com/'],
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 1440,
    });
  });

  test('federated providers reach server clients too, which write what the web clients write', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth', selfSignUp: true });
    users.addCustomAttribute('nickname2', { userWritable: true });
    users.addServerClient('App', { callbackUrls: ['https://app.example.com/callback'] });

    // WHEN the provider is added after the client
    users.addIdentityProvider(DirectoryProvider.google({ clientId: 'google', clientSecret: SecretValue.unsafePlainText('s'), signUp: FederatedSignUp.anyone() }));

    // THEN
    const clients = Object.values(clientsOf(Template.fromStack(stack)));
    expect(clients).toHaveLength(1);
    expect(clients[0].Properties.SupportedIdentityProviders).toEqual(['COGNITO', { Ref: expect.stringMatching(/Google/) }]);
    expect(clients[0].Properties.WriteAttributes).toEqual(expect.arrayContaining(['email', 'custom:nickname2']));
    // and count as a writer of what they write
    expect(users.claimWriters('custom:nickname2').join()).toContain('App');
  });

  test('fails without openid in the scopes', () => {
    const users = new UserDirectory(newStack(), 'Users', { domainPrefix: 'notes-auth' });
    expectInvalid(() => users.addServerClient('App', { callbackUrls: [ALB_CALLBACK], scopes: [cognito.OAuthScope.EMAIL] }),
      { property: 'scopes', received: 'email', fix: 'OAuthScope.OPENID' });
    // the same client with openid works
    expect(() => users.addServerClient('App', { callbackUrls: [ALB_CALLBACK], scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL] })).not.toThrow();
  });

  test('fails with a plain http callback URL, an empty list, or a reused id', () => {
    const users = new UserDirectory(newStack(), 'Users', { domainPrefix: 'notes-auth' });
    expectInvalid(() => users.addServerClient('App', { callbackUrls: ['http://app.example.com/oauth2/idpresponse'] }),
      { property: 'callbackUrls', received: 'http://app.example.com', fix: 'https' });
    expectInvalid(() => users.addServerClient('App', { callbackUrls: [] }), { property: 'callbackUrls', received: '[]', fix: 'at least one URL' });
    users.addServerClient('App', { callbackUrls: ['http://localhost:3000/callback'] });
    expectInvalid(() => users.addServerClient('App', { callbackUrls: [ALB_CALLBACK] }), { property: 'id', received: 'App', fix: 'its own id' });
  });

  test('fails at synth without a domain', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users');
    users.addServerClient('Alb', { callbackUrls: [ALB_CALLBACK] });
    expect(() => app.synth()).toThrow(/`domainPrefix`: server clients \(Alb\) sign users in on the managed login pages, which need a user pool domain \(received no domain\)/);
  });
});

describe('ClientConfig and clients with a secret', () => {
  function setup() {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    return { stack, users };
  }

  test('fails for a server client: the configuration is published to every front end', () => {
    const { stack, users } = setup();
    const server = users.addServerClient('App', { callbackUrls: [ALB_CALLBACK] });
    expectInvalid(() => new ClientConfig(stack, 'Config', { directory: users, client: server }),
      { property: 'client', received: 'Stack/Users/Resource/App', fix: 'addWebClient()' });
  });

  test('fails for a machine client', () => {
    const { stack, users } = setup();
    users.addResourceServer('notes-api', { scopes: { read: 'Read' } });
    const machine = users.addMachineClient('Reports', { scopes: ['notes-api/read'] });
    expectInvalid(() => new ClientConfig(stack, 'Config', { directory: users, client: machine }),
      { property: 'client', received: 'Reports', fix: 'addWebClient()' });
  });

  test('a web client next to a server client still gets its configuration, without any secret', () => {
    const { stack, users } = setup();
    users.addServerClient('App', { callbackUrls: [ALB_CALLBACK] });
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    new ClientConfig(stack, 'Config', { directory: users, client: web });
    const template = Template.fromStack(stack);
    expect(JSON.stringify(template.toJSON().Outputs)).not.toMatch(/ClientSecret|client_secret/);
    expect(getAtts(template).filter((a) => a.endsWith('.ClientSecret'))).toEqual([]);
  });
});

describe('device tracking', () => {
  test('default: no device configuration (Cognito does not remember devices)', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users');
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { DeviceConfiguration: Match.absent() });
  });

  test('override: devices remembered on user prompt, without standing in for MFA, and no warning', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { deviceTracking: { challengeRequiredOnNewDevice: false, deviceOnlyRememberedOnUserPrompt: true } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true },
    });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('rememberedDeviceSkipsMfa'));
  });

  test('a remembered device standing in for MFA warns that it skips the second factor', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users', { deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('remembered device is not asked for a second factor'));
  });

  test('fails when a remembered device would replace MFA and MFA is off', () => {
    expectInvalid(() => new UserDirectory(newStack(), 'Users', {
      mfa: cognito.Mfa.OFF,
      deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
    }), { property: 'deviceTracking', received: 'challengeRequiredOnNewDevice', fix: 'turn MFA on' });
    // device tracking without MFA replacement works with MFA off
    expect(() => new UserDirectory(newStack(), 'Users', {
      mfa: cognito.Mfa.OFF,
      deviceTracking: { challengeRequiredOnNewDevice: false, deviceOnlyRememberedOnUserPrompt: true },
    })).not.toThrow();
  });
});
