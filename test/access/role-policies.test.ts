import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { groupView } from '../../src/access/private/compile';
import { Statement } from '../../src/access/private/fit';
import { AccessPolicySource, RolePolicies, WORST_CASE } from '../../src/access/private/role-policies';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { groupKey } from '../../src/private/role-view';
import { UserDirectory } from '../../src/user-directory';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, web)], guestAccess: true });
  return { stack, pool };
}
const get = (resource: string): Statement => ({ effect: 'Allow', actions: ['s3:GetObject'], resources: [resource] });
const source = (scope: Construct, views: Record<string, Statement[]>, seen?: string[][]): AccessPolicySource => ({
  scope,
  policyStatements: groups => {
    seen?.push([...groups]);
    return new Map(Object.entries(views));
  },
});
/** The view of the admins role: the group of one directory (S/Users). */
const ADMINS = groupView(groupKey('admins', 'S/Users'));
const roleId = (stack: Stack, role: iam.IRole) => stack.resolve((role.node.defaultChild as iam.CfnRole).logicalId);

test('one coordinator per pool, a child of the pool with id AccessPolicies', () => {
  const { pool } = setup();
  expect(RolePolicies.of(pool)).toBe(RolePolicies.of(pool));
  expect(RolePolicies.of(pool).node.path).toBe('S/Ids/AccessPolicies');
});

