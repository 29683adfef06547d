import { Lazy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { invalid } from '../../private/errors';
import { USER_DIRECTORY_DEFAULTS } from '../defaults';
import { validateWebClientLimits } from '../limits';
import { brandingBytes, brandingPropsOf } from './branding';
import { refreshTokenRotationFor, validateRedirectUrls, WebClientOptions } from '../web-client';

/** What the web clients take from the directory. */
export interface WebClientSettings {
  /** The construct the branding styles are created in (the directory). */
  readonly scope: Construct;
  /** The pool the clients are created in. */
  readonly pool: cognito.UserPool;
  /** Whether a passwordless first factor is on (adds the USER_AUTH flow). */
  readonly passwordless: boolean;
  /** The pool's feature plan. */
  readonly featurePlan: cognito.FeaturePlan;
  /** The managed login domain, if any: each client then gets a branding style. */
  readonly domain?: cognito.UserPoolDomain;
  /** The provider names the OAuth clients support, read at synth. */
  readonly identityProviderNames: () => string[];
  /** The attributes users may write, read at synth. */
  readonly writableAttributes: () => string[];
}

/**
 * The directory's public app clients for web and mobile apps, with the identity providers and
 * write attributes they get at synth.
 */
export class WebClients {
  /** The clients, in the order they were added. */
  public readonly clients: cognito.UserPoolClient[] = [];
  /** The clients with callback URLs (the authorization-code grant). */
  public readonly oauthClients = new Set<cognito.UserPoolClient>();
  /** The characters the branding images add to the template. */
  public brandingBytes = 0;

  constructor(private readonly settings: WebClientSettings) {}

  /**
   * Checks the options, then creates the client in the pool (and its branding style in the
   * directory when there is a domain).
   */
  public add(id: string, options: WebClientOptions): cognito.UserPoolClient {
    const { scope, pool, domain } = this.settings;
    validateRedirectUrls('callbackUrls', options.callbackUrls);
    validateRedirectUrls('logoutUrls', options.logoutUrls);
    validateWebClientLimits(options);
    if (options.scopes !== undefined && options.scopes.length === 0) {
      invalid('scopes', options.scopes, 'must not be empty', 'Leave `scopes` out for openid, email and profile.');
    }
    if (pool.node.tryFindChild(id) !== undefined || scope.node.tryFindChild(`${id}Branding`) !== undefined) {
      invalid('id', id, 'the directory already has a child with this id', 'Give each web client its own id.');
    }
    if (options.branding !== undefined && domain === undefined) {
      invalid('branding', id, 'branding styles the managed login pages, and the directory has no domain', 'Set `domainPrefix` or `customDomain` on the directory.');
    }
    const d = USER_DIRECTORY_DEFAULTS;
    const oauth = options.callbackUrls !== undefined;
    const client = pool.addClient(id, {
      generateSecret: false,
      // Choice-based sign-in (passkeys, one-time codes) runs in the USER_AUTH flow.
      authFlows: { userSrp: true, user: this.settings.passwordless ? true : undefined },
      refreshTokenRotationGracePeriod: refreshTokenRotationFor(options, this.settings.featurePlan),
      disableOAuth: !oauth,
      oAuth: oauth ? {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        callbackUrls: options.callbackUrls,
        logoutUrls: options.logoutUrls ?? options.callbackUrls,
        scopes: options.scopes ?? [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
      } : undefined,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: options.accessTokenValidity ?? d.accessTokenValidity,
      idTokenValidity: options.idTokenValidity ?? d.idTokenValidity,
      refreshTokenValidity: options.refreshTokenValidity ?? d.refreshTokenValidity,
    });

    // Providers and custom attributes may be added after the client: compute both at synth.
    const cfnClient = client.node.defaultChild as cognito.CfnUserPoolClient;
    if (oauth) {
      cfnClient.supportedIdentityProviders = Lazy.list({
        produce: () => ['COGNITO', ...this.settings.identityProviderNames()],
      });
      this.oauthClients.add(client);
    } else {
      cfnClient.supportedIdentityProviders = ['COGNITO'];
    }
    cfnClient.writeAttributes = Lazy.list({ produce: () => this.settings.writableAttributes() });
    // No DependsOn on the providers: SupportedIdentityProviders refers to each (Ref), which orders them.
    if (domain !== undefined) {
      // Cognito's style, or the branding given (checked in brandingPropsOf).
      new cognito.CfnManagedLoginBranding(scope, `${id}Branding`, {
        userPoolId: pool.userPoolId,
        clientId: client.userPoolClientId,
        ...brandingPropsOf(options.branding),
      }).node.addDependency(domain);
      this.brandingBytes += brandingBytes(options.branding);
    }
    this.clients.push(client);
    return client;
  }
}
