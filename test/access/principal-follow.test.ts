import { App, Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { UserDirectory } from '../../src/user-directory';

/*
 * Back ends named through the app (red team findings 3 and 7). The model these tests state, from
 * IAM and CloudFormation documentation, not from the library's code:
 * - an IAM role is identified by partition, account and name; "Names are not distinguished by
 *   case" (IAM CreateRole, RoleName), so `App-Auth` and `app-auth` in one account are one role,
 *   whatever the path in the ARN;
 * - `Fn::ImportValue` of an export reads the exporting output's value; an SSM parameter read at
 *   deploy time holds the value written to it;
 * - the access policies are attached by name in the account and partition of the stack that holds
 *   them, so a back end of another partition (`aws-cn`, `aws-us-gov`) never receives them.
 * A back end that is a pool role gives its access to every identity that receives the role.
 */

const ENV = { account: '111111111111', region: 'us-east-1' };

/** An auth stack with the pool, and an app stack whose access construct names a back end. */
function twoStacks() {
  const app = new App();
  const auth = new Stack(app, 'Auth', { env: ENV });
  const users = new UserDirectory(auth, 'Users');
  users.addGroup('admins');
  const pool = new FederatedIdentityPool(auth, 'Ids', { sources: [IdentitySource.userDirectory(users, users.addWebClient('Web'))] });
  const admins = pool.roleForGroup('admins');
  const reports = new iam.Role(auth, 'Reports', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const files = new Stack(app, 'Files', { env: ENV });
  const access = new ScopedBucketAccess(files, 'Access', { identityPool: pool });
  access.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
  return { app, auth, pool, admins, reports, files, access };
}

/** The synth error, or undefined when the app synthesizes. */
function synthError(app: App): string | undefined {
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The `Roles` of the managed policies in `stack` that grant `exports/*`. */
function exportRoles(stack: Stack): unknown[] {
  const policies = Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy');
  return Object.values(policies)
    .filter((p: any) => JSON.stringify(p.Properties.PolicyDocument).includes('/exports/*'))
    .flatMap((p: any) => p.Properties.Roles);
}

function expectThrows(run: () => unknown, message: RegExp) {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as Error).message).toMatch(message);
}

describe('a pool role named through an export or SSM parameter of the app is the pool role', () => {
  test('fails for fromRoleArn of an import of the exported authenticated role ARN; the same for a back-end role works', () => {
    // GIVEN the auth stack exports its authenticated role ARN and a back-end role ARN
    const { app, auth, pool, reports, files, access } = twoStacks();
    auth.exportValue(pool.authenticatedRole.roleArn, { name: 'AuthRoleArn' });
    auth.exportValue(reports.roleArn, { name: 'ReportsRoleArn' });

    // THEN the import of the authenticated role's export is the authenticated role: refused
    expectThrows(() => access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'ByExport', Fn.importValue('AuthRoleArn'))), Access.READ, Access.WRITE),
      /`audience`: The principal is the identity pool's own Authenticated role/);
    // and the import of the back-end role's export gets the rule, attached to that role
    access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'Reports', Fn.importValue('ReportsRoleArn'))), Access.READ, Access.WRITE);
    expect(synthError(app)).toBeUndefined();
    expect(JSON.stringify(exportRoles(files))).toContain('ReportsRoleArn');
    expect(JSON.stringify(exportRoles(files))).not.toContain('AuthRoleArn');
  });

  test('fails for fromRoleName of an import of the exported group role name; the back-end role name works', () => {
    const { app, auth, admins, reports, files, access } = twoStacks();
    auth.exportValue(admins.roleName, { name: 'AdminsRoleName' });
    auth.exportValue(reports.roleName, { name: 'ReportsRoleName' });
    expectThrows(() => access.allow('exports/*', Audience.principal(iam.Role.fromRoleName(files, 'ByName', Fn.importValue('AdminsRoleName'))), Access.READ),
      /`audience`: The principal is the identity pool's own Group-admins role/);
    access.allow('exports/*', Audience.principal(iam.Role.fromRoleName(files, 'Reports', Fn.importValue('ReportsRoleName'))), Access.READ);
    expect(synthError(app)).toBeUndefined();
  });

  test('fails for an SSM parameter the app writes with a pool role ARN; a parameter holding the back-end role ARN works', () => {
    const { app, auth, pool, reports, files, access } = twoStacks();
    new ssm.StringParameter(auth, 'AuthParam', { parameterName: '/auth/role', stringValue: pool.authenticatedRole.roleArn });
    new ssm.StringParameter(auth, 'ReportsParam', { parameterName: '/reports/role', stringValue: reports.roleArn });
    expectThrows(() => access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'BySsm', ssm.StringParameter.valueForStringParameter(files, '/auth/role'))), Access.READ),
      /`audience`: The principal is the identity pool's own Authenticated role/);
    access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'Reports', ssm.StringParameter.valueForStringParameter(files, '/reports/role'))), Access.READ);
    expect(synthError(app)).toBeUndefined();
  });

  test('fails at synth when the export is created after the rule: the order of the calls does not matter', () => {
    // GIVEN the rule names an export that the auth stack creates afterwards
    const { app, auth, pool, files, access } = twoStacks();
    access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'Later', Fn.importValue('AuthRoleArn'))), Access.READ);

    // WHEN
    auth.exportValue(pool.authenticatedRole.roleArn, { name: 'AuthRoleArn' });

    // THEN
    expect(synthError(app)).toMatch(/`audience`: The principal is the identity pool's own Authenticated role[\s\S]*named through an export or SSM parameter of the app/);
  });

  test('fails at synth for a group role created after the rule and named through an SSM parameter', () => {
    const { app, auth, pool, files, access } = twoStacks();
    access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'Later', ssm.StringParameter.valueForStringParameter(files, '/ops/role'))), Access.READ);
    const users = pool.node.scope!.node.findChild('Users') as UserDirectory;
    users.addGroup('ops');
    new ssm.StringParameter(auth, 'OpsParam', { parameterName: '/ops/role', stringValue: pool.roleForGroup('ops').roleArn });
    expect(synthError(app)).toMatch(/The principal is the identity pool's own Group-ops role/);
  });

  test('fails for an imported pool whose role and the back end read the same SSM parameter', () => {
    // GIVEN a pool imported with its role read from SSM, and a back end read from the same parameter
    const app = new App();
    const stack = new Stack(app, 'S', { env: ENV });
    const pool = FederatedIdentityPool.fromIdentityPoolId(stack, 'Ids', 'us-east-1:11111111-2222-3333-4444-555555555555', {
      authenticatedRole: iam.Role.fromRoleArn(stack, 'Auth', ssm.StringParameter.valueForStringParameter(stack, '/auth/role')),
    });
    const access = new ScopedBucketAccess(stack, 'Access', { identityPool: pool });
    const other = new Stack(app, 'Other', { env: ENV });
    const backEnd = iam.Role.fromRoleArn(stack, 'BackEnd', ssm.StringParameter.valueForStringParameter(other, '/auth/role'));

    // THEN it is the pool's role (one parameter holds one value)
    expectThrows(() => access.allow('exports/*', Audience.principal(backEnd), Access.READ), /The principal is the identity pool's own Authenticated role/);
  });
});

