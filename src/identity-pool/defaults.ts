import { RemovalPolicy } from 'aws-cdk-lib';
import { AmbiguousRoleResolution } from './role-mapping';
import { COGNITO_QUOTAS } from '../private/cognito-quotas';

/**
 * Secure defaults of a FederatedIdentityPool, each with the guidance it follows.
 * @internal
 */
export const IDENTITY_POOL_DEFAULTS = {
  /** cdk-nag AwsSolutions-COG7: no unauthenticated identities, and then no guest role exists at all. */
  guestAccess: false,
  /**
   * The basic (classic) flow lets a client call STS itself with any role that trusts the pool,
   * bypassing role mappings; the enhanced flow alone is recommended.
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html
   */
  allowClassicFlow: false,
  /** Refuse credentials to user pool users who were signed out globally or deleted. */
  serverSideTokenCheck: true,
  /**
   * A directory user in no group carries no `cognito:preferred_role` claim: falling back to the
   * authenticated role keeps every such user signed in (DESIGN.md); DENY would lock them all out.
   */
  tokenMappingResolution: AmbiguousRoleResolution.AUTHENTICATED_ROLE,
  /** A rule mapping is an allow-list: an identity that no rule admits gets no credentials. */
  ruleMappingResolution: AmbiguousRoleResolution.DENY,
  /** Principal tags come only from the claims mapped here, never from Cognito's default mappings. */
  principalTagUseDefaults: false,
  /**
   * Deleting or replacing an identity pool re-issues every identity id and orphans all
   * per-identity data (S3 folders, DynamoDB items keyed by identity id): keep it (DESIGN.md).
   */
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/** Cognito maps at most 50 principal tags per identity provider (and STS takes 50 session tags). @internal */
export const MAX_PRINCIPAL_TAGS = COGNITO_QUOTAS.principalTagsPerProvider.value;
