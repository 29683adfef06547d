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

/**
 * Resolves choice-based sign-in and checks Cognito's rules for it.
 *
 * Rules and sources (README "Choice-based sign-in" lists them for users):
 * - passwordless factors need the Essentials or Plus plan (API SignInPolicyType);
 * - passwordless first factors are not offered to users with MFA (Developer Guide, "Adding MFA to a
 *   user pool": MFA is a second factor for users whose first factor is a password; Amplify
 *   "Passwordless": MFA and passwordless cannot be used together), so required MFA would turn
 *   them off for everyone: the user must choose `Mfa.OPTIONAL` (or OFF) explicitly, and is warned;
 * - passkeys need a relying party id of 1-63 characters, the custom domain when there is one
 *   (CloudFormation WebAuthnRelyingPartyID; Developer Guide, passkey sign-in).
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

  const mfa = resolveMfa(scope, input, passwordless, factors);
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
    passkeyUserVerification: passkey ? input.passkeyUserVerification ?? USER_DIRECTORY_DEFAULTS.passkeyUserVerification : undefined,
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

function resolveMfa(scope: Construct, input: SignInInput, passwordless: boolean, factors: SignInFactor[]): cognito.Mfa {
  if (!passwordless) {
    return input.mfa ?? USER_DIRECTORY_DEFAULTS.mfa;
  }
  const wanted = describeFactors(factors.filter((f) => f !== SignInFactor.PASSWORD));
  if (input.mfa === undefined || input.mfa === cognito.Mfa.REQUIRED) {
    invalid('mfa', input.mfa === undefined ? 'Mfa.REQUIRED (the default)' : 'Mfa.REQUIRED',
      `Cognito offers passwordless sign-in (${wanted}) only to users without MFA, so required MFA would turn it off for everyone`,
      'Say so explicitly with `mfa: Mfa.OPTIONAL`: password sign-ins then ask for MFA only from users who set it up, and passwordless sign-ins never do. Or keep `Mfa.REQUIRED` and drop the passwordless factors.');
  }
  if (input.mfa === cognito.Mfa.OPTIONAL) {
    Annotations.of(scope).addWarningV2('cdk-federated-access:passwordlessMfaOptional',
      `MFA is optional because passwordless sign-in is on (${wanted}): password sign-ins ask for MFA only from users who set it up, `
      + 'and users who set up MFA cannot use the passwordless factors. cdk-nag AwsSolutions-COG2 reports it: acknowledge it with this reason.');
  }
  return input.mfa;
}

function relyingPartyId(scope: Construct, input: SignInInput): string {
  const explicit = input.passkeyRelyingPartyId;
  const custom = input.customDomainName;
  if (explicit !== undefined) {
    if (!Token.isUnresolved(explicit)) {
      validateRelyingPartyId('passkeyRelyingPartyId', explicit);
    }
    if (custom !== undefined && !Token.isUnresolved(custom) && !Token.isUnresolved(explicit) && explicit !== custom) {
      invalid('passkeyRelyingPartyId', explicit, `with a custom domain, passkeys in managed login must use the custom domain "${custom}" as relying party`,
        'Leave `passkeyRelyingPartyId` out (it defaults to the custom domain) or set it to the custom domain name.');
    }
    return explicit;
  }
  if (custom !== undefined) {
    return custom;
  }
  const prefix = input.domainPrefix;
  if (prefix === undefined) {
    return invalid('passkeyRelyingPartyId', undefined, 'passkeys need a relying party id, and the directory has no domain to default to',
      'Set `domainPrefix` or `customDomain` (managed login then hosts passkey sign-in), or set `passkeyRelyingPartyId` to the domain of the app that signs users in with the SDK.');
  }
  const region = Stack.of(scope).region;
  const id = `${prefix}.auth.${region}.amazoncognito.com`;
  if (!Token.isUnresolved(prefix) && !Token.isUnresolved(region) && id.length > MAX_RELYING_PARTY_ID) {
    invalid('domainPrefix', prefix, `the passkey relying party id defaults to the prefix domain "${id}", which is ${id.length} characters; Cognito allows ${MAX_RELYING_PARTY_ID}`,
      'Use a shorter `domainPrefix`, or set `passkeyRelyingPartyId` (or a `customDomain`).');
  }
  return id;
}

function validateRelyingPartyId(property: string, id: string): void {
  if (id.length < 1 || id.length > MAX_RELYING_PARTY_ID || !HOST_NAME.test(id)) {
    invalid(property, id, `a relying party id is a lower-case host name of 1-${MAX_RELYING_PARTY_ID} characters, without scheme, port or path`,
      'Use a domain such as `auth.example.com`.');
  }
}

function describeFactors(factors: SignInFactor[]): string {
  return factors.map((f) => FACTOR_NAMES[f] ?? String(f)).join(', ');
}
