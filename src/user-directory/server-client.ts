import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';

/**
 * Options of a confidential app client for a server, added with `UserDirectory.addServerClient()`:
 * a server-rendered app, or an Application Load Balancer's `authenticate-cognito` action.
 *
 * @example
 * /// fixture=api
 * const options: ServerClientOptions = {
 *   callbackUrls: ['https://portal.example.com/oauth2/idpresponse'],
 *   accessTokenValidity: Duration.minutes(30),
 * };
 * users.addServerClient('Portal', options);
 */
export interface ServerClientOptions {
  /**
   * Where Cognito sends users back with the authorization code (https; http only for localhost).
   * For an Application Load Balancer, `https://<the load balancer's DNS name or your domain>/oauth2/idpresponse`.
   *
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
   */
  readonly callbackUrls: string[];

  /**
   * Where the managed login page may send users after sign-out (https; http only for localhost).
   *
   * @default - the callback URLs
   */
  readonly logoutUrls?: string[];

  /**
   * OAuth scopes the client may request. Must include `openid`, which the authorization-code
   * grant of a load balancer and of an OpenID Connect server library asks for.
   *
   * @default - openid only: the ID token carries the user's sub, and nothing else is asked for
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
