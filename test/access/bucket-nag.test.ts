import { App, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

test('the DESIGN.md bucket scenario has no unacknowledged cdk-nag findings', () => {
  // GIVEN
  const app = new App();
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, web)], guestAccess: true, principalTags: { tenant: 'custom:tenant' },
  });
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, corsOrigins: ['https://app.example.com'] });
  files.allow('public/*', Audience.guest(), Access.READ);
  files.allow('public/*', Audience.authenticated(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
  files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
  files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);

  // The scenario enables guest access on purpose (DESIGN.md: guests read public/*).
  Validations.of(pool.identityPool).acknowledge({
    id: 'AwsSolutions-COG7',
    reason: 'Guest (unauthenticated) identities are intended: they receive only the guest role, which may read public/* of this bucket.',
  });

  // WHEN
  const violations = new AwsSolutionsChecks(app).validateScope(app).violations;

  // THEN
  expect(violations.map((v: any) => `${v.ruleName ?? v.ruleId} ${JSON.stringify(v.violatingResources?.map((r: any) => r.resourceLogicalId ?? r.locations) ?? v)}`)).toEqual([]);
});

test('buckets sharing one log bucket, and a bucket logging to a given log bucket, have no cdk-nag findings', () => {
  // GIVEN: an app with the flag a new `cdk init` app has (log delivery through bucket policies)
  const app = new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true } });
  const stack = new Stack(app, 'NagShared', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, web)] });
  const logs = userLogBucket(stack);

  // WHEN
  for (const id of ['Files', 'Photos', 'Exports']) {
    new ScopedBucketAccess(stack, id, { identityPool: pool }).allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
  }
  new ScopedBucketAccess(stack, 'Audit', { identityPool: pool, accessLogsBucket: logs }).allow('private/{identity}/*', Audience.owner(), Access.READ);
  const violations = new AwsSolutionsChecks(app).validateScope(app).violations;

  // THEN
  expect(violations.map((v: any) => `${v.ruleName ?? v.ruleId} ${JSON.stringify(v.violatingResources?.map((r: any) => r.resourceLogicalId ?? r.locations) ?? v)}`)).toEqual([]);
});

/** A log bucket as a careful user writes one: private, TLS only, encrypted, versioned, itself logged. */
function userLogBucket(stack: Stack): s3.Bucket {
  const common = {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  };
  const own = new s3.Bucket(stack, 'AuditLogsOfLogs', common);
  return new s3.Bucket(stack, 'AuditLogs', { ...common, serverAccessLogsBucket: own });
}

test('storage events (an EventBridge rule, a function with its access) add no cdk-nag findings of their own', () => {
  // GIVEN
  const app = new App();
  const stack = new Stack(app, 'NagEvents', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, web)] });
  const fn = new lambda.Function(stack, 'Thumbnails', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });

  // WHEN
  files.onObjectCreated('MakeThumbnails', 'public/*', fn, { access: [Access.READ] });
  files.onObjectRemoved('DropThumbnails', 'public/*', fn, { access: [Access.DELETE] });
  const violations = new AwsSolutionsChecks(app).validateScope(app).violations;

  // THEN only the function's own role (aws-cdk-lib's AWSLambdaBasicExecutionRole, not ours) is reported
  const ours = violations.filter((v: any) => !`${v.ruleName}`.startsWith('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]'));
  expect(ours.map((v: any) => `${v.ruleName ?? v.ruleId} ${JSON.stringify(v.violatingResources?.map((r: any) => r.resourceLogicalId ?? r.locations) ?? v)}`)).toEqual([]);
});
