// listPaths is how the Amplify libraries read `storage.buckets[].paths` (the Storage Browser's
// locations); it is exported only from @aws-amplify/storage, which aws-amplify itself depends on.
// eslint-disable-next-line import/no-extraneous-dependencies
import { listPaths } from '@aws-amplify/storage/internals';
import { Amplify } from 'aws-amplify';
import { downloadData, getProperties, getUrl, list, remove, uploadData } from 'aws-amplify/storage';
import { Annotations, Template, Match } from 'aws-cdk-lib/assertions';
import { deployedConfig, fakeValues, REGION } from './outputs';
import { buildNotesApp } from '../../examples/notes-app';
import { Access, Audience } from '../../src';
import { Context, evaluatePrepared, policiesOf, prepareIdentity, PreparedPolicies, Verdict } from '../security/harness';

/*
 * DESIGN.md: "What the client configuration advertises, IAM allows". Checked with aws-amplify's
 * own Storage client (v6): the notes app's ClientConfig Output is given to Amplify.configure(),
 * Amplify resolves each identity's locations from it (listPaths, what the Storage Browser shows),
 * and every operation a location advertises (list, get, upload small and multipart, remove) runs
 * against a fake S3 behind `fetch`. Each HTTP request Amplify really sends is translated into
 * what S3 authorizes (action, resource ARN, condition keys; the model below is written from AWS's
 * S3 documentation, not from this library) and decided with @cloud-copilot/iam-simulate against
 * the synthesized policies of the role that identity receives. A denied request gets S3's 403.
 *
 * The app is the notes app plus a write-only drop box (`inbox/*`, WRITE for authenticated).
 */

const ACCOUNT = '123456789012';
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The app and its policies
// ---------------------------------------------------------------------------------------------

type RoleName = 'guest' | 'authenticated' | 'admins';

const { stack } = buildNotesApp();
stack.files.allow('inbox/*', Audience.authenticated(), Access.WRITE); // a drop box: write, never read back
const template = Template.fromStack(stack).toJSON();
const outputs = deployedConfig(template);
const BUCKET: string = outputs.storage.bucket_name;
const policies = rolePolicies();

/** The identity policies of each role of the pool, with the same fake deployed values as the Output. */
function rolePolicies(): Record<RoleName, PreparedPolicies> {
  const values = fakeValues(template);
  for (const [id, r] of Object.entries<any>(template.Resources)) {
    const service = String(r.Type).split('::')[1].toLowerCase();
    values[`${id}.Arn`] = r.Type === 'AWS::S3::Bucket'
      ? `arn:aws:s3:::${values[id]}`
      : `arn:aws:${service}:${REGION}:${ACCOUNT}:${r.Type === 'AWS::DynamoDB::GlobalTable' ? 'table/' : ''}${values[id]}`;
  }
  if (values[stack.getLogicalId(stack.files.bucket.node.defaultChild as any)] !== BUCKET) {
    throw new Error('the policies and the configuration name different buckets');
  }
  const idOf = (role: any) => stack.getLogicalId(role.node.defaultChild);
  const roles: Record<RoleName, string> = {
    guest: idOf(stack.identities.guestRole!),
    authenticated: idOf(stack.identities.authenticatedRole),
    admins: idOf(stack.identities.roleForGroup('admins')),
  };
  const prepared = Object.entries(roles).map(([name, id]) => [name, prepareIdentity(policiesOf(template, id, values))]);
  return Object.fromEntries(prepared) as Record<RoleName, PreparedPolicies>;
}

// ---------------------------------------------------------------------------------------------
// Who signs in: the role each identity receives (the group's role for a member of `admins`)
// ---------------------------------------------------------------------------------------------

interface Person {
  readonly name: string;
  readonly role: RoleName;
  readonly identityId: string;
  readonly groups?: string[];
  readonly tenant?: string;
}

