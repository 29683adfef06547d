import { Names } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { hashOf, safeName } from './names';
import { clientsOf } from './sources';
import { RuleMappingEntry } from './validation';
import { IDENTITY_POOL_DEFAULTS } from '../defaults';
import { IdentitySource, IdentitySourceType } from '../identity-source';
import { AmbiguousRoleResolution, renderRuleMapping, renderTokenMapping } from '../role-mapping';

/** The pool's `CognitoIdentityProviders`: one per app client of each directory source. */
export function renderUserPoolProviders(directorySources: readonly IdentitySource[]): cognito.CfnIdentityPool.CognitoIdentityProviderProperty[] {
  return directorySources.flatMap((source) => clientsOf(source).map((client) => ({
    clientId: client.userPoolClientId,
    providerName: source._directory!.userPoolProviderName,
    serverSideTokenCheck: IDENTITY_POOL_DEFAULTS.serverSideTokenCheck,
  })));
}

/** The pool's `SupportedLoginProviders`: the social sources' login domains. */
export function renderLoginProviders(sources: readonly IdentitySource[]): { [domain: string]: string } | undefined {
  const logins = sources.filter((s) => s._loginDomain !== undefined);
  return logins.length === 0 ? undefined : Object.fromEntries(logins.map((s) => [s._loginDomain!, s._loginValue!]));
}

/**
 * Role mappings by a literal key (CloudFormation map keys cannot hold tokens); the provider
 * name itself, which may hold tokens, goes to `IdentityProvider`.
 */
export function renderRoleMappings(
  sources: readonly IdentitySource[],
  ruleMappings: ReadonlyMap<string, RuleMappingEntry>,
  tokenMappedSources: ReadonlySet<string>,
  tokenResolution: AmbiguousRoleResolution,
): { [key: string]: cognito.CfnIdentityPoolRoleAttachment.RoleMappingProperty } | undefined {
  const mappings: { [key: string]: cognito.CfnIdentityPoolRoleAttachment.RoleMappingProperty } = {};
  for (const source of sources) {
    const entry = ruleMappings.get(source._key);
    const token = tokenMappedSources.has(source._key);
    if (entry === undefined && !token) {
      continue;
    }
    for (const [key, provider] of mappingProviders(source)) {
      mappings[key] = entry !== undefined
        ? renderRuleMapping(provider, entry.rules, entry.resolution ?? IDENTITY_POOL_DEFAULTS.ruleMappingResolution)
        : renderTokenMapping(provider, tokenResolution);
    }
  }
  return Object.keys(mappings).length === 0 ? undefined : mappings;
}

/** [literal key, identity provider name] of each provider a source signs in through. */
function mappingProviders(source: IdentitySource): Array<[string, string]> {
  switch (source.type) {
    case IdentitySourceType.USER_DIRECTORY:
      // cognito-idp.<region>.amazonaws.com/<userPoolId>:<clientId>, joined at deploy time when the ids are tokens.
      return clientsOf(source).map((client) => [
        `UserPool${Names.nodeUniqueId(client.node)}`,
        `${source._directory!.userPoolProviderName}:${client.userPoolClientId}`,
      ]);
    case IdentitySourceType.OIDC:
      return [[`Oidc${Names.nodeUniqueId(source._oidc!.node)}`, source._oidc!.openIdConnectProviderIssuer]];
    case IdentitySourceType.SAML:
      return [[`Saml${Names.nodeUniqueId(source._saml!.node)}`, source._saml!.samlProviderArn]];
    default:
      return [[source._loginDomain!, source._loginDomain!]];
  }
}

/** Creates the `CfnIdentityPoolPrincipalTag` that maps a source's principal tags, in the pool. */
export function addPrincipalTagMap(pool: Construct, identityPoolId: string, source: IdentitySource, tags: ReadonlyMap<string, string>): void {
  const owner = source.type === IdentitySourceType.USER_DIRECTORY ? source._directory! : source._oidc!;
  const providerName = source.type === IdentitySourceType.USER_DIRECTORY
    ? source._directory!.userPoolProviderName
    : source._oidc!.openIdConnectProviderIssuer;
  let childId = `PrincipalTags${safeName(owner.node.id)}`;
  if (pool.node.tryFindChild(childId) !== undefined) {
    childId = `${childId}${hashOf(owner.node.path)}`;
  }
  new cognito.CfnIdentityPoolPrincipalTag(pool, childId, {
    identityPoolId,
    identityProviderName: providerName,
    useDefaults: IDENTITY_POOL_DEFAULTS.principalTagUseDefaults,
    principalTags: Object.fromEntries(tags),
  });
}
