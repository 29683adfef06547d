/**
 * Deploys a default UserDirectory and checks, against the live user pool, that the secure
 * defaults are what Cognito really applied.
 *
 * The pool keeps its defaults (deletion protection, RETAIN) because that is what this test
 * proves: after `integ-runner` destroys the stack, delete the retained pool by hand
 * (turn deletion protection off first).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { UserDirectory } from '../src';

// The SDK v3 package name: integ-tests derives the IAM action from it (`cognito-idp:...`); the
// short name `CognitoIdentityProvider` would grant the non-existent `cognitoidentityprovider:...`.
const COGNITO_IDP = '@aws-sdk/client-cognito-identity-provider';

const app = new App();
const stack = new Stack(app, 'UserDirectoryInteg');
const users = new UserDirectory(stack, 'Users');
const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

const integ = new IntegTest(app, 'UserDirectoryTest', {
  testCases: [stack],
  // The retained pool is left behind on purpose (see above).
  cdkCommandOptions: { destroy: { args: { force: true } } },
});

integ.assertions.awsApiCall(COGNITO_IDP, 'DescribeUserPool', {
  UserPoolId: users.userPoolId,
}).expect(ExpectedResult.objectLike({
  UserPool: {
    DeletionProtection: 'ACTIVE',
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

integ.assertions.awsApiCall(COGNITO_IDP, 'DescribeUserPoolClient', {
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