const GUEST: Person = { name: 'guest', role: 'guest', identityId: `${REGION}:00000001-aaaa-4bbb-8ccc-000000000001` };
const ALICE: Person = { name: 'alice (user)', role: 'authenticated', identityId: `${REGION}:00000002-aaaa-4bbb-8ccc-000000000002`, tenant: 'tenant-a' };
const BOB: Person = { name: 'bob (other user)', role: 'authenticated', identityId: `${REGION}:00000003-aaaa-4bbb-8ccc-000000000003`, tenant: 'tenant-b' };
const CAROL: Person = { name: 'carol (admins)', role: 'admins', identityId: `${REGION}:00000004-aaaa-4bbb-8ccc-000000000004`, groups: ['admins'], tenant: 'tenant-a' };

let current: Person = GUEST;

/** Amplify.configure() with the Output (or another configuration) and this person's (fake) credentials and tokens. */
function signIn(p: Person, config: any = outputs): void {
  current = p;
  const jwt = (payload: Record<string, unknown>) => ({ payload: payload as any, toString: () => 'header.payload.signature' });
  Amplify.configure(config, {
    Auth: {
      credentialsProvider: {
        getCredentialsAndIdentityId: async () => ({
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
          identityId: p.identityId,
        }),
        clearCredentialsAndIdentityId: () => undefined,
      },
      tokenProvider: {
        getTokens: async () => (p.role === 'guest' ? null : {
          accessToken: jwt({ sub: p.name, ...(p.groups ? { 'cognito:groups': p.groups } : {}) }),
          idToken: jwt({ sub: p.name, ...(p.groups ? { 'cognito:groups': p.groups } : {}) }),
        }),
      },
    },
  });
}

// ---------------------------------------------------------------------------------------------
// What S3 authorizes for each request (AWS docs: "Required permissions for Amazon S3 API
// operations" and each API's Permissions section; the ListBucket condition keys from the Service
// Authorization Reference for Amazon S3)
// ---------------------------------------------------------------------------------------------

interface Check {
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
  verdict?: Verdict;
}

interface Sent {
  readonly who: string;
  readonly api: string;
  readonly key: string;
  readonly checks: Check[];
}

