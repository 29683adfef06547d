import { Duration, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ManagedLoginBranding } from './branding';
import { USER_DIRECTORY_DEFAULTS } from './defaults';
import { invalid } from '../private/errors';

/**
 * Options for a public web or mobile app client of a UserDirectory.
 *
 * @example
 * /// fixture=api
 * const options: WebClientOptions = {
 *   callbackUrls: ['https://app.example.com/'],
 *   logoutUrls: ['https://app.example.com/signed-out'],
 *   refreshTokenValidity: Duration.days(7),
 * };
 * users.addWebClient('Web', options);
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

  /**
   * Rotate refresh tokens: each refresh returns a new refresh token and invalidates the old one,
   * so a stolen refresh token works once. Needs the Essentials or Plus plan, and clients that
   * refresh with `GetTokensFromRefreshToken` or the token endpoint (aws-amplify JS 6.15.4 or
   * newer; Amplify Android and Flutter added it in 2025 releases): the `REFRESH_TOKEN_AUTH` flow of
   * `InitiateAuth` is then off, and a front end that still refreshes that way signs its users out
   * when their access token expires.
   *
   * Set `false` for a client whose front end cannot rotate (an Amplify Swift release without
   * `GetTokensFromRefreshToken`, requested in aws-amplify/amplify-swift#4027, or your own SDK
   * code that calls `InitiateAuth` with `REFRESH_TOKEN_AUTH`): the client then keeps
   * `ALLOW_REFRESH_TOKEN_AUTH`. Give such apps their own web client, so the others keep rotation.
   *
   * @default true on the Essentials and Plus plans, false on Lite
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
   */
  readonly refreshTokenRotation?: boolean;

  /**
   * How long a rotated-out refresh token stays valid, for client retries (0 to 60 seconds).
   *
   * @default Duration.seconds(0)
   */
  readonly refreshTokenRotationGracePeriod?: Duration;

  /**
   * The managed login branding style of the client: logos, backgrounds, favicon, graphics and
   * the settings document (colors, layout), checked at synth. Needs a domain.
   *
   * @default - Cognito's style (`UseCognitoProvidedValues`), when the directory has a domain
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-brandingeditor.html
   */
  readonly branding?: ManagedLoginBranding;
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

/**
 * The grace period of refresh-token rotation for a web client, or undefined for no rotation.
 * Rotation needs the Essentials or Plus plan (Amazon Cognito, refresh token rotation), and is
 * 0-60 seconds of grace (CloudFormation RefreshTokenRotation.RetryGracePeriodSeconds).
 * @internal
 */
export function refreshTokenRotationFor(options: WebClientOptions, featurePlan: cognito.FeaturePlan): Duration | undefined {
  const lite = featurePlan === cognito.FeaturePlan.LITE;
  const rotate = options.refreshTokenRotation ?? (USER_DIRECTORY_DEFAULTS.refreshTokenRotation && !lite);
  const grace = options.refreshTokenRotationGracePeriod;
  if (rotate && lite) {
    invalid('refreshTokenRotation', true, 'refresh token rotation needs the Essentials or Plus feature plan, and featurePlan is LITE',
      'Use `FeaturePlan.PLUS` (the default) or `FeaturePlan.ESSENTIALS`, or leave `refreshTokenRotation` out.');
  }
  if (!rotate) {
    if (grace !== undefined) {
      invalid('refreshTokenRotationGracePeriod', grace.toHumanString(), 'a grace period only applies to refresh token rotation, which is off',
        'Leave `refreshTokenRotationGracePeriod` out, or turn `refreshTokenRotation` on.');
    }
    return undefined;
  }
  const period = grace ?? USER_DIRECTORY_DEFAULTS.refreshTokenRotationGracePeriod;
  if (!period.isUnresolved() && (period.toMilliseconds() < 0 || period.toMilliseconds() > 60_000 || period.toMilliseconds() % 1000 !== 0)) {
    invalid('refreshTokenRotationGracePeriod', period.toHumanString(), 'the grace period is 0 to 60 whole seconds', 'Use e.g. `Duration.seconds(0)` (the default) or `Duration.seconds(10)`.');
  }
  return period;
}
