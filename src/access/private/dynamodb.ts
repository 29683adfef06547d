import { Token } from 'aws-cdk-lib';
import { invalid } from '../../private/errors';
import { Access } from '../access';
import { Audience, AudienceKind } from '../audience';
import { accessKinds, compileGrants, GrantRule, renderViews, ViewAllow } from './compile';
import { Statement } from './fit';
import { IDENTITY_VARIABLE, ParsedPath, parsePath, RenderedSegment, tagVariable } from './path';

/*
 * The DynamoDB renderer: table rules -> IAM statements for one table, on top of compileGrants.
 *
 * Each rule becomes a path `s<scope>/*` (every item) or `s<scope>/<leading key>/*` (items whose
 * partition key is the caller's identity id or principal tag), where `<scope>` numbers the distinct
 * (mode, indexes, attributes, scan) combinations. Scopes never nest, so compileGrants emits no
 * Denies: DynamoDB rules only add up. It still does what it is for: audiences -> role views,
 * `{identity}` -> `${cognito-identity.amazonaws.com:sub}` for the owner, `{tag:NAME}` ->
 * `${aws:PrincipalTag/NAME}`, de-duplication.
 *
 * GET    dynamodb:GetItem, dynamodb:BatchGetItem, dynamodb:ConditionCheckItem (the table)
 * LIST   dynamodb:Query (the table and the rule's indexes); dynamodb:Scan only with `allowScan`
 *        on an every-item rule
 * WRITE  dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:BatchWriteItem (BatchWriteItem also
 *        deletes: IAM cannot tell its puts from its deletes)
 * DELETE dynamodb:DeleteItem
 *
 * Leading key: `ForAllValues:StringEquals dynamodb:LeadingKeys [<variable>]` plus
 * `Null dynamodb:LeadingKeys false`: ForAllValues is true for a request without leading keys (a
 * Scan, for one), so the Null guard denies those. A tag leading key also needs the tag set and
 * non-empty (`StringLike aws:PrincipalTag/NAME ?*`).
 *
 * Attributes: `ForAllValues:StringEquals dynamodb:Attributes [..]` plus `StringEqualsIfExists`
 * `dynamodb:Select SPECIFIC_ATTRIBUTES` and `dynamodb:ReturnValues [NONE, UPDATED_OLD, UPDATED_NEW]`
 * (ALL_OLD / ALL_NEW would return attributes outside the list). The key attributes, when known,
 * are added to the list (requests always carry them).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 *
 * KMS (customer-managed key): `kms:Decrypt` for GET/LIST, plus `kms:Encrypt` and
 * `kms:GenerateDataKey*` for WRITE/DELETE, on the key, only via `dynamodb.<region>.amazonaws.com`
 * and only for this table's encryption context.
 */

/** The permission kinds of a table rule. */
export const DDB_GET = 'GET';
export const DDB_LIST = 'LIST';
export const DDB_WRITE = 'WRITE';
export const DDB_DELETE = 'DELETE';

/** The DynamoDB actions of each kind (Scan is never part of one). */
export const ITEM_ACTIONS: { readonly [kind: string]: readonly string[] } = {
  [DDB_GET]: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem'],
  [DDB_LIST]: ['dynamodb:Query'],
  [DDB_WRITE]: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
  [DDB_DELETE]: ['dynamodb:DeleteItem'],
};

/** The Scan action, only granted with `allowScan`. */
export const SCAN_ACTION = 'dynamodb:Scan';

/** `ReturnValues` that return only the attributes a request names. */
export const SAFE_RETURN_VALUES = ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'];

const INDEX_NAME = /^[A-Za-z0-9_.-]{3,255}$/;


/** A key attribute type as CloudFormation writes it: `S`, `N` or `B`. */
export type KeyAttributeType = 'S' | 'N' | 'B';

