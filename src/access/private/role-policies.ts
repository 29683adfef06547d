import { createHash } from 'crypto';
import { Aspects, IAspect, Stack, Token, CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { AUTHENTICATED_VIEW, GUEST_VIEW, groupView } from './compile';
import {
  DEFAULT_MAX_MANAGED_POLICIES, LengthOf, MAX_MANAGED_POLICIES_QUOTA, planPolicies, PolicyPlan, Statement, toIamJson, tooManyPoliciesError,
} from './fit';
import type { IFederatedIdentityPool } from '../../identity-pool/federated-identity-pool';
import { invalid } from '../../private/errors';
import { RoleTarget, RoleView } from '../../private/role-view';
import { Audience, AudienceKind } from '../audience';

/*
 * The per-pool policy coordinator.
 *
 * Every access construct (bucket, table, API) registers a source with the coordinator of its
 * identity pool. When the app is prepared, an Aspect on the coordinator itself (never on a user
 * scope, like aws-cdk-lib's iam.Role does to split large policies) asks every source for its
 * statements per role view, plans managed policies for every role of the pool at once with
 * `planPolicies` (statements shared by several roles are written once and attached to all of
 * them) and creates the `AWS::IAM::ManagedPolicy` resources, which attach themselves to the roles
 * by name (`Roles`), so imported roles work and no role resource changes.
 *
 * Sizes are measured as AWS will see them: every deploy-time value is resolved and counted at its
 * longest (see WORST_CASE below).
 */

/** Something that contributes statements to the roles of an identity pool. */
export interface AccessPolicySource {
  /**
   * Statements per view key ('guest' | 'authenticated' | groupView(name)), computed when the
   * coordinator finalizes; `groups` = groups that have a role in the pool at that time.
   * A group missing from the map gets the 'authenticated' view's statements.
   */
  policyStatements(groups: readonly string[]): ReadonlyMap<string, readonly Statement[]>;
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

/**
 * Worst-case lengths of deploy-time values (characters), used to size policies before deployment.
 *
 * - pseudo parameters: partition 10 (`aws-us-gov`), region 14 (`ap-southeast-4`, with room),
 *   account 12, URL suffix 20;
 * - `Ref` of a bucket 63 (S3's maximum bucket name), of a table 255 (DynamoDB's maximum table
 *   name), of a REST/HTTP API 10 (API ids), of a KMS key 36 (a key id);
 * - `Fn::GetAtt ... Arn` of those: the ARN built from the lengths above;
 * - the region split from an identity pool id (`Fn::Select` 0 of `Fn::Split` at `:`): 14;
 * - anything else (parameters, imports, unknown attributes): 255.
 */
export const WORST_CASE = {
  partition: 10,
  region: 14,
  account: 12,
  urlSuffix: 20,
  bucketName: 63,
  tableName: 255,
  apiId: 10,
  keyId: 36,
  unknown: 255,
} as const;

const PSEUDO: { readonly [name: string]: number } = {
  'AWS::Partition': WORST_CASE.partition,
  'AWS::Region': WORST_CASE.region,
  'AWS::AccountId': WORST_CASE.account,
  'AWS::URLSuffix': WORST_CASE.urlSuffix,
};

function refLength(type: string | undefined): number {
  switch (type) {
    case 'AWS::S3::Bucket':
      return WORST_CASE.bucketName;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return WORST_CASE.tableName;
    case 'AWS::ApiGateway::RestApi':
    case 'AWS::ApiGatewayV2::Api':
      return WORST_CASE.apiId;
    case 'AWS::KMS::Key':
      return WORST_CASE.keyId;
    default:
      return WORST_CASE.unknown;
  }
}

function arnLength(type: string | undefined): number {
  const { partition: p, region: r, account: a } = WORST_CASE;
  switch (type) {
    case 'AWS::S3::Bucket': // arn:<p>:s3:::<name>
      return 'arn::s3:::'.length + p + WORST_CASE.bucketName;
    case 'AWS::DynamoDB::Table': // arn:<p>:dynamodb:<r>:<a>:table/<name>
    case 'AWS::DynamoDB::GlobalTable':
      return 'arn::dynamodb:::table/'.length + p + r + a + WORST_CASE.tableName;
    case 'AWS::KMS::Key': // arn:<p>:kms:<r>:<a>:key/<id>
      return 'arn::kms:::key/'.length + p + r + a + WORST_CASE.keyId;
    default:
      return WORST_CASE.unknown;
  }
}

const COORDINATOR_ID = 'AccessPolicies';

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

  /** The plan made at finalization (for tests and reports). */
  public plan?: PolicyPlan;
  /** The managed policies created at finalization. */
  public readonly managedPolicies: iam.ManagedPolicy[] = [];

  private readonly pool: IFederatedIdentityPool;
  private readonly sources: AccessPolicySource[] = [];
  private maxManagedPolicies?: number;
  private finalized = false;
  private lengthCache = new Map<string, number>();
  private resourceTypes?: Map<string, string>;

  private constructor(scope: Construct, id: string, pool: IFederatedIdentityPool) {
    super(scope, id);
    this.pool = pool;
    const self = this;
    const aspect: IAspect = {
      visit(node: IConstruct): void {
        if (node === self) {
          self.finalize();
        }
      },
    };
    Aspects.of(this).add(aspect);
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
    }
  }

  /** The statements every role target receives, keyed by target name. */
  public statementsByRole(): { targets: Map<string, RoleTarget>; statements: Map<string, Statement[]> } {
    const targets = new Map<string, RoleTarget>();
    for (const target of this.pool._roleTargets()) {
      targets.set(target.name, target);
    }
    const groups = [...targets.values()].flatMap(t => (t.view.kind === 'group' ? [t.view.group] : []));
    const perSource = this.sources.map(source => source.policyStatements(groups));
    const statements = new Map<string, Statement[]>();
    for (const [name, target] of targets) {
      const list: Statement[] = [];
      for (const views of perSource) {
        list.push(...statementsFor(views, target.view));
      }
      if (list.length > 0) {
        statements.set(name, list);
      }
    }
    return { targets, statements };
  }

  /** Measures a string value at its longest deployed length. */
  public readonly lengthOf: LengthOf = (value: string) => {
    if (!Token.isUnresolved(value)) {
      return value.length;
    }
    let length = this.lengthCache.get(value);
    if (length === undefined) {
      length = this.measure(Stack.of(this).resolve(value));
      this.lengthCache.set(value, length);
    }
    return length;
  };

  private finalize(): void {
    if (this.finalized) {
      return;
    }
    this.finalized = true;
    if (this.sources.length === 0) {
      return;
    }
    const { targets, statements } = this.statementsByRole();
    const plan = planPolicies(statements, {
      maxManagedPolicies: this.maxManagedPolicies ?? DEFAULT_MAX_MANAGED_POLICIES,
      lengthOf: this.lengthOf,
    });
    this.plan = plan;
    const over = plan.overLimit[0];
    if (over !== undefined) {
      const target = targets.get(over.role)!;
      throw tooManyPoliciesError(over, `${target.name}` + (target.role.node ? ` (${target.role.node.path})` : ''), plan);
    }
    const all = statements.size;
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
        const policy = new iam.ManagedPolicy(this, `${prefix}-${i + 1}`, {
          description: `Access policies of ${set.roles.length === 1 ? `role ${set.roles[0]}` : `${set.roles.length} roles`} of identity pool ${this.pool.node.path}`,
          document: iam.PolicyDocument.fromJson({
            Version: '2012-10-17',
            Statement: doc.statements.map(toIamJson),
          }),
          roles,
        });
        this.managedPolicies.push(policy);
      });
    }
  }

  private measure(value: unknown): number {
    if (typeof value === 'string') {
      return value.length;
    }
    if (typeof value === 'number') {
      return String(value).length;
    }
    if (value === null || typeof value !== 'object') {
      return WORST_CASE.unknown;
    }
    const obj = value as Record<string, unknown>;
    if ('Fn::Join' in obj) {
      const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.reduce<number>((sum, part) => sum + this.measure(part), 0) + separator.length * Math.max(0, parts.length - 1);
    }
    if ('Fn::Select' in obj) {
      // The region of an identity id, split from the pool id (see _identityRegion).
      const [index, list] = obj['Fn::Select'] as [unknown, unknown];
      const split = (list as Record<string, unknown> | null)?.['Fn::Split'] as [string, unknown] | undefined;
      if (index === 0 && split?.[0] === ':') {
        return WORST_CASE.region;
      }
      return WORST_CASE.unknown;
    }
    if ('Ref' in obj) {
      const name = obj.Ref as string;
      return PSEUDO[name] ?? refLength(this.typeOf(name));
    }
    if ('Fn::GetAtt' in obj) {
      const [logicalId, attribute] = obj['Fn::GetAtt'] as [string, string];
      const type = this.typeOf(logicalId);
      if (attribute === 'Arn') {
        return arnLength(type);
      }
      return WORST_CASE.unknown;
    }
    return WORST_CASE.unknown;
  }

  private typeOf(logicalId: string): string | undefined {
    if (this.resourceTypes === undefined) {
      this.resourceTypes = new Map();
      const stack = Stack.of(this);
      for (const node of stack.node.findAll()) {
        if (CfnResource.isCfnResource(node) && Stack.of(node) === stack) {
          this.resourceTypes.set(stack.resolve(node.logicalId), node.cfnResourceType);
        }
      }
    }
    return this.resourceTypes.get(logicalId);
  }
}

