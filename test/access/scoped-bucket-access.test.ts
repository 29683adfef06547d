import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { attachedPolicies } from './attached';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

function setup(options: { guestAccess?: boolean } = {}) {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, web)],
    guestAccess: options.guestAccess ?? true,
    principalTags: { tenant: 'custom:tenant' },
  });
  return { app, stack, users, pool };
}

/** Every policy attached to a role (managed or inline), in the shape of a policy resource. */
const policies = (stack: Stack) => attachedPolicies(stack).map(p => ({ Properties: { Roles: p.Roles, PolicyDocument: p.PolicyDocument } }));
const statementsOf = (stack: Stack) => Object.values(policies(stack)).flatMap((p: any) => p.Properties.PolicyDocument.Statement);

describe('the created bucket', () => {
  test('is private, TLS only, encrypted, versioned, retained, logged, with lifecycle rules', () => {
    // GIVEN
    const { stack, pool } = setup();
    // WHEN
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    files.allow('public/*', Audience.authenticated(), Access.READ);
    // THEN
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::S3::Bucket', 2);
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('ScopedBucketAccessLogsBucket') }, LogFilePrefix: 'access-logs/Files/' },
        LifecycleConfiguration: { Rules: [{ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }] },
      },
    });
    // both buckets deny plain HTTP
    const denies = Object.values(t.findResources('AWS::S3::BucketPolicy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
    expect(denies).toHaveLength(2);
    // logs are delivered through a bucket policy, not ACLs
    expect(JSON.stringify(t.findResources('AWS::S3::BucketPolicy'))).toContain('logging.s3.amazonaws.com');
    expect(JSON.stringify(t.findResources('AWS::S3::Bucket'))).not.toContain('LogDeliveryWrite');
    expect(files.bucket).toBe(files.node.findChild('Bucket'));
  });

  test('buckets created in one stack share one log bucket, each under its own prefix: 2 resources per bucket, 2 per stack', () => {
    // GIVEN
    const { stack, pool } = setup();
    // WHEN
    const created = ['Files', 'Photos', 'Exports'].map(id => new ScopedBucketAccess(stack, id, { identityPool: pool }));
    created.forEach(c => c.allow('public/*', Audience.authenticated(), Access.READ));
    // THEN
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::S3::Bucket', 4);
    t.resourceCountIs('AWS::S3::BucketPolicy', 4);
    const logs = created[0].accessLogsBucket!;
    expect(created.map(c => c.accessLogsBucket)).toEqual([logs, logs, logs]);
    const logsId = stack.resolve((logs.node.defaultChild as s3.CfnBucket).logicalId);
    for (const c of created) {
      t.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { DestinationBucketName: { Ref: logsId }, LogFilePrefix: `access-logs/${c.node.id}/` },
      });
    }
    // the log bucket is as secure as the others and admits each bucket's logs under its prefix only
    t.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ VersioningConfiguration: { Status: 'Enabled' }, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }),
    });
    const logPolicy = Object.values<any>(t.findResources('AWS::S3::BucketPolicy')).find(p => p.Properties.Bucket.Ref === logsId);
    const delivery = logPolicy.Properties.PolicyDocument.Statement.filter((st: any) => st.Principal?.Service === 'logging.s3.amazonaws.com');
    expect(delivery.map((st: any) => JSON.stringify(st.Resource))).toEqual(created.map(c => expect.stringContaining(`/access-logs/${c.node.id}/*`)));
    expect(delivery.every((st: any) => st.Condition.ArnLike['aws:SourceArn'] !== undefined)).toBe(true);
    expect(logPolicy.Properties.PolicyDocument.Statement.some((st: any) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
  });

  test('a log bucket takes buckets while their delivery statements fit its 20 KB policy, then the next one opens', () => {
    // GIVEN
    const { stack, pool } = setup();
    // WHEN: 60 buckets with long construct paths
    const created = Array.from({ length: 60 }, (_, i) => new ScopedBucketAccess(stack, `Files-with-a-rather-long-construct-id-${i}`, { identityPool: pool }));
    // THEN
    const logBuckets = [...new Set(created.map(c => c.accessLogsBucket))];
    expect(logBuckets.length).toBe(2);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::S3::Bucket', 62);
    // every bucket policy, at worst-case lengths (63-character bucket names, aws-us-gov), under 20 KB
    const worst = (v: any): any => (Array.isArray(v) ? v.map(worst) : v && typeof v === 'object'
      ? ('Ref' in v ? 'b'.repeat(63) : 'Fn::GetAtt' in v ? `arn:aws-us-gov:s3:::${'b'.repeat(63)}` : 'Fn::Join' in v ? v['Fn::Join'][1].map(worst).join(v['Fn::Join'][0])
        : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, worst(x)]))) : v);
    const sizes = Object.values<any>(t.findResources('AWS::S3::BucketPolicy')).map(p => JSON.stringify(worst(p.Properties.PolicyDocument)).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(20_480);
    expect(Math.max(...sizes)).toBeGreaterThan(15_000); // the first log bucket is well used
  });

  test('buckets share a log bucket only with buckets of the same removal policy, which the log bucket then has', () => {
    // GIVEN
    const { stack, pool } = setup();
    // WHEN
    const kept = [new ScopedBucketAccess(stack, 'Kept1', { identityPool: pool }), new ScopedBucketAccess(stack, 'Kept2', { identityPool: pool })];
    const scratch = [1, 2].map(i => new ScopedBucketAccess(stack, `Scratch${i}`, { identityPool: pool, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true }));
    // THEN
    expect(kept[0].accessLogsBucket).toBe(kept[1].accessLogsBucket);
    expect(scratch[0].accessLogsBucket).toBe(scratch[1].accessLogsBucket);
    expect(kept[0].accessLogsBucket).not.toBe(scratch[0].accessLogsBucket);
    const t = Template.fromStack(stack).toJSON();
    const logical = (b: s3.IBucket) => stack.resolve((b.node.defaultChild as s3.CfnBucket).logicalId);
    expect(t.Resources[logical(kept[0].accessLogsBucket!)].DeletionPolicy).toBe('Retain');
    expect(t.Resources[logical(scratch[0].accessLogsBucket!)].DeletionPolicy).toBe('Delete');
    // the destroyed log bucket is emptied like the buckets that log to it; the retained one is not
    const autoDeleted = Object.values<any>(t.Resources).filter(r => r.Type === 'Custom::S3AutoDeleteObjects').map(r => r.Properties.BucketName.Ref);
    expect(autoDeleted).toContain(logical(scratch[0].accessLogsBucket!));
    expect(autoDeleted).not.toContain(logical(kept[0].accessLogsBucket!));
  });

  test('accessLogsBucket replaces the shared log bucket', () => {
    // GIVEN
    const { stack, pool } = setup();
    const logs = new s3.Bucket(stack, 'MyLogs', { enforceSSL: true });
    // WHEN
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, accessLogsBucket: logs });
    // THEN
    expect(files.accessLogsBucket).toBe(logs);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::S3::Bucket', 2);
    t.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: stack.resolve((logs.node.defaultChild as s3.CfnBucket).logicalId) }, LogFilePrefix: 'access-logs/Files/' },
    });
  });

  test('has no CORS rule by default', () => {
    // GIVEN
    const { stack, pool } = setup();
    // WHEN
    new ScopedBucketAccess(stack, 'Files', { identityPool: pool }).allow('public/*', Audience.authenticated(), Access.READ);
    // THEN
    expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('CorsConfiguration');
  });

  test('CORS for the given origins, methods from the granted access, ETag exposed', () => {
    // GIVEN
    const { stack, pool } = setup();
    // WHEN
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, corsOrigins: ['https://app.example.com'] });
    files.allow('public/*', Audience.authenticated(), Access.READ);
    files.allow('private/{identity}/*', Audience.owner(), Access.WRITE);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [{
          AllowedOrigins: ['https://app.example.com'],
          AllowedMethods: ['GET', 'HEAD', 'PUT', 'POST'],
          AllowedHeaders: Match.arrayWith(['content-type', 'x-amz-*']),
          ExposedHeaders: ['ETag'],
          MaxAge: 3600,
        }],
      },
    });
  });

  test('any origin only with allowAnyOrigin', () => {
    // GIVEN
    const { stack, pool } = setup();
    // WHEN
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, allowAnyOrigin: true });
    files.allow('public/*', Audience.authenticated(), Access.DELETE);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['*'], AllowedMethods: ['DELETE'] })] },
    });
  });
});

