import { createValidatedPolicy, validateIdentityPolicy } from '@cloud-copilot/iam-policy';
import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Access, Audience, ScopedApiAccess, ScopedTableAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * Security matrix for tables and APIs: the SYNTHESIZED identity policies of each role (every
 * managed and inline policy attached to it), with intrinsics resolved to fake concrete values,
 * validated with `validateIdentityPolicy` and evaluated with iam-simulate `runUnsafeSimulation`
 * (the mode that resolves `${cognito-identity.amazonaws.com:sub}`).
 *
 * Expected verdicts come from a small oracle written from DESIGN.md, not from the renderers.
 * Every expected deny is paired with an allowed case that differs in exactly one dimension, and
 * mutants of the synthesized JSON (Null guard removed, ForAllValues weakened, route wildcards
 * widened, the owner's identity widened) must each flip at least one verdict.
 */

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/notes`;
const API_ID = 'a1b2c3d4e5';
const STAGE_ARN = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/prod`;
const SUB = 'cognito-identity.amazonaws.com:sub';

type Verdict = 'Allowed' | 'Denied';
type Doc = { Version: string; Statement: any[] };
type RoleName = 'guest' | 'authenticated' | 'admins';

interface Principal {
  readonly name: string;
  readonly role: RoleName;
  readonly id: string;
}

const ALICE: Principal = { name: 'alice', role: 'authenticated', id: 'us-east-1:aaaaaaaa-0000-0000-0000-000000000001' };
const BOB: Principal = { name: 'bob', role: 'authenticated', id: 'us-east-1:bbbbbbbb-0000-0000-0000-000000000002' };
const CAROL: Principal = { name: 'carol(admin)', role: 'admins', id: 'us-east-1:cccccccc-0000-0000-0000-000000000003' };
const GUEST: Principal = { name: 'guest', role: 'guest', id: 'us-east-1:dddddddd-0000-0000-0000-000000000004' };
const PRINCIPALS = [ALICE, BOB, CAROL, GUEST];

// ---------------------------------------------------------------------------------------------
// The app under test
// ---------------------------------------------------------------------------------------------

function synthesize() {
  const app = new App();
  const stack = new Stack(app, 'Matrix', { env: { account: ACCOUNT, region: REGION } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users, web)], guestAccess: true });

  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'noteId', type: dynamodb.AttributeType.STRING },
  });
  table.addGlobalSecondaryIndex({ indexName: 'byDate', partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
  const notes = new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table });
  notes.allowOwnItemsWith(Audience.owner(), { indexes: ['byDate'] }, Access.READ, Access.WRITE, Access.DELETE);
  notes.allowItems(Audience.group('admins'), Access.READ);

  const rest = new apigateway.RestApi(stack, 'Rest', { defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM } });
  rest.root.addResource('notes').addMethod('ANY', new apigateway.MockIntegration());
  const api = new ScopedApiAccess(stack, 'Api', { identityPool: pool, api: rest });
  api.allow('/notes/*', Audience.authenticated(), 'GET', 'POST', 'PUT', 'DELETE');
  api.allow('/admin/*', Audience.group('admins'), '*');
  // Guests get no API rule: Cognito's guest scope-down leaves API Gateway out (the rule is refused).
  expect(() => api.allow('/public/*', Audience.guest(), 'GET')).toThrow(/can never work/);
  api.allow('/public/*', Audience.authenticated(), 'GET');
  api.allow('/users/{identity}/*', Audience.owner(), 'GET', 'PUT');

  const values: Record<string, string> = {
    'AWS::Partition': 'aws',
    [stack.getLogicalId(table.node.defaultChild as dynamodb.CfnTable)]: 'notes',
    [`${stack.getLogicalId(table.node.defaultChild as dynamodb.CfnTable)}.Arn`]: TABLE_ARN,
    [stack.getLogicalId(rest.node.defaultChild as apigateway.CfnRestApi)]: API_ID,
    [stack.getLogicalId(rest.deploymentStage.node.defaultChild as apigateway.CfnStage)]: 'prod',
  };
  const roleIds: Record<RoleName, string> = {
    guest: stack.getLogicalId(pool.guestRole!.node.defaultChild as any),
    authenticated: stack.getLogicalId(pool.authenticatedRole.node.defaultChild as any),
    admins: stack.getLogicalId(pool.roleForGroup('admins').node.defaultChild as any),
  };
  const template = Template.fromStack(stack).toJSON();
  const docs = {} as Record<RoleName, Doc[]>;
  for (const role of Object.keys(roleIds) as RoleName[]) {
    docs[role] = policiesOf(template, roleIds[role], values);
  }
  return docs;
}

