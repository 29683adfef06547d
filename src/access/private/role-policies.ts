import { createHash } from 'crypto';
import { Aspects, IAspect, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { AUTHENTICATED_VIEW, GUEST_VIEW, groupView } from './compile';
import {
  DEFAULT_MAX_MANAGED_POLICIES, IamStatementJson, INLINE_POLICIES_MAX_LENGTH, LengthOf, MAX_MANAGED_POLICIES_QUOTA, PlannedDocument,
  planPolicies, PolicyPlan, RolePolicyPlan, Statement, toIamJson, tooManyPoliciesError,
} from './fit';
import { checkPrincipalAudience } from './principals';
import { WorstCase } from './worst-case';
import type { IFederatedIdentityPool } from '../../identity-pool/i-federated-identity-pool';
import { knownAccount, poolAccountOf } from '../../private/accounts';
import { invalid } from '../../private/errors';
import { RoleTarget, RoleView } from '../../private/role-view';
import { Audience, AudienceKind } from '../audience';

export { WORST_CASE } from './worst-case';

/*
 * The per-pool policy coordinator.
 *
 * Every access construct (bucket, table, API) registers a source with the coordinator of its
 * identity pool. When the app is prepared, an Aspect (on the coordinator and on each place that
 * holds policies, never on a user scope) asks every source for its statements per role view and
 * plans the policies of every role of the pool with `planPolicies`, once per stack that holds
 * sources:
 *
 * - policies live in the stack of the access construct that needs them, so an app stack refers
 *   to a shared auth stack and never the other way round; except across accounts: a policy
 *   attaches to a role by name in its own account, so for an access construct in another account
 *   than the roles the pool roles' policies go to the pool's stack (`policyStackFor`), and the
 *   resource's side (`resourceSide`) to the resource's stack;
 * - statements several roles share go to `AWS::IAM::ManagedPolicy` resources that attach
 *   themselves to the roles by name (`Roles`), written once;
 * - statements only one role has go inline into that role (`AWS::IAM::Role` `Policies`) when the
 *   pool created the role in the same stack, within what is left of IAM's inline aggregate;
 *   roles of other stacks and imported roles get managed policies, so their templates never
 *   change;
 * - the managed policies of a role, in all stacks together, stay within the per-role quota.
 *
 * Sizes are measured as AWS will see them: every deploy-time value is resolved and counted at its
 * longest (see WORST_CASE).
 */

/** Something that contributes statements to the roles of an identity pool. */
export interface AccessPolicySource {
  /** The construct that owns the rules: the policies are created in its stack. */
  readonly scope: Construct;
  /**
   * Statements per view key ('guest' | 'authenticated' | groupView(name)), computed when the
   * coordinator finalizes; `groups` = groups that have a role in the pool at that time.
   * A group missing from the map gets the 'authenticated' view's statements.
   */
  policyStatements(groups: readonly string[]): ReadonlyMap<string, readonly Statement[]>;

  /**
   * The back ends (`Audience.principal`) whose role receives a view of the source's statements,
   * as `principal:<key>` view -> role; planned like the pool's roles (sized, attached by name).
   * @default - none
   */
  principalRoles?(): ReadonlyMap<string, iam.IRole>;

  /**
   * Receives, once when the policies are planned, the statements of every pool role that holds a
   * rule on the source's resource, so that a resource in another account than the roles can
   * write its side (bucket, table, key or API policy).
   * @default - no resource side
   */
  resourceSide?(roles: readonly ResourceSideRole[]): void;
}

/** A pool role and the identity statements it receives from one source. */
export interface ResourceSideRole {
  readonly target: RoleTarget;
  readonly statements: readonly Statement[];
}

/** Options of `RolePolicies.register`. */
export interface RegisterOptions {
  /**
   * Managed policies one role may have (the IAM quota of the account). The coordinator uses the
   * lowest value any source gives.
   * @default 10
   */
  readonly maxManagedPoliciesPerRole?: number;
}

const COORDINATOR_ID = 'AccessPolicies';
/** The name of the inline policies the coordinator writes into a role (`-1`, `-2`, ...). */
export const INLINE_POLICY_NAME = 'AccessPolicies';

/**
 * The coordinator of the access policies of one identity pool's roles.
 * @internal
 */
export class RolePolicies extends Construct {
  /** The coordinator of a pool (created once as a child of the pool construct, id 'AccessPolicies'). */
  public static of(pool: IFederatedIdentityPool): RolePolicies {
    const existing = pool.node.tryFindChild(COORDINATOR_ID);
    if (existing instanceof RolePolicies) {
      return existing;
    }
    if (existing !== undefined) {
      throw new Error(`${pool.node.path} already has a child '${COORDINATOR_ID}' that is not a RolePolicies`);
    }
    return new RolePolicies(pool, COORDINATOR_ID, pool);
  }

  /** The plans made at finalization, by the stack that holds their policies (for tests and reports). */
  public readonly plans = new Map<Stack, PolicyPlan>();
  /** The managed policies created at finalization, in every stack. */
  public readonly managedPolicies: iam.CfnManagedPolicy[] = [];

  private readonly pool: IFederatedIdentityPool;
  private readonly sources: AccessPolicySource[] = [];
  /** Where the policies of each stack go: this coordinator in its own stack, a holder in others. */
  private readonly holders = new Map<Stack, Construct>();
  private readonly measures = new Map<Stack, WorstCase>();
  private maxManagedPolicies?: number;
  private finalized = false;

  private constructor(scope: Construct, id: string, pool: IFederatedIdentityPool) {
    super(scope, id);
    this.pool = pool;
    this.holders.set(Stack.of(this), this);
    this.finalizeWhenVisited(this);
  }

  /** The plan of the policies in the pool's own stack. */
  public get plan(): PolicyPlan | undefined {
    return this.plans.get(Stack.of(this));
  }

  /** Adds a source of statements; its statements are planned when the app is prepared. */
  public register(source: AccessPolicySource, options: RegisterOptions = {}): void {
    if (this.finalized) {
      throw new Error(`Cannot register an access policy source with ${this.node.path} after its policies were planned`);
    }
    const max = options.maxManagedPoliciesPerRole;
    if (max !== undefined) {
      validateMaxManagedPolicies(max);
      this.maxManagedPolicies = this.maxManagedPolicies === undefined ? max : Math.min(this.maxManagedPolicies, max);
    }
    if (!this.sources.includes(source)) {
      this.sources.push(source);
      this.holderOf(Stack.of(source.scope));
    }
  }

  /** The statements every role target receives, keyed by target name, per stack of their sources. */
  public statementsByRole(): { targets: Map<string, RoleTarget>; statements: Map<Stack, Map<string, Statement[]>> } {
    const targets = new Map<string, RoleTarget>();
    for (const target of this.pool._roleTargets()) {
      targets.set(target.name, target);
    }
    // Back ends' roles: the views of their rules, planned with the pool's roles (never inline).
    for (const source of this.sources) {
      for (const [view, role] of source.principalRoles?.() ?? []) {
        targets.set(principalTargetName(view), { role, view: { kind: 'principal', view }, name: principalTargetName(view) });
      }
    }
    const groups = [...targets.values()].flatMap(t => (t.view.kind === 'group' ? [t.view.group] : []));
    const statements = new Map<Stack, Map<string, Statement[]>>();
    for (const source of this.sources) {
      const views = source.policyStatements(groups);
      const sourceStack = Stack.of(source.scope);
      const bySource: ResourceSideRole[] = [];
      for (const [name, target] of targets) {
        const list = statementsFor(views, target.view);
        if (list.length > 0) {
          // The pool's roles take their policies in a stack of their own account (policies attach by name).
          const stack = target.view.kind === 'principal' ? sourceStack : this.policyStackFor(sourceStack);
          if (target.view.kind !== 'principal') {
            bySource.push({ target, statements: list });
          }
          let byRole = statements.get(stack);
          if (byRole === undefined) {
            byRole = new Map();
            statements.set(stack, byRole);
          }
          const existing = byRole.get(name);
          if (existing) {
            existing.push(...list);
          } else {
            byRole.set(name, [...list]);
          }
        }
      }
      if (this.finalized) {
        source.resourceSide?.(bySource);
      }
    }
    for (const [stack, byRole] of statements) {
      if (byRole.size === 0) {
        statements.delete(stack);
      }
    }
    return { targets, statements };
  }

  /** Measures a string value of the pool's stack at its longest deployed length. */
  public readonly lengthOf: LengthOf = (value: string) => this.measureOf(Stack.of(this)).lengthOf(value);

  /** The measure of values in one stack. */
  public measureOf(stack: Stack): WorstCase {
    let measure = this.measures.get(stack);
    if (measure === undefined) {
      measure = new WorstCase(stack);
      this.measures.set(stack, measure);
    }
    return measure;
  }

  /**
   * The stack that holds the pool roles' policies for a source in `sourceStack`: that stack, unless
   * it is provably in another account than the roles (a resource of a workload account), when the
   * policies go to the pool's own stack, in the roles' account. An imported pool whose stack is in
   * another account than its roles is refused: no stack of the roles' account is known.
   */
  public policyStackFor(sourceStack: Stack): Stack {
    const roles = poolAccountOf(this.pool);
    if (roles === undefined || !knownAccount(sourceStack.account) || sourceStack.account === roles) {
      return sourceStack;
    }
    const poolStack = Stack.of(this.pool);
    if (knownAccount(poolStack.account) && poolStack.account !== roles) {
      invalid('identityPool', this.pool.node.path, `The pool's roles live in account ${roles}, and neither the access construct's stack (${sourceStack.account}) `
        + `nor the pool's stack (${poolStack.account}) is in that account, so their policies, attached by name, would reach no role of the pool`,
      `Import the identity pool in a stack of account ${roles}.`);
    }
    return poolStack;
  }

  /** Where the policies of a stack go (a construct of that stack that finalizes the pool when visited). */
  private holderOf(stack: Stack): Construct {
    let holder = this.holders.get(stack);
    if (holder === undefined) {
      let id = `${this.pool.node.id.replace(/[^A-Za-z0-9]/g, '')}AccessPolicies`;
      if (stack.node.tryFindChild(id) !== undefined) {
        id = `${id}${createHash('sha256').update(this.node.path).digest('hex').slice(0, 8)}`;
      }
      holder = new Construct(stack, id);
      this.finalizeWhenVisited(holder);
      this.holders.set(stack, holder);
    }
    return holder;
  }

  /**
   * Finalizes when the first place holding policies is visited: policies created then lie in
   * constructs the aspect pass has not reached yet, so other aspects still see them.
   */
  private finalizeWhenVisited(holder: Construct): void {
    const self = this;
    const aspect: IAspect = {
      visit(node: IConstruct): void {
        if (node === holder) {
          self.finalize();
        }
      },
    };
    Aspects.of(holder).add(aspect);
  }

  private finalize(): void {
    if (this.finalized) {
      return;
    }
    this.finalized = true;
    if (this.sources.length === 0) {
      return;
    }
    const { targets, statements } = this.statementsByRole();
    const maxManagedPolicies = this.maxManagedPolicies ?? DEFAULT_MAX_MANAGED_POLICIES;
    for (const [stack, byRole] of statements) {
      const measure = this.measureOf(stack);
      const inlineBudget = (name: string) => {
        const role = inlineRole(targets.get(name)!, stack);
        const used = role && measure.inlineUsage(role);
        return used === undefined ? undefined : INLINE_POLICIES_MAX_LENGTH - used;
      };
      this.plans.set(stack, planPolicies(byRole, { maxManagedPolicies, lengthOf: measure.lengthOf, inlineBudget }));
    }
    this.checkManagedPolicyCount(targets, maxManagedPolicies);
    for (const [stack, plan] of this.plans) {
      this.createPolicies(stack, plan, targets);
    }
  }

  /** Throws unless every role's managed policies, in all stacks together, stay within the limit. */
  private checkManagedPolicyCount(targets: Map<string, RoleTarget>, maxManagedPolicies: number): void {
    const plans = [...this.plans.values()];
    for (const [name, target] of targets) {
      const parts = plans.flatMap(p => (p.roles.has(name) ? [p.roles.get(name)!] : []));
      const managedPolicies = parts.reduce((n, p) => n + p.managedPolicies, 0);
      if (managedPolicies > maxManagedPolicies) {
        const combined: RolePolicyPlan = {
          role: name,
          sets: parts.flatMap(p => p.sets),
          managedPolicies,
          totalSize: parts.reduce((n, p) => n + p.totalSize, 0),
          inline: parts.flatMap(p => p.inline),
          inlineSize: parts.reduce((n, p) => n + p.inlineSize, 0),
          fits: false,
        };
        throw tooManyPoliciesError(combined, `${target.name}` + (target.role.node ? ` (${target.role.node.path})` : ''), plans[0]);
      }
    }
  }

  private createPolicies(stack: Stack, plan: PolicyPlan, targets: Map<string, RoleTarget>): void {
    const holder = this.holderOf(stack);
    const all = plan.roles.size;
    for (const set of plan.sets) {
      const roles = set.roles.map(name => targets.get(name)!.role);
      // Ids depend only on the roles a set is attached to, so they stay stable as rules change.
      let prefix: string;
      if (set.roles.length === all && all > 1) {
        prefix = 'AllRoles';
      } else if (set.roles.length === 1) {
        prefix = set.roles[0];
      } else {
        prefix = `Shared${createHash('sha256').update([...set.roles].sort().join('\n')).digest('hex').slice(0, 8)}`;
      }
      set.documents.forEach((doc, i) => {
        // The L1 resource under the L2's ids: the document is written exactly as it was sized.
        const policy = new iam.CfnManagedPolicy(new Construct(holder, `${prefix}-${i + 1}`), 'Resource', {
          description: `Access policies of ${set.roles.length === 1 ? `role ${set.roles[0]}` : `${set.roles.length} roles`} of identity pool ${this.pool.node.path}`,
          path: '/',
          policyDocument: documentOf(doc),
          roles: roles.map(role => role.roleName),
        });
        this.managedPolicies.push(policy);
      });
    }
    for (const [name, docs] of plan.inline) {
      const role = inlineRole(targets.get(name)!, stack)!;
      const existing = (role.policies ?? []) as iam.CfnRole.PolicyProperty[];
      role.policies = [...existing, ...docs.map((doc, i) => ({ policyName: `${INLINE_POLICY_NAME}-${i + 1}`, policyDocument: documentOf(doc) }))];
    }
  }
}

/** The role resource of a target that may carry inline policies in `stack`: created by the pool in that stack. */
function inlineRole(target: RoleTarget, stack: Stack): iam.CfnRole | undefined {
  if (!target.created || Stack.of(target.role) !== stack) {
    return undefined;
  }
  const resource = target.role.node.defaultChild;
  return resource instanceof iam.CfnRole ? resource : undefined;
}

/** A policy document in the key order aws-cdk-lib's PolicyDocument renders (alphabetical). */
function documentOf(doc: PlannedDocument): { Statement: IamStatementJson[]; Version: string } {
  return {
    Statement: doc.statements.map(toIamJson).map(s => ({
      Action: s.Action, ...(s.Condition ? { Condition: s.Condition } : {}), Effect: s.Effect, Resource: s.Resource,
    })),
    Version: '2012-10-17',
  };
}

function statementsFor(views: ReadonlyMap<string, readonly Statement[]>, view: RoleView): readonly Statement[] {
  switch (view.kind) {
    case 'guest':
      return views.get(GUEST_VIEW) ?? [];
    case 'authenticated':
      return views.get(AUTHENTICATED_VIEW) ?? [];
    case 'principal':
      return views.get(view.view) ?? [];
    default:
      return views.get(groupView(view.group)) ?? views.get(AUTHENTICATED_VIEW) ?? [];
  }
}

/** The target name of a back end's view (`principal:<key>` -> `Principal-<key>`), construct-id safe. */
function principalTargetName(view: string): string {
  const key = view.slice('principal:'.length);
  const cleaned = key.replace(/[^A-Za-z0-9_-]/g, '').slice(-40);
  return `Principal-${cleaned}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/** Throws unless `max` is a whole number from 1 to 20 known at synth. */
export function validateMaxManagedPolicies(max: number, property = 'maxManagedPoliciesPerRole'): void {
  if (Token.isUnresolved(max)) {
    invalid(property, max, 'The number of managed policies per role decides how policies are split at synth time, so it cannot be a deploy-time value',
      `Pass a number from 1 to ${MAX_MANAGED_POLICIES_QUOTA}.`);
  }
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_MANAGED_POLICIES_QUOTA) {
    invalid(property, max, `IAM allows 1 to ${MAX_MANAGED_POLICIES_QUOTA} managed policies per role`,
      `Pass a whole number from 1 to ${MAX_MANAGED_POLICIES_QUOTA} (above ${DEFAULT_MAX_MANAGED_POLICIES} only after raising the IAM quota "Managed policies per role").`);
  }
}

/**
 * Checks that the pool has a role for the audience: a guest rule needs guest access, a group
 * rule a group that a federated directory has, a back end a principal its policies reach (in the
 * account of `scope`'s stack). `where` names the rule's path in the message.
 */
export function checkAudienceHasRole(scope: Construct, pool: IFederatedIdentityPool, audience: Audience, where?: string): void {
  if (audience.kind === AudienceKind.GUEST && !pool.guestAccess) {
    invalid('audience', `${audience}`, `A guest rule${where ? ` on \`${where}\`` : ''} needs an identity pool with guest access, and this pool has none`,
      'Set `guestAccess: true` on the identity pool, or use another audience.');
  }
  if (audience.kind === AudienceKind.GROUP && !pool.canMapGroup(audience.groupName!, audience.directory)) {
    const group = audience.groupName!;
    const reason = audience.directory === undefined ? 'no federated user directory has it' : `${audience.directory.node.path} is no federated directory of the pool with this group`;
    invalid('audience', `${audience}`, `The identity pool cannot give group \`${group}\` a role (${reason})`,
      `Add the group to the user directory (\`addGroup('${group}')\`) and federate the directory before this rule, or use another audience.`);
  }
  if (audience.kind === AudienceKind.PRINCIPAL) {
    checkPrincipalAudience(pool, audience, scope);
  }
}
