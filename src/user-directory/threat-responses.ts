/**
 * What Cognito does with a sign-in that threat protection scores at a risk level.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-adaptive-authentication.html
 */
export enum RiskAction {
  /** Let the sign-in through (`NO_ACTION`); it is still logged with its risk. */
  ALLOW = 'NO_ACTION',
  /** Ask for a second factor if the user has one set up, else let the sign-in through. */
  MFA_IF_CONFIGURED = 'MFA_IF_CONFIGURED',
  /** Ask for a second factor; a user without one is blocked. */
  MFA_REQUIRED = 'MFA_REQUIRED',
  /** Refuse the sign-in. */
  BLOCK = 'BLOCK',
}

/**
 * What Cognito does when a user signs in, signs up or changes their password with a password
 * found in a public leak.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-compromised-credentials.html
 */
export enum CompromisedCredentialsAction {
  /** Refuse the request: the user must choose another password. */
  BLOCK = 'BLOCK',
  /** Let it through (`NO_ACTION`); it is still logged. */
  ALLOW = 'NO_ACTION',
}

/**
 * How Cognito emails users about a risky sign-in. Needs a verified Amazon SES identity that the
 * user pool may send from, in a region where Cognito supports SES for this purpose.
 *
 * @example
 * /// fixture=api
 * const notification: ThreatNotificationOptions = {
 *   sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
 *   from: 'security@example.com',
 * };
 * users.configureThreatResponses({ highRisk: RiskAction.BLOCK, notification });
 */
export interface ThreatNotificationOptions {
  /**
   * The ARN of the verified SES identity (email address or domain) the messages come from,
   * e.g. `arn:aws:ses:us-east-1:123456789012:identity/example.com`.
   */
  readonly sourceArn: string;

  /**
   * The sender address, in the identity's domain.
   *
   * @default - the identity's address
   */
  readonly from?: string;

  /**
   * The reply-to address.
   *
   * @default - no reply-to
   */
  readonly replyTo?: string;
}

/**
 * How threat protection answers risky sign-ins and compromised passwords (Plus feature plan).
 *
 * @example
 * /// fixture=api
 * const options: ThreatResponseOptions = {
 *   lowRisk: RiskAction.MFA_IF_CONFIGURED,
 *   mediumRisk: RiskAction.MFA_REQUIRED,
 *   highRisk: RiskAction.BLOCK,
 *   skippedIpRanges: ['203.0.113.0/24'], // the office, e.g. for load tests
 * };
 * users.configureThreatResponses(options);
 */
export interface ThreatResponseOptions {
  /**
   * The action for a low-risk sign-in.
   *
   * @default RiskAction.ALLOW
   */
  readonly lowRisk?: RiskAction;

  /**
   * The action for a medium-risk sign-in.
   *
   * @default RiskAction.MFA_REQUIRED
   */
  readonly mediumRisk?: RiskAction;

  /**
   * The action for a high-risk sign-in.
   *
   * @default RiskAction.BLOCK
   */
  readonly highRisk?: RiskAction;

  /**
   * The action for a sign-in, sign-up or password change with a leaked password.
   *
   * @default CompromisedCredentialsAction.BLOCK
   */
  readonly compromisedCredentials?: CompromisedCredentialsAction;

  /**
   * Email users when a sign-in of theirs is blocked or asked for MFA, from this SES identity
   * (Cognito's own email templates, with links to report the sign-in).
   *
   * @default - users are not notified
   */
  readonly notification?: ThreatNotificationOptions;

  /**
   * IP address ranges (CIDR) whose sign-ins are always blocked.
   *
   * @default - none
   */
  readonly blockedIpRanges?: string[];

  /**
   * IP address ranges (CIDR) whose sign-ins skip risk scoring (always allowed, never
   * challenged), e.g. a corporate egress range. Everyone behind them escapes adaptive authentication.
   *
   * @default - none
   */
  readonly skippedIpRanges?: string[];
}
