import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AmbiguousRoleResolution, FederatedIdentityPool, IdentitySource, RoleMappingMatchType } from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { DirectoryProvider, FederatedSignUp, UserDirectory } from '../../src/user-directory';

/*
 * Who gets credentials through a social source federated straight into the identity pool.
 *
 * The model (AWS docs, independent of the code):
 * - A provider in SupportedLoginProviders (accounts.google.com, graph.facebook.com,
 *   appleid.apple.com, www.amazon.com, api.twitter.com) is checked only for its app id: every
 *   account at the provider that signs in to that app gets an identity and, with no role mapping
 *   for the provider, the pool's authenticated role.
 * - The pool restricts who is admitted only through a role mapping of type Rules: the rules compare
 *   the provider's token claims (Equals, Contains, StartsWith, NotEqual), the first match gives its
 *   role, and AmbiguousRoleResolution Deny gives an identity no rule matches no credentials
 *   (AuthenticatedRole gives it the authenticated role: anyone again).
 * - Contains / StartsWith / NotEqual match values the account's owner did not have to be given
 *   (`email` containing `example.com`, anything not equal to a value): only Equals admits exactly.
 * - Twitter and developer identities cannot have rule mappings.
 * - OIDC and SAML providers are IAM providers of an organisation: their accounts are its users.
 */

function stack(): Stack {
  return new Stack(new App(), 'Stack');
}

function synth(s: Stack): Template {
  return Template.fromStack(s);
}

/** Runs synth and returns the validation error text ('' when it synthesizes). */
function synthError(s: Stack): string {
  try {
    synth(s);
    return '';
  } catch (e) {
    return String((e as Error).message);
  }
}

const SOCIAL: Array<[string, (admitAnyAccount?: boolean) => IdentitySource, string]> = [
  ['google', (admitAnyAccount) => IdentitySource.google({ clientId: 'g.apps.googleusercontent.com', admitAnyAccount }), 'accounts.google.com'],
  ['facebook', (admitAnyAccount) => IdentitySource.facebook({ appId: 'f', admitAnyAccount }), 'graph.facebook.com'],
  ['apple', (admitAnyAccount) => IdentitySource.apple({ servicesId: 'com.example.app', admitAnyAccount }), 'appleid.apple.com'],
  ['amazon', (admitAnyAccount) => IdentitySource.amazon({ appId: 'amzn1.application.x', admitAnyAccount }), 'www.amazon.com'],
];