/** A key attribute of a table or index. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

/** The key schema of a table (known at synth when the table is created in the app). */
export interface TableKeySchema {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Global secondary indexes by name. */
  readonly indexes?: { readonly [name: string]: { readonly partitionKey: KeyAttribute; readonly sortKey?: KeyAttribute } };
}

/** One table rule. */
export interface TableRule {
  readonly audience: Audience;
  readonly access: readonly Access[];
  /**
   * `{identity}` or `{tag:NAME}`: only items whose partition key equals it.
   * @default - every item (`allowItems`)
   */
  readonly leadingKey?: string;
  /** @default - the table only */
  readonly indexes?: readonly string[];
  /** @default - every attribute */
  readonly attributes?: readonly string[];
  /** @default false */
  readonly allowScan?: boolean;
}

/** A customer-managed KMS key that encrypts the table. */
export interface TableKms {
  /** The key ARN (may be a token). */
  readonly keyArn: string;
  /** The table's region (may be a token), for `kms:ViaService`. */
  readonly region: string;
}

/** Options of `compileTablePolicies`. */
export interface TablePolicyOptions {
  /** The table ARN (may be a token; concatenated, never parsed). */
  readonly tableArn: string;
  /**
   * The table name (may be a token), for the KMS encryption context.
   * @default - the KMS statements are not limited to the table's encryption context
   */
  readonly tableName?: string;
  /** @default - unknown: key types are not checked and key attributes are not added to `attributes` */
  readonly keySchema?: TableKeySchema;
  /** @default - no customer-managed key: no KMS statements */
  readonly kms?: TableKms;
  /** @default - only the groups named by rules get a view */
  readonly groups?: readonly string[];
  /** @default - `{tag:NAME}` is not checked against a mapping */
  readonly mappedTags?: Iterable<string>;
}

/** Per view (`guest`, `authenticated`, `group:<name>`), merged statements, and warnings. */
export interface TablePolicies {
  readonly views: ReadonlyMap<string, readonly Statement[]>;
  readonly warnings: readonly string[];
}

/** What a scope segment stands for. */
interface Scope {
  readonly leading: boolean;
  readonly indexes: readonly string[];
  readonly attributes?: readonly string[];
  readonly allowScan: boolean;
}

/** The leading key of a rule as a path segment pattern. */
export function parseLeadingKey(leadingKey: string, audience: Audience, mappedTags?: Iterable<string>): ParsedPath {
  const property = 'leadingKey';
  const hint = 'Use `{identity}` (the caller\'s identity id, with `Audience.owner()`) or `{tag:NAME}` (a mapped principal tag).';
  if (typeof leadingKey !== 'string' || Token.isUnresolved(leadingKey) || !/^\{[^{}/]+\}$/.test(leadingKey)) {
    invalid(property, leadingKey, 'A leading key is a whole `{identity}` or `{tag:NAME}` token', hint);
  }
  const path = parsePath(`${leadingKey}/*`, { property, mappedTags });
  const segment = path.segments[0];
  if (segment.kind === 'identity' && audience.kind !== AudienceKind.OWNER) {
    invalid('audience', `${audience}`, `\`{identity}\` as leading key is the caller's own identity id only for \`Audience.owner()\`; for ${audience} it would match every item`,
      'Use `Audience.owner()` for the caller\'s own items, or `allowItems()` for every item.');
  }
  if (segment.kind === 'tag' && audience.kind === AudienceKind.OWNER) {
    invalid('audience', `${audience}`, '`Audience.owner()` means the caller\'s own identity id, but the leading key is a principal tag',
      'Use `leadingKey: \'{identity}\'` with `Audience.owner()`, or `Audience.authenticated()` (or a group) with a tag leading key.');
  }
  if (segment.kind === 'tag' && audience.kind === AudienceKind.PRINCIPAL) {
    invalid('audience', `${audience}`, `A back end outside the identity pool carries none of the pool's principal tags, so \`{tag:${segment.name}}\` never resolves for it`,
      'Use `allowItems()` (every item) for the back end, or `allowItemsWith()` with `attributes`.');
  }
  if (segment.kind === 'tag' && audience.kind === AudienceKind.GUEST) {
    invalid('audience', `${audience}`, `Guests sign in with no identity provider and carry no principal tags, so \`{tag:${segment.name}}\` never resolves for them`,
      'Use `Audience.authenticated()` or a group for tag-scoped items.');
  }
  return path;
}

