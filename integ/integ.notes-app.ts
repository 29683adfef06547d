import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { NotesAppStack } from '../examples/notes-app';

/*
 * The notes app (examples/notes-app.ts, DESIGN.md's reference scenario) as an integ test, with
 * the library's defaults untouched, and deploy-time assertions for each audience's plumbing:
 *
 * - guests: the identity pool allows unauthenticated identities, classic flow stays off;
 * - signed-in users: the directory's token mapping falls back to the authenticated role (users in
 *   no group keep access), and the `tenant` principal tag is mapped;
 * - owners: the notes table keeps point-in-time recovery and deletion protection;
 * - everybody: the uploads bucket denies plain HTTP and blocks public access;
 * - the front end: the `AmplifyOutputs` Output holds the deployed user pool, client, identity
 *   pool and bucket.
 *
 * End-to-end per-audience credentials are covered by integ.bucket-access.ts and
 * integ.table-api-access.ts.
 *
 * Deploying needs what the example needs: the Secrets Manager secret
 * `notes-app/google-client-secret` and a reachable SAML metadata URL. The library defaults
 * (RETAIN, deletion protection) keep the user pool, table and bucket after `destroy`.
 */
const app = new App();
// Its own stack name, so it never collides with a deployed example.
const stack = new NotesAppStack(app, 'NotesAppInteg');

// The example's hosted-UI domain prefix is global across AWS accounts: the integ uses its own,
// fixed, prefix (deterministic snapshot); nothing else of the example or the library changes.
const domain = stack.users.domain?.node.defaultChild as cognito.CfnUserPoolDomain;
domain.domain = 'notes-app-integ-test';

const integ = new IntegTest(app, 'NotesApp', { testCases: [stack], diffAssets: true });

const web = stack.users.webClients[0];
const identityPoolId = stack.identities.identityPoolId;

// Guests: guest access on, classic (basic) flow off.
integ.assertions.awsApiCall('CognitoIdentity', 'DescribeIdentityPool', { IdentityPoolId: identityPoolId })
  .expect(ExpectedResult.objectLike({
    AllowUnauthenticatedIdentities: true,
    AllowClassicFlow: false,
    CognitoIdentityProviders: [{
      ProviderName: stack.users.userPoolProviderName,
      ClientId: web.userPoolClientId,
      ServerSideTokenCheck: true,
    }],
  }));

// Signed-in users and groups: the directory's token mapping falls back to the authenticated role.
integ.assertions.awsApiCall('CognitoIdentity', 'GetIdentityPoolRoles', { IdentityPoolId: identityPoolId })
  .expect(ExpectedResult.objectLike({
    Roles: {
      authenticated: stack.identities.authenticatedRole.roleArn,
      unauthenticated: stack.identities.guestRole!.roleArn,
    },
    RoleMappings: {
      [`${stack.users.userPoolProviderName}:${web.userPoolClientId}`]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' },
    },
  }));

// Tenants: the `tenant` session tag comes from the admin-only `custom:tenant` claim.
integ.assertions.awsApiCall('CognitoIdentity', 'GetPrincipalTagAttributeMap', {
  IdentityPoolId: identityPoolId,
  IdentityProviderName: stack.users.userPoolProviderName,
}).expect(ExpectedResult.objectLike({ UseDefaults: false, PrincipalTags: { tenant: 'custom:tenant' } }));

// Owners' notes survive: deletion protection and point-in-time recovery on the table.
integ.assertions.awsApiCall('DynamoDB', 'DescribeTable', { TableName: stack.notes.table.tableName })
  .expect(ExpectedResult.objectLike({ Table: { DeletionProtectionEnabled: true, TableStatus: 'ACTIVE' } }));
integ.assertions.awsApiCall('DynamoDB', 'DescribeContinuousBackups', { TableName: stack.notes.table.tableName })
  .expect(ExpectedResult.objectLike({
    ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' } },
  }));

// The uploads bucket: TLS only, no public access at all.
integ.assertions.awsApiCall('S3', 'GetBucketPolicy', { Bucket: stack.files.bucket.bucketName })
  .expect(ExpectedResult.objectLike({ Policy: Match.stringLikeRegexp('aws:SecureTransport') }));
integ.assertions.awsApiCall('S3', 'GetPublicAccessBlock', { Bucket: stack.files.bucket.bucketName })
  .expect(ExpectedResult.objectLike({
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  }));

// The front end's configuration: the Output holds this deployment's ids (amplify_outputs.json).
integ.assertions.awsApiCall('CloudFormation', 'DescribeStacks', { StackName: stack.stackName })
  .expect(ExpectedResult.objectLike({
    Stacks: [{
      Outputs: Match.arrayWith([{
        OutputKey: 'AmplifyOutputs',
        OutputValue: Match.serializedJson({
          version: '1.5',
          auth: Match.objectLike({
            user_pool_id: stack.users.userPoolId,
            user_pool_client_id: web.userPoolClientId,
            identity_pool_id: identityPoolId,
          }),
          storage: Match.objectLike({ bucket_name: stack.files.bucket.bucketName }),
        }),
      }]),
    }],
  }));

app.synth();
