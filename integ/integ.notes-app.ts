import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { NotesAppStack } from '../examples/notes-app';

/*
 * The notes app (examples/notes-app.ts, the project's reference scenario) as an integ test, and
 * deploy-time assertions for each audience's plumbing:
 *
 * - guests: the identity pool allows unauthenticated identities, classic flow stays off;
 * - signed-in users: the directory's token mapping falls back to the authenticated role (users in
 *   no group keep access), and the `tenant` principal tag is mapped;
 * - owners: the notes table keeps point-in-time recovery;
 * - everybody: the uploads bucket denies plain HTTP and is not public;
 * - the directory: passkeys next to passwords, the group-scopes trigger on version 2 events, and
 *   the reports job's client-credentials client.
 * - the front end: the `AmplifyOutputs` Output holds the deployed user pool, client, identity
 *   pool and bucket.
 *
 * End-to-end per-audience credentials are covered by integ.bucket-access.ts and
 * integ.table-api-access.ts. The example's defaults that keep data (RETAIN, deletion protection)
 * are asserted by unit tests (test/examples/notes-app.test.ts); here the stack opts out of them
 * through the library's props (`destroyWithStack`), so `integ-runner` deletes everything.
 * Nothing needs to exist beforehand: the Google secret is created in the stack, the SAML metadata
 * is inline, and email codes (which need an SES-verified domain) are left out (`emailCodes: false`;
 * unit tests assert them on the example's template).
 */
// The SDK v3 package name, so that integ-tests grants `cognito-idp:...` actions.
const COGNITO_IDP = '@aws-sdk/client-cognito-identity-provider';

const app = new App();
// Its own stack name, so it never collides with a deployed example, and its own fixed managed
// login prefix (global across AWS accounts; passkeys are bound to it).
const stack = new NotesAppStack(app, 'NotesAppInteg', { destroyWithStack: true, authDomainPrefix: 'notes-app-integ-test', emailCodes: false });

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

// The directory: choice-based sign-in with passkeys (user verification required), optional MFA
// (the explicit price of passwordless sign-in), group scopes added by a V2 trigger.
integ.assertions.awsApiCall(COGNITO_IDP, 'DescribeUserPool', { UserPoolId: stack.users.userPoolId })
  .expect(ExpectedResult.objectLike({
    UserPool: {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: Match.arrayWith(['PASSWORD', 'WEB_AUTHN']) } },
      WebAuthnUserVerification: 'required',
      MfaConfiguration: 'OPTIONAL',
      LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V2_0' } },
    },
  }));

// The reports job: client credentials for notes-api/reports.read only.
integ.assertions.awsApiCall(COGNITO_IDP, 'DescribeUserPoolClient', {
  UserPoolId: stack.users.userPoolId,
  ClientId: stack.reportsClient.userPoolClientId,
}).expect(ExpectedResult.objectLike({
  UserPoolClient: { AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['notes-api/reports.read'] },
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
