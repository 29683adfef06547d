import { App, Fn, SecretValue, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AmbiguousRoleResolution,
  FederatedIdentityPool,
  IdentitySource,
  RoleMappingMatchType,
  RoleMappingRule,
} from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { UserDirectory } from '../../src/user-directory';

interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly users: UserDirectory;
  readonly web: cognito.UserPoolClient;
}

function fixture(): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins');
  users.addGroup('editors');
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web');
  return { app, stack, users, web };
}

function pool(f: Fixture, props: Partial<ConstructorParameters<typeof FederatedIdentityPool>[2]> = {}): FederatedIdentityPool {
  return new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users, f.web)], ...props });
}

/** Asserts a ValidationError naming the property, the received value and a fix. */
function expectInvalid(fn: () => unknown, property: string, ...parts: RegExp[]): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  const message = (error as ValidationError).message;
  expect((error as ValidationError).property).toBe(property);
  expect(message.startsWith(`\`${property}\`: `)).toBe(true);
  expect(message).toMatch(/\(received .+\)\. \S/);
  for (const part of parts) {
    expect(message).toMatch(part);
  }
}

/** Asserts a synth-time validation error mentioning the property and the parts. */
function expectSynthError(app: App, property: string, ...parts: RegExp[]): void {
  let error: unknown;
  try {
    app.synth();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).toContain(`\`${property}\`: `);
  expect(message).toMatch(/\(received .+\)\. \S/);
  for (const part of parts) {
    expect(message).toMatch(part);
  }
}

describe('sources', () => {
  test('fails when the same provider is federated twice', () => {
    const f = fixture();
    expectInvalid(() => pool(f, { sources: [IdentitySource.google({ clientId: 'a' }), IdentitySource.google({ clientId: 'b' })] }),
      'sources', /already has this source/, /IdentitySource\.google\(\)/, /Federate each provider once/);
  });

  test('fails when a directory is federated twice, pointing to one source with every client', () => {
    const f = fixture();
    const p = pool(f);
    expectInvalid(() => p.addSource(IdentitySource.userDirectory(f.users, f.users.addWebClient('Mobile'))),
      'sources', /already has this source/, /Pass every app client of a directory in one/);
  });

  test('fails on a second developer provider', () => {
    const f = fixture();
    expectInvalid(() => pool(f, { sources: [IdentitySource.developer('login.example.com'), IdentitySource.developer('other.example.com')] }),
      'sources', /one developer provider/);
  });

  test('fails when an app client is listed twice', () => {
    const f = fixture();
    expectInvalid(() => IdentitySource.userDirectory(f.users, f.web, f.web), 'clients', /listed twice/, /Stack\/Users\/Resource\/Web/);
  });

  test('fails when a directory source has no client at all', () => {
    // GIVEN a directory without web clients and no clients passed
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users');
    new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users)] });

    // THEN
    expectSynthError(app, 'clients', /has no app client/, /addWebClient/);
  });

  test('fails with no source and no guest access', () => {
    const f = fixture();
    new FederatedIdentityPool(f.stack, 'Identities', { sources: [] });
    expectSynthError(f.app, 'sources', /nobody can get credentials/, /addSource/);
  });

  test('fails on empty social ids', () => {
    expectInvalid(() => IdentitySource.google({ clientId: ' ' }), 'clientId', /non-empty/);
    expectInvalid(() => IdentitySource.facebook({ appId: '' }), 'appId', /non-empty/);
    expectInvalid(() => IdentitySource.apple({ servicesId: '' }), 'servicesId', /non-empty/);
    expectInvalid(() => IdentitySource.amazon({ appId: '' }), 'appId', /non-empty/);
    expectInvalid(() => IdentitySource.twitter({ consumerKey: '', consumerSecret: SecretValue.secretsManager('x') }), 'consumerKey', /non-empty/);
  });

  test('fails on a Twitter secret that is not a SecretValue', () => {
    expectInvalid(() => IdentitySource.twitter({ consumerKey: 'k', consumerSecret: 'plain' as unknown as SecretValue }),
      'consumerSecret', /must be a SecretValue/, /SecretValue\.secretsManager/);
  });

  test('fails on an invalid developer provider name', () => {
    expectInvalid(() => IdentitySource.developer('login example.com'), 'providerName', /1-128 letters/, /"login example\.com"/);
    expectInvalid(() => IdentitySource.developer('x'.repeat(129)), 'providerName', /1-128 letters/);
  });

  test('fails on an invalid identityPoolName', () => {
    const f = fixture();
    expectInvalid(() => pool(f, { identityPoolName: 'notes/identities' }), 'identityPoolName', /1-128 letters/, /"notes\/identities"/);
  });
});

