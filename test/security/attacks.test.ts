import { App, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { evaluatePrepared, policiesOf, prepareIdentity, PreparedPolicies, Verdict } from './harness';
import { Access, Audience, ScopedApiAccess, ScopedBucketAccess, ScopedTableAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource, RoleMappingMatchType } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * The attacks of the independent review (issue 9), one block per finding, written from DESIGN.md
 * and the attacker's point of view: what a signed-in stranger, a guest, an identity of another
 * source or another construct on the same resource tries. Every expected verdict is stated here
 * by hand; every deny is paired with an allow of the same action for the same caller (or of the
 * same request for another caller), so a policy that denies everything fails too. Findings whose
 * fix is a refusal at synth (2, 3, 8) pair the attack with the safe configuration that synthesizes.
 * Finding 5 (trust) is in trust.test.ts and notes-app.test.ts.
 */

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const POOL_ID = `${REGION}:aaaaaaaa-1111-2222-3333-444444444444`;
const ID = (n: number) => `${REGION}:0000000${n}-aaaa-bbbb-cccc-00000000000${n}`;
const ALICE = ID(2);
const BOB = ID(3);

type RoleName = 'guest' | 'authenticated' | 'admins';
interface Caller { readonly name: string; readonly role: RoleName; readonly id: string }
const GUEST: Caller = { name: 'guest', role: 'guest', id: ID(1) };
const ALICE_C: Caller = { name: 'alice', role: 'authenticated', id: ALICE };
const CAROL: Caller = { name: 'carol(admins)', role: 'admins', id: ID(4) };

function fixture(options: { selfSignUp?: boolean; tenantMutable?: boolean } = {}) {
  const app = new App();
  const stack = new Stack(app, 'Attack', { env: { account: ACCOUNT, region: REGION } });
  const users = new UserDirectory(stack, 'Users', { selfSignUp: options.selfSignUp });
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: options.tenantMutable ?? false });
  const web = users.addWebClient('Web');
  const pool = new FederatedIdentityPool(stack, 'Identities', {
    sources: [IdentitySource.userDirectory(users, web)],
    guestAccess: true,
    principalTags: { tenant: 'custom:tenant' },
  });
  pool.roleForGroup('admins');
  return { app, stack, users, web, pool };
}

function rolesOf(stack: Stack, pool: FederatedIdentityPool, more: Record<string, string> = {}): Record<RoleName, PreparedPolicies> {
  const template = Template.fromStack(stack).toJSON();
  const values: Record<string, string> = {
    'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, [stack.getLogicalId(pool.identityPool)]: POOL_ID, ...more,
  };
  const id = (role: iam.IRole) => stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  return {
    guest: prepareIdentity(policiesOf(template, id(pool.guestRole!), values)),
    authenticated: prepareIdentity(policiesOf(template, id(pool.authenticatedRole), values)),
    admins: prepareIdentity(policiesOf(template, id(pool.roleForGroup('admins')), values)),
  };
}

interface Attempt {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly prefix?: string;
  readonly expected: Verdict;
}

