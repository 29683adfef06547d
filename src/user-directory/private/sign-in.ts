import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { invalid } from '../../private/errors';
import { USER_DIRECTORY_DEFAULTS } from '../defaults';
import { SignInFactor } from '../sign-in';

/** What the directory was asked for, before defaults. */
export interface SignInInput {
  readonly signInFactors?: SignInFactor[];
  readonly passkeyRelyingPartyId?: string;
  readonly passkeyUserVerification?: cognito.PasskeyUserVerification;
  readonly mfa?: cognito.Mfa;
  readonly featurePlan: cognito.FeaturePlan;
  readonly domainPrefix?: string;
  readonly customDomainName?: string;
}

/** The resolved sign-in settings, ready for `cognito.UserPoolProps`. */
export interface SignInSettings {
  readonly factors: SignInFactor[];
  /** Whether any factor other than the password is on. */
  readonly passwordless: boolean;
  readonly mfa: cognito.Mfa;
  readonly signInPolicy?: cognito.SignInPolicy;
  readonly passkeyRelyingPartyId?: string;
  readonly passkeyUserVerification?: cognito.PasskeyUserVerification;
  /**
   * `WebAuthnFactorConfiguration` of the pool: `MULTI_FACTOR_WITH_USER_VERIFICATION` when MFA is
   * required and passkeys verify the user, so that a passkey sign-in satisfies MFA.
   */
  readonly passkeyFactorConfiguration?: string;
  /** SMS one-time codes need the pool's SMS role (Amazon SNS). */
  readonly enableSmsRole?: boolean;
}

const FACTOR_NAMES: Record<string, string> = {
  [SignInFactor.PASSWORD]: 'SignInFactor.PASSWORD',
  [SignInFactor.PASSKEY]: 'SignInFactor.PASSKEY',
  [SignInFactor.EMAIL_OTP]: 'SignInFactor.EMAIL_OTP',
  [SignInFactor.SMS_OTP]: 'SignInFactor.SMS_OTP',
};
// A relying party id is a host name: lower-case labels of letters, digits and hyphens.
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
// AWS::Cognito::UserPool WebAuthnRelyingPartyID: 1-63 characters.
const MAX_RELYING_PARTY_ID = 63;
/** AWS::Cognito::UserPool WebAuthnFactorConfiguration: a passkey with user verification satisfies MFA. */
const PASSKEY_COUNTS_AS_MFA = 'MULTI_FACTOR_WITH_USER_VERIFICATION';
/**
 * A small built-in list of common multi-label public suffixes (from the Public Suffix List, not
 * the whole list): WebAuthn refuses a relying party id that is a public suffix, since every site
 * under it could claim its passkeys. Single labels (`com`, `uk`) are refused by rule.
 * @see https://publicsuffix.org/list/
 */
const COMMON_PUBLIC_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'me.uk', 'ltd.uk', 'plc.uk', 'ac.uk', 'gov.uk', 'net.uk',
  'com.au', 'net.au', 'org.au', 'edu.au', 'gov.au', 'co.nz', 'net.nz', 'org.nz',
  'co.jp', 'ne.jp', 'or.jp', 'ac.jp', 'go.jp', 'co.kr', 'or.kr', 'com.cn', 'net.cn', 'org.cn',
  'com.hk', 'com.tw', 'com.sg', 'com.my', 'com.ph', 'co.id', 'co.th', 'com.vn', 'co.in', 'net.in', 'org.in',
  'com.br', 'net.br', 'org.br', 'com.mx', 'com.ar', 'com.co', 'co.za', 'com.tr', 'co.il', 'com.ua',
  // hosting platforms that list themselves, so that one customer's site cannot claim another's passkeys
  'github.io', 'gitlab.io', 'herokuapp.com', 'cloudfront.net', 'amplifyapp.com', 'vercel.app',
  'netlify.app', 'pages.dev', 'workers.dev', 'web.app', 'firebaseapp.com', 'appspot.com',
  'azurewebsites.net', 'blogspot.com',
]);
/** `<prefix>.auth.<region>.amazoncognito.com` (or `auth-fips`): a Cognito prefix domain. */
const COGNITO_PREFIX_DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.auth(?:-fips)?\.[a-z0-9-]+\.amazoncognito\.com$/;

