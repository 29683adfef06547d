/**
 * Deploys an invite-only UserDirectory whose SAML provider admits one email domain, and checks
 * the live admission trigger: Cognito still lets an administrator create a user (the trigger runs
 * for `PreSignUp_AdminCreateUser` and must let it through), and the deployed function admits a
 * federated first sign-in at the listed domain and refuses one at a lookalike domain.
 *
 * The SAML provider's metadata is inline (examples/corp-saml-metadata.xml): nothing outside the
 * stack is needed, and nobody can sign in through it. The stack opts out of RETAIN and deletion
 * protection, so `integ-runner` deletes the pool and the trigger's log group.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DirectoryProvider, FederatedSignUp, UserDirectory } from '../src';

const app = new App();
const stack = new Stack(app, 'SignUpAdmissionInteg');
const users = new UserDirectory(stack, 'Users', {
  domainPrefix: 'cdk-fa-signup-admission-integ',
  removalPolicy: RemovalPolicy.DESTROY,
  deletionProtection: false,
});
users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
users.addIdentityProvider(DirectoryProvider.saml({
  name: 'Corp',
  metadataDocument: fs.readFileSync(path.join(__dirname, '..', 'examples', 'corp-saml-metadata.xml'), 'utf8'),
  signUp: FederatedSignUp.emailDomains('example.com'),
}));
const trigger = users.signUpAdmissionFunction!;

const integ = new IntegTest(app, 'SignUpAdmission', { testCases: [stack] });

// The v3 client name, so that the assertion's IAM action gets the service's IAM prefix (`cognito-idp`).
const USER_POOLS = '@aws-sdk/client-cognito-identity-provider';

// An administrator still creates users: Cognito calls the trigger with PreSignUp_AdminCreateUser.
integ.assertions.awsApiCall(USER_POOLS, 'AdminCreateUser', {
  UserPoolId: users.userPoolId,
  Username: 'invited@example.org',
  MessageAction: 'SUPPRESS',
  UserAttributes: [{ Name: 'email', Value: 'invited@example.org' }],
}).expect(ExpectedResult.objectLike({ User: { Username: 'invited@example.org' } }))
  .next(integ.assertions.awsApiCall(USER_POOLS, 'AdminDeleteUser', { UserPoolId: users.userPoolId, Username: 'invited@example.org' }));

function externalSignIn(email: string) {
  return {
    version: '1',
    triggerSource: 'PreSignUp_ExternalProvider',
    region: stack.region,
    userPoolId: 'integ',
    userName: 'corp_integ-user',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'integ' },
    request: { userAttributes: { email } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

// The deployed code admits the listed domain (the event comes back unchanged) ...
const admitted = externalSignIn('alice@example.com');
integ.assertions.invokeFunction({ functionName: trigger.functionName, payload: JSON.stringify(admitted) })
  .expect(ExpectedResult.objectLike({ Payload: JSON.stringify(admitted) }));

// ... and refuses a domain that only starts like it.
integ.assertions.invokeFunction({ functionName: trigger.functionName, payload: JSON.stringify(externalSignIn('alice@example.com.attacker.test')) })
  .expect(ExpectedResult.objectLike({ FunctionError: 'Unhandled' }));

app.synth();
