import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { invalid } from '../private/errors';
import { directoryKeyOf, groupKey } from '../private/role-view';
import type { IUserDirectory } from '../user-directory/i-user-directory';

/**
 * The kinds of audience an access rule can name.
 */
export enum AudienceKind {
  /**
   * Unauthenticated (guest) identities of the identity pool.
   */
  GUEST = 'GUEST',

  /**
   * Every signed-in identity, whatever role it receives.
   */
  AUTHENTICATED = 'AUTHENTICATED',

  /**
   * A signed-in identity acting on its own `{identity}` path segment.
   */
  OWNER = 'OWNER',

  /**
   * Members of one user directory group (through the group's role).
   */
  GROUP = 'GROUP',

  /**
   * One back-end principal (a Lambda function, a role, ...), outside the identity pool.
   */
  PRINCIPAL = 'PRINCIPAL',
}

/** A key per back-end principal object, so that rules for the same function share one view. */
const PRINCIPAL_KEYS = new WeakMap<object, string>();
let principalCount = 0;

/**
 * Who an access rule is for.
 *
 * - `Audience.guest()` reaches only the guest role.
 * - `Audience.authenticated()` and `Audience.owner()` reach every role a signed-in user can
 *   receive (the authenticated role, every group role and every rule-mapped role), so a group
 *   member never loses owner access by being in a group.
 * - `Audience.group(name, directory)` reaches only the role of that directory's group (without a
 *   directory: the role of the only federated directory that has the group).
 * - `Audience.principal(grantable)` reaches only that back-end principal's own policy.
 *
 * @example
 * /// fixture=api
 * files.allow('public/*', Audience.guest(), Access.READ);
 * files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
 * files.allow('reports/*', Audience.group('admins'), Access.READ);
 */
export class Audience {
  /**
   * Unauthenticated (guest) identities.
   *
   * @example
   * /// fixture=api
   * // needs `guestAccess: true` on the identity pool
   * files.allow('public/*', Audience.guest(), Access.READ);
   */
  public static guest(): Audience {
    return new Audience(AudienceKind.GUEST);
  }

  /**
   * Every signed-in identity; a `{identity}` segment matches anyone's identity id.
   *
   * @example
   * /// fixture=api
   * files.allow('shared/*', Audience.authenticated(), Access.READ, Access.WRITE);
   */
  public static authenticated(): Audience {
    return new Audience(AudienceKind.AUTHENTICATED);
  }

  /**
   * A signed-in identity on its own data: the path's `{identity}` segment is the caller's own
   * identity id (`${cognito-identity.amazonaws.com:sub}`). The path must contain `{identity}`.
   *
   * @example
   * /// fixture=api
   * notes.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
   * files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
   */
  public static owner(): Audience {
    return new Audience(AudienceKind.OWNER);
  }

  /**
   * Members of a user directory group (the group's role); a `{identity}` segment matches
   * anyone's identity id.
   *
   * A group belongs to one directory: when several federated directories have a group of this
   * name (a partner directory with its own `admins`), name the directory, or the rule is refused.
   *
   * @param name the group name (1-128 characters, no whitespace)
   * @param directory the user directory whose group it is
   * @default - the only federated directory that has the group
   *
   * @example
   * /// fixture=api
   * users.addGroup('editors');
   * notes.allowItems(Audience.group('editors', users), Access.READ, Access.WRITE);
   */
  public static group(name: string, directory?: IUserDirectory): Audience {
    if (!Token.isUnresolved(name)) {
      if (typeof name !== 'string' || name.length === 0) {
        invalid('name', name, 'A group name must not be empty', 'Pass the name of a group of the user directory, e.g. `Audience.group(\'admins\')`.');
      }
      if (name.length > 128) {
        invalid('name', name, `A group name has at most 128 characters, this one has ${name.length}`, 'Use the name the group has in the user directory.');
      }
      if (/\s/.test(name)) {
        invalid('name', name, 'A group name must not contain whitespace', 'Use the name the group has in the user directory, e.g. `Audience.group(\'admins\')`.');
      }
    }
    if (directory !== undefined && (directory === null || typeof directory !== 'object' || typeof directory.userPoolId !== 'string')) {
      invalid('directory', directory, 'A group\'s directory must be a user directory', 'Pass the `UserDirectory` whose group it is, or leave it out.');
    }
    return new Audience(AudienceKind.GROUP, name, undefined, undefined, directory);
  }

