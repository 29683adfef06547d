import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { attachedPolicies, hasAttachedPolicy } from './attached';
import { Access, Audience, ScopedTableAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { UserDirectory } from '../../src/user-directory';

const SUB = '${cognito-identity.amazonaws.com:sub}';
const OWN = { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': SUB }, 'Null': { 'dynamodb:LeadingKeys': 'false' } };

function fixture(options: { guestAccess?: boolean; partitionType?: dynamodb.AttributeType } = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Identities', {
    sources: [IdentitySource.userDirectory(users, web)],
    guestAccess: options.guestAccess ?? false,
    principalTags: { tenant: 'custom:tenant' },
  });
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'owner', type: options.partitionType ?? dynamodb.AttributeType.STRING },
    sortKey: { name: 'noteId', type: dynamodb.AttributeType.STRING },
  });
  return { app, stack, pool, table };
}

function roleRef(stack: Stack, role: { node: { defaultChild?: unknown } }) {
  return { Ref: stack.getLogicalId(role.node.defaultChild as any) };
}

function expectFails(run: () => unknown, message: RegExp) {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as Error).message).toMatch(message);
}

describe('ScopedTableAccess', () => {
  test('owner items go to every authenticated role with LeadingKeys and the Null guard, never Scan', () => {
    // GIVEN
    const { stack, pool, table } = fixture();
    const admins = pool.roleForGroup('admins');

    // WHEN
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    notes.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem',
            'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as dynamodb.CfnTable), 'Arn'] },
          Condition: OWN,
        }],
      },
      Roles: Match.arrayEquals([roleRef(stack, pool.authenticatedRole), roleRef(stack, admins)]),
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('dynamodb:Scan');
  });

  test('a group rule on every item reaches only the group role', () => {
    // GIVEN
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });

    // WHEN
    notes.allowItems(Audience.group('admins'), Access.READ);

    // THEN
    hasAttachedPolicy(stack, {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query'],
          Resource: Match.anyValue(),
        }],
      },
      Roles: [roleRef(stack, pool.roleForGroup('admins'))],
    });
    expect(attachedPolicies(stack)).toHaveLength(1);
  });

  test('allowItemsWith allowScan grants Scan, and a tag leading key uses the principal tag', () => {
    // GIVEN
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });

    // WHEN
    notes.allowItemsWith(Audience.group('admins'), { allowScan: true }, Access.LIST);
    notes.allowOwnItemsWith(Audience.authenticated(), { leadingKey: '{tag:tenant}' }, Access.GET);

    // THEN
    const template = Template.fromStack(stack);
    hasAttachedPolicy(template, {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['dynamodb:Query', 'dynamodb:Scan'] })]) },
    });
    hasAttachedPolicy(template, {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Condition: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': '${aws:PrincipalTag/tenant}' },
            'Null': { 'dynamodb:LeadingKeys': 'false' },
            'StringLike': { 'aws:PrincipalTag/tenant': '?*' },
          },
        })]),
      },
    });
  });

  test('an index added after the rule gets Query with the same leading key', () => {
    // GIVEN
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });

    // WHEN
    notes.allowOwnItemsWith(Audience.owner(), { indexes: ['byDate'] }, Access.LIST);
    table.addGlobalSecondaryIndex({ indexName: 'byDate', partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });

    // THEN
    const arn = { 'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as dynamodb.CfnTable), 'Arn'] };
    hasAttachedPolicy(stack, {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'dynamodb:Query',
          Resource: [arn, { 'Fn::Join': ['', [arn, '/index/byDate']] }],
          Condition: OWN,
        }],
      },
    });
  });

  test('attributes add the key attributes read from the table', () => {
    // GIVEN
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });

    // WHEN
    notes.allowOwnItemsWith(Audience.owner(), { attributes: ['title'] }, Access.GET);

    // THEN
    hasAttachedPolicy(stack, {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Condition: Match.objectLike({
            'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['noteId', 'owner', 'title'], 'dynamodb:LeadingKeys': SUB },
            'StringEqualsIfExists': { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_NEW', 'UPDATED_OLD'], 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
          }),
        })],
      },
    });
  });

  test('a customer-managed key gets scoped KMS use via DynamoDB', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const table = new dynamodb.Table(stack, 'Encrypted', {
      partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });

    // WHEN
    new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table }).allowOwnItems(Audience.owner(), Access.WRITE);

    // THEN
    hasAttachedPolicy(stack, {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
          Condition: {
            StringEquals: {
              'kms:EncryptionContext:aws:dynamodb:tableName': { Ref: stack.getLogicalId(table.node.defaultChild as dynamodb.CfnTable) },
              'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com',
            },
          },
        }]),
      },
    });
  });

  test('a TableV2 and an imported table work (TableV2 is an ITable)', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const v2 = new dynamodb.TableV2(stack, 'V2', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.NUMBER } });
    const imported = dynamodb.Table.fromTableArn(stack, 'Imported', 'arn:aws:dynamodb:us-east-1:123456789012:table/legacy');

    // WHEN
    new ScopedTableAccess(stack, 'Legacy', { identityPool: pool, table: imported }).allowOwnItems(Audience.owner(), Access.GET);

    // THEN
    expectFails(() => new ScopedTableAccess(stack, 'V2Access', { identityPool: pool, table: v2 }).allowOwnItems(Audience.owner(), Access.GET),
      /The partition key `pk` of the table has type N/);
    hasAttachedPolicy(stack, {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/legacy' })] },
    });
  });

  test('describe() lists one row per rule', () => {
    // GIVEN
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });

    // WHEN
    notes.allowOwnItems(Audience.owner(), Access.WRITE, Access.READ);
    notes.allowItemsWith(Audience.group('admins'), { allowScan: true }, Access.READ);

    // THEN
    expect(notes.describe()).toEqual([
      { path: '{identity}', audience: 'owner', access: 'READ, WRITE' },
      { path: '* | scan', audience: 'group:admins', access: 'READ' },
    ]);
  });
});

