import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
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
 * - the directory: passkeys and email codes next to passwords, the group-scopes trigger on
 *   version 2 events, and the reports job's client-credentials client.
 *
 * End-to-end per-audience credentials are covered by integ.bucket-access.ts and
 * integ.table-api-access.ts.
 *
 * Deploying needs what the example needs: the Secrets Manager secret
 * `notes-app/google-client-secret`, a reachable SAML metadata URL and the SES-verified domain
 * `notes.example.com` (email codes go out through Amazon SES). The library defaults
 * (RETAIN, deletion protection) keep the user pool, table and bucket after `destroy`.
 */
// The SDK v3 package name, so that integ-tests grants `cognito-idp:...` actions.
const COGNITO_IDP = '@aws-sdk/client-cognito-identity-provider';

const app = new App();
// Its own stack name, so it never collides with a deployed example, and its own fixed managed
// login prefix (global across AWS accounts; passkeys are bound to it): nothing else changes.
const stack = new NotesAppStack(app, 'NotesAppInteg', { authDomainPrefix: 'notes-app-integ-test' });

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
const publicAccessBlock = integ.assertions.awsApiCall('S3', 'GetPublicAccessBlock', { Bucket: stack.files.bucket.bucketName });
// integ-tests derives `s3:GetPublicAccessBlock` from the API name, but the IAM action is
// `s3:GetBucketPublicAccessBlock`: grant it, or the assertion is denied when deployed.
publicAccessBlock.provider.addToRolePolicy({ Effect: 'Allow', Action: ['s3:GetBucketPublicAccessBlock'], Resource: ['*'] });
publicAccessBlock.expect(ExpectedResult.objectLike({
  PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
}));

// The directory: choice-based sign-in with passkeys (user verification required) and email codes,
// optional MFA (the explicit price of passwordless sign-in), group scopes added by a V2 trigger.
integ.assertions.awsApiCall(COGNITO_IDP, 'DescribeUserPool', { UserPoolId: stack.users.userPoolId })
  .expect(ExpectedResult.objectLike({
    UserPool: {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: Match.arrayWith(['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP']) } },
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

app.synth();