/**
 * The S3 API of a request and what S3 authorizes for it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
function s3Api(method: string, url: URL, body: string | undefined): { api: string; key: string; checks: Check[] } {
  if (url.hostname !== `${BUCKET}.s3.${REGION}.amazonaws.com`) {
    throw new Error(`a request to another host: ${url.hostname}`);
  }
  const key = url.pathname.slice(1).split('/').map(decodeURIComponent).join('/');
  const q = url.searchParams;
  const object = (action: string): Check => ({ action, resource: `arn:aws:s3:::${BUCKET}/${key}`, context: {} });
  if (key === '' && method === 'GET' && q.get('list-type') === '2') {
    const context: Context = {};
    for (const [param, conditionKey] of [['prefix', 's3:prefix'], ['delimiter', 's3:delimiter'], ['max-keys', 's3:max-keys']]) {
      if (q.has(param)) {
        context[conditionKey] = q.get(param)!;
      }
    }
    const delimiter = q.has('delimiter') ? ` delimiter=${q.get('delimiter')}` : '';
    return { api: 'ListObjectsV2', key: `${q.get('prefix') ?? ''}${delimiter}`, checks: [{ action: 's3:ListBucket', resource: `arn:aws:s3:::${BUCKET}`, context }] };
  }
  if (key === '' && method === 'POST' && q.has('delete')) {
    // DeleteObjects: S3 authorizes s3:DeleteObject for each key of the request
    const keys = [...(body ?? '').matchAll(/<Key>([^<]*)<\/Key>/g)].map(m => m[1]);
    return { api: 'DeleteObjects', key: keys.join(','), checks: keys.map(k => ({ action: 's3:DeleteObject', resource: `arn:aws:s3:::${BUCKET}/${k}`, context: {} })) };
  }
  if (key === '') {
    throw new Error(`a bucket request the model does not know: ${method} ${url.search}`);
  }
  if (method === 'GET' && q.has('uploadId')) {
    return { api: 'ListParts', key, checks: [object('s3:ListMultipartUploadParts')] };
  }
  if (method === 'GET') {
    return { api: 'GetObject', key, checks: [object('s3:GetObject')] };
  }
  if (method === 'HEAD') {
    return { api: 'HeadObject', key, checks: [object('s3:GetObject')] };
  }
  if (method === 'POST' && q.has('uploads')) {
    return { api: 'CreateMultipartUpload', key, checks: [object('s3:PutObject')] };
  }
  if (method === 'PUT' && q.has('uploadId')) {
    return { api: 'UploadPart', key, checks: [object('s3:PutObject')] };
  }
  if (method === 'POST' && q.has('uploadId')) {
    return { api: 'CompleteMultipartUpload', key, checks: [object('s3:PutObject')] };
  }
  if (method === 'PUT') {
    return { api: 'PutObject', key, checks: [object('s3:PutObject')] };
  }
  if (method === 'DELETE' && q.has('uploadId')) {
    return { api: 'AbortMultipartUpload', key, checks: [object('s3:AbortMultipartUpload')] };
  }
  if (method === 'DELETE') {
    return { api: 'DeleteObject', key, checks: [object('s3:DeleteObject')] };
  }
  throw new Error(`an object request the model does not know: ${method} ${url.pathname}${url.search}`);
}

/** iam-simulate's verdict for the signed-in person. */
function decide(p: Person, check: Check): Verdict {
  return evaluatePrepared(policies[p.role], {
    principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${p.role}/CognitoIdentityCredentials`,
    action: check.action,
    resource: check.resource,
    accountId: ACCOUNT,
    context: {
      'cognito-identity.amazonaws.com:sub': p.identityId,
      'aws:SecureTransport': 'true',
      ...(p.tenant !== undefined ? { 'aws:PrincipalTag/tenant': p.tenant } : {}),
      ...check.context,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// A fake S3 behind fetch: it stores sizes, answers what Amplify parses, and refuses what IAM denies
// ---------------------------------------------------------------------------------------------

const objects = new Map<string, number>();
const parts = new Map<string, Map<number, number>>();
let sent: Sent[] = [];

function sizeOf(body: unknown): number {
  if (body === undefined || body === null) {
    return 0;
  }
  if (typeof body === 'string') {
    return Buffer.byteLength(body);
  }
  if (body instanceof Blob) {
    return body.size;
  }
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) {
    return body.byteLength;
  }
  throw new Error(`a request body the fake S3 cannot measure: ${Object.prototype.toString.call(body)}`);
}

function xml(text: string, status = 200): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`, { status, headers: { 'content-type': 'application/xml' } });
}

async function fakeS3(input: unknown, init: RequestInit | undefined): Promise<Response> {
  const url = new URL(String(input));
  const method = (init?.method ?? 'GET').toUpperCase();
  const body = init?.body;
  const text = typeof body === 'string' ? body : undefined;
  const { api, key, checks } = s3Api(method, url, text);
  checks.forEach(c => (c.verdict = decide(current, c)));
  sent.push({ who: current.name, api, key, checks });
  const denied = checks.filter(c => c.verdict !== 'Allowed');
  if (api === 'DeleteObjects') {
    const results = checks.map(c => {
      const k = c.resource.slice(`arn:aws:s3:::${BUCKET}/`.length);
      if (c.verdict === 'Allowed') {
        objects.delete(k);
        return `<Deleted><Key>${k}</Key></Deleted>`;
      }
      return `<Error><Key>${k}</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`;
    });
    return xml(`<DeleteResult>${results.join('')}</DeleteResult>`);
  }
  if (denied.length > 0) {
    return method === 'HEAD'
      ? new Response(null, { status: 403 })
      : xml('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>', 403);
  }
  const q = url.searchParams;
  switch (api) {
    case 'ListObjectsV2': {
      const prefix = q.get('prefix') ?? '';
      const keys = [...objects.keys()].filter(k => k.startsWith(prefix)).sort();
      // S3 URL-encodes the keys, prefix and delimiter of its answer only when asked to
      const urlEncoded = q.get('encoding-type') === 'url';
      const enc = (v: string) => (urlEncoded ? encodeURIComponent(v) : v);
      return xml(`<ListBucketResult><Name>${BUCKET}</Name><Prefix>${enc(prefix)}</Prefix>`
        + `${q.has('delimiter') ? `<Delimiter>${enc(q.get('delimiter')!)}</Delimiter>` : ''}<MaxKeys>${q.get('max-keys')}</MaxKeys>`
        + `${urlEncoded ? '<EncodingType>url</EncodingType>' : ''}<KeyCount>${keys.length}</KeyCount><IsTruncated>false</IsTruncated>`
        + keys.map(k => `<Contents><Key>${enc(k)}</Key><Size>${objects.get(k)}</Size><ETag>"e"</ETag><LastModified>2026-01-01T00:00:00.000Z</LastModified></Contents>`).join('')
        + '</ListBucketResult>');
    }
    case 'GetObject':
    case 'HeadObject': {
      const size = objects.get(key);
      if (size === undefined) {
        return method === 'HEAD' ? new Response(null, { status: 404 }) : xml('<Error><Code>NoSuchKey</Code><Message>No such key</Message></Error>', 404);
      }
      return new Response(method === 'HEAD' ? null : 'x'.repeat(size), {
        status: 200,
        headers: { 'content-length': String(size), 'content-type': 'text/plain', 'etag': '"e"', 'last-modified': 'Thu, 01 Jan 2026 00:00:00 GMT' },
      });
    }
    case 'PutObject':
      objects.set(key, sizeOf(body));
      return new Response(null, { status: 200, headers: { etag: '"e"' } });
    case 'CreateMultipartUpload': {
      const uploadId = `upload-${parts.size + 1}`;
      parts.set(uploadId, new Map());
      return xml(`<InitiateMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${key}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`);
    }
    case 'UploadPart':
      parts.get(q.get('uploadId')!)!.set(Number(q.get('partNumber')), sizeOf(body));
      return new Response(null, { status: 200, headers: { etag: `"part-${q.get('partNumber')}"` } });
    case 'CompleteMultipartUpload': {
      const uploaded = parts.get(q.get('uploadId')!)!;
      objects.set(key, [...uploaded.values()].reduce((a, b) => a + b, 0));
      parts.delete(q.get('uploadId')!);
      return xml(`<CompleteMultipartUploadResult><Bucket>${BUCKET}</Bucket><Key>${key}</Key><ETag>"complete"</ETag></CompleteMultipartUploadResult>`);
    }
    case 'DeleteObject':
      objects.delete(key);
      return new Response(null, { status: 204 });
    default:
      throw new Error(`the fake S3 does not answer ${api}`);
  }
}

/** A browser's FileReader (aws-amplify's client code reads Blobs with it; Node has none). */
class BlobReader {
  public result: ArrayBuffer | null = null;
  public error: unknown = null;
  public onload?: () => void;
  public onerror?: () => void;
  public onabort?: () => void;
  public readAsArrayBuffer(blob: Blob): void {
    blob.arrayBuffer().then(r => {
      this.result = r;
      this.onload?.();
    }, e => {
      this.error = e;
      this.onerror?.();
    });
  }
}

beforeAll(() => {
  (globalThis as any).FileReader ??= BlobReader;
  jest.spyOn(globalThis, 'fetch').mockImplementation(fakeS3 as typeof fetch);
});

afterAll(async () => {
  jest.restoreAllMocks();
  // aws-amplify re-detects the framework once, a second after it first signs a request.
  await new Promise(resolve => setTimeout(resolve, 1100));
});

// ---------------------------------------------------------------------------------------------
// Operations: what the app does with a location, through aws-amplify/storage
// ---------------------------------------------------------------------------------------------

interface Outcome {
  readonly operation: string;
  readonly error?: string;
  readonly requests: Sent[];
}

async function run(operation: string, f: () => Promise<unknown>): Promise<Outcome> {
  sent = [];
  let error: string | undefined;
  try {
    await f();
  } catch (e) {
    error = `${(e as Error).name}: ${(e as Error).message}`;
  }
  return { operation, error, requests: sent };
}

/** A fetch of a presigned URL, as a browser does with getUrl()'s result. */
async function open(url: URL): Promise<void> {
  const response = await fetch(url);
  if (response.status !== 200) {
    throw new Error(`GET ${url.pathname}: ${response.status}`);
  }
}

/** Every operation a location's permission advertises, with keys inside the location. */
async function operations(folder: string, permission: string, options: { hasGet: boolean }): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const big = () => new Uint8Array(6 * MiB); // over the 5 MiB part size: a multipart upload
  switch (permission) {
    case 'list':
      objects.set(`${folder}listed.txt`, 4);
      objects.set(`${folder}sub/nested.txt`, 4);
      outcomes.push(await run('list', () => list({ path: folder })));
      outcomes.push(await run('list (subpaths excluded)', () => list({ path: folder, options: { subpathStrategy: { strategy: 'exclude' } } })));
      outcomes.push(await run('list (all pages)', () => list({ path: folder, options: { listAll: true } })));
      break;
    case 'get':
      objects.set(`${folder}file.txt`, 5);
      outcomes.push(await run('downloadData', () => downloadData({ path: `${folder}file.txt` }).result));
      outcomes.push(await run('getProperties', () => getProperties({ path: `${folder}file.txt` })));
      outcomes.push(await run('getUrl (validated) + open', async () => open((await getUrl({ path: `${folder}file.txt`, options: { validateObjectExistence: true } })).url)));
      break;
    case 'write':
      outcomes.push(await run('uploadData (small)', () => uploadData({ path: `${folder}small.txt`, data: 'hello' }).result));
      // A write-only location: the large upload the synth warning recommends (no HEAD afterwards)
      outcomes.push(options.hasGet
        ? await run('uploadData (multipart)', () => uploadData({ path: `${folder}big.bin`, data: big() }).result)
        : await run('uploadData (multipart, crc-32)', () => uploadData({ path: `${folder}big.bin`, data: big(), options: { checksumAlgorithm: 'crc-32' } }).result));
      break;
    case 'delete':
      objects.set(`${folder}old.txt`, 3);
      objects.set(`${folder}album/1.jpg`, 3);
      objects.set(`${folder}album/2.jpg`, 3);
      outcomes.push(await run('remove', () => remove({ path: `${folder}old.txt` }).result));
      outcomes.push(await run('remove (folder)', () => remove({ path: `${folder}album/` }).result));
      break;
    default:
      throw new Error(`a permission the test does not know: ${permission}`);
  }
  return outcomes;
}