function checkIndexes(indexes: readonly string[], access: readonly string[], keySchema: TableKeySchema | undefined): void {
  for (const name of indexes) {
    if (typeof name !== 'string' || Token.isUnresolved(name) || !INDEX_NAME.test(name)) {
      invalid('indexes', name, 'An index name is 3-255 letters, digits, `_`, `-` or `.`, known at synth',
        'Name a global secondary index of the table, e.g. `indexes: [\'byDate\']`.');
    }
    if (keySchema?.indexes && keySchema.indexes[name] === undefined) {
      const known = Object.keys(keySchema.indexes).sort().map(n => `\`${n}\``).join(', ') || 'none';
      invalid('indexes', name, `The table has no global secondary index of this name (its indexes: ${known})`,
        'Name an index of the table, or add the index to the table first.');
    }
  }
  if (indexes.length > 0 && !access.includes(DDB_LIST)) {
    invalid('indexes', indexes, 'Indexes only serve Query (and Scan), but the rule grants neither `Access.LIST` nor `Access.READ`',
      'Add `Access.LIST` (or `Access.READ`) to the rule, or drop `indexes`.');
  }
}

function checkAttributes(attributes: readonly string[]): void {
  if (attributes.length === 0) {
    invalid('attributes', attributes, 'An empty attribute list would allow no request at all',
      'List the attributes the audience may use, or leave `attributes` out for every attribute.');
  }
  for (const name of attributes) {
    if (typeof name !== 'string' || name.length === 0 || (!Token.isUnresolved(name) && name.length > 255)) {
      invalid('attributes', name, 'An attribute name is 1-255 characters', 'List attribute names such as `[\'title\', \'body\']`.');
    }
  }
}

/**
 * Checks the key attributes a leading-key rule meets: every partition key it queries is a string,
 * and every index it queries is partitioned by the table's partition key (the owner attribute),
 * because `dynamodb:LeadingKeys` of a Query on an index is the index's partition key: on an index
 * keyed by another attribute (`status`, say) the caller would read every item whose `status` holds
 * their identity id, whoever wrote it. Returns warnings for indexes whose key is not known.
 */
function checkLeadingKeyAttributes(path: ParsedPath, keySchema: TableKeySchema | undefined, indexes: readonly string[]): string[] {
  if (path.segments.length === 0) {
    return [];
  }
  const token = path.segments[0].kind === 'identity' ? '{identity}' : `{tag:${(path.segments[0] as { name: string }).name}}`;
  const unknown = indexes.filter(name => keySchema?.indexes?.[name] === undefined);
  const warnings = unknown.length === 0 ? [] : [`The partition key of index ${unknown.map(n => `\`${n}\``).join(', ')} is not known at synth, so it is not checked: `
    + `a ${token} rule on an index is only safe when the index is partitioned by the table's own partition key (the owner attribute); `
    + 'on an index keyed by another attribute, a caller reads every item whose index key holds their value, whoever wrote it.'];
  if (keySchema === undefined) {
    return warnings;
  }
  const keys: Array<{ where: string; name?: string; key: KeyAttribute }> = [{ where: 'the table', key: keySchema.partitionKey }];
  for (const name of indexes) {
    const index = keySchema.indexes?.[name];
    if (index) {
      keys.push({ where: `index \`${name}\``, name, key: index.partitionKey });
    }
  }
  for (const { where, key } of keys) {
    if (key.type !== 'S') {
      invalid('leadingKey', token, `The partition key \`${key.name}\` of ${where} has type ${key.type}, but ${token} is a string, so no item would ever match`,
        `Key ${where} by a string (\`AttributeType.STRING\`) partition key that holds the ${token === '{identity}' ? 'identity id' : 'tag value'}.`);
    }
  }
  const owner = keySchema.partitionKey.name;
  for (const { name, key } of keys) {
    if (name !== undefined && key.name !== owner) {
      invalid('indexes', name, `Index \`${name}\` is partitioned by \`${key.name}\`, not by the table's partition key \`${owner}\` that holds the ${token === '{identity}' ? 'owner\'s identity id' : 'tag value'}, `
        + `so a ${token} rule on it would let a caller query every item whose \`${key.name}\` holds their value, including items other users wrote`,
      `Query an index partitioned by \`${owner}\` (e.g. with another sort key), or drop \`${name}\` from the rule's \`indexes\`.`);
    }
  }
  return warnings;
}

