import { App, PhysicalName, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Access, Audience, ScopedApiAccess, ScopedBucketAccess, ScopedTableAccess } from '../../src/access';
import { ClientConfig } from '../../src/client-config';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { UserDirectory } from '../../src/user-directory';

/*
 * Across accounts (DESIGN.md): the pool's roles live in the identity account; a resource in a
 * workload account gets its side (bucket, table, key or REST API policy) in its own stack, naming
 * exactly the pool roles that hold a rule there; the roles' identity policies stay in the
 * identity account; no export or stack output crosses accounts.
 */

const IDENTITY = { account: '111111111111', region: 'us-east-1' };
const WORKLOAD = { account: '222222222222', region: 'us-east-1' };

function accounts() {
  const app = new App();
  const identity = new Stack(app, 'Identity', { env: IDENTITY });
  const workload = new Stack(app, 'Workload', { env: WORKLOAD });
  const users = new UserDirectory(identity, 'Users');
  users.addGroup('admins');
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(identity, 'Identities', { sources: [IdentitySource.userDirectory(users, web)] });
  return { app, identity, workload, users, web, pool };
}

const roleArn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${IDENTITY.account}:role/${name}`]] });

function roleNames(identity: Stack): Record<string, string> {
  const roles = Template.fromStack(identity).findResources('AWS::IAM::Role');
  return Object.fromEntries(Object.entries<any>(roles).map(([id, r]) => [id, r.Properties.RoleName]));
}

describe('bucket in another account', () => {
  test('the bucket policy in the workload stack allows the pool roles that hold a rule, the identity policies stay in the identity stack', () => {
    // GIVEN a bucket created by ScopedBucketAccess in the workload account
    const { identity, workload, pool } = accounts();
    const files = new ScopedBucketAccess(workload, 'Files', { identityPool: pool });
    // WHEN owners get their folder
    files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
    const wl = Template.fromStack(workload);
    const id = Template.fromStack(identity);
    // THEN the workload stack holds no IAM policy, and the bucket policy names the authenticated role by literal ARN
    wl.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    wl.resourceCountIs('AWS::IAM::Policy', 0);
    const authName = roleNames(identity)[identity.resolve((pool.authenticatedRole.node.defaultChild as any).logicalId)];
    expect(authName).toMatch(/^[a-z0-9]+$/);
    const statements = Object.values<any>(wl.findResources('AWS::S3::BucketPolicy'))
      .flatMap(p => p.Properties.PolicyDocument.Statement).filter((st: any) => st.Effect === 'Allow' && st.Principal?.AWS !== undefined);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({
        Principal: { AWS: roleArn(authName) },
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/private/*/*']] },
      }),
      expect.objectContaining({
        Principal: { AWS: roleArn(authName) },
        Action: 's3:ListBucket',
        Condition: { StringLike: { 's3:prefix': ['private/*/', 'private/*/*'] } },
      }),
    ]));
    expect(statements).toHaveLength(2);
    // AND the identity policy, per identity, is in the identity stack (the roles' account)
    const policies = JSON.stringify(id.toJSON().Resources);
    expect(policies).toContain('private/${cognito-identity.amazonaws.com:sub}/*');
    // AND no export or stack output crosses accounts
    expect(JSON.stringify(wl.toJSON())).not.toMatch(/Fn::ImportValue|Fn::GetStackOutput/);
    expect(JSON.stringify(id.toJSON())).not.toMatch(/Fn::ImportValue|Fn::GetStackOutput/);
  });

  test('a role without a rule on the bucket is not named', () => {
    // GIVEN group admins, which holds a role, and rules for the guest-free authenticated audience only on public/*
    const { identity, workload, pool } = accounts();
    pool.roleForGroup('admins');
    const files = new ScopedBucketAccess(workload, 'Files', { identityPool: pool });
    files.allow('reports/*', Audience.group('admins'), Access.READ);
    // THEN only the admins role is in the bucket policy
    const names = roleNames(identity);
    const admins = names[identity.resolve((pool.roleForGroup('admins').node.defaultChild as any).logicalId)];
    const statements = Object.values<any>(Template.fromStack(workload).findResources('AWS::S3::BucketPolicy'))[0].Properties.PolicyDocument.Statement;
    const principals = statements.filter((s: any) => s.Effect === 'Allow').map((s: any) => JSON.stringify(s.Principal));
    expect(new Set(principals)).toEqual(new Set([JSON.stringify({ AWS: roleArn(admins) })]));
  });

  test('same account: no statement for the roles in the bucket policy, and no role names', () => {
    // GIVEN the pool and the bucket in one account
    const { identity, pool } = accounts();
    const files = new ScopedBucketAccess(identity, 'Files', { identityPool: pool });
    files.allow('private/{identity}/*', Audience.owner(), Access.READ);
    const template = Template.fromStack(identity);
    // THEN the bucket policy has only the TLS Deny, and the roles keep generated names
    const statements = Object.values<any>(template.findResources('AWS::S3::BucketPolicy'))
      .flatMap(p => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((s: any) => s.Effect === 'Allow' && s.Principal?.AWS !== undefined)).toEqual([]);
    expect(Object.values(roleNames(identity)).filter(n => n !== undefined)).toEqual([]);
  });

  test('fails for a bucket of another account without a name known at synth', () => {
    // GIVEN the app's own bucket without a physical name in the workload account
    const { app, workload, pool } = accounts();
    const bucket = new s3.Bucket(workload, 'Own');
    const files = new ScopedBucketAccess(workload, 'Files', { identityPool: pool, bucket });
    files.allow('private/{identity}/*', Audience.owner(), Access.READ);
    // THEN synth refuses with the reason
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/`bucket`.*name across accounts must be known at synth.*PhysicalName.GENERATE_IF_NEEDED/s);
  });

  test('a bucket of another account with a generated physical name works', () => {
    const { workload, pool } = accounts();
    const bucket = new s3.Bucket(workload, 'Own', { bucketName: PhysicalName.GENERATE_IF_NEEDED });
    const files = new ScopedBucketAccess(workload, 'Files', { identityPool: pool, bucket });
    files.allow('private/{identity}/*', Audience.owner(), Access.READ);
    Template.fromStack(workload).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:GetObject', Principal: { AWS: Match.anyValue() } })]) },
    });
  });

  test('fails for an imported bucket of another account when no stack of that account can hold its policy', () => {
    // GIVEN a bucket import stated to be in the workload account, used from the identity account
    const { app, identity, pool } = accounts();
    const bucket = s3.Bucket.fromBucketAttributes(identity, 'Imported', { bucketName: 'workload-files', account: WORKLOAD.account });
    const files = new ScopedBucketAccess(identity, 'Files', { identityPool: pool, bucket });
    files.allow('private/{identity}/*', Audience.owner(), Access.READ);
    expect(() => app.synth()).toThrow(/`bucket`.*imported, and neither.*in a stack of account 222222222222/s);
  });

  test('an imported bucket used in a stack of its account gets a bucket policy there, with a warning', () => {
    const { workload, pool } = accounts();
    const bucket = s3.Bucket.fromBucketAttributes(workload, 'Imported', { bucketName: 'workload-files' });
    const files = new ScopedBucketAccess(workload, 'Files', { identityPool: pool, bucket });
    files.allow('private/{identity}/*', Audience.owner(), Access.READ);
    const template = Template.fromStack(workload);
    template.hasResourceProperties('AWS::S3::BucketPolicy', { Bucket: 'workload-files' });
    Annotations.fromStack(workload).hasWarning('/Workload/Files', Match.stringLikeRegexp('replaces any policy the bucket has'));
  });

  test('a customer key in the workload account gets the roles\' KMS statements, through S3 only', () => {
    // GIVEN a KMS-encrypted bucket, its key named by literal ARN for the identity side
    const { workload, pool } = accounts();
    const key = new kms.Key(workload, 'Key');
    const bucket = new s3.Bucket(workload, 'Own', { bucketName: 'workload-files-x', encryptionKey: key });
    const files = new ScopedBucketAccess(workload, 'Files', {
      identityPool: pool, bucket, encryptionKey: kms.Key.fromKeyArn(workload, 'KeyArn', `arn:aws:kms:us-east-1:${WORKLOAD.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
    });
    files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
    // THEN the key policy allows the role kms:Decrypt and kms:GenerateDataKey via S3 on the granted objects
    Template.fromStack(workload).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Principal: { AWS: Match.anyValue() },
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
        })]),
      },
    });
  });

  test('fails when the key of a bucket of another account has no ARN known at synth', () => {
    const { app, workload, pool } = accounts();
    const key = new kms.Key(workload, 'Key');
    const bucket = new s3.Bucket(workload, 'Own', { bucketName: 'workload-files-y', encryptionKey: key });
    const files = new ScopedBucketAccess(workload, 'Files', { identityPool: pool, bucket });
    files.allow('private/{identity}/*', Audience.owner(), Access.READ);
    expect(() => app.synth()).toThrow(/`encryptionKey`.*Import the key by its literal ARN/s);
  });
});