/** Every identity policy attached to a role (managed by `Roles`, inline by `Roles`, inline in the role's `Policies`), resolved. */
function policiesOf(template: any, roleId: string, values: Record<string, string>): Doc[] {
  const docs: Doc[] = [];
  for (const inline of template.Resources[roleId].Properties.Policies ?? []) {
    docs.push(resolve(inline.PolicyDocument, values));
  }
  for (const resource of Object.values<any>(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::ManagedPolicy' && resource.Type !== 'AWS::IAM::Policy') {
      continue;
    }
    if ((resource.Properties.Roles ?? []).some((r: any) => r.Ref === roleId)) {
      docs.push(resolve(resource.Properties.PolicyDocument, values));
    }
  }
  return docs;
}

/** Resolves Ref / GetAtt Arn / Join to the fake values; any other intrinsic fails the test. */
function resolve(value: any, values: Record<string, string>): any {
  if (Array.isArray(value)) {
    return value.map(v => resolve(v, values));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if ('Ref' in value) {
    return known(values, value.Ref);
  }
  if ('Fn::GetAtt' in value) {
    return known(values, `${value['Fn::GetAtt'][0]}.${value['Fn::GetAtt'][1]}`);
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map((p: any) => resolve(p, values)).join(separator);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, values)]));
}

function known(values: Record<string, string>, name: string): string {
  if (values[name] === undefined) {
    throw new Error(`unexpected intrinsic ${name} in a policy`);
  }
  return values[name];
}

// ---------------------------------------------------------------------------------------------
// The oracle (DESIGN.md)
// ---------------------------------------------------------------------------------------------

interface Case {
  readonly id: string;
  readonly principal: Principal;
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
  readonly expected: Verdict;
  /** What pairs cases: the same request on another dimension (keys, path, principal, action). */
  readonly dims: { readonly who: string; readonly what: string; readonly where: string };
}

const OWNER_TABLE_ACTIONS = ['GetItem', 'BatchGetItem', 'ConditionCheckItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem', 'DeleteItem'];
const ADMIN_TABLE_ACTIONS = ['GetItem', 'BatchGetItem', 'ConditionCheckItem', 'Query'];
const TABLE_ACTIONS = [...OWNER_TABLE_ACTIONS, 'Scan'];

function tableOracle(p: Principal, action: string, onIndex: boolean, keys: string[] | undefined): Verdict {
  if (p.role === 'guest') {
    return 'Denied';
  }
  if (p.role === 'admins' && !onIndex && ADMIN_TABLE_ACTIONS.includes(action)) {
    return 'Allowed'; // admins read every item of the table (not the index, never Scan)
  }
  const own = keys !== undefined && keys.length > 0 && keys.every(k => k === p.id);
  const allowed = onIndex ? action === 'Query' : OWNER_TABLE_ACTIONS.includes(action);
  return own && allowed ? 'Allowed' : 'Denied';
}