describe('a back end named by values the library cannot follow is refused', () => {
  test('fails for a CloudFormation parameter, an export and an SSM parameter from outside the app', () => {
    for (const [label, arnOf] of [
      ['parameter', (s: Stack) => new CfnParameter(s, 'RoleArn').valueAsString],
      ['export', () => Fn.importValue('SomeoneElsesRoleArn')],
      ['ssm', (s: Stack) => ssm.StringParameter.valueForStringParameter(s, '/elsewhere/role')],
    ] as const) {
      // GIVEN a back end whose ARN could hold a pool role's ARN at deploy time
      const { app, files, access } = twoStacks();
      access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'Untraced', arnOf(files))), Access.READ);

      // THEN
      expect([label, synthError(app)]).toEqual([label, expect.stringMatching(
        /`audience`: The back end's role is named by deploy-time values the library cannot follow to a role[\s\S]*it could be one of the identity pool's roles \(Authenticated, Group-admins\)[\s\S]*by its literal ARN or name/)]);
    }
  });

  test('a back end named by a literal ARN, a literal name or an ARN with the stack\'s own account works', () => {
    // GIVEN
    const { app, files, access } = twoStacks();

    // WHEN
    access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'Literal', 'arn:aws:iam::111111111111:role/reports')), Access.READ);
    access.allow('exports/*', Audience.principal(iam.Role.fromRoleName(files, 'Named', 'archiver')), Access.READ);
    access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'Own', `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/exporter`)), Access.READ);

    // THEN
    expect(synthError(app)).toBeUndefined();
    expect(exportRoles(files)).toEqual(expect.arrayContaining(['reports', 'archiver']));
    Annotations.fromStack(files).hasNoWarning('*', Match.stringLikeRegexp('deploy-time value'));
  });
});

