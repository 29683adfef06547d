import { Lazy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { invalid } from '../../private/errors';
import { USER_DIRECTORY_DEFAULTS } from '../defaults';
import { validateWebClientLimits } from '../limits';
import { ServerClientOptions } from '../server-client';
import { validateRedirectUrls } from '../web-client';

/**
 * The directory's confidential app clients for servers: the authorization-code grant with a
 * generated secret, which stays in Cognito (read it with `DescribeUserPoolClient`). They write the
 * same attributes as the web clients.
 */
export class ServerClients {
  /** The clients, in the order they were added. */
  public readonly clients: cognito.UserPoolClient[] = [];

  constructor(
    private readonly pool: cognito.UserPool,
    private readonly identityProviderNames: () => string[],
    private readonly writableAttributes: () => string[],
  ) {}

  /** Checks the options, then creates the client in the pool. */
  public add(id: string, options: ServerClientOptions): cognito.UserPoolClient {
    if (options?.callbackUrls === undefined) {
      invalid('callbackUrls', undefined, 'a server client signs users in with the authorization-code grant, which needs a callback URL',
        'Pass `callbackUrls`, e.g. `[\'https://app.example.com/oauth2/idpresponse\']` for a load balancer.');
    }
    validateRedirectUrls('callbackUrls', options.callbackUrls);
    validateRedirectUrls('logoutUrls', options.logoutUrls);
    validateWebClientLimits(options);
    const scopes = options.scopes ?? USER_DIRECTORY_DEFAULTS.serverClientScopes;
    if (!scopes.some((s) => s.scopeName === cognito.OAuthScope.OPENID.scopeName)) {
      invalid('scopes', scopes.map((s) => s.scopeName), 'a server client signs users in with OpenID Connect, which needs the `openid` scope',
        'Add `OAuthScope.OPENID`, or leave `scopes` out for openid only.');
    }
    if (this.pool.node.tryFindChild(id) !== undefined) {
      invalid('id', id, 'the directory already has a client with this id', 'Give each client its own id.');
    }
    const d = USER_DIRECTORY_DEFAULTS;
    const client = this.pool.addClient(id, {
      // A confidential client: the server proves itself with the secret at the token endpoint.
      // The secret is never read here (`userPoolClientSecret` would add a Lambda-backed custom
      // resource and put it in the template), so it appears in no Output and no configuration.
      generateSecret: true,
      disableOAuth: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        callbackUrls: options.callbackUrls,
        logoutUrls: options.logoutUrls ?? options.callbackUrls,
        scopes,
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: options.accessTokenValidity ?? d.accessTokenValidity,
      idTokenValidity: options.idTokenValidity ?? d.idTokenValidity,
      refreshTokenValidity: options.refreshTokenValidity ?? d.refreshTokenValidity,
    });
    const cfnClient = client.node.defaultChild as cognito.CfnUserPoolClient;
    // Without ExplicitAuthFlows Cognito allows SRP and custom auth: token refresh only.
    cfnClient.explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    // Providers may be added after the client: list them at synth.
    cfnClient.supportedIdentityProviders = Lazy.list({ produce: () => ['COGNITO', ...this.identityProviderNames()] });
    // The same attributes as the web clients: federated sign-in writes the mapped attributes
    // through the client, and fails when the client may not write them.
    cfnClient.writeAttributes = Lazy.list({ produce: () => this.writableAttributes() });
    this.clients.push(client);
    return client;
  }
}