function tableCases(): Case[] {
  const cases: Case[] = [];
  const keySets: Array<{ name: string; keys: (p: Principal) => string[] | undefined }> = [
    { name: 'own key', keys: p => [p.id] },
    { name: 'other key', keys: p => [p === ALICE ? BOB.id : ALICE.id] },
    { name: 'own and other keys', keys: p => [p.id, p === ALICE ? BOB.id : ALICE.id] },
    { name: 'no leading key', keys: () => undefined },
  ];
  for (const principal of PRINCIPALS) {
    for (const action of TABLE_ACTIONS) {
      for (const onIndex of [false, true]) {
        if (onIndex && action !== 'Query' && action !== 'Scan') {
          continue;
        }
        for (const keySet of keySets) {
          if (action === 'Scan' && keySet.name !== 'no leading key') {
            continue; // a Scan carries no leading keys
          }
          const keys = keySet.keys(principal);
          const where = `${onIndex ? 'index byDate' : 'table'} ${keySet.name}`;
          cases.push({
            id: `${principal.name} dynamodb:${action} on ${where}`,
            principal,
            action: `dynamodb:${action}`,
            resource: onIndex ? `${TABLE_ARN}/index/byDate` : TABLE_ARN,
            context: { [SUB]: principal.id, ...(keys ? { 'dynamodb:LeadingKeys': keys } : {}) },
            expected: tableOracle(principal, action, onIndex, keys),
            dims: { who: principal.name, what: action, where },
          });
        }
      }
    }
  }
  return cases;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const PATHS = (p: Principal) => [
  '/notes', '/notes/1', '/notes/1/comments', '/notesX', '/admin', '/admin/users', '/public/a', '/public',
  `/users/${p.id}`, `/users/${p.id}/profile`, `/users/${p === ALICE ? BOB.id : ALICE.id}`, '/other', '/',
];

function apiOracle(p: Principal, method: string, path: string): Verdict {
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  const signedIn = p.role !== 'guest';
  if (under('/notes') && signedIn && ['GET', 'POST', 'PUT', 'DELETE'].includes(method)) {
    return 'Allowed';
  }
  if (under('/admin') && p.role === 'admins') {
    return 'Allowed';
  }
  if (under('/public') && signedIn && method === 'GET') {
    return 'Allowed';
  }
  if (under(`/users/${p.id}`) && signedIn && ['GET', 'PUT'].includes(method)) {
    return 'Allowed';
  }
  return 'Denied';
}

function apiCases(): Case[] {
  const cases: Case[] = [];
  for (const principal of PRINCIPALS) {
    for (const method of METHODS) {
      for (const path of PATHS(principal)) {
        const where = path.replace(principal.id, '<own id>').replace(/us-east-1:[a-z0-9-]+/, '<other id>');
        cases.push({
          id: `${principal.name} ${method} ${where}`,
          principal,
          action: 'execute-api:Invoke',
          resource: `${STAGE_ARN}/${method}${path}`,
          context: { [SUB]: principal.id },
          expected: apiOracle(principal, method, path),
          dims: { who: principal.name, what: method, where },
        });
      }
    }
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

function evaluate(docs: Doc[], c: Case): Verdict {
  const identityPolicies = docs.map((doc, i) => {
    const policy = createValidatedPolicy(doc, validateIdentityPolicy, { name: `policy${i}` });
    expect(policy.errors).toEqual([]);
    return { name: `policy${i}`, policy };
  });
  const result = runUnsafeSimulation({
    request: {
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${c.principal.role}/CognitoIdentityCredentials`,
      action: c.action,
      resource: { resource: c.resource, accountId: ACCOUNT },
      contextVariables: c.context,
    },
    identityPolicies: identityPolicies as any,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }, {});
  return result === 'Allowed' ? 'Allowed' : 'Denied';
}

function wrong(docs: Record<RoleName, Doc[]>, cases: Case[]): string[] {
  return cases.filter(c => evaluate(docs[c.principal.role], c) !== c.expected).map(c => `${c.id}: expected ${c.expected}`);
}

/** A deep copy of the role documents with every string passed through `edit`, and statements filtered. */
function mutate(docs: Record<RoleName, Doc[]>, edit: (statement: any) => any): Record<RoleName, Doc[]> {
  const copy = JSON.parse(JSON.stringify(docs)) as Record<RoleName, Doc[]>;
  for (const list of Object.values(copy)) {
    for (const doc of list) {
      doc.Statement = doc.Statement.map(edit);
    }
  }
  return copy;
}

function mapResources(s: any, f: (r: string) => string) {
  const list: string[] = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
  return { ...s, Resource: list.map(f) };
}

const MUTANTS: Array<{ name: string; edit: (s: any) => any }> = [
  {
    name: 'Null guard removed',
    edit: s => {
      if (!s.Condition?.Null) {
        return s;
      }
      const { Null: _, ...rest } = s.Condition;
      return { ...s, Condition: rest };
    },
  },
  {
    name: 'ForAllValues weakened to ForAnyValue',
    edit: s => {
      if (!s.Condition?.['ForAllValues:StringEquals']) {
        return s;
      }
      const { ['ForAllValues:StringEquals']: keys, ...rest } = s.Condition;
      return { ...s, Condition: { ...rest, 'ForAnyValue:StringEquals': keys } };
    },
  },
  { name: 'route wildcard widened (/notes -> /notes*)', edit: s => mapResources(s, r => r.replace(/\/notes$/, '/notes*')) },
  { name: 'route wildcard widened (/admin/* -> /*)', edit: s => mapResources(s, r => r.replace(/\/admin\/\*$/, '/*')) },
  { name: 'owner identity widened (${sub} -> *)', edit: s => mapResources(s, r => r.replace('${cognito-identity.amazonaws.com:sub}', '*')) },
];

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('table and API security matrix (synthesized policies, iam-simulate)', () => {
  const docs = synthesize();
  const table = tableCases();
  const api = apiCases();
  const all = [...table, ...api];

  test('every signed-in role has policies, the guest role none, and every policy validates', () => {
    // No table or API rule may reach guests here (a guest API rule is refused), so nothing does.
    expect(docs.guest).toEqual([]);
    for (const role of ['authenticated', 'admins'] as RoleName[]) {
      expect(docs[role].length).toBeGreaterThan(0);
      for (const doc of docs[role]) {
        expect(validateIdentityPolicy(doc)).toEqual([]);
      }
    }
  });

  test('every expected deny is paired with an allowed case', () => {
    // The distance of a deny to the nearest allowed request of the same service, in dimensions
    // (who, what, where). Distance 1 is a minimal pair; some denies have no minimal pair because
    // nothing is ever allowed along a dimension (Scan for anyone, POST for guests), so they pair
    // at distance 2 instead. None may be unpaired.
    const allows = all.filter(c => c.expected === 'Allowed');
    const distance = (d: Case) => Math.min(...allows.filter(a => a.action.split(':')[0] === d.action.split(':')[0])
      .map(a => [a.dims.who !== d.dims.who, a.dims.what !== d.dims.what, a.dims.where !== d.dims.where].filter(Boolean).length));
    const denies = all.filter(c => c.expected === 'Denied');
    // Guests have no table rule at all: their table denies may be further from an allow.
    expect(denies.filter(d => distance(d) > (d.principal === GUEST && d.action.startsWith('dynamodb:') ? 3 : 2)).map(d => d.id)).toEqual([]);
    // The security claims have minimal pairs.
    for (const id of ['alice dynamodb:PutItem on table other key', 'alice dynamodb:Query on table no leading key', 'carol(admin) dynamodb:Scan on table no leading key',
      'bob GET /users/<other id>', 'alice GET /other', 'alice GET /notesX', 'alice GET /admin', 'guest GET /notes']) {
      expect([id, distance(all.find(c => c.id === id)!)]).toEqual([id, 1]);
    }
    // eslint-disable-next-line no-console
    console.log(`table/API matrix pairing: ${denies.length} denies, ${denies.filter(d => distance(d) === 1).length} with a minimal pair, the rest at distance 2 (3 for guests on the table)`);
  });

  test('the DynamoDB cases: own partition allowed, other partition, Scan and no leading key denied, index Query allowed', () => {
    const named = (id: string) => table.find(c => c.id === id)!;
    expect(named('alice dynamodb:PutItem on table own key').expected).toBe('Allowed');
    expect(named('alice dynamodb:PutItem on table other key').expected).toBe('Denied');
    expect(named('alice dynamodb:Scan on table no leading key').expected).toBe('Denied');
    expect(named('alice dynamodb:Query on table no leading key').expected).toBe('Denied');
    expect(named('alice dynamodb:Query on index byDate own key').expected).toBe('Allowed');
    expect(wrong(docs, table)).toEqual([]);
  });

  test('the API cases: guest / authenticated / group member x methods x paths, including paths outside every rule', () => {
    expect(wrong(docs, api)).toEqual([]);
    expect(api.filter(c => c.dims.where === '/other' || c.dims.where === '/').every(c => c.expected === 'Denied')).toBe(true);
  });

  test('every mutant flips at least one verdict', () => {
    const caught = MUTANTS.map(m => ({ name: m.name, flipped: wrong(mutate(docs, m.edit), all).length }));
    const survivors = caught.filter(m => m.flipped === 0).map(m => m.name);
    const allowed = all.filter(c => c.expected === 'Allowed').length;
    // eslint-disable-next-line no-console
    console.log(`table/API matrix: ${all.length} cases (${table.length} DynamoDB, ${api.length} API; ${allowed} allowed, ${all.length - allowed} denied); `
      + `mutants caught ${caught.length - survivors.length}/${caught.length}: ${caught.map(m => `${m.name} (${m.flipped} verdicts)`).join('; ')}`);
    expect(survivors).toEqual([]);
  });
});