describe('back-end accounts and partitions', () => {
  /** One stack with a pool whose authenticated role is imported by a literal name. */
  function literalPool(env = ENV) {
    const app = new App();
    const stack = new Stack(app, 'S', { env });
    const pool = FederatedIdentityPool.fromIdentityPoolId(stack, 'Ids', `${env.region}:11111111-2222-3333-4444-555555555555`, {
      authenticatedRole: iam.Role.fromRoleName(stack, 'Auth', 'app-auth'),
    });
    return { app, stack, access: new ScopedBucketAccess(stack, 'Access', { identityPool: pool }) };
  }

  test('fails for a case variant of a pool role name: IAM role names are not distinguished by case', () => {
    const { stack, access } = literalPool();
    expectThrows(() => access.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Variant', 'arn:aws:iam::111111111111:role/team/App-Auth')), Access.READ),
      /The principal is the identity pool's own Authenticated role/);
    expectThrows(() => access.allow('x/*', Audience.principal(iam.Role.fromRoleName(stack, 'Upper', 'APP-AUTH')), Access.READ),
      /The principal is the identity pool's own Authenticated role/);
    // another name works
    access.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Other', 'arn:aws:iam::111111111111:role/app-auth-reports')), Access.READ);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['app-auth-reports'] });
  });

  test('fails for a literal ARN of another partition than the stack\'s; the stack\'s own partition works', () => {
    const { stack, access } = literalPool();
    for (const partition of ['aws-cn', 'aws-us-gov']) {
      expectThrows(() => access.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, `In-${partition}`, `arn:${partition}:iam::111111111111:role/reports`)), Access.READ),
        new RegExp(`The principal's ARN is in partition \`${partition}\`, and the access policies are created in partition \`aws\``));
    }
    expectThrows(() => access.allow('x/*', Audience.principal(iam.User.fromUserArn(stack, 'GovUser', 'arn:aws-us-gov:iam::111111111111:user/bob')), Access.READ),
      /partition `aws-us-gov`/);
    access.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Aws', 'arn:aws:iam::111111111111:role/reports')), Access.READ);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['reports'] });
  });

  test('an aws-cn ARN works in a stack of a China region', () => {
    const { stack, access } = literalPool({ account: '111111111111', region: 'cn-north-1' });
    access.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Cn', 'arn:aws-cn:iam::111111111111:role/reports')), Access.READ);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['reports'] });
  });

  test('fails for an SSM parameter the app writes with a role ARN of another account, before or after the rule; this account\'s works', () => {
    // GIVEN parameters holding a role ARN of another account and of this one
    const { app, auth, files, access } = twoStacks();
    new ssm.StringParameter(auth, 'Foreign', { parameterName: '/foreign/role', stringValue: 'arn:aws:iam::222222222222:role/reports' });
    new ssm.StringParameter(auth, 'Local', { parameterName: '/local/role', stringValue: 'arn:aws:iam::111111111111:role/reports' });

    // THEN the foreign one is refused at once
    expectThrows(() => access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'Foreign', ssm.StringParameter.valueForStringParameter(files, '/foreign/role'))), Access.READ),
      /`audience`: The principal lives in account 222222222222, and the access policies are created in account 111111111111/);
    access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(files, 'Local', ssm.StringParameter.valueForStringParameter(files, '/local/role'))), Access.READ);
    expect(synthError(app)).toBeUndefined();

    // and at synth when the parameter is written after the rule
    const later = twoStacks();
    later.access.allow('exports/*', Audience.principal(iam.Role.fromRoleArn(later.files, 'Foreign', ssm.StringParameter.valueForStringParameter(later.files, '/foreign/role'))), Access.READ);
    new ssm.StringParameter(later.auth, 'Foreign', { parameterName: '/foreign/role', stringValue: 'arn:aws:iam::222222222222:role/reports' });
    expect(synthError(later.app)).toMatch(/`audience`: The principal lives in account 222222222222, and the access policies are created in account 111111111111/);
  });

  test('warns for an ARN whose account is a deploy-time value, naming the risk; a literal or own account does not warn', () => {
    // GIVEN
    const { stack, access } = literalPool();

    // WHEN a back end's ARN takes its account from an import
    access.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Token', Fn.join('', ['arn:aws:iam::', Fn.importValue('OtherAccount'), ':role/x']))), Access.READ);
    access.allow('y/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Own', `arn:aws:iam::${Aws.ACCOUNT_ID}:role/y`)), Access.READ);
    access.allow('z/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Literal', 'arn:aws:iam::111111111111:role/z')), Access.READ);

    // THEN one warning, for that back end only
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('deploy-time value'));
    expect(warnings.map(w => String(w.entry.data))).toEqual([expect.stringMatching(
      /^The back end principal:S\/Token is named by an ARN whose account is a deploy-time value[\s\S]*reach a same-named principal of this account instead[\s\S]*\[ack: cdk-federated-access:principalAccountUnknown:[0-9a-f]{8}\]$/)]);
  });
});