function verdict(roles: Record<RoleName, PreparedPolicies>, a: Attempt): Verdict {
  return evaluatePrepared(roles[a.caller.role], {
    principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${a.caller.role}/CognitoIdentityCredentials`,
    action: a.action,
    resource: a.resource,
    accountId: ACCOUNT,
    context: { 'cognito-identity.amazonaws.com:sub': a.caller.id, ...(a.prefix !== undefined ? { 's3:prefix': a.prefix } : {}) },
  });
}

/** Every attempt gets its expected verdict, and every denied one has an allowed attempt beside it. */
function expectVerdicts(roles: Record<RoleName, PreparedPolicies>, attempts: Attempt[]): void {
  const wrong = attempts.filter(a => verdict(roles, a) !== a.expected)
    .map(a => `${a.caller.name} ${a.action} ${a.resource}${a.prefix !== undefined ? ` prefix=${a.prefix}` : ''}: expected ${a.expected}`);
  expect(wrong).toEqual([]);
  for (const denied of attempts.filter(a => a.expected === 'Denied')) {
    const sameCaller = (a: Attempt) => a.caller === denied.caller && a.action === denied.action;
    const sameRequest = (a: Attempt) => a.resource === denied.resource && a.action === denied.action && a.prefix === denied.prefix;
    const paired = attempts.some(a => a.expected === 'Allowed' && (sameCaller(a) || sameRequest(a)));
    expect([denied.caller.name, denied.action, denied.resource, paired]).toEqual([denied.caller.name, denied.action, denied.resource, true]);
  }
}

const BUCKET = 'attack-bucket';
const obj = (key: string) => `arn:aws:s3:::${BUCKET}/${key}`;
const get = (caller: Caller, key: string, expected: Verdict): Attempt => ({ caller, action: 's3:GetObject', resource: obj(key), expected });
const put = (caller: Caller, key: string, expected: Verdict): Attempt => ({ caller, action: 's3:PutObject', resource: obj(key), expected });
const list = (caller: Caller, prefix: string, expected: Verdict): Attempt => ({ caller, action: 's3:ListBucket', resource: `arn:aws:s3:::${BUCKET}`, prefix, expected });

function bucketOf(stack: Stack) {
  return s3.Bucket.fromBucketName(stack, 'Bucket', BUCKET);
}

describe('finding 1: an API method `*` never becomes a path wildcard', () => {
  test('admins with every method on /admin/* cannot call /notes/123/admin; a rule on /public/* does not reach /admin/public', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: apigateway.RestApi.fromRestApiId(stack, 'Rest', 'a1b2c3d4e5'), stage: 'prod' });
    api.allow('/admin/*', Audience.group('admins'), '*');
    api.allow('/public/*', Audience.authenticated(), '*');
    const route = (method: string, path: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/prod/${method}${path}`;
    const invoke = (caller: Caller, method: string, path: string, expected: Verdict): Attempt => ({ caller, action: 'execute-api:Invoke', resource: route(method, path), expected });

    // THEN
    expectVerdicts(rolesOf(stack, pool), [
      invoke(CAROL, 'PATCH', '/admin/x', 'Allowed'),
      invoke(CAROL, 'PATCH', '/notes/123/admin', 'Denied'),
      invoke(CAROL, 'DELETE', '/notes/123/admin/x', 'Denied'),
      invoke(CAROL, 'DELETE', '/admin', 'Allowed'),
      invoke(ALICE_C, 'GET', '/public/admin', 'Allowed'),
      invoke(ALICE_C, 'GET', '/admin/public', 'Denied'),
      invoke(ALICE_C, 'GET', '/x/public', 'Denied'),
    ]);
  });
});

describe('finding 2: role-mapping rules refuse claims users write themselves', () => {
  function mapping(claim: string, matchType = RoleMappingMatchType.EQUALS, value = 'reviewers') {
    const f = fixture();
    f.users.addCustomAttribute('dept', { userWritable: true });
    const pool = new FederatedIdentityPool(f.stack, 'Mapped', { sources: [IdentitySource.userDirectory(f.users, f.web)] });
    const source = IdentitySource.userDirectory(f.users, f.web);
    pool.addRoleMapping(source, { rules: [{ claim, matchType, value, role: pool.createRole('Reviewers') }] });
    return f;
  }

  test.each([
    ['email', RoleMappingMatchType.CONTAINS, '@example.com'],
    ['website', RoleMappingMatchType.EQUALS, 'https://reviewers.example.com'],
    ['preferred_username', RoleMappingMatchType.STARTS_WITH, 'admin'],
    ['custom:dept', RoleMappingMatchType.EQUALS, 'reviewers'],
  ])('a user cannot pick their own role with %s', (claim, matchType, value) => {
    expect(() => mapping(claim, matchType, value)).toThrow(new RegExp(`\`rules\\[0\\]\\.claim\`: users of .* can write \`${claim}\` about themselves.*Attack/Users/Resource/Web/Resource`));
  });

  test('paired: a claim only administrators write maps roles', () => {
    const f = mapping('cognito:groups', RoleMappingMatchType.CONTAINS, 'reviewers');
    expect(() => Template.fromStack(f.stack)).not.toThrow();
  });
});