describe('policies', () => {
  test('group rules reach only the group role, owner rules every authenticated role, guest rules the guest role', () => {
    // GIVEN
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    // WHEN
    files.allow('public/*', Audience.guest(), Access.GET);
    files.allow('private/{identity}/*', Audience.owner(), Access.WRITE);
    files.allow('admin/*', Audience.group('admins'), Access.DELETE);
    // THEN
    const id = (r: iam.IRole) => stack.resolve((r.node.defaultChild as iam.CfnRole).logicalId);
    const rolesWith = (action: string) => Object.values(policies(stack))
      .filter((p: any) => JSON.stringify(p.Properties.PolicyDocument).includes(action))
      .flatMap((p: any) => p.Properties.Roles.map((r: any) => r.Ref)).sort();
    expect(rolesWith('s3:GetObject')).toEqual([id(pool.guestRole!)]);
    expect(rolesWith('s3:PutObject')).toEqual([id(pool.authenticatedRole), id(pool.roleForGroup('admins'))].sort());
    expect(rolesWith('s3:DeleteObject')).toEqual([id(pool.roleForGroup('admins'))]);
  });

  test('rules and roles added after the first rule are compiled in', () => {
    // GIVEN
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    files.allow('public/*', Audience.authenticated(), Access.GET);
    // WHEN
    const reviewers = pool.createRole('Reviewers');
    const google = IdentitySource.google({ clientId: 'google-client' });
    pool.addSource(google);
    pool.addRoleMapping(google, { rules: [{ claim: 'hd', value: 'example.com', role: reviewers }] });
    files.allow('later/*', Audience.authenticated(), Access.LIST);
    // THEN
    const id = stack.resolve((reviewers.node.defaultChild as iam.CfnRole).logicalId);
    const reviewerStatements = Object.values(policies(stack))
      .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === id))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(reviewerStatements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['later/', 'later/*'] } } }),
      expect.objectContaining({ Action: 's3:GetObject' }),
    ]));
  });

  test('an imported pool gets managed policies attached by role name', () => {
    // GIVEN
    const stack = new Stack();
    const role = iam.Role.fromRoleArn(stack, 'Auth', 'arn:aws:iam::123456789012:role/existing-auth');
    const pool = FederatedIdentityPool.fromIdentityPoolId(stack, 'Pool', 'us-east-1:0a1b2c3d-1111-2222-3333-444455556666', { authenticatedRole: role });
    // WHEN
    new ScopedBucketAccess(stack, 'Files', { identityPool: pool }).allow('docs/*', Audience.authenticated(), Access.READ);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['existing-auth'] });
  });

  test('a customer KMS key of an imported bucket is granted for S3 use on the granted prefixes', () => {
    // GIVEN
    const { stack, pool } = setup();
    const key = new kms.Key(stack, 'Key');
    const bucket = s3.Bucket.fromBucketName(stack, 'Imported', 'my-bucket');
    // WHEN
    new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket, encryptionKey: key })
      .allow('docs/*', Audience.authenticated(), Access.WRITE);
    // THEN
    expect(statementsOf(stack)).toEqual(expect.arrayContaining([expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: stack.resolve(key.keyArn),
      Condition: expect.objectContaining({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }),
    })]));
    const kmsStatement = statementsOf(stack).find((s: any) => JSON.stringify(s.Action).includes('kms:'));
    expect(kmsStatement.Condition.StringEquals).toEqual({ 'kms:ViaService': 's3.us-east-1.amazonaws.com' });
    expect(JSON.stringify(kmsStatement.Condition.StringLike)).toContain('my-bucket/docs/*');
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 0);
  });

  test('warns when a parent LIST reveals key names of a child path', () => {
    // GIVEN
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    // WHEN
    files.allow('public/*', Audience.authenticated(), Access.READ);
    files.allow('public/secret/*', Audience.group('admins'), Access.READ);
    // THEN
    Annotations.fromStack(stack).hasWarning('/S/Files', Match.stringLikeRegexp('also shows key names under `public/secret/\\*`'));
  });

  test('describe() lists the rules, duplicates merged', () => {
    // GIVEN
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    // WHEN
    files.allow('private/{identity}/*', Audience.owner(), Access.WRITE);
    files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
    files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
    // THEN
    expect(files.describe()).toEqual([
      { path: 'private/{identity}/*', audience: 'owner', access: 'READ, WRITE' },
      { path: 'private/{identity}/*', audience: 'group:admins', access: 'READ' },
    ]);
  });

  test('respects maxManagedPoliciesPerRole', () => {
    // GIVEN
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, maxManagedPoliciesPerRole: 1 });
    // WHEN
    for (let i = 0; i < 120; i++) {
      files.allow(`folder-with-a-rather-long-name-${i}/{identity}/*`, Audience.owner(), Access.READ, Access.WRITE);
    }
    // THEN
    expect(() => Template.fromStack(stack)).toThrow(/`maxManagedPoliciesPerRole`: Role `Authenticated \(S\/Ids\/AuthenticatedRole\)` would need \d+ managed policies \(\d+ characters/);
  });
});

