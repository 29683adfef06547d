import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ruleClaimProblems, tagClaimProblems } from './claims';
import { COGNITO_QUOTAS, quotaText } from '../../private/cognito-quotas';
import { invalid } from '../../private/errors';
import { sameRole } from '../../private/roles';
import type { IdentitySource } from '../identity-source';
import { AmbiguousRoleResolution, MAX_RULES_PER_MAPPING, RoleMappingRule } from '../role-mapping';

const IDENTITY_POOL_NAME = /^[\w\s+=,.@-]{1,128}$/;

/** The rules added for one source. */
export interface RuleMappingEntry {
  readonly source: IdentitySource;
  readonly rules: RoleMappingRule[];
  resolution?: AmbiguousRoleResolution;
}

/** What the pool's synth-time checks read. */
export interface PoolState {
  readonly sources: readonly IdentitySource[];
  readonly guestAccess: boolean;
  /** The pool-level principal tags, for directory sources. */
  readonly directoryTags: ReadonlyMap<string, string>;
  readonly mappedRoles: ReadonlyMap<string, iam.IRole>;
  readonly ruleMappings: Iterable<RuleMappingEntry>;
  readonly tokenMappedSources: ReadonlySet<string>;
  clientsOf(source: IdentitySource): cognito.IUserPoolClient[];
  providersMappedTo(role: iam.IRole): string[];
}

/**
 * The pool's checks that depend on every call (run at synth): sources and clients, the trust
 * boundary of tag and rule claims read from the rendered resources, and role mapping limits.
 */
export function poolProblems(pool: PoolState): string[] {
  const errors: string[] = [];
  if (pool.sources.length === 0 && !pool.guestAccess) {
    errors.push('`sources`: the identity pool has no source and no guest access, so nobody can get credentials (received []). Pass `sources` or call addSource().');
  }
  const directories = pool.sources.filter((s) => s._directory !== undefined);
  if (pool.directoryTags.size > 0 && directories.length === 0) {
    errors.push(`\`principalTags\`: the pool's principal tags apply to user directory sources, whose claims you control, and the pool has none (received ${[...pool.directoryTags.keys()].join(', ')}). `
      + 'State the tags of an OpenID Connect provider on its source, `IdentitySource.oidc(provider, { principalTags })`, or add the directory.');
  }
  for (const source of directories) {
    if (pool.clientsOf(source).length === 0) {
      errors.push(`\`clients\`: ${source._label} has no app client (received none, and the directory has no web clients). Add one with \`addWebClient()\` or pass clients to IdentitySource.userDirectory().`);
    }
    errors.push(...tagClaimProblems(source, pool.directoryTags));
  }
  const ruleMappings = [...pool.ruleMappings];
  errors.push(...socialAdmissionProblems(pool.sources, ruleMappings));
  for (const [id, role] of pool.mappedRoles) {
    if (pool.providersMappedTo(role).length === 0) {
      errors.push(`\`rules\`: role ${id} from createRole() is given by no role mapping rule, so its trust would admit no provider (received none). Name it in \`addRoleMapping(source, { rules: [{ claim, value, role }] })\`, or drop it.`);
    }
  }
  for (const entry of ruleMappings) {
    errors.push(...ruleClaimProblems(entry.source, entry.rules));
    if (entry.rules.length > MAX_RULES_PER_MAPPING) {
      errors.push(`\`rules\`: ${entry.source._label} has ${entry.rules.length} role mapping rules, Cognito allows at most ${MAX_RULES_PER_MAPPING} per source: ${quotaText(COGNITO_QUOTAS.rulesPerRoleMapping)} (received ${entry.rules.length}). Merge rules, e.g. map a group claim with RoleMappingMatchType.CONTAINS.`);
    }
    if (pool.tokenMappedSources.has(entry.source._key)) {
      errors.push(`\`source\`: ${entry.source._label} has group roles (a token mapping) and rules, but a provider has one role mapping (received ${entry.rules.length} rules). Drop the rules, or choose group roles by rules on \`cognito:groups\` instead of roleForGroup().`);
    }
  }
  return errors;
}

export function validateIdentityPoolName(name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (typeof name !== 'string' || !IDENTITY_POOL_NAME.test(name)) {
    invalid('identityPoolName', name, 'an identity pool name is 1-128 letters, digits, spaces and `+=,.@_-`', 'Use a name such as `notes-app identities`.');
  }
}

/**
 * Refuses a rule's role whose trust policy the pool does not control: only roles it created (the
 * authenticated role, group roles, `createRole()` roles) admit exactly its authenticated identities.
 */
