import * as iam from 'aws-cdk-lib/aws-iam';

/** Which audience rules reach a role. @internal */
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
