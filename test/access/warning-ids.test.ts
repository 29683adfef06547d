import { Annotations, App, Stack } from 'aws-cdk-lib';
import { Annotations as AnnotationsAssert, Match } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Access, Audience, ScopedApiAccess, ScopedBucketAccess, ScopedTableAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * A warning's acknowledgement id is derived from what it is about (its text names the paths,
 * audience and access), never from its position: adding, removing or reordering other rules keeps
 * every id, so an acknowledgement silences the warning it was written for and no other.
 */

function fixture() {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '123456789012', region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  const web = users.addWebClient('Web');
  const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, web)] });
  return { app, stack, pool };
}

/** Warnings on `path` as `{ message, id }`, read from the synthesized metadata (`<message> [ack: <id>]`). */
function warnings(stack: Stack, path: string): Array<{ message: string; id: string }> {
  return AnnotationsAssert.fromStack(stack).findWarning(path, Match.anyValue()).map(w => {
    const text = String(w.entry.data);
    const match = /^([\s\S]*) \[ack: ([^\]]+)\]$/.exec(text);
    expect(match).not.toBeNull();
    return { message: match![1], id: match![2] };
  });
}

const DOCS = '`docs/*` lets authenticated list `docs/`';
const REPORTS = '`reports/*` lets authenticated list `reports/`';

function bucketApp(rulesFirst: 'docs' | 'reports', withReports: boolean, acknowledge?: string) {
  const { stack, pool } = fixture();
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
  const docs = () => {
    files.allow('docs/*', Audience.authenticated(), Access.READ);
    files.allow('docs/secret/*', Audience.group('admins'), Access.READ);
  };
  const reports = () => {
    files.allow('reports/*', Audience.authenticated(), Access.READ);
    files.allow('reports/private/*', Audience.group('admins'), Access.READ);
  };
  if (rulesFirst === 'reports' && withReports) {
    reports();
  }
  docs();
  if (rulesFirst === 'docs' && withReports) {
    reports();
  }
  if (acknowledge !== undefined) {
    // The warnings are added at synth: aws-cdk-lib applies an acknowledgement made before them
    // when it is made on a parent scope (the stack), not on the construct itself.
    Annotations.of(stack).acknowledgeWarning(acknowledge, 'reviewed: key names under docs/secret are not sensitive');
  }
  return warnings(stack, '/S/Files');
}

describe('acknowledgement ids of rule warnings', () => {
  test('a bucket rule warning keeps its id when other rules are added before or after it', () => {
    // GIVEN one warning
    const alone = bucketApp('docs', false);
    expect(alone.map(w => w.message)).toEqual([expect.stringContaining(DOCS)]);
    const id = alone[0].id;
    expect(id).toMatch(/^cdk-federated-access:bucketRule:[0-9a-f]{8}$/);
    expect(id).toBe('cdk-federated-access:bucketRule:7a2397ab'); // README "Warnings and acknowledgements" shows it

    // WHEN rules with their own warning are added after, then before it
    const after = bucketApp('docs', true);
    const before = bucketApp('reports', true);

    // THEN the docs warning has the same id each time, and the other warning another one
    for (const all of [after, before]) {
      expect(all).toHaveLength(2);
      expect(all.find(w => w.message.includes(DOCS))!.id).toBe(id);
      expect(all.find(w => w.message.includes(REPORTS))!.id).not.toBe(id);
    }
    expect(before.find(w => w.message.includes(REPORTS))!.id).toBe(after.find(w => w.message.includes(REPORTS))!.id);
  });

  test('acknowledging one bucket rule warning silences that one only, whatever the order', () => {
    const id = bucketApp('docs', false)[0].id;
    for (const order of ['docs', 'reports'] as const) {
      const left = bucketApp(order, true, id);
      expect(left.map(w => w.message)).toEqual([expect.stringContaining(REPORTS)]);
    }
  });

  test('each uncovered API route and each table rule has its own id', () => {
    // GIVEN two routes without IAM authorization under rules, and an imported table with two unknown indexes
    const { stack, pool } = fixture();
    const rest = new apigateway.RestApi(stack, 'Rest', { deployOptions: { stageName: 'prod' } });
    rest.root.addResource('notes').addMethod('GET', new apigateway.MockIntegration(), { authorizationType: apigateway.AuthorizationType.IAM });
    for (const open of ['a', 'b']) {
      rest.root.addResource(open).addMethod('GET', new apigateway.MockIntegration(), { authorizationType: apigateway.AuthorizationType.NONE });
    }
    const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
    const table = dynamodb.Table.fromTableAttributes(stack, 'Imported', {
      tableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/notes',
      globalIndexes: ['byOwner', 'byOwnerDate'],
    });
    const notes = new ScopedTableAccess(stack, 'Notes', {
      identityPool: pool, table, partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
    });

    // WHEN
    api.allow('/a/*', Audience.authenticated(), 'GET');
    api.allow('/b/*', Audience.authenticated(), 'GET');
    notes.allowOwnItemsWith(Audience.owner(), { indexes: ['byOwner'] }, Access.LIST);
    notes.allowOwnItemsWith(Audience.owner(), { indexes: ['byOwnerDate'] }, Access.READ);

    // THEN
    const routes = warnings(stack, '/S/Api');
    expect(routes).toHaveLength(2);
    expect(routes.map(w => w.id)).toEqual([expect.stringMatching(/^cdk-federated-access:notIamAuthorized:[0-9a-f]{8}$/), expect.stringMatching(/^cdk-federated-access:notIamAuthorized:/)]);
    expect(new Set(routes.map(w => w.id)).size).toBe(2);
    const tables = warnings(stack, '/S/Notes');
    expect(tables).toHaveLength(2);
    expect(tables.map(w => w.id)).toEqual([expect.stringMatching(/^cdk-federated-access:tableRule:[0-9a-f]{8}$/), expect.stringMatching(/^cdk-federated-access:tableRule:/)]);
    expect(new Set(tables.map(w => w.id)).size).toBe(2);
  });
});
