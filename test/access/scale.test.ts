import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { attachedPolicies } from './attached';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { documentSize, Statement } from '../../src/access/private/fit';
import { RolePolicies } from '../../src/access/private/role-policies';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * Scale: a platform team's directory with 200 groups, each with a role, and many buckets, in one
 * stack. Sizes are checked twice: with the coordinator's computed worst-case sizes, and
 * independently on the synthesized template with every deploy-time value replaced by a value
 * of its longest length.
 */

const env = { account: '123456789012', region: 'us-east-1' };

function platform(groups: number) {
  const app = new App();
  const stack = new Stack(app, 'Scale', { env });
  const users = new UserDirectory(stack, 'Users');
  users.addCustomAttribute('tenant', { mutable: false });
  for (let g = 0; g < groups; g++) {
    users.addGroup(`group${g}`, { precedence: g });
  }
  users.addGroup('admins', { precedence: groups });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, web)], guestAccess: true, principalTags: { tenant: 'custom:tenant' },
  });
  for (let g = 0; g < groups; g++) {
    pool.roleForGroup(`group${g}`);
  }
  return { stack, pool };
}

/** The seven DESIGN.md rules. */
function designRules(files: ScopedBucketAccess): void {
  files.allow('public/*', Audience.guest(), Access.READ);
  files.allow('public/*', Audience.authenticated(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
  files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
  files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);
}

/** Replaces every intrinsic with a value of its longest deployed length (independent of the library's measure). */
function worst(value: any, resources: Record<string, any>): any {
  if (Array.isArray(value)) {
    return value.map(v => worst(v, resources));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if ('Ref' in value) {
    const pseudo: Record<string, number> = { 'AWS::Partition': 10, 'AWS::Region': 14, 'AWS::AccountId': 12, 'AWS::URLSuffix': 20 };
    const type = resources[value.Ref]?.Type;
    if (type === 'AWS::Cognito::IdentityPool') {
      return `${'r'.repeat(14)}:${'0'.repeat(36)}`; // <region>:<uuid>
    }
    return 'x'.repeat(pseudo[value.Ref] ?? (type === 'AWS::S3::Bucket' ? 63 : 255));
  }
  if ('Fn::GetAtt' in value) {
    const type = resources[value['Fn::GetAtt'][0]]?.Type;
    return type === 'AWS::S3::Bucket' && value['Fn::GetAtt'][1] === 'Arn' ? `arn:${'p'.repeat(10)}:s3:::${'b'.repeat(63)}` : 'x'.repeat(255);
  }
  if ('Fn::Join' in value) {
    return value['Fn::Join'][1].map((p: any) => worst(p, resources)).join(value['Fn::Join'][0]);
  }
  if ('Fn::Split' in value) {
    return String(worst(value['Fn::Split'][1], resources)).split(value['Fn::Split'][0]);
  }
  if ('Fn::Select' in value) {
    return worst(value['Fn::Select'][1], resources)[value['Fn::Select'][0]];
  }
  const intrinsic = Object.keys(value).find(k => k.startsWith('Fn::'));
  if (intrinsic !== undefined) {
    throw new Error(`the test cannot size ${intrinsic}`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, worst(v, resources)]));
}

/** Per role: inline aggregate, managed count and largest managed policy, measured on the template. */
function limitsOnTemplate(template: any) {
  const resources: Record<string, any> = template.Resources;
  const size = (doc: any) => JSON.stringify(worst(doc, resources)).length;
  const roles = Object.keys(resources).filter(id => resources[id].Type === 'AWS::IAM::Role');
  const policies = attachedPolicies(Template.fromJSON(template));
  return roles.map(id => {
    const mine = policies.filter(p => p.Roles.some((r: any) => r.Ref === id));
    const inline = mine.filter(p => p.type !== 'AWS::IAM::ManagedPolicy');
    const managed = mine.filter(p => p.type === 'AWS::IAM::ManagedPolicy');
    return {
      id,
      inline: inline.reduce((n, p) => n + size(p.PolicyDocument), 0),
      managed: managed.length + (resources[id].Properties.ManagedPolicyArns ?? []).length,
      largestManaged: Math.max(0, ...managed.map(p => size(p.PolicyDocument))),
    };
  });
}

function expectWithinLimits(stack: Stack, pool: FederatedIdentityPool) {
  const template = Template.fromStack(stack).toJSON();
  const resources = Object.values<any>(template.Resources);
  const count = (type: string) => resources.filter(r => r.Type === type).length;

  // the coordinator's computed sizes
  const coordinator = RolePolicies.of(pool);
  const plan = coordinator.plan!;
  expect(plan.overLimit).toEqual([]);
  const managedSizes = plan.sets.flatMap(set => set.documents.map(d => documentSize(d.statements as Statement[], coordinator.lengthOf)));
  expect(Math.max(...managedSizes)).toBeLessThanOrEqual(6144);
  expect(Math.max(...[...plan.roles.values()].map(r => r.managedPolicies))).toBeLessThanOrEqual(10);
  expect(Math.max(...[...plan.roles.values()].map(r => r.inlineSize))).toBeLessThanOrEqual(10240);

  // the template, measured independently
  const limits = limitsOnTemplate(template);
  expect(limits.filter(r => r.inline > 10240 || r.managed > 10 || r.largestManaged > 6144)).toEqual([]);
  expect(resources.length).toBeLessThan(500);
  return { template, resources: resources.length, count, limits, plan };
}

test('(a) 200 groups with a folder each and 50 buckets with the seven rules: under 500 resources, every policy within IAM limits', () => {
  // GIVEN
  const { stack, pool } = platform(200);

  // WHEN: 50 existing buckets with the seven rules; each group has its own folder in the first one
  const buckets: ScopedBucketAccess[] = [];
  for (let b = 0; b < 50; b++) {
    const bucket = s3.Bucket.fromBucketName(stack, `Bucket${b}`, `scale-test-bucket-with-a-long-name-${String(b).padStart(3, '0')}`);
    const files = new ScopedBucketAccess(stack, `Files${b}`, { identityPool: pool, bucket });
    designRules(files);
    buckets.push(files);
  }
  for (let g = 0; g < 200; g++) {
    buckets[0].allow(`groups/group${g}/*`, Audience.group(`group${g}`), Access.READ, Access.WRITE, Access.DELETE);
  }

  // THEN
  const { resources, count, limits, plan } = expectWithinLimits(stack, pool);
  expect(count('AWS::IAM::Role')).toBe(203); // authenticated, guest, 201 group roles
  expect(count('AWS::Cognito::UserPoolGroup')).toBe(201);
  // two resources per group (the group and its role): each group's folder is inline in its role
  expect(plan.inline.size).toBe(201);
  const group0 = limits.find(r => r.id === stack.resolve((pool.roleForGroup('group0').node.defaultChild as any).logicalId))!;
  expect(group0.inline).toBeGreaterThan(0);
  expect(count('AWS::IAM::ManagedPolicy')).toBeLessThanOrEqual(20);
  // eslint-disable-next-line no-console
  console.log(`scale (a): ${resources} resources (${count('AWS::IAM::ManagedPolicy')} managed policies), `
    + `largest inline aggregate ${Math.max(...limits.map(r => r.inline))} (limit 10240), most managed on one role ${Math.max(...limits.map(r => r.managed))} (limit 10), `
    + `largest managed ${Math.max(...limits.map(r => r.largestManaged))} (limit 6144)`);
});

test('(b) 200 group roles and 30 created buckets: 2 resources per group and per bucket, under 500, within IAM limits', () => {
  // GIVEN
  const { stack, pool } = platform(200);

  // WHEN
  for (let b = 0; b < 30; b++) {
    designRules(new ScopedBucketAccess(stack, `Files${b}`, { identityPool: pool }));
  }

  // THEN
  const { resources, count, limits } = expectWithinLimits(stack, pool);
  expect(count('AWS::S3::Bucket')).toBe(31); // 30 buckets and the shared log bucket
  expect(count('AWS::S3::BucketPolicy')).toBe(31); // TLS only (the log bucket's also admits log delivery)
  // eslint-disable-next-line no-console
  console.log(`scale (b): ${resources} resources (${count('AWS::IAM::ManagedPolicy')} managed policies, ${count('AWS::S3::Bucket')} buckets), `
    + `largest inline aggregate ${Math.max(...limits.map(r => r.inline))}, most managed on one role ${Math.max(...limits.map(r => r.managed))}, `
    + `largest managed ${Math.max(...limits.map(r => r.largestManaged))}`);
});
