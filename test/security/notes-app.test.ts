import { Template } from 'aws-cdk-lib/assertions';
import {
  Context, Doc, NamedDoc, Verdict, evaluateIdentity, evaluateTrust, identityPolicyErrors, policiesOf, resolveIntrinsics, trustPolicyErrors,
} from './harness';
import { buildNotesApp } from '../../examples/notes-app';

/*
 * One security matrix over everything the notes app (examples/notes-app.ts) grants, evaluated on
 * its SYNTHESIZED template with @cloud-copilot/iam-simulate:
 *
 * - trust: sts:AssumeRoleWithWebIdentity / sts:TagSession on every role, with this pool's or
 *   another pool's `aud` and authenticated / unauthenticated `amr` (as trust.test.ts does it);
 * - S3: the seven DESIGN.md bucket rules, for a guest, two owners (alice, bob: different identity
 *   ids and tenants), carol in `admins` and an untagged user, GET/PUT/DELETE/LIST on every rule's
 *   paths and on paths no rule covers;
 * - DynamoDB: own partition / other's partition / mixed / no leading key, and Scan;
 * - API: GET/POST/PUT/DELETE/PATCH on /notes, /notes/x, /admin/x, /other, ... for a guest, an
 *   authenticated user and an admins member.
 *
 * Expected verdicts come from an oracle written from DESIGN.md (not from the policy compiler).
 * Every deny is paired with an allow of the same action on the same resource for another
 * principal or context wherever DESIGN.md allows that action there to anybody.
 */

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** An identity id of the pool: `<region>:<uuid>`. */
const IDENTITY_SHAPE = /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FOREIGN_ID = 'eu-west-1:00000009-aaaa-bbbb-cccc-000000000009';
const POOL_ID = 'us-east-1:aaaaaaaa-1111-2222-3333-444444444444';
const OTHER_POOL_ID = 'us-east-1:bbbbbbbb-5555-6666-7777-888888888888';
// Long, realistic physical names (CloudFormation-generated) so the size check is not optimistic.
const BUCKET = 'notesapp-uploadsbucketc4b27cc7-abcdefghijkl0123456789abcdefghij';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/NotesApp-NotesTableD0D0D2F1-ABCDEFGHIJKLM`;
const API_ID = 'a1b2c3d4e5';
const STAGE_ARN = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod`;
const SUB = 'cognito-identity.amazonaws.com:sub';
const TENANT_TAG = 'aws:PrincipalTag/tenant';
const AUD = 'cognito-identity.amazonaws.com:aud';
const AMR = 'cognito-identity.amazonaws.com:amr';
const ASSUME = 'sts:AssumeRoleWithWebIdentity';
const TAG = 'sts:TagSession';
const USER_POOL_PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_example';
const SIGNED_IN_AMR = ['authenticated', USER_POOL_PROVIDER, `${USER_POOL_PROVIDER}:CognitoSignIn:sub`];
// An identity of the directly federated Google source: authenticated, but not through the directory.
const GOOGLE_AMR = ['authenticated', 'accounts.google.com', 'accounts.google.com:112233445566778899'];

/** The pool's roles, and the thumbnail back end's role (`Audience.principal(thumbnailFn)`). */
type RoleName = 'guest' | 'authenticated' | 'admins' | 'thumbnails';
type Kind = 'trust' | 's3' | 'dynamodb' | 'api';

// ---------------------------------------------------------------------------------------------
// The app under test
// ---------------------------------------------------------------------------------------------

interface Synthesized {
  readonly template: any;
  readonly roleIds: Record<RoleName, string>;
  readonly policies: Record<RoleName, NamedDoc[]>;
  readonly trusts: Record<RoleName, Doc>;
  readonly values: Record<string, string>;
  /** The example's own Lambda functions (wave 2: a pre token generation trigger and an admin back end). */
  readonly functionIds: { readonly groupScopes: string; readonly admin: string; readonly thumbnails: string };
}

