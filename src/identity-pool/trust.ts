import { Lazy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The service principal of Cognito identity pools. @internal */
export const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';

/** The audience (identity pool id) condition key. @internal */
export const AUD_KEY = `${COGNITO_IDENTITY}:aud`;

/** The authentication methods reference condition key. @internal */
export const AMR_KEY = `${COGNITO_IDENTITY}:amr`;

/** Which identities of the pool a role admits (the `amr` value). @internal */
export type TrustedIdentities = 'authenticated' | 'unauthenticated';

/**
 * The principal of a role that only identities of one identity pool can assume:
 * `sts:AssumeRoleWithWebIdentity` with `aud` = the pool id and `amr` containing `amr`,
 * plus `sts:TagSession` under the same conditions when the role receives principal tags.
 *
 * With `providers`, `amr` must also contain one of them: Cognito puts every provider an identity
 * signed in with into `amr` (`cognito-idp.<region>.amazonaws.com/<user pool id>`,
 * `accounts.google.com`, an OIDC issuer, a SAML provider ARN, a developer provider name), so a
 * role that a mapping gives to one source's users cannot be assumed with a pool token of another
 * source (e.g. a developer-authenticated identity taking its token to STS directly).
 *
 * With `excludedProviders`, no value of `amr` may be one of them (`ForAllValues:StringNotEquals`:
 * every value of the token's `amr` must differ from each name; `amr` is never empty here, as it
 * must contain `authenticated`). A developer back end can link a directory login to its identity
 * (`GetOpenIdTokenForDeveloperIdentity` with the user pool token in `Logins`): the token's `amr`
 * then names the user pool AND the developer provider, so the provider condition alone would
 * admit it to a group role whatever the user's groups.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
 * @internal
 */
export function identityPoolPrincipal(identityPoolId: string, amr: TrustedIdentities, tagSession: boolean, providers?: string[],
  excludedProviders?: () => string[]): iam.IPrincipal {
  const principal = new iam.FederatedPrincipal(COGNITO_IDENTITY, {
    'StringEquals': { [AUD_KEY]: identityPoolId },
    'ForAnyValue:StringLike': { [AMR_KEY]: amr },
    ...(providers !== undefined ? { 'ForAnyValue:StringEquals': { [AMR_KEY]: providers } } : {}),
    // Read at synth (a developer source may be added after the role): absent when there is none.
    ...(excludedProviders !== undefined ? {
      'ForAllValues:StringNotEquals': Lazy.any({
        produce: () => {
          const excluded = excludedProviders();
          return excluded.length > 0 ? { [AMR_KEY]: excluded } : undefined;
        },
      }),
    } : {}),
  }, 'sts:AssumeRoleWithWebIdentity');
  // withSessionTags() adds sts:TagSession to the same statement, so it carries the same conditions.
  return tagSession ? principal.withSessionTags() : principal;
}

/** Options of a role trusted by an identity pool. @internal */
export interface TrustedRoleOptions {
  readonly identityPoolId: string;
  readonly amr: TrustedIdentities;
  readonly tagSession: boolean;
  readonly description: string;
  /**
   * The providers (as they appear in `amr`) whose identities may assume the role; may be a lazy list.
   * @default - every provider of the pool
   */
  readonly providers?: string[];
  /**
   * The providers (as they appear in `amr`) whose identities may never assume the role, read at synth.
   * @default - none
   */
  readonly excludedProviders?: () => string[];
}

/**
 * Creates a role whose trust policy admits only the given identities of one identity pool.
 * `maxSessionDuration` stays at the IAM default (1 hour), the most Cognito issues anyway.
 * @internal
 */
export function createTrustedRole(scope: Construct, id: string, options: TrustedRoleOptions): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: identityPoolPrincipal(options.identityPoolId, options.amr, options.tagSession, options.providers, options.excludedProviders),
    description: options.description,
  });
}