describe('imported pools', () => {
  test('fails for a pool imported in a stack of another account than its roles', () => {
    // GIVEN the pool imported in the workload account, its roles in the identity account
    const { app, workload } = accounts();
    const pool = FederatedIdentityPool.fromIdentityPoolId(workload, 'Pool', 'us-east-1:0a1b2c3d-1111-2222-3333-444455556666', {
      authenticatedRole: iam.Role.fromRoleArn(workload, 'Auth', `arn:aws:iam::${IDENTITY.account}:role/auth-role`),
    });
    new ScopedBucketAccess(workload, 'Files', { identityPool: pool }).allow('private/{identity}/*', Audience.owner(), Access.READ);
    // THEN the policies, attached by name, would reach no role of the pool: refused
    expect(() => app.synth()).toThrow(/`identityPool`.*Import the identity pool in a stack of account 111111111111/s);
  });

  test('a pool imported in a stack of its roles\' account holds the policies, and the bucket policy names the role by its ARN', () => {
    const { app, workload } = accounts();
    const identity2 = new Stack(app, 'Identity2', { env: IDENTITY });
    const pool = FederatedIdentityPool.fromIdentityPoolId(identity2, 'Pool', 'us-east-1:0a1b2c3d-1111-2222-3333-444455556666', {
      authenticatedRole: iam.Role.fromRoleArn(identity2, 'Auth', `arn:aws:iam::${IDENTITY.account}:role/auth-role`),
    });
    new ScopedBucketAccess(workload, 'Files', { identityPool: pool }).allow('private/{identity}/*', Audience.owner(), Access.READ);
    Template.fromStack(identity2).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['auth-role'] });
    Template.fromStack(workload).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { AWS: `arn:aws:iam::${IDENTITY.account}:role/auth-role` } })]) },
    });
  });
});

