import { Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { COGNITO_QUOTAS, quotaProblem, warnQuota } from '../private/cognito-quotas';

/**
 * Checks the identity pool quotas that depend on everything federated into a pool, from what the
 * pool renders (deferred: sources, groups and role mappings are added after construction).
 * @internal
 */
export function identityPoolQuotaProblems(pool: IConstruct): string[] {
  const stack = Stack.of(pool);
  const problems: string[] = [];
  for (const child of pool.node.children) {
    if (child instanceof cognito.CfnIdentityPoolRoleAttachment) {
      const mappings = Object.keys(stack.resolve(child.roleMappings) ?? {}).length;
      const problem = quotaProblem(COGNITO_QUOTAS.roleMappingsPerIdentityPool, mappings, 'sources',
        'the number of identity providers with a role mapping (one per app client of a directory whose groups have roles, one per source with rules)',
        'Map roles for fewer providers: federate fewer app clients of a directory that has group roles, or give some sources the authenticated role only.');
      if (problem !== undefined) {
        problems.push(problem);
      }
    }
    if (child instanceof cognito.CfnIdentityPool) {
      const providers = stack.resolve(child.cognitoIdentityProviders);
      warnQuota(pool, 'userPoolProviders', COGNITO_QUOTAS.userPoolProvidersPerIdentityPool, Array.isArray(providers) ? providers.length : 0,
        'The identity pool\'s user pool app clients');
    }
  }
  return problems;
}
