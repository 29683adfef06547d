import { Lazy, Token } from 'aws-cdk-lib';
import { Access } from '../../src/access/access';
import { Audience } from '../../src/access/audience';
import {
  atomize, documentSize, INLINE_POLICIES_MAX_LENGTH, jsonLength, LengthOf, MANAGED_POLICY_MAX_LENGTH, mergeStatements, packStatements,
  planPolicies, splitCommon, Statement, statementSize, toIamJson, tooManyPoliciesError, tooManyPoliciesMessage,
} from '../../src/access/private/fit';
import { compileBucketPolicies } from '../../src/access/private/s3';
import { ValidationError } from '../../src/private/errors';

const SUB = '${cognito-identity.amazonaws.com:sub}';
const B = 'arn:aws:s3:::b';

const get = (...resources: string[]): Statement => ({ effect: 'Allow', actions: ['s3:GetObject'], resources });
const put = (...resources: string[]): Statement => ({ effect: 'Allow', actions: ['s3:PutObject'], resources });
const list = (...prefixes: string[]): Statement => ({
  effect: 'Allow', actions: ['s3:ListBucket'], resources: [B], conditions: { StringLike: { 's3:prefix': prefixes } },
});

/** A statement (with an action of its own, so that it never merges) exactly `size` characters long. */
function statementOfSize(size: number, name = 'x'): Statement {
  const of = (resource: string): Statement => ({ effect: 'Allow', actions: [`s3:Get${name}`], resources: [resource] });
  const base = statementSize(of(`${B}/${name}/`));
  return of(`${B}/${name}/${'a'.repeat(size - base)}`);
}