describe('ScopedTableAccess bad input', () => {
  test('fails without an identity pool', () => {
    const { stack, table } = fixture();
    expectFails(() => new ScopedTableAccess(stack, 'Notes', { identityPool: undefined as any, table }), /`identityPool`: ScopedTableAccess needs the identity pool/);
  });

  test('fails without a table', () => {
    const { stack, pool } = fixture();
    expectFails(() => new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table: undefined as any }), /`table`: ScopedTableAccess needs the table/);
  });

  test('fails for a numeric partition key under an identity leading key', () => {
    const { stack, pool, table } = fixture({ partitionType: dynamodb.AttributeType.NUMBER });
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowOwnItems(Audience.owner(), Access.READ), /`leadingKey`: The partition key `owner` of the table has type N, but \{identity\} is a string/);
  });

  test('fails for a declared partition key of an imported table that is binary', () => {
    const { stack, pool } = fixture();
    const table = dynamodb.Table.fromTableName(stack, 'Imported', 'legacy');
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table, partitionKey: { name: 'id', type: dynamodb.AttributeType.BINARY } });
    expectFails(() => notes.allowOwnItems(Audience.owner(), Access.READ), /The partition key `id` of the table has type B/);
  });

  test('fails for a partitionKey that contradicts the table', () => {
    const { stack, pool, table } = fixture();
    expectFails(() => new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table, partitionKey: { name: 'x', type: dynamodb.AttributeType.STRING } }),
      /`partitionKey`: The table was created in this app with partition key `owner` \(S\)/);
  });

  test('fails for a guest rule without guest access', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowItems(Audience.guest(), Access.GET), /`audience`: A guest rule needs an identity pool with guest access, and this pool has none \(received "guest"\)/);
  });

  test('fails for an unknown group', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowItems(Audience.group('ghosts'), Access.GET), /The identity pool cannot give group `ghosts` a role/);
  });

  test('fails for the owner on every item', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowItems(Audience.owner(), Access.GET), /`audience`: `Audience.owner\(\)` needs a leading key/);
  });

  test('fails for authenticated with the identity leading key', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowOwnItems(Audience.authenticated(), Access.GET), /for authenticated it would match every item/);
  });

  test('fails for an unmapped tag leading key', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowOwnItemsWith(Audience.authenticated(), { leadingKey: '{tag:team}' }, Access.GET), /`leadingKey`: `\{tag:team\}` names a principal tag that the identity pool does not map \(mapped tags: `tenant`\)/);
  });

  test('fails for no access', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowOwnItems(Audience.owner()), /`access`: A rule for owner grants nothing/);
  });

  test('fails for a value that is not an Access', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowOwnItems(Audience.owner(), 'SCAN' as Access), /`access`: Is not an Access value \(received "SCAN"\)/);
  });

  test('fails for allowScan with an own-items rule shape (no LIST)', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowItemsWith(Audience.authenticated(), { allowScan: true }, Access.WRITE), /`allowScan`: Scan lists items/);
  });

  test('fails at synth for an index the table never gets', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    notes.allowOwnItemsWith(Audience.owner(), { indexes: ['byDate'] }, Access.LIST);
    expectFails(() => Template.fromStack(stack), /`indexes`: The table has no global secondary index of this name \(its indexes: none\)/);
  });

  test('fails at synth for an owner rule on an index partitioned by another attribute than the owner\'s', () => {
    // GIVEN: byStatus is keyed by `status`, which any user can set to someone else's identity id
    const { stack, pool, table } = fixture();
    table.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } });
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });

    // WHEN
    notes.allowOwnItemsWith(Audience.owner(), { indexes: ['byStatus'] }, Access.LIST);

    // THEN
    expectFails(() => Template.fromStack(stack),
      /`indexes`: Index `byStatus` is partitioned by `status`, not by the table's partition key `owner` that holds the owner's identity id, .*including items other users wrote \(received "byStatus"\)\. Query an index partitioned by `owner`/);
  });

  test('fails at synth for a tag rule on an index partitioned by another attribute', () => {
    const { stack, pool, table } = fixture();
    table.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } });
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    notes.allowOwnItemsWith(Audience.authenticated(), { leadingKey: '{tag:tenant}', indexes: ['byStatus'] }, Access.LIST);
    expectFails(() => Template.fromStack(stack), /`indexes`: Index `byStatus` is partitioned by `status`, not by the table's partition key `owner` that holds the tag value/);
  });

  test('warns for an owner rule on an index of an imported table, whose key is not known', () => {
    // GIVEN
    const { stack, pool } = fixture();
    const imported = dynamodb.Table.fromTableAttributes(stack, 'Imported', {
      tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/notes',
      globalIndexes: ['byOwner'],
    });
    const notes = new ScopedTableAccess(stack, 'Notes', {
      identityPool: pool, table: imported, partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
    });

    // WHEN
    notes.allowOwnItemsWith(Audience.owner(), { indexes: ['byOwner'] }, Access.LIST);

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Notes', Match.stringLikeRegexp('The partition key of index `byOwner` is not known at synth'));
  });

  test('fails for an audience that is not an Audience', () => {
    const { stack, pool, table } = fixture();
    const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
    expectFails(() => notes.allowItems('admins' as any, Access.GET), /`audience`: An access rule needs an audience/);
  });

  test('fails for maxManagedPoliciesPerRole out of range', () => {
    const { stack, pool, table } = fixture();
    expectFails(() => new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table, maxManagedPoliciesPerRole: 0 }), /`maxManagedPoliciesPerRole`: IAM allows 1 to 20/);
  });
});
