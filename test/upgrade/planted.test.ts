import * as fs from 'fs';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template as Assertions } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { ChangeKind, gate, IMMUTABLE_PROPERTIES, parseNotes, STATEFUL_TYPES, UnsafeChange, unsafeChanges, UpgradeNote } from './gate';
import { baselineFile, Template } from '../../scripts/upgrade-baseline';

/*
 * The gate can fail: each planted change to a committed baseline template (an independent model
 * of what CloudFormation does, from its documentation) is reported with its kind, and the same
 * change recorded in the upgrade notes with a migration passes. Changes that lose nothing pass.
 *
 * Replacing properties, per the CloudFormation template reference ("Update requires: Replacement"):
 * UserPoolClient GenerateSecret, UserPoolDomain Domain, S3 Bucket BucketName, DynamoDB Table and
 * GlobalTable KeySchema. The user pool, the identity pool and the KMS key have none: they are lost
 * by a logical id change, a type change or a removal; the user pool's sign-in attributes and the
 * key's KeySpec cannot change at all (the update fails).
 */

const MIGRATION = 'Export the users with the Cognito ListUsers API and import them into the new pool before switching clients.';

function baseline(app: string): Template {
  return JSON.parse(fs.readFileSync(baselineFile(app), 'utf8'));
}

/** The baseline of `app` with `plant` applied to a copy. */
function planted(app: string, plant: (t: Template) => void): Template {
  const t = baseline(app);
  plant(t);
  return t;
}

function props(t: Template, logicalId: string): any {
  return (t.Resources![logicalId] as any).Properties;
}

/** Moves a resource to another logical id, with every reference to it (what renaming a construct id does). */
function renamed(t: Template, from: string, to: string): Template {
  return JSON.parse(JSON.stringify(t).split(`"${from}"`).join(`"${to}"`));
}

/** [logicalId, change] of each reported change, sorted. */
function kinds(changes: UnsafeChange[]): Array<[string, ChangeKind]> {
  return changes.map((c): [string, ChangeKind] => [c.logicalId, c.change]).sort();
}

function notesFor(app: string, expected: Array<[string, ChangeKind]>): UpgradeNote[] {
  return expected.map(([logicalId, change]) => ({ app, logicalId, change, migration: MIGRATION }));
}

/** Plants a change, checks what the gate reports, then that recording exactly that passes. */
function expectGate(app: string, current: Template, expected: Array<[string, ChangeKind]>, before: Template = baseline(app)): UnsafeChange[] {
  // WHEN the planted template is diffed against the baseline
  const changes = unsafeChanges(app, before, current);

  // THEN the gate reports exactly the expected changes, unrecorded
  expect(kinds(changes)).toEqual([...expected].sort());
  expect(gate(changes, []).unrecorded).toHaveLength(expected.length);

  // AND recorded in the upgrade notes with a migration, they pass
  const recorded = gate(changes, parseNotes({ changes: notesFor(app, expected) }));
  expect(recorded).toEqual({ unrecorded: [], stale: [] });
  return changes;
}