describe('principal tags', () => {
  test('fails on a claim users can write about themselves', () => {
    const f = fixture();
    expectInvalid(() => pool(f, { principalTags: { tenant: 'email' } }),
      'principalTags', /can write `email` about themselves/, /\{"tenant":"email"\}/, /only administrators write/);
  });

  test('fails on a user-writable custom attribute, even when it became writable after the pool', () => {
    // GIVEN a tag from an attribute the directory does not have yet
    const f = fixture();
    pool(f, { principalTags: { plan: 'custom:plan' } });

    // WHEN the attribute is added as user-writable afterwards
    f.users.addCustomAttribute('plan', { userWritable: true });

    // THEN
    expectSynthError(f.app, 'principalTags', /can write `custom:plan` about themselves/);
  });

  test('fails on invalid tag names', () => {
    expectInvalid(() => pool(fixture(), { principalTags: { 'aws:tenant': 'custom:tenant' } }), 'principalTags', /`aws:` prefix is reserved/);
    expectInvalid(() => pool(fixture(), { principalTags: { 'ten#ant': 'custom:tenant' } }), 'principalTags', /1-128 letters/, /"ten#ant"/);
    expectInvalid(() => pool(fixture(), { principalTags: { ['t'.repeat(129)]: 'custom:tenant' } }), 'principalTags', /1-128 letters/);
  });

  test('fails on a tag name that is a token', () => {
    const f = fixture();
    expectInvalid(() => pool(f, { principalTags: { [Fn.importValue('Tag')]: 'custom:tenant' } }), 'principalTags', /known at synth/);
  });

  test('fails on empty principalTags and empty claims', () => {
    expectInvalid(() => pool(fixture(), { principalTags: {} }), 'principalTags', /must not be empty/, /Leave `principalTags` out/);
    expectInvalid(() => pool(fixture(), { principalTags: { tenant: ' ' } }), 'principalTags', /token claim it is read from/);
  });

  test('fails on more than 50 tags', () => {
    const f = fixture();
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`tag${i}`, 'sub']));
    expectInvalid(() => pool(f, { principalTags: tags }), 'principalTags', /at most 50 tags/);
  });
});

describe('group roles', () => {
  test('fails on a group no federated directory has, naming the known groups', () => {
    const f = fixture();
    const p = pool(f);
    expectInvalid(() => p.roleForGroup('ops'), 'groupName', /no federated user directory has this group/, /"ops"/, /Known groups: admins, editors\./);
  });

  test('fails on a group of a directory the pool does not federate', () => {
    const f = fixture();
    const other = new UserDirectory(f.stack, 'Other');
    other.addGroup('ops');
    const p = pool(f);
    expectInvalid(() => p.roleForGroup('ops'), 'groupName', /no federated user directory/);
  });

  test('fails when a directory has group roles and rules', () => {
    // GIVEN
    const f = fixture();
    const source = IdentitySource.userDirectory(f.users, f.web);
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });

    // WHEN
    p.roleForGroup('admins');
    p.addRoleMapping(source, { rules: [{ claim: 'custom:tenant', value: 'a', role: p.createRole('TenantA') }] });

    // THEN
    expectSynthError(f.app, 'source', /group roles \(a token mapping\) and rules/, /cognito:groups/);
  });

  test('fails on an imported pool without a role for the group', () => {
    const stack = new Stack();
    const imported = FederatedIdentityPool.fromIdentityPoolId(stack, 'Imported', 'us-east-1:0a1b2c3d-aaaa-bbbb-cccc-0123456789ab', {
      authenticatedRole: iam.Role.fromRoleName(stack, 'Auth', 'Auth'),
      groupRoles: { admins: iam.Role.fromRoleName(stack, 'Admins', 'Admins') },
    });
    expectInvalid(() => imported.roleForGroup('ops'), 'groupName', /no role for this group/, /Known groups: admins\./);
  });
});

