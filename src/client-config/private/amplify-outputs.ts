/*
 * The pure translator: plain facts about a directory, an identity pool and buckets in, the
 * configuration in the Amplify outputs format (`amplify_outputs.json`, schema 1.5) out. No
 * construct, no Stack: deploy-time values are opaque strings that pass through unchanged.
 *
 * The types below are the subset of `AWSAmplifyBackendOutputs` (npm `@aws-amplify/client-config`,
 * a devDependency) this library writes; test/client-config type-checks the generated file
 * against the real type.
 */
import type { AccessRuleDescription } from '../../access/scoped-bucket-access';

/** The schema version written (`AWSAmplifyBackendOutputs.version` in @aws-amplify/client-config 1.x). */
export const SCHEMA_VERSION = '1.5';

/** Storage actions as Amplify's own outputs write them (`read` is written as `get` + `list`). */
export type StorageAction = 'get' | 'list' | 'write' | 'delete';

/** The password policy of a user pool, as Amplify writes it. */
export interface AmplifyPasswordPolicy {
  readonly min_length: number;
  readonly require_numbers: boolean;
  readonly require_lowercase: boolean;
  readonly require_uppercase: boolean;
  readonly require_symbols: boolean;
}

/** The `auth.oauth` section. */
export interface AmplifyOAuth {
  readonly identity_providers: ('GOOGLE' | 'FACEBOOK' | 'LOGIN_WITH_AMAZON' | 'SIGN_IN_WITH_APPLE')[];
  readonly domain: string;
  readonly scopes: string[];
  readonly redirect_sign_in_uri: string[];
  readonly redirect_sign_out_uri: string[];
  readonly response_type: 'code' | 'token';
}

/** The `auth.passwordless` section (choice-based sign-in). */
export interface AmplifyPasswordless {
  readonly email_otp_enabled?: boolean;
  readonly sms_otp_enabled?: boolean;
  readonly web_authn?: { readonly relying_party_id: string; readonly user_verification: 'required' | 'preferred' };
}

/** The `auth` section. */
export interface AmplifyAuth {
  readonly aws_region: string;
  readonly user_pool_id: string;
  readonly user_pool_client_id: string;
  readonly identity_pool_id?: string;
  readonly password_policy?: AmplifyPasswordPolicy;
  readonly oauth?: AmplifyOAuth;
  readonly standard_required_attributes?: string[];
  readonly username_attributes?: ('email' | 'phone_number' | 'username')[];
  readonly user_verification_types?: ('email' | 'phone_number')[];
  readonly unauthenticated_identities_enabled?: boolean;
  readonly mfa_configuration?: 'NONE' | 'OPTIONAL' | 'REQUIRED';
  readonly mfa_methods?: ('SMS' | 'TOTP' | 'EMAIL')[];
  readonly passwordless?: AmplifyPasswordless;
  readonly groups?: { [name: string]: { readonly precedence?: number } }[];
}

/** One audience's actions on one path: `guest`, `authenticated`, `groups<name>`, `entityidentity`. */
export type AmplifyAccessRule = { [audience: string]: StorageAction[] };

/** One entry of `storage.buckets`. */
export interface AmplifyBucket {
  readonly name: string;
  readonly bucket_name: string;
  readonly aws_region: string;
  readonly paths?: { [path: string]: AmplifyAccessRule };
}

/** The `storage` section. */
export interface AmplifyStorage {
  readonly aws_region: string;
  readonly bucket_name: string;
  readonly buckets: AmplifyBucket[];
}

/** The whole file. */
export interface AmplifyOutputs {
  readonly version: typeof SCHEMA_VERSION;
  readonly auth: AmplifyAuth;
  readonly storage?: AmplifyStorage;
}

