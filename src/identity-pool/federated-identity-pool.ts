import { Annotations, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IDENTITY_POOL_DEFAULTS } from './defaults';
import { FederatedIdentityPoolProps, ImportedIdentityPoolOptions, MappedRoleOptions } from './federated-identity-pool-props';
import { IFederatedIdentityPool } from './i-federated-identity-pool';
import { IdentitySource, IdentitySourceType } from './identity-source';
import { identityPoolQuotaProblems } from './limits';
import { checkRuleClaims, checkTagClaims } from './private/claims';
import { claimGroupRole, GroupRoles, providersMappedTo } from './private/group-roles';
import { importedRoleTargets, validateImport } from './private/imported';
import { hashOf, safeName } from './private/names';
import { identityPoolArnOf, identityRegionOf } from './private/pool-ids';
import { addPrincipalTagMap, renderLoginProviders, renderRoleMappings, renderUserPoolProviders } from './private/render';
import { clientsOf, isIdentitySource } from './private/sources';
import { validatePrincipalTags } from './private/tags';
import { checkMappedRole, PoolState, poolProblems, RuleMappingEntry, validateIdentityPoolName, validateRemovalPolicy } from './private/validation';
import { AmbiguousRoleResolution, RoleMappingOptions, validateRule } from './role-mapping';
import { createTrustedRole } from './trust';
import { addValidation, invalid } from '../private/errors';
import { directoryKeyOf, groupKey, RoleTarget } from '../private/role-view';
import { IUserDirectory } from '../user-directory';

const MAPPED_ROLE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

abstract class FederatedIdentityPoolBase extends Construct implements IFederatedIdentityPool {
  public abstract readonly identityPoolId: string;
  public abstract readonly identityPoolArn: string;
  public abstract readonly authenticatedRole: iam.IRole;
  public abstract readonly guestRole?: iam.IRole;
  public abstract readonly principalTagNames: string[];

  public get guestAccess(): boolean {
    return this.guestRole !== undefined;
  }

  public get authenticatedRoles(): iam.IRole[] {
    return this._roleTargets().filter((t) => t.view.kind !== 'guest').map((t) => t.role);
  }

  /**
   * @example
   * /// fixture=api
   * if (identities.hasPrincipalTag('tenant')) {
   *   files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);
   * }
   */
  public hasPrincipalTag(name: string): boolean {
    return this.principalTagNames.includes(name);
  }

  public abstract canMapGroup(groupName: string, directory?: IUserDirectory): boolean;
  public abstract roleForGroup(groupName: string, directory?: IUserDirectory): iam.IRole;

  /** @internal */
  public abstract _roleTargets(): RoleTarget[];

  /** @internal */
  public _identityRegion(): string {
    return identityRegionOf(this.identityPoolId);
  }
}

/**
 * A Cognito identity pool that federates user directories and social, OIDC, SAML and developer
 * sources into IAM roles that only the right identities of this pool can assume.
 *
 * Secure by default: no guest access (and no guest role), the classic flow off, the server-side
 * token check on, every role trusting only this pool's `aud` and the right `amr`.
 *
 * @example
 * const users = new UserDirectory(this, 'Users');
 * users.addGroup('admins', { precedence: 0 });
 * users.addCustomAttribute('tenant', { mutable: false });
 * const web = users.addWebClient('Web');
 *
 * const google = IdentitySource.google({ clientId: 'google-client-id' });
 * const identities = new FederatedIdentityPool(this, 'Identities', {
 *   sources: [IdentitySource.userDirectory(users, web), google],
 *   principalTags: { tenant: 'custom:tenant' },
 * });
 * const admins = identities.roleForGroup('admins');
 * // Google Workspace accounts of example.com only; any other Google account gets no credentials.
 * identities.addRoleMapping(google, { rules: [{ claim: 'hd', value: 'example.com', role: identities.authenticatedRole }] });
 */
