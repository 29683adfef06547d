import * as vm from 'vm';
import { SecretValue } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newStack } from './helpers';
import { DirectoryProvider, FederatedSignUp, UserDirectory } from '../../src';

/*
 * The admission trigger's decisions, checked against a model of what Cognito sends and of what
 * each rule means, written down case by case (never derived from the trigger's code):
 *
 * - Cognito calls the pre sign-up trigger with `triggerSource` PreSignUp_ExternalProvider at a
 *   federated user's first sign-in, PreSignUp_AdminCreateUser when an administrator creates a
 *   user, and PreSignUp_SignUp on self sign-up (only possible with self sign-up on). Throwing
 *   refuses the sign-up. Only the first kind is subject to a provider's rule.
 * - A federated user's `userName` is `<provider name>_<id at the provider>`, sent in lower case by
 *   case-insensitive pools. An id cannot be empty. A name that no rule covers (a provider the
 *   directory does not know) is refused: invite-only stays invite-only.
 * - `request.userAttributes` holds only the attributes mapped from the provider.
 * - emailDomains: the mailbox's domain is what follows the last `@` (a quoted local part may hold
 *   an `@`, a domain never does). It must equal a listed domain, ignoring ASCII case only: no
 *   subdomains, no trailing-dot equivalence, no Unicode case folding (U+212A KELVIN SIGN lowers
 *   to "k" in JavaScript, yet `wor\u212A.example` is not `work.example`), no lookalikes.
 * - emails: the whole address equals a listed one, ignoring ASCII case.
 * - No email, an empty one, or no attributes: refused by an email rule, admitted by anyone().
 * - When two provider names both start the user name ("Corp" and "Corp_EU" for "corp_eu_7"),
 *   each rule must admit the user. (Cognito's provider names allow `_` only as the second of 3+
 *   characters, so no real pair of names does; the trigger still fails closed.)
 */

const secret = SecretValue.secretsManager('provider-secret');

/** The inline code of the directory's admission trigger, exactly as the template ships it. */
function shippedCode(): string {
  const stack = newStack();
  const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
  users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  users.addIdentityProvider(DirectoryProvider.google({
    clientId: 'google', clientSecret: secret, signUp: FederatedSignUp.emailDomains('corp.example.com', 'work.example'),
  }));
  users.addIdentityProvider(DirectoryProvider.facebook({
    clientId: 'fb', clientSecret: secret, signUp: FederatedSignUp.emails('alice@example.org', 'Bob@Example.org'),
  }));
  users.addIdentityProvider(DirectoryProvider.saml({ name: 'Corp', metadataDocument: '<EntityDescriptor/>' })); // anyone, by default
  users.addIdentityProvider(DirectoryProvider.oidc({
    name: 'Partner', clientId: 'partner', clientSecret: secret, issuerUrl: 'https://partner.example.net', signUp: FederatedSignUp.emailDomains('eu.example.com'),
  }));
  const template = Template.fromStack(stack);
  const functions = Object.values(template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('^Pre sign-up trigger') },
  }));
  expect(functions).toHaveLength(1);
  return functions[0].Properties.Code.ZipFile;
}

type Handler = (event: unknown) => Promise<unknown>;

/** Loads the code as Lambda does (CommonJS `index.js`), in a fresh context. */
function load(code: string): { handler: Handler; logs: string[] } {
  const logs: string[] = [];
  const module = { exports: {} as Record<string, unknown> };
  vm.runInNewContext(code, { module, exports: module.exports, console: { log: (line: string) => logs.push(line) } });
  return { handler: module.exports.handler as Handler, logs };
}

const CODE = shippedCode();

interface Case {
  readonly why: string;
  readonly triggerSource?: string;
  readonly userName?: string;
  /** The user's attributes; undefined leaves `userAttributes` out. */
  readonly attributes?: Record<string, unknown>;
  readonly admit: boolean;
}

const EXT = 'PreSignUp_ExternalProvider';
const email = (address: string) => ({ email: address });

