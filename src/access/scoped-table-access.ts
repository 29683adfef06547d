import { Annotations, CfnResource, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Access } from './access';
import { Audience, AudienceKind } from './audience';
import { compileTablePolicies, KeyAttribute, KeyAttributeType, TableKeySchema, TableKms, TableRule } from './private/dynamodb';
import { Statement } from './private/fit';
import { checkGuestService } from './private/guest-services';
import { attachPrincipalStatements, principalRoles } from './private/principals';
import { checkCrossAccountReference, resourceSideStatements, writeKeySide } from './private/resource-side';
import { checkAudienceHasRole, ResourceSideRole, RolePolicies, validateMaxManagedPolicies } from './private/role-policies';
import { namesKeys, ResourceRuleSet } from './private/rule-set';
import { AccessRuleDescription } from './scoped-bucket-access';
import type { IFederatedIdentityPool } from '../identity-pool/i-federated-identity-pool';
import { otherAccount, resourceAccountOf } from '../private/accounts';
import { invalid } from '../private/errors';
import { subjectWarningId } from '../private/warnings';

/**
 * Properties of a ScopedTableAccess.
 *
 * @example
 * /// fixture=api
 * new ScopedTableAccess(this, 'Notes', {
 *   identityPool: identities,
 *   table,
 *   encryptionKey: key,
 * });
 */
export interface ScopedTableAccessProps {
  /**
   * The identity pool whose roles receive the access.
   */
  readonly identityPool: IFederatedIdentityPool;

  /**
   * The table to grant access to: a `Table`, a `TableV2` (an `ITableV2` is an `ITable`) or an
   * imported table (`Table.fromTableArn`, `TableV2.fromTableArn`, `Table.fromTableAttributes`).
   *
   * The key schema of a table created in the app is read at synth; for an imported table, pass
   * `partitionKey` to have the key type checked.
   */
  readonly table: dynamodb.ITable;

  /**
   * The table's partition key, when the table object does not know it (an imported table).
   * Used to check that an identity or tag leading key meets a string partition key.
   *
   * @default - read from a table created in the app; not checked for an imported table
   */
  readonly partitionKey?: dynamodb.Attribute;

  /**
   * The customer-managed KMS key that encrypts the table, when the table object does not know it
   * (e.g. an imported table). Roles get `kms:Decrypt` (and `kms:Encrypt`, `kms:GenerateDataKey*`
   * when they write) on it, only through DynamoDB and only for this table.
   *
   * @default - `table.encryptionKey`, or no KMS permissions
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The number of managed policies one role may have (the account's IAM quota
   * "Managed policies per role"), 1 to 20.
   *
   * @default 10
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   */
  readonly maxManagedPoliciesPerRole?: number;
}

/**
 * Options of `ScopedTableAccess.allowOwnItemsWith()`.
 *
 * @example
 * /// fixture=api
 * const options: OwnItemsOptions = { attributes: ['pk', 'sk', 'title', 'body'] };
 * notes.allowOwnItemsWith(Audience.owner(), options, Access.READ, Access.WRITE);
 */
export interface OwnItemsOptions {
  /**
   * Whose items: `{identity}` (the caller's identity id, with `Audience.owner()`) or
   * `{tag:NAME}` (the caller's principal tag NAME, mapped in the pool's `principalTags`, with
   * `Audience.authenticated()` or a group). The table's partition key must hold that value.
   *
   * @default '{identity}'
   */
  readonly leadingKey?: string;

  /**
   * Global secondary indexes the audience may query with the same leading key (the index's
   * partition key must hold the same value).
   *
   * @default - the table only
   */
  readonly indexes?: string[];

  /**
   * The only attributes the audience may read and write (`dynamodb:Attributes`); requests must
   * name them (`ProjectionExpression`, `Select: SPECIFIC_ATTRIBUTES`) and may not return all old
   * or new values. The key attributes are added when the key schema is known.
   *
   * @default - every attribute
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
   */
  readonly attributes?: string[];
}

/**
 * Options of `ScopedTableAccess.allowItemsWith()`.
 *
 * @example
 * /// fixture=api
 * const options: ItemsOptions = { attributes: ['pk', 'title'], indexes: ['byTitle'] };
 * notes.allowItemsWith(Audience.group('support'), options, Access.READ);
 */
export interface ItemsOptions {
  /**
   * Global secondary indexes the audience may query.
   *
   * @default - the table only
   */
  readonly indexes?: string[];

