import { App, Aws, CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { evaluatePrepared, policiesOf, prepareIdentity, PreparedPolicies, Verdict } from './harness';
import { Access, Audience, ScopedApiAccess, ScopedBucketAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * One bucket named twice (issue 16, item 9). DESIGN.md: "All rules on one bucket form one rule
 * set, even when several constructs add them: nesting works across constructs, or the second
 * construct is refused with a clear error." The attacker's view: a bucket created in an auth
 * stack and named in an app stack through `Fn.importValue`, through an SSM parameter, by a
 * CloudFormation parameter, by `Fn.join`; a second construct's inner path `docs/secret/*` (for
 * admins only) must take `docs/*` away from every other signed-in user, or be refused at synth.
 * Verdicts are stated by hand and evaluated with iam-simulate on the synthesized policies.
 */

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const POOL_ID = `${REGION}:aaaaaaaa-1111-2222-3333-444444444444`;
const BUCKET = 'shared-docs-bucket';
const ALICE = `${REGION}:00000002-aaaa-bbbb-cccc-000000000002`;
const CAROL = `${REGION}:00000004-aaaa-bbbb-cccc-000000000004`;

function apps() {
  const app = new App();
  const auth = new Stack(app, 'Auth', { env: { account: ACCOUNT, region: REGION } });
  const users = new UserDirectory(auth, 'Users');
  users.addGroup('admins');
  const pool = new FederatedIdentityPool(auth, 'Identities', { sources: [IdentitySource.userDirectory(users, users.addWebClient('Web'))] });
  pool.roleForGroup('admins');
  // A bucket the auth stack creates, with a generated name, and its docs/ for every signed-in user.
  const bucket = new s3.Bucket(auth, 'Docs', { enforceSSL: true });
  new ScopedBucketAccess(auth, 'DocsAccess', { identityPool: pool, bucket }).allow('docs/*', Audience.authenticated(), Access.READ);
  const workload = new Stack(app, 'Workload', { env: { account: ACCOUNT, region: REGION } });
  return { app, auth, pool, bucket, workload };
}

/** The secrets rule, added in the workload stack on the bucket as `name` names it. */
function secrets(workload: Stack, pool: FederatedIdentityPool, bucket: s3.IBucket, path = 'docs/secret/*'): ScopedBucketAccess {
  const access = new ScopedBucketAccess(workload, 'Secrets', { identityPool: pool, bucket });
  access.allow(path, Audience.group('admins'), Access.READ);
  return access;
}

type Role = 'authenticated' | 'admins';

function rolesOf(auth: Stack, pool: FederatedIdentityPool, bucket: s3.Bucket): Record<Role, PreparedPolicies> {
  const template = Template.fromStack(auth).toJSON();
  const bucketId = auth.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  const values: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    [auth.getLogicalId(pool.identityPool)]: POOL_ID,
    [bucketId]: BUCKET,
    [`${bucketId}.Arn`]: `arn:aws:s3:::${BUCKET}`,
  };
  const id = (role: iam.IRole) => auth.getLogicalId(role.node.defaultChild as iam.CfnRole);
  return {
    authenticated: prepareIdentity(policiesOf(template, id(pool.authenticatedRole), values)),
    admins: prepareIdentity(policiesOf(template, id(pool.roleForGroup('admins')), values)),
  };
}

