import { SecretValue, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { validatePrincipalTags } from './private/tags';
import { invalid } from '../private/errors';
import { IUserDirectory } from '../user-directory';

/**
 * Sign in with Google, straight to the identity pool.
 *
 * @example
 * /// fixture=api
 * const googleOptions: GoogleSourceOptions = { clientId: 'my-client-id.apps.googleusercontent.com' };
 * const google = IdentitySource.google(googleOptions);
 * identities.addSource(google);
 * // Only accounts of the example.com Google Workspace get a role; every other account is denied.
 * identities.addRoleMapping(google, { rules: [{ claim: 'hd', value: 'example.com', role: identities.authenticatedRole }] });
 */
export interface GoogleSourceOptions {
  /** The OAuth client id from the Google API console. */
  readonly clientId: string;
  /**
   * Whether every account at the provider may get the pool's authenticated role. Cognito admits
   * whoever signs in to the provider; the pool restricts it only through a role mapping.
   *
   * Leave it out and state who instead: `pool.addRoleMapping(source, { rules })` with exact-match
   * (`EQUALS`) rules on the provider's claims (e.g. Google `hd` = your domain) and
   * `AmbiguousRoleResolution.DENY` (the default), so that an account no rule matches gets no
   * credentials. Synthesis fails when neither is stated.
   *
   * @default false - a role mapping with exact-match rules and DENY must say who is admitted
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
   */
  readonly admitAnyAccount?: boolean;
}

/**
 * Sign in with Facebook, straight to the identity pool.
 *
 * @example
 * /// fixture=api
 * const facebookOptions: FacebookSourceOptions = { appId: '1234567890', admitAnyAccount: true };
 * identities.addSource(IdentitySource.facebook(facebookOptions));
 */
export interface FacebookSourceOptions {
  /** The Facebook app id. */
  readonly appId: string;
  /**
   * Whether every account at the provider may get the pool's authenticated role. Cognito admits
   * whoever signs in to the provider; the pool restricts it only through a role mapping.
   *
   * Leave it out and state who instead: `pool.addRoleMapping(source, { rules })` with exact-match
   * (`EQUALS`) rules on the provider's claims (e.g. Google `hd` = your domain) and
   * `AmbiguousRoleResolution.DENY` (the default), so that an account no rule matches gets no
   * credentials. Synthesis fails when neither is stated.
   *
   * @default false - a role mapping with exact-match rules and DENY must say who is admitted
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
   */
  readonly admitAnyAccount?: boolean;
}

/**
 * Sign in with Apple, straight to the identity pool.
 *
 * @example
 * /// fixture=api
 * const appleOptions: AppleSourceOptions = { servicesId: 'com.example.app', admitAnyAccount: true };
 * identities.addSource(IdentitySource.apple(appleOptions));
 */
export interface AppleSourceOptions {
  /** The Apple services id (the OAuth client id). */
  readonly servicesId: string;
  /**
   * Whether every account at the provider may get the pool's authenticated role. Cognito admits
   * whoever signs in to the provider; the pool restricts it only through a role mapping.
   *
   * Leave it out and state who instead: `pool.addRoleMapping(source, { rules })` with exact-match
   * (`EQUALS`) rules on the provider's claims (e.g. Google `hd` = your domain) and
   * `AmbiguousRoleResolution.DENY` (the default), so that an account no rule matches gets no
   * credentials. Synthesis fails when neither is stated.
   *
   * @default false - a role mapping with exact-match rules and DENY must say who is admitted
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
   */
  readonly admitAnyAccount?: boolean;
}

/**
 * Login with Amazon, straight to the identity pool.
 *
 * @example
 * /// fixture=api
 * const amazonOptions: AmazonSourceOptions = { appId: 'amzn1.application.0123', admitAnyAccount: true };
 * identities.addSource(IdentitySource.amazon(amazonOptions));
 */
export interface AmazonSourceOptions {
  /** The Login with Amazon app id. */
  readonly appId: string;
  /**
   * Whether every account at the provider may get the pool's authenticated role. Cognito admits
   * whoever signs in to the provider; the pool restricts it only through a role mapping.
   *
   * Leave it out and state who instead: `pool.addRoleMapping(source, { rules })` with exact-match
   * (`EQUALS`) rules on the provider's claims (e.g. Google `hd` = your domain) and
   * `AmbiguousRoleResolution.DENY` (the default), so that an account no rule matches gets no
   * credentials. Synthesis fails when neither is stated.
   *
   * @default false - a role mapping with exact-match rules and DENY must say who is admitted
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
   */
  readonly admitAnyAccount?: boolean;
}

/**
 * Sign in with Twitter (X), straight to the identity pool.
 *
 * @example
 * /// fixture=api
 * const twitterOptions: TwitterSourceOptions = {
 *   consumerKey: 'consumer-key',
 *   consumerSecret: SecretValue.secretsManager('twitter-consumer-secret'),
 *   admitAnyAccount: true, // Cognito cannot map Twitter identities by rules
 * };
 * identities.addSource(IdentitySource.twitter(twitterOptions));
 */
export interface TwitterSourceOptions {
  /** The consumer (API) key. */
  readonly consumerKey: string;
  /** The consumer (API) secret; keep it in Secrets Manager and pass `SecretValue.secretsManager(...)`. */
  readonly consumerSecret: SecretValue;
  /**
   * Whether every Twitter account may get the pool's authenticated role.
   *
   * Cognito cannot map roles by rules for Twitter, so the only admission is every account: the
   * pool's synthesis fails unless this is `true`.
   *
   * @default false - synthesis fails: state `true`, or federate Twitter through a UserDirectory whose sign-up you decide
   */
  readonly admitAnyAccount?: boolean;
}

/**
 * An IAM OpenID Connect provider federated straight into the identity pool.
 *
 * @example
 * /// fixture=api
 * const options: OidcSourceOptions = { principalTags: { repository: 'repository' } };
 * new FederatedIdentityPool(this, 'Builds', { sources: [IdentitySource.oidc(partner, options)] });
 */
export interface OidcSourceOptions {
  /**
   * Principal tags for attribute-based access control, read from this provider's token claims:
   * each key is a session tag name, each value the claim (`{ repository: 'repository' }` for a CI
   * system's tokens). Cognito maps principal tags per provider, so these tags come from this
   * provider only; the pool's own `principalTags` never read this provider's claims. State only
   * claims this provider sets for its accounts (not a value its users choose).
   *
   * @default - no principal tags from this provider
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html
   */
  readonly principalTags?: { [tag: string]: string };
}

/**
 * The kind of an identity source.
 */
export enum IdentitySourceType {
  /** A Cognito user pool (`IdentitySource.userDirectory`). */
  USER_DIRECTORY = 'UserDirectory',
  /** Google. */
  GOOGLE = 'Google',
  /** Facebook. */
  FACEBOOK = 'Facebook',
  /** Sign in with Apple. */
  APPLE = 'Apple',
  /** Login with Amazon. */
  AMAZON = 'Amazon',
  /** Twitter (X). */
  TWITTER = 'Twitter',
  /** An IAM OpenID Connect provider. */
  OIDC = 'OpenIdConnect',
  /** An IAM SAML provider. */
  SAML = 'Saml',
  /** Your own back end (developer-authenticated identities). */
  DEVELOPER = 'Developer',
}

const DEVELOPER_PROVIDER_NAME = /^[\w._-]{1,128}$/;

/**
 * Where the identities of a FederatedIdentityPool sign in.
 *
 * Users who sign in through a UserDirectory (including its Google, Facebook, Apple, OIDC and
 * SAML providers) come through `userDirectory()`; the other factories federate a provider
 * straight into the identity pool, without a user pool.
 *
 * @example
 * /// fixture=api
 * new FederatedIdentityPool(this, 'Identities', {
 *   sources: [IdentitySource.userDirectory(users, web), IdentitySource.oidc(partner)],
 * });
 */
export class IdentitySource {
  /**
   * Users of a UserDirectory (or of any `IUserDirectory`, so imported pools work), signing in
   * through the given app clients. Group roles, principal tags and the server-side token check
   * apply to this source.
   *
   * @param directory the user directory
   * @param clients the app clients whose tokens the pool accepts; none: every web client the directory has at synth
   *
   * @example
   * /// fixture=api
   * const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
   * new FederatedIdentityPool(this, 'Identities', {
   *   sources: [IdentitySource.userDirectory(users, web)],
   * });
   */
  public static userDirectory(directory: IUserDirectory, ...clients: cognito.IUserPoolClient[]): IdentitySource {
    if (directory === undefined || directory === null) {
      invalid('directory', directory, 'a user directory is required', 'Pass a UserDirectory or UserDirectory.fromUserPool(...).');
    }
    const seen = new Set<cognito.IUserPoolClient>();
    for (const client of clients) {
      if (seen.has(client)) {
        invalid('clients', client.node.path, 'the same app client is listed twice', 'List each app client once.');
      }
      seen.add(client);
    }
    const poolKey = Token.isUnresolved(directory.userPoolId) ? directory.node.path : directory.userPoolId;
    return new IdentitySource(IdentitySourceType.USER_DIRECTORY, `directory:${poolKey}`, `IdentitySource.userDirectory(${directory.node.path})`, {
      directory,
      clients: [...clients],
    });
  }

  /**
   * Sign in with Google (`accounts.google.com`).
   *
   * @example
   * /// fixture=api
   * const google = IdentitySource.google({ clientId: 'my-client-id.apps.googleusercontent.com' });
   * identities.addSource(google);
   * identities.addRoleMapping(google, { rules: [{ claim: 'hd', value: 'example.com', role: identities.authenticatedRole }] });
   */
  public static google(options: GoogleSourceOptions): IdentitySource {
    requireId('clientId', options.clientId);
    return IdentitySource.login(IdentitySourceType.GOOGLE, 'google', 'accounts.google.com', options.clientId, options.admitAnyAccount);
  }

  /**
   * Sign in with Facebook (`graph.facebook.com`).
   *
   * @example
   * /// fixture=api
   * identities.addSource(IdentitySource.facebook({ appId: '1234567890', admitAnyAccount: true }));
   */
  public static facebook(options: FacebookSourceOptions): IdentitySource {
    requireId('appId', options.appId);
    return IdentitySource.login(IdentitySourceType.FACEBOOK, 'facebook', 'graph.facebook.com', options.appId, options.admitAnyAccount);
  }

  /**
   * Sign in with Apple (`appleid.apple.com`).
   *
   * @example
   * /// fixture=api
   * identities.addSource(IdentitySource.apple({ servicesId: 'com.example.app', admitAnyAccount: true }));
   */
  public static apple(options: AppleSourceOptions): IdentitySource {
    requireId('servicesId', options.servicesId);
    return IdentitySource.login(IdentitySourceType.APPLE, 'apple', 'appleid.apple.com', options.servicesId, options.admitAnyAccount);
  }

  /**
   * Login with Amazon (`www.amazon.com`).
   *
   * @example
   * /// fixture=api
   * identities.addSource(IdentitySource.amazon({ appId: 'amzn1.application.0123', admitAnyAccount: true }));
   */
  public static amazon(options: AmazonSourceOptions): IdentitySource {
    requireId('appId', options.appId);
    return IdentitySource.login(IdentitySourceType.AMAZON, 'amazon', 'www.amazon.com', options.appId, options.admitAnyAccount);
  }

  /**
   * Sign in with Twitter (`api.twitter.com`). Cognito cannot map roles by rules for this source.
   *
   * @example
   * /// fixture=api
   * identities.addSource(IdentitySource.twitter({
   *   consumerKey: 'consumer-key',
   *   consumerSecret: SecretValue.secretsManager('twitter-consumer-secret'),
   *   admitAnyAccount: true,
   * }));
   */
  public static twitter(options: TwitterSourceOptions): IdentitySource {
    requireId('consumerKey', options.consumerKey);
    if (!SecretValue.isSecretValue(options.consumerSecret)) {
      invalid('consumerSecret', '<not a SecretValue>', 'must be a SecretValue', 'Pass `SecretValue.secretsManager(...)` or `SecretValue.ssmSecure(...)`.');
    }
    // Cognito expects `<key>;<secret>`; a Secrets Manager secret stays a dynamic reference.
    const value = `${options.consumerKey};${options.consumerSecret.unsafeUnwrap()}`;
    return IdentitySource.login(IdentitySourceType.TWITTER, 'twitter', 'api.twitter.com', value, options.admitAnyAccount);
  }

  /**
   * An IAM OpenID Connect provider. Its principal tags are stated here, for this provider only.
   * Role mapping rules on its claims match exactly (its accounts are not yours).
   *
   * @example
   * /// fixture=api
   * new FederatedIdentityPool(this, 'Builds', {
   *   sources: [IdentitySource.oidc(partner, { principalTags: { repository: 'repository' } })],
   * });
   */
  public static oidc(provider: iam.IOpenIdConnectProvider, options: OidcSourceOptions = {}): IdentitySource {
    if (provider === undefined || provider === null) {
      invalid('provider', provider, 'an OpenID Connect provider is required', 'Pass an iam.OpenIdConnectProvider or iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(...).');
    }
    const principalTags = validatePrincipalTags(options?.principalTags);
    const arn = provider.openIdConnectProviderArn;
    const key = Token.isUnresolved(arn) ? provider.node.path : arn;
    return new IdentitySource(IdentitySourceType.OIDC, `oidc:${key}`, `IdentitySource.oidc(${provider.node.path})`, { oidc: provider, principalTags });
  }

  /**
   * An IAM SAML provider.
   *
   * @example
   * /// fixture=api
   * new FederatedIdentityPool(this, 'Identities', {
   *   sources: [IdentitySource.saml(samlProvider)],
   * });
   */
  public static saml(provider: iam.ISamlProvider): IdentitySource {
    if (provider === undefined || provider === null) {
      invalid('provider', provider, 'a SAML provider is required', 'Pass an iam.SamlProvider or iam.SamlProvider.fromSamlProviderArn(...).');
    }
    const arn = provider.samlProviderArn;
    const key = Token.isUnresolved(arn) ? provider.node.path : arn;
    return new IdentitySource(IdentitySourceType.SAML, `saml:${key}`, `IdentitySource.saml(${provider.node.path})`, { saml: provider });
  }

  /**
   * Identities that your own back end authenticates (`GetOpenIdTokenForDeveloperIdentity`).
   * An identity pool has at most one.
   *
   * Fixed at creation: once an identity pool has a developer provider name, Cognito cannot change
   * it; another name means a new identity pool, and so new identity ids for everyone.
   *
   * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_CreateIdentityPool.html
   * @param providerName the "domain" Cognito knows your users by, e.g. `login.example.com` (1-128 letters, digits, `.`, `_`, `-`)
   *
   * @example
   * /// fixture=api
   * new FederatedIdentityPool(this, 'Identities', {
   *   sources: [IdentitySource.developer('login.notes.example.com')], // cannot be changed later
   * });
   */
  public static developer(providerName: string): IdentitySource {
    if (!Token.isUnresolved(providerName) && (typeof providerName !== 'string' || !DEVELOPER_PROVIDER_NAME.test(providerName))) {
      invalid('providerName', providerName, 'a developer provider name is 1-128 letters, digits, `.`, `_` or `-`', 'Use a name such as `login.example.com`.');
    }
    return new IdentitySource(IdentitySourceType.DEVELOPER, 'developer', `IdentitySource.developer(${JSON.stringify(providerName)})`, {
      developerProviderName: providerName,
    });
  }

  private static login(type: IdentitySourceType, name: string, domain: string, value: string, admitAnyAccount: boolean | undefined): IdentitySource {
    if (admitAnyAccount !== undefined && typeof admitAnyAccount !== 'boolean') {
      invalid('admitAnyAccount', admitAnyAccount, 'must be true or false',
        `Pass \`admitAnyAccount: true\` to admit every ${domain} account, or leave it out and admit by \`addRoleMapping()\` rules.`);
    }
    return new IdentitySource(type, `login:${domain}`, `IdentitySource.${name}()`, { loginDomain: domain, loginValue: value, admitAnyAccount });
  }

  /** The kind of source. */
  public readonly type: IdentitySourceType;

  /** Two sources with the same key would federate the same provider twice. @internal */
  public readonly _key: string;
  /** How error messages name the source. @internal */
  public readonly _label: string;
  /** @internal */
  public readonly _directory?: IUserDirectory;
  /** The clients given explicitly (none: the directory's web clients at synth). @internal */
  public readonly _clients: cognito.IUserPoolClient[];
  /** The `SupportedLoginProviders` key of a social source. @internal */
  public readonly _loginDomain?: string;
  /** @internal */
  public readonly _loginValue?: string;
  /** @internal */
  public readonly _oidc?: iam.IOpenIdConnectProvider;
  /** @internal */
  public readonly _saml?: iam.ISamlProvider;
  /** @internal */
  public readonly _developerProviderName?: string;
  /** The principal tags stated for this source (an OIDC provider's own). @internal */
  public readonly _principalTags: ReadonlyMap<string, string>;
  /** Whether a social source was stated to admit every account of its provider. @internal */
  public readonly _admitAnyAccount: boolean;

  private constructor(type: IdentitySourceType, key: string, label: string, parts: {
    directory?: IUserDirectory;
    clients?: cognito.IUserPoolClient[];
    loginDomain?: string;
    loginValue?: string;
    oidc?: iam.IOpenIdConnectProvider;
    saml?: iam.ISamlProvider;
    developerProviderName?: string;
    principalTags?: ReadonlyMap<string, string>;
    admitAnyAccount?: boolean;
  }) {
    this.type = type;
    this._key = key;
    this._label = label;
    this._directory = parts.directory;
    this._clients = parts.clients ?? [];
    this._loginDomain = parts.loginDomain;
    this._loginValue = parts.loginValue;
    this._oidc = parts.oidc;
    this._saml = parts.saml;
    this._developerProviderName = parts.developerProviderName;
    this._principalTags = parts.principalTags ?? new Map();
    this._admitAnyAccount = parts.admitAnyAccount ?? false;
  }

  /** Whether this is a social provider federated straight into the pool (anyone can have an account there). @internal */
  public get _isSocial(): boolean {
    return this._loginDomain !== undefined;
  }

  /** Whether Cognito can choose roles for this source by rules on its claims. @internal */
  public get _supportsRoleMapping(): boolean {
    return this.type !== IdentitySourceType.DEVELOPER && this.type !== IdentitySourceType.TWITTER;
  }

  /** Whether principal tags are mapped from this source's claims: the pool's for a directory, its own for OIDC. @internal */
  public get _supportsPrincipalTags(): boolean {
    return this.type === IdentitySourceType.USER_DIRECTORY || this.type === IdentitySourceType.OIDC;
  }
}

function requireId(property: string, value: string): void {
  if (Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    invalid(property, value, 'must be a non-empty string', 'Pass the id that the provider console shows.');
  }
}