/**
 * Resolves choice-based sign-in and checks Cognito's rules for it.
 *
 * Rules and sources (README "Choice-based sign-in" lists them for users):
 * - passwordless factors need the Essentials or Plus plan (API SignInPolicyType);
 * - one-time codes as first factors are not offered to users with MFA (Developer Guide, "Adding
 *   MFA to a user pool": MFA is a second factor for users whose first factor is a password), so
 *   required MFA with them is refused: the user must choose `Mfa.OPTIONAL` (or OFF) explicitly,
 *   and is warned;
 * - a passkey with user verification satisfies MFA when the pool says so (API
 *   WebAuthnConfigurationType FactorConfiguration `MULTI_FACTOR_WITH_USER_VERIFICATION`,
 *   CloudFormation WebAuthnFactorConfiguration): required MFA with passkeys renders it, and is
 *   refused when user verification is only preferred;
 * - passkeys need a relying party id of 1-63 characters, the custom domain when there is one
 *   (CloudFormation WebAuthnRelyingPartyID; Developer Guide, passkey sign-in), given explicitly
 *   because registered passkeys are bound to it; WebAuthn refuses public suffixes as RP id.
 */
export function resolveSignIn(scope: Construct, input: SignInInput): SignInSettings {
  const requested = input.signInFactors;
  const factors = requested ?? [SignInFactor.PASSWORD];
  validateFactors(requested);
  const passwordless = factors.some((f) => f !== SignInFactor.PASSWORD);
  const passkey = factors.includes(SignInFactor.PASSKEY);

  if (!passkey && input.passkeyRelyingPartyId !== undefined) {
    invalid('passkeyRelyingPartyId', input.passkeyRelyingPartyId, 'a relying party id only applies to passkeys', 'Add `SignInFactor.PASSKEY` to `signInFactors`, or leave `passkeyRelyingPartyId` out.');
  }
  if (!passkey && input.passkeyUserVerification !== undefined) {
    invalid('passkeyUserVerification', input.passkeyUserVerification, 'user verification only applies to passkeys', 'Add `SignInFactor.PASSKEY` to `signInFactors`, or leave `passkeyUserVerification` out.');
  }
  if (passwordless && input.featurePlan === cognito.FeaturePlan.LITE) {
    invalid('featurePlan', input.featurePlan, `passwordless sign-in (${describeFactors(factors.filter((f) => f !== SignInFactor.PASSWORD))}) needs the Essentials or Plus feature plan`,
      'Use `FeaturePlan.PLUS` (the default) or `FeaturePlan.ESSENTIALS`, or sign in with `SignInFactor.PASSWORD` only.');
  }

  const userVerification = passkey ? input.passkeyUserVerification ?? USER_DIRECTORY_DEFAULTS.passkeyUserVerification : undefined;
  const mfa = resolveMfa(scope, input, passwordless, factors, userVerification);
  return {
    factors: [...factors],
    passwordless,
    mfa,
    signInPolicy: requested === undefined ? undefined : {
      allowedFirstAuthFactors: {
        password: factors.includes(SignInFactor.PASSWORD),
        passkey,
        emailOtp: factors.includes(SignInFactor.EMAIL_OTP),
        smsOtp: factors.includes(SignInFactor.SMS_OTP),
      },
    },
    passkeyRelyingPartyId: passkey ? relyingPartyId(scope, input) : undefined,
    passkeyUserVerification: userVerification,
    passkeyFactorConfiguration: passkey && mfa === cognito.Mfa.REQUIRED ? PASSKEY_COUNTS_AS_MFA : undefined,
    enableSmsRole: factors.includes(SignInFactor.SMS_OTP) ? true : undefined,
  };
}

/**
 * Email one-time codes go out through the pool's email configuration, which must be Amazon SES
 * (`EmailSendingAccount: DEVELOPER`): the same rule as email MFA (Developer Guide, "Email settings
 * for Amazon Cognito user pools" and "SMS and email message MFA").
 */
export function validateEmailOtpSender(settings: SignInSettings, pool: cognito.CfnUserPool): void {
  if (!settings.factors.includes(SignInFactor.EMAIL_OTP)) {
    return;
  }
  const email = pool.emailConfiguration as cognito.CfnUserPool.EmailConfigurationProperty | undefined;
  if (email?.emailSendingAccount !== 'DEVELOPER') {
    invalid('email', email?.emailSendingAccount ?? 'COGNITO_DEFAULT', 'email one-time codes (`SignInFactor.EMAIL_OTP`) need the pool to send email with Amazon SES',
      'Set `email: UserPoolEmail.withSES({ fromEmail, ... })` with an SES-verified identity, or drop `SignInFactor.EMAIL_OTP`.');
  }
}