export class FederatedIdentityPool extends FederatedIdentityPoolBase {
  /**
   * Uses an existing identity pool, with its roles passed in.
   *
   * The roles' trust policies are not changed: make sure each trusts only this pool.
   *
   * @example
   * /// fixture=api
   * const pool = FederatedIdentityPool.fromIdentityPoolId(this, 'Identities', 'us-east-1:0a1b2c3d-1111-2222-3333-444455556666', {
   *   authenticatedRole: iam.Role.fromRoleName(this, 'Authenticated', 'auth-authenticated-role'),
   * });
   * new ScopedTableAccess(this, 'Reports', { identityPool: pool, table }).allowOwnItems(Audience.owner(), Access.READ);
   */
  public static fromIdentityPoolId(
    scope: Construct,
    id: string,
    identityPoolId: string,
    options: ImportedIdentityPoolOptions,
  ): IFederatedIdentityPool {
    const { tagNames, groupRoles, mappedRoles } = validateImport(identityPoolId, options);

    class Import extends FederatedIdentityPoolBase {
      public readonly identityPoolId = identityPoolId;
      public readonly identityPoolArn = identityPoolArnOf(this, identityPoolId);
      public readonly authenticatedRole = options.authenticatedRole;
      public readonly guestRole = options.guestRole;
      public readonly principalTagNames = tagNames;

      // Roles of an imported pool are keyed by group name only: the directory is not checked.
      public canMapGroup(groupName: string, _directory?: IUserDirectory): boolean {
        return groupRoles.has(groupName);
      }

      public roleForGroup(groupName: string, _directory?: IUserDirectory): iam.IRole {
        const role = groupRoles.get(groupName);
        if (role === undefined) {
          invalid('groupName', groupName, 'the imported pool has no role for this group',
            `Pass it in \`groupRoles\` of fromIdentityPoolId(). Known groups: ${[...groupRoles.keys()].join(', ') || 'none'}.`);
        }
        return role;
      }

      /** @internal */
      public _roleTargets(): RoleTarget[] {
        return importedRoleTargets(this.authenticatedRole, this.guestRole, groupRoles, mappedRoles);
      }
    }
    return new Import(scope, id);
  }

  /** The identity pool resource. */
  public readonly identityPool: cognito.CfnIdentityPool;

  /** The identity pool id (`<region>:<uuid>`). */
  public readonly identityPoolId: string;

  /** The identity pool ARN. */
  public readonly identityPoolArn: string;

  /** The role of authenticated identities that no mapping gives another role. */
  public readonly authenticatedRole: iam.IRole;

  /**
   * The role of unauthenticated (guest) identities.
   *
   * @default - none: guest access is off
   */
  public readonly guestRole?: iam.IRole;

  private readonly sources: IdentitySource[] = [];
  /** The pool-level principal tags, for directory sources. */
  private readonly tags: ReadonlyMap<string, string>;
  /** Whether roles that any source's identities can receive trust `sts:TagSession` (fixed when they are created). */
  private readonly tagSession: boolean;
  private readonly tokenResolution: AmbiguousRoleResolution;
  /** Group roles, one per directory and group. */
  private readonly groupRoles = new GroupRoles(this, () => this.directorySources());
  private readonly mappedRoles = new Map<string, iam.Role>();
  private readonly ruleMappings = new Map<string, RuleMappingEntry>();
  /** Keys of the directory sources whose groups have roles (and so need a token mapping). */
  private readonly tokenMappedSources = new Set<string>();
  private mappedRoleScope?: Construct;

