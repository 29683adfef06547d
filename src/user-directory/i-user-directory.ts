import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ClaimMatch } from './claims';

/**
 * A user directory: a Cognito user pool that the identity and access constructs can federate.
 *
 * Implemented by `UserDirectory` and by `UserDirectory.fromUserPool()` for existing pools.
 */
export interface IUserDirectory extends IConstruct {
  /** The Cognito user pool. */
  readonly userPool: cognito.IUserPool;

  /** The user pool id. */
  readonly userPoolId: string;

  /** The user pool ARN. */
  readonly userPoolArn: string;

  /** The provider name identity pools use for this pool (`cognito-idp.<region>.amazonaws.com/<id>`). */
  readonly userPoolProviderName: string;

  /** The names of the groups this directory knows of. */
  readonly groupNames: string[];

  /** The app clients users of this directory sign in through. */
  readonly webClients: cognito.IUserPoolClient[];

  /**
   * Whether the directory has a group of this name.
   *
   * @example
   * /// fixture=api
   * if (!users.hasGroup('admins')) {
   *   users.addGroup('admins');
   * }
   */
  hasGroup(groupName: string): boolean;

  /**
   * Whether a user can choose this token claim: write the attribute behind it through any app
   * client of the pool in this app, choose it at sign-up (an attribute, or `cognito:username` when
   * users pick user names), or have an identity provider that is not trusted for it fill it.
   *
   * A claim that users can choose (e.g. `email`, a custom attribute with `userWritable: true`, or
   * one an identity provider maps) must never decide access, e.g. as a principal tag or in a
   * role-mapping rule.
   *
   * @param claim a claim name such as `custom:tenant` or `email`
   *
   * @example
   * /// fixture=api
   * if (!users.isClaimUserWritable('custom:tenant')) {
   *   files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ);
   * }
   */
  isClaimUserWritable(claim: string): boolean;

  /**
   * Every way a user can choose this token claim, each as `<construct path> (<why>)`: the app
   * clients through which they write the attribute behind it or set it at sign-up, the pool when
   * they pick their user name (`cognito:username`), and the identity providers that fill it
   * without being trusted for it (`identities`: every provider). Empty when only administrators,
   * back ends and trusted enterprise providers set it. Every app client and identity provider of
   * the pool in this app is inspected, L1 resources included. An imported pool is read
   * conservatively: sign-up may be on, users may pick their user names, and its app clients and
   * identity providers outside the app may let users write any attribute the import does not rule
   * out (`userWritableAttributes`).
   *
   * @param claim a claim name such as `custom:tenant` or `email`
   *
   * @example
   * /// fixture=api
   * const writers = users.claimWriters('custom:tenant');
   * if (writers.length > 0) {
   *   Annotations.of(this).addWarningV2('tenant-writable', `custom:tenant can be written by ${writers.join(', ')}`);
   * }
   */
  claimWriters(claim: string): string[];

  /**
   * `claimWriters` read from the resources as CloudFormation will receive them (every client
   * resource of the pool in the app, escape hatches included); only valid at synth (validation).
   * With `match` (a role-mapping rule), also the ways a user can hold a value that satisfies it.
   * @internal
   */
  _claimWritersAtSynth(claim: string, match?: ClaimMatch): string[];

  /**
   * `claimWriters` for a role-mapping rule: also the ways a user can hold a value that satisfies
   * it (a federated user name, chosen by its provider).
   * @internal
   */
  _ruleClaimWriters(claim: string, match: ClaimMatch, atSynth: boolean): string[];

  /**
   * Makes `role` the IAM role of the group, so that the group's members receive it
   * through the `cognito:preferred_role` and `cognito:roles` claims.
   *
   * @returns false when the directory cannot set it (an imported pool): set it yourself then
   *
   * @example
   * /// fixture=api
   * users.addGroup('auditors');
   * users.setGroupRole('auditors', iam.Role.fromRoleName(this, 'Auditors', 'notes-auditors'));
   */
  setGroupRole(groupName: string, role: iam.IRole): boolean;