test('statements shared by roles are written once and attached to every role that has them; a role\'s own statements go inline', () => {
  // GIVEN
  const { stack, pool } = setup();
  const admins = pool.roleForGroup('admins');
  const seen: string[][] = [];
  // WHEN
  RolePolicies.of(pool).register(source(stack, {
    authenticated: [get('arn:aws:s3:::b/shared/*')],
    [ADMINS]: [get('arn:aws:s3:::b/shared/*'), get('arn:aws:s3:::b/admin/*')],
    guest: [get('arn:aws:s3:::b/guest/*')],
  }, seen));
  // THEN
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
  t.resourceCountIs('AWS::IAM::Policy', 0);
  t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: { Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/shared/*' }] },
    Roles: [{ Ref: roleId(stack, pool.authenticatedRole) }, { Ref: roleId(stack, admins) }],
  });
  const inline = (role: iam.IRole) => t.toJSON().Resources[roleId(stack, role)].Properties.Policies;
  expect(inline(admins)).toEqual([{
    PolicyName: 'AccessPolicies-1',
    PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/admin/*' }] },
  }]);
  expect(inline(pool.guestRole!)).toEqual([{
    PolicyName: 'AccessPolicies-1',
    PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/guest/*' }] },
  }]);
  expect(inline(pool.authenticatedRole)).toBeUndefined();
  expect(seen).toEqual([['admins S/Users']]); // finalized once, with the groups that have roles
});

test('a group missing from a source gets the authenticated statements; roles added late are included', () => {
  // GIVEN
  const { stack, pool } = setup();
  RolePolicies.of(pool).register(source(stack, { authenticated: [get('arn:aws:s3:::b/x/*')] }));
  // WHEN
  const admins = pool.roleForGroup('admins');
  // THEN
  Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
    Roles: [{ Ref: roleId(stack, pool.authenticatedRole) }, { Ref: roleId(stack, admins) }],
  });
});

test('token values are measured at their worst-case length', () => {
  // GIVEN
  const { stack, pool } = setup();
  const bucket = new s3.Bucket(stack, 'B');
  const coordinator = RolePolicies.of(pool);
  // THEN
  expect(coordinator.lengthOf(bucket.bucketName)).toBe(WORST_CASE.bucketName);
  expect(coordinator.lengthOf(bucket.bucketArn)).toBe('arn::s3:::'.length + WORST_CASE.partition + WORST_CASE.bucketName);
  expect(coordinator.lengthOf(`${bucket.bucketArn}/a/*`)).toBe('arn::s3:::'.length + 10 + 63 + 4);
  expect(coordinator.lengthOf(stack.region)).toBe(9); // a concrete env region is a plain string
  expect(coordinator.lengthOf(new Stack(new App(), 'Agnostic').region)).toBe(WORST_CASE.region); // AWS::Region
  expect(coordinator.lengthOf('plain')).toBe(5);
});

test('fails when a role needs more managed policies than allowed, naming the role and the size', () => {
  // GIVEN
  const { stack, pool } = setup();
  const many = Array.from({ length: 400 }, (_, i) => get(`arn:aws:s3:::bucket/some-long-folder-name-number-${i}/*`))
    .map((s, i) => ({ ...s, actions: [`s3:GetObject${i % 50}`] }));
  // WHEN
  RolePolicies.of(pool).register(source(stack, { guest: many }), { maxManagedPoliciesPerRole: 2 });
  // THEN
  expect(() => Template.fromStack(stack)).toThrow(/`maxManagedPoliciesPerRole`: Role `Guest \(S\/Ids\/GuestRole\)` would need \d+ managed policies \(\d+ characters/);
});

test.each([0, 21, 1.5])('fails for maxManagedPoliciesPerRole %p', (n) => {
  const { stack, pool } = setup();
  expect(() => RolePolicies.of(pool).register(source(stack, {}), { maxManagedPoliciesPerRole: n }))
    .toThrow(/`maxManagedPoliciesPerRole`: IAM allows 1 to 20 managed policies per role/);
});

test('no sources, no policies', () => {
  const { stack, pool } = setup();
  RolePolicies.of(pool);
  Template.fromStack(stack).resourceCountIs('AWS::IAM::ManagedPolicy', 0);
});

test('a role\'s inline room is what its own Policies and the AWS::IAM::Policy resources attached to it leave', () => {
  // GIVEN: the admins role already carries about 7,500 characters of inline policy (a grant, small enough that aws-cdk-lib keeps it whole)
  const { stack, pool } = setup();
  const admins = pool.roleForGroup('admins') as iam.Role;
  for (let i = 0; i < 60; i++) {
    admins.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [`sqs:SendMessage${i}`], resources: [`arn:aws:sqs:us-east-1:123456789012:queue-${i}-${'q'.repeat(30)}`] }));
  }
  const own = Array.from({ length: 60 }, (_, i) => get(`arn:aws:s3:::b/admins-only-folder-number-${i}/*`));

  // WHEN
  RolePolicies.of(pool).register(source(stack, { [ADMINS]: [...own, get('arn:aws:s3:::b/shared/*')], authenticated: [get('arn:aws:s3:::b/shared/*')] }));

  // THEN: only what fits in the room left goes inline; the rest is a managed policy of the role
  const t = Template.fromStack(stack).toJSON();
  const role = t.Resources[roleId(stack, admins)];
  const grant = Object.values<any>(t.Resources).find(r => r.Type === 'AWS::IAM::Policy')!;
  const size = (doc: any) => JSON.stringify(doc).length;
  const inline = (role.Properties.Policies ?? []).map((p: any) => p.PolicyDocument);
  expect(size(grant.Properties.PolicyDocument)).toBeGreaterThan(7000);
  expect(inline).toHaveLength(1);
  expect(inline.reduce((n: number, d: any) => n + size(d), 0) + size(grant.Properties.PolicyDocument)).toBeLessThanOrEqual(10240);
  const managed = Object.values<any>(t.Resources)
    .filter(r => r.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId(stack, admins) }]));
  expect(managed).toHaveLength(1);
  const resources = [...inline, ...managed.map(r => r.Properties.PolicyDocument)].flatMap(d => d.Statement).flatMap((st: any) => st.Resource)
    .filter((r: string) => r.includes('admins-only'));
  expect(resources.sort()).toEqual(own.map(st => st.resources[0]).sort());
  // and without the grant they all go inline
  const fresh = setup();
  RolePolicies.of(fresh.pool).register(source(fresh.stack, { [ADMINS]: [...own, get('arn:aws:s3:::b/shared/*')], authenticated: [get('arn:aws:s3:::b/shared/*')] }));
  const admins2 = fresh.pool.roleForGroup('admins');
  const t2 = Template.fromStack(fresh.stack).toJSON();
  expect(t2.Resources[roleId(fresh.stack, admins2)].Properties.Policies).toHaveLength(1);
  expect(Object.values<any>(t2.Resources).filter(r => r.Type === 'AWS::IAM::ManagedPolicy')).toHaveLength(1); // the shared one
});

test('values of another stack count at the unknown worst case (they become imports)', () => {
  // GIVEN
  const { stack, pool } = setup();
  const other = new Stack(stack.node.scope as App, 'Other', { env: { account: '123456789012', region: 'us-east-1' } });
  const bucket = new s3.Bucket(other, 'B');
  // THEN
  expect(RolePolicies.of(pool).lengthOf(bucket.bucketArn)).toBe(WORST_CASE.unknown);
  expect(RolePolicies.of(pool).measureOf(other).lengthOf(bucket.bucketArn)).toBe('arn::s3:::'.length + WORST_CASE.partition + WORST_CASE.bucketName);
});

test('fails when a role\'s managed policies in all stacks together are more than allowed', () => {
  // GIVEN: the pool's stack and two app stacks, each with statements for the authenticated role
  const { stack, pool } = setup();
  const app = stack.node.scope as App;
  const files = new Stack(app, 'Files', { env: { account: '123456789012', region: 'us-east-1' } });
  const notes = new Stack(app, 'Notes', { env: { account: '123456789012', region: 'us-east-1' } });
  // WHEN: one managed policy in each app stack, at most one allowed
  RolePolicies.of(pool).register(source(files, { authenticated: [get('arn:aws:s3:::files/*')] }), { maxManagedPoliciesPerRole: 1 });
  RolePolicies.of(pool).register(source(notes, { authenticated: [get('arn:aws:s3:::notes/*')] }));
  // THEN
  expect(() => app.synth()).toThrow(/`maxManagedPoliciesPerRole`: Role `Authenticated \(S\/Ids\/AuthenticatedRole\)` would need 2 managed policies/);
});