describe('a social source states who it admits', () => {
  test.each(SOCIAL)('fails at synth: %s with no admission statement, naming both fixes', (_name, make, domain) => {
    // GIVEN a pool federating the provider straight, with no rule and no statement
    const s = stack();
    new FederatedIdentityPool(s, 'Ids', { sources: [make()] });

    // WHEN synthesized THEN every account of the provider would get the authenticated role: refused
    const error = synthError(s);
    expect(error).toContain('`admitAnyAccount`');
    expect(error).toContain(`every account at ${domain}`);
    expect(error).toContain('admitAnyAccount: true');
    expect(error).toContain('addRoleMapping');
    expect(error).toContain('DENY');
  });

  test.each(SOCIAL)('%s with admitAnyAccount: true synthesizes, with no role mapping', (_name, make, domain) => {
    // GIVEN the statement that any account is admitted
    const s = stack();
    new FederatedIdentityPool(s, 'Ids', { sources: [make(true)] });

    // THEN the provider is federated and every account gets the authenticated role, as stated
    const template = synth(s);
    template.hasResourceProperties('AWS::Cognito::IdentityPool', { SupportedLoginProviders: Match.objectLike({ [domain]: Match.anyValue() }) });
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', { RoleMappings: Match.absent() });
  });

  test.each(SOCIAL)('%s admitted by an exact-match rule with DENY (the default) synthesizes', (_name, make, domain) => {
    // GIVEN a rule mapping on a claim the provider sets, matched exactly
    const s = stack();
    const source = make();
    const pool = new FederatedIdentityPool(s, 'Ids', { sources: [source] });
    pool.addRoleMapping(source, { rules: [{ claim: 'email', value: 'alice@example.com', role: pool.authenticatedRole }] });

    // THEN an account no rule matches gets no credentials
    synth(s).hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: {
        [domain]: Match.objectLike({ Type: 'Rules', AmbiguousRoleResolution: 'Deny', RulesConfiguration: { Rules: [Match.objectLike({ Claim: 'email', MatchType: 'Equals' })] } }),
      },
    });
  });

  test('fails at synth: the red-team app (invite-only directory, Google limited to example.com, plus IdentitySource.google on the pool)', () => {
    // GIVEN the directory admits only example.com through Google, and the pool federates Google straight
    const s = stack();
    const users = new UserDirectory(s, 'Users', { domainPrefix: 'corp-notes-auth' });
    users.addIdentityProvider(DirectoryProvider.google({
      clientId: 'my-client-id.apps.googleusercontent.com', clientSecret: SecretValue.unsafePlainText('unused'), signUp: FederatedSignUp.emailDomains('example.com'),
    }));
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    new FederatedIdentityPool(s, 'Ids', {
      sources: [IdentitySource.userDirectory(users, web), IdentitySource.google({ clientId: 'my-client-id.apps.googleusercontent.com' })],
    });

    // THEN the pool's door would admit any Google account: refused
    expect(synthError(s)).toMatch(/IdentitySource\.google\(\) admits every account at accounts\.google\.com/);
  });

  test('the red-team app, admitting only the Workspace domain, synthesizes', () => {
    // GIVEN the same app, with Google's hosted-domain claim matched exactly
    const s = stack();
    const users = new UserDirectory(s, 'Users', { domainPrefix: 'corp-notes-auth' });
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    const google = IdentitySource.google({ clientId: 'my-client-id.apps.googleusercontent.com' });
    const pool = new FederatedIdentityPool(s, 'Ids', { sources: [IdentitySource.userDirectory(users, web), google] });
    pool.addRoleMapping(google, { rules: [{ claim: 'hd', value: 'example.com', role: pool.authenticatedRole }], ambiguousRoleResolution: AmbiguousRoleResolution.DENY });

    // THEN
    synth(s).hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: Match.objectLike({ 'accounts.google.com': Match.objectLike({ AmbiguousRoleResolution: 'Deny' }) }),
    });
  });

  test('fails at synth: a social source added later with addSource() and no statement', () => {
    const s = stack();
    const pool = new FederatedIdentityPool(s, 'Ids', { sources: [IdentitySource.developer('login.example.com')] });
    pool.addSource(IdentitySource.apple({ servicesId: 'com.example.app' }));
    expect(synthError(s)).toContain('IdentitySource.apple() admits every account at appleid.apple.com');
  });

  test('fails at synth: a rule mapping that gives unmatched accounts the authenticated role', () => {
    // GIVEN rules, but AUTHENTICATED_ROLE for an account no rule matches: anyone again
    const s = stack();
    const google = IdentitySource.google({ clientId: 'g' });
    const pool = new FederatedIdentityPool(s, 'Ids', { sources: [google] });
    pool.addRoleMapping(google, {
      rules: [{ claim: 'hd', value: 'example.com', role: pool.createRole('Staff') }],
      ambiguousRoleResolution: AmbiguousRoleResolution.AUTHENTICATED_ROLE,
    });

    // THEN
    const error = synthError(s);
    expect(error).toContain('`ambiguousRoleResolution`');
    expect(error).toContain('every accounts.google.com account is admitted');
    expect(error).toContain('received AuthenticatedRole');
  });

  test('the same rules with AUTHENTICATED_ROLE synthesize when any account is admitted on purpose', () => {
    // GIVEN any Google account is admitted (stated), and staff get their own role
    const s = stack();
    const google = IdentitySource.google({ clientId: 'g', admitAnyAccount: true });
    const pool = new FederatedIdentityPool(s, 'Ids', { sources: [google] });
    pool.addRoleMapping(google, {
      rules: [{ claim: 'hd', value: 'example.com', role: pool.createRole('Staff') }],
      ambiguousRoleResolution: AmbiguousRoleResolution.AUTHENTICATED_ROLE,
    });

    // THEN
    synth(s).hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: { 'accounts.google.com': Match.objectLike({ AmbiguousRoleResolution: 'AuthenticatedRole' }) },
    });
  });

  test.each([RoleMappingMatchType.CONTAINS, RoleMappingMatchType.STARTS_WITH, RoleMappingMatchType.NOT_EQUAL])('fails: an admission rule with %s', (matchType) => {
    // GIVEN a rule that would admit accounts whose email only resembles (or differs from) the value
    const s = stack();
    const google = IdentitySource.google({ clientId: 'g' });
    const pool = new FederatedIdentityPool(s, 'Ids', { sources: [google] });

    // THEN addRoleMapping refuses it: only EQUALS admits exactly
    expect(() => pool.addRoleMapping(google, { rules: [{ claim: 'email', matchType, value: 'example.com', role: pool.authenticatedRole }] }))
      .toThrow(/rules\[0\]\.matchType/);
  });

  test('an EQUALS rule on the same claim synthesizes', () => {
    const s = stack();
    const google = IdentitySource.google({ clientId: 'g' });
    const pool = new FederatedIdentityPool(s, 'Ids', { sources: [google] });
    pool.addRoleMapping(google, { rules: [{ claim: 'email', matchType: RoleMappingMatchType.EQUALS, value: 'alice@example.com', role: pool.authenticatedRole }] });
    expect(synthError(s)).toBe('');
  });

  test('fails at synth: Twitter with no statement, which only admitAnyAccount can give', () => {
    // GIVEN Twitter, which Cognito cannot map by rules
    const s = stack();
    new FederatedIdentityPool(s, 'Ids', { sources: [IdentitySource.twitter({ consumerKey: 'k', consumerSecret: SecretValue.secretsManager('twitter') })] });

    // THEN the error offers the statement, not rules
    const error = synthError(s);
    expect(error).toContain('IdentitySource.twitter() admits every account at api.twitter.com');
    expect(error).toContain('cannot restrict it by rules');
    expect(error).toContain('admitAnyAccount: true');
    expect(error).not.toContain('addRoleMapping');
  });

  test('Twitter with admitAnyAccount: true synthesizes', () => {
    const s = stack();
    new FederatedIdentityPool(s, 'Ids', {
      sources: [IdentitySource.twitter({ consumerKey: 'k', consumerSecret: SecretValue.secretsManager('twitter'), admitAnyAccount: true })],
    });
    synth(s).hasResourceProperties('AWS::Cognito::IdentityPool', { SupportedLoginProviders: { 'api.twitter.com': Match.anyValue() } });
  });

  test('fails: admitAnyAccount that is not a boolean', () => {
    expect(() => IdentitySource.google({ clientId: 'g', admitAnyAccount: 'yes' as unknown as boolean })).toThrow(ValidationError);
    expect(() => IdentitySource.google({ clientId: 'g', admitAnyAccount: 'yes' as unknown as boolean })).toThrow(/admitAnyAccount/);
  });

  test('enterprise and developer sources need no statement: their accounts are the organisation\'s, or the back end decides', () => {
    // GIVEN OIDC, SAML and developer sources with no rule
    const s = stack();
    const oidc = new iam.OpenIdConnectProvider(s, 'Oidc', { url: 'https://login.example.com', clientIds: ['app'] });
    const saml = iam.SamlProvider.fromSamlProviderArn(s, 'Saml', 'arn:aws:iam::123456789012:saml-provider/Corp');
    new FederatedIdentityPool(s, 'Ids', { sources: [IdentitySource.oidc(oidc), IdentitySource.saml(saml), IdentitySource.developer('login.example.com')] });

    // THEN
    expect(synthError(s)).toBe('');
  });
});
