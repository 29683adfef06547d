import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Access, Audience, AudienceKind, ScopedApiAccess, ScopedBucketAccess, ScopedTableAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { UserDirectory } from '../../src/user-directory';

const ANY_ID = 'us-east-1:????????-????-????-????-????????????';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web');
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, web)],
    principalTags: { tenant: 'custom:tenant' },
  });
  pool.roleForGroup('admins');
  const fn = new lambda.Function(stack, 'Thumbnails', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  return { app, stack, pool, fn };
}

/** Every statement of every policy attached to a role: inline, AWS::IAM::Policy and AWS::IAM::ManagedPolicy. */
function roleStatements(template: Template, stack: Stack, role: iam.IRole): any[] {
  const roleId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  const resources = template.toJSON().Resources as Record<string, any>;
  const inline = (resources[roleId].Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
  const attached = Object.values(resources)
    .filter((r: any) => (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') && (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId))
    .flatMap((r: any) => r.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}

function functionStatements(template: Template, stack: Stack, fn: lambda.Function): any[] {
  return roleStatements(template, stack, fn.role!);
}

function expectFails(run: () => unknown, message: RegExp) {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as Error).message).toMatch(message);
}

describe('Audience.principal: back ends in the rule language', () => {
  test('a back end reads public/* through its own role\'s policies, with listing scoped; the pool\'s roles get only their own rules', () => {
    // GIVEN
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });

    // WHEN
    files.allow('docs/*', Audience.authenticated(), Access.READ);
    files.allow('public/*', Audience.principal(fn), Access.READ);

    // THEN
    const template = Template.fromStack(stack);
    const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(files.bucket.node.defaultChild as any), 'Arn'] };
    const readOf = (prefix: string) => [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, `/${prefix}/*`]] } },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': [`${prefix}/`, `${prefix}/*`] } } },
    ];
    // the function role: public/ (plus Lambda's own log permissions from aws-cdk-lib), nothing of docs/
    const fnStatements = functionStatements(template, stack, fn).filter(s => JSON.stringify(s.Action).includes('s3:'));
    expect(fnStatements).toEqual(expect.arrayContaining(readOf('public')));
    expect(JSON.stringify(fnStatements)).not.toContain('docs/');
    // the pool's roles: docs/, nothing of public/
    for (const role of [pool.authenticatedRole, pool.roleForGroup('admins')]) {
      const statements = roleStatements(template, stack, role);
      expect(statements).toEqual(expect.arrayContaining(readOf('docs')));
      expect(JSON.stringify(statements)).not.toContain('public/');
    }
    // sized and attached by name like the pool's roles
    expect(Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
      .some(p => p.Properties.Roles.some((r: any) => r.Ref === stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole)))).toBe(true);
  });

  test('a back end that is no role (an IAM user) gets its statements in its own policy', () => {
    const { stack, pool } = setup();
    const user = new iam.User(stack, 'Exporter');
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    files.allow('exports/*', Audience.principal(user), Access.WRITE);
    const userId = stack.getLogicalId(user.node.defaultChild as iam.CfnUser);
    const statements = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter(p => (p.Properties.Users ?? []).some((u: any) => u.Ref === userId))
      .flatMap(p => p.Properties.PolicyDocument.Statement);
    expect(statements.flatMap(s => [s.Action].flat())).toEqual(expect.arrayContaining(['s3:PutObject']));
  });

  test('nesting Denies apply to a back end: an inner path it is not named on takes the outer access away', () => {
    // GIVEN
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });

    // WHEN
    files.allow('docs/*', Audience.principal(fn), Access.READ);
    files.allow('docs/secret/*', Audience.group('admins'), Access.READ);

    // THEN
    const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(files.bucket.node.defaultChild as any), 'Arn'] };
    expect(functionStatements(Template.fromStack(stack), stack, fn)).toEqual(expect.arrayContaining([
      { Effect: 'Deny', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, '/docs/secret/*']] } },
      { Effect: 'Deny', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': ['docs/secret/', 'docs/secret/*'] } } },
    ]));
  });

  test('{identity} means any identity id of the pool for a back end', () => {
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    files.allow('protected/{identity}/*', Audience.principal(fn), Access.GET);
    const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(files.bucket.node.defaultChild as any), 'Arn'] };
    expect(functionStatements(Template.fromStack(stack), stack, fn)).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [bucketArn, `/protected/${ANY_ID}/*`]] } },
    ]));
  });

  test('table and API rules compile into the back end\'s policy too', () => {
    // GIVEN
    const { stack, pool, fn } = setup();
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
    const api = new apigateway.RestApi(stack, 'Api', { defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM } });
    api.root.addResource('reports').addMethod('GET', new apigateway.MockIntegration());

    // WHEN
    new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table }).allowItems(Audience.principal(fn), Access.READ);
    new ScopedApiAccess(stack, 'Access', { identityPool: pool, api }).allow('/reports/*', Audience.principal(fn), 'GET');

    // THEN
    const statements = functionStatements(Template.fromStack(stack), stack, fn);
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query', 'execute-api:Invoke']));
    expect(actions).not.toContain('dynamodb:Scan');
    const invoke = statements.find((s: any) => s.Action === 'execute-api:Invoke');
    expect(JSON.stringify(invoke.Resource)).toMatch(/\/GET\/reports"\]/);
  });

  test('the same back end in two audiences shares one view, and its description names it', () => {
    const { fn } = setup();
    const a = Audience.principal(fn);
    const b = Audience.principal(fn);
    expect(a.kind).toBe(AudienceKind.PRINCIPAL);
    expect(a._view()).toBe(b._view());
    expect(`${a}`).toBe('principal:S/Thumbnails');
  });

  test('fails for a tag path: a back end carries no principal tags of the pool', () => {
    const { stack, pool, fn } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    expectFails(() => files.allow('tenants/{tag:tenant}/*', Audience.principal(fn), Access.READ),
      /`path`: principal:S\/Thumbnails is a back end outside the identity pool and carries none of the pool's principal tags/);
  });

  test('fails for a tag leading key and for the caller\'s own items', () => {
    const { stack, pool, fn } = setup();
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowOwnItemsWith(Audience.principal(fn), { leadingKey: '{tag:tenant}' }, Access.READ),
      /`audience`: A back end outside the identity pool carries none of the pool's principal tags/);
    expectFails(() => notes.allowOwnItems(Audience.principal(fn), Access.READ), /`audience`: `\{identity\}` as leading key is the caller's own identity id only for `Audience.owner\(\)`/);
  });

  test('fails for a role of the identity pool: its access is the pool audiences\' to decide', () => {
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    expectFails(() => files.allow('x/*', Audience.principal(pool.roleForGroup('admins')), Access.READ),
      /`audience`: The principal is the identity pool's own Group-admins role/);
    expectFails(() => files.allow('x/*', Audience.principal(pool.authenticatedRole), Access.READ),
      /`audience`: The principal is the identity pool's own Authenticated role/);
  });

  test('fails for an import of a pool role: the same ARN or name is the same role, whatever the object', () => {
    // GIVEN an import of the authenticated role by its ARN (a deploy-time value) and by its name
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    const byArn = iam.Role.fromRoleArn(stack, 'AuthByArn', pool.authenticatedRole.roleArn);
    const byName = iam.Role.fromRoleName(stack, 'AdminsByName', pool.roleForGroup('admins').roleName);

    // THEN both are refused: their rules would reach every signed-in user (every admin)
    expectFails(() => files.allow('x/*', Audience.principal(byArn), Access.READ),
      /`audience`: The principal is the identity pool's own Authenticated role \(the same role ARN or name, imported again\)/);
    expectFails(() => files.allow('x/*', Audience.principal(byName), Access.READ),
      /`audience`: The principal is the identity pool's own Group-admins role/);
    // the way out: the audience the role stands for
    files.allow('x/*', Audience.authenticated(), Access.READ);
  });

  test('fails for an import of an imported pool\'s role by its literal ARN, under another path too', () => {
    // GIVEN a pool imported with literal role ARNs
    const { stack } = setup();
    const pool = FederatedIdentityPool.fromIdentityPoolId(stack, 'Imported', 'us-east-1:11111111-2222-3333-4444-555555555555', {
      authenticatedRole: iam.Role.fromRoleArn(stack, 'Auth', 'arn:aws:iam::123456789012:role/app/Authenticated'),
    });
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });

    // THEN another import of the same role (same name, same account; IAM names are unique whatever the path) is refused
    expectFails(() => files.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Again', 'arn:aws:iam::123456789012:role/Authenticated')), Access.READ),
      /`audience`: The principal is the identity pool's own Authenticated role/);
    // and a role of the same name in another account is another role (refused for its account, not as the pool's role)
    expectFails(() => files.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Elsewhere', 'arn:aws:iam::210987654321:role/Authenticated')), Access.READ),
      /`audience`: The principal lives in account 210987654321/);
    // a back end role of its own, same account, imported mutable, works
    files.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Exporter', 'arn:aws:iam::123456789012:role/Exporter')), Access.READ);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['Exporter'] });
  });

  test('fails for a role of another account: its policies would be attached to a same-named role of this account', () => {
    // GIVEN
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    const foreign = iam.Role.fromRoleArn(stack, 'Foreign', 'arn:aws:iam::210987654321:role/Thumbnails');

    // THEN
    expectFails(() => files.allow('x/*', Audience.principal(foreign), Access.READ),
      /`audience`: The principal lives in account 210987654321, and the access policies are created in account 123456789012 \(the stack of S\/Files\)[\s\S]*Give the back end its access in its own account/);
  });

  test('fails for a function of a stack in another account; the same function with an access construct in its own account works', () => {
    // GIVEN a function in a workload stack of another account
    const { app, pool } = setup();
    const workload = new Stack(app, 'W', { env: { account: '210987654321', region: 'us-east-1' } });
    const fn = new lambda.Function(workload, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    const here = new ScopedBucketAccess(pool.node.scope!, 'Files', { identityPool: pool });

    // THEN rules in the pool's account are refused
    expectFails(() => here.allow('x/*', Audience.principal(fn), Access.READ), /`audience`: The principal lives in account 210987654321/);
    // an access construct in the function's own stack attaches there
    const there = new ScopedBucketAccess(workload, 'Files', { identityPool: pool });
    there.allow('x/*', Audience.principal(fn), Access.READ);
    const roleId = workload.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole);
    Template.fromStack(workload).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [{ Ref: roleId }] });
  });

  test('fails for an immutable import: it ignores attached policies, and attaching by name would bypass that', () => {
    // GIVEN
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    const frozen = iam.Role.fromRoleArn(stack, 'Frozen', 'arn:aws:iam::123456789012:role/Reports', { mutable: false });

    // THEN
    expectFails(() => files.allow('x/*', Audience.principal(frozen), Access.READ),
      /`audience`: The role is an immutable import \(`mutable: false`\)[\s\S]*Import the role mutable/);
    // the mutable import of the same role works
    files.allow('x/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Reports', 'arn:aws:iam::123456789012:role/Reports')), Access.READ);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['Reports'] });
  });

  test('fails for an IAM user of another account; a user of this account works', () => {
    const { stack, pool } = setup();
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    expectFails(() => files.allow('x/*', Audience.principal(iam.User.fromUserArn(stack, 'Foreign', 'arn:aws:iam::210987654321:user/exporter')), Access.READ),
      /`audience`: The principal lives in account 210987654321/);
    files.allow('x/*', Audience.principal(iam.User.fromUserArn(stack, 'Local', 'arn:aws:iam::123456789012:user/exporter')), Access.READ);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', { Users: ['exporter'] });
  });

  test('fails for a guest rule on a tag path: guests carry no principal tags', () => {
    const app = new App();
    const stack = new Stack(app, 'G', { env: { account: '123456789012', region: 'us-east-1' } });
    const users = new UserDirectory(stack, 'Users');
    users.addCustomAttribute('tenant', { mutable: false });
    const pool = new FederatedIdentityPool(stack, 'Ids', {
      sources: [IdentitySource.userDirectory(users, users.addWebClient('Web'))], guestAccess: true, principalTags: { tenant: 'custom:tenant' },
    });
    const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
    expectFails(() => files.allow('t/{tag:tenant}/*', Audience.guest(), Access.READ), /`path`: Guests sign in with no identity provider and carry no principal tags/);
  });

  test('fails for something that cannot be granted permissions', () => {
    expectFails(() => Audience.principal({} as any), /`grantable`: A principal audience needs something that can be granted permissions/);
  });
});
