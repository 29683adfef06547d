import { Stack, Token } from 'aws-cdk-lib';
import { accountOf } from './roles';
import type { IFederatedIdentityPool } from '../identity-pool/i-federated-identity-pool';

/*
 * Accounts at synth (DESIGN.md: "Across accounts: roles live with the identity pool; a resource
 * in another account gets its side in its own stack"). An account is known when it is a literal:
 * a stack's `env.account`, an import's stated `account`, a literal role ARN. Where either side is
 * a deploy-time value (environment-agnostic stacks), the resource counts as the pool's account, as
 * before: nothing can be proved, and aws-cdk-lib treats such stacks as one environment too.
 */

/** Whether an account is a literal (known at synth). */
export function knownAccount(account: string | undefined): account is string {
  return account !== undefined && !Token.isUnresolved(account) && account !== '';
}

/** The account of the pool's roles, when known: the authenticated role's, else the pool's stack's. */
export function poolAccountOf(pool: IFederatedIdentityPool): string | undefined {
  const role = accountOf(pool.authenticatedRole);
  if (knownAccount(role)) {
    return role;
  }
  const stack = Stack.of(pool).account;
  return knownAccount(stack) ? stack : undefined;
}

/**
 * The account of a resource in another account than the pool's roles, or undefined when it is
 * (or may be) the roles' own account.
 */
export function otherAccount(pool: IFederatedIdentityPool, resourceAccount: string | undefined): string | undefined {
  const roles = poolAccountOf(pool);
  return knownAccount(roles) && knownAccount(resourceAccount) && roles !== resourceAccount ? resourceAccount : undefined;
}

/**
 * The account of a resource: the account of its literal ARN when the ARN names one (an import by
 * ARN), else its `env.account` (the stack's, or the account an import states).
 */
export function resourceAccountOf(resource: { readonly env: { readonly account: string } }, arn: string): string {
  if (!Token.isUnresolved(arn)) {
    const account = arn.split(':')[4];
    if (account !== undefined && /^\d{12}$/.test(account)) {
      return account;
    }
  }
  return resource.env.account;
}