describe('sizes', () => {
  test('a statement is measured as minified JSON, single values as strings', () => {
    // GIVEN
    const s: Statement = { effect: 'Allow', actions: ['s3:GetObject'], resources: [`${B}/public/*`] };

    // THEN
    expect(toIamJson(s)).toEqual({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${B}/public/*` });
    expect(statementSize(s)).toBe(JSON.stringify(toIamJson(s)).length);
    expect(statementSize(s)).toBe('{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"}'.length);
  });

  test('a document is measured with its Version and Statement envelope', () => {
    // GIVEN
    const statements = [get(`${B}/a/*`, `${B}/b/*`), list('a/', 'a/*')];

    // THEN
    expect(documentSize([])).toBe('{"Version":"2012-10-17","Statement":[]}'.length);
    expect(documentSize(statements)).toBe(JSON.stringify({ Version: '2012-10-17', Statement: statements.map(toIamJson) }).length);
  });

  test('token values are measured with the injected lengthOf (e.g. their longest resolved form)', () => {
    // GIVEN
    const arn = Lazy.string({ produce: () => 'arn:aws:s3:::resolved' });
    const worstCase: LengthOf = v => (Token.isUnresolved(v) ? v.replace(/\$\{Token\[[^\]]*\]\}/g, 'X'.repeat(83)).length : v.length);
    const s = get(`${arn}/public/*`);

    // THEN
    expect(statementSize(s, worstCase)).toBe(statementSize(get(`${'X'.repeat(83)}/public/*`)));
    expect(jsonLength('say "hi"')).toBe(JSON.stringify('say "hi"').length);
  });
});

describe('mergeStatements', () => {
  test('unites resources of statements with the same effect, actions and conditions', () => {
    // WHEN
    const merged = mergeStatements([get(`${B}/b/*`), get(`${B}/a/*`, `${B}/b/*`), get(`${B}/${SUB}/*`)]);

    // THEN
    expect(merged.map(toIamJson)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: [`${B}/${SUB}/*`, `${B}/a/*`, `${B}/b/*`] },
    ]);
  });

  test('unites actions of statements with the same resources', () => {
    // WHEN
    const merged = mergeStatements([get(`${B}/a/*`, `${B}/b/*`), put(`${B}/b/*`, `${B}/a/*`)]);

    // THEN
    expect(merged.map(toIamJson)).toEqual([
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [`${B}/a/*`, `${B}/b/*`] },
    ]);
  });

  test('picks the smaller of the merge orders', () => {
    // GIVEN: GET on a, b, c; PUT on a, b
    const input = [get(`${B}/a/*`), get(`${B}/b/*`), get(`${B}/c/*`), put(`${B}/a/*`), put(`${B}/b/*`)];
    const byAction = [get(`${B}/a/*`, `${B}/b/*`, `${B}/c/*`), put(`${B}/a/*`, `${B}/b/*`)];

    // WHEN
    const merged = mergeStatements(input);

    // THEN: GET+PUT on a, b and GET on c repeat fewer ARNs than one statement per action
    expect(merged.map(toIamJson)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${B}/c/*` },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [`${B}/a/*`, `${B}/b/*`] },
    ]);
    const total = (statements: Statement[]) => statements.reduce((n, x) => n + statementSize(x), 0);
    expect(total(merged)).toBeLessThan(total(byAction));
  });

  test('unites the values of one disjunctive condition (s3:prefix) and then the resources with equal conditions', () => {
    // WHEN
    const merged = mergeStatements([
      list('a/', 'a/*'),
      list('b/', 'b/*'),
      { ...list('a/', 'a/*', 'b/', 'b/*'), resources: ['arn:aws:s3:::c'] },
    ]);

    // THEN
    expect(merged.map(toIamJson)).toEqual([
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: [B, 'arn:aws:s3:::c'], Condition: { StringLike: { 's3:prefix': ['a/', 'a/*', 'b/', 'b/*'] } } },
    ]);
  });

  test('never merges Allow with Deny, nor across negated conditions', () => {
    // GIVEN
    const denyA: Statement = { effect: 'Deny', actions: ['s3:ListBucket'], resources: [B], conditions: { StringLike: { 's3:prefix': ['a/*/'] }, StringNotLike: { 's3:prefix': ['a/x/'] } } };
    const denyB: Statement = { effect: 'Deny', actions: ['s3:ListBucket'], resources: [B], conditions: { StringLike: { 's3:prefix': ['b/*/'] }, StringNotLike: { 's3:prefix': ['b/y/'] } } };
    const denyC: Statement = { effect: 'Deny', actions: ['s3:ListBucket'], resources: [B], conditions: { StringLike: { 's3:prefix': ['c/*/'] }, StringNotLike: { 's3:prefix': ['a/x/'] } } };

    // WHEN
    const merged = mergeStatements([get(`${B}/a/*`), { ...get(`${B}/a/*`), effect: 'Deny' }, denyA, denyB, denyC]);

    // THEN: denyA and denyC share their exceptions and merge; denyB stays apart
    expect(merged.map(toIamJson)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${B}/a/*` },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: `${B}/a/*` },
      { Effect: 'Deny', Action: 's3:ListBucket', Resource: B, Condition: { StringLike: { 's3:prefix': 'b/*/' }, StringNotLike: { 's3:prefix': 'b/y/' } } },
      { Effect: 'Deny', Action: 's3:ListBucket', Resource: B, Condition: { StringLike: { 's3:prefix': ['a/*/', 'c/*/'] }, StringNotLike: { 's3:prefix': 'a/x/' } } },
    ]);
  });

  test('never merges statements that depend on different principal tags (an unresolvable variable voids its whole statement)', () => {
    // GIVEN
    const tagged = { ...get(`${B}/t/\${aws:PrincipalTag/tenant}/*`), effect: 'Deny' as const };
    const plain = { ...get(`${B}/docs/*`), effect: 'Deny' as const };

    // WHEN
    const merged = mergeStatements([tagged, plain, { ...get(`${B}/own/${SUB}/*`), effect: 'Deny' }]);

    // THEN: the identity id is always resolvable, so it merges with the plain one
    expect(merged.map(toIamJson)).toEqual([
      { Effect: 'Deny', Action: 's3:GetObject', Resource: `${B}/t/\${aws:PrincipalTag/tenant}/*` },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: [`${B}/docs/*`, `${B}/own/${SUB}/*`] },
    ]);
  });

  test('atoms allow exactly what the statements do', () => {
    // WHEN
    const atoms = atomize([{ ...list('a/', 'a/*'), actions: ['s3:ListBucket', 's3:ListBucketVersions'] }]);

    // THEN
    expect(atoms.map(toIamJson)).toEqual([
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: B, Condition: { StringLike: { 's3:prefix': 'a/' } } },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: B, Condition: { StringLike: { 's3:prefix': 'a/*' } } },
      { Effect: 'Allow', Action: 's3:ListBucketVersions', Resource: B, Condition: { StringLike: { 's3:prefix': 'a/' } } },
      { Effect: 'Allow', Action: 's3:ListBucketVersions', Resource: B, Condition: { StringLike: { 's3:prefix': 'a/*' } } },
    ]);
  });
});