/** Problems of an outcome: an error, or a request that was not allowed. */
function problems(o: Outcome): string[] {
  return [
    ...(o.error ? [`${o.operation}: ${o.error}`] : []),
    ...o.requests.flatMap(r => r.checks.filter(c => c.verdict !== 'Allowed')
      .map(c => `${o.operation}: ${r.api} ${c.action} ${c.resource} ${JSON.stringify(c.context)} was ${c.verdict}`)),
  ];
}

/** `API action key` per request, with the identity ids abbreviated. */
function shape(o: Outcome): string[] {
  return o.requests.map(r => `${r.api} ${[...new Set(r.checks.map(c => c.action))].join(',')} ${abbreviate(r.key)}${r.checks.some(c => c.verdict !== 'Allowed') ? ' DENIED' : ''}`);
}

function abbreviate(text: string): string {
  return [GUEST, ALICE, BOB, CAROL].reduce((t, p) => t.split(p.identityId).join(`<${p.name.split(' ')[0]}>`), text);
}

async function locationsOf(p: Person): Promise<Array<{ prefix: string; permission: string[] }>> {
  signIn(p);
  const { locations } = await listPaths();
  return locations.map(l => ({ prefix: abbreviate(l.prefix), permission: [...(l.permission ?? [])] }));
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('what aws-amplify reads from the configuration', () => {
  test('each identity gets the locations its role allows', async () => {
    const RWD = ['get', 'list', 'write', 'delete'];
    expect(await locationsOf(GUEST)).toEqual([
      { prefix: 'public/*', permission: ['get', 'list'] },
    ]);
    expect(await locationsOf(ALICE)).toEqual([
      { prefix: 'public/*', permission: RWD },
      { prefix: 'protected/<alice>/*', permission: RWD },
      { prefix: 'private/<alice>/*', permission: RWD },
      { prefix: 'inbox/*', permission: ['write'] },
    ]);
    expect(await locationsOf(BOB)).toEqual([
      { prefix: 'public/*', permission: RWD },
      { prefix: 'protected/<bob>/*', permission: RWD },
      { prefix: 'private/<bob>/*', permission: RWD },
      { prefix: 'inbox/*', permission: ['write'] },
    ]);
    // Amplify's resolver gives a group member the authenticated and group entries, never the
    // `entityidentity` ones (README: the policies still give carol her own folders)
    expect(await locationsOf(CAROL)).toEqual([
      { prefix: 'public/*', permission: RWD },
      { prefix: 'inbox/*', permission: ['write'] },
    ]);
  });

  test('no location lists a folder that no identity owns (protected/, private/)', () => {
    const paths = Object.keys(outputs.storage.buckets[0].paths);
    expect(paths).not.toContain('protected/*');
    expect(paths).not.toContain('private/*');
    // and the synth says where those rules went
    const infos = Annotations.fromStack(stack).findInfo('/NotesApp/ClientConfig', Match.stringLikeRegexp('.*'));
    const messages = infos.map(i => String(i.entry.data));
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/`protected\/\{identity\}\/\*` for authenticated .*'protected\/<identityId>\/'/),
      expect.stringMatching(/`private\/\{identity\}\/\*` for group:admins .*'private\/<identityId>\/'/),
    ]));
  });
});

