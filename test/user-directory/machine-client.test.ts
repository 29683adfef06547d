import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { expectInvalid, newStack } from './helpers';
import { UserDirectory } from '../../src';

const NOTES_SCOPES = { 'notes.read': 'Read notes', 'reports.read': 'Read reports' };

function clientsOf(template: Template): Record<string, any> {
  return template.findResources('AWS::Cognito::UserPoolClient');
}

describe('resource servers', () => {
  test('render identifier, name and scopes, and list their custom scopes', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });

    // WHEN
    const server = users.addResourceServer('notes-api', { scopes: NOTES_SCOPES, name: 'Notes API' });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'notes-api',
      Name: 'Notes API',
      Scopes: [
        { ScopeName: 'notes.read', ScopeDescription: 'Read notes' },
        { ScopeName: 'reports.read', ScopeDescription: 'Read reports' },
      ],
    });
    expect(users.resourceServers).toEqual([server]);
    expect(users.customScopes).toEqual(['notes-api/notes.read', 'notes-api/reports.read']);
  });

  test('a URL identifier gets a valid default name', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addResourceServer('https://api.example.com', { scopes: { read: 'Read' } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'https://api.example.com',
      Name: 'https---api.example.com',
    });
  });
});

describe('machine clients', () => {
  test('client credentials with a secret, custom scopes, explicit token lifetime, no user flow and no attributes', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });

    // WHEN
    const reports = users.addMachineClient('Reports', { scopes: ['notes-api/reports.read'] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['notes-api/reports.read'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      ReadAttributes: [],
      WriteAttributes: [],
      AccessTokenValidity: 60,
      TokenValidityUnits: { AccessToken: 'minutes' },
      EnableTokenRevocation: true,
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: Match.absent(),
      RefreshTokenRotation: Match.absent(),
    });
    expect(users.machineClients).toEqual([reports]);
    expect(users.webClients).toEqual([]);
  });

  test('WriteAttributes is an explicit empty list, so a check of every app client sees a client that writes nothing', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });
    const reports = users.addMachineClient('Reports', { scopes: ['notes-api/reports.read'] });
    const cfn = reports.node.defaultChild as cognito.CfnUserPoolClient;
    expect(stack.resolve(cfn.writeAttributes)).toEqual([]);
    expect(stack.resolve(cfn.readAttributes)).toEqual([]);
  });

  test('the claim-writability check of every app client finds no writer in a machine client', () => {
    // GIVEN an admin-only attribute and a machine client (no web client)
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addCustomAttribute('tenant', { mutable: false });
    users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });
    users.addMachineClient('Reports', { scopes: ['notes-api/reports.read'] });

    // THEN neither a custom nor a standard attribute is writable through it
    expect(users.claimWriters('custom:tenant')).toEqual([]);
    expect(users.claimWriters('email')).toEqual([]);
    expect(users.isClaimUserWritable('custom:tenant')).toBe(false);
  });

  test('depends on the resource servers of its scopes, whichever was added first', () => {
    // GIVEN a server before the client, and one after it
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });
    users.addResourceServer('unused-api', { scopes: { x: 'Unused' } });
    users.addMachineClient('Reports', { scopes: ['notes-api/reports.read', 'billing-api/invoices.read'] });
    users.addResourceServer('billing-api', { scopes: { 'invoices.read': 'Read invoices' } });

    // THEN the client depends on both servers it uses, and not on the other one
    const template = Template.fromStack(stack);
    const [client] = Object.values(clientsOf(template));
    const servers = template.findResources('AWS::Cognito::UserPoolResourceServer');
    const idOf = (identifier: string) => Object.keys(servers).find((k) => servers[k].Properties.Identifier === identifier)!;
    expect([...client.DependsOn].sort()).toEqual([idOf('billing-api'), idOf('notes-api')].sort());
  });

  test('access token lifetime can be set', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });
    users.addMachineClient('Reports', { scopes: ['notes-api/notes.read'], accessTokenValidity: Duration.minutes(15) });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', { AccessTokenValidity: 15 });
  });

  test('a directory with a machine client and no web client synthesizes', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });
    users.addMachineClient('Reports', { scopes: ['notes-api/notes.read'] });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('a machine client\'s scope on a client users sign in through', () => {
  // Cognito issues a user an access token with every scope their app client requests among the
  // scopes it allows (Developer Guide, "Scopes, M2M, and API authorization with resource
  // servers"): a scope a web client may request is a scope every user of it may get.
  const WARNING = 'cdk-federated-access:machineScopeOnUserClient';

  function setup(selfSignUp: boolean) {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth', selfSignUp });
    const server = users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });
    users.addMachineClient('Reports', { scopes: ['notes-api/reports.read'] });
    return { stack, users, server };
  }

  test('warns, naming the scope and both clients, and says what self sign-up adds', () => {
    // GIVEN a directory with self sign-up whose reports job holds notes-api/reports.read
    const { stack, users } = setup(true);

    // WHEN the web client may request it too
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.custom('notes-api/reports.read')] });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp(
      '^The scope notes-api/reports.read of machine client Stack/Users/Resource/Reports may also be requested through Stack/Users/Resource/Web, '
      + `a client users sign in through: every user of that client \\(and with self sign-up anyone can become one\\).*\\[ack: ${WARNING}\\]$`));
  });

  test('warns on a scope written with OAuthScope.resourceServer() and without self sign-up', () => {
    const { stack, users, server } = setup(false);
    users.addWebClient('Web', {
      callbackUrls: ['https://app.example.com/'],
      scopes: [cognito.OAuthScope.resourceServer(server, new cognito.ResourceServerScope({ scopeName: 'reports.read', scopeDescription: 'Read reports' }))],
    });
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Users', Match.stringLikeRegexp(WARNING));
    expect(warnings.map((w) => String(w.entry.data))).toEqual([expect.stringMatching(/^The scope notes-api\/reports\.read .* every user of that client gets access tokens/)]);
  });

  test('warns on a client added to the pool outside the directory', () => {
    const { stack, users } = setup(false);
    (users.userPool as cognito.UserPool).addClient('Legacy', {
      oAuth: { flows: { authorizationCodeGrant: true }, callbackUrls: ['https://legacy.example.com/'], scopes: [cognito.OAuthScope.custom('notes-api/reports.read')] },
    });
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('through Stack/Users/Resource/Legacy'));
  });

  test('a web client with a scope of its own, and the machine client with its own, has no warning', () => {
    const { stack, users } = setup(true);
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.custom('notes-api/notes.read')] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp(WARNING));
  });
});

