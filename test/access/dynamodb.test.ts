import { Access } from '../../src/access/access';
import { Audience } from '../../src/access/audience';
import { accessKinds } from '../../src/access/private/compile';
import {
  compileTablePolicies, ITEM_ACTIONS, TableKeySchema, TablePolicyOptions, TableRule,
} from '../../src/access/private/dynamodb';
import { Statement, toIamJson } from '../../src/access/private/fit';
import { ValidationError } from '../../src/private/errors';

const SUB = '${cognito-identity.amazonaws.com:sub}';
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/notes';
const OWN = { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': SUB }, 'Null': { 'dynamodb:LeadingKeys': 'false' } };
const KEYS: TableKeySchema = {
  partitionKey: { name: 'owner', type: 'S' },
  sortKey: { name: 'noteId', type: 'S' },
  indexes: { byDate: { partitionKey: { name: 'owner', type: 'S' }, sortKey: { name: 'createdAt', type: 'N' } }, byNumber: { partitionKey: { name: 'n', type: 'N' } } },
};

function compile(rules: TableRule[], options: Partial<TablePolicyOptions> = {}) {
  return compileTablePolicies(rules, { tableArn: TABLE, mappedTags: ['tenant'], ...options });
}

function json(statements: readonly Statement[] | undefined) {
  expect(statements).toBeDefined();
  return statements!.map(toIamJson);
}

function fails(rules: TableRule[], message: RegExp, options: Partial<TablePolicyOptions> = {}) {
  let error: unknown;
  try {
    compile(rules, options);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as Error).message).toMatch(message);
}

describe('accessKinds (DynamoDB order)', () => {
  test('READ is GET and LIST; the order is fixed', () => {
    expect(accessKinds([Access.DELETE, Access.READ])).toEqual(['GET', 'LIST', 'DELETE']);
    expect(accessKinds([Access.WRITE, Access.GET])).toEqual(['GET', 'WRITE']);
  });

  test('no kind ever holds Scan', () => {
    expect(Object.values(ITEM_ACTIONS).flat()).not.toContain('dynamodb:Scan');
  });
});

