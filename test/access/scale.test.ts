import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { documentSize, Statement } from '../../src/access/private/fit';
import { RolePolicies } from '../../src/access/private/role-policies';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * Scale: 50 buckets with the seven DESIGN.md rules on a pool with 200 group roles. Sizes are the
 * coordinator's computed worst-case sizes (every token at its longest deployed length).
 */
test('50 (existing) buckets x 7 rules on a pool with 200 groups stays within IAM limits and under 500 resources', () => {
  // GIVEN
  const app = new App();
  const stack = new Stack(app, 'Scale', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addCustomAttribute('tenant', { mutable: false });
  for (let g = 0; g < 200; g++) {
    users.addGroup(`group-${g}`, { precedence: g });
  }
  users.addGroup('admins', { precedence: 200 });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, web)], guestAccess: true, principalTags: { tenant: 'custom:tenant' },
  });
  for (let g = 0; g < 200; g++) {
    pool.roleForGroup(`group-${g}`);
  }

  // WHEN
  for (let b = 0; b < 50; b++) {
    // existing buckets: 50 created buckets alone would add 200 resources (bucket, log bucket, 2 policies)
    const bucket = s3.Bucket.fromBucketName(stack, `Bucket${b}`, `scale-test-bucket-with-a-long-name-${String(b).padStart(3, '0')}`);
    const files = new ScopedBucketAccess(stack, `Files${b}`, { identityPool: pool, bucket });
    files.allow('public/*', Audience.guest(), Access.READ);
    files.allow('public/*', Audience.authenticated(), Access.READ, Access.WRITE, Access.DELETE);
    files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
    files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
    files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);
  }
  const started = Date.now();
  const template = Template.fromStack(stack).toJSON();
  const synthMs = Date.now() - started;

  // THEN
  const coordinator = RolePolicies.of(pool);
  const plan = coordinator.plan!;
  const sizes = plan.sets.flatMap(set => set.documents.map(d => documentSize(d.statements as Statement[], coordinator.lengthOf)));
  const perRole = [...plan.roles.values()].map(r => r.managedPolicies);
  const resources = Object.keys(template.Resources).length;
  const managed = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::IAM::ManagedPolicy').length;

  expect(plan.roles.size).toBe(203); // authenticated, guest, 201 group roles
  expect(Math.max(...sizes)).toBeLessThanOrEqual(6144);
  expect(Math.max(...perRole)).toBeLessThanOrEqual(10);
  expect(managed).toBe(sizes.length);
  expect(resources).toBeLessThan(500);
  // every role with statements gets the authenticated rules (group roles share them)
  expect(plan.overLimit).toEqual([]);

  const sorted = [...sizes].sort((a, b) => b - a);
  // eslint-disable-next-line no-console
  console.log(`scale: ${resources} resources, ${managed} managed policies, largest policy sizes ${sorted.slice(0, 5).join(', ')} (limit 6144), `
    + `most managed policies on one role ${Math.max(...perRole)} (limit 10), synth ${synthMs} ms`);
});
