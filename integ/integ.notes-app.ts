import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { NotesAppStack } from '../examples/notes-app';

/*
 * The notes app (examples/notes-app.ts, the project's reference scenario) as an integ test, and
 * deploy-time assertions for each audience's plumbing:
 *
 * - guests: the identity pool allows unauthenticated identities, classic flow stays off;
 * - signed-in users: the directory's token mapping falls back to the authenticated role (users in
 *   no group keep access), and the `tenant` principal tag is mapped;
 * - owners: the notes table keeps point-in-time recovery;
 * - everybody: the uploads bucket denies plain HTTP and is not public.
 *
 * End-to-end per-audience credentials are covered by integ.bucket-access.ts and
 * integ.table-api-access.ts. The example's defaults that keep data (RETAIN, deletion protection)
 * are asserted by unit tests (test/examples/notes-app.test.ts); here the stack opts out of them
 * through the library's props (`destroyWithStack`), so `integ-runner` deletes everything.
 * Nothing needs to exist beforehand: the Google secret is created in the stack and the SAML
 * metadata is inline.
 */
const app = new App();
// Its own stack name, so it never collides with a deployed example.
const stack = new NotesAppStack(app, 'NotesAppInteg', { destroyWithStack: true });

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

// Owners' notes can be restored: point-in-time recovery on the table.
integ.assertions.awsApiCall('DynamoDB', 'DescribeContinuousBackups', { TableName: stack.notes.table.tableName })
  .expect(ExpectedResult.objectLike({
    ContinuousBackupsDescription: { PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' } },
  }));

// The uploads bucket: TLS only, and S3 itself finds it not public (GetBucketPolicyStatus, IAM
// action s3:GetBucketPolicyStatus; the block-public-access settings are asserted by unit tests).
integ.assertions.awsApiCall('S3', 'GetBucketPolicy', { Bucket: stack.files.bucket.bucketName })
  .expect(ExpectedResult.objectLike({ Policy: Match.stringLikeRegexp('aws:SecureTransport') }));
integ.assertions.awsApiCall('S3', 'GetBucketPolicyStatus', { Bucket: stack.files.bucket.bucketName })
  .expect(ExpectedResult.objectLike({ PolicyStatus: { IsPublic: false } }));

app.synth();
