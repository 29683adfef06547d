import * as iam from 'aws-cdk-lib/aws-iam';
import { isPrincipalView } from './compile';
import { Statement, toIamJson } from './fit';
import { invalid } from '../../private/errors';
import { Audience, AudienceKind } from '../audience';

/*
 * Back ends in the rule language (`Audience.principal(fn)`): their rules compile in the same rule
 * set as the pool's audiences (so nesting Denies and listing scope apply to them), into a view of
 * their own (`principal:<key>`), whose statements go into the back end's own policy instead of a
 * role of the identity pool.
 */

/**
 * Adds each back end's statements to its principal policy, once per view (`attached` remembers
 * the views already done). Throws when a principal cannot hold an identity policy.
 */
export function attachPrincipalStatements(rules: readonly { readonly audience: Audience }[], views: ReadonlyMap<string, readonly Statement[]>,
  attached: Set<string>): void {
  for (const { audience } of rules) {
    if (audience.kind !== AudienceKind.PRINCIPAL) {
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