describe('rule mappings', () => {
  function rule(role: iam.IRole, overrides: Partial<RoleMappingRule> = {}): RoleMappingRule {
    return { claim: 'custom:tenant', value: 'a', role, ...overrides };
  }

  test('fails on more than 25 rules for one source, counted across calls', () => {
    // GIVEN
    const f = fixture();
    const google = IdentitySource.google({ clientId: 'g' });
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [google] });
    const role = p.createRole('Mapped');

    // WHEN
    p.addRoleMapping(google, { rules: Array.from({ length: 20 }, (_, i) => rule(role, { value: `a${i}` })) });
    p.addRoleMapping(google, { rules: Array.from({ length: 6 }, (_, i) => rule(role, { value: `b${i}` })) });

    // THEN
    expectSynthError(f.app, 'rules', /26 role mapping rules, Cognito allows at most 25/, /RoleMappingMatchType\.CONTAINS/);
  });

  test('fails for a source that is not in the pool', () => {
    const f = fixture();
    const p = pool(f);
    expectInvalid(() => p.addRoleMapping(IdentitySource.google({ clientId: 'g' }), { rules: [rule(p.authenticatedRole)] }),
      'source', /not a source of this identity pool/, /IdentitySource\.google\(\)/, /Sources: IdentitySource\.userDirectory\(Stack\/Users\)/);
  });

  test('fails for Twitter and developer sources', () => {
    const f = fixture();
    const dev = IdentitySource.developer('login.example.com');
    const twitter = IdentitySource.twitter({ consumerKey: 'k', consumerSecret: SecretValue.secretsManager('t') });
    const p = pool(f, { sources: [dev, twitter] });
    expectInvalid(() => p.addRoleMapping(dev, { rules: [rule(p.authenticatedRole)] }), 'source', /cannot choose roles by claims/);
    expectInvalid(() => p.addRoleMapping(twitter, { rules: [rule(p.authenticatedRole)] }), 'source', /cannot choose roles by claims/);
  });

  test('fails when a rule maps a role the pool did not create', () => {
    const f = fixture();
    const source = IdentitySource.userDirectory(f.users, f.web);
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    const own = new iam.Role(f.stack, 'Own', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expectInvalid(() => p.addRoleMapping(source, { rules: [rule(own)] }),
      'rules[0].role', /cannot vouch for the trust policy/, /"Stack\/Own"/, /pool\.createRole\(id\)/);
  });

  test('fails when a rule maps a role of another pool', () => {
    const f = fixture();
    const source = IdentitySource.userDirectory(f.users, f.web);
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    const other = new FederatedIdentityPool(f.stack, 'Other', { sources: [IdentitySource.google({ clientId: 'g' })] });
    expectInvalid(() => p.addRoleMapping(source, { rules: [rule(other.createRole('Theirs'))] }), 'rules[0].role', /cannot vouch/);
  });

  test('fails when a rule maps the guest role', () => {
    const f = fixture();
    const source = IdentitySource.userDirectory(f.users, f.web);
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source], guestAccess: true });
    expectInvalid(() => p.addRoleMapping(source, { rules: [rule(p.guestRole!)] }), 'rules[0].role', /guest role trusts only unauthenticated/);
  });

  test('fails when a rule maps an import of a pool role (same ARN): the guest role and the authenticated role alike', () => {
    // GIVEN imports of the pool's roles by their ARNs
    const f = fixture();
    const source = IdentitySource.userDirectory(f.users, f.web);
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source], guestAccess: true });
    const guestCopy = iam.Role.fromRoleArn(f.stack, 'GuestCopy', p.guestRole!.roleArn);
    const mappedCopy = iam.Role.fromRoleArn(f.stack, 'MappedCopy', p.createRole('Reviewers').roleArn);

    // THEN the guest role is recognised by its ARN, and a copy of a created role is refused in favour of the object
    expectInvalid(() => p.addRoleMapping(source, { rules: [rule(guestCopy)] }), 'rules[0].role', /guest role trusts only unauthenticated/);
    expectInvalid(() => p.addRoleMapping(source, { rules: [rule(mappedCopy)] }), 'rules[0].role', /is an import of a role of this pool/, /Pass the role object/);
    // the role object itself works
    p.addRoleMapping(source, { rules: [rule(p.node.findChild('MappedRoles').node.findChild('Reviewers') as iam.Role)] });
  });

  test('fails on no rules', () => {
    const f = fixture();
    const source = IdentitySource.userDirectory(f.users, f.web);
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    expectInvalid(() => p.addRoleMapping(source, { rules: [] }), 'rules', /at least one rule/);
  });

  test('fails on an invalid claim or value', () => {
    const f = fixture();
    const source = IdentitySource.userDirectory(f.users, f.web);
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    expectInvalid(() => p.addRoleMapping(source, { rules: [rule(p.authenticatedRole, { claim: '' })] }), 'rules[0].claim', /1-64 characters/);
    expectInvalid(() => p.addRoleMapping(source, { rules: [rule(p.authenticatedRole, { claim: 'x'.repeat(65) })] }), 'rules[0].claim', /1-64 characters/);
    expectInvalid(() => p.addRoleMapping(source, { rules: [rule(p.authenticatedRole), rule(p.authenticatedRole, { value: '' })] }), 'rules[1].value', /1-128 characters/);
    expectInvalid(() => p.addRoleMapping(source, { rules: [rule(p.authenticatedRole, { matchType: 'Like' as RoleMappingMatchType })] }),
      'rules[0].matchType', /not a RoleMappingMatchType/);
  });

  test('fails on conflicting ambiguousRoleResolution for one source', () => {
    const f = fixture();
    const source = IdentitySource.userDirectory(f.users, f.web);
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    p.addRoleMapping(source, { rules: [rule(p.authenticatedRole)], ambiguousRoleResolution: AmbiguousRoleResolution.DENY });
    const again = { rules: [rule(p.authenticatedRole)], ambiguousRoleResolution: AmbiguousRoleResolution.AUTHENTICATED_ROLE };
    expectInvalid(() => p.addRoleMapping(source, again), 'ambiguousRoleResolution', /an earlier addRoleMapping\(\)/);
  });

  test('fails on invalid or duplicate createRole ids', () => {
    const f = fixture();
    const p = pool(f);
    expectInvalid(() => p.createRole('Team/Ops'), 'id', /1-64 letters/, /"Team\/Ops"/);
    p.createRole('Reviewers');
    expectInvalid(() => p.createRole('Reviewers'), 'id', /already has a role with this id/);
  });

  test('token claims, values and match types are accepted', () => {
    const f = fixture();
    const source = IdentitySource.userDirectory(f.users, f.web);
    const p = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    expect(() => p.addRoleMapping(source, {
      rules: [{ claim: Fn.importValue('Claim'), value: Fn.importValue('Value'), matchType: RoleMappingMatchType.STARTS_WITH, role: p.authenticatedRole }],
    })).not.toThrow();
  });
});

describe('imported pools', () => {
  test('fails on a malformed identity pool id, but accepts a token', () => {
    const stack = new Stack();
    const authenticatedRole = iam.Role.fromRoleName(stack, 'Auth', 'Auth');
    expectInvalid(() => FederatedIdentityPool.fromIdentityPoolId(stack, 'A', 'not-a-pool-id', { authenticatedRole }),
      'identityPoolId', /`<region>:<uuid>`/, /"not-a-pool-id"/);
    expect(() => FederatedIdentityPool.fromIdentityPoolId(stack, 'B', Fn.importValue('PoolId'), { authenticatedRole })).not.toThrow();
  });

  test('fails without an authenticated role', () => {
    const stack = new Stack();
    expectInvalid(() => FederatedIdentityPool.fromIdentityPoolId(stack, 'A', 'us-east-1:0a1b2c3d-aaaa-bbbb-cccc-0123456789ab',
      {} as unknown as { authenticatedRole: iam.IRole }), 'authenticatedRole', /needs its authenticated role/);
  });
});
