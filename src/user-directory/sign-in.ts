/**
 * A first factor users may choose when they sign in (choice-based sign-in, the `USER_AUTH` flow).
 *
 * Every factor but `PASSWORD` is passwordless and needs the Essentials or Plus feature plan.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flows-selection-sdk.html#authentication-flows-selection-choice
 */
export enum SignInFactor {
  /** Username and password (SRP or managed login), followed by MFA where it applies. */
  PASSWORD = 'PASSWORD',

  /**
   * A passkey (WebAuthn): a biometric, a device PIN or a security key.
   * Needs a relying party id (`passkeyRelyingPartyId`).
   */
  PASSKEY = 'WEB_AUTHN',

  /** A one-time code sent by email. Needs the pool to send email with Amazon SES. */
  EMAIL_OTP = 'EMAIL_OTP',

  /** A one-time code sent by SMS (Amazon SNS). SMS codes are open to SIM swapping: prefer passkeys. */
  SMS_OTP = 'SMS_OTP',
}