/** What a front end needs of a user directory and its app client (see directory-facts.ts). */
export interface AuthFacts {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly identityPoolId?: string;
  readonly guestAccess?: boolean;
  readonly passwordPolicy?: AmplifyPasswordPolicy;
  /** Cognito's `MfaConfiguration`: `OFF`, `ON` or `OPTIONAL`. */
  readonly mfaConfiguration?: string;
  /** Cognito's `EnabledMfas`: `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`. */
  readonly enabledMfas?: readonly string[];
  /** Cognito's `UsernameAttributes` (`email`, `phone_number`); empty when users sign in with a user name, undefined when unknown. */
  readonly usernameAttributes?: readonly string[];
  /** Cognito's `AliasAttributes` (`email`, `phone_number`, `preferred_username`). */
  readonly aliasAttributes?: readonly string[];
  /** Standard attributes marked required in the schema. */
  readonly requiredAttributes?: readonly string[];
  /** Cognito's `AutoVerifiedAttributes`. */
  readonly autoVerifiedAttributes?: readonly string[];
  /** Cognito's `AllowedFirstAuthFactors` (`PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`). */
  readonly signInFactors?: readonly string[];
  readonly passkeyRelyingPartyId?: string;
  /** Cognito's `WebAuthnUserVerification`: `required` or `preferred`. */
  readonly passkeyUserVerification?: string;
  /** Groups in the directory, with their precedence when known. */
  readonly groups: readonly { readonly name: string; readonly precedence?: number }[];
  /** OAuth, when the client has callback URLs and the directory a domain. */
  readonly oauth?: OAuthFacts;
}

/** What the managed login pages need. */
export interface OAuthFacts {
  /** The domain, without `https://`. */
  readonly domain: string;
  /** Sign-in provider names of the directory (`Google`, `Facebook`, `LoginWithAmazon`, `SignInWithApple`, OIDC / SAML names). */
  readonly providerNames: readonly string[];
  readonly scopes: readonly string[];
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  /** Cognito's `AllowedOAuthFlows` (`code`, `implicit`). */
  readonly flows: readonly string[];
}

/** One access rule as `ScopedBucketAccess.describe()` writes it. */
export type RuleRow = AccessRuleDescription;

/** What a front end needs of one bucket. */
export interface BucketFacts {
  readonly name: string;
  readonly bucketName: string;
  readonly region: string;
  readonly rules: readonly RuleRow[];
}

/** A rule that has no Amplify equivalent, and why. */
export interface LeftOutRule {
  readonly bucket: string;
  readonly rule: RuleRow;
  readonly reason: string;
}

/** A rule in the configuration that grants WRITE to an audience that has no GET on the same path. */
export interface WriteOnlyRule {
  readonly bucket: string;
  readonly rule: RuleRow;
}

/** A group whose members aws-amplify would give another audience's entry of a path (see misreadGroups). */
export interface MisreadGroup {
  readonly bucket: string;
  readonly path: string;
  readonly group: string;
  /** The audience key aws-amplify picks for the group's members. */
  readonly key: string;
}

/** The translation, with the rules it could not express. */
export interface Translation {
  readonly outputs: AmplifyOutputs;
  readonly leftOut: readonly LeftOutRule[];
  /** Written rules whose large uploads need the app's help (see writeWithoutGet). */
  readonly writeOnly: readonly WriteOnlyRule[];
  /** Groups that aws-amplify's location resolver confuses with another audience. */
  readonly misread: readonly MisreadGroup[];
}

/** The policy variable Amplify's generator and client libraries use for the caller's identity id. */
export const ENTITY_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

const ACTION_ORDER: readonly StorageAction[] = ['get', 'list', 'write', 'delete'];

const ACTIONS: { readonly [access: string]: readonly StorageAction[] } = {
  READ: ['get', 'list'],
  GET: ['get'],
  LIST: ['list'],
  WRITE: ['write'],
  DELETE: ['delete'],
};

const SOCIAL_PROVIDERS: { readonly [providerName: string]: AmplifyOAuth['identity_providers'][number] } = {
  Google: 'GOOGLE',
  Facebook: 'FACEBOOK',
  LoginWithAmazon: 'LOGIN_WITH_AMAZON',
  SignInWithApple: 'SIGN_IN_WITH_APPLE',
};

const STANDARD_ATTRIBUTES = new Set([
  'address', 'birthdate', 'email', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name',
  'nickname', 'phone_number', 'picture', 'preferred_username', 'profile', 'sub', 'updated_at', 'website', 'zoneinfo',
]);

/**
 * The configuration file for a directory, its client, an optional identity pool and buckets. The
 * first bucket is the default one (`storage.bucket_name`).
 */
