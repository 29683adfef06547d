import { Token } from 'aws-cdk-lib';
import { invalid } from '../../private/errors';

/**
 * The code of the pre sign-up trigger that decides who may sign up through a federated provider.
 *
 * It is kept as source text, not as a compiled function, so that the text Cognito runs (the
 * function's inline code) is byte for byte the text the tests evaluate. Plain ES2020, CommonJS
 * (CloudFormation's inline Node.js code is `index.js`), no dependencies.
 *
 * What Cognito sends (pre sign-up Lambda trigger):
 * - `triggerSource`: `PreSignUp_SignUp` (self sign-up), `PreSignUp_AdminCreateUser` (an
 *   administrator creates the user) or `PreSignUp_ExternalProvider` (first sign-in through a
 *   federated provider).
 * - `userName`: for a federated user `<provider name>_<id at the provider>`, which Cognito may
 *   send in lower case (case-insensitive pools), so provider names are matched ignoring case.
 * - `request.userAttributes`: only the attributes mapped from the provider (e.g. `email`).
 *
 * Throwing refuses the sign-up; Cognito creates no user. Returning the event unchanged lets the
 * sign-up go on exactly as without a trigger.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html
 */
const DECISION_SOURCE = String.raw`
function asciiLower(s) {
  return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

function emailOf(event) {
  const attributes = event.request && event.request.userAttributes;
  if (attributes === null || typeof attributes !== 'object' || !Object.prototype.hasOwnProperty.call(attributes, 'email')) {
    return undefined;
  }
  const email = attributes.email;
  return typeof email === 'string' && email.length > 0 ? email : undefined;
}

function ruleAdmits(rule, email) {
  if (rule.kind === 'anyone') {
    return true;
  }
  if (email === undefined) {
    return false;
  }
  if (rule.kind === 'emails') {
    return rule.values.some((allowed) => asciiLower(allowed) === asciiLower(email));
  }
  if (rule.kind === 'emailDomains') {
    const at = email.lastIndexOf('@');
    if (at <= 0 || at === email.length - 1) {
      return false;
    }
    const domain = asciiLower(email.slice(at + 1));
    return rule.values.some((allowed) => asciiLower(allowed) === domain);
  }
  return false;
}

function admit(event, config) {
  if (event === null || typeof event !== 'object') {
    return { allow: false, reason: 'no event' };
  }
  const source = event.triggerSource;
  if (source === 'PreSignUp_AdminCreateUser' || source === 'PreSignUp_SignUp') {
    return { allow: true, reason: 'not a federated sign-up: ' + source };
  }
  if (source !== 'PreSignUp_ExternalProvider') {
    return { allow: false, reason: 'unknown trigger source' };
  }
  const userName = typeof event.userName === 'string' ? event.userName.toLowerCase() : '';
  // Every provider whose name could start this user name decides: a provider named "A" and one
  // named "A_B" both claim "a_b_123", and the sign-up goes on only if both rules admit it.
  const candidates = config.providers.filter((p) => {
    const prefix = p.name.toLowerCase() + '_';
    return userName.startsWith(prefix) && userName.length > prefix.length;
  });
  if (candidates.length === 0) {
    return { allow: false, reason: 'the provider is not one the directory states a sign-up rule for' };
  }
  const email = emailOf(event);
  for (const provider of candidates) {
    if (!ruleAdmits(provider.rule, email)) {
      return { allow: false, reason: 'the sign-up rule of provider ' + provider.name + ' does not admit this user' };
    }
  }
  return { allow: true, reason: 'admitted by ' + candidates.map((p) => p.name).join(', ') };
}

exports.admit = admit;
exports.handler = async (event) => {
  const decision = admit(event, CONFIG);
  if (!decision.allow) {
    console.log(JSON.stringify({ refused: true, triggerSource: event && event.triggerSource, reason: decision.reason }));
    throw new Error('Sign-up through this provider is not allowed for this account.');
  }
  return event;
};
`;

