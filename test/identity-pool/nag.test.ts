import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

// cdk-nag 3 cannot run as a synth plugin on aws-cdk-lib 2.257: run the pack on the app directly.
function findings(app: App) {
  return new AwsSolutionsChecks(app).validateScope(app).violations;
}

function directoryAndPool(guestAccess: boolean): { app: App; pool: FederatedIdentityPool } {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins');
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web');
  const pool = new FederatedIdentityPool(stack, 'Identities', {
    sources: [IdentitySource.userDirectory(users, web)],
    guestAccess,
    principalTags: { tenant: 'custom:tenant' },
  });
  pool.roleForGroup('admins');
  pool.createRole('Reviewers');
  return { app, pool };
}

describe('cdk-nag AwsSolutions on a UserDirectory and a FederatedIdentityPool', () => {
  test('guest access off: no findings and no acknowledgements', () => {
    // GIVEN
    const { app } = directoryAndPool(false);

    // WHEN
    const violations = findings(app);

    // THEN
    expect(violations).toEqual([]);
  });

  test('guest access on: the only finding is COG7 on the identity pool, acknowledged there with a reason', () => {
    // GIVEN a pool whose owner asked for guests
    const { app, pool } = directoryAndPool(true);
    expect(findings(app).map((v) => [v.ruleName, v.violatingResources.map((r) => r.constructPath)]))
      .toEqual([[expect.stringMatching(/AwsSolutions-COG7/), [expect.stringMatching(/^Stack\/Identities\/Resource$/)]]]);

    // WHEN the finding is acknowledged on the identity pool resource alone
    Validations.of(pool.identityPool).acknowledge({
      id: 'AwsSolutions-COG7',
      reason: 'Guests are intended (guestAccess: true): the guest role trusts only unauthenticated identities of this pool, and access constructs grant it only guest rules.',
    });

    // THEN nothing is left
    expect(findings(app)).toEqual([]);
  });

  test('the acknowledgement is granular: it does not hide COG7 on another identity pool', () => {
    // GIVEN the acknowledged pool and a second pool with guests in the same app
    const { app, pool } = directoryAndPool(true);
    Validations.of(pool.identityPool).acknowledge({ id: 'AwsSolutions-COG7', reason: 'Guests are intended.' });
    new cognito.CfnIdentityPool(Stack.of(pool), 'OtherPool', { allowUnauthenticatedIdentities: true });

    // WHEN
    const violations = findings(app);

    // THEN
    expect(violations.map((v) => v.ruleName)).toEqual([expect.stringMatching(/AwsSolutions-COG7/)]);
    expect(violations[0].violatingResources.map((r) => r.constructPath)).toEqual(['Stack/OtherPool']);
  });
});