function statementsFor(views: ReadonlyMap<string, readonly Statement[]>, view: RoleView): readonly Statement[] {
  switch (view.kind) {
    case 'guest':
      return views.get(GUEST_VIEW) ?? [];
    case 'authenticated':
      return views.get(AUTHENTICATED_VIEW) ?? [];
    default:
      return views.get(groupView(view.group)) ?? views.get(AUTHENTICATED_VIEW) ?? [];
  }
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
 * rule a group that a federated directory has. `where` names the rule's path in the message.
 */
export function checkAudienceHasRole(pool: IFederatedIdentityPool, audience: Audience, where?: string): void {
  if (audience.kind === AudienceKind.GUEST && !pool.guestAccess) {
    invalid('audience', `${audience}`, `A guest rule${where ? ` on \`${where}\`` : ''} needs an identity pool with guest access, and this pool has none`,
      'Set `guestAccess: true` on the identity pool, or use another audience.');
  }
  if (audience.kind === AudienceKind.GROUP && !pool.canMapGroup(audience.groupName!)) {
    const group = audience.groupName!;
    invalid('audience', `${audience}`, `The identity pool cannot give group \`${group}\` a role (no federated user directory has it)`,
      `Add the group to the user directory (\`addGroup('${group}')\`) before this rule, or use another audience.`);
  }
  if (audience.kind === AudienceKind.PRINCIPAL) {
    const target = pool._roleTargets().find(t => t.role === audience.grantable || t.role === audience.grantable!.grantPrincipal);
    if (target !== undefined) {
      invalid('audience', `${audience}`, `The principal is the identity pool's own ${target.name} role, whose access the pool's audiences decide: `
        + 'rules for it as a back end would mix with (and their Denies would cut into) the rules of the audiences it serves',
      'Use the audience the role stands for (`Audience.authenticated()`, `Audience.group(name)`, `Audience.guest()`), or a role of its own for the back end.');
    }
  }
}