  constructor(scope: Construct, id: string, props: FederatedIdentityPoolProps) {
    super(scope, id);
    const d = IDENTITY_POOL_DEFAULTS;

    validateIdentityPoolName(props.identityPoolName);
    this.tags = validatePrincipalTags(props.principalTags);
    this.tokenResolution = props.ambiguousRoleResolution ?? d.tokenMappingResolution;
    if (!Object.values(AmbiguousRoleResolution).includes(this.tokenResolution)) {
      invalid('ambiguousRoleResolution', this.tokenResolution, 'is not an AmbiguousRoleResolution', 'Use AmbiguousRoleResolution.AUTHENTICATED_ROLE (the default) or DENY.');
    }
    if (!Array.isArray(props.sources)) {
      invalid('sources', props.sources, 'must be a list of IdentitySource', 'Pass e.g. `[IdentitySource.userDirectory(users)]`, or `[]` with `guestAccess: true`.');
    }
    this.tagSession = this.tags.size > 0 || props.sources.some((s) => isIdentitySource(s) && s._principalTags.size > 0);
    const guestAccess = props.guestAccess ?? d.guestAccess;

    this.identityPool = new cognito.CfnIdentityPool(this, 'Resource', {
      identityPoolName: props.identityPoolName,
      allowUnauthenticatedIdentities: guestAccess,
      allowClassicFlow: d.allowClassicFlow,
      cognitoIdentityProviders: Lazy.any({ produce: () => renderUserPoolProviders(this.directorySources()) }, { omitEmptyArray: true }),
      supportedLoginProviders: Lazy.any({ produce: () => renderLoginProviders(this.sources) }),
      openIdConnectProviderArns: Lazy.list({
        produce: () => this.sourcesOf(IdentitySourceType.OIDC).map((s) => s._oidc!.openIdConnectProviderArn),
      }, { omitEmpty: true }),
      samlProviderArns: Lazy.list({
        produce: () => this.sourcesOf(IdentitySourceType.SAML).map((s) => s._saml!.samlProviderArn),
      }, { omitEmpty: true }),
      developerProviderName: Lazy.string({ produce: () => this.sourcesOf(IdentitySourceType.DEVELOPER)[0]?._developerProviderName }),
    });
    this.identityPool.applyRemovalPolicy(validateRemovalPolicy(props.removalPolicy) ?? d.removalPolicy);
    this.identityPoolId = this.identityPool.ref;
    this.identityPoolArn = identityPoolArnOf(this, this.identityPoolId);

    this.authenticatedRole = createTrustedRole(this, 'AuthenticatedRole', {
      identityPoolId: this.identityPoolId,
      amr: 'authenticated',
      tagSession: this.tagSession,
      description: `Authenticated identities of identity pool ${this.node.path}`,
    });
    if (guestAccess) {
      // Guests carry no token, so no principal tags: the guest role never trusts sts:TagSession.
      this.guestRole = createTrustedRole(this, 'GuestRole', {
        identityPoolId: this.identityPoolId,
        amr: 'unauthenticated',
        tagSession: false,
        description: `Guest (unauthenticated) identities of identity pool ${this.node.path}`,
      });
    }

    new cognito.CfnIdentityPoolRoleAttachment(this, 'RoleAttachment', {
      identityPoolId: this.identityPoolId,
      roles: {
        authenticated: this.authenticatedRole.roleArn,
        ...(this.guestRole !== undefined ? { unauthenticated: this.guestRole.roleArn } : {}),
      },
      roleMappings: Lazy.any({ produce: () => renderRoleMappings(this.sources, this.ruleMappings, this.tokenMappedSources, this.tokenResolution) }),
    });

    if (this.tokenResolution === AmbiguousRoleResolution.DENY) {
      Annotations.of(this).addWarningV2('cdk-federated-access:tokenMappingDeny',
        'ambiguousRoleResolution is DENY: directory users in no group carry no role claim and will get no credentials at all. Keep AmbiguousRoleResolution.AUTHENTICATED_ROLE (the default) unless that is intended.');
    }

    for (const source of props.sources) {
      this.addSource(source);
    }
    addValidation(this, () => poolProblems(this.poolState()));
    addValidation(this, () => identityPoolQuotaProblems(this));
  }

  /** The names of the principal tags identities carry: the pool's and every source's (an identity carries only its source's). */
  public get principalTagNames(): string[] {
    return [...new Set([...this.tags.keys(), ...this.sources.flatMap((s) => [...s._principalTags.keys()])])];
  }

