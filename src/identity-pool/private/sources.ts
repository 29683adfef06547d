import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IdentitySource, IdentitySourceType } from '../identity-source';

/**
 * How Cognito names a source's provider in the `amr` claim of its identities' tokens.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
 */
export function amrProviderOf(source: IdentitySource): string {
  switch (source.type) {
    case IdentitySourceType.USER_DIRECTORY:
      return source._directory!.userPoolProviderName; // cognito-idp.<region>.amazonaws.com/<user pool id>
    case IdentitySourceType.OIDC:
      return source._oidc!.openIdConnectProviderIssuer; // the issuer without https://
    case IdentitySourceType.SAML:
      return source._saml!.samlProviderArn;
    case IdentitySourceType.DEVELOPER:
      return source._developerProviderName!;
    default:
      return source._loginDomain!; // accounts.google.com, graph.facebook.com, ...
  }
}

/** Duck-typed, so that sources from another copy of the library are recognised too. */
export function isIdentitySource(value: unknown): value is IdentitySource {
  return typeof value === 'object' && value !== null && typeof (value as IdentitySource)._key === 'string';
}

/** The app clients a directory source signs in through: the ones given, else every web client of the directory. */
export function clientsOf(source: IdentitySource): cognito.IUserPoolClient[] {
  return source._clients.length > 0 ? source._clients : source._directory!.webClients;
}