describe('aws-amplify matches a group to the first audience key that contains its name', () => {
  afterEach(() => signIn(GUEST)); // back to the notes app's configuration

  test('a member of `admin` gets the `groupsadmins` location (why ClientConfig warns about such names)', async () => {
    // GIVEN a configuration with groups `admins` and `admin`, and a path for `admins` only
    const config = {
      ...outputs,
      auth: { ...outputs.auth, groups: [{ admins: { precedence: 0 } }, { admin: { precedence: 1 } }] },
      storage: { ...outputs.storage, buckets: [{ ...outputs.storage.buckets[0], paths: { 'reports/*': { groupsadmins: ['get', 'list'] } } }] },
    };
    signIn({ ...ALICE, groups: ['admin'] }, config);
    // WHEN
    const { locations } = await listPaths();
    // THEN
    expect(locations.map(l => [l.prefix, l.permission])).toEqual([['reports/*', ['get', 'list']]]);
  });
});

describe.each([GUEST, ALICE, BOB, CAROL])('every operation advertised to $name is allowed', (person) => {
  test('list, get, upload (small and multipart) and remove in each of its locations', async () => {
    // GIVEN the locations Amplify resolves for this identity
    signIn(person);
    const { locations } = await listPaths();
    expect(locations.length).toBeGreaterThan(0);
    // WHEN the app uses each one as the Storage Browser does (the location's prefix without `*`)
    const outcomes: Outcome[] = [];
    for (const location of locations) {
      expect(location.bucket).toBe(BUCKET);
      expect(location.prefix.endsWith('/*')).toBe(true);
      const folder = location.prefix.slice(0, -1);
      const permissions = location.permission ?? [];
      for (const permission of permissions) {
        outcomes.push(...(await operations(folder, permission, { hasGet: permissions.includes('get') }))
          .map(o => ({ ...o, operation: `${abbreviate(location.prefix)} ${o.operation}` })));
      }
    }
    // THEN every operation worked, and S3 allowed every request it sent
    expect(outcomes.flatMap(problems)).toEqual([]);
    expect(outcomes.every(o => o.requests.length > 0)).toBe(true);
  }, 120_000);
});

