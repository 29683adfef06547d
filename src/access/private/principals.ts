import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { isPrincipalView } from './compile';
import { Statement, toIamJson } from './fit';
import type { IFederatedIdentityPool } from '../../identity-pool/i-federated-identity-pool';
import { invalid } from '../../private/errors';
import { accountOf, sameRole } from '../../private/roles';
import { Audience, AudienceKind } from '../audience';

/*
 * Back ends in the rule language (`Audience.principal(fn)`): their rules compile in the same rule
 * set as the pool's audiences (so nesting Denies and listing scope apply to them), into a view of
 * their own (`principal:<key>`). A back end whose principal is a role (a Lambda function's, an
 * `iam.Role`) is planned by the coordinator like the pool's roles: its statements are sized with
 * worst-case lengths and attached to the role by name in managed policies. Any other principal (an
 * IAM user or group) gets the statements through `addToPrincipalPolicy`.
 */

/** The role behind a grantable, when it is one (duck-typed, so imported roles count too). */
function roleOf(grantable: iam.IGrantable): iam.IRole | undefined {
  const principal = grantable.grantPrincipal as Partial<iam.IRole>;
  return typeof principal.roleName === 'string' && typeof principal.roleArn === 'string' && typeof principal.addManagedPolicy === 'function'
    ? principal as iam.IRole
    : undefined;
}

/** aws-cdk-lib's wrapper that ignores every policy change (`Role.fromRoleArn(..., { mutable: false })`, or a role of another account). */
const IMMUTABLE_ROLE_ID = 'aws-cdk-lib.aws-iam.ImmutableRole';

/** Whether a role ignores the policies attached to it (an immutable import), read from aws-cdk-lib's class id. */
function isImmutable(role: iam.IRole): boolean {
  return (role.constructor as { PROPERTY_INJECTION_ID?: string }).PROPERTY_INJECTION_ID === IMMUTABLE_ROLE_ID;
}

/**
 * Refuses a back end whose policies would not reach it (DESIGN.md: "Back ends are the principals
 * named"): the pool's own roles, recognised by ARN (an import of the authenticated role is the
 * authenticated role); a role that ignores attached policies (an immutable import, which
 * aws-cdk-lib also makes of a role of another account); and any principal of another account than
 * the stack that holds the policies (`scope`'s), since policies are attached by name in the
 * deploying account, where a same-named role or user would receive the access instead.
 */
export function checkPrincipalAudience(pool: IFederatedIdentityPool, audience: Audience, scope: IConstruct): void {
  const principal = audience.grantable!.grantPrincipal;
  const role = roleOf(audience.grantable!);
  const target = role === undefined ? undefined : pool._roleTargets().find(t => sameRole(t.role, role));
  if (target !== undefined) {
    invalid('audience', `${audience}`, `The principal is the identity pool's own ${target.name} role${target.role === role ? '' : ' (the same role ARN or name, imported again)'}, `
      + 'whose access the pool\'s audiences decide: rules for it as a back end would reach every identity that receives the role, '
      + 'and mix with (their Denies would cut into) the rules of the audiences it serves',
    'Use the audience the role stands for (`Audience.authenticated()`, `Audience.group(name)`, `Audience.guest()`), or a role of its own for the back end.');
  }
  const stackAccount = Stack.of(scope).account;
  const account = role !== undefined ? accountOf(role) : principal.principalAccount;
  if (account !== undefined && !Token.isUnresolved(account) && !Token.isUnresolved(stackAccount) && account !== stackAccount) {
    invalid('audience', `${audience}`, `The principal lives in account ${account}, and the access policies are created in account ${stackAccount} (the stack of ${scope.node.path}), `
      + 'where they would be attached by name to a same-named principal of that account, if any, and never reach the back end',
    'Give the back end its access in its own account: an access construct in a stack of that account (with its own resources), or a role of this account for the back end.');
  }
  if (role !== undefined && isImmutable(role)) {
    invalid('audience', `${audience}`, 'The role is an immutable import (`mutable: false`), which ignores attached policies; the access policies, attached by name, would change it anyway',
      'Import the role mutable (`iam.Role.fromRoleArn(scope, id, arn)`) in its own account if this app may change its policies, or grant the back end outside this library.');
  }
}

/** The back ends of the rules that are roles, by view (`principal:<key>`). */
export function principalRoles(rules: readonly { readonly audience: Audience }[]): Map<string, iam.IRole> {
  const roles = new Map<string, iam.IRole>();
  for (const { audience } of rules) {
    const role = audience.kind === AudienceKind.PRINCIPAL ? roleOf(audience.grantable!) : undefined;
    if (role !== undefined) {
      roles.set(audience._view(), role);
    }
  }
  return roles;
}

/**
 * Adds the statements of each back end that is not a role to its principal policy, once per view
 * (`attached` remembers the views done). Throws when a principal cannot hold an identity policy.
 */
export function attachPrincipalStatements(rules: readonly { readonly audience: Audience }[], views: ReadonlyMap<string, readonly Statement[]>,
  attached: Set<string>): void {
  for (const { audience } of rules) {
    if (audience.kind !== AudienceKind.PRINCIPAL || roleOf(audience.grantable!) !== undefined) {
      continue;
    }
    const view = audience._view();
    if (attached.has(view) || !isPrincipalView(view)) {
      continue;
    }
    attached.add(view);
    for (const statement of views.get(view) ?? []) {
      const added = audience.grantable!.grantPrincipal.addToPrincipalPolicy(iam.PolicyStatement.fromJson(toIamJson(statement)));
      if (!added.statementAdded) {
        invalid('audience', `${audience}`, 'The principal has no identity policy to hold the rules (e.g. a service or account principal)',
          'Pass a construct with a role, such as a `lambda.Function` or an `iam.Role`.');
      }
    }
  }
}