function synthesize(): Synthesized {
  const { stack } = buildNotesApp();
  const template = Template.fromStack(stack).toJSON();
  const idOf = (c: any) => stack.getLogicalId(c.node.defaultChild);
  const onlyOfType = (type: string) => {
    const ids = Object.keys(template.Resources).filter(id => template.Resources[id].Type === type);
    expect([type, ids.length]).toEqual([type, 1]);
    return ids[0];
  };
  const bucketId = idOf(stack.files.bucket);
  const tableId = onlyOfType('AWS::DynamoDB::GlobalTable');
  const values: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    [bucketId]: BUCKET,
    [`${bucketId}.Arn`]: BUCKET_ARN,
    [tableId]: TABLE_ARN.split('/')[1],
    [`${tableId}.Arn`]: TABLE_ARN,
    [onlyOfType('AWS::ApiGateway::RestApi')]: API_ID,
    [onlyOfType('AWS::ApiGateway::Stage')]: 'prod',
    [stack.getLogicalId(stack.identities.identityPool)]: POOL_ID,
  };
  expect(stack.identities.guestRole).toBeDefined();
  const roleIds: Record<RoleName, string> = {
    guest: idOf(stack.identities.guestRole!),
    authenticated: idOf(stack.identities.authenticatedRole),
    admins: idOf(stack.identities.roleForGroup('admins')),
    thumbnails: idOf(stack.thumbnailFn.role!),
  };
  const policies = {} as Record<RoleName, NamedDoc[]>;
  const trusts = {} as Record<RoleName, Doc>;
  for (const role of Object.keys(roleIds) as RoleName[]) {
    policies[role] = policiesOf(template, roleIds[role], values);
    // Trust policies may reference the identity pool only.
    const poolOnly = {
      [stack.getLogicalId(stack.identities.identityPool)]: POOL_ID,
      [`${stack.getLogicalId(stack.users.userPool.node.defaultChild as any)}.ProviderName`]: USER_POOL_PROVIDER,
    };
    trusts[role] = resolveIntrinsics(template.Resources[roleIds[role]].Properties.AssumeRolePolicyDocument, poolOnly);
  }
  const functionIds = { groupScopes: idOf(stack.groupScopesFn), admin: idOf(stack.adminFn), thumbnails: idOf(stack.thumbnailFn) };
  return { template, roleIds, policies, trusts, values, functionIds };
}

// ---------------------------------------------------------------------------------------------
// Principals
// ---------------------------------------------------------------------------------------------

interface Principal {
  readonly name: string;
  readonly role: RoleName;
  readonly id: string;
  readonly tenant?: string;
}

const ID = (n: number) => `${REGION}:0000000${n}-aaaa-bbbb-cccc-00000000000${n}`;
const GUEST: Principal = { name: 'guest', role: 'guest', id: ID(1) };
const ALICE: Principal = { name: 'alice', role: 'authenticated', id: ID(2), tenant: 'tenant-a' };
const BOB: Principal = { name: 'bob', role: 'authenticated', id: ID(3), tenant: 'tenant-b' };
const CAROL: Principal = { name: 'carol(admins)', role: 'admins', id: ID(4), tenant: 'tenant-a' };
const DAVE: Principal = { name: 'dave(untagged)', role: 'authenticated', id: ID(5) };
// Tag values a `{tag:tenant}` segment must never match: empty, and spanning two segments.
const ERIN: Principal = { name: 'erin(empty tag)', role: 'authenticated', id: ID(6), tenant: '' };
const FRANK: Principal = { name: 'frank(tag with /)', role: 'authenticated', id: ID(7), tenant: 'tenant-a/evil' };
// The thumbnail back end (Audience.principal): its own role, no identity of the pool.
const THUMBNAILS: Principal = { name: 'thumbnails(back end)', role: 'thumbnails', id: ID(8) };
const S3_PRINCIPALS = [GUEST, ALICE, BOB, CAROL, DAVE, ERIN, FRANK, THUMBNAILS];
const TABLE_PRINCIPALS = [GUEST, ALICE, BOB, CAROL, THUMBNAILS];
const API_PRINCIPALS = [GUEST, ALICE, CAROL, THUMBNAILS];

/** A signed-in identity of the pool (any role but the guest's and the back end's). */
function signedIn(p: Principal): boolean {
  return p.role !== 'guest' && p.role !== 'thumbnails';
}

// ---------------------------------------------------------------------------------------------
// Cases: one shape for every kind; `resource` + `action` identify what a deny pairs with
// ---------------------------------------------------------------------------------------------

interface Case {
  readonly kind: Kind;
  readonly id: string;
  readonly role: RoleName;
  readonly action: string;
  /** The resource as the pairing sees it (for DynamoDB: the table and the leading keys). */
  readonly target: string;
  readonly resource: string;
  readonly context: Context;
  readonly expected: Verdict;
}

// ---- trust (DESIGN.md: this pool's aud + the right amr; TagSession for roles that receive tags)