describe('the requests aws-amplify sends per operation', () => {
  test('list, get, upload and remove in alice\'s protected folder', async () => {
    // GIVEN
    signIn(ALICE);
    const folder = `protected/${ALICE.identityId}/`;
    // WHEN
    const byOperation: Record<string, string[]> = {};
    for (const permission of ['list', 'get', 'write', 'delete']) {
      for (const o of await operations(folder, permission, { hasGet: true })) {
        byOperation[o.operation] = shape(o);
      }
    }
    byOperation['uploadData (multipart, crc-32)'] = shape(await run('crc', () =>
      uploadData({ path: `${folder}big2.bin`, data: new Uint8Array(6 * MiB), options: { checksumAlgorithm: 'crc-32' } }).result));
    // THEN (S3's names for each request, and the IAM action it needs)
    expect(byOperation).toEqual({
      'list': ['ListObjectsV2 s3:ListBucket protected/<alice>/'],
      'list (subpaths excluded)': ['ListObjectsV2 s3:ListBucket protected/<alice>/ delimiter=/'],
      'list (all pages)': ['ListObjectsV2 s3:ListBucket protected/<alice>/'],
      'downloadData': ['GetObject s3:GetObject protected/<alice>/file.txt'],
      'getProperties': ['HeadObject s3:GetObject protected/<alice>/file.txt'],
      'getUrl (validated) + open': ['HeadObject s3:GetObject protected/<alice>/file.txt', 'GetObject s3:GetObject protected/<alice>/file.txt'],
      'uploadData (small)': ['PutObject s3:PutObject protected/<alice>/small.txt'],
      // over 5 MiB: parts of 5 MiB, then a HEAD to compare the object's size with the data's
      'uploadData (multipart)': [
        'CreateMultipartUpload s3:PutObject protected/<alice>/big.bin',
        'UploadPart s3:PutObject protected/<alice>/big.bin',
        'UploadPart s3:PutObject protected/<alice>/big.bin',
        'CompleteMultipartUpload s3:PutObject protected/<alice>/big.bin',
        'HeadObject s3:GetObject protected/<alice>/big.bin',
      ],
      // a full-object CRC32 checksum replaces the HEAD
      'uploadData (multipart, crc-32)': [
        'CreateMultipartUpload s3:PutObject protected/<alice>/big2.bin',
        'UploadPart s3:PutObject protected/<alice>/big2.bin',
        'UploadPart s3:PutObject protected/<alice>/big2.bin',
        'CompleteMultipartUpload s3:PutObject protected/<alice>/big2.bin',
      ],
      // remove() first asks whether the path is a folder (a list of `<path>/`, failures ignored)
      'remove': ['ListObjectsV2 s3:ListBucket protected/<alice>/old.txt/', 'DeleteObject s3:DeleteObject protected/<alice>/old.txt'],
      'remove (folder)': ['ListObjectsV2 s3:ListBucket protected/<alice>/album/', 'DeleteObjects s3:DeleteObject protected/<alice>/album/1.jpg,protected/<alice>/album/2.jpg'],
    });
  }, 60_000);
});

