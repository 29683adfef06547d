import { Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { AuthFacts, BucketFacts, OAuthFacts, RuleRow } from './amplify-outputs';
import type { IFederatedIdentityPool } from '../../identity-pool/i-federated-identity-pool';
import { IUserDirectory } from '../../user-directory/i-user-directory';
import { UserDirectory } from '../../user-directory/user-directory';

/*
 * Reads what a front end needs from the constructs, at synth (groups, providers and rules may be
 * added after the ClientConfig). Deploy-time values (ids, names, regions) stay tokens, so
 * cross-stack references work; settings are read from the user pool's and client's L1 resources,
 * which every UserDirectory has and imported pools do not (their settings are then left out).
 *
 * The one place that knows where each fact comes from is `directoryFacts()`: when UserDirectory
 * exposes a setting as a public member (sign-in factors, passkey relying party), read it there
 * instead of the L1 property, one line per fact.
 */

/** Longest deployed length of the deploy-time values the configuration holds. */
export const WORST_CASE = {
  region: 14,
  userPoolId: 55,
  userPoolClientId: 128,
  identityPoolId: 55,
  bucketName: 63,
  domain: 253,
  /** Any other deploy-time value (a callback URL or path segment from a token). */
  unknown: 1024,
} as const;

/** Deploy-time values seen while reading facts, with the longest length each can have. */
export class TokenLengths {
  private readonly lengths = new Map<string, number>();

  /** Records that every token in `value` resolves to at most `max` characters. */
  public note(value: string | undefined, max: number): void {
    if (value === undefined || !Token.isUnresolved(value)) {
      return;
    }
    for (const token of tokensIn(value)) {
      this.lengths.set(token, Math.min(this.lengths.get(token) ?? max, max));
    }
  }

  /** The longest length of a token (its encoded string), `WORST_CASE.unknown` if never noted. */
  public lengthOf(token: string): number {
    return this.lengths.get(token) ?? WORST_CASE.unknown;
  }
}

/** The encoded tokens inside a string, in order (a token that appears twice is listed twice). */
export function tokensIn(value: string): string[] {
  if (!Token.isUnresolved(value)) {
    return [];
  }
  // A token encodes to the same string every time it is encoded.
  return Tokenization.reverseString(value).tokens.map(t => Token.asString(t));
}

/**
 * What a front end needs of the directory, its client and the identity pool.
 */
export function directoryFacts(directory: IUserDirectory, client: cognito.IUserPoolClient,
  identityPool: IFederatedIdentityPool | undefined, lengths: TokenLengths): AuthFacts {
  const region = directory.userPool.env.region;
  lengths.note(region, WORST_CASE.region);
  lengths.note(directory.userPoolId, WORST_CASE.userPoolId);
  lengths.note(client.userPoolClientId, WORST_CASE.userPoolClientId);
  lengths.note(identityPool?.identityPoolId, WORST_CASE.identityPoolId);

  const pool = l1Of(directory.userPool, cognito.CfnUserPool);
  const read = <T>(value: unknown) => (pool ? literal<T>(pool, value) : undefined);
  const policies = read<Record<string, any>>(pool?.policies);
  const passwordPolicy = field(policies, 'passwordPolicy');
  const signInPolicy = field(policies, 'signInPolicy');
  const schema = read<Record<string, any>[]>(pool?.schema);
  const domain = domainOf(directory, lengths);

  return {
    region,
    userPoolId: directory.userPoolId,
    userPoolClientId: client.userPoolClientId,
    identityPoolId: identityPool?.identityPoolId,
    guestAccess: identityPool?.guestAccess,
    passwordPolicy: passwordPolicy === undefined ? undefined : {
      // Cognito's defaults for a policy that leaves a field out.
      min_length: field(passwordPolicy, 'minimumLength') ?? 8,
      require_numbers: field(passwordPolicy, 'requireNumbers') ?? false,
      require_lowercase: field(passwordPolicy, 'requireLowercase') ?? false,
      require_uppercase: field(passwordPolicy, 'requireUppercase') ?? false,
      require_symbols: field(passwordPolicy, 'requireSymbols') ?? false,
    },
    mfaConfiguration: read<string>(pool?.mfaConfiguration),
    enabledMfas: read<string[]>(pool?.enabledMfas),
    usernameAttributes: pool ? read<string[]>(pool.usernameAttributes) ?? [] : undefined,
    aliasAttributes: read<string[]>(pool?.aliasAttributes),
    requiredAttributes: schema?.filter(a => field(a, 'required') === true).map(a => String(field(a, 'name'))),
    autoVerifiedAttributes: read<string[]>(pool?.autoVerifiedAttributes),
    signInFactors: field(signInPolicy, 'allowedFirstAuthFactors'),
    // The relying party is "typically your user pool domain" (Cognito API reference, WebAuthnConfigurationType).
    passkeyRelyingPartyId: read<string>(pool?.webAuthnRelyingPartyId) ?? domain,
    passkeyUserVerification: read<string>(pool?.webAuthnUserVerification),
    groups: groupsOf(directory),
    oauth: domain === undefined ? undefined : oauthFacts(directory, client, domain),
  };
}

/** The managed login domain without `https://` (`<prefix>.auth.<region>.amazoncognito.com` or the custom domain). */
function domainOf(directory: IUserDirectory, lengths: TokenLengths): string | undefined {
  if (!(directory instanceof UserDirectory) || directory.domain === undefined) {
    return undefined;
  }
  const domain = directory.domain.baseUrl().replace(/^https:\/\//, '');
  lengths.note(domain, WORST_CASE.domain);
  return domain;
}

/** What a front end needs of one bucket and its rules. */
export function bucketFacts(name: string, bucket: s3.IBucket, rules: RuleRow[], lengths: TokenLengths): BucketFacts {
  lengths.note(bucket.bucketName, WORST_CASE.bucketName);
  lengths.note(bucket.env.region, WORST_CASE.region);
  return { name, bucketName: bucket.bucketName, region: bucket.env.region, rules };
}

/** The managed login settings, when the client uses OAuth. */
function oauthFacts(directory: IUserDirectory, client: cognito.IUserPoolClient, domain: string): OAuthFacts | undefined {
  const cfn = l1Of(client, cognito.CfnUserPoolClient);
  const callbackUrls = cfn === undefined ? undefined : stringList(cfn, cfn.callbackUrLs);
  if (cfn === undefined || callbackUrls === undefined || callbackUrls.length === 0) {
    return undefined;
  }
  return {
    domain,
    providerNames: directory instanceof UserDirectory ? directory.identityProviderNames : [],
    scopes: stringList(cfn, cfn.allowedOAuthScopes) ?? [],
    callbackUrls,
    logoutUrls: stringList(cfn, cfn.logoutUrLs) ?? [],
    flows: stringList(cfn, cfn.allowedOAuthFlows) ?? [],
  };
}

/** Whether the client has callback URLs (it wants the managed login pages). */
export function usesOAuth(client: cognito.IUserPoolClient): boolean {
  const cfn = l1Of(client, cognito.CfnUserPoolClient);
  return cfn !== undefined && (stringList(cfn, cfn.callbackUrLs) ?? []).length > 0;
}

function groupsOf(directory: IUserDirectory): { name: string; precedence?: number }[] {
  const precedence = new Map<string, number>();
  for (const child of directory.node.children) {
    if (child instanceof cognito.CfnUserPoolGroup && typeof child.groupName === 'string') {
      const value = literal<number>(child, child.precedence);
      if (typeof value === 'number') {
        precedence.set(child.groupName, value);
      }
    }
  }
  return directory.groupNames.map(name => (precedence.has(name) ? { name, precedence: precedence.get(name) } : { name }));
}

/** The L1 resource of an L2 construct, if it has one of that type. */
function l1Of<T>(construct: IConstruct, type: new (...args: any[]) => T): T | undefined {
  const child = construct.node.defaultChild;
  return child instanceof type ? child : undefined;
}

/** A setting's value when it is known at synth (resolved; undefined if it holds a deploy-time value). */
function literal<T>(scope: IConstruct, value: unknown): T | undefined {
  if (value === undefined) {
    return undefined;
  }
  const resolved = Stack.of(scope).resolve(value);
  return containsIntrinsic(resolved) ? undefined : resolved as T;
}

/** A list of strings that may hold deploy-time values (kept as tokens). */
function stringList(scope: IConstruct, value: string[] | undefined): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (Array.isArray(value) && !Token.isUnresolved(value)) {
    return value.filter((v): v is string => typeof v === 'string');
  }
  const resolved = literal<unknown>(scope, value);
  return Array.isArray(resolved) && resolved.every(v => typeof v === 'string') ? resolved as string[] : undefined;
}

function containsIntrinsic(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(containsIntrinsic);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k === 'Ref' || k.startsWith('Fn::') || containsIntrinsic(v));
  }
  return false;
}

/** A property of an L1 property bag, in its CDK (camelCase) or CloudFormation (PascalCase) spelling. */
function field(bag: Record<string, any> | undefined, name: string): any {
  if (bag === undefined || bag === null || typeof bag !== 'object') {
    return undefined;
  }
  return bag[name] ?? bag[name.charAt(0).toUpperCase() + name.slice(1)];
}