describe('compileTablePolicies', () => {
  test('owner items: every action on the table, guarded by LeadingKeys and the Null guard', () => {
    // WHEN
    const { views } = compile([{ audience: Audience.owner(), access: [Access.READ, Access.WRITE, Access.DELETE], leadingKey: '{identity}' }]);

    // THEN
    expect(views.get('guest')).toEqual([]);
    expect(json(views.get('authenticated'))).toEqual([{
      Effect: 'Allow',
      Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem',
        'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      Resource: TABLE,
      Condition: OWN,
    }]);
  });

  test('GET and LIST map to their own actions only', () => {
    // WHEN
    const get = compile([{ audience: Audience.owner(), access: [Access.GET], leadingKey: '{identity}' }]).views.get('authenticated');
    const list = compile([{ audience: Audience.owner(), access: [Access.LIST], leadingKey: '{identity}' }]).views.get('authenticated');

    // THEN
    expect(json(get)[0].Action).toEqual(['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem']);
    expect(json(list)[0].Action).toEqual('dynamodb:Query');
  });

  test('owner rules reach every group view, group rules only their group', () => {
    // WHEN
    const { views } = compile([
      { audience: Audience.owner(), access: [Access.GET], leadingKey: '{identity}' },
      { audience: Audience.group('admins'), access: [Access.READ] },
    ], { groups: ['admins', 'editors'] });

    // THEN
    expect([...views.keys()]).toEqual(['guest', 'authenticated', 'group:admins', 'group:editors']);
    expect(views.get('group:editors')).toEqual(views.get('authenticated'));
    expect(json(views.get('group:admins'))).toContainEqual({
      Effect: 'Allow',
      Action: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'],
      Resource: TABLE,
    });
    expect(json(views.get('authenticated'))).toHaveLength(1);
  });

  test('every-item rules never get Scan unless allowScan says so', () => {
    // WHEN
    const plain = compile([{ audience: Audience.authenticated(), access: [Access.READ] }]).views.get('authenticated');
    const scan = compile([{ audience: Audience.authenticated(), access: [Access.READ], allowScan: true }]).views.get('authenticated');

    // THEN
    expect(JSON.stringify(plain)).not.toContain('dynamodb:Scan');
    expect(json(scan)[0].Action).toContain('dynamodb:Scan');
  });

  test('a tag leading key uses the principal tag and requires it to be set', () => {
    // WHEN
    const { views } = compile([{ audience: Audience.authenticated(), access: [Access.GET], leadingKey: '{tag:tenant}' }]);

    // THEN
    expect(json(views.get('authenticated'))).toEqual([{
      Effect: 'Allow',
      Action: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem'],
      Resource: TABLE,
      Condition: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': '${aws:PrincipalTag/tenant}' },
        'Null': { 'dynamodb:LeadingKeys': 'false' },
        'StringLike': { 'aws:PrincipalTag/tenant': '?*' },
      },
    }]);
  });

  test('indexes get Query only, with the same leading key', () => {
    // WHEN
    const { views } = compile([{ audience: Audience.owner(), access: [Access.READ], leadingKey: '{identity}', indexes: ['byDate'] }], { keySchema: KEYS });

    // THEN
    expect(json(views.get('authenticated'))).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: `${TABLE}/index/byDate`, Condition: OWN },
      { Effect: 'Allow', Action: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE, Condition: OWN },
    ]);
  });

  test('attributes: the list (with the key attributes), Select and ReturnValues guards', () => {
    // WHEN
    const { views } = compile([{ audience: Audience.owner(), access: [Access.GET], leadingKey: '{identity}', attributes: ['title'] }], { keySchema: KEYS });

    // THEN
    expect(json(views.get('authenticated'))[0].Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['noteId', 'owner', 'title'], 'dynamodb:LeadingKeys': SUB },
      'Null': { 'dynamodb:LeadingKeys': 'false' },
      'StringEqualsIfExists': { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW', 'UPDATED_OLD'], 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    });
  });

  test('a customer KMS key: Decrypt for readers, Encrypt and GenerateDataKey* for writers, via DynamoDB for this table', () => {
    // WHEN
    const { views } = compile([
      { audience: Audience.owner(), access: [Access.WRITE], leadingKey: '{identity}' },
      { audience: Audience.group('readers'), access: [Access.GET] },
    ], { kms: { keyArn: 'arn:aws:kms:us-east-1:123456789012:key/k', region: 'us-east-1' }, tableName: 'notes' });

    // THEN
    const condition = { StringEquals: { 'kms:EncryptionContext:aws:dynamodb:tableName': 'notes', 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } };
    expect(json(views.get('authenticated'))).toContainEqual({
      Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'], Resource: 'arn:aws:kms:us-east-1:123456789012:key/k', Condition: condition,
    });
    expect(views.get('guest')).toEqual([]);
  });

  test('KMS: a view that only reads gets Decrypt only', () => {
    // WHEN
    const { views } = compile([{ audience: Audience.authenticated(), access: [Access.READ] }],
      { kms: { keyArn: 'arn:k', region: 'eu-west-1' } });

    // THEN
    expect(json(views.get('authenticated'))).toContainEqual({
      Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:k', Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } },
    });
  });

  test('no statement ever allows Scan for a leading-key rule, whatever the access', () => {
    // WHEN
    const { views } = compile([{ audience: Audience.owner(), access: [Access.READ, Access.LIST, Access.WRITE, Access.DELETE], leadingKey: '{identity}', indexes: ['byDate'] }], { keySchema: KEYS });

    // THEN
    expect(JSON.stringify([...views.values()])).not.toContain('Scan');
  });
});

