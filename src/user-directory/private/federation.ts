import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { invalid } from '../../private/errors';
import { DirectoryProvider } from '../directory-provider';
import { DirectoryAdmission } from './admission-trigger';
import { constructIdFor } from './ids';

/** What `validate()` needs to know about the rest of the directory. */
export interface FederationContext {
  /** Whether the directory has a managed login domain. */
  readonly hasDomain: boolean;
  /** How many web clients the directory has. */
  readonly webClientCount: number;
  /** How many of them can use the providers (they have callback URLs). */
  readonly oauthClientCount: number;
  /** The attributes the web clients let users write. */
  readonly writableAttributes: string[];
}

/**
 * The directory's social and enterprise sign-in providers: their resources, the attributes each
 * maps and is trusted for, and the checks that federated sign-in can work.
 */
export class DirectoryFederation {
  /** The provider resources, in the order they were added. */
  public readonly providers: cognito.IUserPoolIdentityProvider[] = [];
  private readonly names: string[] = [];
  private readonly mappedAttributes = new Map<string, string[]>();
  private readonly trustedAttributes = new Map<string, string[]>();

  /** The names of the providers, in the order they were added. */
  public get providerNames(): string[] {
    return [...this.names];
  }

  /**
   * Registers the provider's sign-up rule with `admission`, then creates it in `scope`.
   */
  public add(scope: Construct, userPool: cognito.IUserPool, provider: DirectoryProvider,
    admission: DirectoryAdmission): cognito.IUserPoolIdentityProvider {
    if (this.names.includes(provider.providerName)) {
      invalid('provider', provider.providerName, 'the directory already has a provider of this name', 'Add each provider once; give OIDC and SAML providers distinct names.');
    }
    admission.add(provider);
    const id = `Provider${constructIdFor(provider.providerName)}`;
    const resource = provider._create(scope, id, userPool);
    this.providers.push(resource);
    this.names.push(provider.providerName);
    this.mappedAttributes.set(provider.providerName, provider._mappedAttributes);
    this.trustedAttributes.set(provider.providerName, provider._trustedAttributes);
    return resource;
  }

  /** The attributes the provider of this name is trusted for (`trustedAttributes`). */
  public trustedAttributesOf(providerName: string): string[] {
    return [...(this.trustedAttributes.get(providerName) ?? [])];
  }

  /**
   * Federated sign-in needs the managed login pages, a web client with callback URLs, and
   * mapped attributes the web clients can write.
   */
  public validate(context: FederationContext): string[] {
    const errors: string[] = [];
    if (this.providers.length > 0 && !context.hasDomain) {
      errors.push(`\`domainPrefix\`: sign-in with ${this.providerNames.join(', ')} needs the managed login pages (received no domain). Set \`domainPrefix\` or \`customDomain\`.`);
    }
    if (this.providers.length > 0 && context.webClientCount > 0 && context.oauthClientCount === 0) {
      errors.push(`\`callbackUrls\`: no web client can use ${this.providerNames.join(', ')} (received clients without callback URLs). Give \`callbackUrls\` to addWebClient().`);
    }
    const writable = new Set(context.writableAttributes);
    for (const [providerName, attributes] of this.mappedAttributes) {
      for (const attribute of attributes.filter((a) => !writable.has(a))) {
        errors.push(`\`attributeMapping\`: provider ${providerName} maps \`${attribute}\`, which the web clients cannot write, so federated sign-in would fail (received ${JSON.stringify(attribute)}). Map it only if users may write it (custom attributes: \`userWritable: true\`), or drop the mapping.`);
      }
    }
    return errors;
  }
}