describe('packStatements', () => {
  test('a document exactly at the limit is one document', () => {
    // GIVEN: two statements whose document is exactly 6,144 characters
    const first = statementOfSize(3000, 'one');
    const envelope = documentSize([]);
    const second = statementOfSize(MANAGED_POLICY_MAX_LENGTH - envelope - 3000 - 1, 'two');
    expect(documentSize([first, second])).toBe(MANAGED_POLICY_MAX_LENGTH);

    // WHEN
    const documents = packStatements([first, second]);

    // THEN
    expect(documents).toHaveLength(1);
    expect(documents[0].size).toBe(6144);
    expect(documents[0].statements).toHaveLength(2);
  });

  test('one character over the limit makes two documents', () => {
    // GIVEN
    const first = statementOfSize(3000, 'one');
    const second = statementOfSize(MANAGED_POLICY_MAX_LENGTH - documentSize([]) - 3000, 'two');
    expect(documentSize([first, second])).toBe(MANAGED_POLICY_MAX_LENGTH + 1);

    // WHEN
    const documents = packStatements([first, second]);

    // THEN
    expect(documents.map(d => d.size)).toEqual([documentSize([second]), documentSize([first])]);
    expect(documents.every(d => d.size <= MANAGED_POLICY_MAX_LENGTH)).toBe(true);
  });

  test('packs by first-fit decreasing and reports each size', () => {
    // GIVEN
    const statements = [statementOfSize(400, 'a'), statementOfSize(300, 'b'), statementOfSize(200, 'c'), statementOfSize(100, 'd')];
    const max = documentSize([]) + 400 + 1 + 100;

    // WHEN
    const documents = packStatements(statements, { maxSize: max });

    // THEN
    expect(documents.map(d => d.statements.map(s => s.resources[0].split('/')[1]))).toEqual([['a', 'd'], ['b', 'c']]);
    expect(documents.map(d => d.size)).toEqual([max, documentSize([]) + 300 + 1 + 200]);
  });

  test('splits a statement too large for one document by its resources', () => {
    // GIVEN
    const resources = Array.from({ length: 120 }, (_, i) => `${B}/tenant-${String(i).padStart(3, '0')}/${'r'.repeat(60)}/*`);
    const big = get(...resources);
    expect(statementSize(big)).toBeGreaterThan(MANAGED_POLICY_MAX_LENGTH);

    // WHEN
    const documents = packStatements([big]);

    // THEN
    expect(documents.length).toBe(2);
    expect(documents.every(d => d.size <= MANAGED_POLICY_MAX_LENGTH)).toBe(true);
    expect(documents.flatMap(d => d.statements.flatMap(s => s.resources)).sort()).toEqual(resources);
    expect(documents.flatMap(d => d.statements).every(s => s.actions.join() === 's3:GetObject')).toBe(true);
  });

  test('splits a large s3:prefix list, keeping everything else', () => {
    // GIVEN
    const prefixes = Array.from({ length: 300 }, (_, i) => `folder-${String(i).padStart(3, '0')}/${'p'.repeat(30)}/*`);

    // WHEN
    const documents = packStatements([list(...prefixes)], { maxSize: INLINE_POLICIES_MAX_LENGTH });

    // THEN
    expect(documents.length).toBeGreaterThan(1);
    expect(documents.every(d => d.size <= INLINE_POLICIES_MAX_LENGTH)).toBe(true);
    expect(documents.flatMap(d => d.statements.flatMap(s => s.conditions!.StringLike['s3:prefix'])).sort()).toEqual(prefixes);
  });

  test('fails for a single resource too large for any document', () => {
    // GIVEN
    const huge = get(`${B}/${'x'.repeat(MANAGED_POLICY_MAX_LENGTH)}/*`);

    // WHEN / THEN
    expect(() => packStatements([huge])).toThrow(ValidationError);
    expect(() => packStatements([huge])).toThrow(/^`statements`: A single policy statement needs 6\d{3} characters, more than a policy document of 6144 characters can hold/);
  });
});