describe('bad input', () => {
  const files = (props: Partial<ConstructorParameters<typeof ScopedBucketAccess>[2]> = {}, guestAccess = true) => {
    const { stack, pool } = setup({ guestAccess });
    return new ScopedBucketAccess(stack, 'Files', { identityPool: pool, ...props });
  };

  test('fails for a path with a leading /', () => {
    expect(() => files().allow('/public/*', Audience.authenticated(), Access.READ)).toThrow(/`path`: An object key pattern is relative .* \(received "\/public\/\*"\)/);
  });
  test('fails for `..`', () => {
    expect(() => files().allow('a/../*', Audience.authenticated(), Access.READ)).toThrow(/`path`: A path must not contain a `..` segment/);
  });
  test('fails for `//`', () => {
    expect(() => files().allow('a//b/*', Audience.authenticated(), Access.READ)).toThrow(/empty segment/);
  });
  test('fails for a * in the middle', () => {
    expect(() => files().allow('a/*/b/*', Audience.authenticated(), Access.READ)).toThrow(/A `\*` may only appear in the final `\/\*`/);
  });
  test('fails for an unknown token', () => {
    expect(() => files().allow('a/{user}/*', Audience.authenticated(), Access.READ)).toThrow(/`\{user\}` is not a known token/);
  });
  test('fails for an unmapped tag', () => {
    expect(() => files().allow('t/{tag:dept}/*', Audience.authenticated(), Access.READ)).toThrow(/`\{tag:dept\}` names a principal tag that the identity pool does not map \(mapped tags: `tenant`\)/);
  });
  test('fails for an owner path without {identity}', () => {
    expect(() => files().allow('shared/*', Audience.owner(), Access.READ)).toThrow(/`Audience.owner\(\)` needs a `\{identity\}` segment/);
  });
  test('fails when the rule is added, not at synth, for {identity} before more segments for an audience other than the owner', () => {
    // GIVEN
    const bucket = files();
    // WHEN / THEN: the call that adds the rule throws (the stack trace points at it)
    expect(() => bucket.allow('users/{identity}/docs/*', Audience.authenticated(), Access.READ))
      .toThrow(/`path`: For `authenticated` a `\{identity\}` segment becomes the shape of any identity id/);
    // the same path for the owner, and {identity} last for everyone, are accepted
    expect(() => bucket.allow('users/{identity}/docs/*', Audience.owner(), Access.READ)).not.toThrow();
    expect(() => bucket.allow('users/{identity}/*', Audience.authenticated(), Access.LIST)).not.toThrow();
  });
  test('fails for a guest rule without guest access', () => {
    expect(() => files({}, false).allow('public/*', Audience.guest(), Access.READ)).toThrow(/`audience`: A guest rule on `public\/\*` needs an identity pool with guest access.*Set `guestAccess: true`/);
  });
  test('fails for a group the pool cannot map', () => {
    expect(() => files().allow('x/*', Audience.group('nobody'), Access.READ)).toThrow(/`audience`: The identity pool cannot give group `nobody` a role.*addGroup\('nobody'\)/);
  });
  test('fails for an empty access list', () => {
    expect(() => files().allow('x/*', Audience.authenticated())).toThrow(/`access`: A rule for `x\/\*` grants nothing/);
  });
  test('fails for * in corsOrigins without allowAnyOrigin', () => {
    expect(() => files({ corsOrigins: ['*'] })).toThrow(/`corsOrigins`: Any origin .* \(received "\*"\).*allowAnyOrigin: true/);
  });
  test('fails for an origin with a path', () => {
    expect(() => files({ corsOrigins: ['https://app.example.com/'] })).toThrow(/`corsOrigins`: An origin is a scheme, host and optional port/);
  });
  test('fails for CORS on a given bucket', () => {
    const { stack, pool } = setup();
    const bucket = s3.Bucket.fromBucketName(stack, 'B', 'my-bucket');
    expect(() => new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket, corsOrigins: ['https://a.example.com'] }))
      .toThrow(/`corsOrigins`: CORS can only be set on a bucket that ScopedBucketAccess creates/);
  });
  test('fails for accessLogsBucket on a given bucket', () => {
    const { stack, pool } = setup();
    const bucket = s3.Bucket.fromBucketName(stack, 'Given', 'given-bucket');
    const logs = s3.Bucket.fromBucketName(stack, 'Logs', 'log-bucket');
    expect(() => new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket, accessLogsBucket: logs }))
      .toThrow(/`accessLogsBucket`: The access-log bucket can only be set for a bucket that ScopedBucketAccess creates \(received "?S\/Logs"?\)/);
  });
  test('fails for encryptionKey without a bucket', () => {
    const { stack, pool } = setup();
    const encryptionKey = new kms.Key(stack, 'K');
    expect(() => new ScopedBucketAccess(stack, 'Files', { identityPool: pool, encryptionKey })).toThrow(/`encryptionKey`: .*describes the key of a bucket you pass/);
  });
  test.each([0, 21, 2.5])('fails for maxManagedPoliciesPerRole %p', (n) => {
    expect(() => files({ maxManagedPoliciesPerRole: n })).toThrow(/`maxManagedPoliciesPerRole`: IAM allows 1 to 20 managed policies per role/);
  });
  test('fails at synth for rules IAM cannot express (a deeper path gives back what an inner path took away)', () => {
    const f = files();
    f.allow('a/*', Audience.authenticated(), Access.GET);
    f.allow('a/b/*', Audience.group('admins'), Access.GET);
    f.allow('a/b/c/*', Audience.authenticated(), Access.GET);
    expect(() => Template.fromStack(Stack.of(f))).toThrow(/`path`: `a\/b\/\*` takes GET .* but the deeper `a\/b\/c\/\*` gives it back/);
  });

  test.each([
    ['the outer path, its owner rule, then its authenticated rule', [0, 1, 2]],
    ['the authenticated rule first', [2, 0, 1]],
    ['the owner rule first', [1, 2, 0]],
  ])('a rule set IAM can express compiles in any order: %s', (_name, order) => {
    // GIVEN rules that are inexpressible before the last one is added (red team)
    const rules: Array<(f: ScopedBucketAccess) => void> = [
      f => f.allow('shared/*', Audience.authenticated(), Access.READ),
      f => f.allow('shared/{identity}/*', Audience.owner(), Access.READ, Access.WRITE),
      f => f.allow('shared/{identity}/*', Audience.authenticated(), Access.READ),
    ];
    const f = files();
    // WHEN
    (order as number[]).forEach(i => rules[i](f));
    // THEN
    expect(() => Template.fromStack(Stack.of(f))).not.toThrow();
  });
});
