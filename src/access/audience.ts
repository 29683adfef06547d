import { Token } from 'aws-cdk-lib';
import { invalid } from '../private/errors';

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
}

/**
 * Who an access rule is for.
 *
 * - `Audience.guest()` reaches only the guest role.
 * - `Audience.authenticated()` and `Audience.owner()` reach every role a signed-in user can
 *   receive (the authenticated role, every group role and every rule-mapped role), so a group
 *   member never loses owner access by being in a group.
 * - `Audience.group(name)` reaches only that group's role.
 */
export class Audience {
  /**
   * Unauthenticated (guest) identities.
   */
  public static guest(): Audience {
    return new Audience(AudienceKind.GUEST);
  }

  /**
   * Every signed-in identity; a `{identity}` segment matches anyone's identity id.
   */
  public static authenticated(): Audience {
    return new Audience(AudienceKind.AUTHENTICATED);
  }

  /**
   * A signed-in identity on its own data: the path's `{identity}` segment is the caller's own
   * identity id (`${cognito-identity.amazonaws.com:sub}`). The path must contain `{identity}`.
   */
  public static owner(): Audience {
    return new Audience(AudienceKind.OWNER);
  }

  /**
   * Members of a user directory group (the group's role); a `{identity}` segment matches
   * anyone's identity id.
   *
   * @param name the group name (1-128 characters, no whitespace)
   */
  public static group(name: string): Audience {
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
    return new Audience(AudienceKind.GROUP, name);
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

  private constructor(kind: AudienceKind, groupName?: string) {
    this.kind = kind;
    this.groupName = groupName;
  }

  /**
   * A short description: `guest`, `authenticated`, `owner` or `group:<name>`.
   */
  public toString(): string {
    switch (this.kind) {
      case AudienceKind.GUEST:
        return 'guest';
      case AudienceKind.AUTHENTICATED:
        return 'authenticated';
      case AudienceKind.OWNER:
        return 'owner';
      default:
        return `group:${this.groupName}`;
    }
  }
}