describe('finding 3: every app client of the pool is checked for claims that decide access', () => {
  // An admin-writable tenant that can change (`mutable: true`, not `userWritable`): the library's web
  // clients leave it out of `WriteAttributes`, but any other client of the pool may let users write it.
  test('a client added with userPool.addClient() (no WriteAttributes) is refused, and named', () => {
    const f = fixture({ tenantMutable: true });
    f.users.userPool.addClient('Mobile');
    expect(() => Template.fromStack(f.stack)).toThrow(/`principalTags`: users of .* can write `custom:tenant` about themselves.*Attack\/Users\/Resource\/Mobile\/Resource \(it sets no `WriteAttributes`/);
  });

  test('an L1 client that lists the claim in WriteAttributes is refused, and named', () => {
    const f = fixture({ tenantMutable: true });
    new cognito.CfnUserPoolClient(f.stack, 'Legacy', { userPoolId: f.users.userPoolId, writeAttributes: ['email', 'custom:tenant'] });
    expect(() => Template.fromStack(f.stack)).toThrow(/can write `custom:tenant` about themselves, so it cannot decide access: through Attack\/Legacy \(its `WriteAttributes` list `custom:tenant`\)/);
  });

  test('with self sign-up, an immutable attribute a client can write is chosen at sign-up: refused', () => {
    const f = fixture({ selfSignUp: true });
    new cognito.CfnUserPoolClient(f.stack, 'Legacy', { userPoolId: f.users.userPoolId, writeAttributes: ['custom:tenant'] });
    expect(() => Template.fromStack(f.stack)).toThrow(/Attack\/Legacy \(its `WriteAttributes` list `custom:tenant`, at sign-up/);
  });

  test('paired: clients that leave the claim out, or an immutable claim without self sign-up, synthesize', () => {
    const narrow = fixture({ tenantMutable: true });
    narrow.users.userPool.addClient('Mobile', { writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }) });
    expect(() => Template.fromStack(narrow.stack)).not.toThrow();

    const adminOnly = fixture({ selfSignUp: false });
    new cognito.CfnUserPoolClient(adminOnly.stack, 'Legacy', { userPoolId: adminOnly.users.userPoolId, writeAttributes: ['custom:tenant'] });
    expect(() => Template.fromStack(adminOnly.stack)).not.toThrow();
  });

  // Found by the red team: clients that reach the pool another way, and escape hatches, are checked
  // on the resources as rendered.
  test.each([
    ['a client of the pool imported by ARN', (f: ReturnType<typeof fixture>) => {
      cognito.UserPool.fromUserPoolArn(f.stack, 'Imported', f.users.userPoolArn).addClient('Mobile');
    }],
    ['a client of the pool imported by ARN in another stack', (f: ReturnType<typeof fixture>) => {
      const other = new Stack(f.app, 'Other', { env: { account: ACCOUNT, region: REGION } });
      cognito.UserPool.fromUserPoolArn(other, 'Imported', f.users.userPoolArn).addClient('Mobile');
    }],
    ['an L1 client whose pool id is split from the provider name', (f: ReturnType<typeof fixture>) => {
      new cognito.CfnUserPoolClient(f.stack, 'Mobile', { userPoolId: Fn.select(1, Fn.split('/', f.users.userPoolProviderName)) });
    }],
    ['a bare CfnResource of type AWS::Cognito::UserPoolClient', (f: ReturnType<typeof fixture>) => {
      new CfnResource(f.stack, 'Mobile', { type: 'AWS::Cognito::UserPoolClient', properties: { UserPoolId: f.users.userPoolId } });
    }],
    ['the library\'s web client with WriteAttributes overridden', (f: ReturnType<typeof fixture>) => {
      (f.web.node.defaultChild as cognito.CfnUserPoolClient).addPropertyOverride('WriteAttributes', ['custom:tenant']);
    }],
    ['the library\'s web client with WriteAttributes deleted', (f: ReturnType<typeof fixture>) => {
      (f.web.node.defaultChild as cognito.CfnUserPoolClient).addPropertyDeletionOverride('WriteAttributes');
    }],
  ])('%s is refused', (_name, attack) => {
    const f = fixture({ tenantMutable: true });
    attack(f);
    expect(() => f.app.synth()).toThrow(/`principalTags`: users of .* can write `custom:tenant` about themselves/);
  });

  test('a client of another user pool is not counted', () => {
    const f = fixture();
    const other = new cognito.UserPool(f.stack, 'Other');
    other.addClient('OtherClient');
    expect(() => Template.fromStack(f.stack)).not.toThrow();
  });
});