  /**
   * Federates another source.
   *
   * @example
   * /// fixture=api
   * identities.addSource(IdentitySource.oidc(partner));
   */
  public addSource(source: IdentitySource): void {
    if (!isIdentitySource(source)) {
      invalid('sources', source, 'must be an IdentitySource', 'Create sources with the IdentitySource factories, e.g. `IdentitySource.userDirectory(directory)`.');
    }
    const existing = this.sources.find((s) => s._key === source._key);
    if (existing !== undefined) {
      const fix = source.type === IdentitySourceType.DEVELOPER
        ? 'An identity pool has one developer provider.'
        : source.type === IdentitySourceType.USER_DIRECTORY
          ? 'Pass every app client of a directory in one `IdentitySource.userDirectory(directory, ...clients)`.'
          : 'Federate each provider once.';
      invalid('sources', source._label, `the pool already has this source (${existing._label})`, fix);
    }
    if (source.type === IdentitySourceType.USER_DIRECTORY) {
      checkTagClaims(source, this.tags);
    }
    if (source._principalTags.size > 0 && !this.tagSession) {
      invalid('sources', source._label, 'it states principal tags, but the pool\'s roles were created without `sts:TagSession` in their trust (no source given to the constructor states tags)',
        'Pass this source in `sources` of the constructor, so that the roles trust `sts:TagSession`.');
    }
    this.sources.push(source);
    const tags = this.tagsOf(source);
    if (tags.size > 0) {
      addPrincipalTagMap(this, this.identityPoolId, source, tags);
    } else if (source.type === IdentitySourceType.OIDC && this.tags.size > 0) {
      Annotations.of(this).addWarningV2('cdk-federated-access:oidcWithoutTags',
        `${source._label} carries none of the pool's principal tags (${[...this.tags.keys()].join(', ')}): they are read from the directory sources only, `
        + 'so its identities get nothing on `{tag:...}` paths. If the provider\'s own claims should tag its sessions, state them with `IdentitySource.oidc(provider, { principalTags })`.');
    }
  }

  /**
   * Whether a federated user directory has this group, so that `roleForGroup()` can give it a role.
   *
   * @param groupName the group name
   * @param directory the user directory whose group it is
   * @default - any federated directory
   *
   * @example
   * /// fixture=api
   * if (identities.canMapGroup('admins', users)) {
   *   files.allow('reports/*', Audience.group('admins', users), Access.READ);
   * }
   */
  public canMapGroup(groupName: string, directory?: IUserDirectory): boolean {
    return this.directorySources().some((s) => s._directory!.hasGroup(groupName)
      && (directory === undefined || directoryKeyOf(s._directory!) === directoryKeyOf(directory)));
  }

  /**
   * The role that members of one directory's group receive (created once per directory and group).
   *
   * The role is trusted like the authenticated role, and only for identities of that directory
   * (its provider in `amr`); it is set as the group's role in that directory and chosen through
   * the directory source's token mapping (`cognito:preferred_role`); users in no group keep the
   * authenticated role. A same-named group of another directory never receives it.
   *
   * @param groupName the group name
   * @param directory the user directory whose group it is; required when more than one federated directory has the group
   * @default - the only federated directory that has the group
   *
   * @example
   * /// fixture=api
   * users.addGroup('admins');
   * // members of `admins` get this role: grant it what only admins may do
   * table.grantReadData(identities.roleForGroup('admins', users));
   */
  public roleForGroup(groupName: string, directory?: IUserDirectory): iam.IRole {
    if (Token.isUnresolved(groupName) || typeof groupName !== 'string' || groupName === '') {
      invalid('groupName', groupName, 'must be a group name known at synth', 'Pass the literal name given to `addGroup()`.');
    }
    const source = this.groupRoles.groupSource(groupName, directory);
    const key = groupKey(groupName, directoryKeyOf(source._directory!));
    if (directory === undefined) {
      this.groupRoles.askedWithoutDirectory(groupName, source._label);
    }
    let entry = this.groupRoles.get(key);
    if (entry === undefined) {
      claimGroupRole(source._directory!, groupName, this);
      // The first federated directory keeps the ids `GroupRoles/<group>` and `Group-<group>`;
      // another directory's roles live under `GroupRoles-<directory>`.
      const first = this.directorySources()[0] === source;
      const scope = this.groupRoles.groupRoleScope(first ? undefined : source);
      const created: iam.Role = createTrustedRole(scope, safeName(groupName), {
        identityPoolId: this.identityPoolId,
        amr: 'authenticated',
        tagSession: this.tags.size > 0,
        description: `Members of group ${groupName}${first ? '' : ` of ${source._directory!.node.path}`} signing in through identity pool ${this.node.path}`,
        providers: Lazy.list({ produce: () => this.providersMappedTo(created) }),
        excludedProviders: () => this.developerProviders(),
      });
      const name = first ? `Group-${safeName(groupName)}` : `Group-${safeName(groupName)}-${hashOf(source._key)}`;
      entry = { group: groupName, key, source, role: created, name };
      this.groupRoles.add(entry);
      if (this.groupRoles.size === 1) {
        addValidation(this, () => this.groupRoles.ambiguousGroupProblems());
      }
    }
    source._directory!.setGroupRole(groupName, entry.role);
    this.tokenMappedSources.add(source._key);
    return entry.role;
  }