/**
 * Compiles table rules into merged IAM statements per role view.
 */
export function compileTablePolicies(rules: readonly TableRule[], options: TablePolicyOptions): TablePolicies {
  const mappedTags = options.mappedTags === undefined ? undefined : [...options.mappedTags];
  const warnings: string[] = [];
  const scopes: Scope[] = [];
  const scopeKeys: string[] = [];
  const grantRules: GrantRule[] = rules.map(rule => {
    const kinds = accessKinds(rule.access);
    if (kinds.length === 0) {
      invalid('access', rule.access, 'A rule must grant at least one access level',
        'Pass `Access.READ`, `Access.GET`, `Access.LIST`, `Access.WRITE` or `Access.DELETE`.');
    }
    const indexes = [...new Set(rule.indexes ?? [])].sort();
    checkIndexes(indexes, kinds, options.keySchema);
    let attributes: string[] | undefined;
    if (rule.attributes !== undefined) {
      checkAttributes(rule.attributes);
      attributes = [...new Set([...rule.attributes, ...keyAttributes(options.keySchema, indexes)])].sort();
    }
    const allowScan = rule.allowScan ?? false;
    let lead: ParsedPath | undefined;
    if (rule.leadingKey !== undefined) {
      lead = parseLeadingKey(rule.leadingKey, rule.audience, mappedTags);
      warnings.push(...checkLeadingKeyAttributes(lead, options.keySchema, indexes));
      if (allowScan) {
        invalid('allowScan', true, 'A Scan reads every partition and carries no leading key, so it can never be limited to the caller\'s items',
          'Drop `allowScan`, or use `allowItems()` for a rule on every item.');
      }
    } else {
      if (rule.audience.kind === AudienceKind.OWNER) {
        invalid('audience', 'owner', '`Audience.owner()` needs a leading key that says which items are the caller\'s',
          'Use `allowOwnItems()` (leading key `{identity}`), or another audience for every item.');
      }
      if (allowScan && !kinds.includes(DDB_LIST)) {
        invalid('allowScan', true, 'Scan lists items, but the rule grants neither `Access.LIST` nor `Access.READ`',
          'Add `Access.LIST` (or `Access.READ`), or drop `allowScan`.');
      }
    }
    const scope: Scope = { leading: lead !== undefined, indexes, attributes, allowScan };
    const key = JSON.stringify(scope);
    let index = scopeKeys.indexOf(key);
    if (index < 0) {
      index = scopes.length;
      scopes.push(scope);
      scopeKeys.push(key);
    }
    const text = lead === undefined ? `s${index}/*` : `s${index}/${lead.text}`;
    return { path: parsePath(text, { mappedTags, audience: rule.audience }), audience: rule.audience, kinds };
  });

  const compiled = compileGrants(grantRules, { groups: options.groups, property: 'leadingKey' });
  const views = renderViews(compiled, grants => {
    // Scopes never nest, so compileGrants never emits Denies here.
    const statements: Statement[] = [];
    for (const allow of grants.allows) {
      statements.push(allowStatement(allow, scopes, options.tableArn));
    }
    if (options.kms) {
      statements.push(...kmsStatements(grants.allows, options));
    }
    return statements;
  });
  return { views, warnings: [...new Set([...warnings, ...compiled.warnings])] };
}

