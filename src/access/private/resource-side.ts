import { Annotations, CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { Conditions, Statement, toIamJson } from './fit';
import type { ResourceSideRole } from './role-policies';
import { invalid } from '../../private/errors';

/*
 * The resource side of cross-account access (DESIGN.md: "a resource in another account gets its
 * side in its own stack ... allowing exactly the pool roles that hold a rule there, for the union
 * of their rules. IAM allows a cross-account request only when both sides do, so per-identity
 * precision stays in the identity policy").
 *
 * Per pool role, the resource side is the role's own Allow statements on the resource, with the
 * role's ARN as principal and every per-identity policy variable (`${cognito-identity...:sub}`,
 * `${aws:PrincipalTag/NAME}`) widened to `*`, and the principal-tag guards dropped: the union over
 * every identity that can receive the role of what its rules grant, never another action, never a
 * key, item or route outside the role's patterns. Denies stay in the identity policies (an
 * explicit Deny in either policy decides), so the resource side holds only Allows. Roles that hold
 * no rule on the resource are absent, and no other principal is named.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */

/** A policy variable the identity side resolves per request (never a CDK token `${Token[...]}`). */
const POLICY_VARIABLE = /\$\{(?:aws:|cognito-identity\.amazonaws\.com:)[^}]*\}/g;

/** Condition keys that only narrow the identity side per caller (principal-tag guards). */
function perIdentityKey(key: string): boolean {
  return key.startsWith('aws:PrincipalTag/');
}

/** A value with every policy variable widened to `*` (`private/${sub}/*` -> `private/*\/*`). */
export function widen(value: string): string {
  return value.replace(POLICY_VARIABLE, '*');
}

/**
 * A statement's conditions without the per-identity keys, values widened: a pattern (`*Like`)
 * with a policy variable widens it to `*`; an exact match on one is left to the identity side.
 */
function widenConditions(conditions: Conditions | undefined, perIdentity: (key: string) => boolean): Conditions | undefined {
  if (conditions === undefined) {
    return undefined;
  }
  const out: { [operator: string]: { [key: string]: string[] } } = {};
  for (const [operator, entries] of Object.entries(conditions)) {
    for (const [key, values] of Object.entries(entries)) {
      if (perIdentityKey(key) || perIdentity(key)) {
        continue;
      }
      const variable = values.some(v => v.match(POLICY_VARIABLE) !== null);
      if (variable && !operator.includes('Like')) {
        // An exact match on a per-identity value (`dynamodb:LeadingKeys`): the identity side keeps it.
        continue;
      }
      out[operator] ??= {};
      out[operator][key] = [...new Set(values.map(widen))];
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The resource-side statements of one role: its Allows that `pick` keeps, widened, merged where
 * they differ only in actions or only in resources (same conditions).
 * `resources` maps each statement's resources (a key policy's are `*`).
 */
export function resourceSideOf(statements: readonly Statement[], pick: (s: Statement) => boolean,
  resources: (s: Statement) => readonly string[] = s => s.resources.map(widen), perIdentity: (key: string) => boolean = () => false): Statement[] {
  const widened: Statement[] = statements.filter(s => s.effect === 'Allow' && pick(s)).map(s => ({
    effect: 'Allow',
    actions: [...new Set(s.actions)].sort(),
    resources: [...new Set(resources(s))].sort(),
    conditions: widenConditions(s.conditions, perIdentity),
  }));
  // Same conditions and resources: one statement with every action.
  const byResources = new Map<string, Statement>();
  for (const s of widened) {
    const key = JSON.stringify([s.conditions ?? null, s.resources]);
    const prev = byResources.get(key);
    byResources.set(key, prev === undefined ? s : { ...prev, actions: [...new Set([...prev.actions, ...s.actions])].sort() });
  }
  // Same conditions and actions: one statement with every resource.
  const byActions = new Map<string, Statement>();
  for (const s of byResources.values()) {
    const key = JSON.stringify([s.conditions ?? null, s.actions]);
    const prev = byActions.get(key);
    byActions.set(key, prev === undefined ? s : { ...prev, resources: [...new Set([...prev.resources, ...s.resources])].sort() });
  }
  return [...byActions.values()];
}

/** The statement as an aws-cdk-lib PolicyStatement naming `principalArn`. */
export function withPrincipal(statement: Statement, principalArn: string): iam.PolicyStatement {
  const json = toIamJson(statement);
  return iam.PolicyStatement.fromJson({ ...json, Principal: { AWS: principalArn } });
}

/**
 * The role statements of every pool role for a resource side, in role order.
 */
export function resourceSideStatements(roles: readonly ResourceSideRole[], pick: (s: Statement) => boolean,
  resources?: (s: Statement) => readonly string[], perIdentity?: (key: string) => boolean): iam.PolicyStatement[] {
  return roles.flatMap(({ target, statements }) => resourceSideOf(statements, pick, resources, perIdentity)
    .map(s => withPrincipal(s, target.role.roleArn)));
}

/** The logical ids a resolved value refers to (`Ref`, `Fn::GetAtt`) that are no element of `stack`. */
function foreignReferences(stack: Stack, resolved: unknown): string[] {
  const ids = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      if (typeof obj.Ref === 'string' && !obj.Ref.startsWith('AWS::')) {
        ids.add(obj.Ref);
      }
      const getAtt = obj['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
        ids.add(getAtt[0]);
      }
      Object.values(obj).forEach(visit);
    }
  };
  visit(resolved);
  if (ids.size === 0) {
    return [];
  }
  const own = new Set(stack.node.findAll().filter(CfnElement.isCfnElement).map(e => stack.resolve((e as CfnElement).logicalId) as string));
  return [...ids].filter(id => !own.has(id));
}

