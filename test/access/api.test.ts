import { Audience } from '../../src/access/audience';
import { ApiPolicyOptions, ApiRule, compileApiPolicies, parseMethods, routeArns } from '../../src/access/private/api';
import { Statement, toIamJson } from '../../src/access/private/fit';
import { ValidationError } from '../../src/private/errors';

const STAGE = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod';
const SUB = '${cognito-identity.amazonaws.com:sub}';
const ANY_ID = 'us-east-1:????????-????-????-????-????????????';
const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

function compile(rules: ApiRule[], options: Partial<ApiPolicyOptions> = {}) {
  return compileApiPolicies(rules, { stageArn: STAGE, identityRegion: 'us-east-1', mappedTags: ['tenant'], ...options });
}

function json(statements: readonly Statement[] | undefined) {
  expect(statements).toBeDefined();
  return statements!.map(toIamJson);
}

function fails(run: () => unknown, message: RegExp) {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as Error).message).toMatch(message);
}

describe('parseMethods', () => {
  test('normalizes case, removes duplicates and sorts', () => {
    expect(parseMethods(['post', 'GET', 'Get'])).toEqual(['GET', 'POST']);
  });

  test('* and ANY are every method', () => {
    const all = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
    expect(parseMethods(['*'])).toEqual(all);
    expect(parseMethods(['any'])).toEqual(all);
  });
});

describe('routeArns', () => {
  test('a path covers itself and everything below it; the root is one wildcard after the method', () => {
    expect(routeArns(STAGE, 'GET', [{ kind: 'literal', value: 'notes' }])).toEqual([`${STAGE}/GET/notes`, `${STAGE}/GET/notes/*`]);
    expect(routeArns(STAGE, 'GET', [])).toEqual([`${STAGE}/GET/*`]);
  });

  test('the method slot never holds a wildcard: it would also match `/` and reach other routes', () => {
    expect(() => routeArns(STAGE, '*', [{ kind: 'literal', value: 'admin' }])).toThrow(/method slot/);
    expect(() => routeArns(STAGE, 'G*', [])).toThrow(/method slot/);
  });
});