describe('table in another account', () => {
  function table(workload: Stack, name?: string): dynamodb.TableV2 {
    return new dynamodb.TableV2(workload, 'Notes', {
      tableName: name,
      partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    });
  }

  test('a TableV2 gets a name when another account refers to it', () => {
    const { workload, pool } = accounts();
    const notes = new ScopedTableAccess(workload, 'NotesAccess', { identityPool: pool, table: table(workload) });
    notes.allowOwnItems(Audience.owner(), Access.READ);
    Template.fromStack(workload).hasResourceProperties('AWS::DynamoDB::GlobalTable', { TableName: Match.stringLikeRegexp('^workload') });
  });

  test('the table\'s resource policy allows the roles the union of their actions; LeadingKeys stays in the identity policy', () => {
    const { identity, workload, pool } = accounts();
    const notes = new ScopedTableAccess(workload, 'NotesAccess', { identityPool: pool, table: table(workload, PhysicalName.GENERATE_IF_NEEDED) });
    notes.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE);
    const replicas = Object.values<any>(Template.fromStack(workload).findResources('AWS::DynamoDB::GlobalTable'))[0].Properties.Replicas;
    const statements = replicas[0].ResourcePolicy.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({ Effect: 'Allow', Resource: '*', Condition: { Null: { 'dynamodb:LeadingKeys': 'false' } } });
    expect(statements[0].Action).not.toContain('dynamodb:Scan');
    expect(JSON.stringify(statements)).not.toContain('cognito-identity.amazonaws.com:sub');
    expect(JSON.stringify(Template.fromStack(identity).toJSON())).toContain('"dynamodb:LeadingKeys":"${cognito-identity.amazonaws.com:sub}"');
  });

  test('fails for a table of another account without a name known at synth', () => {
    // GIVEN a Table (v1, which generates no physical name by itself) in the workload account
    const { app, workload, pool } = accounts();
    const own = new dynamodb.Table(workload, 'Own', { partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
    const notes = new ScopedTableAccess(workload, 'NotesAccess', { identityPool: pool, table: own });
    notes.allowOwnItems(Audience.owner(), Access.READ);
    expect(() => app.synth()).toThrow(/`table`.*PhysicalName.GENERATE_IF_NEEDED/s);
  });

  test('fails for an imported table of another account: its resource policy cannot be written', () => {
    const { app, identity, pool } = accounts();
    const imported = dynamodb.Table.fromTableArn(identity, 'Imported', `arn:aws:dynamodb:us-east-1:${WORKLOAD.account}:table/notes`);
    const notes = new ScopedTableAccess(identity, 'NotesAccess', {
      identityPool: pool, table: imported, partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
    });
    notes.allowOwnItems(Audience.owner(), Access.READ);
    expect(() => app.synth()).toThrow(/`table`.*resource policy can only be written where the table is created/s);
  });
});

describe('API in another account', () => {
  function restApi(workload: Stack): apigateway.RestApi {
    const api = new apigateway.RestApi(workload, 'Api', { defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM } });
    api.root.addResource('notes').addMethod('GET');
    return api;
  }

  test('fails for a REST API of another account until its deployed id is given', () => {
    const { app, workload, pool } = accounts();
    const access = new ScopedApiAccess(workload, 'ApiAccess', { identityPool: pool, api: restApi(workload) });
    access.allow('/notes/*', Audience.authenticated(), 'GET');
    expect(() => app.synth()).toThrow(/`deployedRestApiId`.*pass its id in `deployedRestApiId`/s);
  });

  test('with its deployed id, the REST API\'s resource policy allows the roles their methods and routes', () => {
    const { identity, workload, pool } = accounts();
    const access = new ScopedApiAccess(workload, 'ApiAccess', { identityPool: pool, api: restApi(workload), deployedRestApiId: 'a1b2c3d4e5' });
    access.allow('/notes/{identity}/*', Audience.owner(), 'GET');
    Template.fromStack(workload).hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: [{
          Action: 'execute-api:Invoke', Effect: 'Allow', Principal: { AWS: Match.anyValue() }, Resource: ['execute-api:/prod/GET/notes/*', 'execute-api:/prod/GET/notes/*/*'],
        }],
      },
    });
    expect(JSON.stringify(Template.fromStack(identity).toJSON())).toContain(':execute-api:us-east-1:222222222222:a1b2c3d4e5/prod/GET/notes/${cognito-identity.amazonaws.com:sub}');
  });

  test('fails for a deployed id that is no REST API id', () => {
    const { workload, pool } = accounts();
    expect(() => new ScopedApiAccess(workload, 'ApiAccess', { identityPool: pool, api: restApi(workload), deployedRestApiId: 'not an id' }))
      .toThrow(/`deployedRestApiId`/);
  });

  test('fails for an HTTP API of another account: it has no resource policy', () => {
    const { workload, pool } = accounts();
    const httpApi = new apigwv2.HttpApi(workload, 'Http');
    httpApi.addRoutes({ path: '/notes', integration: new HttpUrlIntegration('Notes', 'https://example.com'), authorizer: new HttpIamAuthorizer() });
    expect(() => new ScopedApiAccess(workload, 'ApiAccess', { identityPool: pool, httpApi })).toThrow(/`httpApi`.*HTTP APIs have no resource policy/s);
  });

  test('an HTTP API in the pool\'s account still works', () => {
    const { identity, pool } = accounts();
    const httpApi = new apigwv2.HttpApi(identity, 'Http');
    const access = new ScopedApiAccess(identity, 'ApiAccess', { identityPool: pool, httpApi });
    access.allow('/notes/*', Audience.authenticated(), 'GET');
    expect(() => Template.fromStack(identity)).not.toThrow();
  });
});

