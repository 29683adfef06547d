import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { COGNITO_QUOTAS } from '../../private/cognito-quotas';
import { invalid } from '../../private/errors';
import { USER_DIRECTORY_DEFAULTS } from '../defaults';
import { MachineClientOptions } from '../machine-client';
import { ResourceServerOptions } from '../resource-server';
import { constructIdFor } from './ids';

// Cognito API ResourceServerType / ResourceServerScopeType (CreateResourceServer).
const IDENTIFIER = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
const SERVER_NAME = /^[\w\s+=,.@-]{1,256}$/;
const SCOPE_NAME = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/;
const MAX_SCOPES_PER_SERVER = COGNITO_QUOTAS.scopesPerResourceServer.value;
// Scopes that describe a signed-in user: the client-credentials grant has none.
const USER_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];

interface Server {
  readonly resource: cognito.UserPoolResourceServer;
  readonly scopes: string[];
}

/**
 * The directory's resource servers and machine-to-machine clients (client-credentials grant).
 *
 * Rules and sources (README "Resource servers and machine clients"):
 * - identifiers, names and scopes follow the API's ResourceServerType patterns, at most 100 scopes;
 * - the client-credentials grant needs a client secret and custom scopes only (Developer Guide,
 *   "Scopes, M2M, and API authorization with resource servers");
 * - a client can only be given scopes that exist, so each client depends on its servers;
 * - the token endpoint is a user pool endpoint, so machine clients need a domain.
 */
export class MachineAccess {
  private readonly servers = new Map<string, Server>();
  private readonly clients = new Map<cognito.UserPoolClient, string[]>();

  constructor(private readonly pool: cognito.UserPool) {}

  /** The resource servers, in the order they were added. */
  public get resourceServers(): cognito.UserPoolResourceServer[] {
    return [...this.servers.values()].map((s) => s.resource);
  }

  /** Every custom scope, as `<identifier>/<scope name>`. */
  public get customScopes(): string[] {
    return [...this.servers.values()].flatMap((s) => s.scopes);
  }

  /** The machine clients, in the order they were added. */
  public get machineClients(): cognito.UserPoolClient[] {
    return [...this.clients.keys()];
  }

  public addResourceServer(identifier: string, options: ResourceServerOptions): cognito.UserPoolResourceServer {
    if (Token.isUnresolved(identifier)) {
      invalid('identifier', identifier, 'must be known at synth: machine client scopes are checked against it', 'Pass a literal string such as `notes-api` or `https://api.example.com`.');
    }
    if (!IDENTIFIER.test(identifier)) {
      invalid('identifier', identifier, 'a resource server identifier is 1-256 printable characters without spaces, `"` or `\\`', 'Use a name such as `notes-api` or a URL such as `https://api.example.com`.');
    }
    if (this.servers.has(identifier)) {
      invalid('identifier', identifier, 'the directory already has a resource server with this identifier', 'Add each resource server once, with all its scopes.');
    }
    const name = options.name ?? identifier.replace(/[^\w\s+=,.@-]/g, '-');
    if (!Token.isUnresolved(name) && !SERVER_NAME.test(name)) {
      invalid('name', name, 'a resource server name is 1-256 letters, digits, spaces and `+=,.@-_`', 'Use a name such as `Notes API`.');
    }
    const entries = Object.entries(options.scopes ?? {});
    if (entries.length === 0) {
      invalid('scopes', options.scopes, 'a resource server needs at least one scope: scopes are what it grants', 'Add a scope such as `{ \'notes.read\': \'Read notes\' }`.');
    }
    if (entries.length > MAX_SCOPES_PER_SERVER) {
      invalid('scopes', `${entries.length} scopes`, `a resource server has at most ${MAX_SCOPES_PER_SERVER} scopes`, 'Split them over several resource servers.');
    }
    for (const [scopeName, description] of entries) {
      if (!SCOPE_NAME.test(scopeName)) {
        invalid('scopes', scopeName, 'a scope name is 1-256 printable characters without spaces, `"`, `/` or `\\`', 'Use a name such as `notes.read`.');
      }
      if (!Token.isUnresolved(description) && (typeof description !== 'string' || description.length < 1 || description.length > 256)) {
        invalid('scopes', { [scopeName]: description }, 'a scope description is 1-256 characters', `Describe what \`${scopeName}\` allows, e.g. 'Read notes'.`);
      }
    }
    const resource = this.pool.addResourceServer(`ResourceServer${constructIdFor(identifier)}`, {
      identifier,
      userPoolResourceServerName: name,
      scopes: entries.map(([scopeName, scopeDescription]) => new cognito.ResourceServerScope({ scopeName, scopeDescription })),
    });
    const scopes = entries.map(([scopeName]) => `${identifier}/${scopeName}`);
    this.servers.set(identifier, { resource, scopes });
    // A client can be given a custom scope only once it exists.
    for (const [client, wanted] of this.clients) {
      if (wanted.some((s) => scopes.includes(s))) {
        client.node.addDependency(resource);
      }
    }
    return resource;
  }