describe('splitCommon and planPolicies', () => {
  test('statements every role has are common, the rest stays with each role', () => {
    // GIVEN: the admins role's GET statement lists more resources than the others'
    const roles = new Map<string, Statement[]>([
      ['authenticated', [get(`${B}/public/*`, `${B}/own/${SUB}/*`), list('public/', 'public/*')]],
      ['group:admins', [get(`${B}/public/*`, `${B}/own/${SUB}/*`, `${B}/admin/*`), list('public/', 'public/*', 'admin/', 'admin/*')]],
      ['group:editors', [get(`${B}/own/${SUB}/*`, `${B}/public/*`), list('public/*', 'public/')]],
    ]);

    // WHEN
    const split = splitCommon(roles);

    // THEN
    expect(split.common.map(toIamJson)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: [`${B}/own/${SUB}/*`, `${B}/public/*`] },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: B, Condition: { StringLike: { 's3:prefix': ['public/', 'public/*'] } } },
    ]);
    expect(split.remainder.get('authenticated')).toEqual([]);
    expect(split.remainder.get('group:editors')).toEqual([]);
    expect(split.remainder.get('group:admins')!.map(toIamJson)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${B}/admin/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: B, Condition: { StringLike: { 's3:prefix': ['admin/', 'admin/*'] } } },
    ]);
  });

  test('a single role has nothing in common', () => {
    // WHEN
    const split = splitCommon(new Map([['authenticated', [get(`${B}/a/*`)]]]));

    // THEN
    expect(split.common).toEqual([]);
    expect(split.remainder.get('authenticated')!.map(toIamJson)).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${B}/a/*` }]);
  });

  function designRoles(buckets: number, groups: string[]) {
    const roles = new Map<string, Statement[]>();
    for (let b = 0; b < buckets; b++) {
      const policies = compileBucketPolicies([
        { path: 'public/*', audience: Audience.authenticated(), access: [Access.READ, Access.WRITE, Access.DELETE] },
        { path: 'protected/{identity}/*', audience: Audience.owner(), access: [Access.READ, Access.WRITE, Access.DELETE] },
        { path: 'protected/{identity}/*', audience: Audience.authenticated(), access: [Access.READ] },
        { path: 'private/{identity}/*', audience: Audience.owner(), access: [Access.READ, Access.WRITE, Access.DELETE] },
        { path: 'private/{identity}/*', audience: Audience.group('admins'), access: [Access.READ] },
        { path: 'tenants/{tag:tenant}/*', audience: Audience.authenticated(), access: [Access.READ, Access.WRITE] },
      ], { bucketArn: `arn:aws:s3:::bucket-${String(b).padStart(2, '0')}-${'n'.repeat(40)}`, identityRegion: 'us-east-1', groups, mappedTags: ['tenant'] });
      for (const [view, statements] of policies.views) {
        if (view !== 'guest') {
          roles.set(view, [...(roles.get(view) ?? []), ...statements]);
        }
      }
    }
    return roles;
  }

  test('the DESIGN.md rules on 50 buckets for 200 group roles: one shared set for all, one own set for admins', () => {
    // GIVEN
    const groups = Array.from({ length: 199 }, (_, i) => `group-${String(i).padStart(3, '0')}`);
    const roles = designRoles(50, groups);

    // WHEN
    const plan = planPolicies(roles);

    // THEN
    expect(plan.roles.size).toBe(201);
    expect(plan.overLimit).toEqual([]);
    expect(plan.sets.map(set => [set.roles.length, set.documents.length])).toEqual([[201, 6], [1, 2]]);
    expect(plan.sets[1].roles).toEqual(['group:admins']);
    // 32 KB of shared statements fill 6 documents, 5 of them nearly full (statements are split to
    // fill them): each leaves less room than one more statement of these needs (about 130-200
    // characters with the identity-id patterns)
    expect(plan.sets[0].documents.slice(0, 5).every(d => d.size > MANAGED_POLICY_MAX_LENGTH - 200 && d.size <= MANAGED_POLICY_MAX_LENGTH)).toBe(true);
    expect(plan.roles.get('group:admins')!.managedPolicies).toBe(8);
    expect(plan.roles.get('group:group-000')!.managedPolicies).toBe(6);
    expect(plan.roles.get('authenticated')!.totalSize).toBe(plan.sets[0].documents.reduce((sum, d) => sum + d.size, 0));
    // the admins role may read every private/ folder: its own set holds exactly that
    const adminStatements = plan.sets[1].documents.flatMap(d => d.statements);
    expect(new Set(adminStatements.flatMap(st => st.actions))).toEqual(new Set(['s3:GetObject', 's3:ListBucket']));
    expect(adminStatements.flatMap(st => st.resources).filter(r => r.includes('/private/us-east-1:????????-????-????-????-????????????/*'))).toHaveLength(50);
  });

  test('Denies that every role but one group\'s has are written once, for those roles', () => {
    // GIVEN
    const views = compileBucketPolicies([
      { path: 'docs/*', audience: Audience.authenticated(), access: [Access.GET] },
      { path: 'docs/secret/*', audience: Audience.group('admins'), access: [Access.GET] },
    ], { bucketArn: B, identityRegion: 'us-east-1', groups: ['a', 'b', 'c'] }).views;
    const roles = new Map([...views].filter(([view]) => view !== 'guest'));

    // WHEN
    const plan = planPolicies(roles);

    // THEN
    expect(plan.sets.map(set => ({ roles: set.roles, statements: set.documents.flatMap(d => d.statements).map(toIamJson) }))).toEqual([
      {
        roles: ['authenticated', 'group:a', 'group:admins', 'group:b', 'group:c'],
        statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${B}/docs/*` }],
      },
      {
        roles: ['authenticated', 'group:a', 'group:b', 'group:c'],
        statements: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: `${B}/docs/secret/*` }],
      },
    ]);
  });

  test('a role over the managed-policy limit is reported with its computed size', () => {
    // GIVEN: 3 statements of 3,500 characters each need 3 documents of 6,144
    const big = [statementOfSize(3500, 'a'), statementOfSize(3500, 'b'), statementOfSize(3500, 'c')];

    // WHEN
    const plan = planPolicies(new Map([['authenticated', big]]), { maxManagedPolicies: 2 });

    // THEN
    expect(plan.overLimit.map(r => r.role)).toEqual(['authenticated']);
    const role = plan.overLimit[0];
    expect(role.managedPolicies).toBe(3);
    expect(role.totalSize).toBe(3 * (documentSize([]) + 3500));
    expect(tooManyPoliciesMessage(role, 'Stack/Identities/AuthenticatedRole', plan)).toBe(
      `Role \`Stack/Identities/AuthenticatedRole\` would need 3 managed policies (${3 * (documentSize([]) + 3500)} characters of policy in documents of at most 6144 characters), `
      + 'more than the 2 allowed per role (received 2). Raise the limit (up to 20, after raising the IAM quota "Managed policies per role"), '
      + 'use fewer or shorter paths, or spread the rules over fewer roles (e.g. fewer groups with group-specific rules).');
    const error = tooManyPoliciesError(role, 'Stack/Identities/AuthenticatedRole', plan);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/^`maxManagedPoliciesPerRole`: Role `Stack\/Identities\/AuthenticatedRole` would need 3 managed policies/);
  });

  test('shared documents count against every role they are attached to', () => {
    // GIVEN: 10 documents every role has and one more for the admins role
    const shared = Array.from({ length: 10 }, (_, i) => statementOfSize(5000, `s${i}`));
    const roles = new Map<string, Statement[]>([
      ['authenticated', shared],
      ['group:admins', [...shared, statementOfSize(100, 'admin')]],
    ]);

    // WHEN
    const plan = planPolicies(roles);

    // THEN
    expect(plan.sets.map(set => [set.roles, set.documents.length])).toEqual([[['authenticated', 'group:admins'], 10], [['group:admins'], 1]]);
    expect(plan.roles.get('authenticated')!.fits).toBe(true);
    expect(plan.overLimit.map(r => [r.role, r.managedPolicies])).toEqual([['group:admins', 11]]);
    expect(planPolicies(roles, { maxManagedPolicies: 20 }).overLimit).toEqual([]);
  });

  test('a role spread over many small shared sets gets its own policies when that needs fewer', () => {
    // GIVEN: x shares a different statement with each of a, b, c and d
    const common = get(`${B}/common/*`);
    const pair = (name: string) => get(`${B}/pair-${name}/*`);
    const roles = new Map<string, Statement[]>([
      ['a', [common, pair('a')]],
      ['b', [common, pair('b')]],
      ['c', [common, pair('c')]],
      ['d', [common, pair('d')]],
      ['x', [common, pair('a'), pair('b'), pair('c'), pair('d')]],
    ]);

    // WHEN
    const plan = planPolicies(roles, { maxManagedPolicies: 3 });

    // THEN
    expect(plan.overLimit).toEqual([]);
    expect(plan.roles.get('x')!.managedPolicies).toBe(2);
    expect(plan.sets.map(set => set.roles)).toEqual([['a', 'b', 'c', 'd', 'x'], ['a'], ['b'], ['c'], ['d'], ['x']]);
    expect(plan.sets[5].documents.flatMap(d => d.statements).map(toIamJson)).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: ['a', 'b', 'c', 'd'].map(n => `${B}/pair-${n}/*`) },
    ]);
    // without the fallback x would have needed 5
    expect(planPolicies(roles, { maxManagedPolicies: 5 }).roles.get('x')!.managedPolicies).toBe(5);
  });

  test('statements only one role has go inline into it, within its budget; shared ones stay managed', () => {
    // GIVEN
    const roles = new Map<string, Statement[]>([
      ['authenticated', [get(`${B}/shared/*`)]],
      ['group:a', [get(`${B}/shared/*`), put(`${B}/a/*`)]],
      ['group:b', [get(`${B}/shared/*`), put(`${B}/b/*`)]],
    ]);
    const asked: string[] = [];

    // WHEN: group:a may take inline statements, group:b may not
    const plan = planPolicies(roles, { inlineBudget: role => { asked.push(role); return role === 'group:a' ? INLINE_POLICIES_MAX_LENGTH : undefined; } });

    // THEN
    expect(plan.sets.map(set => [set.roles, set.documents.flatMap(d => d.statements).map(toIamJson)])).toEqual([
      [['authenticated', 'group:a', 'group:b'], [toIamJson(get(`${B}/shared/*`))]],
      [['group:b'], [toIamJson(put(`${B}/b/*`))]],
    ]);
    expect([...plan.inline.keys()]).toEqual(['group:a']);
    expect(plan.inline.get('group:a')!.flatMap(d => d.statements).map(toIamJson)).toEqual([toIamJson(put(`${B}/a/*`))]);
    expect(plan.roles.get('group:a')).toMatchObject({ managedPolicies: 1, inlineSize: documentSize([put(`${B}/a/*`)]) });
    expect(asked.sort()).toEqual(['group:a', 'group:b']); // only roles with statements of their own are asked
  });

  test('own statements beyond the inline budget go to managed policies of the role', () => {
    // GIVEN: 3 statements of 4,000 characters; 10,240 hold two of them
    const own = [statementOfSize(4000, 'a'), statementOfSize(4000, 'b'), statementOfSize(4000, 'c')];

    // WHEN
    const plan = planPolicies(new Map([['x', own], ['y', [get(`${B}/y/*`)]]]), { inlineBudget: () => INLINE_POLICIES_MAX_LENGTH });

    // THEN
    const inline = plan.inline.get('x')!;
    expect(inline).toHaveLength(1);
    expect(inline[0].statements).toHaveLength(2);
    expect(inline[0].size).toBeLessThanOrEqual(INLINE_POLICIES_MAX_LENGTH);
    expect(plan.sets.filter(set => set.roles.includes('x')).flatMap(set => set.documents.flatMap(d => d.statements))).toHaveLength(1);
    expect(plan.roles.get('x')!.managedPolicies).toBe(1);
  });

  test('a role with less inline room left than a short statement needs gets managed policies only', () => {
    // WHEN
    const plan = planPolicies(new Map([['x', [get(`${B}/x/*`)]], ['y', [get(`${B}/y/*`)]]]), { inlineBudget: () => 150 });

    // THEN
    expect(plan.inline.size).toBe(0);
    expect(plan.sets.map(set => set.roles)).toEqual([['x'], ['y']]);
  });

  test('without sharing every role gets its own policies', () => {
    // WHEN
    const plan = planPolicies(new Map([['a', [get(`${B}/x/*`)]], ['b', [get(`${B}/x/*`)]]]), { shareStatements: false });

    // THEN
    expect(plan.sets.map(set => set.roles)).toEqual([['a'], ['b']]);
  });

  test.each([0, 21, 2.5])('fails for maxManagedPolicies %p', (value) => {
    // WHEN / THEN
    expect(() => planPolicies(new Map(), { maxManagedPolicies: value }))
      .toThrow(`\`maxManagedPoliciesPerRole\`: IAM allows 1 to 20 managed policies per role (received ${value}). Pass a whole number from 1 to 20`);
  });
});