describe('a write-only location (inbox/*: WRITE for authenticated, no GET)', () => {
  test('fails: a multipart upload without a full-object checksum ends in a denied HEAD', async () => {
    // GIVEN
    signIn(ALICE);
    // WHEN
    const o = await run('uploadData (multipart)', () => uploadData({ path: 'inbox/big.bin', data: new Uint8Array(6 * MiB) }).result);
    // THEN the data is in the bucket, but the client reports a failure
    expect(shape(o)).toEqual([
      'CreateMultipartUpload s3:PutObject inbox/big.bin',
      'UploadPart s3:PutObject inbox/big.bin',
      'UploadPart s3:PutObject inbox/big.bin',
      'CompleteMultipartUpload s3:PutObject inbox/big.bin',
      'HeadObject s3:GetObject inbox/big.bin DENIED',
    ]);
    expect(o.error).toBeDefined();
  }, 60_000);

  test('works with checksumAlgorithm crc-32, and the synth warning says so, naming the path and audience', async () => {
    // GIVEN
    signIn(ALICE);
    // WHEN
    const o = await run('uploadData (multipart, crc-32)', () =>
      uploadData({ path: 'inbox/big.bin', data: new Uint8Array(6 * MiB), options: { checksumAlgorithm: 'crc-32' } }).result);
    // THEN
    expect(problems(o)).toEqual([]);
    Annotations.fromStack(stack).hasWarning('/NotesApp/ClientConfig',
      Match.stringLikeRegexp("`inbox/\\*` gives authenticated WRITE without GET.*checksumAlgorithm: 'crc-32'.*Access.GET"));
  }, 60_000);
});