export function amplifyOutputs(auth: AuthFacts, buckets: readonly BucketFacts[]): Translation {
  const leftOut: LeftOutRule[] = [];
  const writeOnly: WriteOnlyRule[] = [];
  const misread: MisreadGroup[] = [];
  const groups = auth.groups.map(g => g.name);
  const storage = buckets.length === 0 ? undefined : {
    aws_region: buckets[0].region,
    bucket_name: buckets[0].bucketName,
    buckets: buckets.map((b) => {
      const { paths, leftOut: dropped } = storagePaths(b.rules);
      leftOut.push(...dropped.map(d => ({ bucket: b.name, ...d })));
      // GET may come from a rule that is not written (`{identity}` for authenticated): decide on all rules
      const written = writeWithoutGet(b.rules).filter(r => !dropped.some(d => d.rule === r));
      writeOnly.push(...written.map(rule => ({ bucket: b.name, rule })));
      misread.push(...misreadGroups(paths, groups).map(m => ({ bucket: b.name, ...m })));
      return {
        name: b.name,
        bucket_name: b.bucketName,
        aws_region: b.region,
        ...(Object.keys(paths).length > 0 ? { paths } : {}),
      };
    }),
  };
  return {
    outputs: { version: SCHEMA_VERSION, auth: authSection(auth), ...(storage ? { storage } : {}) },
    leftOut,
    writeOnly,
    misread,
  };
}

/** The `auth` section. */
export function authSection(f: AuthFacts): AmplifyAuth {
  const mfa = mfaConfiguration(f.mfaConfiguration);
  const mfaMethods = (f.enabledMfas ?? []).map(mfaMethod).filter(isDefined);
  const required = (f.requiredAttributes ?? []).filter(a => STANDARD_ATTRIBUTES.has(a));
  const verification = (f.autoVerifiedAttributes ?? []).filter((a): a is 'email' | 'phone_number' => a === 'email' || a === 'phone_number');
  const passwordless = passwordlessSection(f);
  return {
    aws_region: f.region,
    user_pool_id: f.userPoolId,
    user_pool_client_id: f.userPoolClientId,
    ...(f.identityPoolId !== undefined ? { identity_pool_id: f.identityPoolId } : {}),
    ...(f.passwordPolicy ? { password_policy: f.passwordPolicy } : {}),
    ...(f.oauth ? { oauth: oauthSection(f.oauth) } : {}),
    ...(required.length > 0 ? { standard_required_attributes: required } : {}),
    ...(f.usernameAttributes !== undefined ? { username_attributes: usernameAttributes(f.usernameAttributes, f.aliasAttributes ?? []) } : {}),
    ...(verification.length > 0 ? { user_verification_types: verification } : {}),
    ...(f.guestAccess !== undefined ? { unauthenticated_identities_enabled: f.guestAccess } : {}),
    ...(mfa ? { mfa_configuration: mfa } : {}),
    ...(mfa && mfa !== 'NONE' && mfaMethods.length > 0 ? { mfa_methods: mfaMethods } : {}),
    ...(passwordless ? { passwordless } : {}),
    ...(f.groups.length > 0 ? {
      groups: f.groups.map(g => ({ [g.name]: g.precedence === undefined ? {} : { precedence: g.precedence } })),
    } : {}),
  };
}

function usernameAttributes(usernames: readonly string[], aliases: readonly string[]): ('email' | 'phone_number' | 'username')[] {
  const pick = (names: readonly string[]) => names.filter((a): a is 'email' | 'phone_number' => a === 'email' || a === 'phone_number');
  if (usernames.length > 0) {
    return pick(usernames);
  }
  // A user name, and the aliases that can stand in for it.
  return ['username', ...pick(aliases)];
}

function mfaConfiguration(value: string | undefined): AmplifyAuth['mfa_configuration'] {
  switch (value) {
    case 'ON':
      return 'REQUIRED';
    case 'OPTIONAL':
      return 'OPTIONAL';
    case 'OFF':
      return 'NONE';
    default:
      return undefined;
  }
}

function mfaMethod(value: string): 'SMS' | 'TOTP' | 'EMAIL' | undefined {
  switch (value) {
    case 'SMS_MFA':
      return 'SMS';
    case 'SOFTWARE_TOKEN_MFA':
      return 'TOTP';
    case 'EMAIL_OTP':
      return 'EMAIL';
    default:
      return undefined;
  }
}

function passwordlessSection(f: AuthFacts): AmplifyPasswordless | undefined {
  const factors = new Set(f.signInFactors ?? []);
  const passkey = factors.has('WEB_AUTHN') && f.passkeyRelyingPartyId !== undefined;
  if (!factors.has('EMAIL_OTP') && !factors.has('SMS_OTP') && !passkey) {
    return undefined;
  }
  return {
    ...(factors.has('EMAIL_OTP') ? { email_otp_enabled: true } : {}),
    ...(factors.has('SMS_OTP') ? { sms_otp_enabled: true } : {}),
    ...(passkey ? {
      web_authn: {
        relying_party_id: f.passkeyRelyingPartyId!,
        user_verification: f.passkeyUserVerification === 'required' ? 'required' : 'preferred',
      },
    } : {}),
  };
}

