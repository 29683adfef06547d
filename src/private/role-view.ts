import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IUserDirectory } from '../user-directory/i-user-directory';

/** Which audience rules reach a role; a group's `group` is a group key (see groupKey). @internal */
export type RoleView = { readonly kind: 'guest' } | { readonly kind: 'authenticated' } | { readonly kind: 'group'; readonly group: string }
  /** A back end's role (`Audience.principal`): the compiled view `view` (`principal:<key>`). */
  | { readonly kind: 'principal'; readonly view: string };

/** @internal */
export interface RoleTarget {
  readonly role: iam.IRole;
  readonly view: RoleView;
  /** stable, construct-id-safe name, e.g. 'Authenticated', 'Guest', 'Group-admins', 'Rule-Reviewers' */
  readonly name: string;
  /**
   * The pool created the role in its own stack, so the role's template may carry the pool's
   * inline access policies. Roles passed in (imported pools) are only ever attached to by name.
   */
  readonly created?: boolean;
}

/**
 * What identifies a user directory in group keys: its literal user pool id, else its construct
 * path (the pool and `Audience.group(name, directory)` compute it alike). @internal
 */
export function directoryKeyOf(directory: IUserDirectory): string {
  return Token.isUnresolved(directory.userPoolId) ? directory.node.path : directory.userPoolId;
}

/**
 * The key of a group role's view: the group name, then the directory's key after a space (group
 * names hold no whitespace) when the role belongs to one directory's group. @internal
 */
export function groupKey(group: string, directory?: string): string {
  return directory === undefined ? group : `${group} ${directory}`;
}

/** The group name and directory key of a group key. @internal */
export function parseGroupKey(key: string): { readonly group: string; readonly directory?: string } {
  const space = key.indexOf(' ');
  return space < 0 ? { group: key } : { group: key.slice(0, space), directory: key.slice(space + 1) };
}
