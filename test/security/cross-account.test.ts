import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { App, PhysicalName, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Context, Doc, NamedDoc, policiesOf, resolveIntrinsics, Verdict } from './harness';
import { Access, Audience, ScopedBucketAccess, ScopedTableAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * Cross-account and per-region access, decided with BOTH sides: the identity policies of the pool's
 * roles (identity account) and the bucket policy (workload account), evaluated together by
 * @cloud-copilot/iam-simulate, which applies IAM's cross-account rule (a request across accounts
 * is allowed only when the identity policy and the resource policy both allow it).
 *
 * The expected verdicts come from DESIGN.md's rules, stated below as a small oracle:
 * - owner: `private/{identity}/*` read, write and delete of the caller's own folder only;
 * - group admins: read of anyone's `private/{identity}/*` folder (and their own, as owners);
 * - every authenticated role: read of `public/*`;
 * - nobody else: no principal outside the pool's roles, and no role without the identity side.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */

const IDENTITY_ACCOUNT = '111111111111';
const WORKLOAD_ACCOUNT = '222222222222';
const OTHER_ACCOUNT = '333333333333';
const ALICE = 'us-east-1:aaaaaaaa-0000-4000-8000-000000000001';
const BOB = 'us-east-1:bbbbbbbb-0000-4000-8000-000000000002';
const EU_ALICE = 'eu-west-1:aaaaaaaa-0000-4000-8000-000000000003';
const SUB = 'cognito-identity.amazonaws.com:sub';

interface Synth {
  readonly identity: any;
  readonly identityEu: any;
  readonly workload: any;
  readonly workloadEu: any;
  /** logical id -> physical name of the pool roles, per identity template. */
  readonly roles: { authenticated: string; admins: string; euAuthenticated: string };
  readonly roleIds: { authenticated: string; admins: string; euAuthenticated: string };
  readonly bucket: string;
  readonly bucketEu: string;
  readonly table: string;
}

function synthesize(): Synth {
  const app = new App();
  const identity = new Stack(app, 'Identity', { env: { account: IDENTITY_ACCOUNT, region: 'us-east-1' } });
  const identityEu = new Stack(app, 'IdentityEu', { env: { account: IDENTITY_ACCOUNT, region: 'eu-west-1' } });
  const workload = new Stack(app, 'Workload', { env: { account: WORKLOAD_ACCOUNT, region: 'us-east-1' } });
  const workloadEu = new Stack(app, 'WorkloadEu', { env: { account: WORKLOAD_ACCOUNT, region: 'eu-west-1' } });

  const users = new UserDirectory(identity, 'Users');
  users.addGroup('admins', { precedence: 0 });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(identity, 'Identities', { sources: [IdentitySource.userDirectory(users, web)] });
  const poolEu = new FederatedIdentityPool(identityEu, 'Identities', { sources: [IdentitySource.userDirectory(users, web)] });

  const files = new ScopedBucketAccess(workload, 'Files', { identityPool: pool });
  files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
  files.allow('public/*', Audience.authenticated(), Access.READ);
  const notesTable = new dynamodb.TableV2(workload, 'NotesTable', {
    tableName: PhysicalName.GENERATE_IF_NEEDED,
    partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  });
  new ScopedTableAccess(workload, 'Notes', { identityPool: pool, table: notesTable }).allowOwnItems(Audience.owner(), Access.READ, Access.WRITE);
  const filesEu = new ScopedBucketAccess(workloadEu, 'Files', { identityPool: poolEu });
  filesEu.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);

  const admins = pool.roleForGroup('admins');
  const idOf = (role: any) => Stack.of(role).resolve((role.node.defaultChild as any).logicalId);
  const templates = [identity, identityEu, workload, workloadEu].map(s => Template.fromStack(s).toJSON());
  const nameOf = (template: any, id: string) => template.Resources[id].Properties.RoleName as string;
  const roleIds = { authenticated: idOf(pool.authenticatedRole), admins: idOf(admins), euAuthenticated: idOf(poolEu.authenticatedRole) };
  const bucketName = (template: any) => Object.values<any>(template.Resources).find(r => r.Type === 'AWS::S3::Bucket' && r.Properties.BucketName)?.Properties.BucketName;
  return {
    identity: templates[0],
    identityEu: templates[1],
    workload: templates[2],
    workloadEu: templates[3],
    roleIds,
    roles: {
      authenticated: nameOf(templates[0], roleIds.authenticated),
      admins: nameOf(templates[0], roleIds.admins),
      euAuthenticated: nameOf(templates[1], roleIds.euAuthenticated),
    },
    bucket: bucketName(templates[2]),
    bucketEu: bucketName(templates[3]),
    table: Object.values<any>(templates[2].Resources).find(r => r.Type === 'AWS::DynamoDB::GlobalTable').Properties.TableName,
  };
}

