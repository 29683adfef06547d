import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Access, Audience, FederatedIdentityPool, IdentitySource, ScopedBucketAccess, UserDirectory } from '../../src';

/*
 * The buckets ScopedBucketAccess creates are kept by default; test and development stacks opt
 * out with `removalPolicy` and `autoDeleteObjects` (integ stacks must destroy cleanly).
 */
function setup() {
  const stack = new Stack(new App(), 'Stack');
  const users = new UserDirectory(stack, 'Users');
  const pool = new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users, users.addWebClient('Web'))] });
  return { stack, pool };
}

const buckets = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket'));

describe('removal of the created buckets', () => {
  test('both buckets (files and access logs) are retained by default, and nothing empties them', () => {
    const { stack, pool } = setup();
    new ScopedBucketAccess(stack, 'Files', { identityPool: pool }).allow('public/*', Audience.authenticated(), Access.READ);
    expect(buckets(stack)).toHaveLength(2);
    for (const bucket of buckets(stack)) {
      expect([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    }
    Template.fromStack(stack).resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('removalPolicy DESTROY with autoDeleteObjects deletes and empties both buckets', () => {
    const { stack, pool } = setup();
    new ScopedBucketAccess(stack, 'Files', { identityPool: pool, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true })
      .allow('public/*', Audience.authenticated(), Access.READ);
    for (const bucket of buckets(stack)) {
      expect([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]).toEqual(['Delete', 'Delete']);
    }
    Template.fromStack(stack).resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });

  test('fails on removalPolicy or autoDeleteObjects with a bucket of your own', () => {
    const { stack, pool } = setup();
    const bucket = new s3.Bucket(stack, 'Mine');
    expect(() => new ScopedBucketAccess(stack, 'A', { identityPool: pool, bucket, removalPolicy: RemovalPolicy.DESTROY }))
      .toThrow(/^`removalPolicy`: `removalPolicy` applies to the buckets ScopedBucketAccess creates, and `bucket` was given \(received "destroy"\)\. Set the removal policy on your own bucket/);
    expect(() => new ScopedBucketAccess(stack, 'B', { identityPool: pool, bucket, autoDeleteObjects: true }))
      .toThrow(/^`autoDeleteObjects`: `autoDeleteObjects` applies to the buckets ScopedBucketAccess creates/);
  });

  test('fails on autoDeleteObjects without removalPolicy DESTROY', () => {
    const { stack, pool } = setup();
    expect(() => new ScopedBucketAccess(stack, 'Files', { identityPool: pool, autoDeleteObjects: true }))
      .toThrow(/^`autoDeleteObjects`: emptying the buckets on delete only makes sense when they are deleted \(received true\)\. Set `removalPolicy: RemovalPolicy\.DESTROY` too/);
  });
});