describe('findings 4 and 6: `{identity}` for a non-owner matches identity ids of the pool only', () => {
  test('a guest rule on {identity}/* reaches identity folders, not exports/, config/, empty or foreign segments', () => {
    // GIVEN
    const { stack, pool } = fixture();
    new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket: bucketOf(stack) })
      .allow('{identity}/*', Audience.guest(), Access.READ, Access.WRITE);

    // THEN
    expectVerdicts(rolesOf(stack, pool), [
      get(GUEST, `${BOB}/photo.png`, 'Allowed'),
      get(GUEST, 'exports/2024/all-users.csv', 'Denied'),
      get(GUEST, `exports/${BOB}/all.csv`, 'Denied'),
      get(GUEST, 'eu-west-1:00000009-aaaa-bbbb-cccc-000000000009/x', 'Denied'),
      put(GUEST, `${BOB}/x`, 'Allowed'),
      put(GUEST, 'config/app.json', 'Denied'),
      list(GUEST, `${BOB}/`, 'Allowed'),
      list(GUEST, 'exports/', 'Denied'),
      list(GUEST, '', 'Denied'),
    ]);
  });

  test('no empty identity segment: protected//x, private//x and GET /profiles/', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket: bucketOf(stack) });
    files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
    files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
    files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
    files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: apigateway.RestApi.fromRestApiId(stack, 'Rest', 'a1b2c3d4e5'), stage: 'prod' });
    api.allow('/profiles/{identity}/*', Audience.authenticated(), 'GET');
    const route = (path: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/prod/GET${path}`;

    // THEN
    expectVerdicts(rolesOf(stack, pool), [
      get(ALICE_C, `protected/${BOB}/x`, 'Allowed'),
      get(ALICE_C, 'protected//x', 'Denied'),
      list(ALICE_C, `protected/${BOB}/`, 'Allowed'),
      list(ALICE_C, 'protected//', 'Denied'),
      list(ALICE_C, 'protected/', 'Denied'),
      get(CAROL, `private/${BOB}/x`, 'Allowed'),
      get(CAROL, 'private//x', 'Denied'),
      get(CAROL, 'private/exports/x', 'Denied'),
      { caller: ALICE_C, action: 'execute-api:Invoke', resource: route(`/profiles/${BOB}`), expected: 'Allowed' },
      { caller: ALICE_C, action: 'execute-api:Invoke', resource: route('/profiles/'), expected: 'Denied' },
      { caller: ALICE_C, action: 'execute-api:Invoke', resource: route('/profiles//x'), expected: 'Denied' },
    ]);
  });
});

describe('finding 7: two access constructs on one bucket nest', () => {
  test('docs/secret/* in a second construct takes docs/* away from everybody it does not name', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const bucket = bucketOf(stack);
    new ScopedBucketAccess(stack, 'Docs', { identityPool: pool, bucket }).allow('docs/*', Audience.authenticated(), Access.READ);
    new ScopedBucketAccess(stack, 'Secrets', { identityPool: pool, bucket: s3.Bucket.fromBucketName(stack, 'Again', BUCKET) })
      .allow('docs/secret/*', Audience.group('admins'), Access.READ);

    // THEN
    expectVerdicts(rolesOf(stack, pool), [
      get(ALICE_C, 'docs/readme.md', 'Allowed'),
      get(ALICE_C, 'docs/secret/keys.txt', 'Denied'),
      get(CAROL, 'docs/secret/keys.txt', 'Allowed'),
      list(ALICE_C, 'docs/', 'Allowed'),
      list(ALICE_C, 'docs/secret/', 'Denied'),
      list(CAROL, 'docs/secret/', 'Allowed'),
    ]);
  });

  test('a created bucket with a physical name and an import of that name form one rule set (red team)', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const created = new s3.Bucket(stack, 'Shared', { bucketName: BUCKET, enforceSSL: true });
    new ScopedBucketAccess(stack, 'Docs', { identityPool: pool, bucket: created }).allow('docs/*', Audience.authenticated(), Access.READ);
    new ScopedBucketAccess(stack, 'Secrets', { identityPool: pool, bucket: s3.Bucket.fromBucketName(stack, 'Again', BUCKET) })
      .allow('docs/secret/*', Audience.group('admins'), Access.READ);

    // THEN
    const roles = rolesOf(stack, pool, { [stack.getLogicalId(created.node.defaultChild as s3.CfnBucket)]: BUCKET, [`${stack.getLogicalId(created.node.defaultChild as s3.CfnBucket)}.Arn`]: `arn:aws:s3:::${BUCKET}` });
    expectVerdicts(roles, [
      get(ALICE_C, 'docs/readme.md', 'Allowed'),
      get(ALICE_C, 'docs/secret/keys.txt', 'Denied'),
      get(CAROL, 'docs/secret/keys.txt', 'Allowed'),
    ]);
  });

  test('the default deployment stage and the same stage named by its name form one rule set (red team)', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const rest = new apigateway.RestApi(stack, 'Rest', { deployOptions: { stageName: 'prod' }, cloudWatchRole: false });
    rest.root.addMethod('ANY', new apigateway.MockIntegration(), { authorizationType: apigateway.AuthorizationType.IAM });
    new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest }).allow('/notes/*', Audience.authenticated(), 'GET');
    new ScopedApiAccess(stack, 'Admin', { identityPool: pool, api: rest, stage: 'prod' }).allow('/notes/admin/*', Audience.group('admins'), 'GET');

    // THEN
    const restId = stack.getLogicalId(rest.node.defaultChild as apigateway.CfnRestApi);
    const stageId = stack.getLogicalId(rest.deploymentStage.node.defaultChild as apigateway.CfnStage);
    const roles = rolesOf(stack, pool, { [restId]: 'a1b2c3d4e5', [stageId]: 'prod' });
    const route = (path: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT}:a1b2c3d4e5/prod/GET${path}`;
    expectVerdicts(roles, [
      { caller: ALICE_C, action: 'execute-api:Invoke', resource: route('/notes/1'), expected: 'Allowed' },
      { caller: ALICE_C, action: 'execute-api:Invoke', resource: route('/notes/admin/x'), expected: 'Denied' },
      { caller: CAROL, action: 'execute-api:Invoke', resource: route('/notes/admin/x'), expected: 'Allowed' },
    ]);
  });

  test('a second construct on the bucket with another identity pool is refused', () => {
    const f = fixture();
    const other = new FederatedIdentityPool(f.stack, 'Other', { sources: [IdentitySource.userDirectory(f.users, f.web)] });
    new ScopedBucketAccess(f.stack, 'Docs', { identityPool: f.pool, bucket: bucketOf(f.stack) }).allow('docs/*', Audience.authenticated(), Access.READ);
    expect(() => new ScopedBucketAccess(f.stack, 'Secrets', { identityPool: other, bucket: s3.Bucket.fromBucketName(f.stack, 'Again', BUCKET) }))
      .toThrow(/`identityPool`: Attack\/Docs already grants access to this bucket for identity pool Attack\/Identities/);
  });
});