describe('refresh-token rotation of web clients', () => {
  test('is on by default with no grace period, and ALLOW_REFRESH_TOKEN_AUTH is off', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Web');
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    });
  });

  test('takes a grace period', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Web', { refreshTokenRotationGracePeriod: Duration.seconds(10) });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
    });
  });

  test('can be turned off, which brings back ALLOW_REFRESH_TOKEN_AUTH', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Web', { refreshTokenRotation: false });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: Match.absent(),
    });
  });

  test('is off by default on the Lite plan, which has no rotation', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { featurePlan: cognito.FeaturePlan.LITE });
    users.addWebClient('Web');
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: Match.absent(),
    });
  });
});

describe('resource servers, machine clients and rotation: bad input', () => {
  function directory(): UserDirectory {
    return new UserDirectory(newStack(), 'Users', { domainPrefix: 'notes-auth' });
  }

  test('fails on an identifier with a space', () => {
    expectInvalid(() => directory().addResourceServer('notes api', { scopes: NOTES_SCOPES }),
      { property: 'identifier', received: '"notes api"', fix: 'Use a name such as `notes-api`' });
  });

  test('fails on an identifier only known at deploy time', () => {
    expectInvalid(() => directory().addResourceServer(Token.asString({ Ref: 'Id' }), { scopes: NOTES_SCOPES }),
      { property: 'identifier', received: '<token>', fix: 'Pass a literal string' });
  });

  test('fails on a duplicate identifier', () => {
    const users = directory();
    users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });
    expectInvalid(() => users.addResourceServer('notes-api', { scopes: { other: 'Other' } }),
      { property: 'identifier', received: '"notes-api"', fix: 'Add each resource server once' });
  });

  test('fails on a server without scopes', () => {
    expectInvalid(() => directory().addResourceServer('notes-api', { scopes: {} }),
      { property: 'scopes', received: '{}', fix: 'Add a scope such as' });
  });

  test('fails on a scope name with a slash', () => {
    expectInvalid(() => directory().addResourceServer('notes-api', { scopes: { 'notes/read': 'Read notes' } }),
      { property: 'scopes', received: '"notes/read"', fix: 'Use a name such as `notes.read`' });
  });

  test('fails on an empty scope description', () => {
    expectInvalid(() => directory().addResourceServer('notes-api', { scopes: { 'notes.read': '' } }),
      { property: 'scopes', received: '{"notes.read":""}', fix: 'Describe what `notes.read` allows' });
  });

  test('fails on more than 100 scopes', () => {
    const scopes = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`s${i}`, `Scope ${i}`]));
    expectInvalid(() => directory().addResourceServer('notes-api', { scopes }),
      { property: 'scopes', received: '101 scopes', fix: 'Split them over several resource servers' });
  });

  test('fails on a server name with characters Cognito refuses', () => {
    expectInvalid(() => directory().addResourceServer('notes-api', { scopes: NOTES_SCOPES, name: 'Notes: API' }),
      { property: 'name', received: '"Notes: API"', fix: 'Use a name such as `Notes API`' });
  });

  test('fails on a machine client without scopes', () => {
    expectInvalid(() => directory().addMachineClient('Reports', { scopes: [] }),
      { property: 'scopes', received: '[]', fix: 'List scopes such as `notes-api/notes.read`' });
  });

  test('fails on an OpenID scope for a machine client', () => {
    expectInvalid(() => directory().addMachineClient('Reports', { scopes: ['openid'] }),
      { property: 'scopes', received: '"openid"', fix: 'Use custom scopes of a resource server' });
  });

  test('fails on a scope without its resource server identifier', () => {
    expectInvalid(() => directory().addMachineClient('Reports', { scopes: ['notes.read'] }),
      { property: 'scopes', received: '"notes.read"', fix: 'Use the form `notes-api/notes.read`' });
  });

  test('fails on a scope listed twice', () => {
    expectInvalid(() => directory().addMachineClient('Reports', { scopes: ['notes-api/notes.read', 'notes-api/notes.read'] }),
      { property: 'scopes', received: '["notes-api/notes.read","notes-api/notes.read"]', fix: 'List each scope once' });
  });

  test('fails on an access token lifetime over a day', () => {
    expectInvalid(() => directory().addMachineClient('Reports', { scopes: ['notes-api/notes.read'], accessTokenValidity: Duration.days(2) }),
      { property: 'accessTokenValidity', received: '"2 days"', fix: 'Use e.g. `Duration.minutes(60)`' });
  });

  test('fails on a client id already taken', () => {
    const users = directory();
    users.addWebClient('Reports');
    expectInvalid(() => users.addMachineClient('Reports', { scopes: ['notes-api/notes.read'] }),
      { property: 'id', received: '"Reports"', fix: 'Give each app client its own id' });
  });

  test('fails at synth on a scope no resource server defines', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });
    users.addMachineClient('Reports', { scopes: ['notes-api/notes.write'] });
    expect(() => app.synth()).toThrow(/`scopes`: machine client Reports asks for a scope no resource server of this directory defines \(received "notes-api\/notes.write"\)\. Add it with addResourceServer\(\), or use one of: notes-api\/notes.read, notes-api\/reports.read/);
  });

  test('fails at synth on a machine client without a domain (no token endpoint)', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users');
    users.addResourceServer('notes-api', { scopes: NOTES_SCOPES });
    users.addMachineClient('Reports', { scopes: ['notes-api/notes.read'] });
    expect(() => app.synth()).toThrow(/`domainPrefix`: machine clients \(Reports\) get tokens from the token endpoint, which needs a user pool domain \(received no domain\)\. Set `domainPrefix` or `customDomain`/);
  });

  test('fails on refresh-token rotation with the Lite plan', () => {
    const users = new UserDirectory(newStack(), 'Users', { featurePlan: cognito.FeaturePlan.LITE });
    expectInvalid(() => users.addWebClient('Web', { refreshTokenRotation: true }),
      { property: 'refreshTokenRotation', received: 'true', fix: '`FeaturePlan.ESSENTIALS`' });
  });

  test('fails on a grace period over 60 seconds', () => {
    expectInvalid(() => directory().addWebClient('Web', { refreshTokenRotationGracePeriod: Duration.seconds(61) }),
      { property: 'refreshTokenRotationGracePeriod', received: '"1 minute 1 second"', fix: 'Use e.g. `Duration.seconds(0)`' });
  });

  test('fails on a grace period without rotation', () => {
    expectInvalid(() => directory().addWebClient('Web', { refreshTokenRotation: false, refreshTokenRotationGracePeriod: Duration.seconds(5) }),
      { property: 'refreshTokenRotationGracePeriod', received: '"5 seconds"', fix: 'turn `refreshTokenRotation` on' });
  });
});
