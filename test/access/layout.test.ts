import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { attachedPolicies } from './attached';
import { Access, Audience, ScopedBucketAccess, ScopedTableAccess } from '../../src/access';
import { atomize, Statement, statementKey } from '../../src/access/private/fit';
import { FederatedIdentityPool, IdentitySource, IFederatedIdentityPool } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * The platform layout: a shared Auth stack (directory, pool, groups and their roles) and app
 * stacks that add access on that pool. The app stacks hold their own policies and point at
 * Auth's roles by name; Auth never depends on them and its resources do not change.
 */

const env = { account: '123456789012', region: 'us-east-1' };

function auth(scope: Construct) {
  const users = new UserDirectory(scope, 'Users');
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(scope, 'Identities', {
    sources: [IdentitySource.userDirectory(users, web)], guestAccess: true, principalTags: { tenant: 'custom:tenant' },
  });
  pool.roleForGroup('admins');
  return pool;
}

function files(scope: Construct, pool: IFederatedIdentityPool) {
  const access = new ScopedBucketAccess(scope, 'Files', { identityPool: pool });
  access.allow('public/*', Audience.guest(), Access.READ);
  access.allow('public/*', Audience.authenticated(), Access.READ, Access.WRITE, Access.DELETE);
  access.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  access.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
  access.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  access.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
  access.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);
  return access;
}