  /**
   * A back end (a Lambda function, a role, a user...): the rules compile into that principal's
   * own policy with the same paths, nesting Denies and listing scope as for the pool's roles,
   * so back ends speak the same rules instead of `bucket.grantRead(fn)` on the whole bucket.
   * A `{identity}` segment matches any identity id of the pool (the back end has none of its
   * own); `{tag:NAME}` paths are refused (a back end carries no principal tags of the pool).
   *
   * @param grantable the back end, e.g. a `lambda.Function`
   *
   * @example
   * /// fixture=api
   * // the back end gets the same scoped rules instead of bucket.grantRead(fn) on the whole bucket
   * files.allow('private/{identity}/*', Audience.principal(fn), Access.READ);
   */
  public static principal(grantable: iam.IGrantable): Audience {
    if (grantable === undefined || grantable === null || typeof grantable !== 'object' || grantable.grantPrincipal === undefined) {
      invalid('grantable', grantable, 'A principal audience needs something that can be granted permissions',
        'Pass a `lambda.Function`, an `iam.Role` or another `iam.IGrantable`, e.g. `Audience.principal(thumbnailFn)`.');
    }
    let key = PRINCIPAL_KEYS.get(grantable);
    if (key === undefined) {
      // The construct path names the back end in ids and messages (stable across synths).
      key = (grantable as Partial<IConstruct>).node?.path ?? `principal${++principalCount}`;
      PRINCIPAL_KEYS.set(grantable, key);
    }
    return new Audience(AudienceKind.PRINCIPAL, undefined, grantable, key);
  }

  /**
   * The kind of audience.
   */
  public readonly kind: AudienceKind;

  /**
   * The group name, for `AudienceKind.GROUP`.
   *
   * @default - not a group audience
   */
  public readonly groupName?: string;

  /**
   * The back end, for `AudienceKind.PRINCIPAL`.
   *
   * @default - not a principal audience
   */
  public readonly grantable?: iam.IGrantable;

  /**
   * The user directory whose group this is, for `AudienceKind.GROUP`.
   *
   * @default - the only federated directory that has the group, or not a group audience
   */
  public readonly directory?: IUserDirectory;

  /** A key that is the same for every `Audience.principal()` of one back end. */
  private readonly principalKey?: string;

  private constructor(kind: AudienceKind, groupName?: string, grantable?: iam.IGrantable, principalKey?: string, directory?: IUserDirectory) {
    this.kind = kind;
    this.groupName = groupName;
    this.grantable = grantable;
    this.principalKey = principalKey;
    this.directory = directory;
  }

  /**
   * The group key of a group audience: the name, with the directory's key when one is named.
   * @internal
   */
  public _groupKey(): string {
    return groupKey(this.groupName ?? '', this.directory === undefined ? undefined : directoryKeyOf(this.directory));
  }

  /**
   * The view this audience's rules reach: `guest`, `authenticated` (also for the owner),
   * `group:<group key>` or `principal:<key>`.
   * @internal
   */
  public _view(): string {
    switch (this.kind) {
      case AudienceKind.GUEST:
        return 'guest';
      case AudienceKind.AUTHENTICATED:
      case AudienceKind.OWNER:
        return 'authenticated';
      case AudienceKind.GROUP:
        return `group:${this._groupKey()}`;
      default:
        return `principal:${this.principalKey}`;
    }
  }

  /**
   * A short description: `guest`, `authenticated`, `owner`, `group:<name>` (`group:<name> (<directory
   * path>)` when a directory is named) or `principal:<construct path>`.
   */
  public toString(): string {
    switch (this.kind) {
      case AudienceKind.GUEST:
        return 'guest';
      case AudienceKind.AUTHENTICATED:
        return 'authenticated';
      case AudienceKind.OWNER:
        return 'owner';
      case AudienceKind.GROUP:
        return `group:${this.groupName}${this.directory === undefined ? '' : ` (${this.directory.node.path})`}`;
      default: {
        const node = (this.grantable as Partial<IConstruct> | undefined)?.node;
        return `principal:${node?.path ?? this.principalKey}`;
      }
    }
  }
}
