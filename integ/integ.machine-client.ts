/**
 * A machine client of a UserDirectory signs in with the client-credentials grant at the token
 * endpoint, and gets an access token for its resource server scope only.
 *
 * The stack needs nothing prepared outside it: the domain prefix is derived from the stack id (so
 * it is unique per deployment) and the pool opts out of RETAIN and deletion protection, so
 * `integ-runner` destroys everything. The assertion provider reads the client secret with
 * DescribeUserPoolClient and logs its requests: the secret and tokens of this test pool end up in
 * the provider's CloudWatch logs until the stack is destroyed.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { UserDirectory } from '../src';

// The SDK v3 package name: integ-tests derives the IAM action from it (`cognito-idp:...`); the
// short name `CognitoIdentityProvider` would grant the non-existent `cognitoidentityprovider:...`.
const COGNITO_IDP = '@aws-sdk/client-cognito-identity-provider';

const app = new App();
const stack = new Stack(app, 'MachineClientInteg');

// `arn:...:stack/MachineClientInteg/<uuid>`: the uuid keeps the global domain prefix unique.
const prefix = Fn.join('-', ['m2m', Fn.select(2, Fn.split('/', stack.stackId))]);
const users = new UserDirectory(stack, 'Users', {
  domainPrefix: prefix,
  removalPolicy: RemovalPolicy.DESTROY,
  deletionProtection: false,
});
users.addResourceServer('m2m-integ', { scopes: { 'reports.read': 'Read reports' } });
const reports = users.addMachineClient('Reports', { scopes: ['m2m-integ/reports.read'], accessTokenValidity: Duration.minutes(15) });

const integ = new IntegTest(app, 'MachineClient', { testCases: [stack] });

// The client as Cognito sees it: client credentials only, a secret, the one scope, no user flow.
integ.assertions.awsApiCall(COGNITO_IDP, 'DescribeUserPoolClient', {
  UserPoolId: users.userPoolId,
  ClientId: reports.userPoolClientId,
}).expect(ExpectedResult.objectLike({
  UserPoolClient: {
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['m2m-integ/reports.read'],
    ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    AccessTokenValidity: 15,
  },
}));

// Sign in with client credentials (HTTP Basic: base64 of `<client id>:<client secret>`).
const secret = integ.assertions.awsApiCall(COGNITO_IDP, 'DescribeUserPoolClient', {
  UserPoolId: users.userPoolId,
  ClientId: reports.userPoolClientId,
}).getAttString('UserPoolClient.ClientSecret');
const tokenEndpoint = `${users.domain!.baseUrl()}/oauth2/token`;
const tokenRequest = (scope: string) => ({
  method: 'POST',
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded',
    'Authorization': `Basic ${Fn.base64(Fn.join(':', [reports.userPoolClientId, secret]))}`,
  },
  body: `grant_type=client_credentials&scope=${encodeURIComponent(scope)}`,
});

// The granted scope: a bearer access token for 15 minutes.
integ.assertions.httpApiCall(tokenEndpoint, tokenRequest('m2m-integ/reports.read'))
  .expect(ExpectedResult.objectLike({
    ok: true,
    status: 200,
    body: { token_type: 'Bearer', expires_in: 900, access_token: Match.stringLikeRegexp('^ey') },
  }));

// A scope the client was not given: no token.
integ.assertions.httpApiCall(tokenEndpoint, tokenRequest('m2m-integ/reports.write'))
  .expect(ExpectedResult.objectLike({ ok: false, status: 400, body: { error: 'invalid_scope' } }));

app.synth();