describe('identity pools per region', () => {
  test('an access construct in another region of the pool\'s account attaches its policies to the roles by their generated names', () => {
    // GIVEN the pool in us-east-1 and a bucket in eu-west-1, one account (aws-cdk-lib refused this
    // before: a role without a physical name cannot be named in another environment)
    const { app, identity, pool } = accounts();
    const eu = new Stack(app, 'FilesEu', { env: { account: IDENTITY.account, region: 'eu-west-1' } });
    new ScopedBucketAccess(eu, 'Files', { identityPool: pool }).allow('private/{identity}/*', Audience.owner(), Access.READ);
    // THEN the authenticated role has a name, and the eu-west-1 stack's managed policy attaches to it by that name
    const authName = roleNames(identity)[identity.resolve((pool.authenticatedRole.node.defaultChild as any).logicalId)];
    expect(authName).toMatch(/^[a-z0-9]+$/);
    Template.fromStack(eu).hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [authName] });
    // AND the bucket, in the pool's account, needs no resource side
    const statements = Object.values<any>(Template.fromStack(eu).findResources('AWS::S3::BucketPolicy')).flatMap(p => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((st: any) => st.Effect === 'Allow' && st.Principal?.AWS !== undefined)).toEqual([]);
  });

  test('a client configuration per region: the directory\'s region for sign-in, that region\'s pool and buckets', () => {
    // GIVEN the us-east-1 directory and an eu-west-1 pool with a bucket in the workload account's eu-west-1
    const { app, users, web } = accounts();
    const eu = new Stack(app, 'IdentityEu', { env: { account: IDENTITY.account, region: 'eu-west-1' } });
    const workloadEu = new Stack(app, 'WorkloadEu', { env: { account: WORKLOAD.account, region: 'eu-west-1' } });
    const poolEu = new FederatedIdentityPool(eu, 'Identities', { sources: [IdentitySource.userDirectory(users, web)] });
    const filesEu = new ScopedBucketAccess(workloadEu, 'Files', { identityPool: poolEu });
    filesEu.allow('private/{identity}/*', Audience.owner(), Access.READ);
    new ClientConfig(eu, 'ClientConfig', { directory: users, client: web, identityPool: poolEu, storage: [filesEu] });
    // THEN the eu-west-1 configuration signs in at the directory (us-east-1; the aws-amplify
    // libraries read each pool's region from its id) and names the eu-west-1 pool and bucket
    const output = JSON.stringify(Template.fromStack(eu).toJSON().Outputs.AmplifyOutputs.Value);
    expect(output).toContain('\\"auth\\":{\\"aws_region\\":\\"us-east-1\\"');
    expect(output).toContain('\\"storage\\":{\\"aws_region\\":\\"eu-west-1\\"');
    expect(output).toContain(JSON.stringify({ Ref: eu.resolve((poolEu.node.defaultChild as any).logicalId) }));
  });

  test('fails when a second pool asks a directory group for its role: a group has one', () => {
    // GIVEN the directory's admins group has its role from the us-east-1 pool
    const { app, users, web, pool } = accounts();
    pool.roleForGroup('admins');
    const eu = new Stack(app, 'IdentityEu', { env: { account: IDENTITY.account, region: 'eu-west-1' } });
    const poolEu = new FederatedIdentityPool(eu, 'Identities', { sources: [IdentitySource.userDirectory(users, web)] });
    // WHEN the eu-west-1 pool asks for it THEN it is refused
    expect(() => poolEu.roleForGroup('admins')).toThrow(/`groupName`.*already gives group `admins`/s);
  });

  test('a second region\'s pool with its own roles and rules works, and its identity ids are of its region', () => {
    const { app, users, web } = accounts();
    const eu = new Stack(app, 'IdentityEu', { env: { account: IDENTITY.account, region: 'eu-west-1' } });
    const poolEu = new FederatedIdentityPool(eu, 'Identities', { sources: [IdentitySource.userDirectory(users, web)] });
    const files = new ScopedBucketAccess(eu, 'Files', { identityPool: poolEu });
    files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
    expect(poolEu._identityRegion()).toBe('eu-west-1');
    expect(JSON.stringify(Template.fromStack(eu).toJSON())).toContain('protected/eu-west-1:????????-????-????-????-????????????/');
  });
});
