import { runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { Lazy } from 'aws-cdk-lib';
import { Access } from '../../src/access/access';
import { Audience } from '../../src/access/audience';
import { accessKinds, AUTHENTICATED_VIEW, compileGrants, GUEST_VIEW, groupView, reaches } from '../../src/access/private/compile';
import { Statement, statementKey, toIamJson } from '../../src/access/private/fit';
import { parsePath, renderPrefix } from '../../src/access/private/path';
import { BucketPolicyOptions, BucketRule, compileBucketPolicies } from '../../src/access/private/s3';
import { ValidationError } from '../../src/private/errors';
import { ModelCaller, ModelRule, modelAllows } from '../security/model';

const SUB = '${cognito-identity.amazonaws.com:sub}';
const TENANT = '${aws:PrincipalTag/tenant}';
const BUCKET = 'arn:aws:s3:::uploads';
const WRITE = ['s3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:PutObject'];
/** What a `{identity}` segment is for any audience but the owner: any identity id of the pool. */
const ANY_ID = 'us-east-1:????????-????-????-????-????????????';
const TENANT_GUARD = { StringLike: { 'aws:PrincipalTag/tenant': '?*' }, StringNotLike: { 'aws:PrincipalTag/tenant': '*/*' } };

/** DESIGN.md's seven bucket rules. */
const DESIGN_RULES: BucketRule[] = [
  { path: 'public/*', audience: Audience.guest(), access: [Access.READ] },
  { path: 'public/*', audience: Audience.authenticated(), access: [Access.READ, Access.WRITE, Access.DELETE] },
  { path: 'protected/{identity}/*', audience: Audience.owner(), access: [Access.READ, Access.WRITE, Access.DELETE] },
  { path: 'protected/{identity}/*', audience: Audience.authenticated(), access: [Access.READ] },
  { path: 'private/{identity}/*', audience: Audience.owner(), access: [Access.READ, Access.WRITE, Access.DELETE] },
  { path: 'private/{identity}/*', audience: Audience.group('admins'), access: [Access.READ] },
  { path: 'tenants/{tag:tenant}/*', audience: Audience.authenticated(), access: [Access.READ, Access.WRITE] },
];

function compile(rules: BucketRule[], options: Partial<BucketPolicyOptions> = {}) {
  return compileBucketPolicies(rules, { bucketArn: BUCKET, identityRegion: 'us-east-1', mappedTags: ['tenant'], ...options });
}

/** Compares statements exactly, in any order. */
function expectStatements(actual: readonly Statement[] | undefined, expected: object[]) {
  const sort = (list: object[]) => [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  expect(actual).toBeDefined();
  expect(sort(actual!.map(toIamJson))).toEqual(sort(expected));
}

function listBucket(effect: 'Allow' | 'Deny', like: string[], notLike?: string[]) {
  return {
    Effect: effect,
    Action: 's3:ListBucket',
    Resource: BUCKET,
    Condition: { StringLike: { 's3:prefix': like }, ...(notLike ? { StringNotLike: { 's3:prefix': notLike } } : {}) },
  };
}

describe('accessKinds', () => {
  test('READ is GET + LIST', () => {
    // THEN
    expect(accessKinds([Access.READ])).toEqual(['GET', 'LIST']);
    expect(accessKinds([Access.DELETE, Access.GET, Access.READ, Access.WRITE])).toEqual(['GET', 'LIST', 'WRITE', 'DELETE']);
    expect(accessKinds([Access.LIST])).toEqual(['LIST']);
  });
});

describe('views', () => {
  test('owner and authenticated rules reach every authenticated view, group rules only their group, guest rules only guest', () => {
    // THEN
    const views = [GUEST_VIEW, AUTHENTICATED_VIEW, groupView('admins'), groupView('editors')];
    const reach = (audience: Audience) => views.filter(v => reaches(audience, v));
    expect(reach(Audience.guest())).toEqual(['guest']);
    expect(reach(Audience.authenticated())).toEqual(['authenticated', 'group:admins', 'group:editors']);
    expect(reach(Audience.owner())).toEqual(['authenticated', 'group:admins', 'group:editors']);
    expect(reach(Audience.group('admins'))).toEqual(['group:admins']);
  });

  test('every group named by a rule or passed in gets a view, sorted', () => {
    // WHEN
    const result = compile(DESIGN_RULES, { groups: ['editors', 'admins'] });

    // THEN
    expect([...result.views.keys()]).toEqual(['guest', 'authenticated', 'group:admins', 'group:editors']);
    // a group without group rules has exactly the authenticated view
    expect(result.views.get('group:editors')).toEqual(result.views.get('authenticated'));
  });
});

describe('DESIGN.md rules', () => {
  const result = compile(DESIGN_RULES);

  test('compile without warnings', () => {
    expect(result.warnings).toEqual([]);
  });

  test('guest view: read public/ only', () => {
    // THEN
    expectStatements(result.views.get('guest'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/public/*` },
      listBucket('Allow', ['public/', 'public/*']),
    ]);
  });

  test('authenticated view: public/, anyone\'s protected/ to read, its own protected/ and private/, its tenant', () => {
    // THEN
    expectStatements(result.views.get('authenticated'), [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [`${BUCKET}/private/${SUB}/*`, `${BUCKET}/protected/${ANY_ID}/*`, `${BUCKET}/public/*`],
      },
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: [`${BUCKET}/private/${SUB}/*`, `${BUCKET}/protected/${SUB}/*`, `${BUCKET}/public/*`],
      },
      listBucket('Allow', [`private/${SUB}/`, `private/${SUB}/*`, `protected/${ANY_ID}/`, `protected/${ANY_ID}/*`, 'public/', 'public/*']),
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: `${BUCKET}/tenants/${TENANT}/*`,
        Condition: TENANT_GUARD,
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: BUCKET,
        Condition: {
          StringLike: { 'aws:PrincipalTag/tenant': '?*', 's3:prefix': [`tenants/${TENANT}/`, `tenants/${TENANT}/*`] },
          StringNotLike: { 'aws:PrincipalTag/tenant': '*/*' },
        },
      },
    ]);
  });

  test('owner grants use the caller\'s identity id; authenticated grants on the same path use any identity id of the pool', () => {
    // GIVEN
    const grants = compileGrants(DESIGN_RULES.map(r => ({ path: parsePath(r.path as string), audience: r.audience, kinds: accessKinds(r.access) })), { identityRegion: 'us-east-1' });

    // WHEN
    const allows = grants.views.get('authenticated')!.allows.map(a => [a.kind, renderPrefix(a.segments), a.audiences.join('+')]);

    // THEN: the owner's GET and LIST on protected/ are covered by authenticated's and pruned
    expect(allows).toEqual([
      ['GET', 'public', 'authenticated'],
      ['LIST', 'public', 'authenticated'],
      ['WRITE', 'public', 'authenticated'],
      ['DELETE', 'public', 'authenticated'],
      ['WRITE', `protected/${SUB}`, 'owner'],
      ['DELETE', `protected/${SUB}`, 'owner'],
      ['GET', `protected/${ANY_ID}`, 'authenticated'],
      ['LIST', `protected/${ANY_ID}`, 'authenticated'],
      ['GET', `private/${SUB}`, 'owner'],
      ['LIST', `private/${SUB}`, 'owner'],
      ['WRITE', `private/${SUB}`, 'owner'],
      ['DELETE', `private/${SUB}`, 'owner'],
      ['GET', `tenants/${TENANT}`, 'authenticated'],
      ['LIST', `tenants/${TENANT}`, 'authenticated'],
      ['WRITE', `tenants/${TENANT}`, 'authenticated'],
    ]);
    expect(grants.views.get('authenticated')!.denies).toEqual([]);
  });

  test('group:admins view: everything authenticated has, plus read on anyone\'s private/', () => {
    // THEN: the owner's private/ grants stay although admins' private/* covers them, so that the
    // statements every authenticated role has remain identical (shared policies, see fit.ts)
    expectStatements(result.views.get('group:admins'), [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [`${BUCKET}/private/${SUB}/*`, `${BUCKET}/private/${ANY_ID}/*`, `${BUCKET}/protected/${ANY_ID}/*`, `${BUCKET}/public/*`],
      },
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: [`${BUCKET}/private/${SUB}/*`, `${BUCKET}/protected/${SUB}/*`, `${BUCKET}/public/*`],
      },
      listBucket('Allow', [`private/${SUB}/`, `private/${SUB}/*`, `private/${ANY_ID}/`, `private/${ANY_ID}/*`, `protected/${ANY_ID}/`, `protected/${ANY_ID}/*`, 'public/', 'public/*']),
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: `${BUCKET}/tenants/${TENANT}/*`,
        Condition: TENANT_GUARD,
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: BUCKET,
        Condition: {
          StringLike: { 'aws:PrincipalTag/tenant': '?*', 's3:prefix': [`tenants/${TENANT}/`, `tenants/${TENANT}/*`] },
          StringNotLike: { 'aws:PrincipalTag/tenant': '*/*' },
        },
      },
    ]);
  });

  test('no view may list the bucket root or a prefix outside the rules', () => {
    // THEN
    for (const statements of result.views.values()) {
      for (const s of statements.filter(x => x.actions.includes('s3:ListBucket'))) {
        const prefixes = s.conditions!.StringLike['s3:prefix'];
        expect(prefixes.length).toBeGreaterThan(0);
        for (const p of prefixes) {
          expect(p).toMatch(/^(public|protected|private|tenants)\//);
        }
      }
    }
  });
});

