import { Annotations, CfnResource, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { isPrincipalView } from './compile';
import { Statement, toIamJson } from './fit';
import { nameKeys } from './rule-set';
import type { IFederatedIdentityPool } from '../../identity-pool/i-federated-identity-pool';
import { addValidation, invalid } from '../../private/errors';
import type { RoleTarget } from '../../private/role-view';
import { accountOf, literalRoleParts, sameRole, sameRoleName } from '../../private/roles';
import { subjectWarningId } from '../../private/warnings';
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
 * named"): the pool's own roles, recognised by ARN or name (an import of the authenticated role is
 * the authenticated role), also through an export or SSM parameter of the app (checked at synth,
 * with `followedRoleProblems`); a role that ignores attached policies (an immutable import, which
 * aws-cdk-lib also makes of a role of another account); and any principal of another account or
 * partition than the stack that holds the policies (`scope`'s), since policies are attached by name
 * in the deploying account, where a same-named role or user would receive the access instead. A
 * principal whose account is a deploy-time value is warned about (it cannot be checked).
 */
export function checkPrincipalAudience(pool: IFederatedIdentityPool, audience: Audience, scope: IConstruct): void {
  const principal = audience.grantable!.grantPrincipal;
  const role = roleOf(audience.grantable!);
  const followed = role === undefined ? undefined : followRole(scope, role);
  const target = role === undefined ? undefined : poolRoleOf(pool, role, followed!);
  if (target !== undefined) {
    invalid('audience', `${audience}`, poolRoleProblem(target, role!), POOL_ROLE_FIX);
  }
  const stackAccount = Stack.of(scope).account;
  const accounts = role !== undefined
    ? accountsOf(role, followed!)
    : [principal.principalAccount].filter(a => a !== undefined && !Token.isUnresolved(a));
  const account = accounts.find(a => !Token.isUnresolved(stackAccount) && a !== stackAccount);
  if (account !== undefined) {
    invalid('audience', `${audience}`, otherAccountProblem(account, stackAccount, scope), OTHER_ACCOUNT_FIX);
  }
  const partition = partitionsOf(principal, followed).find(p => p !== stackPartition(scope) && stackPartition(scope) !== undefined);
  if (partition !== undefined) {
    invalid('audience', `${audience}`, otherPartitionProblem(partition, scope), OTHER_PARTITION_FIX);
  }
  if (role !== undefined && isImmutable(role)) {
    invalid('audience', `${audience}`, 'The role is an immutable import (`mutable: false`), which ignores attached policies; the access policies, attached by name, would change it anyway',
      'Import the role mutable (`iam.Role.fromRoleArn(scope, id, arn)`) in its own account if this app may change its policies, or grant the back end outside this library.');
  }
  if (!accountKnown(scope, principal, role, followed)) {
    const message = `The back end ${audience} is named by an ARN whose account is a deploy-time value, so the library cannot check that it is the account of ${scope.node.path}'s stack: `
      + 'the access policies are attached by name in that stack\'s account, and if the ARN names another account they reach a same-named principal of this account instead (or nothing). '
      + 'Name the back end by the construct that creates it, or by an ARN with a literal account (or `Aws.ACCOUNT_ID`).';
    Annotations.of(scope).addWarningV2(subjectWarningId('principalAccountUnknown', message), message);
  }
  if (role !== undefined) {
    const views = CHECKED_AT_SYNTH.get(scope) ?? new Set<string>();
    if (views.size === 0) {
      CHECKED_AT_SYNTH.set(scope, views);
    }
    if (!views.has(audience._view())) {
      views.add(audience._view());
      addValidation(scope, () => followedRoleProblems(pool, audience, role, scope));
    }
  }
}

/** The back-end views each construct re-checks at synth, so that each is checked once. */
const CHECKED_AT_SYNTH = new WeakMap<IConstruct, Set<string>>();

const POOL_ROLE_FIX = 'Use the audience the role stands for (`Audience.authenticated()`, `Audience.group(name)`, `Audience.guest()`), or a role of its own for the back end.';
const OTHER_ACCOUNT_FIX = 'Give the back end its access in its own account: an access construct in a stack of that account (with its own resources), or a role of this account for the back end.';
const OTHER_PARTITION_FIX = 'Give the back end its access in its own partition (an access construct in a stack of a region of that partition), or name a role of this partition.';

function poolRoleProblem(target: RoleTarget, role: iam.IRole): string {
  return `The principal is the identity pool's own ${target.name} role${target.role === role ? '' : ' (the same role ARN or name, imported again)'}, `
    + 'whose access the pool\'s audiences decide: rules for it as a back end would reach every identity that receives the role, '
    + 'and mix with (their Denies would cut into) the rules of the audiences it serves';
}

function otherAccountProblem(account: string, stackAccount: string, scope: IConstruct): string {
  return `The principal lives in account ${account}, and the access policies are created in account ${stackAccount} (the stack of ${scope.node.path}), `
    + 'where they would be attached by name to a same-named principal of that account, if any, and never reach the back end';
}

function otherPartitionProblem(partition: string, scope: IConstruct): string {
  return `The principal's ARN is in partition \`${partition}\`, and the access policies are created in partition \`${stackPartition(scope)}\` (the stack of ${scope.node.path}, region ${Stack.of(scope).region}), `
    + 'where accounts and roles are others: the policies would be attached by name to a same-named principal of this partition, if any, and never reach the back end';
}

/**
 * The problems found at synth, when every export, SSM parameter and pool role of the app exists:
 * the back end's role, followed through exports and SSM parameters the app writes, is one of the
 * pool's roles, or lives in another account or partition; or its ARN and name are deploy-time
 * values the library cannot follow (a CloudFormation parameter, an export or SSM parameter from
 * outside the app), which could hold a pool role's ARN: every signed-in identity would get the
 * back end's access, so such a back end is refused.
 */
function followedRoleProblems(pool: IFederatedIdentityPool, audience: Audience, role: iam.IRole, scope: IConstruct): string[] {
  const problem = (why: string, fix: string) => [`\`audience\`: ${why} (received ${audience}). ${fix}`];
  const followed = followRole(scope, role);
  const target = poolRoleOf(pool, role, followed);
  if (target !== undefined) {
    return problem(`${poolRoleProblem(target, role)}, named through an export or SSM parameter of the app`, POOL_ROLE_FIX);
  }
  if (!followed.traced) {
    return problem('The back end\'s role is named by deploy-time values the library cannot follow to a role (its ARN and name come from a CloudFormation parameter, '
      + 'an export or SSM parameter that this app does not write, or an expression of such values): it could be one of the identity pool\'s roles '
      + `(${pool._roleTargets().map(t => t.name).join(', ')}), and then every identity that receives that role would get the back end's access`,
    'Name the back end\'s role by the construct that creates it, by its literal ARN or name (`iam.Role.fromRoleName(this, id, \'reports\')`), '
      + 'or by an export or SSM parameter this app writes; or grant it outside this library.');
  }
  const stackAccount = Stack.of(scope).account;
  const account = accountsOf(role, followed).find(a => !Token.isUnresolved(stackAccount) && a !== stackAccount);
  if (account !== undefined) {
    return problem(otherAccountProblem(account, stackAccount, scope), OTHER_ACCOUNT_FIX);
  }
  const partition = partitionsOf(role, followed).find(p => stackPartition(scope) !== undefined && p !== stackPartition(scope));
  if (partition !== undefined) {
    return problem(otherPartitionProblem(partition, scope), OTHER_PARTITION_FIX);
  }
  return [];
}

/** A literal role name, with the account and partition it is in when known. */
interface LiteralRole {
  readonly name: string;
  readonly account?: string;
  readonly partition?: string;
}

/**
 * What names a role in the app, followed through exports and SSM parameters it writes (the
 * follower rule sets use, `nameKeys`): literal names, and keys of deploy-time values (the values
 * themselves, `export:<name>`, `ssm:<name>`, and `role:<path>` of a role resource they refer to).
 */
interface FollowedRole {
  readonly literals: readonly LiteralRole[];
  readonly keys: ReadonlySet<string>;
  /** The role resources of the app the names refer to. */
  readonly created: readonly CfnResource[];
  /** Whether the library can tell which role this is: a literal name, or a role resource of the app. */
  readonly traced: boolean;
}

const ROLE_TYPES = ['AWS::IAM::Role'];

function followRole(scope: IConstruct, role: iam.IRole): FollowedRole {
  const literals: LiteralRole[] = [];
  const keys = new Set<string>();
  const created: CfnResource[] = [];
  let traced = false;
  const ownAccount = accountOf(role);
  for (const value of [role.roleArn, role.roleName]) {
    const followed = nameKeys(scope, value, ROLE_TYPES, target => (target as iam.CfnRole).roleName);
    traced ||= followed.provable;
    for (const key of followed.keys) {
      if (key.startsWith('literal:')) {
        const literal = literalRole(key.slice('literal:'.length), ownAccount);
        if (literal !== undefined) {
          literals.push(literal);
          traced = true;
        }
        continue;
      }
      if (!Token.isUnresolved(key) && !key.startsWith('export:') && !key.startsWith('ssm:')) {
        continue; // a literal value itself: compared as a literal name, with its account
      }
      keys.add(key);
      for (const token of Token.isUnresolved(key) ? Tokenization.reverseString(key).tokens : []) {
        const target = token instanceof Reference ? token.target : undefined;
        if (target instanceof CfnResource && ROLE_TYPES.includes(target.cfnResourceType)) {
          keys.add(`role:${target.node.path}`);
          created.push(target);
          traced = true;
        }
      }
    }
  }
  const joined = joinedRoleArn(scope, role.roleArn);
  if (joined !== undefined) {
    literals.push(joined);
    traced = true;
  }
  return { literals, keys, created, traced };
}

/** A literal ARN or name as a role name (`undefined` for other literals, such as an SSM dummy value). */
function literalRole(text: string, account: string | undefined): LiteralRole | undefined {
  if (text.startsWith('arn:')) {
    return literalRoleParts(text);
  }
  return /^[\w+=,.@-]{1,64}$/.test(text) && !text.startsWith('dummy-value-for-') ? { name: text, account } : undefined;
}

/**
 * The literal name (and account, partition) in an ARN joined at deploy time from literals and
 * values (`arn:aws:iam::${account}:role/reports`, or `fromRoleName`'s ARN): the parts that are
 * literals, and the stack's own account and partition (`AWS::AccountId`, `AWS::Partition`).
 */
function joinedRoleArn(scope: IConstruct, arn: string): LiteralRole | undefined {
  if (!Token.isUnresolved(arn)) {
    return undefined;
  }
  let resolved: unknown;
  try {
    resolved = Stack.of(scope).resolve(arn);
  } catch {
    return undefined;
  }
  const join = resolved !== null && typeof resolved === 'object' ? (resolved as Record<string, unknown>)['Fn::Join'] : undefined;
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) {
    return undefined;
  }
  const account = Stack.of(scope).account;
  const own = (part: unknown, pseudo: string, value: string | undefined) =>
    (JSON.stringify(part) === JSON.stringify({ Ref: pseudo }) && value !== undefined && !Token.isUnresolved(value) ? value : undefined);
  const text = (join[1] as unknown[]).map(part => (typeof part === 'string' ? part
    : own(part, 'AWS::AccountId', account) ?? own(part, 'AWS::Partition', stackPartition(scope)) ?? '\u0000')).join('');
  const match = /^arn:([^:]*):iam::([^:]*):role\/(?:[^/]*\/)*([^/]+)$/.exec(text);
  if (match === null || match[3].includes('\u0000')) {
    return undefined;
  }
  const literal = (part: string) => part.includes('\u0000') ? undefined : part;
  return { name: match[3], account: literal(match[2]), partition: literal(match[1]) };
}