function validateFactors(factors: SignInFactor[] | undefined): void {
  if (factors === undefined) {
    return;
  }
  if (factors.length === 0) {
    invalid('signInFactors', factors, 'must not be empty', 'Leave `signInFactors` out for password sign-in, or list `SignInFactor.PASSWORD` and the passwordless factors you want.');
  }
  const seen = new Set<SignInFactor>();
  for (const factor of factors) {
    if (!Object.values(SignInFactor).includes(factor)) {
      invalid('signInFactors', factor, 'is not a sign-in factor', 'Use the `SignInFactor` enum.');
    }
    if (seen.has(factor)) {
      invalid('signInFactors', describeFactors(factors), `lists ${FACTOR_NAMES[factor]} twice`, 'List each factor once.');
    }
    seen.add(factor);
  }
  if (!seen.has(SignInFactor.PASSWORD)) {
    invalid('signInFactors', describeFactors(factors), 'password sign-in cannot be turned off (aws-cdk-lib AllowedFirstAuthFactors: `password` must be true)',
      'Add `SignInFactor.PASSWORD`; users who never set a password still sign in with their passkey or one-time code.');
  }
}

function resolveMfa(scope: Construct, input: SignInInput, passwordless: boolean, factors: SignInFactor[],
  userVerification: cognito.PasskeyUserVerification | undefined): cognito.Mfa {
  if (!passwordless) {
    return input.mfa ?? USER_DIRECTORY_DEFAULTS.mfa;
  }
  const wanted = describeFactors(factors.filter((f) => f !== SignInFactor.PASSWORD));
  if (input.mfa === undefined || input.mfa === cognito.Mfa.REQUIRED) {
    const received = input.mfa === undefined ? 'Mfa.REQUIRED (the default)' : 'Mfa.REQUIRED';
    const codes = factors.filter((f) => f === SignInFactor.EMAIL_OTP || f === SignInFactor.SMS_OTP);
    if (codes.length > 0) {
      invalid('mfa', received,
        `Cognito offers one-time codes as a first factor (${describeFactors(codes)}) only to users without MFA, so required MFA would turn them off for everyone`,
        'Say so explicitly with `mfa: Mfa.OPTIONAL`: password sign-ins then ask for MFA only from users who set it up, and passwordless sign-ins never do. '
        + 'Or keep `Mfa.REQUIRED` and drop the one-time codes: passkeys that verify the user count as MFA.');
    }
    // Passkeys only: a passkey sign-in with user verification satisfies MFA (WebAuthnFactorConfiguration).
    if (userVerification !== cognito.PasskeyUserVerification.REQUIRED) {
      invalid('passkeyUserVerification', userVerification,
        'with required MFA a passkey sign-in must count as MFA, and Cognito counts only passkeys that verify the user (biometric or PIN)',
        'Leave `passkeyUserVerification` out (PasskeyUserVerification.REQUIRED), or choose `mfa: Mfa.OPTIONAL` explicitly.');
    }
    return cognito.Mfa.REQUIRED;
  }
  if (input.mfa === cognito.Mfa.OPTIONAL) {
    Annotations.of(scope).addWarningV2('cdk-federated-access:passwordlessMfaOptional',
      `MFA is optional because passwordless sign-in is on (${wanted}): password sign-ins ask for MFA only from users who set it up, `
      + 'and users who set up MFA cannot use the passwordless factors. cdk-nag AwsSolutions-COG2 reports it: acknowledge it with this reason.');
  }
  return input.mfa;
}

/**
 * The relying party id, always given explicitly: passkeys are bound to it for good, so it never
 * follows the domain by itself (a new prefix or an added custom domain would make every
 * registered passkey unusable).
 */
