import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CompromisedCredentialsAction, RiskAction } from './threat-responses';

/**
 * Secure defaults of a UserDirectory, each with the guidance it follows.
 * @internal
 */
export const USER_DIRECTORY_DEFAULTS = {
  /** Sign in with email, case-insensitively: one account per address (Cognito best practice). */
  signInAliases: { email: true } as cognito.SignInAliases,
  /** Case-insensitive usernames; Cognito cannot change this after creation. */
  signInCaseSensitive: false,
  /** Only administrators create users unless self sign-up is asked for. */
  selfSignUp: false,
  /** cdk-nag AwsSolutions-COG1: at least 8 characters with every class; NIST SP 800-63B favours length, so 12. */
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidity: Duration.days(3),
  } as cognito.PasswordPolicy,
  /** cdk-nag AwsSolutions-COG2: MFA required; TOTP only (SMS is phishable and costs money). */
  mfa: cognito.Mfa.REQUIRED,
  mfaSecondFactor: { otp: true, sms: false } as cognito.MfaSecondFactor,
  /** cdk-nag AwsSolutions-COG3: threat protection enforced, which needs the PLUS feature plan. */
  featurePlan: cognito.FeaturePlan.PLUS,
  standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
  /** A user pool cannot be restored: protect it from `cdk destroy` and from stack updates that replace it. */
  deletionProtection: true,
  removalPolicy: RemovalPolicy.RETAIN,
  /** Recovery through a verified email only: SMS recovery is open to SIM swapping. */
  accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
  /** Keep the old, verified email until a new one is verified, so a typo cannot lock a user out. */
  keepOriginal: { email: true } as cognito.KeepOriginalAttrs,
  /** Token lifetimes: short-lived access and ID tokens, a month of refresh. */
  accessTokenValidity: Duration.minutes(60),
  idTokenValidity: Duration.minutes(60),
  refreshTokenValidity: Duration.days(30),
  /** Custom attributes are 1-256 characters unless told otherwise. */
  customAttributeMaxLength: 256,
  /**
   * Passkeys must verify the user (biometric or PIN), so one passkey is two factors: WebAuthn Level 2
   * user verification; NIST SP 800-63B AAL2 multi-factor cryptographic authenticator. Cognito's own default is `preferred`.
   */
  passkeyUserVerification: cognito.PasskeyUserVerification.REQUIRED,
  /**
   * Web clients rotate refresh tokens, with no grace period: a stolen refresh token works once
   * (OAuth 2.0 Security BCP, RFC 9700 section 4.14.2). Needs the Essentials or Plus plan.
   */
  refreshTokenRotation: true,
  refreshTokenRotationGracePeriod: Duration.seconds(0),
  /**
   * Machine clients: short-lived access tokens, the only token of the client-credentials grant
   * (OAuth 2.0 Security BCP, RFC 9700 section 2.2: limit the lifetime of access tokens).
   */
  machineAccessTokenValidity: Duration.minutes(60),
  /**
   * Log delivery: the log group created for a user pool's logs keeps a year of them
   * (AWS Well-Architected SEC04-BP01: retain logs for investigations; CIS AWS Foundations keeps
   * at least 365 days), and is encrypted at rest by CloudWatch Logs (Cognito refuses KMS-encrypted log groups).
   */
  logRetention: 365 as RetentionDays, // RetentionDays.ONE_YEAR (a literal: aws-logs loads only when logs are delivered)
  /**
   * The opt-in web ACL: at most 100 sign-in requests per IP address in 5 minutes slows
   * password spraying and credential stuffing (OWASP ASVS V2.2.1 anti-automation; AWS WAF rate-based
   * rules), with AWS's baseline managed rule groups (AWS WAF "Baseline rule groups": core rule set
   * and Amazon IP reputation list).
   */
  signInRateLimit: 100,
  webAclManagedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesAmazonIpReputationList'],
  /**
   * Threat responses, cdk-nag AwsSolutions-COG3 in spirit (threat protection enforced):
   * block high-risk sign-ins and ask for MFA at medium risk, as AWS's adaptive authentication guide
   * suggests; refuse leaked passwords everywhere (NIST SP 800-63B 5.1.1.2: check passwords against breach corpuses).
   */
  lowRiskAction: RiskAction.ALLOW,
  mediumRiskAction: RiskAction.MFA_REQUIRED,
  highRiskAction: RiskAction.BLOCK,
  compromisedCredentialsAction: CompromisedCredentialsAction.BLOCK,
  /**
   * Server clients (confidential, authorization-code grant) ask for `openid` only: least
   * privilege (OAuth 2.0 Security BCP, RFC 9700 section 2.3); the ID token still carries `sub`.
   */
  serverClientScopes: [cognito.OAuthScope.OPENID] as cognito.OAuthScope[],
  /**
   * No device tracking: Cognito's default. A remembered device can stand in for MFA
   * (`ChallengeRequiredOnNewDevice`), and device tracking works only for API sign-in (SRP), not on
   * the managed login pages.
   */
  deviceTracking: undefined as cognito.DeviceTracking | undefined,
} as const;

/**
 * Standard attributes that the library's web clients let a signed-in user write about themselves.
 * A claim in this list can never be the source of a principal tag.
 * @internal
 */
export const USER_WRITABLE_STANDARD_ATTRIBUTES = [
  'address',
  'birthdate',
  'email',
  'family_name',
  'gender',
  'given_name',
  'locale',
  'middle_name',
  'name',
  'nickname',
  'phone_number',
  'picture',
  'preferred_username',
  'profile',
  'website',
  'zoneinfo',
] as const;