function keyAttributes(keySchema: TableKeySchema | undefined, indexes: readonly string[]): string[] {
  if (keySchema === undefined) {
    return [];
  }
  const names = [keySchema.partitionKey.name];
  if (keySchema.sortKey) {
    names.push(keySchema.sortKey.name);
  }
  for (const name of indexes) {
    const index = keySchema.indexes?.[name];
    if (index) {
      names.push(index.partitionKey.name, ...(index.sortKey ? [index.sortKey.name] : []));
    }
  }
  return names;
}

/** The ARN of a global secondary index: `<tableArn>/index/<name>`. */
export function indexArn(tableArn: string, name: string): string {
  return `${tableArn}/index/${name}`;
}

function scopeOf(allow: ViewAllow, scopes: readonly Scope[]): Scope {
  const first = allow.segments[0];
  return scopes[Number((first as { value: string }).value.slice(1))];
}

/** The conditions of the leading key segment (none for every-item rules). */
export function leadingKeyConditions(segment: RenderedSegment | undefined): { [operator: string]: { [key: string]: string[] } } {
  if (segment === undefined) {
    return {};
  }
  const value = segment.kind === 'identity' ? IDENTITY_VARIABLE : tagVariable((segment as { name: string }).name);
  const conditions: { [operator: string]: { [key: string]: string[] } } = {
    'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [value] },
    'Null': { 'dynamodb:LeadingKeys': ['false'] },
  };
  if (segment.kind === 'tag') {
    conditions.StringLike = { [`aws:PrincipalTag/${segment.name}`]: ['?*'] };
  }
  return conditions;
}

function allowStatement(allow: ViewAllow, scopes: readonly Scope[], tableArn: string): Statement {
  const scope = scopeOf(allow, scopes);
  const actions = [...ITEM_ACTIONS[allow.kind]];
  const resources = [tableArn];
  if (allow.kind === DDB_LIST) {
    resources.push(...scope.indexes.map(name => indexArn(tableArn, name)));
    if (scope.allowScan) {
      actions.push(SCAN_ACTION);
    }
  }
  const conditions = leadingKeyConditions(allow.segments[1]);
  if (scope.attributes) {
    conditions['ForAllValues:StringEquals'] = { ...conditions['ForAllValues:StringEquals'], 'dynamodb:Attributes': [...scope.attributes] };
    conditions.StringEqualsIfExists = { 'dynamodb:Select': ['SPECIFIC_ATTRIBUTES'], 'dynamodb:ReturnValues': [...SAFE_RETURN_VALUES] };
  }
  return { effect: 'Allow', actions, resources, ...(Object.keys(conditions).length > 0 ? { conditions } : {}) };
}

function kmsStatements(allows: readonly ViewAllow[], options: TablePolicyOptions): Statement[] {
  const kms = options.kms!;
  const kinds = new Set(allows.map(a => a.kind));
  if (kinds.size === 0) {
    return [];
  }
  const actions = ['kms:Decrypt'];
  if (kinds.has(DDB_WRITE) || kinds.has(DDB_DELETE)) {
    actions.push('kms:Encrypt', 'kms:GenerateDataKey*');
  }
  const equals: { [key: string]: string[] } = { 'kms:ViaService': [`dynamodb.${kms.region}.amazonaws.com`] };
  if (options.tableName !== undefined) {
    equals['kms:EncryptionContext:aws:dynamodb:tableName'] = [options.tableName];
  }
  return [{ effect: 'Allow', actions, resources: [kms.keyArn], conditions: { StringEquals: equals } }];
}