/** A provider's sign-up rule as the trigger reads it. */
export interface ProviderAdmission {
  /** The provider name (as given to Cognito). */
  readonly name: string;
  readonly rule: {
    /** `anyone`, `emails` or `emailDomains`. */
    readonly kind: string;
    /** Lower-case email addresses or domains. */
    readonly values: string[];
  };
}

/** What the trigger knows: every provider of the directory and its rule. */
export interface AdmissionConfig {
  readonly providers: ProviderAdmission[];
}

/**
 * The complete inline code of the admission trigger for `config`.
 */
export function admissionHandlerCode(config: AdmissionConfig): string {
  return `'use strict';\nconst CONFIG = ${JSON.stringify(config)};\n${DECISION_SOURCE.trimStart()}`;
}

/** The most addresses or domains one rule carries (they are written into the trigger's code). */
export const MAX_ADMISSION_VALUES = 1000;

const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function asciiLower(s: string): string {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Why `domain` is not a domain a rule can name, or undefined when it is one. */
function domainProblem(domain: string): string | undefined {
  if (domain.endsWith('.')) {
    return 'has a trailing dot, which no email address the provider reports carries';
  }
  if (/[^\x21-\x7e]/.test(domain)) {
    return 'has characters outside printable ASCII (an internationalized domain is named by its `xn--` A-label)';
  }
  const labels = domain.split('.');
  if (domain.length > 253 || labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) {
    return 'is not a domain name of two or more labels of letters, digits and hyphens';
  }
  return undefined;
}

/**
 * The rule's domains, lower case and without duplicates; throws on anything that is not a
 * literal domain name.
 */
export function normalizeDomains(domains: string[]): string[] {
  return normalizeValues('emailDomains', domains, (raw) => {
    const domain = asciiLower(raw);
    if (domain.includes('@')) {
      return [domain, 'is an email address or has an `@`', 'Name the domain alone, e.g. `example.com`.'];
    }
    const problem = domainProblem(domain);
    return problem === undefined ? [domain] : [domain, problem, 'Name the domain as email addresses end, e.g. `example.com`; each subdomain is its own entry.'];
  });
}

/**
 * The rule's addresses, lower case (ASCII) and without duplicates; throws on anything that is not
 * a literal address with one `@`.
 */
export function normalizeEmails(addresses: string[]): string[] {
  return normalizeValues('emails', addresses, (raw) => {
    const email = asciiLower(raw);
    const at = email.indexOf('@');
    if (at <= 0 || at !== email.lastIndexOf('@') || /[\s"]/.test(email)) {
      return [email, 'is not an address of the form `local@domain` with one `@`, no quotes and no spaces', 'Give each address as the provider reports it, e.g. `alice@example.com`.'];
    }
    const problem = domainProblem(email.slice(at + 1));
    return problem === undefined ? [email] : [email, `its domain ${problem}`, 'Give each address as the provider reports it, e.g. `alice@example.com`.'];
  });
}

/** [normalized] when valid, else [value, problem, fix]. */
type Check = [string] | [string, string, string];

function normalizeValues(property: string, values: string[], check: (value: string) => Check): string[] {
  if (!Array.isArray(values) || values.length === 0) {
    invalid(property, values, 'a rule needs at least one entry', 'Name who may sign up, or use `FederatedSignUp.anyone()` to admit everyone with an account at the provider.');
  }
  if (values.length > MAX_ADMISSION_VALUES) {
    invalid(property, values.length, `a rule carries at most ${MAX_ADMISSION_VALUES} entries, which are written into the trigger's code`,
      'Use `FederatedSignUp.emailDomains(...)`, or decide in your own pre sign-up trigger (`FederatedSignUp.preSignUpTrigger()`) against a table.');
  }
  const normalized = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string' || Token.isUnresolved(value)) {
      invalid(property, value, 'entries must be literal strings known at synth: they are written into the trigger\'s code', 'Pass literal strings.');
    }
    const result = check(value);
    if (result.length === 3) {
      invalid(property, value, result[1], result[2]);
    }
    normalized.add(result[0]);
  }
  return [...normalized];
}