  /**
   * Lets `grantee` read the pool's users, groups and group members. Scoped to this pool's ARN.
   *
   * Actions: AdminGetUser, ListUsers, AdminListGroupsForUser, ListGroups, GetGroup,
   * ListUsersInGroup. Worst case: reads every user's attributes (personal data). Devices and
   * sign-in history are left out (name them with `grant()`).
   *
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-manage-user-accounts.html
   *
   * @example
   * /// fixture=api
   * users.grantReadUsers(adminFn);
   */
  grantReadUsers(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` run the account lifecycle: create, confirm, disable, enable and delete users,
   * force a password reset, sign users out, and add users to groups or remove them. Scoped to
   * this pool's ARN.
   *
   * Actions: AdminCreateUser, AdminConfirmSignUp, AdminDisableUser, AdminEnableUser,
   * AdminDeleteUser, AdminResetUserPassword (the code goes to the user's own verified email or
   * phone), AdminUserGlobalSignOut, AdminAddUserToGroup, AdminRemoveUserFromGroup.
   *
   * Worst case: it creates users with any attributes (a verified email it does not own, any
   * `custom:tenant`) and a password it chooses, and puts any user in any group, `admins` and
   * its IAM role included, so it can act as a new member of any tenant or group. An invited user
   * who has not signed in yet can be re-invited with a temporary password it chooses
   * (AdminCreateUser with RESEND). It never signs in as a user who has signed in.
   *
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUser.html
   *
   * @example
   * /// fixture=api
   * users.grantManageAccounts(adminFn);
   */
  grantManageAccounts(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` change and delete any user's attributes, the ones users sign in with
   * included: THIS CAN SIGN IN AS ANY USER, administrators included. Scoped to this pool's ARN.
   *
   * Actions: AdminUpdateUserAttributes, AdminDeleteUserAttributes. Worst case: it sets `email`
   * with `email_verified` to an address it receives, then signs in with an email code or resets
   * the password, wherever MFA does not stop it (MFA off or optional, a user without an
   * authenticator yet, email MFA). Grant it only to a back end you would trust with every account;
   * `custom:tenant` and other admin-only attributes are written through it.
   *
   * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html
   *
   * @example
   * /// fixture=api
   * users.grantChangeSignInAttributes(adminFn);
   */
  grantChangeSignInAttributes(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` read users and run their lifecycle: create, read, disable, enable and delete
   * them, force a password reset and sign them out. Scoped to this pool's ARN.
   *
   * It no longer changes attributes (that signs in as any user: `grantChangeSignInAttributes()`).
   *
   * @deprecated use `grantReadUsers()` and `grantManageAccounts()`, and
   * `grantChangeSignInAttributes()` where a back end must change attributes
   *
   * @example
   * /// fixture=api
   * users.grantManageUsers(adminFn);
   */
  grantManageUsers(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` manage group membership: list groups and members, add and remove users.
   * Groups themselves (precedence, IAM role) stay with the stack. Scoped to this pool's ARN.
   *
   * Worst case: puts any user, its own accounts included, in any group, `admins` and its IAM role
   * included.
   *
   * @example
   * /// fixture=api
   * users.grantManageGroups(adminFn);
   */
  grantManageGroups(grantee: iam.IGrantable): iam.Grant;

  /**
   * Lets `grantee` call the given `cognito-idp` actions on this pool only. Actions are named one
   * by one (no wildcards) and must apply to a user pool.
   *
   * Each action that signs in as a user (or a client) or changes how users sign in
   * (`AdminSetUserPassword`, `AdminInitiateAuth`, `AdminUpdateUserAttributes`, `UpdateUserPool`,
   * `UpdateUserPoolClient`, ... README "Admin grants" lists them) adds a warning with the id
   * `cdk-federated-access:grantSignsInAsUser-<action>`.
   *
   * @param actions e.g. `cognito-idp:AdminGetUser`
   *
   * @example
   * /// fixture=api
   * users.grant(adminFn, 'cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser');
   */
  grant(grantee: iam.IGrantable, ...actions: string[]): iam.Grant;
}