function relyingPartyId(scope: Construct, input: SignInInput): string {
  const explicit = input.passkeyRelyingPartyId;
  const custom = input.customDomainName;
  const prefixDomain = prefixDomainOf(scope, input.domainPrefix);
  if (explicit === undefined) {
    const current = custom ?? prefixDomain;
    const literal = current !== undefined && !Token.isUnresolved(current);
    if (literal && current.length > MAX_RELYING_PARTY_ID) {
      return invalid('passkeyRelyingPartyId', undefined,
        `passkeys need a relying party id given explicitly, and the directory's domain "${current}" is ${current.length} characters; Cognito allows ${MAX_RELYING_PARTY_ID}`,
        'Use a shorter `domainPrefix` or a `customDomain`, and set `passkeyRelyingPartyId` to it; or set it to the domain of the app that signs users in with the SDK.');
    }
    const suggestion = current === undefined
      ? 'Set `domainPrefix` or `customDomain` (managed login then hosts passkey sign-in) and set `passkeyRelyingPartyId` to that domain, or set it to the domain of the app that signs users in with the SDK.'
      : `Pin it to the directory's current domain: \`passkeyRelyingPartyId: '${literal ? current : describeDomain(input)}'\``
        + `${literal || custom !== undefined ? '' : ' (`<region>`: the stack\'s region, e.g. `${Stack.of(this).region}` in TypeScript)'}, and keep it when the domain changes.`;
    return invalid('passkeyRelyingPartyId', undefined,
      'passkeys are bound to their relying party id for good, so it must be given explicitly: if it followed the domain, changing the domain prefix or adding a custom domain would make every registered passkey unusable',
      suggestion);
  }
  if (Token.isUnresolved(explicit)) {
    return explicit;
  }
  validateRelyingPartyId('passkeyRelyingPartyId', explicit);
  if (custom !== undefined && !Token.isUnresolved(custom) && explicit !== custom) {
    invalid('passkeyRelyingPartyId', explicit, `with a custom domain, passkeys in managed login must use the custom domain "${custom}" as relying party, `
      + 'and passkeys registered for another relying party id stop working when it changes',
    'Pin passkeys to the custom domain: set it to the custom domain name. If users already registered passkeys for the old id, they must register new ones: keep the old domain until you accept that.');
  }
  const prefix = input.domainPrefix;
  if (explicit.endsWith('.amazoncognito.com') && prefix !== undefined && !Token.isUnresolved(prefix)) {
    const regionKnown = !Token.isUnresolved(prefixDomain!);
    const expected = regionKnown ? prefixDomain! : `${prefix}.auth.<region>.amazoncognito.com`;
    if (regionKnown ? explicit !== prefixDomain : explicit.split('.')[0] !== prefix) {
      invalid('passkeyRelyingPartyId', explicit, `a relying party id under amazoncognito.com must be this directory's prefix domain "${expected}": `
        + 'managed login runs there, and passkeys registered for it no longer work once the prefix changes',
      `If passkeys were registered for "${explicit}", keep \`domainPrefix\` as it was; for a new directory, set \`passkeyRelyingPartyId: '${expected}'\`, or a domain you own.`);
    }
  }
  if (explicit.endsWith('.amazoncognito.com') && input.domainPrefix === undefined) {
    invalid('passkeyRelyingPartyId', explicit, 'a relying party id under amazoncognito.com must be this directory\'s prefix domain, and it has none',
      'Set `domainPrefix`, or use a domain you own.');
  }
  return explicit;
}

/** The Cognito prefix domain of the directory (`<prefix>.auth.<region>.amazoncognito.com`), if any. */
function prefixDomainOf(scope: Construct, prefix: string | undefined): string | undefined {
  return prefix === undefined ? undefined : `${prefix}.auth.${Stack.of(scope).region}.amazoncognito.com`;
}

/** The current domain for a message when part of it is known only at deploy time. */
function describeDomain(input: SignInInput): string {
  if (input.customDomainName !== undefined) {
    return '<your custom domain name>';
  }
  return Token.isUnresolved(input.domainPrefix!) ? '<prefix>.auth.<region>.amazoncognito.com' : `${input.domainPrefix}.auth.<region>.amazoncognito.com`;
}

function validateRelyingPartyId(property: string, id: string): void {
  if (id.length < 1 || id.length > MAX_RELYING_PARTY_ID || !HOST_NAME.test(id)) {
    invalid(property, id, `a relying party id is a lower-case host name of 1-${MAX_RELYING_PARTY_ID} characters, without scheme, port or path`,
      'Use a domain such as `auth.example.com`.');
  }
  const suffix = publicSuffixReason(id);
  if (suffix !== undefined) {
    invalid(property, id, `${suffix}: WebAuthn refuses a relying party id that is a public suffix, since any site under it could use its passkeys`,
      'Use a domain you own (the registrable domain or a name under it), such as `example.com` or `auth.example.com`, or your prefix domain `<prefix>.auth.<region>.amazoncognito.com`.');
  }
  if (id.endsWith('.amazoncognito.com') && !COGNITO_PREFIX_DOMAIN.test(id)) {
    invalid(property, id, 'a relying party id under amazoncognito.com must be a Cognito prefix domain, the only names there that belong to you',
      'Use your prefix domain `<prefix>.auth.<region>.amazoncognito.com`, or a domain you own.');
  }
}

/**
 * Why `id` is a public suffix, or undefined: a single label (a top-level domain; `localhost` is
 * allowed for development), a common multi-label public suffix, or amazoncognito.com and its
 * `auth.<region>` parents of every prefix domain (the Public Suffix List lists those).
 */
export function publicSuffixReason(id: string): string | undefined {
  if (!id.includes('.')) {
    return id === 'localhost' ? undefined : 'a single label is a top-level domain';
  }
  if (COMMON_PUBLIC_SUFFIXES.has(id)) {
    return `"${id}" is a public suffix (Public Suffix List)`;
  }
  if (id === 'amazoncognito.com' || /^auth(?:-fips)?\.[a-z0-9-]+\.amazoncognito\.com$/.test(id)) {
    return `"${id}" is shared by every Cognito prefix domain (Public Suffix List)`;
  }
  return undefined;
}

function describeFactors(factors: SignInFactor[]): string {
  return factors.map((f) => FACTOR_NAMES[f] ?? String(f)).join(', ');
}
