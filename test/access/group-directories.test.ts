import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { UserDirectory } from '../../src/user-directory';

/*
 * `Audience.group(name, directory)`: group rules reach the role of one directory's group. A pool
 * federating our directory and a partner directory, both with `admins`, must never let a rule
 * meant for our admins reach the partner's.
 */

function twoDirectories() {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins');
  const partner = new UserDirectory(stack, 'Partner', { selfSignUp: true });
  partner.addGroup('admins');
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, users.addWebClient('Web')), IdentitySource.userDirectory(partner, partner.addWebClient('Web'))],
  });
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
  return { app, stack, users, partner, pool, files };
}

/** The S3 object prefixes a role may get (Allow s3:GetObject), from every policy attached to it. */
function readablePrefixes(stack: Stack, role: iam.IRole): string[] {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
  const statements = [
    ...(resources[roleId].Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement),
    ...Object.values(resources).filter((r: any) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))
      .flatMap((r: any) => r.Properties.PolicyDocument.Statement),
  ];
  return statements.filter((s: any) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:GetObject'))
    .flatMap((s: any) => [s.Resource].flat())
    .map((r: any) => r['Fn::Join'][1][1] as string)
    .sort();
}

function expectFails(run: () => unknown, property: string, message: RegExp) {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).property).toBe(property);
  expect((error as Error).message).toMatch(message);
}

test('fails for Audience.group(name) when two federated directories have the group', () => {
  const { files } = twoDirectories();
  expectFails(() => files.allow('admin/*', Audience.group('admins'), Access.READ), 'directory',
    /group `admins` exists in 2 federated directories[\s\S]*`Audience\.group\('admins', directory\)`/);
});

test('Audience.group(name, directory) reaches only that directory\'s group role', () => {
  // GIVEN
  const { stack, users, partner, pool, files } = twoDirectories();

  // WHEN
  files.allow('admin/*', Audience.group('admins', users), Access.READ);
  files.allow('partner-admin/*', Audience.group('admins', partner), Access.READ);
  files.allow('docs/*', Audience.authenticated(), Access.READ);

  // THEN our admins read admin/ (and docs/), never partner-admin/; the partner's admins the reverse
  expect(readablePrefixes(stack, pool.roleForGroup('admins', users))).toEqual(['/admin/*', '/docs/*']);
  expect(readablePrefixes(stack, pool.roleForGroup('admins', partner))).toEqual(['/docs/*', '/partner-admin/*']);
  expect(readablePrefixes(stack, pool.authenticatedRole)).toEqual(['/docs/*']);
  expect(`${Audience.group('admins', users)}`).toBe('group:admins (S/Users)');
});

test('nesting holds per directory: an inner path for one directory\'s admins takes the outer access from the other\'s', () => {
  // GIVEN both admins groups read reports/, only ours reads reports/internal/
  const { stack, users, partner, pool, files } = twoDirectories();
  files.allow('reports/*', Audience.group('admins', users), Access.READ);
  files.allow('reports/*', Audience.group('admins', partner), Access.READ);
  files.allow('reports/internal/*', Audience.group('admins', users), Access.READ);

  // THEN the partner's admins role carries the inner path's Deny
  const roleId = stack.getLogicalId(pool.roleForGroup('admins', partner).node.defaultChild as iam.CfnRole);
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
  const statements = [
    ...(resources[roleId].Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement),
    ...Object.values(resources).filter((r: any) => r.Type === 'AWS::IAM::ManagedPolicy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))
      .flatMap((r: any) => r.Properties.PolicyDocument.Statement),
  ];
  expect(statements.some((s: any) => s.Effect === 'Deny' && [s.Action].flat().includes('s3:GetObject') && JSON.stringify(s.Resource).includes('/reports/internal/*'))).toBe(true);
  // and ours keeps reports/ whole (the inner grant is covered by the outer one), with no Deny
  expect(readablePrefixes(stack, pool.roleForGroup('admins', users))).toEqual(['/reports/*']);
  const ourId = stack.getLogicalId(pool.roleForGroup('admins', users).node.defaultChild as iam.CfnRole);
  expect(JSON.stringify(resources[ourId].Properties.Policies ?? [])).not.toContain('Deny');
});

test('fails at synth when Audience.group(name) was unambiguous when added and another directory\'s group gets a role later', () => {
  // GIVEN a rule for the only admins group at the time
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins');
  const partner = new UserDirectory(stack, 'Partner');
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, users.addWebClient('Web')), IdentitySource.userDirectory(partner, partner.addWebClient('Web'))],
  });
  new ScopedBucketAccess(stack, 'Files', { identityPool: pool }).allow('admin/*', Audience.group('admins'), Access.READ);

  // WHEN the partner directory's admins group gets a role
  partner.addGroup('admins');
  pool.roleForGroup('admins', partner);

  // THEN
  expect(() => app.synth()).toThrow(/`directory`: `roleForGroup\('admins'\)` \(or `Audience\.group\('admins'\)`\) named no directory/);
});

