import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { UserDirectory } from '../../src/user-directory';

/*
 * Group roles belong to one directory's group (DESIGN.md): a pool that federates our directory
 * and a partner directory with self sign-up, both with an `admins` group, must never give our
 * admins role to the partner's admins (anyone who signs up there and is made admin by the partner).
 */

function twoDirectories() {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins');
  users.addGroup('editors');
  const partner = new UserDirectory(stack, 'Partner', { selfSignUp: true });
  partner.addGroup('admins');
  const pool = new FederatedIdentityPool(stack, 'Identities', {
    sources: [IdentitySource.userDirectory(users, users.addWebClient('Web')), IdentitySource.userDirectory(partner, partner.addWebClient('Web'))],
  });
  return { app, stack, users, partner, pool };
}

function expectInvalid(fn: () => unknown, property: string, ...parts: RegExp[]): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).property).toBe(property);
  for (const part of parts) {
    expect((error as Error).message).toMatch(part);
  }
}

const roleArnOf = (stack: Stack, role: iam.IRole) => ({ 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'] });
const providerOf = (stack: Stack, directory: UserDirectory) => ({ 'Fn::GetAtt': [stack.getLogicalId(directory.userPool.node.defaultChild as any), 'ProviderName'] });

describe('group roles of two directories with a same-named group', () => {
  test('fails without a directory: the role would reach the partner directory\'s admins', () => {
    const { pool } = twoDirectories();
    expectInvalid(() => pool.roleForGroup('admins'), 'directory',
      /group `admins` exists in 2 federated directories \(IdentitySource\.userDirectory\(Stack\/Users\), IdentitySource\.userDirectory\(Stack\/Partner\)\)/,
      /roleForGroup\('admins', directory\)/);
  });

  test('one role per directory: each directory\'s group gets its own role, trusted only for that directory\'s provider', () => {
    // GIVEN
    const { stack, users, partner, pool } = twoDirectories();

    // WHEN
    const ours = pool.roleForGroup('admins', users);
    const theirs = pool.roleForGroup('admins', partner);

    // THEN two roles, the first directory's with the id a single-directory pool has
    expect(ours).not.toBe(theirs);
    expect(pool.roleForGroup('admins', users)).toBe(ours);
    expect(ours.node.path).toBe('Stack/Identities/GroupRoles/admins');
    expect(theirs.node.path).toBe('Stack/Identities/GroupRoles-Partner/admins');
    const template = Template.fromStack(stack);
    // each directory's group names its own role
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins', UserPoolId: { Ref: stack.getLogicalId(users.userPool.node.defaultChild as any) }, RoleArn: roleArnOf(stack, ours) });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admins', UserPoolId: { Ref: stack.getLogicalId(partner.userPool.node.defaultChild as any) }, RoleArn: roleArnOf(stack, theirs) });
    // each role's trust admits only its directory's provider in amr
    const trustProviders = (role: iam.IRole) => template.toJSON().Resources[stack.getLogicalId(role.node.defaultChild as iam.CfnRole)]
      .Properties.AssumeRolePolicyDocument.Statement[0].Condition['ForAnyValue:StringEquals']['cognito-identity.amazonaws.com:amr'];
    expect(trustProviders(ours)).toEqual([providerOf(stack, users)]);
    expect(trustProviders(theirs)).toEqual([providerOf(stack, partner)]);
    // the pool's access targets tell the two apart
    expect(pool._roleTargets().filter(t => t.view.kind === 'group').map(t => t.name)).toEqual(['Group-admins', expect.stringMatching(/^Group-admins-[0-9a-f]{8}$/)]);
  });

  test('a group only one directory has needs no directory', () => {
    const { stack, users, pool } = twoDirectories();
    const editors = pool.roleForGroup('editors');
    expect(editors).toBe(pool.roleForGroup('editors', users));
    expect(editors.node.path).toBe('Stack/Identities/GroupRoles/editors');
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('fails at synth when a role asked for without a directory becomes ambiguous later', () => {
    // GIVEN a role for the only admins group at the time
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users');
    users.addGroup('admins');
    const partner = new UserDirectory(stack, 'Partner');
    const pool = new FederatedIdentityPool(stack, 'Identities', {
      sources: [IdentitySource.userDirectory(users, users.addWebClient('Web')), IdentitySource.userDirectory(partner, partner.addWebClient('Web'))],
    });
    pool.roleForGroup('admins');

    // WHEN the partner gets an admins group and a role for it
    partner.addGroup('admins');
    pool.roleForGroup('admins', partner);

    // THEN
    expect(() => app.synth()).toThrow(/`directory`: `roleForGroup\('admins'\)` \(or `Audience\.group\('admins'\)`\) named no directory and meant IdentitySource\.userDirectory\(Stack\/Users\), but 2 federated directories have a group `admins` \(received IdentitySource\.userDirectory\(Stack\/Users\), IdentitySource\.userDirectory\(Stack\/Partner\)\)/);
  });

  test('fails for a directory the pool does not federate, and for a group the directory lacks', () => {
    const { stack, users, pool } = twoDirectories();
    const stranger = new UserDirectory(stack, 'Stranger');
    stranger.addGroup('admins');
    expectInvalid(() => pool.roleForGroup('admins', stranger), 'directory', /is not a user directory source of this identity pool/);
    expectInvalid(() => pool.roleForGroup('ops', users), 'groupName', /IdentitySource\.userDirectory\(Stack\/Users\) has no such group/, /Its groups: admins, editors/);
    expect(pool.canMapGroup('admins', stranger)).toBe(false);
    expect(pool.canMapGroup('admins', users)).toBe(true);
  });
});

test('a single directory keeps the group role ids of earlier releases', () => {
  // GIVEN the pool of earlier releases: one directory, roleForGroup() without a directory
  const stack = new Stack();
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins');
  const pool = new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users, users.addWebClient('Web'))] });

  // THEN the construct path, so the logical id, is unchanged; naming the directory gives the same role
  const admins = pool.roleForGroup('admins');
  expect(admins.node.path).toBe('Default/Identities/GroupRoles/admins');
  expect(stack.resolve((admins.node.defaultChild as iam.CfnRole).logicalId)).toBe('IdentitiesGroupRolesadmins31FD51D0');
  expect(pool.roleForGroup('admins', users)).toBe(admins);
  expect(pool._roleTargets().map(t => t.name)).toEqual(['Authenticated', 'Group-admins']);
});