function oauthSection(o: OAuthFacts): AmplifyOAuth {
  return {
    // OIDC and SAML providers have no value here: the app names them in signInWithRedirect({ provider: { custom } }).
    identity_providers: o.providerNames.map(n => SOCIAL_PROVIDERS[n]).filter(isDefined),
    domain: o.domain,
    scopes: [...o.scopes],
    redirect_sign_in_uri: [...o.callbackUrls],
    redirect_sign_out_uri: [...(o.logoutUrls.length > 0 ? o.logoutUrls : o.callbackUrls)],
    response_type: o.flows.includes('code') || !o.flows.includes('implicit') ? 'code' : 'token',
  };
}

/** The `paths` of one bucket, and the rules left out. */
export interface StoragePaths {
  readonly paths: { [path: string]: AmplifyAccessRule };
  readonly leftOut: { readonly rule: RuleRow; readonly reason: string }[];
}

/**
 * The `paths` of one bucket, written the way Amplify's own storage generator writes them for the
 * equivalent `defineStorage` rule: `{identity}` becomes `{entity_id}`, then the path is rendered
 * as the policy sees it, `${cognito-identity.amazonaws.com:sub}` for the owner (`entityidentity`),
 * which the Amplify libraries replace with the signed-in identity id.
 *
 * Only what the policies allow is written (DESIGN.md: what the client configuration advertises,
 * IAM allows). Amplify renders `{entity_id}` as `*` for every other audience (`protected/*` for
 * `protected/{identity}/*`), a location that means every key below `protected/`: the Amplify
 * libraries list `protected/` itself and act on keys beside the identity folders. The policies
 * grant only identity folders (`protected/<identityId>/`), so such rules are left out; the app
 * reaches other identities' folders by path.
 *
 * Rules that Amplify cannot express are left out too: principal-tag (`{tag:NAME}`) paths, paths
 * whose `{identity}` is not the last segment or is the first one or appears twice, and audiences
 * without an Amplify key.
 */
export function storagePaths(rules: readonly RuleRow[]): StoragePaths {
  const paths: { [path: string]: { [audience: string]: Set<StorageAction> } } = {};
  const leftOut: { rule: RuleRow; reason: string }[] = [];
  for (const rule of rules) {
    const audience = audienceKey(rule.audience);
    if (audience === undefined) {
      leftOut.push({ rule, reason: `the audience \`${rule.audience}\` has no key in Amplify's storage paths` });
      continue;
    }
    const path = amplifyPath(rule.path);
    if (typeof path !== 'string') {
      leftOut.push({ rule, reason: path.reason });
      continue;
    }
    if (audience !== 'entityidentity' && path.includes(ENTITY_SEGMENT)) {
      leftOut.push({ rule, reason: anyIdentityReason(path) });
      continue;
    }
    const key = renderedPath(path, ENTITY_VARIABLE);
    const actions = rule.access.split(',').map(a => a.trim()).flatMap(a => ACTIONS[a] ?? []);
    const byAudience = paths[key] ?? (paths[key] = {});
    const set = byAudience[audience] ?? (byAudience[audience] = new Set());
    actions.forEach(a => set.add(a));
  }
  const result: { [path: string]: AmplifyAccessRule } = {};
  for (const [path, byAudience] of Object.entries(paths)) {
    result[path] = Object.fromEntries(Object.entries(byAudience).map(([audience, set]) => [audience, ACTION_ORDER.filter(a => set.has(a))]));
  }
  return { paths: result, leftOut };
}

/**
 * The rules that grant WRITE to an audience that gets no GET on the same path (from its own rules
 * or, for the owner and group members, from `authenticated` rules; the inner path decides under
 * it, so only the same path counts). aws-amplify's `uploadData` checks a multipart upload (data
 * over 5 MiB) with a HEAD request, which S3 authorizes as `s3:GetObject`, unless the app asks for
 * a full-object CRC32 checksum (`checksumAlgorithm: 'crc-32'`), which replaces the HEAD.
 */
