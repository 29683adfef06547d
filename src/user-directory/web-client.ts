import { Duration, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { invalid } from '../private/errors';

/**
 * Options for a public web or mobile app client of a UserDirectory.
 */
export interface WebClientOptions {
  /**
   * Where the managed login page may send users after sign-in (https; http only for localhost).
   *
   * Required for federated sign-in (Google, SAML...) and the managed login pages.
   *
   * @default - no OAuth: the client signs users in with SRP only, and no identity provider can be used
   */
  readonly callbackUrls?: string[];

  /**
   * Where the managed login page may send users after sign-out (https; http only for localhost).
   *
   * @default - the callback URLs
   */
  readonly logoutUrls?: string[];

  /**
   * OAuth scopes the client may request.
   *
   * @default - openid, email and profile
   */
  readonly scopes?: cognito.OAuthScope[];

  /**
   * Lifetime of access tokens (5 minutes to 1 day).
   *
   * @default Duration.minutes(60)
   */
  readonly accessTokenValidity?: Duration;

  /**
   * Lifetime of ID tokens (5 minutes to 1 day).
   *
   * @default Duration.minutes(60)
   */
  readonly idTokenValidity?: Duration;

  /**
   * Lifetime of refresh tokens (60 minutes to 10 years).
   *
   * @default Duration.days(30)
   */
  readonly refreshTokenValidity?: Duration;
}

const LOCALHOST = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?(\/|$)/;

/**
 * Checks OAuth redirect URLs: absolute, https (http only for localhost), no fragment.
 * @internal
 */
export function validateRedirectUrls(property: string, urls: string[] | undefined): void {
  if (urls === undefined) {
    return;
  }
  if (urls.length === 0) {
    invalid(property, urls, 'must not be empty', `Give at least one URL, or leave \`${property}\` out.`);
  }
  for (const url of urls) {
    if (Token.isUnresolved(url)) {
      continue;
    }
    if (url.includes('#')) {
      invalid(property, url, 'a redirect URL must not contain a fragment (`#`)', 'Remove the fragment; Cognito rejects it.');
    }
    if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(url)) {
      invalid(property, url, 'must be an absolute URL', 'Use a full address such as `https://app.example.com/`.');
    }
    if (url.startsWith('http://') && !LOCALHOST.test(url)) {
      invalid(property, url, 'plain http is only allowed for localhost', 'Use https, or http://localhost for local development.');
    }
  }
}
