import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';

/**
 * One identity policy attached to roles, whatever its placement: an `AWS::IAM::ManagedPolicy` or
 * `AWS::IAM::Policy` naming roles in `Roles`, or an inline policy of a role (`Policies` of
 * `AWS::IAM::Role`, written here as `Roles: [{ Ref: <role> }]`).
 */
export interface AttachedPolicy {
  readonly id: string;
  readonly type: string;
  readonly Roles: unknown[];
  readonly PolicyDocument: any;
}

/** Every identity policy of the template attached to a role. */
export function attachedPolicies(stack: Stack | Template): AttachedPolicy[] {
  const template = stack instanceof Stack ? Template.fromStack(stack).toJSON() : stack.toJSON();
  const found: AttachedPolicy[] = [];
  for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
    if (r.Type === 'AWS::IAM::ManagedPolicy' || r.Type === 'AWS::IAM::Policy') {
      found.push({ id, type: r.Type, Roles: r.Properties.Roles ?? [], PolicyDocument: r.Properties.PolicyDocument });
    }
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of r.Properties?.Policies ?? []) {
        found.push({ id: `${id}/${p.PolicyName}`, type: 'inline', Roles: [{ Ref: id }], PolicyDocument: p.PolicyDocument });
      }
    }
  }
  return found;
}

/** Asserts that some attached policy matches `pattern` (`Match.objectLike` semantics, as `hasResourceProperties`). */
export function hasAttachedPolicy(stack: Stack | Template, pattern: Record<string, unknown>): void {
  const policies = attachedPolicies(stack);
  const matcher = Match.objectLike(pattern);
  if (!policies.some(p => !matcher.test({ Roles: p.Roles, PolicyDocument: p.PolicyDocument }).hasFailed())) {
    throw new Error(`No attached policy matches ${JSON.stringify(pattern)}.\nAttached policies:\n${JSON.stringify(policies, undefined, 1)}`);
  }
}
