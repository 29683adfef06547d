import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Access, Audience, ScopedBucketAccess, StorageEvent } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { UserDirectory } from '../../src/user-directory';

/*
 * What AWS does (independent of the code): S3 sends every event of a bucket whose
 * NotificationConfiguration has EventBridgeConfiguration to the default bus of the bucket's
 * account and Region, as source `aws.s3` with detail-type `Object Created` / `Object Deleted` and
 * detail.bucket.name / detail.object.key (S3 user guide, "Using EventBridge"). A rule's
 * `{"prefix": "public/"}` matches keys starting with those characters, so the trailing `/` is what
 * keeps `publicity/x` out. A Lambda target needs a resource policy that lets events.amazonaws.com
 * invoke it from that rule. No custom resource is needed for any of this.
 */

function setup(env = { account: '123456789012', region: 'us-east-1' }) {
  const app = new App();
  const stack = new Stack(app, 'S', { env });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web');
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, web)],
    principalTags: { tenant: 'custom:tenant' },
  });
  pool.roleForGroup('admins');
  const fn = new lambda.Function(stack, 'Thumbnails', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  return { app, stack, pool, fn };
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

/** Statements of every policy attached to the function's role. */
function fnStatements(template: Template, stack: Stack, fn: lambda.Function): any[] {
  const roleId = stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole);
  return Object.values<any>(template.toJSON().Resources)
    .filter(r => (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') && (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId))
    .flatMap(r => r.Properties.PolicyDocument.Statement);
}

/** No custom resource of any kind, and no Lambda function besides the ones the test made. */
function expectNoCustomResource(template: Template, functions: number) {
  const types = Object.values<any>(template.toJSON().Resources).map(r => r.Type as string);
  expect(types.filter(t => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource')).toEqual([]);
  template.resourceCountIs('AWS::Lambda::Function', functions);
}

describe('storage events', () => {
  test('an upload trigger turns on EventBridge in the bucket resource and adds a rule on the prefix, with no custom resource', () => {
    // GIVEN
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });

    // WHEN
    const rule = files.onObjectCreated('MakeThumbnails', 'public/*', fn);

    // THEN
    const template = Template.fromStack(stack);
    const bucketId = stack.getLogicalId(files.bucket.node.defaultChild as s3.CfnBucket);
    expect(template.toJSON().Resources[bucketId].Properties.NotificationConfiguration)
      .toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    template.resourceCountIs('AWS::Events::Rule', 1);
    template.hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED',
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': { bucket: { name: [{ Ref: bucketId }] }, object: { key: [{ prefix: 'public/' }] } },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [stack.getLogicalId(rule.node.defaultChild as events.CfnRule), 'Arn'] },
    });
    expectNoCustomResource(template, 1);
    // without `access`, the function gets the event and no S3 permission
    expect(JSON.stringify(fnStatements(template, stack, fn))).not.toContain('s3:');
  });

  test('a delete trigger matches Object Deleted', () => {
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });

    files.onObjectRemoved('CleanUp', 'public/*', fn, { description: 'drops thumbnails' });

    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Description: 'drops thumbnails',
      EventPattern: Match.objectLike({ 'detail-type': ['Object Deleted'], 'detail': Match.objectLike({ object: { key: [{ prefix: 'public/' }] } }) }),
    });
  });

  test('`access` adds Audience.principal rules on the same path: the function reads and lists public/ only', () => {
    // GIVEN
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    files.allow('docs/*', Audience.authenticated(), Access.READ);

    // WHEN
    files.onObjectCreated('MakeThumbnails', 'public/*', fn, { access: [Access.READ] });

    // THEN
    const template = Template.fromStack(stack);
    const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(files.bucket.node.defaultChild as s3.CfnBucket), 'Arn'] };
    const statements = fnStatements(template, stack, fn).filter(s => JSON.stringify(s.Action).includes('s3:'));
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, '/public/*']] } },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': ['public/', 'public/*'] } } },
    ]));
    expect(JSON.stringify(statements)).not.toContain('docs/');
    expect(statements.some(s => s.Effect === 'Allow' && /PutObject|DeleteObject/.test(JSON.stringify(s.Action)))).toBe(false);
    expect(files.describe()).toContainEqual({ path: 'public/*', audience: `${Audience.principal(fn)}`, access: 'READ' });
  });

  test('the trigger\'s access joins the bucket\'s rule set: an inner path it is not named on is denied to it', () => {
    // GIVEN an inner path for admins only
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    files.allow('public/reports/*', Audience.group('admins'), Access.READ);

    // WHEN
    files.onObjectCreated('MakeThumbnails', 'public/*', fn, { access: [Access.READ] });

    // THEN the function's role has an explicit Deny on public/reports/
    const denies = fnStatements(Template.fromStack(stack), stack, fn).filter(s => s.Effect === 'Deny');
    expect(JSON.stringify(denies)).toContain('public/reports/');
  });

  test('several events share one EventBridge switch; any rule target works', () => {
    // GIVEN
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    const target: events.IRuleTarget = { bind: () => ({ arn: 'arn:aws:sqs:us-east-1:123456789012:uploads' }) };

    // WHEN
    files.onObjectCreated('MakeThumbnails', 'public/*', fn);
    files.addStorageEvent('AuditDeletes', StorageEvent.OBJECT_REMOVED, 'private/*', target);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': ['Object Deleted'], 'detail': Match.objectLike({ object: { key: [{ prefix: 'private/' }] } }) }),
      Targets: [Match.objectLike({ Arn: 'arn:aws:sqs:us-east-1:123456789012:uploads' })],
    });
    expect(template.toJSON().Resources[stack.getLogicalId(files.bucket.node.defaultChild as s3.CfnBucket)].Properties.NotificationConfiguration)
      .toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    expectNoCustomResource(template, 1);
  });

  test('a bucket created in the app and passed in gets EventBridge in its own resource', () => {
    const { stack, pool, fn } = setup();
    const bucket = new s3.Bucket(stack, 'Mine', { enforceSSL: true });
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket });

    files.onObjectCreated('MakeThumbnails', 'public/*', fn);

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
    expectNoCustomResource(template, 1);
  });

  test('fails for `{identity}` and `{tag:NAME}` paths; the literal prefix before them works', () => {
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });

    expectFails(() => files.onObjectCreated('A', 'protected/{identity}/*', fn), /literal prefix.*`protected\/\*`/s);
    expectFails(() => files.onObjectCreated('B', 'tenants/{tag:tenant}/*', fn, { access: [Access.READ] }), /literal prefix.*`tenants\/\*`/s);
    // nothing was added by the refused calls (no rule, no access)
    expect(files.describe()).toEqual([]);
    expect(files.node.children.filter(c => c instanceof events.Rule)).toEqual([]);

    files.onObjectCreated('C', 'protected/*', fn);
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 1);
  });

  test('fails for paths the library syntax refuses and for characters that may arrive URL-encoded', () => {
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });

    expectFails(() => files.onObjectCreated('A', 'public', fn), /must end with `\/\*`/);
    expectFails(() => files.onObjectCreated('B', '*', fn), /at least one segment/);
    expectFails(() => files.onObjectCreated('C', 'my photos/*', fn), /URL-encoded/);
    expectFails(() => files.addStorageEvent('D', StorageEvent.OBJECT_CREATED, 'public/*', undefined as any), /needs a target/);
    expectFails(() => files.onObjectCreated('E', 'public/*', undefined as any), /needs the function/);

    files.onObjectCreated('F', 'my-photos_2.0/*', fn);
  });

  test('fails for an imported bucket (switching EventBridge on would need a custom resource)', () => {
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket: s3.Bucket.fromBucketName(stack, 'Imported', 'uploads-bucket') });

    expectFails(() => files.onObjectCreated('A', 'public/*', fn), /imported bucket.*custom resource/s);
  });

  test('fails when the bucket is in another Region than the construct', () => {
    const { app, stack, pool, fn } = setup();
    const other = new Stack(app, 'Eu', { env: { account: '123456789012', region: 'eu-west-1' } });
    const bucket = new s3.Bucket(other, 'Mine');
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket });

    expectFails(() => files.onObjectCreated('A', 'public/*', fn), /bucket's own account and Region/);
  });

  test('fails at synth when aws-cdk-lib notifications would rewrite the configuration', () => {
    const { stack, pool, fn } = setup();
    const bucket = new s3.Bucket(stack, 'Mine');
    bucket.addObjectCreatedNotification(new s3n.SnsDestination(new sns.Topic(stack, 'T')));
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket });
    files.onObjectCreated('A', 'public/*', fn);

    expect(() => Template.fromStack(stack)).toThrow(/rewrites the bucket's whole notification configuration/);
  });
});