export function checkMappedRole(role: iam.IRole, index: number,
  pool: { readonly guestRole?: iam.IRole; readonly owned: readonly iam.IRole[] }): void {
  if (role === undefined || role === null) {
    invalid(`rules[${index}].role`, role, 'a rule needs a role', 'Create one with `pool.createRole(id)`.');
  }
  // Roles are recognised by ARN (or name), not by object: an import of the guest role is the guest role.
  if (pool.guestRole !== undefined && sameRole(role, pool.guestRole)) {
    invalid(`rules[${index}].role`, role.node.path, 'the guest role trusts only unauthenticated identities and cannot be mapped for signed-in users',
      'Create a role with `pool.createRole(id)`.');
  }
  if (!pool.owned.includes(role) && pool.owned.some((own) => sameRole(own, role))) {
    // The trust is the pool's, but the mapping's providers are tracked per role object.
    invalid(`rules[${index}].role`, role.node.path, 'is an import of a role of this pool (the same ARN or name), not the role itself',
      'Pass the role object the pool returned (`authenticatedRole`, `roleForGroup()`, `createRole()`).');
  }
  if (!pool.owned.includes(role)) {
    invalid(`rules[${index}].role`, role.node.path, 'the pool cannot vouch for the trust policy of a role it did not create',
      'Create the role with `pool.createRole(id)`: its trust then admits exactly this pool\'s authenticated identities. Attach permissions to that role.');
  }
}

/** Checks the pool's removal policy: an identity pool has no snapshots. */
export function validateRemovalPolicy(policy: RemovalPolicy | undefined): RemovalPolicy | undefined {
  if (policy !== undefined && !Object.values(RemovalPolicy).includes(policy)) {
    invalid('removalPolicy', policy, 'is not a RemovalPolicy', 'Use RemovalPolicy.RETAIN (the default) or RemovalPolicy.DESTROY.');
  }
  if (policy === RemovalPolicy.SNAPSHOT) {
    invalid('removalPolicy', policy, 'an identity pool has no snapshots', 'Use RemovalPolicy.RETAIN (the default) or RemovalPolicy.DESTROY.');
  }
  return policy;
}

/**
 * A social source (Google, Facebook, Apple, Amazon, Twitter) federated straight into the pool
 * admits whoever has an account at the provider: Cognito decides admission at the pool only
 * through a role mapping. So each one states its admission: `admitAnyAccount: true`, or a rule
 * mapping that denies an identity no rule matches (addRoleMapping() already accepts only `EQUALS`
 * rules for a social source: checkRuleClaims).
 */
export function socialAdmissionProblems(sources: readonly IdentitySource[], ruleMappings: readonly RuleMappingEntry[]): string[] {
  const errors: string[] = [];
  for (const source of sources) {
    if (!source._isSocial || source._admitAnyAccount) {
      continue;
    }
    const domain = source._loginDomain!;
    const anyone = `admit every ${domain} account: \`${source._label.replace('()', '({ ..., admitAnyAccount: true })')}\``;
    if (!source._supportsRoleMapping) {
      errors.push(`\`admitAnyAccount\`: ${source._label} admits every account at ${domain} into the authenticated role, and Cognito cannot restrict it by rules for this provider `
        + `(received no admission statement). State it: ${anyone}, or sign these users in through a UserDirectory whose sign-up you decide.`);
      continue;
    }
    const entry = ruleMappings.find((e) => e.source._key === source._key);
    const byRules = 'or admit by exact claims: `pool.addRoleMapping(source, { rules: [{ claim: \'hd\', value: \'example.com\', role: pool.authenticatedRole }] })` '
      + '(`EQUALS` rules on claims the provider sets, e.g. Google `hd` = your domain or `email` = one address; an account no rule matches is denied, AmbiguousRoleResolution.DENY, the default)';
    if (entry === undefined) {
      errors.push(`\`admitAnyAccount\`: ${source._label} admits every account at ${domain} into the authenticated role, and nothing says so (received no role mapping and no \`admitAnyAccount\`). `
        + `Who becomes an identity is decided: ${anyone}, ${byRules}.`);
      continue;
    }
    if ((entry.resolution ?? AmbiguousRoleResolution.DENY) !== AmbiguousRoleResolution.DENY) {
      errors.push(`\`ambiguousRoleResolution\`: the role mapping of ${source._label} gives an account no rule matches the authenticated role, so every ${domain} account is admitted `
        + `(received ${entry.resolution}). Use AmbiguousRoleResolution.DENY (the default), or state it: ${anyone}.`);
    }
  }
  return errors;
}