describe('upgrade gate: planted replacements of each stateful type', () => {
  test('the list of stateful types is the one the brief names', () => {
    expect([...STATEFUL_TYPES].sort()).toEqual([
      'AWS::Cognito::IdentityPool', 'AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolDomain',
      'AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::S3::Bucket',
    ]);
  });

  test('fails on a user pool moved to another logical id, and on the clients it takes along', () => {
    // GIVEN the user directory's defaults, WHEN the pool's construct id changes
    const current = renamed(baseline('UserDirectoryDefaults'), 'Users10139FB0', 'UsersRenamed0123ABCD');

    // THEN the pool is renamed (a new empty pool, the old one orphaned: it was retained) and the
    // client is replaced (its UserPoolId changes)
    const changes = expectGate('UserDirectoryDefaults', current, [['Users10139FB0', 'rename'], ['UsersWebBD795B3F', 'replace']]);
    expect(changes.find(c => c.change === 'rename')!.detail).toMatch(/appears as UsersRenamed0123ABCD.*orphaned/);
    expect(changes.find(c => c.change === 'replace')!.detail).toMatch(/UserPoolId/);
  });

  test('fails on a user pool whose sign-in attributes change (Cognito cannot change them)', () => {
    // GIVEN the notes app, WHEN users sign in with their phone number instead of their email
    const current = planted('NotesApp', t => {
      const pool = props(t, 'Users10139FB0');
      expect(pool.UsernameAttributes).toEqual(['email']);
      pool.UsernameAttributes = ['phone_number'];
    });

    // THEN it is reported as immutable: the resource specification calls it an update
    expect(IMMUTABLE_PROPERTIES['AWS::Cognito::UserPool']).toContain('UsernameAttributes');
    const [change] = expectGate('NotesApp', current, [['Users10139FB0', 'immutable']]);
    expect(change.detail).toMatch(/UsernameAttributes/);
  });

  test('fails on a user pool that loses a custom attribute (Cognito cannot remove one)', () => {
    // GIVEN the notes app's pool with custom:tenant, WHEN the attribute disappears
    const current = planted('NotesApp', t => {
      const pool = props(t, 'Users10139FB0');
      const before = pool.Schema.length;
      pool.Schema = pool.Schema.filter((a: any) => a.Name !== 'tenant');
      expect(pool.Schema.length).toBe(before - 1);
    });

    // THEN
    const [change] = expectGate('NotesApp', current, [['Users10139FB0', 'immutable']]);
    expect(change.detail).toMatch(/Schema attribute tenant removed/);
  });

  test('fails on a user pool that is no longer retained', () => {
    // GIVEN a retained pool, WHEN its policies go back to Delete
    const current = planted('UserDirectoryDefaults', t => {
      const pool = t.Resources!.Users10139FB0 as any;
      expect([pool.DeletionPolicy, pool.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
      pool.DeletionPolicy = 'Delete';
      delete pool.UpdateReplacePolicy;
    });

    // THEN both policies are reported
    const changes = expectGate('UserDirectoryDefaults', current, [['Users10139FB0', 'retain-removed'], ['Users10139FB0', 'retain-removed']]);
    expect(changes.map(c => c.detail.split(':')[0]).sort()).toEqual(['DeletionPolicy Retain -> Delete', 'UpdateReplacePolicy Retain -> (none']);
  });

  test('fails on a user pool client that gets a secret (GenerateSecret replaces it)', () => {
    // GIVEN the notes app's web client, WHEN it becomes confidential
    const current = planted('NotesApp', t => {
      props(t, 'UsersWebBD795B3F').GenerateSecret = true;
    });

    // THEN the client is replaced: deployed front ends carry the old client id
    const [change] = expectGate('NotesApp', current, [['UsersWebBD795B3F', 'replace']]);
    expect(change.detail).toMatch(/GenerateSecret/);
  });

  test('fails on a managed login domain with another prefix (Domain replaces it)', () => {
    // GIVEN the notes app's domain, WHEN its prefix changes (passkeys are bound to it)
    const current = planted('NotesApp', t => {
      props(t, 'UsersDomain51E2A623').Domain = 'notes-app-renamed';
    });

    // THEN
    const [change] = expectGate('NotesApp', current, [['UsersDomain51E2A623', 'replace']]);
    expect(change.detail).toMatch(/Domain/);
  });

  test('fails on an identity pool moved to another logical id (its identity ids key the users\' data)', () => {
    // GIVEN the identity pool's defaults, WHEN its construct id changes
    const current = renamed(baseline('FederatedIdentityPoolDefaults'), 'Identities1D2FC062', 'IdentitiesRenamed0123');

    // THEN it is renamed, and the old one is deleted: it is not retained in the baseline
    const [change] = expectGate('FederatedIdentityPoolDefaults', current, [['Identities1D2FC062', 'rename']]);
    expect(change.detail).toMatch(/deleted with its data/);
  });

  test('fails on an identity pool removed from the template', () => {
    // GIVEN the identity pool's defaults, WHEN the pool and what uses it are gone
    const current = planted('FederatedIdentityPoolDefaults', t => {
      for (const [id, r] of Object.entries(t.Resources!)) {
        if (id === 'Identities1D2FC062' || JSON.stringify(r).includes('"Identities1D2FC062"')) {
          delete t.Resources![id];
        }
      }
    });

    // THEN
    expectGate('FederatedIdentityPoolDefaults', current, [['Identities1D2FC062', 'delete']]);
  });

  test('fails on a bucket given a name (BucketName replaces it)', () => {
    // GIVEN the bucket access defaults, WHEN the bucket gets an explicit name
    const current = planted('ScopedBucketAccessDefaults', t => {
      props(t, 'FilesBucket7C17EE2E').BucketName = 'files-bucket';
    });

    // THEN the objects stay in the old (retained) bucket, the stack points to an empty one
    const [change] = expectGate('ScopedBucketAccessDefaults', current, [['FilesBucket7C17EE2E', 'replace']]);
    expect(change.detail).toMatch(/BucketName.*old one is retained out of the stack/);
  });

  test('fails on a bucket that is no longer retained', () => {
    // GIVEN the notes app's uploads bucket, WHEN it is deleted with the stack
    const current = planted('NotesApp', t => {
      t.Resources!.UploadsBucketC4B27CC7.DeletionPolicy = 'Delete';
      t.Resources!.UploadsBucketC4B27CC7.UpdateReplacePolicy = 'Delete';
    });

    // THEN
    expectGate('NotesApp', current, [['UploadsBucketC4B27CC7', 'retain-removed'], ['UploadsBucketC4B27CC7', 'retain-removed']]);
  });

  test('fails on a global table with another key schema (KeySchema replaces it)', () => {
    // GIVEN the notes table (TableV2), WHEN its sort key changes
    const current = planted('NotesApp', t => {
      const table = props(t, 'NotesTableD0D0D2F1');
      table.KeySchema = [{ AttributeName: 'identityId', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }];
      table.AttributeDefinitions = [{ AttributeName: 'identityId', AttributeType: 'S' }, { AttributeName: 'createdAt', AttributeType: 'S' }];
    });

    // THEN
    const [change] = expectGate('NotesApp', current, [['NotesTableD0D0D2F1', 'replace']]);
    expect(change.detail).toMatch(/KeySchema/);
  });

  test('fails on a table (dynamodb.Table) with another key schema', () => {
    // GIVEN a classic table, as a user of ScopedTableAccess may bring (no reference app has one)
    const stack = new Stack(new App(), 'Classic');
    new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'identityId', type: dynamodb.AttributeType.STRING },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const before = Assertions.fromStack(stack).toJSON() as Template;
    const id = Object.keys(before.Resources!).find(k => before.Resources![k].Type === 'AWS::DynamoDB::Table')!;

    // WHEN its partition key changes
    const current: Template = JSON.parse(JSON.stringify(before));
    props(current, id).KeySchema = [{ AttributeName: 'tenantId', KeyType: 'HASH' }];
    props(current, id).AttributeDefinitions = [{ AttributeName: 'tenantId', AttributeType: 'S' }];

    // THEN
    expectGate('Classic', current, [[id, 'replace']], before);
  });

  test('fails on a KMS key moved to another logical id (what it encrypts only gets the new key)', () => {
    // GIVEN the options app's key, WHEN its construct id changes
    const current = renamed(baseline('AccessOptions'), 'Key961B73FD', 'KeyRenamed0123ABCD');

    // THEN the key is renamed; the bucket and tables only change their key (an update)
    const [change] = expectGate('AccessOptions', current, [['Key961B73FD', 'rename']]);
    expect(change.detail).toMatch(/orphaned/);
  });

  test('fails on a KMS key with another key spec (the update fails)', () => {
    // GIVEN the options app's key, WHEN it becomes an HMAC key
    const current = planted('AccessOptions', t => {
      props(t, 'Key961B73FD').KeySpec = 'HMAC_256';
    });

    // THEN
    expectGate('AccessOptions', current, [['Key961B73FD', 'immutable']]);
  });

  test('fails on a stateful resource whose type changes under the same logical id', () => {
    // GIVEN the notes table, WHEN it becomes a classic table under the same id
    const current = planted('NotesApp', t => {
      t.Resources!.NotesTableD0D0D2F1.Type = 'AWS::DynamoDB::Table';
    });

    // THEN
    const [change] = expectGate('NotesApp', current, [['NotesTableD0D0D2F1', 'replace']]);
    expect(change.detail).toMatch(/type changes to AWS::DynamoDB::Table/);
  });
});

describe('upgrade gate: changes that lose nothing pass', () => {
  test('the baseline against itself', () => {
    for (const app of ['NotesApp', 'AccessOptions', 'ClientConfigDefaults']) {
      expect(unsafeChanges(app, baseline(app), baseline(app))).toEqual([]);
    }
  });

  test('an identity pool that becomes retained (a change into Retain)', () => {
    const current = planted('FederatedIdentityPoolDefaults', t => {
      t.Resources!.Identities1D2FC062.DeletionPolicy = 'Retain';
      t.Resources!.Identities1D2FC062.UpdateReplacePolicy = 'Retain';
    });
    expect(unsafeChanges('FederatedIdentityPoolDefaults', baseline('FederatedIdentityPoolDefaults'), current)).toEqual([]);
  });

  test('a new Lambda trigger, a new role and managed policy, a new bucket, a renamed IAM role', () => {
    const current = planted('UserDirectoryDefaults', t => {
      t.Resources!.PreSignUp = { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x', Code: { ZipFile: 'x' } } };
      props(t, 'Users10139FB0').LambdaConfig = { PreSignUp: { 'Fn::GetAtt': ['PreSignUp', 'Arn'] } };
      t.Resources!.AdminsRole = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } };
      t.Resources!.AdminsPolicy = { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: {}, Roles: [{ Ref: 'AdminsRole' }] } };
      t.Resources!.Extra = { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain' };
    });
    expect(unsafeChanges('UserDirectoryDefaults', baseline('UserDirectoryDefaults'), current)).toEqual([]);

    const roles = baseline('FederatedIdentityPoolDefaults');
    const role = Object.keys(roles.Resources!).find(k => roles.Resources![k].Type === 'AWS::IAM::Role')!;
    expect(unsafeChanges('FederatedIdentityPoolDefaults', roles, renamed(roles, role, 'RenamedRole0123'))).toEqual([]);
  });
});

