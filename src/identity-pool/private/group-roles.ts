import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { hashOf, safeName } from './names';
import { amrProviderOf } from './sources';
import { RuleMappingEntry } from './validation';
import { invalid } from '../../private/errors';
import { directoryKeyOf } from '../../private/role-view';
import type { IUserDirectory } from '../../user-directory';
import type { IdentitySource } from '../identity-source';

/** A group role: the role of one directory's group. */
export interface GroupRole {
  readonly group: string;
  /** groupKey(group, directory key): the view key of the role. */
  readonly key: string;
  readonly source: IdentitySource;
  readonly role: iam.Role;
  /** The role target name (`Group-<group>`, with the directory's hash for another directory than the first). */
  readonly name: string;
}

/**
 * The pool's group roles (one per directory and group), the directories each was given to, and
 * the scopes they are created in.
 */
export class GroupRoles {
  /** Group roles by group key (`groupKey(name, directory key)`): one role per directory and group. */
  private readonly roles = new Map<string, GroupRole>();
  /** Groups whose role was asked for without a directory: they must stay in one directory. */
  private readonly unqualifiedGroups = new Map<string, string>();
  /** Per group role, the directory sources whose group was given the role (their token mapping picks it). */
  private readonly sourcesByRole = new Map<iam.IRole, IdentitySource[]>();
  private readonly scopes = new Map<string, Construct>();

  /**
   * @param pool the identity pool, where the group role scopes are created
   * @param directorySources the pool's user directory sources, in the order they were added
   */
  constructor(private readonly pool: Construct, private readonly directorySources: () => IdentitySource[]) {}

  /** How many group roles exist. */
  public get size(): number {
    return this.roles.size;
  }

  /** Every group role. */
  public values(): GroupRole[] {
    return [...this.roles.values()];
  }

  /** The group role of a group key, if created. */
  public get(key: string): GroupRole | undefined {
    return this.roles.get(key);
  }

  /** Records a created group role, given to its source's group. */
  public add(entry: GroupRole): void {
    this.roles.set(entry.key, entry);
    this.sourcesByRole.set(entry.role, [entry.source]);
  }

  /** Records that the role of `groupName` was asked for without a directory and meant `label`'s group. */
  public askedWithoutDirectory(groupName: string, label: string): void {
    this.unqualifiedGroups.set(groupName, label);
  }

  /** The directory sources whose group was given `role`. */
  public sourcesOf(role: iam.IRole): readonly IdentitySource[] {
    return this.sourcesByRole.get(role) ?? [];
  }

  /** The federated directory source whose group `groupName` is: `directory`'s, else the only one that has the group. */
  public groupSource(groupName: string, directory: IUserDirectory | undefined): IdentitySource {
    const having = this.directorySources().filter((s) => s._directory!.hasGroup(groupName));
    if (directory === undefined) {
      if (having.length === 0) {
        invalid('groupName', groupName, 'no federated user directory has this group',
          `Add it with \`addGroup('${groupName}')\` before asking for its role, or federate the directory that has it. Known groups: ${this.knownGroups().join(', ') || 'none'}.`);
      }
      if (having.length > 1) {
        invalid('directory', undefined, `group \`${groupName}\` exists in ${having.length} federated directories (${having.map((s) => s._label).join(', ')}), `
          + 'and a group role belongs to one directory\'s group: members of a same-named group of another directory must not receive it',
        `Pass the directory: \`roleForGroup('${groupName}', directory)\` (\`Audience.group('${groupName}', directory)\`), one role per directory.`);
      }
      return having[0];
    }
    const source = this.directorySources().find((s) => directoryKeyOf(s._directory!) === directoryKeyOf(directory));
    if (source === undefined) {
      invalid('directory', directory.node.path, 'is not a user directory source of this identity pool',
        `Pass a directory given in \`sources\` (\`IdentitySource.userDirectory(directory)\`). Directories: ${this.directorySources().map((s) => s._label).join(', ') || 'none'}.`);
    }
    if (!source._directory!.hasGroup(groupName)) {
      invalid('groupName', groupName, `${source._label} has no such group`,
        `Add it with \`addGroup('${groupName}')\` before asking for its role. Its groups: ${source._directory!.groupNames.join(', ') || 'none'}.`);
    }
    return source;
  }