describe('back ends in the rule language (issue 13): the same nesting and listing scope', () => {
  test('a back end that reads docs/* loses docs/secret/*, lists only docs/, and has nothing of the pool\'s', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const backend = new iam.Role(stack, 'Thumbnails', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket: bucketOf(stack) });
    files.allow('docs/*', Audience.principal(backend), Access.READ);
    files.allow('docs/secret/*', Audience.group('admins'), Access.READ);
    files.allow('private/{identity}/*', Audience.owner(), Access.READ);
    const values = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, [stack.getLogicalId(pool.identityPool)]: POOL_ID };
    const roles = rolesOf(stack, pool);
    const backendId = stack.getLogicalId(backend.node.defaultChild as iam.CfnRole);
    const backendPolicies = prepareIdentity(policiesOf(Template.fromStack(stack).toJSON(), backendId, values));
    const BACKEND: Caller = { name: 'thumbnails', role: 'authenticated', id: ID(9) };
    const asBackend = (a: Attempt) => evaluatePrepared(backendPolicies, {
      principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/thumbnails/fn`,
      action: a.action,
      resource: a.resource,
      accountId: ACCOUNT,
      context: a.prefix !== undefined ? { 's3:prefix': a.prefix } : {},
    });

    // THEN
    const attempts: Attempt[] = [
      get(BACKEND, 'docs/readme.md', 'Allowed'),
      get(BACKEND, 'docs/secret/keys.txt', 'Denied'),
      get(BACKEND, `private/${ALICE}/a.txt`, 'Denied'),
      list(BACKEND, 'docs/', 'Allowed'),
      list(BACKEND, 'docs/secret/', 'Denied'),
      list(BACKEND, '', 'Denied'),
    ];
    expect(attempts.filter(a => asBackend(a) !== a.expected).map(a => `${a.action} ${a.resource} ${a.prefix ?? ''}`)).toEqual([]);
    // and the pool's signed-in users do not get the back end's rule
    expectVerdicts(roles, [get(ALICE_C, 'docs/readme.md', 'Denied'), get(ALICE_C, `private/${ALICE}/a.txt`, 'Allowed'), get(CAROL, 'docs/secret/keys.txt', 'Allowed')]);
  });
});

describe('finding 8: owner rules on an index keyed by another attribute', () => {
  test('an owner Query on an index partitioned by `status` is refused; paired: an index partitioned by the owner attribute works', () => {
    const { stack, pool } = fixture();
    const table = new dynamodb.Table(stack, 'Notes', { partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
    table.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } });
    table.addGlobalSecondaryIndex({ indexName: 'byOwnerDate', partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'date', type: dynamodb.AttributeType.STRING } });
    const notes = new ScopedTableAccess(stack, 'Access', { identityPool: pool, table });
    notes.allowOwnItemsWith(Audience.owner(), { indexes: ['byOwnerDate'] }, Access.READ);
    expect(() => Template.fromStack(stack)).not.toThrow();

    const { stack: stack2, pool: pool2 } = fixture();
    const table2 = new dynamodb.Table(stack2, 'Notes', { partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
    table2.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } });
    new ScopedTableAccess(stack2, 'Access', { identityPool: pool2, table: table2 }).allowOwnItemsWith(Audience.owner(), { indexes: ['byStatus'] }, Access.READ);
    expect(() => Template.fromStack(stack2)).toThrow(/`indexes`: Index `byStatus` is partitioned by `status`/);
  });
});