function trustCases(): Case[] {
  const cases: Case[] = [];
  const contexts: Array<{ name: string; context: Context; amr?: 'authenticated' | 'unauthenticated'; thisPool: boolean; directory?: boolean }> = [
    { name: 'this pool, authenticated', context: { [AUD]: POOL_ID, [AMR]: SIGNED_IN_AMR }, amr: 'authenticated', thisPool: true, directory: true },
    { name: 'this pool, authenticated with Google directly', context: { [AUD]: POOL_ID, [AMR]: GOOGLE_AMR }, amr: 'authenticated', thisPool: true },
    { name: 'this pool, unauthenticated', context: { [AUD]: POOL_ID, [AMR]: ['unauthenticated'] }, amr: 'unauthenticated', thisPool: true },
    { name: 'another pool, authenticated', context: { [AUD]: OTHER_POOL_ID, [AMR]: SIGNED_IN_AMR }, amr: 'authenticated', thisPool: false, directory: true },
    { name: 'another pool, unauthenticated', context: { [AUD]: OTHER_POOL_ID, [AMR]: ['unauthenticated'] }, amr: 'unauthenticated', thisPool: false },
    { name: 'this pool, no amr', context: { [AUD]: POOL_ID }, thisPool: true },
    { name: 'no aud, authenticated', context: { [AMR]: SIGNED_IN_AMR }, amr: 'authenticated', thisPool: false, directory: true },
  ];
  for (const role of ['guest', 'authenticated', 'admins'] as RoleName[]) {
    // The guest role is for unauthenticated identities; the others for signed-in ones, and those
    // receive the `tenant` principal tag, so they also trust sts:TagSession. Guests carry no tags.
    // The admins role is mapped from the directory's group: only the directory's identities
    // (their `amr` names the user pool) may assume it, not identities of the Google source.
    const wantedAmr = role === 'guest' ? 'unauthenticated' : 'authenticated';
    for (const action of [ASSUME, TAG]) {
      for (const c of contexts) {
        const ok = c.thisPool && c.amr === wantedAmr && (action === ASSUME || role !== 'guest') && (role !== 'admins' || c.directory === true);
        cases.push({
          kind: 'trust',
          id: `trust ${role} role: ${action} ${c.name}`,
          role,
          action,
          target: `role/${role}`,
          resource: `arn:aws:iam::${ACCOUNT}:role/${role}`,
          context: c.context,
          expected: ok ? 'Allowed' : 'Denied',
        });
      }
    }
  }
  return cases;
}

// ---- S3 (DESIGN.md's seven bucket rules and path semantics)

type Access = 'GET' | 'PUT' | 'DELETE' | 'LIST';
type Seg = { lit: string } | { identity: true } | { tag: string };
interface BucketRule {
  readonly path: Seg[];
  readonly audience: 'guest' | 'authenticated' | 'owner' | 'group:admins' | 'principal:thumbnails';
  readonly access: Access[];
}
const READ: Access[] = ['GET', 'LIST'];
const RWD: Access[] = ['GET', 'LIST', 'PUT', 'DELETE'];
const BUCKET_RULES: BucketRule[] = [
  { path: [{ lit: 'public' }], audience: 'guest', access: READ },
  { path: [{ lit: 'public' }], audience: 'authenticated', access: RWD },
  { path: [{ lit: 'public' }], audience: 'principal:thumbnails', access: READ },
  { path: [{ lit: 'protected' }, { identity: true }], audience: 'owner', access: RWD },
  { path: [{ lit: 'protected' }, { identity: true }], audience: 'authenticated', access: READ },
  { path: [{ lit: 'private' }, { identity: true }], audience: 'owner', access: RWD },
  { path: [{ lit: 'private' }, { identity: true }], audience: 'group:admins', access: READ },
  { path: [{ lit: 'tenants' }, { tag: 'tenant' }], audience: 'authenticated', access: ['GET', 'LIST', 'PUT'] },
];

/** Owner and authenticated rules reach every signed-in role; group rules only the group's; guest only the guest's. */
function reaches(audience: BucketRule['audience'], p: Principal): boolean {
  if (audience === 'guest') {
    return p.role === 'guest';
  }
  if (audience === 'authenticated' || audience === 'owner') {
    return signedIn(p);
  }
  return audience === `group:${p.role}` || audience === `principal:${p.role}`;
}

