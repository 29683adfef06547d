import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Access, Audience, ScopedApiAccess, ScopedTableAccess } from '../src/access';
import { FederatedIdentityPool, IdentitySource } from '../src/identity-pool';
import { UserDirectory } from '../src/user-directory';

/*
 * ScopedTableAccess and ScopedApiAccess, deployed: a test-only Lambda signs a fresh user in,
 * exchanges the ID token for identity pool credentials and, with those credentials, writes its
 * own item (allowed), another identity's item (denied), calls GET /notes (allowed) and
 * GET /admin (denied) with SigV4.
 *
 * Test-only relaxations: MFA OPTIONAL and a user pool deleted with the stack (the directory's own
 * props), a test app client with ADMIN_USER_PASSWORD auth, and a table deleted with the stack.
 */
const app = new App();
const stack = new Stack(app, 'TableApiAccessInteg');

const users = new UserDirectory(stack, 'Users', {
  removalPolicy: RemovalPolicy.DESTROY,
  deletionProtection: false,
  mfa: cognito.Mfa.OPTIONAL,
});
const client = new cognito.UserPoolClient(stack, 'TestClient', {
  userPool: users.userPool,
  authFlows: { adminUserPassword: true },
  generateSecret: false,
});
const identities = new FederatedIdentityPool(stack, 'Identities', {
  sources: [IdentitySource.userDirectory(users, client)],
  removalPolicy: RemovalPolicy.DESTROY, // the library keeps the pool by default
});

const table = new dynamodb.Table(stack, 'NotesTable', {
  partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'noteId', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  removalPolicy: RemovalPolicy.DESTROY,
});
const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: identities, table });
notes.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE);

const ok = new apigateway.MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }],
});
const rest = new apigateway.RestApi(stack, 'Rest', {
  cloudWatchRole: false,
  defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM, methodResponses: [{ statusCode: '200' }] },
});
rest.root.addResource('notes').addMethod('GET', ok);
rest.root.addResource('admin').addMethod('GET', ok);
const api = new ScopedApiAccess(stack, 'Api', { identityPool: identities, api: rest });
api.allow('/notes/*', Audience.authenticated(), 'GET');

const check = new lambda.Function(stack, 'Check', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  timeout: Duration.minutes(1),
  // Deleted with the stack (a function's log group is kept by default).
  logGroup: new logs.LogGroup(stack, 'CheckLogs', { removalPolicy: RemovalPolicy.DESTROY, retention: logs.RetentionDays.ONE_WEEK }),
  environment: {
    USER_POOL_ID: users.userPool.userPoolId,
    CLIENT_ID: client.userPoolClientId,
    IDENTITY_POOL_ID: identities.identityPoolId,
    PROVIDER: users.userPool.userPoolProviderName,
    TABLE: table.tableName,
    API_URL: rest.url,
  },
  code: lambda.Code.fromInline(`
const crypto = require('crypto');
const { CognitoIdentityProviderClient: Idp, AdminCreateUserCommand, AdminSetUserPasswordCommand, AdminInitiateAuthCommand, AdminDeleteUserCommand } = require('@aws-sdk/client-cognito-identity-provider');
const { CognitoIdentityClient, GetIdCommand, GetCredentialsForIdentityCommand } = require('@aws-sdk/client-cognito-identity');
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const env = process.env;
const hash = (s) => crypto.createHash('sha256').update(s).digest('hex');
const hmac = (k, s) => crypto.createHmac('sha256', k).update(s).digest();

// GET with SigV4 (service execute-api), no body.
async function signedGet(url, c) {
  const u = new URL(url);
  const now = new Date().toISOString().replace(/[:-]|[.][0-9]{3}/g, '');
  const day = now.slice(0, 8);
  const region = env.AWS_REGION;
  const headers = { host: u.host, 'x-amz-date': now, 'x-amz-security-token': c.SessionToken };
  const names = Object.keys(headers).sort();
  const request = ['GET', u.pathname, '', names.map(n => n + ':' + headers[n] + '\\n').join(''), names.join(';'), hash('')].join('\\n');
  const scope = [day, region, 'execute-api', 'aws4_request'].join('/');
  const toSign = ['AWS4-HMAC-SHA256', now, scope, hash(request)].join('\\n');
  let key = hmac('AWS4' + c.SecretKey, day);
  for (const part of [region, 'execute-api', 'aws4_request']) key = hmac(key, part);
  const signature = crypto.createHmac('sha256', key).update(toSign).digest('hex');
  const authorization = 'AWS4-HMAC-SHA256 Credential=' + c.AccessKeyId + '/' + scope + ', SignedHeaders=' + names.join(';') + ', Signature=' + signature;
  const response = await fetch(url, { headers: { ...headers, authorization } });
  return response.status;
}

exports.handler = async () => {
  const idp = new Idp({});
  const username = 'integ-' + crypto.randomUUID();
  const password = 'Aa1!' + crypto.randomBytes(12).toString('hex');
  await idp.send(new AdminCreateUserCommand({ UserPoolId: env.USER_POOL_ID, Username: username, MessageAction: 'SUPPRESS' }));
  try {
    await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: env.USER_POOL_ID, Username: username, Password: password, Permanent: true }));
    const auth = await idp.send(new AdminInitiateAuthCommand({
      UserPoolId: env.USER_POOL_ID, ClientId: env.CLIENT_ID, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }));
    const logins = { [env.PROVIDER]: auth.AuthenticationResult.IdToken };
    const ci = new CognitoIdentityClient({});
    const { IdentityId } = await ci.send(new GetIdCommand({ IdentityPoolId: env.IDENTITY_POOL_ID, Logins: logins }));
    const { Credentials: c } = await ci.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
    const ddb = new DynamoDBClient({ credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken } });
    const put = async (owner) => {
      try {
        await ddb.send(new PutItemCommand({ TableName: env.TABLE, Item: { owner: { S: owner }, noteId: { S: 'n1' } } }));
        return 'ok';
      } catch (e) {
        return e.name === 'AccessDeniedException' ? 'AccessDenied' : 'error:' + e.name;
      }
    };
    return {
      writeOwn: await put(IdentityId),
      writeOther: await put(env.AWS_REGION + ':00000000-0000-0000-0000-000000000000'),
      getNotes: await signedGet(env.API_URL + 'notes', c),
      getAdmin: await signedGet(env.API_URL + 'admin', c),
    };
  } finally {
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: env.USER_POOL_ID, Username: username }));
  }
};
`),
});
check.addToRolePolicy(new iam.PolicyStatement({
  actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminInitiateAuth', 'cognito-idp:AdminDeleteUser'],
  resources: [users.userPool.userPoolArn],
}));

const integ = new IntegTest(app, 'TableApiAccess', { testCases: [stack], diffAssets: true });

integ.assertions.invokeFunction({ functionName: check.functionName })
  .expect(ExpectedResult.objectLike({ Payload: JSON.stringify({ writeOwn: 'ok', writeOther: 'AccessDenied', getNotes: 200, getAdmin: 403 }) }));
