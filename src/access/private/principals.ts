import * as iam from 'aws-cdk-lib/aws-iam';
import { isPrincipalView } from './compile';
import { Statement, toIamJson } from './fit';
import { invalid } from '../../private/errors';
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
