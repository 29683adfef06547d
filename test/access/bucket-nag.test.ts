import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

test('the DESIGN.md bucket scenario has no unacknowledged cdk-nag findings', () => {
  // GIVEN
  const app = new App();
  const stack = new Stack(app, 'Nag', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, web)], guestAccess: true, principalTags: { tenant: 'custom:tenant' },
  });
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, corsOrigins: ['https://app.example.com'] });
  files.allow('public/*', Audience.guest(), Access.READ);
  files.allow('public/*', Audience.authenticated(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
  files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
  files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);

  // The scenario enables guest access on purpose (DESIGN.md: guests read public/*).
  Validations.of(pool.identityPool).acknowledge({
    id: 'AwsSolutions-COG7',
    reason: 'Guest (unauthenticated) identities are intended: they receive only the guest role, which may read public/* of this bucket.',
  });

  // WHEN
  const violations = new AwsSolutionsChecks(app).validateScope(app).violations;

  // THEN
  expect(violations.map((v: any) => `${v.ruleName ?? v.ruleId} ${JSON.stringify(v.violatingResources?.map((r: any) => r.resourceLogicalId ?? r.locations) ?? v)}`)).toEqual([]);
});