test('fails for a directory the pool does not federate', () => {
  const { stack, files } = twoDirectories();
  const stranger = new UserDirectory(stack, 'Stranger');
  stranger.addGroup('admins');
  expectFails(() => files.allow('x/*', Audience.group('admins', stranger), Access.READ), 'audience',
    /S\/Stranger is no federated directory of the pool with this group/);
});

/*
 * Whether an unqualified group name is ambiguous does not depend on call order (red team finding
 * 10): Cognito groups belong to one user pool, and an identity pool federating two directories with
 * an `admins` group has two groups of that name. The error is raised at synth whenever, at that
 * point, more than one federated directory has the group.
 */
describe('an unqualified group name is ambiguous whatever the order of the calls', () => {
  function lateSecondDirectory() {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const users = new UserDirectory(stack, 'Users');
    users.addGroup('admins');
    const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, users.addWebClient('Web'))] });
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    return { app, stack, users, pool, files };
  }

  test('fails at synth when a second directory with the group is federated after Audience.group(name), with no role for its group', () => {
    // GIVEN a rule for the only admins group at the time
    const { app, stack, pool, files } = lateSecondDirectory();
    files.allow('admin/*', Audience.group('admins'), Access.READ);

    // WHEN a partner directory is federated, and its admins group added, afterwards
    const partner = new UserDirectory(stack, 'Partner', { selfSignUp: true });
    pool.addSource(IdentitySource.userDirectory(partner, partner.addWebClient('Web')));
    partner.addGroup('admins');

    // THEN the same error as for the other order (where allow() itself throws)
    expect(() => app.synth()).toThrow(/`directory`: `roleForGroup\('admins'\)` \(or `Audience\.group\('admins'\)`\) named no directory and meant IdentitySource\.userDirectory\(S\/Users\), but 2 federated directories have a group `admins`/);
  });

  test('the same app naming the directory synthesizes, and the partner\'s admins get no role and no rule', () => {
    // GIVEN the same order, with the directory named
    const { stack, users, pool, files } = lateSecondDirectory();
    files.allow('admin/*', Audience.group('admins', users), Access.READ);
    const partner = new UserDirectory(stack, 'Partner', { selfSignUp: true });
    pool.addSource(IdentitySource.userDirectory(partner, partner.addWebClient('Web')));
    partner.addGroup('admins');

    // THEN our admins read admin/, the partner's admins group has no role at all
    expect(readablePrefixes(stack, pool.roleForGroup('admins', users))).toEqual(['/admin/*']);
    const partnerGroup = Template.fromStack(stack).findResources('AWS::Cognito::UserPoolGroup', {
      Properties: { UserPoolId: { Ref: stack.getLogicalId(partner.userPool.node.defaultChild as any) } },
    });
    expect(Object.values(partnerGroup).map((g: any) => g.Properties.RoleArn)).toEqual([undefined]);
  });

  test('fails at synth when the group is added to an already federated second directory after roleForGroup(name)', () => {
    // GIVEN two federated directories, only ours has admins when its role is asked for
    const { app, stack, users, pool } = lateSecondDirectory();
    const partner = new UserDirectory(stack, 'Partner', { selfSignUp: true });
    pool.addSource(IdentitySource.userDirectory(partner, partner.addWebClient('Web')));
    pool.roleForGroup('admins');

    // WHEN the partner directory gets an admins group
    partner.addGroup('admins');

    // THEN
    expect(() => app.synth()).toThrow(/`directory`: `roleForGroup\('admins'\)`[\s\S]*but 2 federated directories have a group `admins`[\s\S]*`roleForGroup\('admins', directory\)`/);
    // (as asking again now throws at once)
    expect(() => pool.roleForGroup('admins')).toThrow(/group `admins` exists in 2 federated directories/);
    expect(users.groupNames).toContain('admins');
  });

  test('the same order naming the directory synthesizes, with the role bound to that directory\'s group', () => {
    // GIVEN
    const { app, stack, users, pool } = lateSecondDirectory();
    const partner = new UserDirectory(stack, 'Partner', { selfSignUp: true });
    pool.addSource(IdentitySource.userDirectory(partner, partner.addWebClient('Web')));
    const admins = pool.roleForGroup('admins', users);

    // WHEN
    partner.addGroup('admins');

    // THEN
    expect(() => app.synth()).not.toThrow();
    expect(pool.roleForGroup('admins', users)).toBe(admins);
  });

  test('a group of another name added to the second directory later is no ambiguity', () => {
    // GIVEN
    const { app, stack, pool, files } = lateSecondDirectory();
    files.allow('admin/*', Audience.group('admins'), Access.READ);
    const partner = new UserDirectory(stack, 'Partner', { selfSignUp: true });
    pool.addSource(IdentitySource.userDirectory(partner, partner.addWebClient('Web')));

    // WHEN
    partner.addGroup('partner-admins');

    // THEN
    expect(() => app.synth()).not.toThrow();
  });
});
