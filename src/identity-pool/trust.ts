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
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
 * @internal
 */
export function identityPoolPrincipal(identityPoolId: string, amr: TrustedIdentities, tagSession: boolean): iam.IPrincipal {
  const principal = new iam.FederatedPrincipal(COGNITO_IDENTITY, {
    'StringEquals': { [AUD_KEY]: identityPoolId },
    'ForAnyValue:StringLike': { [AMR_KEY]: amr },
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
}

/**
 * Creates a role whose trust policy admits only the given identities of one identity pool.
 * `maxSessionDuration` stays at the IAM default (1 hour), the most Cognito issues anyway.
 * @internal
 */
export function createTrustedRole(scope: Construct, id: string, options: TrustedRoleOptions): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: identityPoolPrincipal(options.identityPoolId, options.amr, options.tagSession),
    description: options.description,
  });
}