export function writeWithoutGet(rules: readonly RuleRow[]): RuleRow[] {
  const accessOf = (r: RuleRow) => r.access.split(',').map(a => a.trim());
  const gets = (r: RuleRow) => accessOf(r).some(a => (ACTIONS[a] ?? []).includes('get'));
  const readers = (audience: string) => (audience === 'guest' ? ['guest'] : [audience, 'authenticated']);
  return rules.filter(r => accessOf(r).includes('WRITE')
    && !rules.some(other => other.path === r.path && gets(other) && readers(r.audience).includes(other.audience)));
}

/**
 * The groups whose members aws-amplify would give more on a path than their role has. Its location
 * resolver (`listPaths`, what the Storage Browser shows) takes, for the user's highest-precedence
 * group G, the first audience key of each path that contains G's name (`key.includes(G)`), so a
 * group `admin` reads the `groupsadmins` entry and a group `identity` the `entityidentity` one.
 * A member's role has the group's own entry and the `authenticated` one; an `entityidentity` entry
 * read this way is a location whose prefix holds the literal policy variable, so it never works.
 */
export function misreadGroups(paths: { readonly [path: string]: AmplifyAccessRule }, groups: readonly string[]): Omit<MisreadGroup, 'bucket'>[] {
  const found: Omit<MisreadGroup, 'bucket'>[] = [];
  for (const [path, rule] of Object.entries(paths)) {
    for (const group of groups) {
      const key = Object.keys(rule).find(k => k.includes(group));
      if (key === undefined || key === `groups${group}`) {
        continue;
      }
      const has = new Set([...(rule[`groups${group}`] ?? []), ...(rule.authenticated ?? [])]);
      if (key === 'entityidentity' || rule[key].some(a => !has.has(a))) {
        found.push({ path, group, key });
      }
    }
  }
  return found;
}

/** The Amplify key of an audience (`Audience.toString()`), or undefined. */
export function audienceKey(audience: string): string | undefined {
  if (audience === 'guest' || audience === 'authenticated') {
    return audience;
  }
  if (audience === 'owner') {
    return 'entityidentity';
  }
  // `group:<name> (<directory>)` names one directory's group, which Amplify's group keys cannot tell apart.
  if (audience.startsWith('group:') && audience.length > 'group:'.length && !/ \(.*\)$/.test(audience)) {
    return `groups${audience.slice('group:'.length)}`;
  }
  return undefined;
}

/**
 * The `defineStorage` path of a rule path (`{identity}` -> `{entity_id}`), or why there is none.
 * Amplify accepts `{entity_id}` once, as the last segment and not the first.
 */
export function amplifyPath(path: string): string | { reason: string } {
  const segments = path.endsWith('/*') ? path.slice(0, -2).split('/') : path.split('/');
  if (segments.some(s => s.startsWith('{tag:'))) {
    return { reason: 'Amplify has no principal tags, so a `{tag:NAME}` path has no equivalent' };
  }
  const identities = segments.map((s, i) => (s === '{identity}' ? i : -1)).filter(i => i >= 0);
  if (identities.length > 1) {
    return { reason: 'Amplify accepts `{entity_id}` once in a path' };
  }
  if (identities.length === 1 && identities[0] !== segments.length - 1) {
    return { reason: 'Amplify accepts `{entity_id}` only as the last segment before `/*`' };
  }
  if (identities.length === 1 && segments.length === 1) {
    return { reason: 'Amplify does not accept `{entity_id}` as the first segment' };
  }
  return `${segments.map(s => (s === '{identity}' ? '{entity_id}' : s)).join('/')}/*`;
}

const ENTITY_SEGMENT = '{entity_id}';

/** The path as Amplify's generator writes it for one substitution of `{entity_id}`. */
function renderedPath(path: string, substitution: string): string {
  const rendered = path.split(ENTITY_SEGMENT).join(substitution);
  return rendered.endsWith('/*/*') ? rendered.slice(0, -2) : rendered;
}

/** Why a `{identity}` rule for an audience other than the owner is not written (`path` in Amplify's form). */
function anyIdentityReason(path: string): string {
  const parent = path.slice(0, path.indexOf(ENTITY_SEGMENT));
  return `Amplify writes \`{identity}\` for this audience as \`*\` (\`${parent}*\`), a location that means every key below \`${parent}\`: `
    + `the Amplify libraries would list \`${parent}\` itself and act on keys beside the identity folders, which the policies deny `
    + '(they grant identity folders only). The rule still applies: the app reaches a known identity\'s folder by path, '
    + `e.g. \`list({ path: '${parent}<identityId>/' })\` or \`getUrl({ path: '${parent}<identityId>/photo.jpg' })\``;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