function notes(scope: Construct, pool: IFederatedIdentityPool) {
  const table = new dynamodb.Table(scope, 'Table', { partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
  const access = new ScopedTableAccess(scope, 'Notes', { identityPool: pool, table });
  access.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  access.allowItems(Audience.group('admins'), Access.READ);
  return access;
}

/** Auth alone, Auth with the Files and Notes stacks, and everything in one stack (same construct ids). */
function build() {
  const alone = new App();
  const authAlone = new Stack(alone, 'Auth', { env });
  auth(authAlone);

  const app = new App();
  const authStack = new Stack(app, 'Auth', { env });
  const pool = auth(authStack);
  const filesStack = new Stack(app, 'Files', { env });
  files(filesStack, pool);
  const notesStack = new Stack(app, 'Notes', { env });
  notes(notesStack, pool);

  const single = new App();
  const singleStack = new Stack(single, 'Auth', { env });
  const singlePool = auth(singleStack);
  files(singleStack, singlePool);
  notes(singleStack, singlePool);

  return { authAlone, authStack, pool, filesStack, notesStack, singleStack };
}

const roleIdOf = (role: iam.IRole) => Stack.of(role).resolve((role.node.defaultChild as iam.CfnRole).logicalId);

/** The role ids a policy of an app stack names, through Auth's exports. */
function importedRoles(policyRoles: any[], authTemplate: any): string[] {
  const exports = new Map(Object.values<any>(authTemplate.Outputs ?? {}).map(o => [o.Export.Name, o.Value]));
  return policyRoles.map(r => {
    const name = r['Fn::ImportValue'];
    if (name === undefined) {
      throw new Error(`expected a role imported from Auth, received ${JSON.stringify(r)}`);
    }
    return exports.get(name).Ref;
  });
}

/** Statement atoms (one action, resource and condition value each) as canonical strings. */
function atomsOf(documents: any[]): string[] {
  const list = (v: any) => (Array.isArray(v) ? v : [v]).map((x: any) => (typeof x === 'string' ? x : JSON.stringify(x)));
  const statements: Statement[] = documents.flatMap(d => d.Statement).map((s: any) => ({
    effect: s.Effect,
    actions: list(s.Action),
    resources: list(s.Resource),
    ...(s.Condition ? {
      conditions: Object.fromEntries(Object.entries<any>(s.Condition).map(([op, entries]) => [op,
        Object.fromEntries(Object.entries<any>(entries).map(([k, v]) => [k, list(v)]))])),
    } : {}),
  }));
  return atomize(statements).map(statementKey).sort();
}

describe('Auth / Files / Notes stacks on one pool', () => {
  const built = build();
  const authT = Template.fromStack(built.authStack).toJSON();
  const aloneT = Template.fromStack(built.authAlone).toJSON();
  const filesT = Template.fromStack(built.filesStack).toJSON();
  const notesT = Template.fromStack(built.notesStack).toJSON();
  const singleT = Template.fromStack(built.singleStack).toJSON();
  const roles = {
    authenticated: roleIdOf(built.pool.authenticatedRole),
    guest: roleIdOf(built.pool.guestRole!),
    admins: roleIdOf(built.pool.roleForGroup('admins')),
  };

  test('Auth depends on no app stack; the app stacks depend on Auth', () => {
    expect(built.authStack.dependencies).toEqual([]);
    expect(built.filesStack.dependencies).toEqual([built.authStack]);
    expect(built.notesStack.dependencies).toEqual([built.authStack]);
  });

  test('Auth\'s resources are byte-identical with and without the app stacks; its only additions are exports of role names', () => {
    expect(JSON.stringify(authT.Resources)).toBe(JSON.stringify(aloneT.Resources));
    const before = Object.values<any>(aloneT.Outputs ?? {}).map(o => JSON.stringify(o));
    const added = Object.values<any>(authT.Outputs ?? {}).filter(o => !before.includes(JSON.stringify(o)));
    expect(added.length).toBeGreaterThan(0);
    for (const output of added) {
      expect(output.Export).toBeDefined();
      expect(authT.Resources[output.Value.Ref]?.Type).toBe('AWS::IAM::Role');
    }
  });

  test('the app stacks hold their own managed policies, attached to Auth\'s roles by name, and carry no roles or inline policies', () => {
    for (const t of [filesT, notesT]) {
      const types = Object.values<any>(t.Resources).map(r => r.Type);
      expect(types).toContain('AWS::IAM::ManagedPolicy');
      expect(types).not.toContain('AWS::IAM::Role');
      expect(types).not.toContain('AWS::IAM::Policy');
      for (const policy of attachedPolicies(Template.fromJSON(t))) {
        expect(importedRoles(policy.Roles, authT).every(id => Object.values(roles).includes(id))).toBe(true);
      }
    }
  });

  test('every role receives exactly the statements it receives when everything is in one stack', () => {
    // GIVEN: the policies of each role, across the app stacks, and in the one-stack build
    const docsAcrossStacks = (roleId: string) => [filesT, notesT].flatMap(t => attachedPolicies(Template.fromJSON(t))
      .filter(p => importedRoles(p.Roles, authT).includes(roleId)).map(p => p.PolicyDocument));
    const docsInOneStack = (roleId: string) => attachedPolicies(Template.fromJSON(singleT))
      .filter(p => p.Roles.some((r: any) => r.Ref === roleId)).map(p => p.PolicyDocument);

    // THEN
    for (const id of Object.values(roles)) {
      const across = atomsOf(docsAcrossStacks(id));
      expect(across.length).toBeGreaterThan(0);
      expect(across).toEqual(atomsOf(docsInOneStack(id)));
    }
  });

  test('in one stack, the statements only one role has are inline in that role', () => {
    const admins = singleT.Resources[roles.admins];
    expect(admins.Properties.Policies).toEqual([expect.objectContaining({ PolicyName: 'AccessPolicies-1' })]);
    // admins read anyone's private folder and every note: only the admins role has that
    expect(JSON.stringify(admins.Properties.Policies)).toContain('/private/');
    expect(JSON.stringify(admins.Properties.Policies)).toContain('dynamodb:GetItem');
  });
});

test('a second CDK app attaches to the pool through fromIdentityPoolId and role names: only its own stack changes', () => {
  // GIVEN: another app, with the pool's roles by name
  const app = new App();
  const stack = new Stack(app, 'Reports', { env });
  const pool = FederatedIdentityPool.fromIdentityPoolId(stack, 'Identities', 'us-east-1:0a1b2c3d-1111-2222-3333-444455556666', {
    authenticatedRole: iam.Role.fromRoleName(stack, 'Authenticated', 'auth-authenticated-role'),
    groupRoles: { admins: iam.Role.fromRoleName(stack, 'Admins', 'auth-admins-role') },
  });

  // WHEN
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
  const reports = new ScopedTableAccess(stack, 'Reports', { identityPool: pool, table });
  reports.allowOwnItems(Audience.owner(), Access.READ);
  reports.allowItems(Audience.group('admins'), Access.READ);

  // THEN: managed policies attached by name, nothing inline, no role created
  const t = Template.fromStack(stack).toJSON();
  const policies = attachedPolicies(Template.fromJSON(t));
  expect(policies.map(p => p.type)).toEqual(policies.map(() => 'AWS::IAM::ManagedPolicy'));
  expect(new Set(policies.flatMap(p => p.Roles))).toEqual(new Set(['auth-authenticated-role', 'auth-admins-role']));
  expect(Object.values<any>(t.Resources).filter(r => r.Type === 'AWS::IAM::Role')).toEqual([]);
});