/** The pool role a back end's role is, compared by object, ARN, name and what they are followed to. */
function poolRoleOf(pool: IFederatedIdentityPool, role: iam.IRole, followed: FollowedRole): RoleTarget | undefined {
  return pool._roleTargets().find(t => sameRole(t.role, role) || sameFollowed(followRole(t.role, t.role), followed));
}

function sameFollowed(a: FollowedRole, b: FollowedRole): boolean {
  if ([...a.keys].some(k => b.keys.has(k))) {
    return true;
  }
  const compatible = (x?: string, y?: string) => x === undefined || y === undefined || x === y;
  return a.literals.some(x => b.literals.some(y => sameRoleName(x.name, y.name)
    && compatible(x.account, y.account) && compatible(x.partition, y.partition)));
}

/** The literal accounts a role is known to live in: its own, those of the literal ARNs and role resources it is followed to. */
function accountsOf(role: iam.IRole, followed: FollowedRole): string[] {
  const accounts = [accountOf(role), ...followed.literals.map(l => l.account), ...followed.created.map(c => Stack.of(c).account)];
  return [...new Set(accounts.filter((a): a is string => a !== undefined && !Token.isUnresolved(a)))];
}

/** The literal partitions of the principal's ARN and of the literal ARNs it is followed to. */
function partitionsOf(principal: iam.IPrincipal | iam.IRole, followed: FollowedRole | undefined): string[] {
  const partitions = [arnPartition(principalArn(principal)), ...(followed?.literals ?? []).map(l => l.partition)];
  return [...new Set(partitions.filter((p): p is string => p !== undefined))];
}

