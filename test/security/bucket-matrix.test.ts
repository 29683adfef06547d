import { createValidatedPolicy, validateIdentityPolicy } from '@cloud-copilot/iam-policy';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * The security matrix: the SYNTHESIZED identity policies of every role of the pool (inline and
 * managed policies attached to it), with intrinsics resolved to fake concrete values, evaluated
 * with @cloud-copilot/iam-simulate `runUnsafeSimulation` (the only mode that resolves
 * `${cognito-identity.amazonaws.com:sub}` and `${aws:PrincipalTag/...}`); every policy is
 * validated first with `validateIdentityPolicy`.
 *
 * The expected verdicts come from an independent oracle of DESIGN.md's semantics (below), not
 * from the compiler. Three mutants of the synthesized JSON must each change some verdict.
 */

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
/** An identity id of the pool: `<region>:<uuid>`. */
const IDENTITY_SHAPE = /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FOREIGN_ID = 'eu-west-1:00000009-aaaa-bbbb-cccc-000000000009';
const BUCKET = 'files-bucket-example';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const SUB = 'cognito-identity.amazonaws.com:sub';
const TENANT_TAG = 'aws:PrincipalTag/tenant';

type Verdict = 'Allowed' | 'Denied';
type Doc = { Version: string; Statement: any[] };
type Kind = 'GET' | 'PUT' | 'DELETE' | 'LIST';

// ---------------------------------------------------------------------------------------------
// The app under test: the seven DESIGN.md rules plus one nested rule (for the child-path Deny)
// ---------------------------------------------------------------------------------------------

function synthesize(): { template: any; roles: Record<string, string>; bucketId: string } {
  const app = new App();
  const stack = new Stack(app, 'Matrix', { env: { account: ACCOUNT, region: REGION } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Identities', {
    sources: [IdentitySource.userDirectory(users, web)],
    guestAccess: true,
    principalTags: { tenant: 'custom:tenant' },
  });
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
  files.allow('public/*', Audience.guest(), Access.READ);
  files.allow('public/*', Audience.authenticated(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
  files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
  files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);
  // Nested: only admins may use reports; everybody else loses public/* there (explicit Denies).
  files.allow('public/reports/*', Audience.group('admins'), Access.READ, Access.WRITE, Access.DELETE);

  const admins = pool.roleForGroup('admins');
  return {
    template: Template.fromStack(stack).toJSON(),
    roles: {
      guest: stack.resolve((pool.guestRole!.node.defaultChild as any).logicalId),
      authenticated: stack.resolve((pool.authenticatedRole.node.defaultChild as any).logicalId),
      admins: stack.resolve((admins.node.defaultChild as any).logicalId),
    },
    bucketId: stack.resolve((files.bucket.node.defaultChild as any).logicalId),
  };
}

/** Replaces intrinsics by fake concrete values. */
function resolveFake(value: any, bucketId: string): any {
  if (Array.isArray(value)) {
    return value.map(v => resolveFake(v, bucketId));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if ('Fn::Join' in value) {
    const [sep, parts] = value['Fn::Join'];
    return parts.map((p: any) => resolveFake(p, bucketId)).join(sep);
  }
  if ('Fn::GetAtt' in value) {
    const [id, attr] = value['Fn::GetAtt'];
    if (id === bucketId && attr === 'Arn') {
      return BUCKET_ARN;
    }
    throw new Error(`unexpected GetAtt ${id}.${attr}`);
  }
  if ('Ref' in value) {
    const known: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, [bucketId]: BUCKET };
    if (known[value.Ref] === undefined) {
      throw new Error(`unexpected Ref ${value.Ref}`);
    }
    return known[value.Ref];
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveFake(v, bucketId)]));
}

