import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { hasAttachedPolicy } from './attached';
import { Audience, ScopedApiAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { UserDirectory } from '../../src/user-directory';

function fixture(options: { guestAccess?: boolean; authorization?: apigateway.AuthorizationType } = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users, web)], guestAccess: options.guestAccess ?? false });
  const rest = new apigateway.RestApi(stack, 'Rest', {
    defaultMethodOptions: { authorizationType: options.authorization ?? apigateway.AuthorizationType.IAM },
  });
  const notes = rest.root.addResource('notes');
  notes.addMethod('GET', new apigateway.MockIntegration());
  notes.addResource('{noteId}').addMethod('DELETE', new apigateway.MockIntegration());
  rest.root.addResource('admin').addMethod('ANY', new apigateway.MockIntegration());
  return { app, stack, pool, rest };
}

function arn(stack: Stack, rest: apigateway.RestApi, tail: string) {
  return {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':execute-api:us-east-1:123456789012:',
      { Ref: stack.getLogicalId(rest.node.defaultChild as apigateway.CfnRestApi) }, '/',
      { Ref: stack.getLogicalId(rest.deploymentStage.node.defaultChild as apigateway.CfnStage) }, tail,
    ]],
  };
}

function expectFails(run: () => unknown, message: RegExp) {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as Error).message).toMatch(message);
}

describe('ScopedApiAccess', () => {
  test('a REST rule invokes exactly the deployment stage, methods and routes', () => {
    // GIVEN
    const { stack, pool, rest } = fixture();

    // WHEN
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    api.allow('/notes/*', Audience.authenticated(), 'GET', 'delete');

    // THEN
    hasAttachedPolicy(stack, {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          Resource: [arn(stack, rest, '/DELETE/notes'), arn(stack, rest, '/DELETE/notes/*'), arn(stack, rest, '/GET/notes'), arn(stack, rest, '/GET/notes/*')],
        }],
      },
      Roles: [{ Ref: stack.getLogicalId(pool.authenticatedRole.node.defaultChild as any) }],
    });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Api', Match.anyValue());
  });

  test('group rules reach only the group role; * lists every method; an explicit stage is used', () => {
    // GIVEN
    const { stack, pool, rest } = fixture();

    // WHEN
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest, stage: 'beta' });
    api.allow('/admin/*', Audience.group('admins'), '*');

    // THEN
    hasAttachedPolicy(stack, {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'execute-api:Invoke',
          // every method listed: a `*` in the method slot would also match `/` (`*/admin` covers `GET /notes/1/admin`)
          Resource: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].flatMap(m => [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:us-east-1:123456789012:', { Ref: stack.getLogicalId(rest.node.defaultChild as any) }, `/beta/${m}/admin`]] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:us-east-1:123456789012:', { Ref: stack.getLogicalId(rest.node.defaultChild as any) }, `/beta/${m}/admin/*`]] },
          ]),
        }],
      },
      Roles: [{ Ref: stack.getLogicalId(pool.roleForGroup('admins').node.defaultChild as any) }],
    });
  });

  test('warns for a covered method without IAM authorization, not for uncovered ones', () => {
    // GIVEN
    const { stack, pool, rest } = fixture();
    rest.root.addResource('open').addMethod('GET', new apigateway.MockIntegration(), { authorizationType: apigateway.AuthorizationType.NONE });
    rest.root.addResource('other').addMethod('POST', new apigateway.MockIntegration(), { authorizationType: apigateway.AuthorizationType.NONE });

    // WHEN
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    api.allow('/open/*', Audience.authenticated(), 'GET');
    api.allow('/notes/*', Audience.authenticated(), 'GET');

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Api', Match.stringLikeRegexp('does not use IAM authorization'));
    expect(warnings.map(w => w.entry.data)).toEqual([expect.stringMatching(/^GET \/open \(Stack\/Rest\/Default\/open\/GET\) does not use IAM authorization, so the rule `\/open\/\*` for authenticated protects nothing there/)]);
  });

  test('an HTTP API uses its $default stage and warns for a covered route without the IAM authorizer', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const http = new apigwv2.HttpApi(stack, 'Http');
    const integration = new HttpUrlIntegration('Url', 'https://example.com');
    http.addRoutes({ path: '/notes', methods: [apigwv2.HttpMethod.GET], integration, authorizer: new HttpIamAuthorizer() });
    http.addRoutes({ path: '/open', methods: [apigwv2.HttpMethod.GET], integration });

    // WHEN
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, httpApi: http });
    api.allow('/notes/*', Audience.authenticated(), 'GET');
    api.allow('/open/*', Audience.authenticated(), 'GET');

    // THEN
    expect(api.stageName).toBe('$default');
    hasAttachedPolicy(stack, {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Resource: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:us-east-1:123456789012:', { Ref: stack.getLogicalId(http.node.defaultChild as any) }, '/$default/GET/notes']] }]),
        })],
      },
    });
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Api', Match.stringLikeRegexp('does not use IAM authorization'));
    expect(warnings.map(w => w.entry.data)).toEqual([expect.stringMatching(/^GET \/open /)]);
  });

  test('describe() lists path, audience and methods', () => {
    // GIVEN
    const { stack, pool, rest } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });

    // WHEN
    api.allow('/notes/*', Audience.authenticated(), 'post', 'GET');
    api.allow('/admin/*', Audience.group('admins'), '*');

    // THEN
    expect(api.describe()).toEqual([
      { path: '/notes/*', audience: 'authenticated', access: 'GET, POST' },
      { path: '/admin/*', audience: 'group:admins', access: '*' },
    ]);
  });
});