describe('folders of other identities: by path, not by location', () => {
  test('bob lists and reads alice\'s protected folder by its path (README)', async () => {
    // GIVEN
    objects.set(`protected/${ALICE.identityId}/photo.jpg`, 5);
    signIn(BOB);
    // WHEN
    const listed = await run('list', () => list({ path: `protected/${ALICE.identityId}/` }));
    const read = await run('downloadData', () => downloadData({ path: `protected/${ALICE.identityId}/photo.jpg` }).result);
    // THEN
    expect([...problems(listed), ...problems(read)]).toEqual([]);
  });

  test('fails: listing protected/ or reading a key beside the identity folders (why `protected/*` is not advertised)', async () => {
    // GIVEN
    objects.set('protected/readme.txt', 5);
    signIn(BOB);
    // WHEN
    const listed = await run('list', () => list({ path: 'protected/' }));
    const read = await run('downloadData', () => downloadData({ path: 'protected/readme.txt' }).result);
    // THEN
    expect(shape(listed)).toEqual(['ListObjectsV2 s3:ListBucket protected/ DENIED']);
    expect(shape(read)).toEqual(['GetObject s3:GetObject protected/readme.txt DENIED']);
    expect(listed.error).toBeDefined();
  });

  test('carol (admins) reads alice\'s private folder by its path; alice cannot read bob\'s', async () => {
    // GIVEN
    objects.set(`private/${ALICE.identityId}/notes.txt`, 5);
    objects.set(`private/${BOB.identityId}/notes.txt`, 5);
    // WHEN
    signIn(CAROL);
    const admin = await run('list', () => list({ path: `private/${ALICE.identityId}/` }));
    const adminRead = await run('downloadData', () => downloadData({ path: `private/${ALICE.identityId}/notes.txt` }).result);
    signIn(ALICE);
    const other = await run('downloadData', () => downloadData({ path: `private/${BOB.identityId}/notes.txt` }).result);
    // THEN
    expect([...problems(admin), ...problems(adminRead)]).toEqual([]);
    expect(shape(other)).toEqual(['GetObject s3:GetObject private/<bob>/notes.txt DENIED']);
  });

  test('fails: a guest cannot upload to public/ (its location is get and list only)', async () => {
    signIn(GUEST);
    const upload = await run('uploadData', () => uploadData({ path: 'public/x.txt', data: 'x' }).result);
    expect(shape(upload)).toEqual(['PutObject s3:PutObject public/x.txt DENIED']);
  });
});