/** Every identity policy attached to a role: its inline policies, AWS::IAM::Policy and AWS::IAM::ManagedPolicy naming it. */
function policiesOf(template: any, roleId: string, bucketId: string): Array<{ name: string; doc: Doc }> {
  const found: Array<{ name: string; doc: Doc }> = [];
  const resources: Record<string, any> = template.Resources;
  const role = resources[roleId];
  for (const p of role.Properties.Policies ?? []) {
    found.push({ name: `${roleId}/${p.PolicyName}`, doc: resolveFake(p.PolicyDocument, bucketId) });
  }
  for (const [id, r] of Object.entries<any>(resources)) {
    if ((r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy')
      && (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId)) {
      found.push({ name: id, doc: resolveFake(r.Properties.PolicyDocument, bucketId) });
    }
  }
  expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
  return found;
}

// ---------------------------------------------------------------------------------------------
// Principals, keys and the oracle
// ---------------------------------------------------------------------------------------------

interface Principal {
  readonly name: string;
  readonly role: 'guest' | 'authenticated' | 'admins';
  readonly id: string;
  readonly tenant?: string;
}

const ID = (n: number) => `${REGION}:0000000${n}-aaaa-bbbb-cccc-00000000000${n}`;
const PRINCIPALS: Principal[] = [
  { name: 'guest', role: 'guest', id: ID(1) },
  { name: 'alice', role: 'authenticated', id: ID(2), tenant: 'tenant-a' },
  { name: 'bob', role: 'authenticated', id: ID(3), tenant: 'tenant-b' },
  { name: 'carol', role: 'admins', id: ID(4), tenant: 'tenant-c' },
  { name: 'tenant-a user', role: 'authenticated', id: ID(5), tenant: 'tenant-a' },
  { name: 'tenant-b user', role: 'authenticated', id: ID(6), tenant: 'tenant-b' },
  { name: 'untagged user', role: 'authenticated', id: ID(7) },
];
const ALICE = ID(2);
const BOB = ID(3);

/** Object keys: every DESIGN.md path plus paths no rule covers. */
const KEYS = [
  'public/file.txt', 'public/reports/q1.csv',
  `protected/${ALICE}/a.txt`, `protected/${BOB}/b.txt`,
  `private/${ALICE}/a.txt`, `private/${BOB}/b.txt`,
  'tenants/tenant-a/x.txt', 'tenants/tenant-b/x.txt',
  'root.txt', 'private/x.txt', 'other/x.txt',
  // `{identity}` is never empty, never a folder no identity owns, never an id of another region
  'protected//x.txt', 'private//x.txt', 'protected/exports/all.csv', `protected/${FOREIGN_ID}/x.txt`,
];
/** List prefixes ('' = the bucket root, no `s3:prefix`). */
const PREFIXES = [
  '', 'public/', 'public/reports/', 'protected/', `protected/${ALICE}/`, `protected/${BOB}/`,
  'private/', `private/${ALICE}/`, `private/${BOB}/`, 'tenants/', 'tenants/tenant-a/', 'tenants/tenant-b/', 'other/',
  'protected//', 'private//', 'protected/exports/', `protected/${FOREIGN_ID}/`,
];

type Seg = { lit: string } | { identity: true } | { tag: string };
interface OracleRule { readonly path: Seg[]; readonly audience: string; readonly kinds: Kind[] }
const RW: Kind[] = ['GET', 'LIST', 'PUT', 'DELETE'];
const ORACLE_RULES: OracleRule[] = [
  { path: [{ lit: 'public' }], audience: 'guest', kinds: ['GET', 'LIST'] },
  { path: [{ lit: 'public' }], audience: 'authenticated', kinds: RW },
  { path: [{ lit: 'protected' }, { identity: true }], audience: 'owner', kinds: RW },
  { path: [{ lit: 'protected' }, { identity: true }], audience: 'authenticated', kinds: ['GET', 'LIST'] },
  { path: [{ lit: 'private' }, { identity: true }], audience: 'owner', kinds: RW },
  { path: [{ lit: 'private' }, { identity: true }], audience: 'group:admins', kinds: ['GET', 'LIST'] },
  { path: [{ lit: 'tenants' }, { tag: 'tenant' }], audience: 'authenticated', kinds: ['GET', 'LIST', 'PUT'] },
  { path: [{ lit: 'public' }, { lit: 'reports' }], audience: 'group:admins', kinds: RW },
];

/** Whether a rule path (as a pattern, or for a caller) covers a key or list prefix. */
function covers(path: Seg[], key: string, caller?: { p: Principal; audience: string }): boolean {
  const parts = key.split('/');
  if (parts.length <= path.length) {
    return false; // the pattern needs `<segments>/` before anything
  }
  return path.every((seg, i) => {
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
      return caller?.audience === 'owner' ? part === caller.p.id : IDENTITY_SHAPE.test(part);
    }
    if (!caller) {
      return true;
    }
    return caller.p.tenant !== undefined && part === caller.p.tenant;
  });
}

function reachesOracle(audience: string, p: Principal): boolean {
  if (audience === 'guest') {
    return p.role === 'guest';
  }
  if (audience === 'authenticated' || audience === 'owner') {
    return p.role !== 'guest';
  }
  return audience === `group:${p.role}`;
}