  /**
   * Creates a role for rule mappings, trusted exactly like the authenticated role: only this
   * pool's authenticated identities can assume it (and tag the session when principal tags are
   * mapped). Authenticated and owner access rules reach it like every authenticated role.
   *
   * Rule mappings accept only roles whose trust policy the pool controls: roles from this
   * method, the authenticated role and group roles.
   *
   * @param id construct id of the role, 1-64 letters, digits, `_` or `-` (the access constructs name it `Rule-<id>`)
   *
   * @example
   * /// fixture=api
   * const auditors = identities.createRole('Auditors', { description: 'Read-only access for auditors' });
   * table.grantReadData(auditors);
   */
  public createRole(id: string, options: MappedRoleOptions = {}): iam.Role {
    if (typeof id !== 'string' || !MAPPED_ROLE_ID.test(id)) {
      invalid('id', id, 'a role id is 1-64 letters, digits, `_` or `-`, starting with a letter or digit', 'Use an id such as `Reviewers`.');
    }
    if (this.mappedRoles.has(id)) {
      invalid('id', id, 'the pool already has a role with this id', 'Give each role its own id; keep the role createRole() returned.');
    }
    this.mappedRoleScope ??= new Construct(this, 'MappedRoles');
    const role: iam.Role = createTrustedRole(this.mappedRoleScope, id, {
      identityPoolId: this.identityPoolId,
      amr: 'authenticated',
      tagSession: this.tagSession,
      description: options.description ?? `Rule-mapped role ${id} of identity pool ${this.node.path}`,
      providers: Lazy.list({ produce: () => this.providersMappedTo(role) }),
      excludedProviders: () => this.developerProviders(),
    });
    this.mappedRoles.set(id, role);
    return role;
  }