describe('upgrade notes', () => {
  const change = { app: 'NotesApp', logicalId: 'Users10139FB0', change: 'replace' };

  test('fails on an entry without a migration', () => {
    expect(() => parseNotes({ changes: [change] })).toThrow(/`migration` must say what users do/);
    expect(() => parseNotes({ changes: [{ ...change, migration: '  ' }] })).toThrow(/An unsafe change without a migration is refused/);
  });

  test('fails on an entry without its app, logical id or a known change', () => {
    expect(() => parseNotes({ changes: [{ ...change, app: undefined, migration: MIGRATION }] })).toThrow(/`app` is missing/);
    expect(() => parseNotes({ changes: [{ ...change, logicalId: '', migration: MIGRATION }] })).toThrow(/`logicalId` is missing/);
    expect(() => parseNotes({ changes: [{ ...change, change: 'replaced', migration: MIGRATION }] })).toThrow(/must be one of replace, delete/);
    expect(() => parseNotes({})).toThrow(/`changes` must be a list/);
  });

  test('a note covers only its app, logical id and kind of change; one that covers nothing is stale', () => {
    // GIVEN a replaced client
    const changes = unsafeChanges('NotesApp', baseline('NotesApp'), planted('NotesApp', t => {
      props(t, 'UsersWebBD795B3F').GenerateSecret = true;
    }));

    // WHEN the note names another app, another kind of change, or the right change
    const [wrongApp, wrongKind, right] = parseNotes({
      changes: [
        { app: 'AccessOptions', logicalId: 'UsersWebBD795B3F', change: 'replace', migration: MIGRATION },
        { app: 'NotesApp', logicalId: 'UsersWebBD795B3F', change: 'delete', migration: MIGRATION },
        { app: 'NotesApp', logicalId: 'UsersWebBD795B3F', change: 'replace', migration: MIGRATION },
      ],
    });

    // THEN only the right one covers it, and the others are stale
    expect(gate(changes, [wrongApp, wrongKind]).unrecorded).toHaveLength(1);
    expect(gate(changes, [wrongApp, wrongKind, right])).toEqual({ unrecorded: [], stale: [wrongApp, wrongKind] });
  });
});