  /** The scope of the group roles of the first directory (`GroupRoles`), or of another one (`GroupRoles-<directory id>`). */
  public groupRoleScope(source: IdentitySource | undefined): Construct {
    const key = source?._key ?? '';
    let scope = this.scopes.get(key);
    if (scope === undefined) {
      let id = source === undefined ? 'GroupRoles' : `GroupRoles-${safeName(source._directory!.node.id)}`;
      if (this.pool.node.tryFindChild(id) !== undefined) {
        id = `${id}-${hashOf(source!._key)}`;
      }
      scope = new Construct(this.pool, id);
      this.scopes.set(key, scope);
    }
    return scope;
  }

  /** A role asked for without a directory (`roleForGroup(name)`, `Audience.group(name)`) when another directory's same-named group has a role too. */
  public ambiguousGroupProblems(): string[] {
    const errors: string[] = [];
    for (const [group, meant] of this.unqualifiedGroups) {
      // Counted at synth: whether the second directory's group was added (or federated) before
      // or after the call, the unqualified name is ambiguous, as groupSource() says at call time.
      const having = this.directorySources().filter((s) => s._directory!.hasGroup(group));
      if (having.length > 1) {
        errors.push(`\`directory\`: \`roleForGroup('${group}')\` (or \`Audience.group('${group}')\`) named no directory and meant ${meant}, but ${having.length} federated directories have a group \`${group}\` `
          + `(received ${having.map((s) => s._label).join(', ')}), and a group role belongs to one directory's group. `
          + `Pass the directory everywhere the group is named: \`roleForGroup('${group}', directory)\`, \`Audience.group('${group}', directory)\`.`);
      }
    }
    return errors;
  }

  private knownGroups(): string[] {
    return [...new Set(this.directorySources().flatMap((s) => s._directory!.groupNames))];
  }
}

/**
 * The providers (as `amr` names them) whose identities a mapping gives `role`: the directories
 * whose group has it (token mapping) and the sources whose rules name it.
 */
export function providersMappedTo(role: iam.IRole, groupRoles: GroupRoles, ruleMappings: Iterable<RuleMappingEntry>): string[] {
  const sources = [...groupRoles.sourcesOf(role)];
  for (const entry of ruleMappings) {
    if (entry.rules.some((rule) => rule.role === role) && !sources.includes(entry.source)) {
      sources.push(entry.source);
    }
  }
  return [...new Set(sources.map(amrProviderOf))];
}

/** Which identity pool gave each directory group its role (a group has one). */
const GROUP_ROLE_OWNERS = new WeakMap<IConstruct, Map<string, IConstruct>>();

/**
 * Records that `pool` gives a directory's group its role, or refuses when another pool (an
 * identity pool of another region, say) already does: a group has one IAM role (its `RoleArn`),
 * which tokens carry as `cognito:preferred_role`, and a role trusts one pool's `aud`.
 */
export function claimGroupRole(directory: IUserDirectory, groupName: string, pool: IConstruct): void {
  let owners = GROUP_ROLE_OWNERS.get(directory);
  if (owners === undefined) {
    owners = new Map();
    GROUP_ROLE_OWNERS.set(directory, owners);
  }
  const owner = owners.get(groupName);
  if (owner !== undefined && owner !== pool) {
    invalid('groupName', groupName, `${owner.node.path} already gives group \`${groupName}\` of ${directory.node.path} its role, and a group has one role `
      + '(its `RoleArn`, which the tokens carry as `cognito:preferred_role`), trusted by one identity pool only',
    `Give rules for group \`${groupName}\` through ${owner.node.path} only, or give this pool's users another group (e.g. \`${groupName}-<region>\`).`);
  }
  owners.set(groupName, pool);
}