  /**
   * The only attributes the audience may read and write (`dynamodb:Attributes`).
   *
   * @default - every attribute
   */
  readonly attributes?: string[];

  /**
   * Also allow `dynamodb:Scan` (with `Access.LIST` or `Access.READ`): a Scan reads the whole
   * table (or index) and costs capacity for every item, so it must be asked for.
   *
   * @default false
   */
  readonly allowScan?: boolean;
}

interface Rule extends TableRule {
  readonly access: Access[];
}

const ACCESS_ORDER = [Access.READ, Access.GET, Access.LIST, Access.WRITE, Access.DELETE];

/**
 * Scoped access to a DynamoDB table for the identities of a federated identity pool: each
 * identity (or tenant) reaches only the items whose partition key is its own identity id (or
 * principal tag), through `dynamodb:LeadingKeys`; Scan is never granted unless asked for.
 *
 * Rules are compiled into IAM policies (in this construct's stack) on every role of the pool that
 * their audience can receive, when the app is prepared (rules and roles added later are included).
 *
 * @example
 * const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: identities, table });
 * notes.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
export class ScopedTableAccess extends Construct {
  /** The table the rules grant access to. */
  public readonly table: dynamodb.ITable;

  private readonly pool: IFederatedIdentityPool;
  private readonly rules: Rule[] = [];
  private readonly kms?: TableKms;
  /** The key whose policy takes the resource side when the table is in another account. */
  private readonly kmsKey?: kms.IKey;
  private readonly partitionKey?: dynamodb.Attribute;
  private readonly reported = new Set<string>();
  private readonly attachedPrincipals = new Set<string>();
  private readonly ruleSet: ResourceRuleSet<TableRule>;

  constructor(scope: Construct, id: string, props: ScopedTableAccessProps) {
    super(scope, id);
    if (props?.identityPool === undefined) {
      invalid('identityPool', undefined, 'ScopedTableAccess needs the identity pool whose roles get the access',
        'Pass `identityPool: new FederatedIdentityPool(...)` or `FederatedIdentityPool.fromIdentityPoolId(...)`.');
    }
    if (props.table === undefined || typeof props.table.tableArn !== 'string') {
      invalid('table', undefined, 'ScopedTableAccess needs the table to grant access to',
        'Pass a `Table`, a `TableV2` or an imported table (`Table.fromTableArn(...)`).');
    }
    if (props.maxManagedPoliciesPerRole !== undefined) {
      validateMaxManagedPolicies(props.maxManagedPoliciesPerRole);
    }
    if (props.partitionKey !== undefined) {
      if (typeof props.partitionKey.name !== 'string' || props.partitionKey.name.length === 0) {
        invalid('partitionKey', props.partitionKey, 'A partition key needs a name', 'Pass e.g. `{ name: \'owner\', type: AttributeType.STRING }`.');
      }
      const known = keySchemaOf(props.table);
      const differs = known !== undefined
        && (known.partitionKey.name !== props.partitionKey.name || known.partitionKey.type !== cfnType(props.partitionKey.type));
      if (known !== undefined && differs) {
        invalid('partitionKey', props.partitionKey, `The table was created in this app with partition key \`${known.partitionKey.name}\` (${known.partitionKey.type})`,
          'Leave out `partitionKey`: it is read from the table.');
      }
    }
    this.pool = props.identityPool;
    this.table = props.table;
    this.partitionKey = props.partitionKey;
    const key = props.encryptionKey ?? props.table.encryptionKey;
    this.kmsKey = props.table.encryptionKey ?? props.encryptionKey;
    if (key !== undefined) {
      this.kms = { keyArn: key.keyArn, region: props.table.env.region };
    }

    this.ruleSet = ResourceRuleSet.join<TableRule>(this, {
      kind: 'table',
      property: 'table',
      // A created table with a physical name and an import of that name are the same table.
      // Names are followed through exports and SSM parameters of the app (rule-set.ts); table rules never nest.
      ...namesKeys(this, [this.table.tableName, this.table.tableArn], ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
        t => (t as dynamodb.CfnTable).tableName),
      pool: this.pool,
      settings: { encryptionKey: this.kms?.keyArn },
      rules: () => this.rules,
    });
    RolePolicies.of(this.pool).register({
      scope: this,
      policyStatements: (groups: readonly string[]) => this.policyStatements(groups),
      principalRoles: () => (this.ruleSet.isOwner(this) ? principalRoles(this.ruleSet.rules()) : new Map()),
      resourceSide: (roles: readonly ResourceSideRole[]) => this.writeResourceSide(roles),
    }, { maxManagedPoliciesPerRole: props.maxManagedPoliciesPerRole });
  }

  /**
   * Lets an audience use the items whose partition key is the caller's identity id: with
   * `Audience.owner()`, each signed-in identity reaches only its own items.
   *
   * @param audience `Audience.owner()`
   * @param access what they may do (at least one): `READ` (GetItem, BatchGetItem, Query,
   * ConditionCheckItem), `GET`, `LIST` (Query), `WRITE` (PutItem, UpdateItem, BatchWriteItem),
   * `DELETE` (DeleteItem). Never Scan.
   *
   * @example
   * /// fixture=api
   * notes.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
   */
  public allowOwnItems(audience: Audience, ...access: Access[]): void {
    this.allowOwnItemsWith(audience, {}, ...access);
  }

  /**
   * Lets an audience use the items whose partition key is the caller's identity id or principal
   * tag, optionally on indexes and limited to attributes. Never Scan.
   *
   * @param audience `Audience.owner()` for `{identity}`; any signed-in audience for `{tag:NAME}`
   * @param options the leading key, indexes and attributes
   * @param access what they may do (at least one)
   *
   * @example
   * /// fixture=api
   * // items whose partition key is the caller's tenant tag
   * notes.allowOwnItemsWith(Audience.authenticated(), { leadingKey: '{tag:tenant}' }, Access.READ);
   */
  public allowOwnItemsWith(audience: Audience, options: OwnItemsOptions, ...access: Access[]): void {
    this.addRule(audience, access, {
      leadingKey: options?.leadingKey ?? '{identity}',
      indexes: options?.indexes,
      attributes: options?.attributes,
    });
  }

  /**
   * Lets an audience use every item of the table (e.g. admins reading all notes). Never Scan;
   * use `allowItemsWith(..., { allowScan: true }, ...)` for Scan.
   *
   * @param audience who may use the items (not `Audience.owner()`, which needs a leading key)
   * @param access what they may do (at least one)
   *
   * @example
   * /// fixture=api
   * notes.allowItems(Audience.group('admins'), Access.READ);
   */
  public allowItems(audience: Audience, ...access: Access[]): void {
    this.allowItemsWith(audience, {}, ...access);
  }

  /**
   * Lets an audience use every item of the table, optionally on indexes, limited to attributes,
   * or with Scan.
   *
   * @param audience who may use the items (not `Audience.owner()`)
   * @param options indexes, attributes and Scan
   * @param access what they may do (at least one)
   *
   * @example
   * /// fixture=api
   * notes.allowItemsWith(Audience.group('support'), { attributes: ['pk', 'title', 'updatedAt'], indexes: ['byUpdatedAt'] }, Access.READ);
   */
  public allowItemsWith(audience: Audience, options: ItemsOptions, ...access: Access[]): void {
    this.addRule(audience, access, {
      indexes: options?.indexes,
      attributes: options?.attributes,
      allowScan: options?.allowScan,
    });
  }

  /**
   * The rules, one row per rule, for documentation and summaries. `path` is the leading key
   * (`{identity}`, `{tag:NAME}`) or `*` for every item, followed by the indexes and attributes.
   *
   * @example
   * /// fixture=api
   * for (const rule of notes.describe()) {
   *   Annotations.of(this).addInfo(`${rule.audience} may ${rule.access} ${rule.path}`);
   * }
   */
  public describe(): AccessRuleDescription[] {
    return this.rules.map(r => {
      const parts = [r.leadingKey ?? '*'];
      if (r.indexes && r.indexes.length > 0) {
        parts.push(`indexes: ${r.indexes.join(', ')}`);
      }
      if (r.attributes) {
        parts.push(`attributes: ${r.attributes.join(', ')}`);
      }
      if (r.allowScan) {
        parts.push('scan');
      }
      return { path: parts.join(' | '), audience: `${r.audience}`, access: r.access.join(', ') };
    });
  }

  private addRule(audience: Audience, access: Access[], options: Pick<TableRule, 'leadingKey' | 'indexes' | 'attributes' | 'allowScan'>): void {
    if (!(audience instanceof Audience)) {
      invalid('audience', audience, 'An access rule needs an audience', 'Pass e.g. `Audience.owner()` or `Audience.group(\'admins\')`.');
    }
    if (access.length === 0) {
      invalid('access', [], `A rule for ${audience} grants nothing`, 'Pass at least one access level, e.g. `Access.READ`.');
    }
    for (const a of access) {
      if (!ACCESS_ORDER.includes(a)) {
        invalid('access', a, 'Is not an Access value', 'Use `Access.READ`, `Access.GET`, `Access.LIST`, `Access.WRITE` or `Access.DELETE`.');
      }
    }
    for (const [name, list] of [['indexes', options.indexes], ['attributes', options.attributes]] as const) {
      if (list !== undefined && !Array.isArray(list)) {
        invalid(name, list, 'Must be a list of names', `Pass e.g. \`${name}: ['${name === 'indexes' ? 'byDate' : 'title'}']\`.`);
      }
    }
    checkGuestService(audience, 'dynamodb', 'Amazon DynamoDB', 'the table');
    checkAudienceHasRole(this, this.pool, audience);
    const rule: Rule = {
      audience,
      access: ACCESS_ORDER.filter(a => access.includes(a)),
      leadingKey: options.leadingKey,
      indexes: options.indexes ? [...options.indexes] : undefined,
      attributes: options.attributes ? [...options.attributes] : undefined,
      allowScan: options.allowScan,
    };
    // Compile the rule now, so that a bad rule fails at the call that adds it (table rules never
    // nest, so no later rule changes that; indexes may still be added to the table later: they are
    // checked against the key schema at synth, with every rule on the table).
    const keySchema = this.keySchema();
    compileTablePolicies([rule], {
      tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/t',
      keySchema: keySchema && { partitionKey: keySchema.partitionKey, sortKey: keySchema.sortKey },
      mappedTags: this.pool.principalTagNames,
    });
    if (audience.kind === AudienceKind.GROUP) {
      this.pool.roleForGroup(audience.groupName!, audience.directory);
    }
    this.rules.push(rule);
  }

  private keySchema(): TableKeySchema | undefined {
    const known = keySchemaOf(this.table);
    if (known !== undefined) {
      return known;
    }
    if (this.partitionKey !== undefined) {
      return { partitionKey: { name: this.partitionKey.name, type: cfnType(this.partitionKey.type) } };
    }
    return undefined;
  }

  /**
   * The table's side of cross-account access: when the table is in another account than the
   * pool's roles, its resource policy (`ResourcePolicy` of the table) allows each role that holds
   * a rule on it the union of that role's DynamoDB actions, on `*` (in a table's resource policy:
   * the table and its indexes; its own ARN there would be a circular reference). `dynamodb:LeadingKeys`
   * stays in the identity policy; its `Null` guard (no Scan without a leading key) and the attribute
   * limits are kept. A customer-managed key gets the roles' KMS statements.
   */
  private writeResourceSide(roles: readonly ResourceSideRole[]): void {
    const account = otherAccount(this.pool, resourceAccountOf(this.table, this.table.tableArn));
    if (account === undefined || !this.ruleSet.isOwner(this)) {
      return;
    }
    const identityStack = RolePolicies.of(this.pool).policyStackFor(Stack.of(this));
    checkCrossAccountReference(identityStack, this.table.tableArn, 'table', this.table,
      'Give the table a physical name (`tableName`, or `PhysicalName.GENERATE_IF_NEEDED`), or import it by its literal ARN with `Table.fromTableArn`.');
    const statements = resourceSideStatements(roles, st => st.actions.every(a => a.startsWith('dynamodb:')), () => ['*']);
    for (const statement of statements) {
      if (!addToTablePolicy(this.table, statement)) {
        invalid('table', this.table.node.path, `The table is in account ${account}, another account than the identity pool's roles, so its resource policy must allow them; `
          + 'it is imported, and a table\'s resource policy can only be written where the table is created',
        `Create the table in a stack of account ${account} in this app (\`dynamodb.Table\` or \`TableV2\`), or put its resource policy there yourself.`);
      }
    }
    for (const { target } of roles) {
      checkCrossAccountReference(Stack.of(this.table), target.role.roleArn, 'identityPool', target.role,
        'Create the identity pool\'s roles with this library (their names are generated when another account refers to them), or import them by literal ARN.');
    }
    if (this.kmsKey !== undefined && this.kms !== undefined) {
      writeKeySide(this, roles, this.kmsKey, this.kms.keyArn, identityStack, account);
    }
  }

  private policyStatements(groups: readonly string[]): ReadonlyMap<string, readonly Statement[]> {
    // The owner of the table's rule set compiles the rules of every construct on the table.
    const rules = this.ruleSet.isOwner(this) ? this.ruleSet.rules() : [];
    if (rules.length === 0) {
      return new Map();
    }
    const compiled = compileTablePolicies(rules, {
      tableArn: this.table.tableArn,
      tableName: this.table.tableName,
      keySchema: this.keySchema(),
      kms: this.kms,
      groups,
      mappedTags: this.pool.principalTagNames,
    });
    for (const warning of compiled.warnings) {
      if (!this.reported.has(warning)) {
        this.reported.add(warning);
        Annotations.of(this).addWarningV2(subjectWarningId('tableRule', warning), warning);
      }
    }
    // Back ends that are not roles (users, groups) take their statements here; roles are planned.
    attachPrincipalStatements(rules, compiled.views, this.attachedPrincipals);
    return compiled.views;
  }
}