  public addMachineClient(id: string, options: MachineClientOptions): cognito.UserPoolClient {
    if (this.pool.node.tryFindChild(id) !== undefined) {
      invalid('id', id, 'the directory already has a client or child with this id', 'Give each app client its own id.');
    }
    const scopes = options.scopes ?? [];
    if (scopes.length === 0) {
      invalid('scopes', scopes, 'a machine client needs at least one custom scope: the client-credentials grant issues nothing else', 'List scopes such as `notes-api/notes.read` from `addResourceServer()`.');
    }
    for (const scope of scopes.filter((s) => !Token.isUnresolved(s))) {
      if (USER_SCOPES.includes(scope)) {
        invalid('scopes', scope, 'OpenID and user scopes describe a signed-in user; the client-credentials grant has none', 'Use custom scopes of a resource server, e.g. `notes-api/notes.read`.');
      }
      if (!/^.+\/[^/]+$/.test(scope)) {
        invalid('scopes', scope, 'a custom scope is `<resource server identifier>/<scope name>`', 'Use the form `notes-api/notes.read`.');
      }
    }
    if (new Set(scopes).size !== scopes.length) {
      invalid('scopes', scopes, 'lists a scope twice', 'List each scope once.');
    }
    const validity = options.accessTokenValidity ?? USER_DIRECTORY_DEFAULTS.machineAccessTokenValidity;
    if (!validity.isUnresolved() && (validity.toSeconds() < Duration.minutes(5).toSeconds() || validity.toSeconds() > Duration.days(1).toSeconds())) {
      invalid('accessTokenValidity', validity.toHumanString(), 'access tokens last 5 minutes to 1 day', 'Use e.g. `Duration.minutes(60)` (the default).');
    }

    const client = this.pool.addClient(id, {
      generateSecret: true, // the client-credentials grant needs a secret
      oAuth: {
        flows: { clientCredentials: true, authorizationCodeGrant: false, implicitCodeGrant: false },
        scopes: scopes.map((s) => cognito.OAuthScope.custom(s)),
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: validity,
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      // No user signs in through this client: it reads and writes no attribute.
      readAttributes: new cognito.ClientAttributes(),
      writeAttributes: new cognito.ClientAttributes(),
    });
    // Without ExplicitAuthFlows Cognito allows SRP and custom auth: allow token refresh only
    // (the client-credentials grant issues no refresh token, so no user flow is left).
    (client.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    for (const server of this.servers.values()) {
      if (scopes.some((s) => server.scopes.includes(s))) {
        client.node.addDependency(server.resource);
      }
    }
    this.clients.set(client, [...scopes]);
    return client;
  }

  /** A scope as `<identifier>/<name>`, also when written with `OAuthScope.resourceServer()` (the server's Ref token). */
  private canonicalScope(scope: string): string {
    let canonical = scope;
    for (const [identifier, server] of this.servers) {
      canonical = canonical.split(server.resource.userPoolResourceServerId).join(identifier);
    }
    return canonical;
  }

  /**
   * Synth-time advice: a custom scope that a machine client holds and a client users sign in
   * through may also request. Cognito puts every scope a user's client requests (and is allowed)
   * into that user's access token, so each user of that client (with self sign-up: anyone who
   * signs up) can call the API as the machine would. Every app client of the pool in the app is
   * read as CloudFormation will receive it: OAuth flows `code` or `implicit` make it user-facing,
   * `client_credentials` a machine client.
   */
  public warnSharedScopes(directory: IConstruct, selfSignUp: boolean): string[] {
    const poolId = this.pool.userPoolId;
    const clients = directory.node.root.node.findAll()
      .filter((c): c is cognito.CfnUserPoolClient => c instanceof cognito.CfnUserPoolClient && c.userPoolId === poolId);
    const scopesOf = (c: cognito.CfnUserPoolClient) => literalStrings(c.allowedOAuthScopes).map((scope) => this.canonicalScope(scope));
    const flowsOf = (c: cognito.CfnUserPoolClient) => literalStrings(c.allowedOAuthFlows);
    const machines = clients.filter((c) => flowsOf(c).includes('client_credentials'));
    const users = clients.filter((c) => flowsOf(c).some((f) => f === 'code' || f === 'implicit'));
    for (const user of users) {
      const wanted = scopesOf(user);
      for (const machine of machines) {
        for (const scope of scopesOf(machine).filter((s) => !Token.isUnresolved(s) && wanted.includes(s))) {
          Annotations.of(directory).addWarningV2('cdk-federated-access:machineScopeOnUserClient',
            `The scope ${scope} of machine client ${machine.node.scope!.node.path} may also be requested through ${user.node.scope!.node.path}, a client users sign in through: `
            + `every user of that client${selfSignUp ? ' (and with self sign-up anyone can become one)' : ''} gets access tokens with it and can call the API as the machine does. `
            + 'Give the machine client a scope of its own that no user-facing client lists.');
        }
      }
    }
    return [];
  }

  /** Synth-time checks: every scope exists, and the token endpoint has a domain. */
  public validate(hasDomain: boolean): string[] {
    const errors: string[] = [];
    const known = new Set(this.customScopes);
    for (const [client, scopes] of this.clients) {
      for (const scope of scopes.filter((s) => !Token.isUnresolved(s) && !known.has(s))) {
        errors.push(`\`scopes\`: machine client ${client.node.id} asks for a scope no resource server of this directory defines (received ${JSON.stringify(scope)}). `
          + `Add it with addResourceServer(), or use one of: ${[...known].join(', ') || 'none yet'}.`);
      }
    }
    if (this.clients.size > 0 && !hasDomain) {
      errors.push(`\`domainPrefix\`: machine clients (${this.machineClients.map((c) => c.node.id).join(', ')}) get tokens from the token endpoint, which needs a user pool domain (received no domain). Set \`domainPrefix\` or \`customDomain\`.`);
    }
    return errors;
  }
}

/** The strings of a CloudFormation list property that is a literal array, else none. */
function literalStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