/** Whether a rule path covers a key or list prefix: its segments, then `/` and anything (possibly nothing, for a prefix). */
function covers(rule: BucketRule, key: string, p?: Principal): boolean {
  const parts = key.split('/');
  if (parts.length <= rule.path.length) {
    return false;
  }
  return rule.path.every((seg, i) => {
    const part = parts[i];
    if (part === '') {
      return false;
    }
    if ('lit' in seg) {
      return part === seg.lit;
    }
    if ('identity' in seg) {
      // DESIGN.md: the owner's own id; for everyone else (and as a pattern) any identity id of the
      // pool, never an empty segment or a folder such as `exports/`
      return rule.audience === 'owner' && p ? part === p.id : IDENTITY_SHAPE.test(part);
    }
    if (!p) {
      return true;
    }
    return p.tenant !== undefined && part === p.tenant;
  });
}

function s3Oracle(p: Principal, access: Access, key: string): Verdict {
  if (key === '') {
    return 'Denied'; // nobody lists the bucket root
  }
  return BUCKET_RULES.some(r => r.access.includes(access) && reaches(r.audience, p) && covers(r, key, p)) ? 'Allowed' : 'Denied';
}

const KEYS = [
  'public/file.txt', 'public/deep/er/file.txt',
  `protected/${ALICE.id}/a.txt`, `protected/${BOB.id}/b.txt`, `protected/${CAROL.id}/c.txt`,
  `private/${ALICE.id}/a.txt`, `private/${BOB.id}/b.txt`, `private/${CAROL.id}/c.txt`,
  'tenants/tenant-a/x.txt', 'tenants/tenant-b/x.txt', 'tenants/tenant-a/evil/x.txt', 'tenants//x.txt',
  // no rule covers these
  'root.txt', 'publicity/x.txt', 'protected/x.txt', 'private/x.txt', 'tenants/x.txt', 'other/x.txt',
  // `{identity}` is never empty, never a folder no identity owns, never an id of another region
  'protected//x.txt', 'private//x.txt', 'protected/exports/all.csv', 'private/exports/all.csv',
  `protected/${FOREIGN_ID}/x.txt`, `protected/exports/${BOB.id}/x.txt`,
];
const PREFIXES = [
  '', 'public/', 'public/deep/', 'protected/', `protected/${ALICE.id}/`, `protected/${BOB.id}/`,
  'private/', `private/${ALICE.id}/`, `private/${BOB.id}/`, `private/${CAROL.id}/sub/`,
  'tenants/', 'tenants/tenant-a/', 'tenants/tenant-b/', 'tenants/tenant-a/evil/', 'tenants//', 'other/', 'publicity/',
  'protected//', 'private//', 'protected/exports/', `protected/${FOREIGN_ID}/`,
];
const S3_ACTIONS: Record<Access, string> = { GET: 's3:GetObject', PUT: 's3:PutObject', DELETE: 's3:DeleteObject', LIST: 's3:ListBucket' };

function s3Cases(): Case[] {
  const cases: Case[] = [];
  const context = (p: Principal): Context => ({
    [SUB]: p.id, 'aws:SecureTransport': 'true', ...(p.tenant !== undefined ? { [TENANT_TAG]: p.tenant } : {}),
  });
  for (const p of S3_PRINCIPALS) {
    for (const key of KEYS) {
      for (const access of ['GET', 'PUT', 'DELETE'] as Access[]) {
        cases.push({
          kind: 's3',
          id: `s3 ${p.name} ${access} ${key}`,
          role: p.role,
          action: S3_ACTIONS[access],
          target: key,
          resource: `${BUCKET_ARN}/${key}`,
          context: context(p),
          expected: s3Oracle(p, access, key),
        });
      }
    }
    for (const prefix of PREFIXES) {
      cases.push({
        kind: 's3',
        id: `s3 ${p.name} LIST ${prefix || '<root>'}`,
        role: p.role,
        action: S3_ACTIONS.LIST,
        target: `list:${prefix}`,
        resource: BUCKET_ARN,
        context: { ...context(p), ...(prefix !== '' ? { 's3:prefix': prefix } : {}) },
        expected: s3Oracle(p, 'LIST', prefix),
      });
    }
  }
  return cases;
}

// ---- DynamoDB (DESIGN.md: owner access by LeadingKeys with a Null guard, never Scan)

const OWNER_TABLE_ACTIONS = ['GetItem', 'BatchGetItem', 'ConditionCheckItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem', 'DeleteItem'];

function tableOracle(p: Principal, action: string, keys: string[] | undefined): Verdict {
  // allowOwnItems(owner, READ, WRITE, DELETE): every signed-in role, own partition only; the
  // thumbnail back end is no signed-in identity.
  const own = keys !== undefined && keys.length > 0 && keys.every(k => k === p.id);
  return signedIn(p) && OWNER_TABLE_ACTIONS.includes(action) && own ? 'Allowed' : 'Denied';
}

