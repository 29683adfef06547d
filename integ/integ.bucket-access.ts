import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Access, Audience, ScopedBucketAccess } from '../src/access';
import { FederatedIdentityPool, IdentitySource } from '../src/identity-pool';
import { UserDirectory } from '../src/user-directory';

/*
 * End to end: two directory users sign in, get identity pool credentials, and each can write and
 * list its own `private/<identity>/` prefix and gets AccessDenied on the other's.
 *
 * Test-only relaxations through the library's own props: MFA OPTIONAL so that a fresh user signs
 * in with a password, a user pool and buckets that are deleted (and emptied) with the stack; and a
 * test app client with ADMIN_USER_PASSWORD auth used only by the check.
 */
const app = new App();
const stack = new Stack(app, 'ScopedBucketAccessInteg');

const users = new UserDirectory(stack, 'Users', {
  removalPolicy: RemovalPolicy.DESTROY,
  deletionProtection: false,
  mfa: cognito.Mfa.OPTIONAL,
});
const testClient = new cognito.UserPoolClient(stack, 'TestClient', {
  userPool: users.userPool,
  authFlows: { adminUserPassword: true },
  generateSecret: false,
});
const identities = new FederatedIdentityPool(stack, 'Identities', {
  sources: [IdentitySource.userDirectory(users, testClient)],
  removalPolicy: RemovalPolicy.DESTROY, // the library keeps the pool by default
});

// The bucket ScopedBucketAccess creates (with its access log bucket), emptied and deleted with the stack.
const files = new ScopedBucketAccess(stack, 'Files', {
  identityPool: identities,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const bucket = files.bucket;
files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);

const check = new lambda.Function(stack, 'Check', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  timeout: Duration.minutes(1),
  // Deleted with the stack (a function's log group is kept by default).
  logGroup: new logs.LogGroup(stack, 'CheckLogs', { removalPolicy: RemovalPolicy.DESTROY, retention: logs.RetentionDays.ONE_WEEK }),
  environment: {
    USER_POOL_ID: users.userPool.userPoolId,
    CLIENT_ID: testClient.userPoolClientId,
    IDENTITY_POOL_ID: identities.identityPoolId,
    PROVIDER: users.userPool.userPoolProviderName,
    BUCKET: bucket.bucketName,
  },
  code: lambda.Code.fromInline(`
const idp = require('@aws-sdk/client-cognito-identity-provider');
const ci = require('@aws-sdk/client-cognito-identity');
const s3 = require('@aws-sdk/client-s3');
const crypto = require('crypto');
const env = process.env;
const cip = new idp.CognitoIdentityProviderClient({});
const cid = new ci.CognitoIdentityClient({});

async function signIn(name) {
  const username = name + '-' + crypto.randomUUID();
  const password = 'Aa1!' + crypto.randomBytes(16).toString('hex');
  await cip.send(new idp.AdminCreateUserCommand({ UserPoolId: env.USER_POOL_ID, Username: username, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: username + '@example.com' }, { Name: 'email_verified', Value: 'true' }] }));
  await cip.send(new idp.AdminSetUserPasswordCommand({ UserPoolId: env.USER_POOL_ID, Username: username, Password: password, Permanent: true }));
  const auth = await cip.send(new idp.AdminInitiateAuthCommand({ UserPoolId: env.USER_POOL_ID, ClientId: env.CLIENT_ID,
    AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  const logins = { [env.PROVIDER]: auth.AuthenticationResult.IdToken };
  const { IdentityId } = await cid.send(new ci.GetIdCommand({ IdentityPoolId: env.IDENTITY_POOL_ID, Logins: logins }));
  const { Credentials: c } = await cid.send(new ci.GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
  const client = new s3.S3Client({ credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretKey, sessionToken: c.SessionToken } });
  return { username, id: IdentityId, client };
}

async function outcome(promise) {
  try { await promise; return 'ok'; } catch (e) { return e.name === 'AccessDenied' || e.Code === 'AccessDenied' ? 'AccessDenied' : 'error:' + e.name; }
}

async function probe(user, other) {
  const own = 'private/' + user.id + '/';
  const theirs = 'private/' + other.id + '/';
  return {
    writeOwn: await outcome(user.client.send(new s3.PutObjectCommand({ Bucket: env.BUCKET, Key: own + 'hello.txt', Body: 'hi' }))),
    listOwn: await outcome(user.client.send(new s3.ListObjectsV2Command({ Bucket: env.BUCKET, Prefix: own }))),
    writeOther: await outcome(user.client.send(new s3.PutObjectCommand({ Bucket: env.BUCKET, Key: theirs + 'x.txt', Body: 'x' }))),
    listOther: await outcome(user.client.send(new s3.ListObjectsV2Command({ Bucket: env.BUCKET, Prefix: theirs }))),
    readOther: await outcome(user.client.send(new s3.GetObjectCommand({ Bucket: env.BUCKET, Key: theirs + 'hello.txt' }))),
    listRoot: await outcome(user.client.send(new s3.ListObjectsV2Command({ Bucket: env.BUCKET }))),
  };
}

exports.handler = async () => {
  const alice = await signIn('alice');
  const bob = await signIn('bob');
  const a = await probe(alice, bob);
  const b = await probe(bob, alice);
  for (const u of [alice, bob]) {
    await cip.send(new idp.AdminDeleteUserCommand({ UserPoolId: env.USER_POOL_ID, Username: u.username }));
  }
  return { alice: a, bob: b };
};
`),
});
check.addToRolePolicy(new iam.PolicyStatement({
  actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminSetUserPassword', 'cognito-idp:AdminInitiateAuth', 'cognito-idp:AdminDeleteUser'],
  resources: [users.userPool.userPoolArn],
}));

const integ = new IntegTest(app, 'ScopedBucketAccess', { testCases: [stack], diffAssets: true });

const expected = { writeOwn: 'ok', listOwn: 'ok', writeOther: 'AccessDenied', listOther: 'AccessDenied', readOther: 'AccessDenied', listRoot: 'AccessDenied' };
integ.assertions.invokeFunction({ functionName: check.functionName })
  .expect(ExpectedResult.objectLike({ Payload: JSON.stringify({ alice: expected, bob: expected }) }));