function get(roles: Record<Role, PreparedPolicies>, role: Role, id: string, key: string): Verdict {
  return evaluatePrepared(roles[role], {
    principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/CognitoIdentityCredentials`,
    action: 's3:GetObject',
    resource: `arn:aws:s3:::${BUCKET}/${key}`,
    accountId: ACCOUNT,
    context: { 'cognito-identity.amazonaws.com:sub': id },
  });
}

/** The inner path decides: alice (no group) keeps docs/ but not docs/secret/; carol (admins) reads both. */
function expectNestingHolds(roles: Record<Role, PreparedPolicies>): void {
  expect([
    get(roles, 'authenticated', ALICE, 'docs/readme.md'),
    get(roles, 'authenticated', ALICE, 'docs/secret/keys.txt'),
    get(roles, 'admins', CAROL, 'docs/secret/keys.txt'),
    get(roles, 'admins', CAROL, 'docs/readme.md'),
  ]).toEqual(['Allowed', 'Denied', 'Allowed', 'Allowed']);
}

describe('one bucket named in another stack joins the same rule set: the inner path\'s Deny applies', () => {
  test('through Fn.importValue of the auth stack\'s export', () => {
    // GIVEN the auth stack exports the bucket name; the workload imports it by export name
    const { auth, pool, bucket, workload } = apps();
    auth.exportValue(bucket.bucketName, { name: 'SharedDocsBucket' });

    // WHEN
    secrets(workload, pool, s3.Bucket.fromBucketName(workload, 'Imported', Fn.importValue('SharedDocsBucket')));

    // THEN
    expectNestingHolds(rolesOf(auth, pool, bucket));
  });

  test('through Fn.importValue of the bucket ARN (bucketArn vs bucketName)', () => {
    const { auth, pool, bucket, workload } = apps();
    auth.exportValue(bucket.bucketArn, { name: 'SharedDocsBucketArn' });
    secrets(workload, pool, s3.Bucket.fromBucketArn(workload, 'Imported', Fn.importValue('SharedDocsBucketArn')));
    expectNestingHolds(rolesOf(auth, pool, bucket));
  });

  test('through an SSM parameter the app writes and the workload reads (valueForStringParameter)', () => {
    const { auth, pool, bucket, workload } = apps();
    new ssm.StringParameter(auth, 'BucketParam', { parameterName: '/app/docs-bucket', stringValue: bucket.bucketName });
    secrets(workload, pool, s3.Bucket.fromBucketName(workload, 'Imported', ssm.StringParameter.valueForStringParameter(workload, '/app/docs-bucket')));
    expectNestingHolds(rolesOf(auth, pool, bucket));
  });
});

describe('names that cannot be followed: refused when the paths nest, allowed when they cannot interact', () => {
  const opaqueNames: Array<[string, (workload: Stack) => string]> = [
    ['a CloudFormation parameter', (workload) => new CfnParameter(workload, 'BucketName').valueAsString],
    ['an SSM parameter the app does not write', (workload) => ssm.StringParameter.valueForStringParameter(workload, '/elsewhere/bucket')],
    ['an export of another app', () => Fn.importValue('OtherAppBucket')],
    ['an Fn.join with a deploy-time value', () => Fn.join('-', ['docs', Aws.ACCOUNT_ID])],
  ];

  test.each(opaqueNames)('fails for %s whose paths nest with the created bucket\'s', (_name, name) => {
    // GIVEN
    const { app, pool, workload } = apps();

    // WHEN
    secrets(workload, pool, s3.Bucket.fromBucketName(workload, 'Imported', name(workload)));

    // THEN
    expect(() => app.synth()).toThrow(/`bucket`: Workload\/Secrets and Auth\/DocsAccess name their buckets in ways that cannot be told apart at synth[\s\S]*their paths nest \(`docs\/secret\/\*` and `docs\/\*`\)[\s\S]*Name the bucket the same way in every access construct/);
  });

  test.each(opaqueNames)('paired: %s with paths that cannot nest synthesizes', (_name, name) => {
    const { app, pool, workload } = apps();
    secrets(workload, pool, s3.Bucket.fromBucketName(workload, 'Imported', name(workload)), 'exports/*');
    expect(() => app.synth()).not.toThrow();
  });

  test('paired: two constructs naming the bucket through the same SSM parameter form one rule set', () => {
    // GIVEN two workload constructs that both read /elsewhere/bucket
    const { app, pool, workload } = apps();
    const other = new Stack(app, 'Other', { env: { account: ACCOUNT, region: REGION } });
    const name = (stack: Stack) => s3.Bucket.fromBucketName(stack, 'Imported', ssm.StringParameter.valueForStringParameter(stack, '/elsewhere/bucket'));
    new ScopedBucketAccess(other, 'Docs', { identityPool: pool, bucket: name(other) }).allow('reports/*', Audience.authenticated(), Access.READ);

    // WHEN the second nests inside the first
    secrets(workload, pool, name(workload), 'reports/secret/*');

    // THEN one rule set (it emits the inner path's Denies in the first one's stack), not a refusal between them
    const docs = Template.fromStack(other).toJSON();
    const statements = Object.values<any>(docs.Resources).filter(r => r.Type === 'AWS::IAM::ManagedPolicy').flatMap(r => r.Properties.PolicyDocument.Statement);
    expect(statements.some(s => s.Effect === 'Deny' && JSON.stringify(s.Resource).includes('/reports/secret/*'))).toBe(true);
    // the created bucket's docs/* never nests with reports/: no refusal either
    expect(() => app.synth()).not.toThrow();
  });

  test('a lazy name that is a literal at synth is that literal: the same bucket as an import of that name', () => {
    // GIVEN a bucket with a literal physical name in the auth stack, and the workload naming it lazily
    const { app, auth, pool, workload } = apps();
    const named = new s3.Bucket(auth, 'Named', { bucketName: 'named-docs', enforceSSL: true });
    new ScopedBucketAccess(auth, 'NamedAccess', { identityPool: pool, bucket: named }).allow('reports/*', Audience.authenticated(), Access.READ);

    // WHEN
    const lazy = s3.Bucket.fromBucketName(workload, 'Lazy', Lazy.string({ produce: () => 'named-docs' }));
    secrets(workload, pool, lazy, 'reports/secret/*');

    // THEN one rule set: the auth stack's policies carry the inner path's Deny
    expect(() => app.synth()).not.toThrow();
    const statements = Object.values<any>(Template.fromStack(auth).toJSON().Resources)
      .flatMap(r => [...(r.Type === 'AWS::IAM::Role' ? r.Properties.Policies ?? [] : []).map((p: any) => p.PolicyDocument), ...(r.Type === 'AWS::IAM::ManagedPolicy' ? [r.Properties.PolicyDocument] : [])])
      .flatMap((d: any) => d.Statement);
    expect(statements.some((st: any) => st.Effect === 'Deny' && JSON.stringify(st.Resource).includes('/reports/secret/*'))).toBe(true);
  });

  test('a literal name that may be the created bucket\'s generated name is refused when paths nest; another literal is not', () => {
    // GIVEN a literal copied from the console, or the value an SSM lookup (valueFromLookup) found at
    // synth: a name CloudFormation generated starts with the stack name
    const first = apps();
    secrets(first.workload, first.pool, s3.Bucket.fromBucketName(first.workload, 'Imported', 'auth-docs4a5b6c7d-1a2b3c4d5e6f'));
    expect(() => first.app.synth()).toThrow(/`bucket`: Workload\/Secrets and Auth\/DocsAccess name their buckets in ways that cannot be told apart/);

    // paired: a literal name that cannot be the generated one is another bucket
    const second = apps();
    secrets(second.workload, second.pool, s3.Bucket.fromBucketName(second.workload, 'Imported', 'partner-archive'));
    expect(() => second.app.synth()).not.toThrow();
  });
});

describe('an API stage named twice', () => {
  function api() {
    const { app, auth, pool, workload } = apps();
    const rest = new apigateway.RestApi(auth, 'Rest', { deployOptions: { stageName: 'prod' }, cloudWatchRole: false });
    rest.root.addMethod('ANY', new apigateway.MockIntegration(), { authorizationType: apigateway.AuthorizationType.IAM });
    new ScopedApiAccess(auth, 'Api', { identityPool: pool, api: rest }).allow('/notes/*', Audience.authenticated(), 'GET');
    return { app, auth, pool, workload, rest };
  }

  test('an import of the created API\'s exported id joins its rule set', () => {
    // GIVEN
    const { app, auth, pool, workload, rest } = api();
    auth.exportValue(rest.restApiId, { name: 'NotesApiId' });

    // WHEN the workload adds an inner route on the imported API
    const imported = apigateway.RestApi.fromRestApiAttributes(workload, 'Imported', { restApiId: Fn.importValue('NotesApiId'), rootResourceId: 'root' });
    new ScopedApiAccess(workload, 'Admin', { identityPool: pool, api: imported, stage: 'prod' }).allow('/notes/admin/*', Audience.group('admins'), 'GET');

    // THEN the owner's policies carry the inner route's Deny, and nothing is refused
    expect(() => app.synth()).not.toThrow();
    const statements = Object.values<any>(Template.fromStack(auth).toJSON().Resources)
      .flatMap(r => [...(r.Type === 'AWS::IAM::Role' ? r.Properties.Policies ?? [] : []).map((p: any) => p.PolicyDocument), ...(r.Type === 'AWS::IAM::ManagedPolicy' ? [r.Properties.PolicyDocument] : [])])
      .flatMap((d: any) => d.Statement);
    expect(statements.some((s: any) => s.Effect === 'Deny' && JSON.stringify(s.Resource).includes('/GET/notes/admin'))).toBe(true);
  });

  test('fails for a literal API id, which may be the created API, when routes nest; paired: routes that cannot nest', () => {
    const first = api();
    new ScopedApiAccess(first.workload, 'Admin', { identityPool: first.pool, api: apigateway.RestApi.fromRestApiId(first.workload, 'Imported', 'a1b2c3d4e5'), stage: 'prod' })
      .allow('/notes/admin/*', Audience.group('admins'), 'GET');
    expect(() => first.app.synth()).toThrow(/`api`: Workload\/Admin and Auth\/Api name their API stages in ways that cannot be told apart at synth/);

    const second = api();
    new ScopedApiAccess(second.workload, 'Admin', { identityPool: second.pool, api: apigateway.RestApi.fromRestApiId(second.workload, 'Imported', 'a1b2c3d4e5'), stage: 'prod' })
      .allow('/reports/*', Audience.group('admins'), 'GET');
    expect(() => second.app.synth()).not.toThrow();
  });
});