function tableCases(): Case[] {
  const cases: Case[] = [];
  const other = (p: Principal) => (p === ALICE ? BOB.id : ALICE.id);
  const keySets: Array<{ name: string; keys: (p: Principal) => string[] | undefined }> = [
    { name: 'own partition', keys: p => [p.id] },
    { name: "other's partition", keys: p => [other(p)] },
    { name: 'own and other partitions', keys: p => [p.id, other(p)] },
    { name: 'no leading key', keys: () => undefined },
  ];
  for (const p of TABLE_PRINCIPALS) {
    for (const action of [...OWNER_TABLE_ACTIONS, 'Scan']) {
      for (const keySet of keySets) {
        if (action === 'Scan' && keySet.name !== 'no leading key') {
          continue; // a Scan carries no leading keys
        }
        const keys = keySet.keys(p);
        cases.push({
          kind: 'dynamodb',
          id: `dynamodb ${p.name} ${action} ${keySet.name}`,
          role: p.role,
          action: `dynamodb:${action}`,
          target: `table keys=${keys ? keys.join(',') : '<none>'}`,
          resource: TABLE_ARN,
          context: { [SUB]: p.id, ...(keys ? { 'dynamodb:LeadingKeys': keys } : {}) },
          expected: tableOracle(p, action, keys),
        });
      }
    }
  }
  return cases;
}

// ---- API (DESIGN.md: /notes/* authenticated GET/POST/PUT/DELETE, covering /notes; /admin/* admins, any method)

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
// `/notes/1/admin` and `/public/admin`: routes that end in another rule's path (a `*` in the
// method slot of `<stage>/*/admin` would reach them, as `*` also matches `/`).
const API_PATHS = ['/notes', '/notes/x', '/notes/x/comments', '/notesX', '/admin', '/admin/x', '/admin/x/y', '/other', '/', '/notes/1/admin', '/public/admin'];

function apiOracle(p: Principal, method: string, path: string): Verdict {
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  if (under('/notes') && signedIn(p) && ['GET', 'POST', 'PUT', 'DELETE'].includes(method)) {
    return 'Allowed';
  }
  return under('/admin') && p.role === 'admins' ? 'Allowed' : 'Denied';
}