function cfnType(type: dynamodb.AttributeType): KeyAttributeType {
  switch (type) {
    case dynamodb.AttributeType.NUMBER:
      return 'N';
    case dynamodb.AttributeType.BINARY:
      return 'B';
    default:
      return 'S';
  }
}

type Json = { [key: string]: any };

function field(obj: Json, name: string): any {
  return obj[name] ?? obj[name.charAt(0).toUpperCase() + name.slice(1)];
}

function keysOf(keySchema: unknown, types: ReadonlyMap<string, string>): { partitionKey: KeyAttribute; sortKey?: KeyAttribute } | undefined {
  if (!Array.isArray(keySchema)) {
    return undefined;
  }
  const find = (keyType: string): KeyAttribute | undefined => {
    const entry = keySchema.find((k: Json) => field(k, 'keyType') === keyType);
    const name = entry === undefined ? undefined : field(entry, 'attributeName');
    const type = name === undefined ? undefined : types.get(name);
    return typeof name === 'string' && (type === 'S' || type === 'N' || type === 'B') ? { name, type } : undefined;
  };
  const partitionKey = find('HASH');
  if (partitionKey === undefined) {
    return undefined;
  }
  const sortKey = find('RANGE');
  return { partitionKey, ...(sortKey ? { sortKey } : {}) };
}

