import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { RoleTarget } from '../private/role-view';
import { IUserDirectory } from '../user-directory';

/**
 * An identity pool that the access constructs can grant to.
 *
 * Implemented by `FederatedIdentityPool` and by `FederatedIdentityPool.fromIdentityPoolId()`.
 */
export interface IFederatedIdentityPool extends IConstruct {
  /** The identity pool id (`<region>:<uuid>`). */
  readonly identityPoolId: string;

  /** The identity pool ARN. */
  readonly identityPoolArn: string;

  /** The role of authenticated identities that no mapping gives another role. */
  readonly authenticatedRole: iam.IRole;

  /**
   * The role of unauthenticated (guest) identities.
   *
   * @default - none: guest access is off
   */
  readonly guestRole?: iam.IRole;

  /** Whether unauthenticated (guest) identities get credentials. */
  readonly guestAccess: boolean;

  /**
   * Every role an authenticated identity can receive: the authenticated role, each group role
   * and each rule-mapped role, including roles added after this is read.
   */
  readonly authenticatedRoles: iam.IRole[];

  /** The names of the principal tags identities carry (`aws:PrincipalTag/<name>`). */
  readonly principalTagNames: string[];

  /**
   * Whether identities carry a principal tag of this name.
   *
   * @example
   * /// fixture=api
   * if (identities.hasPrincipalTag('tenant')) {
   *   files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);
   * }
   */
  hasPrincipalTag(name: string): boolean;

  /**
   * Whether `roleForGroup(groupName, directory)` can give the group a role.
   *
   * @param groupName the group name
   * @param directory the user directory whose group it is
   * @default - any federated directory
   */
  canMapGroup(groupName: string, directory?: IUserDirectory): boolean;

  /**
   * The role that members of a user directory group receive.
   *
   * @param groupName the group name
   * @param directory the user directory whose group it is; required when more than one federated directory has the group
   * @default - the only federated directory that has the group
   */
  roleForGroup(groupName: string, directory?: IUserDirectory): iam.IRole;

  /**
   * Every role of the pool with the audience whose rules reach it, as the access constructs need them.
   * @internal
   */
  _roleTargets(): RoleTarget[];

  /**
   * The region part of every identity id of the pool (`<region>` in `<region>:<uuid>`): a literal
   * when known at synth, else derived from the pool id at deploy time.
   * @internal
   */
  _identityRegion(): string;
}