/**
 * Throws unless `value` (a resource's ARN or a role's ARN) can be written into a template of
 * `stack`: across accounts it must be known at synth, which aws-cdk-lib does for resources with
 * a physical name (given, or `PhysicalName.GENERATE_IF_NEEDED`).
 */
export function checkCrossAccountReference(stack: Stack, value: string, property: string, what: IConstruct, fix: string): void {
  let reason: string | undefined;
  try {
    // aws-cdk-lib writes a reference across environments as a literal for a resource with a
    // physical name; any other reference to a resource of another stack would be read from that
    // stack's outputs at deploy time (`Fn::GetStackOutput`, through a role in its account), or fail.
    const foreign = foreignReferences(stack, stack.resolve(value));
    if (foreign.length > 0) {
      reason = `it refers to ${foreign.join(', ')} of another stack, which has no name known at synth`;
    }
  } catch (e) {
    reason = (e as Error).message;
  }
  if (reason !== undefined) {
    invalid(property, what.node.path, `Stack ${stack.stackName} (account ${stack.account}) must name ${what.node.path}, which is in another account, `
      + `and a name across accounts must be known at synth (no CloudFormation export or output crosses accounts): ${reason}`, fix);
  }
}

/**
 * The key's side when a resource of another account is encrypted with a customer-managed key:
 * its key policy allows each role the role's KMS actions (resource `*`, the key itself), only
 * through the service (`kms:ViaService`); the encryption context stays in the identity policy. An imported key's policy cannot be written
 * here: a warning names the roles it must allow.
 */
export function writeKeySide(scope: IConstruct, roles: readonly ResourceSideRole[], key: kms.IKey, keyArn: string,
  identityStack: Stack, resourceAccount: string): void {
  checkCrossAccountReference(identityStack, keyArn, 'encryptionKey', key,
    'Import the key by its literal ARN in `encryptionKey` (`kms.Key.fromKeyArn(scope, id, arn)`): a key id is generated by AWS and cannot be named in another account before it exists.');
  // The encryption context (the granted object ARNs, the table name) stays in the identity policy:
  // in the key policy it would refer to the resource, which refers to the key (a cycle).
  const statements = resourceSideStatements(roles, st => st.actions.every(a => a.startsWith('kms:')), () => ['*'],
    name => name.startsWith('kms:EncryptionContext:'));
  if (statements.length === 0) {
    return;
  }
  const added = statements.map(st => key.addToResourcePolicy(st, false).statementAdded);
  if (added.some(a => !a)) {
    Annotations.of(scope).addWarningV2('cdk-federated-access:crossAccountKeyPolicy',
      `The KMS key ${keyArn} is imported and in account ${resourceAccount}, another account than the identity pool's roles, so its key policy cannot be written here: `
      + `it must allow ${roles.map(r => r.target.name).join(', ')} the KMS actions their rules need through the service, or every request fails.`);
  }
}
