import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { FederatedIdentityPool, IdentitySource, RoleMappingMatchType } from '../src/identity-pool';
import { UserDirectory } from '../src/user-directory';

/*
 * A user directory and a Google source federated into an identity pool with guest access, a
 * group role (token mapping), a rule mapping and the `tenant` principal tag. The assertions read
 * the deployed pool back through the Cognito Identity API.
 */
const app = new App();
const stack = new Stack(app, 'FederatedIdentityPoolInteg');

const users = new UserDirectory(stack, 'Users', {
  // A test deployment must clean up after itself; the library defaults keep the pool.
  removalPolicy: RemovalPolicy.DESTROY,
  deletionProtection: false,
});
users.addGroup('admins', { precedence: 0 });
users.addCustomAttribute('tenant', { mutable: false });
const web = users.addWebClient('Web');

const google = IdentitySource.google({ clientId: 'integ-test.apps.googleusercontent.com' });
const identities = new FederatedIdentityPool(stack, 'Identities', {
  sources: [IdentitySource.userDirectory(users, web), google],
  guestAccess: true,
  principalTags: { tenant: 'custom:tenant' },
  removalPolicy: RemovalPolicy.DESTROY, // the library keeps the pool by default
});
identities.roleForGroup('admins');
const workspace = identities.createRole('Workspace');
identities.addRoleMapping(google, {
  rules: [{ claim: 'hd', matchType: RoleMappingMatchType.EQUALS, value: 'example.com', role: workspace }],
});

const integ = new IntegTest(app, 'FederatedIdentityPool', {
  testCases: [stack],
  diffAssets: true,
});

const userPoolProvider = `${users.userPoolProviderName}:${web.userPoolClientId}`;

integ.assertions.awsApiCall('CognitoIdentity', 'DescribeIdentityPool', {
  IdentityPoolId: identities.identityPoolId,
}).expect(ExpectedResult.objectLike({
  AllowUnauthenticatedIdentities: true,
  AllowClassicFlow: false,
  CognitoIdentityProviders: [{
    ProviderName: users.userPoolProviderName,
    ClientId: web.userPoolClientId,
    ServerSideTokenCheck: true,
  }],
  SupportedLoginProviders: { 'accounts.google.com': 'integ-test.apps.googleusercontent.com' },
}));

integ.assertions.awsApiCall('CognitoIdentity', 'GetIdentityPoolRoles', {
  IdentityPoolId: identities.identityPoolId,
}).expect(ExpectedResult.objectLike({
  Roles: {
    authenticated: identities.authenticatedRole.roleArn,
    unauthenticated: identities.guestRole!.roleArn,
  },
  RoleMappings: {
    // Directory users: the group's role by token, users in no group keep the authenticated role.
    [userPoolProvider]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' },
    // Google users: by rule, and no credentials when no rule matches.
    'accounts.google.com': {
      Type: 'Rules',
      AmbiguousRoleResolution: 'Deny',
      RulesConfiguration: { Rules: [{ Claim: 'hd', MatchType: 'Equals', Value: 'example.com', RoleARN: workspace.roleArn }] },
    },
  },
}));

integ.assertions.awsApiCall('CognitoIdentity', 'GetPrincipalTagAttributeMap', {
  IdentityPoolId: identities.identityPoolId,
  IdentityProviderName: users.userPoolProviderName,
}).expect(ExpectedResult.objectLike({
  UseDefaults: false,
  PrincipalTags: { tenant: 'custom:tenant' },
}));

app.synth();