function apiCases(): Case[] {
  const cases: Case[] = [];
  for (const p of API_PRINCIPALS) {
    for (const method of METHODS) {
      for (const path of API_PATHS) {
        cases.push({
          kind: 'api',
          id: `api ${p.name} ${method} ${path}`,
          role: p.role,
          action: 'execute-api:Invoke',
          target: `${method} ${path}`,
          resource: `${STAGE_ARN}/${method}${path}`,
          context: { [SUB]: p.id },
          expected: apiOracle(p, method, path),
        });
      }
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

interface Subject {
  readonly policies: Record<RoleName, NamedDoc[]>;
  readonly trusts: Record<RoleName, Doc>;
}

async function evaluate(subject: Subject, c: Case): Promise<Verdict> {
  if (c.kind === 'trust') {
    return evaluateTrust(subject.trusts[c.role], c.resource, ACCOUNT, c.action, c.context);
  }
  return evaluateIdentity(subject.policies[c.role], {
    principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${c.role}/CognitoIdentityCredentials`,
    action: c.action,
    resource: c.resource,
    accountId: ACCOUNT,
    context: c.context,
  });
}

async function wrong(subject: Subject, cases: Case[]): Promise<string[]> {
  const out: string[] = [];
  for (const c of cases) {
    if (await evaluate(subject, c) !== c.expected) {
      out.push(`${c.id}: expected ${c.expected}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutants of the synthesized JSON: each must flip at least one verdict
// ---------------------------------------------------------------------------------------------

function mapStatements(subject: Subject, edit: (s: any, role: RoleName) => any, trustEdit?: (s: any, role: RoleName) => any): Subject {
  const copy: Subject = JSON.parse(JSON.stringify(subject));
  for (const role of Object.keys(copy.policies) as RoleName[]) {
    for (const d of copy.policies[role]) {
      d.doc.Statement = d.doc.Statement.map(s => edit(s, role)).filter(s => s !== undefined);
    }
    if (trustEdit) {
      copy.trusts[role].Statement = copy.trusts[role].Statement.map(s => trustEdit(s, role));
    }
  }
  return copy;
}

const replaceAll = (s: any, from: string, to: string) => JSON.parse(JSON.stringify(s).split(from).join(to));
const same = (s: any) => s;

function dropCondition(s: any, operator: string, key: string): any {
  if (s.Condition?.[operator]?.[key] === undefined) {
    return s;
  }
  const copy = JSON.parse(JSON.stringify(s));
  delete copy.Condition[operator][key];
  if (Object.keys(copy.Condition[operator]).length === 0) {
    delete copy.Condition[operator];
  }
  if (Object.keys(copy.Condition).length === 0) {
    delete copy.Condition;
  }
  return copy;
}

const MUTANTS: Array<{ name: string; mutate: (subject: Subject) => Subject }> = [
  { name: 's3:prefix condition removed from ListBucket', mutate: x => mapStatements(x, s => dropCondition(s, 'StringLike', 's3:prefix')) },
  { name: 'owner ${sub} widened to *', mutate: x => mapStatements(x, s => replaceAll(s, '${cognito-identity.amazonaws.com:sub}', '*')) },
  { name: 'tenant ${aws:PrincipalTag/tenant} widened to *', mutate: x => mapStatements(x, s => replaceAll(s, '${aws:PrincipalTag/tenant}', '*')) },
  { name: 'tenant tag guard removed', mutate: x => mapStatements(x, s => dropCondition(dropCondition(s, 'StringLike', TENANT_TAG), 'StringNotLike', TENANT_TAG)) },
  { name: 'DynamoDB Null guard removed', mutate: x => mapStatements(x, s => dropCondition(s, 'Null', 'dynamodb:LeadingKeys')) },
  {
    name: 'ForAllValues weakened to ForAnyValue',
    mutate: x => mapStatements(x, s => replaceAll(s, 'ForAllValues:StringEquals', 'ForAnyValue:StringEquals')),
  },
  { name: 'API /notes widened to /notes*', mutate: x => mapStatements(x, s => replaceAll(s, '/notes"', '/notes*"')) },
  { name: 'API /<method>/admin/* widened to /<method>/*', mutate: x => mapStatements(x, s => replaceAll(s, '/admin/*', '/*')) },
  {
    name: 'API methods of /admin collapsed to a * in the method slot (the reviewed defect)',
    mutate: x => mapStatements(x, s => replaceAll(s, '/PATCH/admin', '/*/admin')),
  },
  { name: 'API method GET widened to *', mutate: x => mapStatements(x, s => replaceAll(s, '/GET/notes', '/*/notes')) },
  {
    name: 'group (admins) statements on every signed-in role',
    mutate: x => {
      const copy: Subject = JSON.parse(JSON.stringify(x));
      const own = new Set(x.policies.authenticated.map(d => d.name));
      copy.policies.authenticated.push(...copy.policies.admins.filter(d => !own.has(d.name)));
      return copy;
    },
  },
  {
    name: 'the back end granted the whole bucket (bucket.grantRead(fn) instead of the rule language)',
    mutate: x => mapStatements(x, (s, role) => (role === 'thumbnails' ? replaceAll(s, '/public/*', '/*') : s)),
  },
  {
    name: 'authenticated statements on the guest role',
    mutate: x => {
      const copy: Subject = JSON.parse(JSON.stringify(x));
      const own = new Set(x.policies.guest.map(d => d.name));
      copy.policies.guest.push(...copy.policies.authenticated.filter(d => !own.has(d.name)));
      return copy;
    },
  },
  { name: 'trust: aud condition removed', mutate: x => mapStatements(x, same, s => dropCondition(s, 'StringEquals', AUD)) },
  { name: 'trust: amr condition removed', mutate: x => mapStatements(x, same, s => dropCondition(s, 'ForAnyValue:StringLike', AMR)) },
  { name: 'trust: another pool trusted', mutate: x => mapStatements(x, same, s => replaceAll(s, POOL_ID, OTHER_POOL_ID)) },
  {
    name: 'trust: amr provider condition removed (any source\'s identity may assume the admins role)',
    mutate: x => mapStatements(x, same, s => dropCondition(s, 'ForAnyValue:StringEquals', AMR)),
  },
  {
    name: 'trust: sts:TagSession on the guest role',
    mutate: x => mapStatements(x, same, (s, role) => (role === 'guest' ? { ...s, Action: [ASSUME, TAG] } : s)),
  },
  {
    name: 'trust: sts:TagSession dropped',
    mutate: x => mapStatements(x, same, s => ({ ...s, Action: ASSUME })),
  },
];

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('notes app security matrix (synthesized template, iam-simulate)', () => {
  const synthesized = synthesize();
  const subject: Subject = { policies: synthesized.policies, trusts: synthesized.trusts };
  const all: Case[] = [...trustCases(), ...s3Cases(), ...tableCases(), ...apiCases()];
  const kinds: Kind[] = ['trust', 's3', 'dynamodb', 'api'];

  test('every role has identity policies, and every identity and trust policy validates', () => {
    for (const role of Object.keys(subject.policies) as RoleName[]) {
      expect(subject.policies[role].length).toBeGreaterThan(0);
      expect(identityPolicyErrors(subject.policies[role])).toEqual([]);
      expect(trustPolicyErrors(subject.trusts[role])).toEqual([]);
      expect(subject.trusts[role].Statement).toHaveLength(1);
      // the pool's roles trust the identity pool only; the back end's role, Lambda only
      expect(subject.trusts[role].Statement[0].Principal)
        .toEqual(role === 'thumbnails' ? { Service: 'lambda.amazonaws.com' } : { Federated: 'cognito-identity.amazonaws.com' });
    }
  });

  test('at least 400 cases; every deny paired with an allow of the same action on the same resource where one exists', () => {
    expect(all.length).toBeGreaterThanOrEqual(400);
    expect(new Set(all.map(c => c.id)).size).toBe(all.length);
    const allowed = new Set(all.filter(c => c.expected === 'Allowed').map(c => `${c.kind}|${c.action}|${c.target}`));
    const lines: string[] = [];
    for (const kind of kinds) {
      const ofKind = all.filter(c => c.kind === kind);
      const denies = ofKind.filter(c => c.expected === 'Denied');
      const paired = denies.filter(d => allowed.has(`${d.kind}|${d.action}|${d.target}`));
      // A deny without a pair must be one DESIGN.md grants nobody: no principal of any role
      // gets this action on this resource (the matrix covers every principal for every target).
      for (const d of denies.filter(x => !paired.includes(x))) {
        const anyAllowed = all.some(c => c.kind === d.kind && c.action === d.action && c.target === d.target && c.expected === 'Allowed');
        expect([d.id, anyAllowed]).toEqual([d.id, false]);
      }
      expect(paired.length).toBeGreaterThan(0);
      lines.push(`${kind}: ${ofKind.length} cases (${ofKind.length - denies.length} allow, ${denies.length} deny; `
        + `${paired.length} denies paired, ${denies.length - paired.length} where nobody may)`);
    }
    // The security claims are paired on the same action and resource.
    for (const id of [
      `s3 bob GET private/${ALICE.id}/a.txt`, `s3 alice LIST private/${BOB.id}/`, 's3 guest PUT public/file.txt',
      `s3 bob PUT protected/${ALICE.id}/a.txt`, 's3 bob GET tenants/tenant-a/x.txt', 's3 dave(untagged) GET tenants/tenant-a/x.txt', 's3 frank(tag with /) PUT tenants/tenant-a/evil/x.txt',
      `s3 carol(admins) PUT private/${BOB.id}/b.txt`, "dynamodb bob PutItem other's partition", 'api guest GET /notes', 'api alice GET /admin/x',
      'trust guest role: sts:AssumeRoleWithWebIdentity this pool, authenticated', 'trust authenticated role: sts:AssumeRoleWithWebIdentity another pool, authenticated',
    ]) {
      const c = all.find(x => x.id === id);
      expect([id, c?.expected, allowed.has(`${c?.kind}|${c?.action}|${c?.target}`)]).toEqual([id, 'Denied', true]);
    }
    // eslint-disable-next-line no-console
    console.log(`notes-app matrix: ${all.length} cases (${all.filter(c => c.expected === 'Allowed').length} allow, `
      + `${all.filter(c => c.expected === 'Denied').length} deny)\n  ${lines.join('\n  ')}`);
  });

  test('spot checks of the oracle against DESIGN.md', () => {
    const expected = (id: string) => all.find(c => c.id === id)?.expected;
    expect(expected(`s3 alice LIST private/${ALICE.id}/`)).toBe('Allowed');
    expect(expected('s3 alice LIST private/')).toBe('Denied');
    expect(expected('s3 alice LIST <root>')).toBe('Denied');
    expect(expected(`s3 carol(admins) GET private/${BOB.id}/b.txt`)).toBe('Allowed');
    expect(expected(`s3 carol(admins) PUT private/${CAROL.id}/c.txt`)).toBe('Allowed'); // a group member keeps owner access
    expect(expected(`s3 alice GET protected/${BOB.id}/b.txt`)).toBe('Allowed');
    expect(expected('s3 guest GET public/file.txt')).toBe('Allowed');
    expect(expected('s3 alice DELETE tenants/tenant-a/x.txt')).toBe('Denied');
    expect(expected('dynamodb carol(admins) PutItem own partition')).toBe('Allowed');
    expect(expected('dynamodb alice Scan no leading key')).toBe('Denied');
    expect(expected('api alice PATCH /notes')).toBe('Denied');
    expect(expected('api carol(admins) PATCH /admin/x')).toBe('Allowed');
    expect(expected('trust guest role: sts:TagSession this pool, unauthenticated')).toBe('Denied');
    expect(expected('s3 frank(tag with /) PUT tenants/tenant-a/evil/x.txt')).toBe('Denied');
    expect(expected('s3 alice PUT tenants/tenant-a/evil/x.txt')).toBe('Allowed');
    expect(expected('s3 erin(empty tag) LIST tenants//')).toBe('Denied');
  });

  describe.each(['trust', 's3', 'dynamodb', 'api'] as Kind[])('%s cases: the synthesized policies give exactly the expected verdicts', (kind) => {
    test('no wrong verdict', async () => {
      expect(await wrong(subject, all.filter(c => c.kind === kind))).toEqual([]);
    });
  });

  test('every mutant flips at least one verdict', async () => {
    const results: Array<{ name: string; flipped: number }> = [];
    for (const m of MUTANTS) {
      results.push({ name: m.name, flipped: (await wrong(m.mutate(subject), all)).length });
    }
    const survivors = results.filter(r => r.flipped === 0).map(r => r.name);
    // eslint-disable-next-line no-console
    console.log(`notes-app matrix mutants caught: ${results.length - survivors.length}/${results.length}\n  `
      + results.map(r => `${r.name}: ${r.flipped} verdicts flipped`).join('\n  '));
    expect(survivors).toEqual([]);
  });

  test('no statement grants dynamodb:Scan (a Scan carries no leading keys, so the Null guard alone would also deny it)', () => {
    const actions = Object.values(subject.policies).flat().flatMap(d => d.doc.Statement)
      .filter(s => s.Effect === 'Allow').flatMap(s => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a: string) => /^dynamodb:(Scan|\*|.*\*)$/.test(a) || a === '*')).toEqual([]);
  });

  test('zero Lambda-backed custom resources: the only functions are the app\'s own trigger and back ends', () => {
    const resources = Object.values<any>(synthesized.template.Resources);
    const custom = resources.filter(r => r.Type === 'AWS::CloudFormation::CustomResource' || r.Type.startsWith('Custom::'));
    expect(custom).toEqual([]);
    const functions = Object.keys(synthesized.template.Resources).filter(id => synthesized.template.Resources[id].Type === 'AWS::Lambda::Function');
    expect(functions.sort()).toEqual([synthesized.functionIds.groupScopes, synthesized.functionIds.admin, synthesized.functionIds.thumbnails].sort());
  });

  test('every managed policy is at most 6,144 characters, every role\'s inline policies together at most 10,240 (resolved, whitespace removed)', () => {
    const resources: Record<string, any> = synthesized.template.Resources;
    const sizeOf = (doc: any) => JSON.stringify(resolveIntrinsics(doc, synthesized.values)).length;
    const sizes = Object.entries<any>(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy')
      .map(([id, r]) => ({ id, size: sizeOf(r.Properties.PolicyDocument) }));
    expect(sizes.length).toBeGreaterThan(0);
    expect(sizes.filter(s => s.size > 6144)).toEqual([]);
    // IAM counts a role's own Policies and every AWS::IAM::Policy attached to it against one inline aggregate.
    const inline = Object.values(synthesized.roleIds).map(id => ({
      id,
      size: (resources[id].Properties.Policies ?? []).reduce((n: number, p: any) => n + sizeOf(p.PolicyDocument), 0)
        + Object.values<any>(resources)
          .filter(r => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((x: any) => x.Ref === id))
          .reduce((n: number, r: any) => n + sizeOf(r.Properties.PolicyDocument), 0),
    }));
    expect(inline.filter(s => s.size > 10240)).toEqual([]);
    const managedOf = (id: string) => (resources[id].Properties.ManagedPolicyArns ?? []).length
      + Object.values<any>(resources).filter(r => r.Type === 'AWS::IAM::ManagedPolicy' && (r.Properties.Roles ?? []).some((x: any) => x.Ref === id)).length;
    expect(Object.values(synthesized.roleIds).filter(id => managedOf(id) > 10)).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(`notes-app managed policy sizes: ${sizes.map(s => `${s.id}=${s.size}`).join(', ')}; inline per role: ${inline.map(s => `${s.id}=${s.size}`).join(', ')}`);
  });
});