describe('rendering', () => {
  test('LIST at depth covers exactly the prefix and everything below it', () => {
    // WHEN
    const result = compile([{ path: 'a/b/{identity}/c/*', audience: Audience.owner(), access: [Access.LIST] }]);

    // THEN
    expectStatements(result.views.get('authenticated'), [listBucket('Allow', [`a/b/${SUB}/c/`, `a/b/${SUB}/c/*`])]);
    expectStatements(result.views.get('guest'), []);
  });

  test('a token bucket ARN is concatenated, never parsed', () => {
    // GIVEN
    const arn = Lazy.string({ produce: () => 'arn:aws:s3:::resolved' });

    // WHEN
    const result = compile([{ path: 'public/*', audience: Audience.guest(), access: [Access.READ] }], { bucketArn: arn });

    // THEN
    expectStatements(result.views.get('guest'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${arn}/public/*` },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: arn, Condition: { StringLike: { 's3:prefix': ['public/', 'public/*'] } } },
    ]);
  });

  test('WRITE is PutObject plus the multipart actions, DELETE is DeleteObject', () => {
    // WHEN
    const result = compile([
      { path: 'in/*', audience: Audience.authenticated(), access: [Access.WRITE] },
      { path: 'trash/*', audience: Audience.authenticated(), access: [Access.DELETE] },
    ]);

    // THEN
    expectStatements(result.views.get('authenticated'), [
      { Effect: 'Allow', Action: WRITE, Resource: `${BUCKET}/in/*` },
      { Effect: 'Allow', Action: 's3:DeleteObject', Resource: `${BUCKET}/trash/*` },
    ]);
  });

  test('a customer KMS key: Decrypt for reads and writes, GenerateDataKey for writes, through S3 and for the granted objects only', () => {
    // GIVEN
    const region = Lazy.string({ produce: () => 'eu-west-1' });
    const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/k';

    // WHEN
    const result = compile([
      { path: 'public/*', audience: Audience.authenticated(), access: [Access.READ, Access.WRITE] },
      { path: 'private/{identity}/*', audience: Audience.owner(), access: [Access.GET] },
      { path: 'tenants/{tag:tenant}/*', audience: Audience.authenticated(), access: [Access.WRITE] },
    ], { kms: { keyArn, region } });

    // THEN
    const via = { 'kms:ViaService': `s3.${region}.amazonaws.com` };
    expectStatements(result.views.get('authenticated'), [
      { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], Resource: `${BUCKET}/public/*` },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/private/${SUB}/*` },
      listBucket('Allow', ['public/', 'public/*']),
      { Effect: 'Allow', Action: WRITE, Resource: `${BUCKET}/tenants/${TENANT}/*`, Condition: TENANT_GUARD },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: keyArn,
        Condition: { StringEquals: via, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [`${BUCKET}/private/${SUB}/*`, `${BUCKET}/public/*`] } },
      },
      {
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: keyArn,
        Condition: { StringEquals: via, StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${BUCKET}/public/*` } },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: keyArn,
        Condition: {
          StringEquals: via,
          StringLike: { 'aws:PrincipalTag/tenant': '?*', 'kms:EncryptionContext:aws:s3:arn': `${BUCKET}/tenants/${TENANT}/*` },
          StringNotLike: { 'aws:PrincipalTag/tenant': '*/*' },
        },
      },
    ]);
  });

  test('a customer KMS key is granted for GET and WRITE only: listing and deleting objects never use the key', () => {
    // GIVEN: ListBucket reads no object data and DeleteObject decrypts and encrypts nothing
    // (SSE-KMS: GetObject needs kms:Decrypt, PutObject kms:GenerateDataKey and kms:Decrypt)
    const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/k';
    const rules: BucketRule[] = [
      { path: 'inbox/*', audience: Audience.authenticated(), access: [Access.LIST, Access.DELETE] },
      { path: 'docs/*', audience: Audience.authenticated(), access: [Access.GET] },
    ];

    // WHEN
    const keyed = compile(rules, { kms: { keyArn, region: 'eu-west-1' } }).views.get('authenticated')!;
    const plain = compile(rules).views.get('authenticated')!;

    // THEN: the key adds exactly one statement, Decrypt for the GET pattern
    const added = keyed.map(toIamJson).filter(s => !plain.map(toIamJson).some(p => JSON.stringify(p) === JSON.stringify(s)));
    expect(added).toEqual([{
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: keyArn,
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${BUCKET}/docs/*` } },
    }]);
  });

  test('with S3 Bucket Keys the encryption context is the bucket ARN', () => {
    // GIVEN
    const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/k';

    // WHEN
    const result = compile([{ path: 'public/*', audience: Audience.authenticated(), access: [Access.GET, Access.WRITE] }],
      { kms: { keyArn, region: 'eu-west-1', bucketKeyEnabled: true } });

    // THEN
    expectStatements(result.views.get('authenticated'), [
      { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], Resource: `${BUCKET}/public/*` },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: keyArn,
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:s3:arn': BUCKET, 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
      },
    ]);
  });
});

describe('nested paths', () => {
  test('an inner path takes the outer access away from audiences it does not name, with explicit Denies', () => {
    // WHEN
    const result = compile([
      { path: 'docs/*', audience: Audience.authenticated(), access: [Access.READ] },
      { path: 'docs/secret/*', audience: Audience.group('admins'), access: [Access.READ] },
    ]);

    // THEN
    expectStatements(result.views.get('authenticated'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/docs/*` },
      listBucket('Allow', ['docs/', 'docs/*']),
      { Effect: 'Deny', Action: 's3:GetObject', Resource: `${BUCKET}/docs/secret/*` },
      listBucket('Deny', ['docs/secret/', 'docs/secret/*']),
    ]);
    // admins keep read on all of docs/ (the inner allow is covered by the outer one)
    expectStatements(result.views.get('group:admins'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/docs/*` },
      listBucket('Allow', ['docs/', 'docs/*']),
    ]);
    expect(result.warnings).toEqual([
      '`docs/*` lets authenticated list `docs/`, and a listing returns every key below its prefix, so it also shows key names under `docs/secret/*` '
      + 'that authenticated may not list there. If those names are sensitive, move `docs/secret/*` out from under `docs/*`, or drop LIST from `docs/*`.',
    ]);
  });

  test('an inner path keeps only the access kinds it grants', () => {
    // WHEN
    const result = compile([
      { path: 'users/{identity}/*', audience: Audience.owner(), access: [Access.READ, Access.WRITE, Access.DELETE] },
      { path: 'users/{identity}/inbox/*', audience: Audience.owner(), access: [Access.READ] },
    ]);

    // THEN
    expectStatements(result.views.get('authenticated'), [
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: `${BUCKET}/users/${SUB}/*`,
      },
      listBucket('Allow', [`users/${SUB}/`, `users/${SUB}/*`]),
      {
        Effect: 'Deny',
        Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: `${BUCKET}/users/${SUB}/inbox/*`,
      },
    ]);
    expect(result.warnings).toEqual([]);
  });

  test('guest rules decide inner paths for authenticated users too', () => {
    // WHEN
    const result = compile([
      { path: 'public/*', audience: Audience.guest(), access: [Access.READ] },
      { path: 'public/*', audience: Audience.authenticated(), access: [Access.READ, Access.WRITE] },
      { path: 'public/drop/*', audience: Audience.guest(), access: [Access.WRITE] },
    ]);

    // THEN
    expectStatements(result.views.get('guest'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/public/*` },
      listBucket('Allow', ['public/', 'public/*']),
      { Effect: 'Allow', Action: WRITE, Resource: `${BUCKET}/public/drop/*` },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: `${BUCKET}/public/drop/*` },
      listBucket('Deny', ['public/drop/', 'public/drop/*']),
    ]);
    expectStatements(result.views.get('authenticated'), [
      { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], Resource: `${BUCKET}/public/*` },
      listBucket('Allow', ['public/', 'public/*']),
      { Effect: 'Deny', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], Resource: `${BUCKET}/public/drop/*` },
      listBucket('Deny', ['public/drop/', 'public/drop/*']),
    ]);
    expect(result.warnings).toHaveLength(2);
  });

  test('LIST can deny other identities\' folders and keep the caller\'s own (StringLike + StringNotLike on s3:prefix)', () => {
    // WHEN
    const result = compile([
      { path: 'users/*', audience: Audience.authenticated(), access: [Access.LIST] },
      { path: 'users/{identity}/*', audience: Audience.owner(), access: [Access.READ, Access.WRITE] },
    ]);

    // THEN
    expectStatements(result.views.get('authenticated'), [
      listBucket('Allow', ['users/', 'users/*']),
      { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], Resource: `${BUCKET}/users/${SUB}/*` },
      listBucket('Deny', [`users/${ANY_ID}/`, `users/${ANY_ID}/*`], [`users/${SUB}/`, `users/${SUB}/*`]),
    ]);
    expect(result.warnings).toHaveLength(1);
  });

  test('LIST can deny a subtree and give a deeper part back', () => {
    // WHEN
    const result = compile([
      { path: 'docs/*', audience: Audience.authenticated(), access: [Access.LIST] },
      { path: 'docs/secret/*', audience: Audience.group('admins'), access: [Access.READ] },
      { path: 'docs/secret/public/*', audience: Audience.authenticated(), access: [Access.LIST] },
    ]);

    // THEN
    expectStatements(result.views.get('authenticated'), [
      listBucket('Allow', ['docs/', 'docs/*']),
      listBucket('Deny', ['docs/secret/', 'docs/secret/*'], ['docs/secret/public/', 'docs/secret/public/*']),
    ]);
    // admins read docs/secret/ but docs/secret/public/ only grants LIST
    expectStatements(result.views.get('group:admins'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/docs/secret/*` },
      listBucket('Allow', ['docs/', 'docs/*']),
      { Effect: 'Deny', Action: 's3:GetObject', Resource: `${BUCKET}/docs/secret/public/*` },
    ]);
  });

  test('a LIST exception that uses a tag gets fallback Denies for a missing, empty or `/`-containing tag', () => {
    // WHEN
    const result = compile([
      { path: 'tenants/*', audience: Audience.authenticated(), access: [Access.LIST] },
      { path: 'tenants/{tag:tenant}/*', audience: Audience.authenticated(), access: [Access.READ] },
    ]);

    // THEN
    const denied = ['tenants/*/', 'tenants/*/*'];
    expectStatements(result.views.get('authenticated'), [
      listBucket('Allow', ['tenants/', 'tenants/*']),
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/tenants/${TENANT}/*`, Condition: TENANT_GUARD },
      listBucket('Deny', denied, [`tenants/${TENANT}/`, `tenants/${TENANT}/*`]),
      {
        Effect: 'Deny',
        Action: 's3:ListBucket',
        Resource: BUCKET,
        Condition: { StringLike: { 's3:prefix': denied }, StringNotLike: { 'aws:PrincipalTag/tenant': '?*' } },
      },
      {
        Effect: 'Deny',
        Action: 's3:ListBucket',
        Resource: BUCKET,
        Condition: { StringLike: { 'aws:PrincipalTag/tenant': '*/*', 's3:prefix': denied } },
      },
    ]);
  });

  test('a literal inside an owner path is out of the owner\'s reach: no Deny needed', () => {
    // WHEN
    const result = compile([
      { path: 'users/{identity}/*', audience: Audience.owner(), access: [Access.READ] },
      { path: 'users/shared/*', audience: Audience.authenticated(), access: [Access.GET] },
    ]);

    // THEN
    expectStatements(result.views.get('authenticated'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: [`${BUCKET}/users/${SUB}/*`, `${BUCKET}/users/shared/*`] },
      listBucket('Allow', [`users/${SUB}/`, `users/${SUB}/*`]),
    ]);
  });

  test('a folder inside an authenticated {identity} path that no identity id can name is out of its reach: no Deny needed', () => {
    // WHEN
    const result = compile([
      { path: 'profiles/{identity}/*', audience: Audience.authenticated(), access: [Access.GET] },
      { path: 'profiles/system/*', audience: Audience.group('admins'), access: [Access.GET] },
    ]);

    // THEN: `system` holds no `:`, so `us-east-1:????????-...` never matches it
    expectStatements(result.views.get('authenticated'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/profiles/${ANY_ID}/*` },
    ]);
    expectStatements(result.views.get('group:admins'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: [`${BUCKET}/profiles/system/*`, `${BUCKET}/profiles/${ANY_ID}/*`] },
    ]);
  });

  test('a literal inside an authenticated {identity} path that could be an identity id is denied to audiences it does not name', () => {
    // WHEN: one identity's folder (a service identity, say) is for admins only
    const service = 'us-east-1:00000000-1111-2222-3333-444444444444';
    const result = compile([
      { path: 'profiles/{identity}/*', audience: Audience.authenticated(), access: [Access.GET] },
      { path: `profiles/${service}/*`, audience: Audience.group('admins'), access: [Access.GET] },
    ]);

    // THEN
    expectStatements(result.views.get('authenticated'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/profiles/${ANY_ID}/*` },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: `${BUCKET}/profiles/${service}/*` },
    ]);
    expectStatements(result.views.get('group:admins'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: [`${BUCKET}/profiles/${service}/*`, `${BUCKET}/profiles/${ANY_ID}/*`] },
    ]);
  });

  test('a Deny with * before more segments warns that it also matches deeper keys', () => {
    // WHEN
    const result = compile([
      { path: 'users/*', audience: Audience.authenticated(), access: [Access.LIST] },
      { path: 'users/{tag:tenant}/archive/*', audience: Audience.authenticated(), access: [Access.GET] },
    ]);

    // THEN: the inner `{tag:tenant}` stands for any value there, so the Deny has a `*` in its place
    expectStatements(result.views.get('authenticated'), [
      listBucket('Allow', ['users/', 'users/*']),
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/users/${TENANT}/archive/*`, Condition: TENANT_GUARD },
      listBucket('Deny', ['users/*/archive/', 'users/*/archive/*']),
    ]);
    expect(result.warnings).toContain('The Deny of LIST on `users/*/archive/*` for authenticated (`users/{tag:tenant}/archive/*` inside `users/*`) also matches deeper keys, '
      + 'because `*` in IAM also matches `/`: keys with more segments in place of a token are denied too.');
  });

  test('a Deny on an inner {identity} path matches identity ids only, without a warning', () => {
    // WHEN
    const result = compile([
      { path: 'users/*', audience: Audience.authenticated(), access: [Access.LIST] },
      { path: 'users/{identity}/archive/*', audience: Audience.owner(), access: [Access.GET] },
    ]);

    // THEN: `users/exports/archive/` stays listable, only identity folders' archives are denied
    expectStatements(result.views.get('authenticated'), [
      listBucket('Allow', ['users/', 'users/*']),
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/users/${SUB}/archive/*` },
      listBucket('Deny', [`users/${ANY_ID}/archive/`, `users/${ANY_ID}/archive/*`]),
    ]);
    expect(result.warnings.filter(w => w.includes('also matches deeper keys'))).toEqual([]);
  });

  test('a deploy-time segment compiles with a warning', () => {
    // GIVEN
    const tenant = Lazy.string({ produce: () => 'acme' });

    // WHEN
    const result = compile([{ path: `tenants/${tenant}/*`, audience: Audience.authenticated(), access: [Access.GET] }]);

    // THEN
    expectStatements(result.views.get('authenticated'), [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/tenants/${tenant}/*` }]);
    expect(result.warnings).toEqual(['`tenants/<deploy-time value>/*` contains a deploy-time value: it is used as one literal segment, so overlaps with other paths '
      + 'that depend on its value are not checked. Make sure it never holds `/`, `*` or `?`.']);
  });

  test('fails when an owner-only inner path sits under an authenticated object grant (IAM cannot deny "all but mine")', () => {
    // GIVEN
    const rules: BucketRule[] = [
      { path: 'users/*', audience: Audience.authenticated(), access: [Access.READ] },
      { path: 'users/{identity}/*', audience: Audience.owner(), access: [Access.READ, Access.WRITE] },
    ];

    // WHEN / THEN
    expect(() => compile(rules)).toThrow(ValidationError);
    expect(() => compile(rules)).toThrow(
      `\`path\`: \`users/*\` gives authenticated GET on keys inside \`users/{identity}/*\`, where only owner may GET, and only \`users/${SUB}/*\`. `
      + `IAM cannot deny GET on \`users/${ANY_ID}/*\` except \`users/${SUB}/*\` (these requests carry no condition key with their object key or path), `
      + `so authenticated would keep GET on all of \`users/${ANY_ID}/*\` (received "users/{identity}/*"). `
      + 'Also grant GET on `users/{identity}/*` to authenticated, move `users/{identity}/*` out from under `users/*`, or drop GET from the authenticated rule on `users/*`.');
  });

  test('fails when a tag-scoped inner path sits under an authenticated object grant', () => {
    // WHEN / THEN
    expect(() => compile([
      { path: 'tenants/*', audience: Audience.authenticated(), access: [Access.WRITE] },
      { path: 'tenants/{tag:tenant}/*', audience: Audience.authenticated(), access: [Access.WRITE] },
    ])).toThrow(`IAM cannot deny WRITE on \`tenants/*/*\` except \`tenants/${TENANT}/*\``);
  });

  test('fails when a deeper path gives back an object access that its parent took away', () => {
    // WHEN / THEN
    expect(() => compile([
      { path: 'docs/*', audience: Audience.authenticated(), access: [Access.READ] },
      { path: 'docs/secret/*', audience: Audience.group('admins'), access: [Access.READ] },
      { path: 'docs/secret/public/*', audience: Audience.authenticated(), access: [Access.GET] },
    ])).toThrow('`path`: `docs/secret/*` takes GET (granted to authenticated on `docs/*`) away from authenticated, but the deeper `docs/secret/public/*` gives it back. '
      + 'IAM cannot deny GET on `docs/secret/*` except a deeper pattern (these requests carry no condition key with their object key or path) (received "docs/secret/*"). '
      + 'Also grant GET on `docs/secret/*` to the audiences of `docs/secret/public/*`, or move `docs/secret/public/*` out from under `docs/secret/*`.');
  });

  test('fails for two paths that overlap without one inside the other, and compiles once their intersection has a rule', () => {
    // GIVEN
    const rules: BucketRule[] = [
      { path: 'a/{identity}/c/*', audience: Audience.owner(), access: [Access.READ] },
      { path: 'a/b/*', audience: Audience.authenticated(), access: [Access.READ] },
    ];

    // WHEN / THEN
    expect(() => compile(rules)).toThrow('`path`: `a/{identity}/c/*` and `a/b/*` both cover `a/b/c/*` and neither lies inside the other, '
      + 'so neither decides who may use those keys (received "a/b/*"). Add a rule on `a/b/c/*` for every audience that may use it, '
      + 'or change one path so that they no longer overlap.');
    const fixed = compile([...rules, { path: 'a/b/c/*', audience: Audience.authenticated(), access: [Access.READ] }]);
    expectStatements(fixed.views.get('authenticated'), [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: [`${BUCKET}/a/${SUB}/c/*`, `${BUCKET}/a/b/*`] },
      listBucket('Allow', [`a/${SUB}/c/`, `a/${SUB}/c/*`, 'a/b/', 'a/b/*']),
    ]);
  });

  test('fails for {identity} before more segments for an audience other than the owner', () => {
    // WHEN / THEN
    expect(() => compile([{ path: 'users/{identity}/shared/*', audience: Audience.authenticated(), access: [Access.READ] }]))
      .toThrow(`\`path\`: For \`authenticated\` a \`{identity}\` segment becomes the shape of any identity id in IAM, whose \`?\` wildcards also match \`/\`, so \`users/${ANY_ID}/shared/*\` `
        + 'could not be confined to the path below one identity\'s folder (received "users/{identity}/shared/*"). '
        + 'Put `{identity}` last (e.g. `profiles/{identity}/*`), or use `Audience.owner()` for the caller\'s own keys.');
    expect(() => compile([{ path: 'users/{identity}/shared/*', audience: Audience.owner(), access: [Access.READ] }])).not.toThrow();
  });

  test('fails for a route-style or root pattern on a bucket', () => {
    // WHEN / THEN
    expect(() => compile([{ path: parsePath('/*', { leadingSlash: true, allowRoot: true }), audience: Audience.guest(), access: [Access.READ] }]))
      .toThrow('`path`: A bucket rule needs a relative key pattern with at least one segment (received "/*"). Write a key prefix followed by `/*`, e.g. `public/*`.');
    // a route-style pattern with segments, and a root pattern without a leading slash (the whole bucket)
    expect(() => compile([{ path: parsePath('/notes/*', { leadingSlash: true }), audience: Audience.guest(), access: [Access.READ] }]))
      .toThrow('`path`: A bucket rule needs a relative key pattern with at least one segment (received "/notes/*").');
    expect(() => compile([{ path: parsePath('*', { allowRoot: true }), audience: Audience.guest(), access: [Access.READ] }]))
      .toThrow('`path`: A bucket rule needs a relative key pattern with at least one segment (received "*").');
    // the relative pattern with a segment compiles
    expect(() => compile([{ path: parsePath('notes/*'), audience: Audience.guest(), access: [Access.READ] }])).not.toThrow();
  });

  test('fails for an owner rule without {identity} and for an unmapped tag', () => {
    // WHEN / THEN
    expect(() => compile([{ path: 'public/*', audience: Audience.owner(), access: [Access.READ] }])).toThrow('`Audience.owner()` needs a `{identity}` segment');
    expect(() => compile([{ path: 'teams/{tag:team}/*', audience: Audience.authenticated(), access: [Access.READ] }]))
      .toThrow('`{tag:team}` names a principal tag that the identity pool does not map (mapped tags: `tenant`)');
  });
});

