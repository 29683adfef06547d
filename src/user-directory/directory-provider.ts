import { SecretValue, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { FederatedSignUp } from './federated-sign-up';
import { validateIdentifiers } from './limits';
import { invalid } from '../private/errors';

/**
 * Options shared by every sign-in provider.
 *
 * @example
 * /// fixture=api
 * users.addIdentityProvider(DirectoryProvider.google({
 *   clientId: 'my-client-id.apps.googleusercontent.com',
 *   clientSecret,
 *   scopes: ['openid', 'email', 'profile'],
 *   attributeMapping: { email: cognito.ProviderAttribute.GOOGLE_EMAIL },
 *   signUp: FederatedSignUp.emailDomains('example.com'),
 * }));
 */
export interface DirectoryProviderOptions {
  /**
   * How the provider's attributes map to user pool attributes.
   *
   * @default - the provider's email is mapped to `email`
   */
  readonly attributeMapping?: cognito.AttributeMapping;

  /**
   * OAuth scopes requested from the provider.
   *
   * @default - the smallest set that returns the user's email (see each factory)
   */
  readonly scopes?: string[];

  /**
   * Who may become a user by signing in through this provider for the first time.
   *
   * Required for a social provider on an invite-only directory (`selfSignUp` off): without it
   * `addIdentityProvider` throws, since anyone with an account at the provider would get an
   * account and the authenticated role. Email rules need the provider to map `email`.
   *
   * @default - `FederatedSignUp.anyone()` for OIDC and SAML providers (the organization manages their
   * accounts) and for social providers on a directory with `selfSignUp: true`; none (an error) for a
   * social provider on an invite-only directory
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
   */
  readonly signUp?: FederatedSignUp;
}

/**
 * Sign in with Google.
 *
 * @example
 * /// fixture=api
 * const options: GoogleProviderOptions = {
 *   clientId: 'my-client-id.apps.googleusercontent.com',
 *   clientSecret,
 *   signUp: FederatedSignUp.emailDomains('example.com'),
 * };
 * users.addIdentityProvider(DirectoryProvider.google(options));
 */
export interface GoogleProviderOptions extends DirectoryProviderOptions {
  /** The OAuth client id from the Google API console. */
  readonly clientId: string;
  /** The OAuth client secret; keep it in Secrets Manager and pass `SecretValue.secretsManager(...)`. */
  readonly clientSecret: SecretValue;
}

/**
 * Sign in with Facebook.
 *
 * @example
 * /// fixture=api
 * const options: FacebookProviderOptions = {
 *   clientId: '1234567890123456',
 *   clientSecret,
 *   apiVersion: 'v19.0',
 *   signUp: FederatedSignUp.anyone(),
 * };
 * users.addIdentityProvider(DirectoryProvider.facebook(options));
 */
export interface FacebookProviderOptions extends DirectoryProviderOptions {
  /** The Facebook app id. */
  readonly clientId: string;
  /** The Facebook app secret. */
  readonly clientSecret: SecretValue;
  /**
   * The Graph API version.
   *
   * @default - Cognito's default version
   */
  readonly apiVersion?: string;
}

/**
 * Sign in with Apple.
 *
 * @example
 * /// fixture=api
 * const options: AppleProviderOptions = {
 *   servicesId: 'com.example.notes.signin',
 *   teamId: 'ABCDE12345',
 *   keyId: 'KEY1234567',
 *   privateKey: applePrivateKey,
 *   signUp: FederatedSignUp.anyone(),
 * };
 * users.addIdentityProvider(DirectoryProvider.apple(options));
 */
export interface AppleProviderOptions extends DirectoryProviderOptions {
  /** The Apple services id (the OAuth client id). */
  readonly servicesId: string;
  /** The Apple developer team id. */
  readonly teamId: string;
  /** The id of the Sign in with Apple private key. */
  readonly keyId: string;
  /** The Sign in with Apple private key (PEM). */
  readonly privateKey: SecretValue;
}

/**
 * Login with Amazon.
 *
 * @example
 * /// fixture=api
 * const options: AmazonProviderOptions = {
 *   clientId: 'amzn1.application-oa2-client.0123456789abcdef',
 *   clientSecret,
 *   signUp: FederatedSignUp.anyone(),
 * };
 * users.addIdentityProvider(DirectoryProvider.amazon(options));
 */
export interface AmazonProviderOptions extends DirectoryProviderOptions {
  /** The Login with Amazon client id. */
  readonly clientId: string;
  /** The Login with Amazon client secret. */
  readonly clientSecret: SecretValue;
}

/**
 * An enterprise OpenID Connect provider.
 *
 * @example
 * /// fixture=api
 * const options: OidcProviderOptions = {
 *   name: 'Corp',
 *   issuerUrl: 'https://login.corp.example.com',
 *   clientId: 'notes-app',
 *   clientSecret,
 *   identifiers: ['corp.example.com'],
 * };
 * users.addIdentityProvider(DirectoryProvider.oidc(options));
 */
export interface OidcProviderOptions extends DirectoryProviderOptions, EnterpriseProviderTrustOptions {
  /** The provider name users see and tokens carry (3-32 characters, no spaces). */
  readonly name: string;
  /** The OAuth client id registered with the provider. */
  readonly clientId: string;
  /** The OAuth client secret registered with the provider. */
  readonly clientSecret: SecretValue;
  /** The issuer URL (https) that serves `/.well-known/openid-configuration`. */
  readonly issuerUrl: string;
  /**
   * Email domains or other identifiers that route a user to this provider.
   *
   * @default - none
   */
  readonly identifiers?: string[];
}

/**
 * Trust stated for an enterprise (SAML or OIDC) provider.
 *
 * @example
 * /// fixture=api
 * users.addIdentityProvider(DirectoryProvider.saml({
 *   name: 'Partner',
 *   metadataUrl: 'https://idp.partner.example/metadata',
 *   attributeMapping: { custom: { 'custom:tenant': cognito.ProviderAttribute.other('tenant') } },
 *   trustedAttributes: ['custom:tenant'], // the partner decides its users' tenant
 *   signUp: FederatedSignUp.emailDomains('partner.example'),
 * }));
 */
export interface EnterpriseProviderTrustOptions {
  /**
   * User pool attributes (claim names such as `custom:tenant`) whose values this provider is
   * trusted to set for its users through `attributeMapping`, so that they may decide access
   * (a principal tag, a role-mapping rule). Each must be mapped. Social providers are never
   * trusted: their users edit the profile the mapping reads. Cognito also requires the app
   * clients to write mapped attributes, so a trusted claim still decides access only when no app
   * client lets users write it (e.g. an immutable attribute on an invite-only directory).
   *
   * @default - none: every attribute this provider maps counts as chosen by its users
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-specifying-attribute-mapping.html
   */
  readonly trustedAttributes?: string[];
}

/**
 * An enterprise SAML 2.0 provider.
 *
 * @example
 * /// fixture=api
 * const options: SamlProviderOptions = {
 *   name: 'Partner',
 *   metadataUrl: 'https://idp.partner.example/metadata',
 *   idpSignout: true,
 *   signUp: FederatedSignUp.emailDomains('partner.example'),
 * };
 * users.addIdentityProvider(DirectoryProvider.saml(options));
 */
export interface SamlProviderOptions extends EnterpriseProviderTrustOptions {
  /** The provider name users see and tokens carry (3-32 characters, no spaces). */
  readonly name: string;
  /**
   * The https URL of the provider's metadata document.
   *
   * @default - `metadataDocument` must be given
   */
  readonly metadataUrl?: string;
  /**
   * The provider's metadata document (XML).
   *
   * @default - `metadataUrl` must be given
   */
  readonly metadataDocument?: string;
  /**
   * Email domains or other identifiers that route a user to this provider.
   *
   * @default - none
   */
  readonly identifiers?: string[];
  /**
   * Sign the user out of the provider too when they sign out of the app.
   *
   * @default false
   */
  readonly idpSignout?: boolean;
  /**
   * How the SAML assertion's attributes map to user pool attributes.
   *
   * @default - the standard emailaddress claim is mapped to `email`
   */
  readonly attributeMapping?: cognito.AttributeMapping;

  /**
   * Who may become a user by signing in through this provider for the first time.
   *
   * Required for a social provider on an invite-only directory (`selfSignUp` off): without it
   * `addIdentityProvider` throws, since anyone with an account at the provider would get an
   * account and the authenticated role. Email rules need the provider to map `email`.
   *
   * @default - `FederatedSignUp.anyone()` for OIDC and SAML providers (the organization manages their
   * accounts) and for social providers on a directory with `selfSignUp: true`; none (an error) for a
   * social provider on an invite-only directory
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
   */
  readonly signUp?: FederatedSignUp;
}

const SAML_EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';

/**
 * A social or enterprise sign-in provider for a UserDirectory.
 *
 * Every secret is a `SecretValue`, and each factory maps the provider's email to the
 * user pool's `email` attribute unless told otherwise.
 *
 * @example
 * /// fixture=api
 * users.addIdentityProvider(DirectoryProvider.oidc({
 *   name: 'Corp',
 *   issuerUrl: 'https://login.corp.example.com',
 *   clientId: 'notes-app',
 *   clientSecret,
 *   signUp: FederatedSignUp.emailDomains('corp.example.com'),
 * }));
 */
export class DirectoryProvider {
  /**
   * Sign in with Google (scopes `openid email profile`).
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.google({
   *   clientId: 'my-client-id.apps.googleusercontent.com',
   *   clientSecret,
   *   signUp: FederatedSignUp.emailDomains('example.com'),
   * }));
   */
  public static google(options: GoogleProviderOptions): DirectoryProvider {
    requireId('clientId', options.clientId);
    const attributeMapping = options.attributeMapping ?? { email: cognito.ProviderAttribute.GOOGLE_EMAIL };
    return new DirectoryProvider('Google', true, options.signUp, attributeMapping, (scope, id, userPool) => new cognito.UserPoolIdentityProviderGoogle(scope, id, {
      userPool,
      clientId: options.clientId,
      clientSecretValue: options.clientSecret,
      scopes: options.scopes ?? ['openid', 'email', 'profile'],
      attributeMapping,
    }));
  }

  /**
   * Sign in with Facebook (scopes `public_profile email`).
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.facebook({
   *   clientId: '1234567890123456',
   *   clientSecret,
   *   signUp: FederatedSignUp.emails('alice@example.com', 'bob@example.com'),
   * }));
   */
  public static facebook(options: FacebookProviderOptions): DirectoryProvider {
    requireId('clientId', options.clientId);
    const attributeMapping = options.attributeMapping ?? { email: cognito.ProviderAttribute.FACEBOOK_EMAIL };
    return new DirectoryProvider('Facebook', true, options.signUp, attributeMapping, (scope, id, userPool) => new cognito.UserPoolIdentityProviderFacebook(scope, id, {
      userPool,
      clientId: options.clientId,
      clientSecret: options.clientSecret.unsafeUnwrap(), // a dynamic reference when it comes from Secrets Manager
      apiVersion: options.apiVersion,
      scopes: options.scopes ?? ['public_profile', 'email'],
      attributeMapping,
    }));
  }

  /**
   * Sign in with Apple (scopes `name email`).
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.apple({
   *   servicesId: 'com.example.notes.signin',
   *   teamId: 'ABCDE12345',
   *   keyId: 'KEY1234567',
   *   privateKey: applePrivateKey,
   *   signUp: FederatedSignUp.anyone(),
   * }));
   */
  public static apple(options: AppleProviderOptions): DirectoryProvider {
    requireId('servicesId', options.servicesId);
    requireId('teamId', options.teamId);
    requireId('keyId', options.keyId);
    const attributeMapping = options.attributeMapping ?? { email: cognito.ProviderAttribute.APPLE_EMAIL };
    return new DirectoryProvider('SignInWithApple', true, options.signUp, attributeMapping, (scope, id, userPool) => new cognito.UserPoolIdentityProviderApple(scope, id, {
      userPool,
      clientId: options.servicesId,
      teamId: options.teamId,
      keyId: options.keyId,
      privateKeyValue: options.privateKey,
      scopes: options.scopes ?? ['name', 'email'],
      attributeMapping,
    }));
  }

  /**
   * Login with Amazon (scope `profile`).
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.amazon({
   *   clientId: 'amzn1.application-oa2-client.0123456789abcdef',
   *   clientSecret,
   *   signUp: FederatedSignUp.anyone(),
   * }));
   */
  public static amazon(options: AmazonProviderOptions): DirectoryProvider {
    requireId('clientId', options.clientId);
    const attributeMapping = options.attributeMapping ?? { email: cognito.ProviderAttribute.AMAZON_EMAIL };
    return new DirectoryProvider('LoginWithAmazon', true, options.signUp, attributeMapping, (scope, id, userPool) => new cognito.UserPoolIdentityProviderAmazon(scope, id, {
      userPool,
      clientId: options.clientId,
      clientSecret: options.clientSecret.unsafeUnwrap(), // a dynamic reference when it comes from Secrets Manager
      scopes: options.scopes ?? ['profile'],
      attributeMapping,
    }));
  }

  /**
   * An enterprise OpenID Connect provider (scopes `openid email`).
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.oidc({
   *   name: 'Corp',
   *   issuerUrl: 'https://login.corp.example.com',
   *   clientId: 'notes-app',
   *   clientSecret,
   * }));
   */
  public static oidc(options: OidcProviderOptions): DirectoryProvider {
    requireProviderName(options.name);
    requireId('clientId', options.clientId);
    requireHttps('issuerUrl', options.issuerUrl);
    validateIdentifiers(options.identifiers);
    const attributeMapping = options.attributeMapping ?? { email: cognito.ProviderAttribute.other('email') };
    const trusted = trustedAttributesOf(options.trustedAttributes, attributeMapping);
    const create = (scope: Construct, id: string, userPool: cognito.IUserPool) => new cognito.UserPoolIdentityProviderOidc(scope, id, {
      userPool,
      name: options.name,
      clientId: options.clientId,
      clientSecret: options.clientSecret.unsafeUnwrap(), // a dynamic reference when it comes from Secrets Manager
      issuerUrl: options.issuerUrl,
      identifiers: options.identifiers,
      scopes: options.scopes ?? ['openid', 'email'],
      attributeMapping,
    });
    return new DirectoryProvider(options.name, false, options.signUp, attributeMapping, create, trusted);
  }

  /**
   * An enterprise SAML 2.0 provider, from a metadata URL or document.
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.saml({
   *   name: 'Partner',
   *   metadataUrl: 'https://idp.partner.example/metadata',
   *   signUp: FederatedSignUp.emails('alice@partner.example', 'bob@partner.example'),
   * }));
   */
  public static saml(options: SamlProviderOptions): DirectoryProvider {
    requireProviderName(options.name);
    if ((options.metadataUrl === undefined) === (options.metadataDocument === undefined)) {
      invalid('metadataUrl', options.metadataUrl, 'a SAML provider needs exactly one of `metadataUrl` and `metadataDocument`',
        'Give the https URL of the provider metadata, or the XML document itself, not both.');
    }
    if (options.metadataUrl !== undefined) {
      requireHttps('metadataUrl', options.metadataUrl);
    }
    validateIdentifiers(options.identifiers);
    const metadata = options.metadataUrl !== undefined
      ? cognito.UserPoolIdentityProviderSamlMetadata.url(options.metadataUrl)
      : cognito.UserPoolIdentityProviderSamlMetadata.file(options.metadataDocument!);
    const attributeMapping = options.attributeMapping ?? { email: cognito.ProviderAttribute.other(SAML_EMAIL_CLAIM) };
    const trusted = trustedAttributesOf(options.trustedAttributes, attributeMapping);
    const create = (scope: Construct, id: string, userPool: cognito.IUserPool) => new cognito.UserPoolIdentityProviderSaml(scope, id, {
      userPool,
      name: options.name,
      metadata,
      identifiers: options.identifiers,
      idpSignout: options.idpSignout ?? false,
      attributeMapping,
    });
    return new DirectoryProvider(options.name, false, options.signUp, attributeMapping, create, trusted);
  }

  /**
   * The name the user pool knows the provider by (e.g. `Google`, or the name given to an OIDC or SAML provider).
   */
  public readonly providerName: string;

  /**
   * The user pool attributes the provider writes on sign-in (the web clients must be able to write them).
   * @internal
   */
  public readonly _mappedAttributes: string[];

  /** @internal */
  public readonly _create: (scope: Construct, id: string, userPool: cognito.IUserPool) => cognito.IUserPoolIdentityProvider;

  /**
   * A social provider (Google, Facebook, Apple, Amazon): anyone can open an account there.
   * @internal
   */
  public readonly _social: boolean;

  /**
   * The sign-up rule given with the provider, if any.
   * @internal
   */
  public readonly _signUp?: FederatedSignUp;

  /**
   * The mapped attributes this (enterprise) provider is trusted to set (`trustedAttributes`).
   * @internal
   */
  public readonly _trustedAttributes: string[];

  private constructor(
    providerName: string,
    social: boolean,
    signUp: FederatedSignUp | undefined,
    attributeMapping: cognito.AttributeMapping,
    create: (scope: Construct, id: string, userPool: cognito.IUserPool) => cognito.IUserPoolIdentityProvider,
    trustedAttributes: string[] = [],
  ) {
    this.providerName = providerName;
    this._create = create;
    this._mappedAttributes = mappedAttributeNames(attributeMapping);
    this._social = social;
    this._signUp = signUp;
    if (signUp?._needsEmail && !this._mappedAttributes.includes('email')) {
      invalid('attributeMapping', this._mappedAttributes, `the sign-up rule of ${providerName} (${signUp.description}) reads the user's email, and the trigger sees only mapped attributes, but the mapping has no \`email\``,
        'Map the provider\'s email to `email` (leave `attributeMapping` out for the default mapping), or use `FederatedSignUp.anyone()`.');
    }
    this._trustedAttributes = trustedAttributes;
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

function requireProviderName(name: string): void {
  if (Token.isUnresolved(name)) {
    return;
  }
  if (typeof name !== 'string' || !/^[^\s_][^\s]{1,30}[^\s]$/u.test(name)) {
    invalid('name', name, 'a provider name must be 3-32 characters without spaces and must not start with `_`',
      'Pick a short name such as `Corp` or `Okta`.');
  }
  if (['Google', 'Facebook', 'SignInWithApple', 'LoginWithAmazon', 'COGNITO'].includes(name)) {
    invalid('name', name, 'is reserved for a built-in provider', 'Use DirectoryProvider.google() etc. for social providers, or pick another name.');
  }
}

function requireHttps(property: string, url: string): void {
  if (Token.isUnresolved(url)) {
    return;
  }
  if (typeof url !== 'string' || !/^https:\/\/[^\s/]+/.test(url)) {
    invalid(property, url, 'must be an https URL', 'Use the https:// address the provider publishes.');
  }
}

/** Checks `trustedAttributes`: literal claim names, each mapped by the provider. */
function trustedAttributesOf(trusted: string[] | undefined, mapping: cognito.AttributeMapping): string[] {
  if (trusted === undefined) {
    return [];
  }
  if (!Array.isArray(trusted) || Token.isUnresolved(trusted)) {
    invalid('trustedAttributes', trusted, 'must be a list of attribute names', 'Pass e.g. `[\'custom:tenant\']`.');
  }
  const mapped = mappedAttributeNames(mapping);
  for (const attribute of trusted) {
    if (typeof attribute !== 'string' || Token.isUnresolved(attribute)) {
      invalid('trustedAttributes', attribute, 'attribute names must be known at synth', 'Use a literal claim name such as `custom:tenant`.');
    }
    if (!mapped.includes(attribute)) {
      invalid('trustedAttributes', attribute, `the provider does not map it (it maps ${mapped.map(a => `\`${a}\``).join(', ') || 'nothing'})`,
        'Trust only attributes that `attributeMapping` fills, by their user pool names (`custom:tenant`, `email`).');
    }
  }
  return [...new Set(trusted)];
}

/** User pool attribute names of the CDK AttributeMapping keys. */
const STANDARD_ATTRIBUTE_NAMES: Record<string, string> = {
  address: 'address',
  birthdate: 'birthdate',
  email: 'email',
  emailVerified: 'email_verified',
  familyName: 'family_name',
  gender: 'gender',
  givenName: 'given_name',
  locale: 'locale',
  middleName: 'middle_name',
  fullname: 'name',
  nickname: 'nickname',
  phoneNumber: 'phone_number',
  profilePicture: 'picture',
  preferredUsername: 'preferred_username',
  profilePage: 'profile',
  timezone: 'zoneinfo',
  lastUpdateTime: 'updated_at',
  website: 'website',
};

function mappedAttributeNames(mapping: cognito.AttributeMapping): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(mapping)) {
    if (value === undefined) {
      continue;
    }
    if (key === 'custom') {
      names.push(...Object.keys(value as Record<string, cognito.ProviderAttribute>));
    } else {
      names.push(STANDARD_ATTRIBUTE_NAMES[key] ?? key);
    }
  }
  return names;
}