/**
 * The key schema of a table created in the app (a `Table` or `TableV2`, read from its
 * CloudFormation resource), or `undefined` for an imported table.
 */
function keySchemaOf(table: dynamodb.ITable): TableKeySchema | undefined {
  const cfn = table.node.defaultChild;
  if (!(cfn instanceof dynamodb.CfnTable) && !(cfn instanceof dynamodb.CfnGlobalTable)) {
    return undefined;
  }
  const stack = Stack.of(cfn as CfnResource);
  const definitions = stack.resolve(cfn.attributeDefinitions);
  const types = new Map<string, string>();
  if (Array.isArray(definitions)) {
    for (const d of definitions) {
      types.set(field(d, 'attributeName'), field(d, 'attributeType'));
    }
  }
  const keys = keysOf(stack.resolve(cfn.keySchema), types);
  if (keys === undefined) {
    return undefined;
  }
  const indexes: { [name: string]: { partitionKey: KeyAttribute; sortKey?: KeyAttribute } } = {};
  const gsis = stack.resolve(cfn.globalSecondaryIndexes);
  if (Array.isArray(gsis)) {
    for (const gsi of gsis) {
      const name = field(gsi, 'indexName');
      const indexKeys = keysOf(field(gsi, 'keySchema'), types);
      if (typeof name === 'string' && indexKeys) {
        indexes[name] = indexKeys;
      }
    }
  }
  return { ...keys, indexes };
}

/** Adds a statement to the resource policy of a table created in the app (`Table`, `TableV2`); false for an imported table. */
function addToTablePolicy(table: dynamodb.ITable, statement: iam.PolicyStatement): boolean {
  const withPolicy = table as Partial<{ addToResourcePolicy(s: iam.PolicyStatement): iam.AddToResourcePolicyResult }>;
  const created = table.node.defaultChild instanceof dynamodb.CfnTable || table.node.defaultChild instanceof dynamodb.CfnGlobalTable;
  return created && typeof withPolicy.addToResourcePolicy === 'function' && withPolicy.addToResourcePolicy(statement).statementAdded;
}