/** The ARN a principal is named by, when it has one (a role, user, group or ARN principal). */
function principalArn(principal: iam.IPrincipal | iam.IRole): string | undefined {
  const named = principal as { roleArn?: unknown; userArn?: unknown; groupArn?: unknown; arn?: unknown };
  const arn = named.roleArn ?? named.userArn ?? named.groupArn ?? named.arn;
  return typeof arn === 'string' ? arn : undefined;
}

function arnPartition(arn: string | undefined): string | undefined {
  if (arn === undefined || Token.isUnresolved(arn)) {
    return undefined;
  }
  return /^arn:([^:]+):/.exec(arn)?.[1];
}

/** The partition of the scope's stack, when its region is a literal that aws-cdk-lib knows. */
function stackPartition(scope: IConstruct): string | undefined {
  const region = Stack.of(scope).region;
  return Token.isUnresolved(region) ? undefined : RegionInfo.get(region).partition;
}

/**
 * Whether the account a back end lives in is known at synth (a literal, or the stack's own
 * `AWS::AccountId`), or can be left to aws-cdk-lib (a role resource of the app, whose stack's
 * account decides). A role traced nowhere is refused at synth instead.
 */
function accountKnown(scope: IConstruct, principal: iam.IPrincipal, role: iam.IRole | undefined, followed: FollowedRole | undefined): boolean {
  if (role !== undefined && (!followed!.traced || followed!.created.length > 0 || accountsOf(role, followed!).length > 0)) {
    return true;
  }
  const account = role !== undefined ? (role as Partial<iam.Role>).env?.account ?? role.principalAccount : principal.principalAccount;
  if (account === undefined || !Token.isUnresolved(account)) {
    return true;
  }
  try {
    return JSON.stringify(Stack.of(scope).resolve(account)) === JSON.stringify({ Ref: 'AWS::AccountId' });
  } catch {
    return false;
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