describe('evaluated offline with iam-simulate', () => {
  const ALICE = 'us-east-1:11111111-1111-1111-1111-111111111111';
  const BOB = 'us-east-1:22222222-2222-2222-2222-222222222222';

  function evaluate(statements: readonly Statement[], action: string, resource: string, context: Record<string, string>): string {
    return runUnsafeSimulation({
      request: { principal: 'arn:aws:sts::111122223333:assumed-role/Auth/session', action, resource: { resource, accountId: '111122223333' }, contextVariables: context },
      identityPolicies: [{ name: 'compiled', policy: { Version: '2012-10-17', Statement: statements.map(toIamJson) } }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    }, {});
  }
  const caller = (sub: string, tenant?: string) => ({
    'cognito-identity.amazonaws.com:sub': sub,
    ...(tenant === undefined ? {} : { 'aws:PrincipalTag/tenant': tenant }),
  });

  test('the DESIGN.md authenticated view scopes objects and listing to the caller', () => {
    // GIVEN
    const auth = compile(DESIGN_RULES).views.get('authenticated')!;
    const get = (key: string, c: Record<string, string>) => evaluate(auth, 's3:GetObject', `${BUCKET}/${key}`, c);
    const list = (prefix: string, c: Record<string, string>) => evaluate(auth, 's3:ListBucket', BUCKET, { ...c, 's3:prefix': prefix });

    // THEN
    expect(get(`private/${ALICE}/a.txt`, caller(ALICE))).toBe('Allowed');
    expect(get(`private/${BOB}/a.txt`, caller(ALICE))).toBe('ImplicitlyDenied');
    expect(list(`private/${ALICE}/`, caller(ALICE))).toBe('Allowed');
    expect(list(`private/${BOB}/`, caller(ALICE))).toBe('ImplicitlyDenied');
    expect(list('private/', caller(ALICE))).toBe('ImplicitlyDenied');
    expect(list('', caller(ALICE))).toBe('ImplicitlyDenied');
    expect(get('tenants/a/x', caller(ALICE, 'a'))).toBe('Allowed');
    expect(get('tenants/b/x', caller(ALICE, 'a'))).toBe('ImplicitlyDenied');
    expect(get('tenants/a/b/x', caller(ALICE, 'a/b'))).toBe('ImplicitlyDenied');
    expect(get('tenants//x', caller(ALICE, ''))).toBe('ImplicitlyDenied');
    expect(get('public/x', caller(ALICE))).toBe('Allowed');
  });

  test('the fallback Denies are what stops an untagged or `/`-tagged caller from listing other tenants', () => {
    // GIVEN
    const auth = compile([
      { path: 'tenants/*', audience: Audience.authenticated(), access: [Access.LIST] },
      { path: 'tenants/{tag:tenant}/*', audience: Audience.authenticated(), access: [Access.READ] },
    ]).views.get('authenticated')!;
    const isFallback = (s: Statement) => s.effect === 'Deny'
      && Object.values(s.conditions ?? {}).some(entries => Object.keys(entries).some(key => key.startsWith('aws:PrincipalTag/')));
    const withoutFallbacks = auth.filter(s => !isFallback(s));
    const list = (statements: readonly Statement[], prefix: string, c: Record<string, string>) =>
      evaluate(statements, 's3:ListBucket', BUCKET, { ...c, 's3:prefix': prefix });

    // THEN
    expect(list(auth, 'tenants/a/', caller(ALICE, 'a'))).toBe('Allowed');
    expect(list(auth, 'tenants/b/', caller(ALICE, 'a'))).toBe('ExplicitlyDenied');
    expect(list(auth, 'tenants/b/', caller(ALICE))).toBe('ExplicitlyDenied');
    expect(list(auth, 'tenants/a/b/', caller(ALICE, 'a/b'))).toBe('ExplicitlyDenied');
    expect(auth.length - withoutFallbacks.length).toBe(2);
    expect(list(withoutFallbacks, 'tenants/b/', caller(ALICE))).toBe('Allowed');
    expect(list(withoutFallbacks, 'tenants/a/b/', caller(ALICE, 'a/b'))).toBe('Allowed');
  });

  test('the fallback Denies for a missing or `/`-holding tag keep the tag-free exceptions: such a caller still lists what needs no tag', () => {
    // GIVEN: listing tenants/ for everyone, each tenant's folder decided by the tag, and a shared
    // folder inside it that every signed-in user may list (DESIGN.md: the innermost path decides).
    const rules: BucketRule[] = [
      { path: 'tenants/*', audience: Audience.authenticated(), access: [Access.LIST] },
      { path: 'tenants/{tag:tenant}/*', audience: Audience.authenticated(), access: [Access.READ] },
      { path: 'tenants/shared/*', audience: Audience.authenticated(), access: [Access.LIST] },
    ];
    const auth = compile(rules).views.get('authenticated')!;
    const model: ModelRule[] = [
      { segments: [{ lit: 'tenants' }], audience: 'authenticated', kinds: new Set(['LIST']) },
      { segments: [{ lit: 'tenants' }, { tag: 'tenant' }], audience: 'authenticated', kinds: new Set(['GET', 'LIST']) },
      { segments: [{ lit: 'tenants' }, { lit: 'shared' }], audience: 'authenticated', kinds: new Set(['LIST']) },
    ];
    const tenants: Array<string | undefined> = [undefined, '', 'a', 'a/b'];
    const prefixes = ['tenants/', 'tenants/shared/', 'tenants/shared/x/', 'tenants/a/', 'tenants/b/', 'tenants/a/b/'];

    // THEN: iam-simulate's verdict on the compiled statements is the model's, for every caller and prefix
    for (const tenant of tenants) {
      const modelCaller: ModelCaller = { role: 'authenticated', identityId: ALICE, tags: { tenant } };
      for (const prefix of prefixes) {
        const expected = modelAllows(model, modelCaller, 'LIST', prefix, { region: 'us-east-1' }) ? 'Allowed' : 'Denied';
        const verdict = evaluate(auth, 's3:ListBucket', BUCKET, { ...caller(ALICE, tenant), 's3:prefix': prefix });
        expect({ tenant, prefix, verdict: verdict === 'Allowed' ? 'Allowed' : 'Denied' }).toEqual({ tenant, prefix, verdict: expected });
      }
    }
    // the model agrees with the intent: without a usable tag, the shared folder is still listed
    expect(modelAllows(model, { role: 'authenticated', identityId: ALICE, tags: {} }, 'LIST', 'tenants/shared/', { region: 'us-east-1' })).toBe(true);
    expect(modelAllows(model, { role: 'authenticated', identityId: ALICE, tags: { tenant: 'a/b' } }, 'LIST', 'tenants/b/', { region: 'us-east-1' })).toBe(false);
  });
});

describe('statement keys', () => {
  test('equal statements in any order give equal keys', () => {
    // THEN
    expect(statementKey({ effect: 'Allow', actions: ['b', 'a'], resources: ['y', 'x', 'x'] }))
      .toBe(statementKey({ effect: 'Allow', actions: ['a', 'b'], resources: ['x', 'y'] }));
  });
});
