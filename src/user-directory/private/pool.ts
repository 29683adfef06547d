import { Annotations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { USER_DIRECTORY_DEFAULTS } from '../defaults';
import { UserDirectoryProps } from '../user-directory-props';
import { userInvitationOf, userVerificationOf } from './messages';
import { SignInSettings } from './sign-in';

/** The sign-in aliases the props ask for, at least one of them on. */
export function signInAliasesOf(props: UserDirectoryProps): cognito.SignInAliases {
  const signInAliases = props.signInAliases ?? USER_DIRECTORY_DEFAULTS.signInAliases;
  if (!signInAliases.email && !signInAliases.phone && !signInAliases.preferredUsername && !signInAliases.username) {
    invalid('signInAliases', signInAliases, 'at least one sign-in alias must be on', 'Keep the default `{ email: true }`, or turn on `phone` or `preferredUsername`.');
  }
  return signInAliases;
}

/** What the pool is built from besides the props. */
export interface PoolChoices {
  readonly signInAliases: cognito.SignInAliases;
  readonly selfSignUp: boolean;
  readonly featurePlan: cognito.FeaturePlan;
  readonly signIn: SignInSettings;
}

/** The `UserPool` props of a directory: the secure defaults where the props say nothing. */
export function userPoolPropsOf(props: UserDirectoryProps, choices: PoolChoices): cognito.UserPoolProps {
  const d = USER_DIRECTORY_DEFAULTS;
  const { signInAliases, selfSignUp, featurePlan, signIn } = choices;
  const mfa = signIn.mfa;
  return {
    userPoolName: props.userPoolName,
    selfSignUpEnabled: selfSignUp,
    userVerification: userVerificationOf(props, selfSignUp),
    userInvitation: userInvitationOf(props),
    signInAliases,
    signInCaseSensitive: d.signInCaseSensitive,
    autoVerify: { email: signInAliases.email ?? false, phone: signInAliases.phone ?? false },
    keepOriginal: signInAliases.email ? d.keepOriginal : undefined,
    standardAttributes: signInAliases.email ? { email: { required: true, mutable: true } } : undefined,
    passwordPolicy: props.passwordPolicy ?? d.passwordPolicy,
    mfa,
    mfaSecondFactor: mfa === cognito.Mfa.OFF ? undefined : props.mfaSecondFactor ?? d.mfaSecondFactor,
    featurePlan,
    standardThreatProtectionMode: featurePlan === cognito.FeaturePlan.PLUS ? d.standardThreatProtectionMode : undefined,
    accountRecovery: d.accountRecovery,
    deletionProtection: props.deletionProtection ?? d.deletionProtection,
    removalPolicy: props.removalPolicy ?? d.removalPolicy,
    email: props.email,
    signInPolicy: signIn.signInPolicy,
    passkeyRelyingPartyId: signIn.passkeyRelyingPartyId,
    passkeyUserVerification: signIn.passkeyUserVerification,
    enableSmsRole: signIn.enableSmsRole,
    deviceTracking: props.deviceTracking ?? d.deviceTracking,
  };
}

/** Warns about the choices that weaken the pool: MFA off, no threat protection, Cognito's email sender. */
export function warnAboutWeakChoices(scope: IConstruct, props: UserDirectoryProps, mfa: cognito.Mfa, featurePlan: cognito.FeaturePlan): void {
  if (mfa === cognito.Mfa.OFF) {
    Annotations.of(scope).addWarningV2('cdk-federated-access:mfaOff',
      'MFA is off: a stolen password is enough to sign in. Use Mfa.REQUIRED (the default) or Mfa.OPTIONAL.');
  }
  if (featurePlan !== cognito.FeaturePlan.PLUS) {
    Annotations.of(scope).addWarningV2('cdk-federated-access:noThreatProtection',
      `Feature plan ${featurePlan} has no threat protection (compromised credentials, adaptive authentication). Use FeaturePlan.PLUS (the default).`);
  }
  if (props.email === undefined) {
    Annotations.of(scope).addWarningV2('cdk-federated-access:cognitoEmail',
      'The user pool sends email with Cognito\'s own sender, which is limited to a few messages a day. Set `email: UserPoolEmail.withSES(...)` for production.');
  }
}
