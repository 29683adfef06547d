import { validateResourcePolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { evaluateTrust } from './harness';
import { FederatedIdentityPool, IdentitySource, RoleMappingMatchType } from '../../src/identity-pool';
import { DirectoryProvider, FederatedSignUp, UserDirectory } from '../../src/user-directory';

/*
 * Evaluates the SYNTHESIZED trust policies of every role an identity pool creates with
 * @cloud-copilot/iam-simulate, then shows that the same matrix catches broken trust policies.
 *
 * - `amr` conditions are decided with IAM's set semantics (harness.ts decideAmr): iam-simulate
 *   reads only the first value of the multi-valued `amr`, and real tokens carry several
 *   (`authenticated`, the provider, `provider:id`).
 * - sts:AssumeRoleWithWebIdentity goes through `runSimulation` (validated, context keys checked).
 * - sts:TagSession goes through `runUnsafeSimulation`: `runSimulation` drops the
 *   cognito-identity keys for that action. The policy is validated first and passed as a
 *   ValidatedPolicy, as runUnsafeSimulation cannot load a bare resource policy.
 *
 * Who signs in (the `amr` of their pool token):
 * - a user of the federated directory, in a group or not (the token mapping picks the role);
 * - an identity of the directly federated Google source;
 * - a developer-authenticated identity (`GetOpenIdTokenForDeveloperIdentity`), whose back end
 *   holds a pool token for it: it may take that token to STS and name any role, so a role that a
 *   mapping gives to another source's users must refuse it;
 * - a user of another user pool, and a provider name that only starts like the directory's;
 * - a member of a partner directory's `admins` group (another directory federated by the same
 *   pool, with a group of the same name): a group role belongs to one directory's group;
 * - a developer back end that linked a directory (or Google) login to its identity
 *   (GetOpenIdTokenForDeveloperIdentity with that provider's token in Logins): the token's `amr`
 *   names that provider AND the developer provider, and it goes to STS directly. Group and
 *   rule-mapped roles refuse it (`ForAllValues:StringNotEquals` on `amr`: every value must differ
 *   from the developer provider); the authenticated role still admits it.
 */

const ACCOUNT = '123456789012';
const POOL_ID = 'us-east-1:aaaaaaaa-1111-2222-3333-444444444444';
const OTHER_POOL_ID = 'us-east-1:bbbbbbbb-5555-6666-7777-888888888888';
const AUD = 'cognito-identity.amazonaws.com:aud';
const AMR = 'cognito-identity.amazonaws.com:amr';
const ASSUME = 'sts:AssumeRoleWithWebIdentity';
const TAG = 'sts:TagSession';
const USER_POOL_PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_example';
const SIGNED_IN_AMR = ['authenticated', USER_POOL_PROVIDER, `${USER_POOL_PROVIDER}:CognitoSignIn:sub`];
const GOOGLE_AMR = ['authenticated', 'accounts.google.com', 'accounts.google.com:112233445566778899'];
const DEVELOPER_AMR = ['authenticated', 'login.notes.example', `login.notes.example:${POOL_ID}`];
// A developer back end that linked a directory (or Google) login to its identity through
// GetOpenIdTokenForDeveloperIdentity (Logins with that provider's token): the OpenID token's amr
// names both providers, and the back end can take it to STS directly.
const DEVELOPER_LINKED_AMR = [...SIGNED_IN_AMR, 'login.notes.example', `login.notes.example:${POOL_ID}`];
const DEVELOPER_LINKED_GOOGLE_AMR = [...GOOGLE_AMR, 'login.notes.example', `login.notes.example:${POOL_ID}`];
const OTHER_USER_POOL_AMR = ['authenticated', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_other', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_other:CognitoSignIn:sub'];
const PARTNER_PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_partner';
const PARTNER_AMR = ['authenticated', PARTNER_PROVIDER, `${PARTNER_PROVIDER}:CognitoSignIn:sub`];
const LOOKALIKE_AMR = ['authenticated', `${USER_POOL_PROVIDER}x`, `${USER_POOL_PROVIDER}x:CognitoSignIn:sub`];

type Verdict = 'Allowed' | 'Denied';
type Context = Record<string, string | string[]>;
type PolicyDoc = { Version: string; Statement: Array<Record<string, any>> };

interface TrustCase {
  readonly name: string;
  readonly action: string;
  readonly context: Context;
  readonly expected: Verdict;
  /** The name of the allowed case this deny differs from (every deny has one). */
  readonly pairedWith?: string;
}

interface RoleUnderTest {
  readonly name: string;
  readonly arn: string;
  readonly trust: PolicyDoc;
  readonly cases: TrustCase[];
}

// ---------------------------------------------------------------------------------------------
// The app under test
// ---------------------------------------------------------------------------------------------

function synthesizeRoles(): RoleUnderTest[] {
  const app = new App();
  const stack = new Stack(app, 'Trust', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users', { domainPrefix: 'trust-test-auth' });
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  users.addIdentityProvider(DirectoryProvider.google({ clientId: 'google', clientSecret: SecretValue.unsafePlainText('unused'), signUp: FederatedSignUp.anyone() }));
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

  // Pool A: guest access and principal tags, a group role and a rule-mapped role.
  const tagged = new FederatedIdentityPool(stack, 'Tagged', {
    sources: [
      IdentitySource.userDirectory(users, web), IdentitySource.google({ clientId: 'google-direct' }), IdentitySource.developer('login.notes.example'),
    ],
    guestAccess: true,
    principalTags: { tenant: 'custom:tenant' },
  });
  const admins = tagged.roleForGroup('admins');
  const reviewers = tagged.createRole('Reviewers');
  tagged.addRoleMapping(IdentitySource.google({ clientId: 'google-direct' }), {
    rules: [{ claim: 'email', matchType: RoleMappingMatchType.EQUALS, value: 'review@example.com', role: reviewers }],
  });

  // A directory group has one role (its RoleArn), given by one pool: pools B and D federate
  // directories of their own, whose provider names the tokens below carry like pool A's.
  const ownDirectory = (id: string) => {
    const directory = new UserDirectory(stack, id);
    directory.addGroup('admins', { precedence: 0 });
    return { directory, client: directory.addWebClient('Web') };
  };
  const plainUsers = ownDirectory('PlainUsers');
  const lateUsers = ownDirectory('LateUsers');

  // Pool B: no principal tags, guest access off.
  const plain = new FederatedIdentityPool(stack, 'Plain', { sources: [IdentitySource.userDirectory(plainUsers.directory, plainUsers.client)] });
  const plainAdmins = plain.roleForGroup('admins');

  // Pool D: the developer source is added after the group role was created.
  const late = new FederatedIdentityPool(stack, 'Late', { sources: [IdentitySource.userDirectory(lateUsers.directory, lateUsers.client)] });
  const lateAdmins = late.roleForGroup('admins');
  late.addSource(IdentitySource.developer('login.notes.example'));

  const template = Template.fromStack(stack).toJSON();
  const poolIds: Record<string, string> = {
    [stack.getLogicalId(tagged.identityPool)]: POOL_ID,
    [stack.getLogicalId(plain.identityPool)]: POOL_ID,
    [stack.getLogicalId(late.identityPool)]: POOL_ID,
    [`${stack.getLogicalId(users.userPool.node.defaultChild as any)}.ProviderName`]: USER_POOL_PROVIDER,
    [`${stack.getLogicalId(plainUsers.directory.userPool.node.defaultChild as any)}.ProviderName`]: USER_POOL_PROVIDER,
    [`${stack.getLogicalId(lateUsers.directory.userPool.node.defaultChild as any)}.ProviderName`]: USER_POOL_PROVIDER,
  };
  const trustOf = (role: iam.IRole): { arn: string; trust: PolicyDoc } => {
    const logicalId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    const resource = template.Resources[logicalId];
    expect(resource?.Type).toBe('AWS::IAM::Role');
    return { arn: `arn:aws:iam::${ACCOUNT}:role/${logicalId}`, trust: resolveRefs(resource.Properties.AssumeRolePolicyDocument, poolIds) };
  };

  // Pool C: two federated directories, each with its own `admins` group, and a role for each.
  const partnerStack = new Stack(new App(), 'Partner', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const ours = new UserDirectory(partnerStack, 'Users');
  ours.addGroup('admins');
  const partner = new UserDirectory(partnerStack, 'PartnerUsers', { selfSignUp: true });
  partner.addGroup('admins');
  const both = new FederatedIdentityPool(partnerStack, 'Both', {
    sources: [IdentitySource.userDirectory(ours, ours.addWebClient('Web')), IdentitySource.userDirectory(partner, partner.addWebClient('Web'))],
    principalTags: { user: 'sub' },
  });
  const ourAdmins = both.roleForGroup('admins', ours);
  const partnerAdmins = both.roleForGroup('admins', partner);
  const partnerTemplate = Template.fromStack(partnerStack).toJSON();
  const partnerIds: Record<string, string> = {
    [partnerStack.getLogicalId(both.identityPool)]: POOL_ID,
    [`${partnerStack.getLogicalId(ours.userPool.node.defaultChild as any)}.ProviderName`]: USER_POOL_PROVIDER,
    [`${partnerStack.getLogicalId(partner.userPool.node.defaultChild as any)}.ProviderName`]: PARTNER_PROVIDER,
  };
  const partnerTrustOf = (role: iam.IRole): { arn: string; trust: PolicyDoc } => {
    const logicalId = partnerStack.getLogicalId(role.node.defaultChild as iam.CfnRole);
    const resource = partnerTemplate.Resources[logicalId];
    expect(resource?.Type).toBe('AWS::IAM::Role');
    return { arn: `arn:aws:iam::${ACCOUNT}:role/${logicalId}`, trust: resolveRefs(resource.Properties.AssumeRolePolicyDocument, partnerIds) };
  };

  expect(tagged.guestRole).toBeDefined();
  expect(plain.guestRole).toBeUndefined();
  return [
    {
      name: 'tagged authenticated role',
      ...trustOf(tagged.authenticatedRole),
      cases: [
        ...authenticatedCases(true),
        ...sourceCases([SIGNED_IN_AMR, GOOGLE_AMR, DEVELOPER_AMR, DEVELOPER_LINKED_AMR, DEVELOPER_LINKED_GOOGLE_AMR], []),
      ],
    },
    {
      name: 'tagged group role (admins)',
      ...trustOf(admins),
      cases: [
        ...authenticatedCases(true),
        ...sourceCases([SIGNED_IN_AMR], [GOOGLE_AMR, DEVELOPER_AMR, DEVELOPER_LINKED_AMR, OTHER_USER_POOL_AMR, LOOKALIKE_AMR]),
      ],
    },
    {
      name: 'tagged rule-mapped role (Reviewers)',
      ...trustOf(reviewers),
      cases: [
        ...authenticatedCases(true, GOOGLE_AMR),
        ...sourceCases([GOOGLE_AMR], [SIGNED_IN_AMR, DEVELOPER_AMR, DEVELOPER_LINKED_GOOGLE_AMR, OTHER_USER_POOL_AMR]),
      ],
    },
    {
      name: 'group role created before the developer source (admins)',
      ...trustOf(lateAdmins),
      cases: [
        ...authenticatedCases(false),
        ...sourceCases([SIGNED_IN_AMR], [DEVELOPER_AMR, DEVELOPER_LINKED_AMR, OTHER_USER_POOL_AMR, LOOKALIKE_AMR], false),
      ],
    },
    {
      name: 'untagged group role without a developer source',
      ...trustOf(plainAdmins),
      cases: [...authenticatedCases(false), ...sourceCases([SIGNED_IN_AMR], [DEVELOPER_AMR, GOOGLE_AMR], false)],
    },
    { name: 'tagged guest role', ...trustOf(tagged.guestRole!), cases: guestCases() },
    { name: 'untagged authenticated role', ...trustOf(plain.authenticatedRole), cases: authenticatedCases(false) },
    {
      name: 'two directories: our admins role',
      ...partnerTrustOf(ourAdmins),
      cases: [...authenticatedCases(true), ...sourceCases([SIGNED_IN_AMR], [PARTNER_AMR, OTHER_USER_POOL_AMR])],
    },
    {
      name: 'two directories: the partner directory\'s admins role',
      ...partnerTrustOf(partnerAdmins),
      cases: [...authenticatedCases(true, PARTNER_AMR), ...sourceCases([PARTNER_AMR], [SIGNED_IN_AMR, OTHER_USER_POOL_AMR])],
    },
    { name: 'two directories: authenticated role', ...partnerTrustOf(both.authenticatedRole), cases: [...authenticatedCases(true), ...sourceCases([SIGNED_IN_AMR, PARTNER_AMR], [])] },
  ];
}

/**
 * Replaces `{ Ref: <identity pool> }` with a concrete pool id and `Fn::GetAtt <user pool>.ProviderName`
 * with its provider name; any other intrinsic is a test failure.
 */
function resolveRefs(value: any, poolIds: Record<string, string>): any {
  if (Array.isArray(value)) {
    return value.map((v) => resolveRefs(v, poolIds));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const name = keys[0] === 'Fn::GetAtt' ? `${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}` : value.Ref;
      const id = poolIds[name];
      if (id === undefined) {
        throw new Error(`unexpected intrinsic in a trust policy: ${JSON.stringify(value)}`);
      }
      return id;
    }
    return Object.fromEntries(keys.map((k) => [k, resolveRefs(value[k], poolIds)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// The matrix: every deny differs from an allowed case in one request key
// ---------------------------------------------------------------------------------------------

function authenticatedCases(tagged: boolean, signedIn: string[] = SIGNED_IN_AMR): TrustCase[] {
  const own: Context = { [AUD]: POOL_ID, [AMR]: signedIn };
  const cases: TrustCase[] = [
    { name: 'this pool, authenticated', action: ASSUME, context: own, expected: 'Allowed' },
    { name: 'another pool, authenticated', action: ASSUME, context: { ...own, [AUD]: OTHER_POOL_ID }, expected: 'Denied', pairedWith: 'this pool, authenticated' },
    { name: 'this pool, unauthenticated', action: ASSUME, context: { ...own, [AMR]: ['unauthenticated'] }, expected: 'Denied', pairedWith: 'this pool, authenticated' },
    { name: 'no aud', action: ASSUME, context: { [AMR]: signedIn }, expected: 'Denied', pairedWith: 'this pool, authenticated' },
    { name: 'no amr', action: ASSUME, context: { [AUD]: POOL_ID }, expected: 'Denied', pairedWith: 'this pool, authenticated' },
  ];
  if (tagged) {
    cases.push(
      { name: 'tag session, this pool, authenticated', action: TAG, context: own, expected: 'Allowed' },
      { name: 'tag session, another pool', action: TAG, context: { ...own, [AUD]: OTHER_POOL_ID }, expected: 'Denied', pairedWith: 'tag session, this pool, authenticated' },
      { name: 'tag session, unauthenticated', action: TAG, context: { ...own, [AMR]: ['unauthenticated'] }, expected: 'Denied', pairedWith: 'tag session, this pool, authenticated' },
      { name: 'tag session, no aud', action: TAG, context: { [AMR]: signedIn }, expected: 'Denied', pairedWith: 'tag session, this pool, authenticated' },
      { name: 'tag session, no amr', action: TAG, context: { [AUD]: POOL_ID }, expected: 'Denied', pairedWith: 'tag session, this pool, authenticated' },
    );
  } else {
    // No principal tags: the same request that may assume the role may not tag its session.
    cases.push({ name: 'tag session without principal tags', action: TAG, context: own, expected: 'Denied', pairedWith: 'this pool, authenticated' });
  }
  return cases;
}

/** Which sources' identities of this pool may assume the role, and which may not (assume and tag). */
function sourceCases(allowed: string[][], denied: string[][], tagged: boolean = true): TrustCase[] {
  const label = (amr: string[]) => `signed in through ${amr.filter((v) => v !== 'authenticated' && !v.includes(':')).join(' + ')}`;
  const cases: TrustCase[] = [];
  for (const amr of allowed) {
    cases.push({ name: `${label(amr)}: assume`, action: ASSUME, context: { [AUD]: POOL_ID, [AMR]: amr }, expected: 'Allowed' });
    if (tagged) {
      cases.push({ name: `${label(amr)}: tag session`, action: TAG, context: { [AUD]: POOL_ID, [AMR]: amr }, expected: 'Allowed' });
    }
  }
  for (const amr of denied) {
    const pair = label(allowed[0]);
    cases.push({ name: `${label(amr)}: assume`, action: ASSUME, context: { [AUD]: POOL_ID, [AMR]: amr }, expected: 'Denied', pairedWith: `${pair}: assume` });
    if (tagged) {
      cases.push({ name: `${label(amr)}: tag session`, action: TAG, context: { [AUD]: POOL_ID, [AMR]: amr }, expected: 'Denied', pairedWith: `${pair}: tag session` });
    }
  }
  return cases;
}

function guestCases(): TrustCase[] {
  const own: Context = { [AUD]: POOL_ID, [AMR]: ['unauthenticated'] };
  return [
    { name: 'this pool, unauthenticated', action: ASSUME, context: own, expected: 'Allowed' },
    { name: 'this pool, authenticated', action: ASSUME, context: { ...own, [AMR]: SIGNED_IN_AMR }, expected: 'Denied', pairedWith: 'this pool, unauthenticated' },
    { name: 'another pool, unauthenticated', action: ASSUME, context: { ...own, [AUD]: OTHER_POOL_ID }, expected: 'Denied', pairedWith: 'this pool, unauthenticated' },
    { name: 'no aud', action: ASSUME, context: { [AMR]: ['unauthenticated'] }, expected: 'Denied', pairedWith: 'this pool, unauthenticated' },
    { name: 'no amr', action: ASSUME, context: { [AUD]: POOL_ID }, expected: 'Denied', pairedWith: 'this pool, unauthenticated' },
    // Guests carry no token and so no principal tags: their role never trusts sts:TagSession.
    { name: 'tag session for a guest', action: TAG, context: own, expected: 'Denied', pairedWith: 'this pool, unauthenticated' },
  ];
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

function expectValid(trust: PolicyDoc): void {
  expect(validateTrustPolicy(trust)).toEqual([]);
  expect(validateResourcePolicy(trust)).toEqual([]);
}

async function evaluate(role: { arn: string; trust: PolicyDoc }, c: TrustCase): Promise<Verdict> {
  expectValid(role.trust);
  return evaluateTrust(role.trust, role.arn, ACCOUNT, c.action, c.context);
}

/** The names of the cases whose verdict differs from the expectation. */
async function failures(role: { arn: string; trust: PolicyDoc }, cases: TrustCase[]): Promise<string[]> {
  const failed: string[] = [];
  for (const c of cases) {
    if (await evaluate(role, c) !== c.expected) {
      failed.push(c.name);
    }
  }
  return failed;
}

// ---------------------------------------------------------------------------------------------
// Mutants: broken variants of each trust statement
// ---------------------------------------------------------------------------------------------

interface Mutant {
  readonly name: string;
  readonly trust: PolicyDoc;
}

function mutate(trust: PolicyDoc, index: number, change: (statement: Record<string, any>) => void): PolicyDoc {
  const copy: PolicyDoc = JSON.parse(JSON.stringify(trust));
  change(copy.Statement[index]);
  return copy;
}

function dropCondition(statement: Record<string, any>, operator: string, key: string): void {
  delete statement.Condition[operator][key];
  if (Object.keys(statement.Condition[operator]).length === 0) {
    delete statement.Condition[operator];
  }
  if (Object.keys(statement.Condition).length === 0) {
    delete statement.Condition;
  }
}

function actionsOf(statement: Record<string, any>): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function mutantsOf(trust: PolicyDoc): Mutant[] {
  const mutants: Mutant[] = [];
  trust.Statement.forEach((statement, i) => {
    mutants.push(
      { name: `statement ${i} without its aud condition`, trust: mutate(trust, i, (s) => dropCondition(s, 'StringEquals', AUD)) },
      { name: `statement ${i} trusting another pool`, trust: mutate(trust, i, (s) => { s.Condition.StringEquals[AUD] = OTHER_POOL_ID; }) },
    );
    const providers = statement.Condition?.['ForAnyValue:StringEquals']?.[AMR];
    if (providers === undefined) {
      mutants.push(
        { name: `statement ${i} without its amr condition`, trust: mutate(trust, i, (s) => dropCondition(s, 'ForAnyValue:StringLike', AMR)) },
        { name: `statement ${i} with amr widened to *`, trust: mutate(trust, i, (s) => { s.Condition['ForAnyValue:StringLike'][AMR] = '*'; }) },
      );
    } else {
      // A token that names a provider in `amr` is always an authenticated one, so with a provider
      // condition the `authenticated` condition alone changes no verdict; drop both, or widen both.
      mutants.push(
        {
          name: `statement ${i} without any amr condition`,
          trust: mutate(trust, i, (s) => {
            dropCondition(s, 'ForAnyValue:StringLike', AMR);
            dropCondition(s, 'ForAnyValue:StringEquals', AMR);
          }),
        },
        {
          name: `statement ${i} with both amr conditions widened to *`,
          trust: mutate(trust, i, (s) => {
            s.Condition['ForAnyValue:StringLike'][AMR] = '*';
            dropCondition(s, 'ForAnyValue:StringEquals', AMR);
          }),
        },
        { name: `statement ${i} without its amr provider condition`, trust: mutate(trust, i, (s) => dropCondition(s, 'ForAnyValue:StringEquals', AMR)) },
        {
          name: `statement ${i} with the amr provider widened to a prefix`,
          trust: mutate(trust, i, (s) => {
            s.Condition['ForAnyValue:StringLike'][AMR] = [s.Condition['ForAnyValue:StringLike'][AMR], ...[s.Condition['ForAnyValue:StringEquals'][AMR]].flat().map((p: string) => `${p}*`)];
            dropCondition(s, 'ForAnyValue:StringEquals', AMR);
          }),
        },
      );
    }
    if (statement.Condition?.['ForAllValues:StringNotEquals']?.[AMR] !== undefined) {
      mutants.push(
        { name: `statement ${i} without its developer exclusion`, trust: mutate(trust, i, (s) => dropCondition(s, 'ForAllValues:StringNotEquals', AMR)) },
        // ForAnyValue with a negated operator holds as soon as one value differs (`authenticated` always does).
        {
          name: `statement ${i} with the developer exclusion as ForAnyValue`,
          trust: mutate(trust, i, (s) => {
            s.Condition['ForAnyValue:StringNotEquals'] = s.Condition['ForAllValues:StringNotEquals'];
            delete s.Condition['ForAllValues:StringNotEquals'];
          }),
        },
      );
    }
    if (actionsOf(statement).includes(TAG)) {
      mutants.push({ name: `statement ${i} without sts:TagSession`, trust: mutate(trust, i, (s) => { s.Action = actionsOf(s).filter((a) => a !== TAG); }) });
    } else {
      mutants.push({ name: `statement ${i} with sts:TagSession added`, trust: mutate(trust, i, (s) => { s.Action = [...actionsOf(s), TAG]; }) });
    }
  });
  return mutants;
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

const roles = synthesizeRoles();
const counts = { trustCases: 0, allowed: 0, denied: 0, mutants: 0, mutantsCaught: 0 };

describe('identity pool trust policies (iam-simulate)', () => {
  afterAll(() => {
    // The counts quoted in the closing note.
    // eslint-disable-next-line no-console
    console.log(`trust matrix: ${counts.trustCases} trust cases simulated (${counts.allowed} allowed, ${counts.denied} denied); `
      + `${counts.mutantsCaught}/${counts.mutants} mutants caught`);
  });

  test('every role has exactly one trust statement, for cognito-identity.amazonaws.com', () => {
    for (const role of roles) {
      expect(role.trust.Statement).toHaveLength(1);
      expect(role.trust.Statement[0].Principal).toEqual({ Federated: 'cognito-identity.amazonaws.com' });
      expect(role.trust.Statement[0].Effect).toBe('Allow');
    }
  });

  test('every deny is paired with an allow that differs from it in one request key', () => {
    for (const role of roles) {
      for (const c of role.cases.filter((x) => x.expected === 'Denied')) {
        const pair = role.cases.find((x) => x.name === c.pairedWith);
        expect(pair?.expected).toBe('Allowed');
      }
    }
  });

  describe.each(roles.map((r) => [r.name, r] as const))('%s', (_name, role) => {
    test.each(role.cases.map((c) => [c.name, c] as const))('%s', async (_caseName, c) => {
      const verdict = await evaluate(role, c);
      counts.trustCases++;
      counts[verdict === 'Allowed' ? 'allowed' : 'denied']++;
      expect(verdict).toBe(c.expected);
    });
  });

  describe('mutants: the matrix catches every broken trust policy', () => {
    const all = roles.flatMap((role) => mutantsOf(role.trust).map((m) => [`${role.name}: ${m.name}`, role, m] as const));

    test.each(all)('%s', async (_name, role, mutant) => {
      // GIVEN the matrix passes on the synthesized policy
      expect(await failures(role, role.cases)).toEqual([]);
      // WHEN the mutant replaces it
      const failed = await failures({ arn: role.arn, trust: mutant.trust }, role.cases);
      counts.mutants++;
      // THEN at least one verdict changes
      if (failed.length > 0) {
        counts.mutantsCaught++;
      }
      expect(failed.length).toBeGreaterThan(0);
    });
  });
});