const CASES: Case[] = [
  // Google: emailDomains('corp.example.com', 'work.example')
  { why: 'a listed domain', userName: 'Google_1001', attributes: email('alice@corp.example.com'), admit: true },
  { why: 'the user name in lower case (case-insensitive pools)', userName: 'google_1001', attributes: email('alice@corp.example.com'), admit: true },
  { why: 'the user name in upper case', userName: 'GOOGLE_1001', attributes: email('alice@corp.example.com'), admit: true },
  { why: 'the domain in mixed case', userName: 'Google_1001', attributes: email('Alice@CORP.Example.COM'), admit: true },
  { why: 'the second listed domain', userName: 'Google_1001', attributes: email('bob@work.example'), admit: true },
  { why: 'cognito-added alias attributes beside email', userName: 'Google_1001', attributes: { 'cognito:email_alias': '', 'cognito:phone_number_alias': '', 'email': 'a@corp.example.com' }, admit: true },
  { why: 'the listed domain followed by another domain', userName: 'Google_1001', attributes: email('x@corp.example.com.attacker.test'), admit: false },
  { why: 'a subdomain of a listed domain', userName: 'Google_1001', attributes: email('x@sub.corp.example.com'), admit: false },
  { why: 'a parent of a listed domain', userName: 'Google_1001', attributes: email('x@example.com'), admit: false },
  { why: 'a domain that ends like a listed one', userName: 'Google_1001', attributes: email('x@evilcorp.example.com'), admit: false },
  { why: 'a trailing dot', userName: 'Google_1001', attributes: email('x@corp.example.com.'), admit: false },
  { why: 'a quoted local part holding the listed domain', userName: 'Google_1001', attributes: email('"x@corp.example.com"@attacker.test'), admit: false },
  { why: 'a quoted local part at the listed domain', userName: 'Google_1001', attributes: email('"x y"@corp.example.com'), admit: true },
  { why: 'two @, the last at another domain', userName: 'Google_1001', attributes: email('x@corp.example.com@attacker.test'), admit: false },
  { why: 'two @, the last at the listed domain', userName: 'Google_1001', attributes: email('x@attacker.test@corp.example.com'), admit: true },
  { why: 'a Cyrillic "а" in the domain', userName: 'Google_1001', attributes: email('x@corp.ex\u0430mple.com'), admit: false },
  { why: 'a KELVIN SIGN for "k" (lowers to "k" in Unicode)', userName: 'Google_1001', attributes: email('x@wor\u212A.example'), admit: false },
  { why: 'a fullwidth @', userName: 'Google_1001', attributes: email('x\uFF20corp.example.com'), admit: false },
  { why: 'a zero-width space after the domain', userName: 'Google_1001', attributes: email('x@corp.example.com\u200B'), admit: false },
  { why: 'a space before the domain', userName: 'Google_1001', attributes: email('x@ corp.example.com'), admit: false },
  { why: 'no local part', userName: 'Google_1001', attributes: email('@corp.example.com'), admit: false },
  { why: 'the bare domain', userName: 'Google_1001', attributes: email('corp.example.com'), admit: false },
  { why: 'an empty email', userName: 'Google_1001', attributes: email(''), admit: false },
  { why: 'no email attribute (not mapped)', userName: 'Google_1001', attributes: { name: 'Alice' }, admit: false },
  { why: 'a non-string email', userName: 'Google_1001', attributes: { email: null }, admit: false },
  { why: 'no userAttributes at all', userName: 'Google_1001', attributes: undefined, admit: false },
  { why: 'an address on Facebook\'s list, through Google', userName: 'Google_1001', attributes: email('alice@example.org'), admit: false },
  { why: 'no id after the provider name', userName: 'Google_', attributes: email('alice@corp.example.com'), admit: false },
  { why: 'a name that only starts like Google', userName: 'Googlemail_1', attributes: email('alice@corp.example.com'), admit: false },

  // Facebook: emails('alice@example.org', 'Bob@Example.org')
  { why: 'a listed address', userName: 'Facebook_2002', attributes: email('alice@example.org'), admit: true },
  { why: 'a listed address in another case', userName: 'facebook_2002', attributes: email('ALICE@EXAMPLE.ORG'), admit: true },
  { why: 'an address listed in mixed case', userName: 'Facebook_2002', attributes: email('bob@example.org'), admit: true },
  { why: 'an unlisted address at the same domain', userName: 'Facebook_2002', attributes: email('carol@example.org'), admit: false },
  { why: 'a listed address with a suffix', userName: 'Facebook_2002', attributes: email('alice@example.org.evil.test'), admit: false },
  { why: 'a listed address with a prefix', userName: 'Facebook_2002', attributes: email('xalice@example.org'), admit: false },
  { why: 'a listed address quoted', userName: 'Facebook_2002', attributes: email('"alice"@example.org'), admit: false },
  { why: 'a listed address with a leading space', userName: 'Facebook_2002', attributes: email(' alice@example.org'), admit: false },
  { why: 'Google\'s domain, through Facebook', userName: 'Facebook_2002', attributes: email('alice@corp.example.com'), admit: false },
  { why: 'no email', userName: 'Facebook_2002', attributes: {}, admit: false },

  // Corp (SAML): anyone; Partner (OIDC): emailDomains('eu.example.com')
  { why: 'an enterprise provider admits its own users, email or not', userName: 'Corp_jdoe', attributes: {}, admit: true },
  { why: 'an enterprise provider admits its own users at any domain', userName: 'corp_jdoe', attributes: email('jdoe@anywhere.test'), admit: true },
  { why: 'an enterprise provider with a rule: a listed domain', userName: 'Partner_7', attributes: email('x@eu.example.com'), admit: true },
  { why: 'an enterprise provider with a rule: another domain', userName: 'partner_7', attributes: email('x@corp.example.com'), admit: false },

  // Providers the directory has no rule for
  { why: 'a social provider the directory does not know', userName: 'SignInWithApple_3003', attributes: email('alice@corp.example.com'), admit: false },
  { why: 'a provider added outside the directory', userName: 'Okta_4004', attributes: email('alice@corp.example.com'), admit: false },
  { why: 'a user name without a provider', userName: 'alice', attributes: email('alice@corp.example.com'), admit: false },
  { why: 'no user name', userName: undefined, attributes: email('alice@corp.example.com'), admit: false },

  // Other trigger sources keep today's behaviour
  { why: 'an administrator creates a user', triggerSource: 'PreSignUp_AdminCreateUser', userName: 'carol', attributes: email('carol@attacker.test'), admit: true },
  { why: 'an administrator creates a user named like a federated one', triggerSource: 'PreSignUp_AdminCreateUser', userName: 'google_1', attributes: email('x@attacker.test'), admit: true },
  { why: 'self sign-up (Cognito calls it only when self sign-up is on)', triggerSource: 'PreSignUp_SignUp', userName: 'dave', attributes: email('dave@attacker.test'), admit: true },
  { why: 'an unknown trigger source', triggerSource: 'PreSignUp_Future', userName: 'Google_1001', attributes: email('alice@corp.example.com'), admit: false },
  { why: 'no trigger source', triggerSource: '', userName: 'Google_1001', attributes: email('alice@corp.example.com'), admit: false },
];