describe('compileTablePolicies bad input', () => {
  const owner = (extra: Partial<TableRule> = {}): TableRule => ({ audience: Audience.owner(), access: [Access.READ], leadingKey: '{identity}', ...extra });

  test('fails for {identity} with an audience other than the owner', () => {
    fails([{ audience: Audience.authenticated(), access: [Access.READ], leadingKey: '{identity}' }], /`audience`: .*only for `Audience.owner\(\)`; for authenticated it would match every item/);
  });

  test('fails for the owner without a leading key', () => {
    fails([{ audience: Audience.owner(), access: [Access.READ] }], /`audience`: `Audience.owner\(\)` needs a leading key/);
  });

  test('fails for a leading key that is not a token', () => {
    fails([owner({ leadingKey: 'owner' })], /`leadingKey`: A leading key is a whole `\{identity\}` or `\{tag:NAME\}` token \(received "owner"\)/);
  });

  test('fails for an unmapped tag', () => {
    fails([{ audience: Audience.authenticated(), access: [Access.READ], leadingKey: '{tag:team}' }], /`leadingKey`: `\{tag:team\}` names a principal tag that the identity pool does not map/);
  });

  test('fails for a guest with a tag leading key', () => {
    fails([{ audience: Audience.guest(), access: [Access.READ], leadingKey: '{tag:tenant}' }], /Guests .* carry no principal tags/);
  });

  test('fails for allowScan on a leading-key rule', () => {
    fails([owner({ allowScan: true })], /`allowScan`: A Scan reads every partition/);
  });

  test('fails for allowScan without LIST', () => {
    fails([{ audience: Audience.authenticated(), access: [Access.GET], allowScan: true }], /`allowScan`: Scan lists items, but the rule grants neither/);
  });

  test('fails for a non-string partition key under an identity leading key', () => {
    fails([owner()], /`leadingKey`: The partition key `id` of the table has type N, but \{identity\} is a string/,
      { keySchema: { partitionKey: { name: 'id', type: 'N' } } });
  });

  test('fails for a non-string index partition key', () => {
    fails([owner({ indexes: ['byNumber'] })], /The partition key `n` of index `byNumber` has type N/, { keySchema: KEYS });
  });

  test('fails for a leading-key rule on an index partitioned by another attribute than the table\'s', () => {
    const keys: TableKeySchema = { ...KEYS, indexes: { ...KEYS.indexes, byStatus: { partitionKey: { name: 'status', type: 'S' } } } };
    fails([owner({ indexes: ['byStatus'] })], /`indexes`: Index `byStatus` is partitioned by `status`, not by the table's partition key `owner`/, { keySchema: keys });
    fails([{ audience: Audience.authenticated(), access: [Access.LIST], leadingKey: '{tag:tenant}', indexes: ['byStatus'] }],
      /`indexes`: Index `byStatus` is partitioned by `status`/, { keySchema: keys });
    // an index keyed by the owner attribute (with another sort key) is fine, and every-item rules may use any index
    expect(() => compile([owner({ indexes: ['byDate'] })], { keySchema: keys })).not.toThrow();
    expect(() => compile([{ audience: Audience.authenticated(), access: [Access.LIST], indexes: ['byStatus'] }], { keySchema: keys })).not.toThrow();
  });

  test('warns for a leading-key rule on an index whose key is not known', () => {
    const { warnings } = compile([owner({ indexes: ['byOwner'] })], { keySchema: { partitionKey: { name: 'owner', type: 'S' } } });
    expect(warnings).toEqual([expect.stringMatching(/^The partition key of index `byOwner` is not known at synth/)]);
  });

  test('fails for an index the table does not have', () => {
    fails([owner({ indexes: ['byTitle'] })], /`indexes`: The table has no global secondary index of this name \(its indexes: `byDate`, `byNumber`\) \(received "byTitle"\)/, { keySchema: KEYS });
  });

  test('fails for an invalid index name', () => {
    fails([owner({ indexes: ['a'] })], /`indexes`: An index name is 3-255/);
  });

  test('fails for indexes without LIST', () => {
    fails([owner({ access: [Access.GET], indexes: ['byDate'] })], /`indexes`: Indexes only serve Query/);
  });

  test('fails for an empty attribute list', () => {
    fails([owner({ attributes: [] })], /`attributes`: An empty attribute list would allow no request at all/);
  });

  test('fails for a rule without access', () => {
    fails([owner({ access: [] })], /`access`: A rule must grant at least one access level/);
  });
});