describe('compileApiPolicies', () => {
  test('authenticated methods on /notes/*: the path and below, only those methods', () => {
    // WHEN
    const { views } = compile([{ path: '/notes/*', audience: Audience.authenticated(), methods: ['GET', 'POST'] }]);

    // THEN
    expect(views.get('guest')).toEqual([]);
    expect(json(views.get('authenticated'))).toEqual([{
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: [`${STAGE}/GET/notes`, `${STAGE}/GET/notes/*`, `${STAGE}/POST/notes`, `${STAGE}/POST/notes/*`],
    }]);
  });

  test('* lists the seven methods one by one, never a wildcard in the method slot', () => {
    // WHEN
    const { views } = compile([{ path: '/admin/*', audience: Audience.group('admins'), methods: ['*'] }]);

    // THEN: `<stage>/*/admin` would also match `<stage>/GET/notes/1/admin`
    expect(views.get('authenticated')).toEqual([]);
    expect(json(views.get('group:admins'))).toEqual([{
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: METHODS.flatMap(m => [`${STAGE}/${m}/admin`, `${STAGE}/${m}/admin/*`]),
    }]);
  });

  test('no resource of any statement holds a wildcard right after the stage', () => {
    // WHEN: every method, on the root, on a nested path and with a Deny
    const { views } = compile([
      { path: '/*', audience: Audience.group('admins'), methods: ['*'] },
      { path: '/notes/*', audience: Audience.authenticated(), methods: ['ANY'] },
      { path: '/notes/admin/*', audience: Audience.group('admins'), methods: ['*'] },
    ]);

    // THEN
    for (const statements of views.values()) {
      for (const resource of statements.flatMap(s => s.resources)) {
        expect(resource.startsWith(`${STAGE}/`)).toBe(true);
        expect(METHODS).toContain(resource.slice(STAGE.length + 1).split('/')[0]);
      }
    }
  });

  test('{identity} is the caller for the owner and any identity for others', () => {
    // WHEN
    const { views } = compile([
      { path: '/users/{identity}/*', audience: Audience.owner(), methods: ['PUT'] },
      { path: '/users/{identity}/*', audience: Audience.authenticated(), methods: ['GET'] },
    ]);

    // THEN
    expect(json(views.get('authenticated'))).toEqual([{
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: [`${STAGE}/GET/users/${ANY_ID}`, `${STAGE}/GET/users/${ANY_ID}/*`, `${STAGE}/PUT/users/${SUB}`, `${STAGE}/PUT/users/${SUB}/*`],
    }]);
  });

  test('a tag segment is guarded: set, non-empty, no slash', () => {
    // WHEN
    const { views } = compile([{ path: '/tenants/{tag:tenant}/*', audience: Audience.authenticated(), methods: ['GET'] }]);

    // THEN
    expect(json(views.get('authenticated'))).toEqual([{
      Effect: 'Allow',
      Action: 'execute-api:Invoke',
      Resource: [`${STAGE}/GET/tenants/\${aws:PrincipalTag/tenant}`, `${STAGE}/GET/tenants/\${aws:PrincipalTag/tenant}/*`],
      Condition: { StringLike: { 'aws:PrincipalTag/tenant': '?*' }, StringNotLike: { 'aws:PrincipalTag/tenant': '*/*' } },
    }]);
  });

  test('an inner route takes methods away with a Deny for the views it does not grant', () => {
    // WHEN
    const { views } = compile([
      { path: '/notes/*', audience: Audience.authenticated(), methods: ['GET', 'DELETE'] },
      { path: '/notes/archive/*', audience: Audience.group('admins'), methods: ['*'] },
    ]);

    // THEN
    expect(json(views.get('authenticated'))).toContainEqual({
      Effect: 'Deny',
      Action: 'execute-api:Invoke',
      Resource: [`${STAGE}/DELETE/notes/archive`, `${STAGE}/DELETE/notes/archive/*`, `${STAGE}/GET/notes/archive`, `${STAGE}/GET/notes/archive/*`],
    });
    expect(json(views.get('group:admins')).every(s => s.Effect === 'Allow')).toBe(true);
  });

  test('the root route /* covers every path', () => {
    // WHEN
    const { views } = compile([{ path: '/*', audience: Audience.group('ops'), methods: ['GET'] }]);

    // THEN
    expect(json(views.get('group:ops'))).toEqual([{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${STAGE}/GET/*` }]);
  });
});

describe('compileApiPolicies bad input', () => {
  const rule = (path: string, methods: string[] = ['GET'], audience = Audience.authenticated()) => () => compile([{ path, audience, methods }]);

  test('fails for a route without a leading slash', () => {
    fails(rule('notes/*'), /`path`: A route pattern must start with `\/` \(received "notes\/\*"\)\. Write `\/notes\/\*`/);
  });

  test('fails for a route not ending in /*', () => {
    fails(rule('/notes'), /`path`: A path must end with `\/\*`/);
  });

  test('fails for a wildcard inside the route', () => {
    fails(rule('/notes/*/x/*'), /`path`: A `\*` may only appear in the final `\/\*`/);
  });

  test('fails for an unknown method', () => {
    fails(rule('/notes/*', ['FETCH']), /`methods`: is not an HTTP method that API Gateway routes \(received "FETCH"\)/);
  });

  test('fails without methods', () => {
    fails(rule('/notes/*', []), /`methods`: A route rule needs at least one HTTP method/);
  });

  test('fails for {identity} before the last segment for a non-owner', () => {
    fails(rule('/users/{identity}/notes/*'), /`path`: For `authenticated` a `\{identity\}` segment becomes the shape of any identity id in IAM/);
  });

  test('fails for the owner without {identity}', () => {
    fails(rule('/notes/*', ['GET'], Audience.owner()), /`path`: `Audience.owner\(\)` needs a `\{identity\}` segment/);
  });

  test('fails for an inner route that IAM cannot carve out', () => {
    fails(() => compile([
      { path: '/notes/*', audience: Audience.authenticated(), methods: ['GET'] },
      { path: '/notes/{identity}/*', audience: Audience.owner(), methods: ['GET'] },
    ]), /IAM cannot deny GET/);
  });
});