describe('ScopedApiAccess bad input', () => {
  test('fails without an API', () => {
    const { stack, pool } = fixture();
    expectFails(() => new ScopedApiAccess(stack, 'Api', { identityPool: pool }), /`api`: Give exactly one API: `api` \(REST\) or `httpApi` \(HTTP\)/);
  });

  test('fails with both APIs', () => {
    const { stack, pool, rest } = fixture();
    const http = new apigwv2.HttpApi(stack, 'Http');
    expectFails(() => new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest, httpApi: http }), /`httpApi`: Give exactly one API/);
  });

  test('fails without an identity pool', () => {
    const { stack, rest } = fixture();
    expectFails(() => new ScopedApiAccess(stack, 'Api', { identityPool: undefined as any, api: rest }), /`identityPool`: ScopedApiAccess needs the identity pool/);
  });

  test('fails for an imported REST API without a stage', () => {
    const { stack, pool } = fixture();
    const imported = apigateway.RestApi.fromRestApiId(stack, 'Imported', 'abc123');
    expectFails(() => new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: imported }), /`stage`: The REST API has no deployment stage/);
  });

  test('fails for a wildcard stage', () => {
    const { stack, pool, rest } = fixture();
    expectFails(() => new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest, stage: '*' }), /`stage`: A stage name is 1-128 letters.*\(received "\*"\)/);
  });

  test('fails for $default on a REST API', () => {
    const { stack, pool, rest } = fixture();
    expectFails(() => new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest, stage: '$default' }), /`stage`: .*`\$default` only for HTTP APIs/);
  });

  test('fails for an unknown method', () => {
    const { stack, pool, rest } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    expectFails(() => api.allow('/notes/*', Audience.authenticated(), 'CONNECT'), /`methods`: is not an HTTP method that API Gateway routes \(received "CONNECT"\)/);
  });

  test('fails without methods', () => {
    const { stack, pool, rest } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    expectFails(() => api.allow('/notes/*', Audience.authenticated()), /`methods`: A route rule needs at least one HTTP method/);
  });

  test('fails for a relative route', () => {
    const { stack, pool, rest } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    expectFails(() => api.allow('notes/*', Audience.authenticated(), 'GET'), /`path`: A route pattern must start with `\/`/);
  });

  test('fails for a route that does not end in /*', () => {
    const { stack, pool, rest } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    expectFails(() => api.allow('/notes', Audience.authenticated(), 'GET'), /`path`: A path must end with `\/\*`/);
  });

  test('fails for a guest rule without guest access: API Gateway is not on Cognito\'s guest service list', () => {
    const { stack, pool, rest } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    expectFails(() => api.allow('/public/*', Audience.guest(), 'GET'), /`audience`: A guest rule on `\/public\/\*` can never work: .* API Gateway \(`execute-api:\*`\) is not on it/);
  });

  test('fails for an unknown group', () => {
    const { stack, pool, rest } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    expectFails(() => api.allow('/admin/*', Audience.group('ghosts'), 'GET'), /The identity pool cannot give group `ghosts` a role/);
  });

  test('fails for an unmapped tag', () => {
    const { stack, pool, rest } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    expectFails(() => api.allow('/t/{tag:tenant}/*', Audience.authenticated(), 'GET'), /`path`: `\{tag:tenant\}` names a principal tag that the identity pool does not map \(the identity pool maps no principal tags\)/);
  });

  test('fails at synth for an inner route IAM cannot carve out, and compiles once the outer audience keeps it', () => {
    // GIVEN
    const { stack, pool, rest } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    api.allow('/notes/*', Audience.authenticated(), 'GET');
    api.allow('/notes/{identity}/*', Audience.owner(), 'GET');
    // THEN
    expectFails(() => Template.fromStack(stack), /IAM cannot deny GET/);

    // and with the authenticated rule on the inner route too, added last, it compiles
    const second = fixture();
    const api2 = new ScopedApiAccess(second.stack, 'Api', { identityPool: second.pool, api: second.rest });
    api2.allow('/notes/*', Audience.authenticated(), 'GET');
    api2.allow('/notes/{identity}/*', Audience.owner(), 'GET');
    api2.allow('/notes/{identity}/*', Audience.authenticated(), 'GET');
    expect(() => Template.fromStack(second.stack)).not.toThrow();
  });
});
