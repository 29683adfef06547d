import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { safeName } from './names';
import { validateTagName } from './tags';
import { invalid } from '../../private/errors';
import { RoleTarget } from '../../private/role-view';
import { ImportedIdentityPoolOptions } from '../federated-identity-pool-props';

const IDENTITY_POOL_ID = /^[\w-]+:[0-9a-f-]+$/;

/** What `fromIdentityPoolId()` was given, checked. */
export interface ImportedPool {
  readonly tagNames: string[];
  readonly groupRoles: Map<string, iam.IRole>;
  readonly mappedRoles: iam.IRole[];
}

/** Checks the id and roles given to `fromIdentityPoolId()`. */
export function validateImport(identityPoolId: string, options: ImportedIdentityPoolOptions): ImportedPool {
  if (!Token.isUnresolved(identityPoolId) && (typeof identityPoolId !== 'string' || identityPoolId.length > 55 || !IDENTITY_POOL_ID.test(identityPoolId))) {
    invalid('identityPoolId', identityPoolId, 'an identity pool id looks like `<region>:<uuid>`', 'Copy the id from the Cognito console, e.g. `us-east-1:0a1b2c3d-...`.');
  }
  if (options?.authenticatedRole === undefined) {
    invalid('authenticatedRole', undefined, 'an imported pool needs its authenticated role', 'Pass `iam.Role.fromRoleArn(...)` for the pool\'s authenticated role.');
  }
  const tagNames = [...(options.principalTagNames ?? [])];
  tagNames.forEach((name) => validateTagName('principalTagNames', name));
  const groupRoles = new Map(Object.entries(options.groupRoles ?? {}));
  for (const group of groupRoles.keys()) {
    if (group.trim() === '') {
      invalid('groupRoles', group, 'group names must not be empty', 'Key each role by its group name.');
    }
  }
  const mappedRoles = [...(options.mappedRoles ?? [])];
  return { tagNames, groupRoles, mappedRoles };
}

/** The role targets of an imported pool: its authenticated, guest, group and rule-mapped roles. */
export function importedRoleTargets(
  authenticatedRole: iam.IRole,
  guestRole: iam.IRole | undefined,
  groupRoles: ReadonlyMap<string, iam.IRole>,
  mappedRoles: readonly iam.IRole[],
): RoleTarget[] {
  const targets: RoleTarget[] = [{ role: authenticatedRole, view: { kind: 'authenticated' }, name: 'Authenticated' }];
  if (guestRole !== undefined) {
    targets.push({ role: guestRole, view: { kind: 'guest' }, name: 'Guest' });
  }
  for (const [group, role] of groupRoles) {
    targets.push({ role, view: { kind: 'group', group }, name: `Group-${safeName(group)}` });
  }
  const used = new Set<string>();
  for (const role of mappedRoles) {
    let name = `Rule-${safeName(role.node.id)}`;
    for (let n = 2; used.has(name); n++) {
      name = `Rule-${safeName(role.node.id)}-${n}`;
    }
    used.add(name);
    targets.push({ role, view: { kind: 'authenticated' }, name });
  }
  return targets;
}