/** DESIGN.md: the innermost path covering the key decides; the audience needs a rule there. */
function oracle(p: Principal, kind: Kind, key: string): Verdict {
  const matching = ORACLE_RULES.filter(r => covers(r.path, key));
  if (matching.length === 0) {
    return 'Denied';
  }
  const depth = Math.max(...matching.map(r => r.path.length));
  const deciding = matching.filter(r => r.path.length === depth);
  return deciding.some(r => r.kinds.includes(kind) && reachesOracle(r.audience, p) && covers(r.path, key, { p, audience: r.audience }))
    ? 'Allowed' : 'Denied';
}

interface Case {
  readonly principal: Principal;
  readonly kind: Kind;
  readonly path: string;
  readonly expected: Verdict;
}

function cases(): Case[] {
  const all: Case[] = [];
  for (const principal of PRINCIPALS) {
    for (const key of KEYS) {
      for (const kind of ['GET', 'PUT', 'DELETE'] as Kind[]) {
        all.push({ principal, kind, path: key, expected: oracle(principal, kind, key) });
      }
    }
    for (const prefix of PREFIXES) {
      all.push({ principal, kind: 'LIST', path: prefix, expected: prefix === '' ? 'Denied' : oracle(principal, 'LIST', prefix) });
    }
  }
  return all;
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

const ACTIONS: Record<Kind, string> = { GET: 's3:GetObject', PUT: 's3:PutObject', DELETE: 's3:DeleteObject', LIST: 's3:ListBucket' };

function evaluate(docs: Array<{ name: string; doc: Doc }>, c: Case): Verdict {
  const identityPolicies = docs.map(d => {
    const policy = createValidatedPolicy(d.doc, validateIdentityPolicy, { name: d.name });
    expect(policy.errors).toEqual([]);
    return { name: d.name, policy };
  });
  const context: Record<string, string | string[]> = {
    [SUB]: c.principal.id,
    'aws:SecureTransport': 'true',
    ...(c.principal.tenant !== undefined ? { [TENANT_TAG]: c.principal.tenant } : {}),
    ...(c.kind === 'LIST' && c.path !== '' ? { 's3:prefix': c.path } : {}),
  };
  const result = runUnsafeSimulation({
    request: {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${c.principal.role}/CognitoIdentityCredentials`,
      action: ACTIONS[c.kind],
      resource: { resource: c.kind === 'LIST' ? BUCKET_ARN : `${BUCKET_ARN}/${c.path}`, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: identityPolicies as any,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  return result === 'Allowed' ? 'Allowed' : 'Denied';
}

type RoleDocs = Record<Principal['role'], Array<{ name: string; doc: Doc }>>;

function verdicts(roleDocs: RoleDocs, all: Case[]): Verdict[] {
  return all.map(c => evaluate(roleDocs[c.principal.role], c));
}

const describeCase = (c: Case) => `${c.principal.name} ${c.kind} ${c.path || '<root>'}`;

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('bucket security matrix (synthesized policies, iam-simulate)', () => {
  const { template, roles, bucketId } = synthesize();
  const roleDocs: RoleDocs = {
    guest: policiesOf(template, roles.guest, bucketId),
    authenticated: policiesOf(template, roles.authenticated, bucketId),
    admins: policiesOf(template, roles.admins, bucketId),
  };
  const all = cases();

  test('every role has policies and every policy validates', () => {
    for (const docs of Object.values(roleDocs)) {
      expect(docs.length).toBeGreaterThan(0);
      for (const d of docs) {
        expect(validateIdentityPolicy(d.doc)).toEqual([]);
      }
    }
  });

  test('at least 200 cases, and every deny has a matching allow', () => {
    const allows = all.filter(c => c.expected === 'Allowed');
    const denies = all.filter(c => c.expected === 'Denied');
    expect(all.length).toBeGreaterThanOrEqual(200);
    // no rule grants this action on this path to anybody (e.g. DELETE under tenants/)
    const uncovered = (c: Case) => c.path === '' || ORACLE_RULES.every(r => !covers(r.path, c.path) || !r.kinds.includes(c.kind));
    for (const d of denies) {
      // covered paths: the same action on the same path is allowed for the right principal;
      // paths where no rule grants the action: the same principal (a guest, who never writes:
      // anybody) is allowed the action on a covered path.
      const pair = uncovered(d)
        ? allows.find(a => a.kind === d.kind && a.principal === d.principal) ?? allows.find(a => a.kind === d.kind)
        : allows.find(a => a.kind === d.kind && a.path === d.path);
      expect([describeCase(d), pair !== undefined]).toEqual([describeCase(d), true]);
    }
    // eslint-disable-next-line no-console
    console.log(`bucket matrix: ${all.length} cases, ${allows.length} allows, ${denies.length} denies `
      + `(${denies.filter(d => !uncovered(d)).length} paired on the same action and path)`);
  });

  test('the synthesized policies give exactly the expected verdicts', () => {
    const got = verdicts(roleDocs, all);
    const wrong = all.filter((c, i) => got[i] !== c.expected).map(c => `${describeCase(c)}: expected ${c.expected}`);
    expect(wrong).toEqual([]);
  });

  test('spot checks of the table itself', () => {
    const find = (name: string, kind: Kind, path: string) => all.find(c => c.principal.name === name && c.kind === kind && c.path === path)!.expected;
    expect(find('alice', 'LIST', `private/${ALICE}/`)).toBe('Allowed');
    expect(find('alice', 'LIST', 'private/')).toBe('Denied');
    expect(find('alice', 'LIST', `private/${BOB}/`)).toBe('Denied');
    expect(find('alice', 'LIST', '')).toBe('Denied');
    expect(find('carol', 'GET', `private/${BOB}/b.txt`)).toBe('Allowed');
    expect(find('carol', 'PUT', `private/${BOB}/b.txt`)).toBe('Denied');
    expect(find('alice', 'GET', 'public/reports/q1.csv')).toBe('Denied');
    expect(find('guest', 'PUT', 'public/file.txt')).toBe('Denied');
    expect(find('untagged user', 'GET', 'tenants/tenant-a/x.txt')).toBe('Denied');
    expect(find('tenant-a user', 'PUT', 'tenants/tenant-a/x.txt')).toBe('Allowed');
  });

  describe('mutants of the synthesized JSON are caught', () => {
    const mutate = (fn: (statement: any) => any | undefined): RoleDocs => {
      const out: any = {};
      for (const [role, docs] of Object.entries(roleDocs)) {
        out[role] = docs.map(d => ({
          name: d.name,
          doc: { ...d.doc, Statement: d.doc.Statement.map(s => fn(JSON.parse(JSON.stringify(s)))).filter(s => s !== undefined) },
        }));
      }
      return out;
    };
    const changed = (mutant: RoleDocs) => {
      const got = verdicts(mutant, all);
      return all.filter((c, i) => got[i] !== c.expected).map(describeCase);
    };
    const caught: string[] = [];
    afterAll(() => {
      // eslint-disable-next-line no-console
      console.log(`bucket matrix mutants caught: ${caught.length}/3 (${caught.join(', ')})`);
    });

    test('the s3:prefix condition removed from ListBucket allows', () => {
      // WHEN
      const mutant = mutate(s => {
        if (s.Effect === 'Allow' && s.Action === 's3:ListBucket' && s.Condition?.StringLike) {
          delete s.Condition.StringLike['s3:prefix'];
          if (Object.keys(s.Condition.StringLike).length === 0) {
            delete s.Condition.StringLike;
          }
          if (Object.keys(s.Condition).length === 0) {
            delete s.Condition;
          }
        }
        return s;
      });
      // THEN
      const diff = changed(mutant);
      expect(diff).toContain('alice LIST <root>');
      expect(diff).toContain(`alice LIST private/${BOB}/`);
      caught.push('list condition');
    });

    test('the owner variable replaced by *', () => {
      // WHEN
      const mutant = mutate(s => JSON.parse(JSON.stringify(s).split('${cognito-identity.amazonaws.com:sub}').join('*')));
      // THEN
      const diff = changed(mutant);
      expect(diff).toContain(`alice PUT private/${BOB}/b.txt`);
      expect(diff).toContain(`alice LIST private/${BOB}/`);
      caught.push('owner token');
    });

    test('the child-path Deny removed', () => {
      // GIVEN the nested rule produces Denies on public/reports/
      const denies = Object.values(roleDocs).flat().flatMap(d => d.doc.Statement).filter(s => s.Effect === 'Deny');
      expect(denies.length).toBeGreaterThan(0);
      // WHEN
      const mutant = mutate(s => (s.Effect === 'Deny' && JSON.stringify(s).includes('public/reports') ? undefined : s));
      // THEN
      const diff = changed(mutant);
      expect(diff).toContain('alice GET public/reports/q1.csv');
      expect(diff).toContain('guest GET public/reports/q1.csv');
      caught.push('child deny');
    });
  });
});