  /**
   * Chooses roles for one source's identities by rules on their token claims. Can be called
   * more than once per source (the rules add up, at most 25 per source); when no rule matches,
   * the identity gets no credentials unless `ambiguousRoleResolution` says otherwise.
   *
   * For a user directory source the rules apply to each of its app clients. A directory whose
   * groups have roles (`roleForGroup()`) uses a token mapping instead and cannot have rules.
   *
   * @example
   * /// fixture=api
   * const partners = IdentitySource.oidc(partner);
   * const pool = new FederatedIdentityPool(this, 'Partners', { sources: [partners] });
   * pool.addRoleMapping(partners, {
   *   rules: [{ claim: 'department', value: 'finance', role: pool.createRole('Finance') }],
   * });
   */
  public addRoleMapping(source: IdentitySource, options: RoleMappingOptions): void {
    const registered = isIdentitySource(source) ? this.sources.find((s) => s._key === source._key) : undefined;
    if (registered === undefined) {
      invalid('source', isIdentitySource(source) ? source._label : source, 'is not a source of this identity pool',
        `Map roles for a source given in \`sources\` or addSource(). Sources: ${this.sources.map((s) => s._label).join(', ') || 'none'}.`);
    }
    if (!registered._supportsRoleMapping) {
      invalid('source', registered._label, 'Cognito cannot choose roles by claims for Twitter and developer-authenticated identities',
        'Give these identities the authenticated role, or sign them in through a UserDirectory.');
    }
    const rules = options?.rules;
    if (!Array.isArray(rules) || rules.length === 0) {
      invalid('rules', rules, 'a role mapping needs at least one rule', 'Pass `rules: [{ claim, value, role }]`.');
    }
    rules.forEach((rule, index) => {
      validateRule(rule, index);
      checkMappedRole(rule.role, index, {
        guestRole: this.guestRole,
        owned: [this.authenticatedRole, ...this.groupRoles.values().map((g) => g.role), ...this.mappedRoles.values()],
      });
    });
    checkRuleClaims(registered, rules);
    const resolution = options.ambiguousRoleResolution;
    if (resolution !== undefined && !Object.values(AmbiguousRoleResolution).includes(resolution)) {
      invalid('ambiguousRoleResolution', resolution, 'is not an AmbiguousRoleResolution', 'Use AmbiguousRoleResolution.DENY (the default) or AUTHENTICATED_ROLE.');
    }
    let entry = this.ruleMappings.get(registered._key);
    if (entry === undefined) {
      entry = { source: registered, rules: [] };
      this.ruleMappings.set(registered._key, entry);
    }
    if (resolution !== undefined && entry.resolution !== undefined && entry.resolution !== resolution) {
      invalid('ambiguousRoleResolution', resolution, `an earlier addRoleMapping() for ${registered._label} set ${entry.resolution}`,
        'A source has one role mapping: give every call the same `ambiguousRoleResolution`, or leave it out after the first.');
    }
    entry.resolution = resolution ?? entry.resolution;
    entry.rules.push(...rules);
  }

  /** @internal */
  public _identityRegion(): string {
    // The pool lives in its stack's region; when that is a literal, it is shorter than splitting the id.
    const region = Stack.of(this).region;
    return Token.isUnresolved(region) ? super._identityRegion() : region;
  }

  /** @internal */
  public _roleTargets(): RoleTarget[] {
    const targets: RoleTarget[] = [{ role: this.authenticatedRole, view: { kind: 'authenticated' }, name: 'Authenticated', created: true }];
    if (this.guestRole !== undefined) {
      targets.push({ role: this.guestRole, view: { kind: 'guest' }, name: 'Guest', created: true });
    }
    for (const { key, role, name } of this.groupRoles.values()) {
      targets.push({ role, view: { kind: 'group', group: key }, name, created: true });
    }
    for (const [id, role] of this.mappedRoles) {
      targets.push({ role, view: { kind: 'authenticated' }, name: `Rule-${id}`, created: true });
    }
    return targets;
  }

  /** The providers (as `amr` names them) whose identities a mapping gives `role`. */
  private providersMappedTo(role: iam.IRole): string[] {
    return providersMappedTo(role, this.groupRoles, this.ruleMappings.values());
  }

  /**
   * The developer provider (as `amr` names it), which group and rule-mapped roles refuse: a
   * developer back end can link a directory or social login to its identity, and the token then
   * names that provider too, whatever its groups or claims.
   */
  private developerProviders(): string[] {
    return this.sourcesOf(IdentitySourceType.DEVELOPER).map((s) => s._developerProviderName!);
  }

  private sourcesOf(type: IdentitySourceType): IdentitySource[] {
    return this.sources.filter((s) => s.type === type);
  }

  private directorySources(): IdentitySource[] {
    return this.sourcesOf(IdentitySourceType.USER_DIRECTORY);
  }

  /** The principal tags Cognito maps for a source: the pool's for a directory, its own for an OIDC provider. */
  private tagsOf(source: IdentitySource): ReadonlyMap<string, string> {
    return source.type === IdentitySourceType.USER_DIRECTORY ? this.tags : source._principalTags;
  }

  private poolState(): PoolState {
    return {
      sources: this.sources,
      guestAccess: this.guestRole !== undefined,
      directoryTags: this.tags,
      mappedRoles: this.mappedRoles,
      ruleMappings: this.ruleMappings.values(),
      tokenMappedSources: this.tokenMappedSources,
      clientsOf,
      providersMappedTo: (role) => this.providersMappedTo(role),
    };
  }
}