function eventOf(c: Case): Record<string, unknown> {
  const event: Record<string, unknown> = {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_EXAMPLE',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client' },
    triggerSource: c.triggerSource ?? EXT,
    request: c.attributes === undefined ? {} : { userAttributes: c.attributes },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
  if (c.userName !== undefined) {
    event.userName = c.userName;
  }
  return event;
}

describe('the admission trigger decides as the model says', () => {
  test.each(CASES.filter((c) => c.admit).map((c) => [c.why, c] as const))('admits: %s', async (_why, c) => {
    // GIVEN the shipped code and Cognito's event
    const { handler, logs } = load(CODE);
    const event = eventOf(c);
    const before = JSON.stringify(event);

    // WHEN
    const result = await handler(event);

    // THEN the event goes back unchanged: the sign-up goes on exactly as without the trigger
    expect(JSON.stringify(result)).toBe(before);
    expect(logs).toEqual([]);
  });

  test.each(CASES.filter((c) => !c.admit).map((c) => [c.why, c] as const))('fails (refuses): %s', async (_why, c) => {
    // GIVEN
    const { handler, logs } = load(CODE);

    // WHEN / THEN Cognito refuses a sign-up whose trigger throws
    await expect(handler(eventOf(c))).rejects.toThrow('Sign-up through this provider is not allowed for this account.');
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0])).toMatchObject({ refused: true });
  });

  test('a user name that two provider names could start is admitted only if both rules admit it', () => {
    // GIVEN the shipped decision function and names no real directory can hold (defence in depth)
    const module = { exports: {} as Record<string, any> };
    vm.runInNewContext(CODE, { module, exports: module.exports, console: { log: () => undefined } });
    const admit = module.exports.admit as (event: unknown, config: unknown) => { allow: boolean };
    const config = {
      providers: [
        { name: 'Corp', rule: { kind: 'anyone', values: [] } },
        { name: 'Corp_EU', rule: { kind: 'emailDomains', values: ['eu.example.com'] } },
      ],
    };

    // THEN
    expect(admit(eventOf({ why: '', userName: 'corp_eu_7', attributes: email('x@eu.example.com'), admit: true }), config).allow).toBe(true);
    expect(admit(eventOf({ why: '', userName: 'Corp_EU_7', attributes: email('x@corp.example.com'), admit: false }), config).allow).toBe(false);
    expect(admit(eventOf({ why: '', userName: 'Corp_7', attributes: email('x@corp.example.com'), admit: true }), config).allow).toBe(true);
  });

  test('fails (refuses) a missing event', async () => {
    const { handler } = load(CODE);
    await expect(handler(null)).rejects.toThrow('not allowed');
  });

  test('the refusal tells the user nothing about the rules, and the log holds no email address', async () => {
    const { handler, logs } = load(CODE);
    const error = await handler(eventOf({ why: '', userName: 'Facebook_2002', attributes: email('carol@example.org'), admit: false })).catch((e: Error) => e);
    expect((error as Error).message).not.toMatch(/example|alice|bob|Facebook/i);
    expect(logs.join('\n')).not.toMatch(/carol|@/);
  });

  test('the model covers both outcomes for every rule kind and every trigger source', () => {
    expect(CASES.filter((c) => c.admit).length).toBeGreaterThan(10);
    expect(CASES.filter((c) => !c.admit).length).toBeGreaterThan(10);
    for (const prefix of ['google_', 'facebook_', 'partner_']) {
      expect(CASES.some((c) => c.admit && c.userName?.toLowerCase().startsWith(prefix) && (c.triggerSource ?? EXT) === EXT)).toBe(true);
      expect(CASES.some((c) => !c.admit && c.userName?.toLowerCase().startsWith(prefix) && (c.triggerSource ?? EXT) === EXT)).toBe(true);
    }
  });

  test('the shipped code is self-contained: no require, no environment, no network', () => {
    expect(CODE).not.toMatch(/require\(|process\.env|https?:\/\//);
  });
});
