import { normalizeDomains, normalizeEmails } from './private/admission';

/**
 * Who may become a user of the directory by signing in through a federated provider.
 *
 * Cognito creates a user at the first sign-in through a social or enterprise provider, with no
 * invitation, and that user gets the authenticated role. On an invite-only directory
 * (`selfSignUp` off) a social provider (Google, Facebook, Apple, Amazon) must say who may sign
 * up through it; the rules are enforced by Cognito, through a pre sign-up trigger that the
 * directory creates and that refuses everyone else before a user exists.
 *
 * Email rules read the `email` attribute that the provider's attribute mapping fills, and trust
 * the provider for it: Cognito hands the trigger only mapped attributes, never the provider's
 * verification flag (README: "Who may sign up through a provider").
 *
 * @example
 * declare const clientSecret: SecretValue;
 * const users = new UserDirectory(this, 'Users', { domainPrefix: 'corp-notes-auth' }); // invite-only
 * users.addIdentityProvider(DirectoryProvider.google({
 *   clientId: 'my-client-id.apps.googleusercontent.com',
 *   clientSecret,
 *   signUp: FederatedSignUp.emailDomains('example.com'), // alice@example.com may sign up, alice@sub.example.com may not
 * }));
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
export class FederatedSignUp {
  /**
   * Anyone with an account at the provider may sign up (Cognito's own behaviour).
   *
   * The default for enterprise providers (OIDC, SAML), whose accounts the organization manages,
   * and for social providers on a directory with `selfSignUp: true`, where anyone may sign up anyway.
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.google({
   *   clientId: 'my-client-id.apps.googleusercontent.com',
   *   clientSecret,
   *   signUp: FederatedSignUp.anyone(), // anyone with a Google account may become a user
   * }));
   */
  public static anyone(): FederatedSignUp {
    return new FederatedSignUp('anyone', [], 'anyone with an account at the provider');
  }

  /**
   * Only users whose email address, as the provider reports it, is at one of these domains.
   *
   * The domain is what follows the last `@`, compared exactly, ignoring ASCII case: `example.com`
   * admits `alice@Example.COM` but neither `alice@sub.example.com` nor
   * `alice@example.com.attacker.test`. Name each subdomain as its own entry. A user without an
   * email is refused.
   *
   * @param domains domain names such as `example.com` (internationalized domains as `xn--` A-labels)
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.google({
   *   clientId: 'my-client-id.apps.googleusercontent.com',
   *   clientSecret,
   *   signUp: FederatedSignUp.emailDomains('example.com', 'example.org'),
   * }));
   */
  public static emailDomains(...domains: string[]): FederatedSignUp {
    const normalized = normalizeDomains(domains);
    return new FederatedSignUp('emailDomains', normalized, `email addresses at ${normalized.join(', ')}`);
  }

  /**
   * Only users whose email address, as the provider reports it, is one of these (an allow-list).
   *
   * Addresses are compared whole, ignoring ASCII case. They are written into the trigger's code:
   * for a long or changing list, decide in your own trigger with `preSignUpTrigger()`.
   *
   * @param addresses email addresses such as `alice@example.com`
   *
   * @example
   * /// fixture=api
   * users.addIdentityProvider(DirectoryProvider.saml({
   *   name: 'Partner',
   *   metadataUrl: 'https://idp.partner.example/metadata',
   *   signUp: FederatedSignUp.emails('alice@partner.example', 'bob@partner.example'),
   * }));
   */
  public static emails(...addresses: string[]): FederatedSignUp {
    const normalized = normalizeEmails(addresses);
    return new FederatedSignUp('emails', normalized, `${normalized.length} listed email address${normalized.length === 1 ? '' : 'es'}`);
  }

  /**
   * Your own pre sign-up trigger decides (`addTrigger(UserPoolOperation.PRE_SIGN_UP, fn)`).
   *
   * The directory then creates no trigger of its own, and a synth error says so if the pool has
   * no pre sign-up trigger. Your function is called for every sign-up: for a federated first
   * sign-in `event.triggerSource` is `PreSignUp_ExternalProvider`; throw to refuse it. A user pool
   * has one pre sign-up trigger, so this cannot be combined with `emailDomains()` or `emails()`
   * on another provider of the same directory.
   *
   * @example
   * /// fixture=api
   * users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn); // your function decides
   * users.addIdentityProvider(DirectoryProvider.google({
   *   clientId: 'my-client-id.apps.googleusercontent.com',
   *   clientSecret,
   *   signUp: FederatedSignUp.preSignUpTrigger(),
   * }));
   */
  public static preSignUpTrigger(): FederatedSignUp {
    return new FederatedSignUp('ownTrigger', [], 'your own pre sign-up trigger');
  }

  /** Who the rule admits, in words (e.g. `email addresses at example.com`). */
  public readonly description: string;

  /**
   * `anyone`, `emailDomains`, `emails` or `ownTrigger`.
   * @internal
   */
  public readonly _kind: string;

  /**
   * The lower-case domains or addresses of the rule.
   * @internal
   */
  public readonly _values: string[];

  private constructor(kind: string, values: string[], description: string) {
    this._kind = kind;
    this._values = values;
    this.description = description;
  }

  /**
   * Whether the rule reads the `email` attribute.
   * @internal
   */
  public get _needsEmail(): boolean {
    return this._kind === 'emailDomains' || this._kind === 'emails';
  }
}
