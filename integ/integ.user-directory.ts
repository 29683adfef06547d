/**
 * Deploys a UserDirectory with a web client and checks, against the live user pool, that the
 * secure defaults are what Cognito really applied.
 *
 * The stack opts out of RETAIN and deletion protection through the directory's own props, so
 * `integ-runner` deletes the pool; that these two are on by default is asserted by unit tests
 * (test/user-directory/user-directory.test.ts).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { UserDirectory } from '../src';

const app = new App();
const stack = new Stack(app, 'UserDirectoryInteg');
const users = new UserDirectory(stack, 'Users', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

const integ = new IntegTest(app, 'UserDirectoryTest', { testCases: [stack] });

// The v3 client name, so that the assertion's IAM action gets the service's IAM prefix (`cognito-idp`).
const USER_POOLS = '@aws-sdk/client-cognito-identity-provider';

integ.assertions.awsApiCall(USER_POOLS, 'DescribeUserPool', {
  UserPoolId: users.userPoolId,
}).expect(ExpectedResult.objectLike({
  UserPool: {
    MfaConfiguration: 'ON',
    UserPoolTier: 'PLUS',
    Policies: {
      PasswordPolicy: {
        MinimumLength: 12,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 3,
      },
    },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
  },
}));

integ.assertions.awsApiCall(USER_POOLS, 'DescribeUserPoolClient', {
  UserPoolId: users.userPoolId,
  ClientId: web.userPoolClientId,
}).expect(ExpectedResult.objectLike({
  UserPoolClient: {
    AllowedOAuthFlows: ['code'],
    AllowedOAuthFlowsUserPoolClient: true,
    PreventUserExistenceErrors: 'ENABLED',
    EnableTokenRevocation: true,
  },
}));

app.synth();