const synth = synthesize();
const VALUES = { 'AWS::Partition': 'aws' };

/** The bucket policy of a workload template, intrinsics resolved (the bucket's ARN from its literal name). */
function bucketPolicy(template: any, bucket: string): Doc {
  const [id] = Object.entries<any>(template.Resources).find(([, r]) => r.Type === 'AWS::S3::Bucket' && r.Properties.BucketName === bucket)!;
  const policy = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === id);
  return resolveIntrinsics(policy.Properties.PolicyDocument, { ...VALUES, [`${id}.Arn`]: `arn:aws:s3:::${bucket}`, [id]: bucket });
}

const RESOURCE_POLICY = bucketPolicy(synth.workload, synth.bucket);
const RESOURCE_POLICY_EU = bucketPolicy(synth.workloadEu, synth.bucketEu);

function identityPolicies(template: any, roleId: string): NamedDoc[] {
  return policiesOf(template, roleId, VALUES);
}

interface Request {
  readonly principal: string;
  readonly principalAccount: string;
  readonly identity: readonly NamedDoc[];
  readonly resourcePolicy?: Doc;
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
}

/** Both sides together, as IAM decides a request (validated first; policy variables resolved). */
function decide(r: Request): Verdict {
  const prepared = r.identity.map(d => {
    const policy = createValidatedPolicy(d.doc, validateIdentityPolicy, { name: d.name });
    if (policy.errors.length > 0) {
      throw new Error(`invalid identity policy ${d.name}: ${JSON.stringify(policy.errors)}`);
    }
    return { name: d.name, policy };
  });
  let resourcePolicy: unknown;
  if (r.resourcePolicy !== undefined) {
    resourcePolicy = createValidatedPolicy(r.resourcePolicy, validateResourcePolicy, { name: 'bucket policy' });
    if ((resourcePolicy as any).errors.length > 0) {
      throw new Error(`invalid bucket policy: ${JSON.stringify((resourcePolicy as any).errors)}`);
    }
  }
  const result = runUnsafeSimulation({
    request: {
      principal: r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: WORKLOAD_ACCOUNT },
      contextVariables: { 'aws:SecureTransport': 'true', ...r.context },
    },
    identityPolicies: prepared as any,
    resourcePolicy: resourcePolicy as any,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  return result === 'Allowed' ? 'Allowed' : 'Denied';
}

type Caller = 'alice' | 'admin';
const session = (role: string) => `arn:aws:sts::${IDENTITY_ACCOUNT}:assumed-role/${role}/CognitoIdentityCredentials`;

function request(caller: Caller, action: string, key: string, options: { identity?: boolean; resource?: boolean; prefix?: string } = {}): Request {
  const roleId = caller === 'alice' ? synth.roleIds.authenticated : synth.roleIds.admins;
  const role = caller === 'alice' ? synth.roles.authenticated : synth.roles.admins;
  const sub = caller === 'alice' ? ALICE : 'us-east-1:cccccccc-0000-4000-8000-000000000004';
  const isList = action === 's3:ListBucket';
  return {
    principal: session(role),
    principalAccount: IDENTITY_ACCOUNT,
    identity: options.identity === false ? [] : identityPolicies(synth.identity, roleId),
    resourcePolicy: options.resource === false ? undefined : RESOURCE_POLICY,
    action,
    resource: isList ? `arn:aws:s3:::${synth.bucket}` : `arn:aws:s3:::${synth.bucket}/${key}`,
    context: { [SUB]: sub, ...(isList ? { 's3:prefix': options.prefix ?? key } : {}) },
  };
}

/** The oracle: DESIGN.md's rules for this app. */
function expected(caller: Caller, action: string, key: string): Verdict {
  const sub = caller === 'alice' ? ALICE : 'us-east-1:cccccccc-0000-4000-8000-000000000004';
  const read = action === 's3:GetObject' || action === 's3:ListBucket';
  if (key.startsWith(`private/${sub}/`)) {
    return ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject'].includes(action) ? 'Allowed' : 'Denied';
  }
  if (key.startsWith('private/') && caller === 'admin' && /^private\/[a-z]{2}-[a-z]+-\d:[0-9a-f-]{36}\//.test(key)) {
    return read ? 'Allowed' : 'Denied';
  }
  if (key.startsWith('public/')) {
    return read ? 'Allowed' : 'Denied';
  }
  return 'Denied';
}

describe('cross-account bucket: identity policy and bucket policy decide together', () => {
  const keys = [`private/${ALICE}/notes.txt`, `private/${BOB}/notes.txt`, 'public/logo.png', 'private/x', 'other/file'];
  const actions = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
  const cases = (['alice', 'admin'] as Caller[]).flatMap(caller => keys.flatMap(key => actions.map(action => ({ caller, key, action }))));

  test.each(cases)('$caller $action $key', ({ caller, key, action }) => {
    // GIVEN the pool's roles in the identity account and the bucket in the workload account
    // WHEN the caller's session asks for the object
    // THEN both sides together give the oracle's verdict
    expect(decide(request(caller, action, key))).toBe(expected(caller, action, key));
  });

  test('a user lists their own folder in the workload account, never the root or another user\'s folder', () => {
    expect(decide(request('alice', 's3:ListBucket', '', { prefix: `private/${ALICE}/` }))).toBe('Allowed');
    expect(decide(request('alice', 's3:ListBucket', '', { prefix: `private/${BOB}/` }))).toBe('Denied');
    expect(decide(request('alice', 's3:ListBucket', '', { prefix: 'private/' }))).toBe('Denied');
    expect(decide(request('alice', 's3:ListBucket', '', { prefix: '' }))).toBe('Denied');
  });

  test('removing either side denies a request both sides allow', () => {
    // GIVEN a request both sides allow
    const own = `private/${ALICE}/notes.txt`;
    expect(decide(request('alice', 's3:GetObject', own))).toBe('Allowed');
    // WHEN one side is missing THEN the request is denied
    expect(decide(request('alice', 's3:GetObject', own, { identity: false }))).toBe('Denied');
    expect(decide(request('alice', 's3:GetObject', own, { resource: false }))).toBe('Denied');
    expect(decide(request('admin', 's3:GetObject', `private/${BOB}/notes.txt`, { resource: false }))).toBe('Denied');
  });

  test('the bucket policy alone grants nothing to any other principal', () => {
    // GIVEN principals that are not the pool's roles, in the identity, workload and another account, each with an identity policy allowing all of S3
    const allowAll: NamedDoc = { name: 'all', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } };
    const others = [
      `arn:aws:sts::${IDENTITY_ACCOUNT}:assumed-role/SomeOtherRole/session`,
      `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/${synth.roles.authenticated}/CognitoIdentityCredentials`,
      `arn:aws:iam::${OTHER_ACCOUNT}:user/mallory`,
    ];
    for (const principal of others) {
      for (const key of [`private/${ALICE}/notes.txt`, 'public/logo.png']) {
        // WHEN they ask for an object THEN the bucket policy gives them nothing
        expect(decide({ ...request('alice', 's3:GetObject', key), principal, identity: [allowAll] })).toBe('Denied');
      }
    }
    // AND in the workload account itself, a principal without an identity policy gets nothing from the bucket policy
    expect(decide({ ...request('alice', 's3:GetObject', 'public/logo.png'), principal: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/Reader/session`, identity: [] }))
      .toBe('Denied');
  });

  test('the bucket policy names exactly the pool roles that hold a rule on the bucket', () => {
    const principals = new Set(RESOURCE_POLICY.Statement.filter(s => s.Effect === 'Allow').map(s => s.Principal.AWS));
    expect([...principals].sort()).toEqual([
      `arn:aws:iam::${IDENTITY_ACCOUNT}:role/${synth.roles.admins}`,
      `arn:aws:iam::${IDENTITY_ACCOUNT}:role/${synth.roles.authenticated}`,
    ].sort());
  });
});

describe('per-region identity pools', () => {
  test('one region\'s credentials are denied in the other region\'s bucket, and allowed in their own', () => {
    // GIVEN a user of the eu-west-1 pool, with the eu pool's authenticated role
    const euIdentity = identityPolicies(synth.identityEu, synth.roleIds.euAuthenticated);
    const euSession = session(synth.roles.euAuthenticated);
    const own = (bucket: string) => `arn:aws:s3:::${bucket}/private/${EU_ALICE}/notes.txt`;
    const ask = (bucket: string, policy: Doc): Verdict => decide({
      principal: euSession,
      principalAccount: IDENTITY_ACCOUNT,
      identity: euIdentity,
      resourcePolicy: policy,
      action: 's3:GetObject',
      resource: own(bucket),
      context: { [SUB]: EU_ALICE },
    });
    // WHEN they read their folder in each region's bucket
    // THEN only their own region's bucket allows it
    expect(ask(synth.bucketEu, RESOURCE_POLICY_EU)).toBe('Allowed');
    expect(ask(synth.bucket, RESOURCE_POLICY)).toBe('Denied');
    // AND the us-east-1 pool's role is denied in the eu bucket
    expect(decide({
      ...request('alice', 's3:GetObject', ''), resource: `arn:aws:s3:::${synth.bucketEu}/private/${ALICE}/notes.txt`, resourcePolicy: RESOURCE_POLICY_EU,
    })).toBe('Denied');
  });

  test('each region\'s pool has its own roles', () => {
    expect(synth.roles.euAuthenticated).not.toEqual(synth.roles.authenticated);
    const principals = new Set(RESOURCE_POLICY_EU.Statement.filter(s => s.Effect === 'Allow').map(s => s.Principal.AWS));
    expect([...principals]).toEqual([`arn:aws:iam::${IDENTITY_ACCOUNT}:role/${synth.roles.euAuthenticated}`]);
  });
});

describe('cross-account table: identity policy and table resource policy decide together', () => {
  const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${WORKLOAD_ACCOUNT}:table/${synth.table}`;
  const tablePolicy: Doc = resolveIntrinsics(
    Object.values<any>(synth.workload.Resources).find(r => r.Type === 'AWS::DynamoDB::GlobalTable').Properties.Replicas[0].ResourcePolicy.PolicyDocument,
    VALUES);
  const ask = (action: string, leadingKeys: string[] | undefined, options: { identity?: boolean; resource?: boolean } = {}): Verdict => decide({
    principal: session(synth.roles.authenticated),
    principalAccount: IDENTITY_ACCOUNT,
    identity: options.identity === false ? [] : identityPolicies(synth.identity, synth.roleIds.authenticated),
    resourcePolicy: options.resource === false ? undefined : tablePolicy,
    action,
    resource: TABLE_ARN,
    context: { [SUB]: ALICE, ...(leadingKeys ? { 'dynamodb:LeadingKeys': leadingKeys } : {}) },
  });

  test('a user reaches their own items, never another user\'s, and never scans', () => {
    // GIVEN owner rules on the workload account's table
    // THEN alice reads and writes items whose partition key is her identity id only
    expect(ask('dynamodb:GetItem', [ALICE])).toBe('Allowed');
    expect(ask('dynamodb:PutItem', [ALICE])).toBe('Allowed');
    expect(ask('dynamodb:GetItem', [BOB])).toBe('Denied');
    expect(ask('dynamodb:Query', [BOB])).toBe('Denied');
    expect(ask('dynamodb:Scan', undefined)).toBe('Denied');
    expect(ask('dynamodb:DeleteItem', [ALICE])).toBe('Denied'); // no DELETE rule
  });

  test('removing either side denies', () => {
    expect(ask('dynamodb:GetItem', [ALICE], { identity: false })).toBe('Denied');
    expect(ask('dynamodb:GetItem', [ALICE], { resource: false })).toBe('Denied');
  });

  test('the table\'s resource policy alone grants nothing to any other principal', () => {
    const allowAll: NamedDoc = { name: 'all', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] } };
    for (const principal of [`arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/Any/session`, `arn:aws:sts::${IDENTITY_ACCOUNT}:assumed-role/SomeOtherRole/session`]) {
      expect(decide({
        principal,
        principalAccount: OTHER_ACCOUNT,
        identity: [allowAll],
        resourcePolicy: tablePolicy,
        action: 'dynamodb:GetItem',
        resource: TABLE_ARN,
        context: { [SUB]: ALICE, 'dynamodb:LeadingKeys': [ALICE] },
      })).toBe('Denied');
    }
  });
});
