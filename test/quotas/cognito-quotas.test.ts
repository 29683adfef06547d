import { App, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DirectoryProvider, FederatedIdentityPool, IdentitySource, UserDirectory } from '../../src';
import { COGNITO_QUOTAS, quotaProblem, quotaText } from '../../src/private/cognito-quotas';
import { ValidationErrors } from '../../src/private/errors';

/*
 * The documented Cognito quotas the constructs can see are enforced at synth: a hard quota is a
 * ValidationError naming the quota and its number, an adjustable one (AWS may have raised it for
 * the account) a warning. Numbers and sources live in src/private/cognito-quotas.ts.
 */

const newStack = () => new Stack(new App(), 'Stack');

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expect(ValidationErrors.isValidationError(e)).toBe(true);
    return e as Error;
  }
  throw new Error('expected a ValidationError');
}

function synthError(app: App): string {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
}

const oidc = (stack: Stack, n: number) => IdentitySource.oidc(
  iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, `Oidc${n}`, `arn:aws:iam::123456789012:oidc-provider/idp${n}.example.com`));

describe('Cognito quotas', () => {
  test('every quota has a name, a number and a documented source', () => {
    for (const quota of Object.values(COGNITO_QUOTAS)) {
      expect(quota.name).toMatch(/\w+/);
      expect(quota.value).toBeGreaterThan(0);
      expect(quota.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
    expect(COGNITO_QUOTAS.roleMappingsPerIdentityPool.value).toBe(10);
    expect(COGNITO_QUOTAS.principalTagsPerProvider.value).toBe(50);
    expect(quotaProblem(COGNITO_QUOTAS.groupsPerUserPool, 10000, 'groupName', 'the number of groups', 'Fix.')).toBeUndefined();
    expect(quotaProblem(COGNITO_QUOTAS.groupsPerUserPool, 10001, 'groupName', 'the number of groups', 'Fix.'))
      .toBe('`groupName`: the number of groups exceeds the Cognito quota "Maximum number of groups per user pool": 10,000 (received 10001). Fix.');
  });

  describe('identity pools', () => {
    function poolWithRuleMappings(count: number) {
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const sources = Array.from({ length: count }, (_, i) => oidc(stack, i));
      const pool = new FederatedIdentityPool(stack, 'Identities', { sources });
      const role = pool.createRole('Mapped');
      for (const source of sources) {
        pool.addRoleMapping(source, { rules: [{ claim: 'hd', value: 'example.com', role }] });
      }
      return app;
    }

    test('10 identity providers with role mappings synthesize', () => {
      expect(() => poolWithRuleMappings(10).synth()).not.toThrow();
    });

    test('fails on 11 identity providers with role mappings, naming the quota', () => {
      expect(synthError(poolWithRuleMappings(11))).toContain(
        '`sources`: the number of identity providers with a role mapping (one per app client of a directory whose groups have roles, one per source with rules) exceeds the '
        + 'Cognito quota "Maximum number of identity providers for which role mappings can be specified": 10 (received 11).');
    });

    test('fails on 11 app clients of a directory whose groups have roles (a token mapping each)', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const users = new UserDirectory(stack, 'Users');
      users.addGroup('admins');
      const clients = Array.from({ length: 11 }, (_, i) => users.addWebClient(`Web${i}`));
      const pool = new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users, ...clients)] });
      pool.roleForGroup('admins');
      expect(synthError(app)).toMatch(/exceeds the Cognito quota "Maximum number of identity providers for which role mappings can be specified": 10 \(received 11\)/);
    });

    test('fails on 51 principal tags, naming the quota', () => {
      const stack = newStack();
      const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, `custom:a${i}`]));
      expect(thrown(() => new FederatedIdentityPool(stack, 'Identities', { sources: [], guestAccess: true, principalTags: tags })).message)
        .toMatch(/^`principalTags`: an identity provider maps at most 50 tags \(Cognito quota "Principal tags per identity provider \(SetPrincipalTagAttributeMap PrincipalTags\)": 50\)/);
    });

    test('warns on more than 50 user pool app clients in one identity pool (adjustable)', () => {
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const users = new UserDirectory(stack, 'Users');
      const clients = Array.from({ length: 51 }, (_, i) => users.addWebClient(`Web${i}`));
      new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users, ...clients)] });
      app.synth();
      Annotations.fromStack(stack).hasWarning('/Stack/Identities', Match.stringLikeRegexp(
        'The identity pool\'s user pool app clients \\(51\\) exceeds the Cognito quota "Maximum Amazon Cognito user pool providers per identity pool": 50 \\(adjustable\\)'));
    });
  });

  describe('user pools', () => {
    test('fails on the 51st custom attribute, naming the quota', () => {
      // (Without email in the schema: with it, the 50th already fails, see boundaries.test.ts.)
      const users = new UserDirectory(newStack(), 'Users', { signInAliases: { phone: true } });
      for (let i = 0; i < 50; i++) {
        users.addCustomAttribute(`a${i}`);
      }
      expect(thrown(() => users.addCustomAttribute('one-more')).message)
        .toMatch(/^`name`: custom attribute `one-more` exceeds the Cognito quota "Maximum number of custom attributes per user pool": 50 \(received 51\)\. Store the rest elsewhere/);
    });

    test('fails on 101 callback or logout URLs and 51 scopes per client, naming the quotas', () => {
      const users = new UserDirectory(newStack(), 'Users');
      const urls = Array.from({ length: 101 }, (_, i) => `https://app${i}.example.com/`);
      expect(thrown(() => users.addWebClient('A', { callbackUrls: urls })).message)
        .toMatch(/^`callbackUrls`: the number of callback URLs exceeds the Cognito quota "Maximum callback URLs per app client": 100 \(received 101\)/);
      expect(thrown(() => users.addWebClient('B', { callbackUrls: urls.slice(0, 1), logoutUrls: urls })).message)
        .toMatch(/^`logoutUrls`: the number of logout URLs exceeds the Cognito quota "Maximum logout URLs per app client": 100 \(received 101\)/);
      const scopes = Array.from({ length: 51 }, (_, i) => cognito.OAuthScope.custom(`api/s${i}`));
      expect(thrown(() => users.addWebClient('C', { callbackUrls: urls.slice(0, 1), scopes })).message)
        .toMatch(/^`scopes`: the number of OAuth scopes exceeds the Cognito quota "Maximum number of scopes per app client": 50 \(received 51\)/);
      expect(() => users.addWebClient('D', { callbackUrls: urls.slice(0, 100), scopes: scopes.slice(0, 50) })).not.toThrow();
    });

    test('fails on token lifetimes outside Cognito\'s ranges', () => {
      const users = new UserDirectory(newStack(), 'Users');
      expect(thrown(() => users.addWebClient('A', { accessTokenValidity: Duration.days(2) })).message)
        .toMatch(/^`accessTokenValidity`: Cognito accepts 5 minutes to 1 day \(Cognito quota "User pools token validity quotas"\) \(received "2 days"\)/);
      expect(thrown(() => users.addWebClient('B', { idTokenValidity: Duration.minutes(4) })).message).toMatch(/^`idTokenValidity`: Cognito accepts 5 minutes to 1 day/);
      expect(thrown(() => users.addWebClient('C', { refreshTokenValidity: Duration.minutes(59) })).message).toMatch(/^`refreshTokenValidity`: Cognito accepts 60 minutes to 3,650 days/);
      expect(() => users.addWebClient('D', { accessTokenValidity: Duration.days(1), refreshTokenValidity: Duration.days(3650) })).not.toThrow();
    });

    test('fails on 51 identifiers for one OIDC or SAML provider, naming the quota', () => {
      const identifiers = Array.from({ length: 51 }, (_, i) => `d${i}.example.com`);
      expect(thrown(() => DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://idp.example.com/m', identifiers })).message)
        .toMatch(/^`identifiers`: the number of identifiers exceeds the Cognito quota "Maximum identifiers per identity provider": 50 \(received 51\)/);
      expect(() => DirectoryProvider.oidc({
        name: 'Okta', clientId: 'c', clientSecret: SecretValue.unsafePlainText('test-only'), issuerUrl: 'https://idp.example.com', identifiers,
      })).toThrow(/Maximum identifiers per identity provider/);
    });

    test('warns on more identity providers than the adjustable quota', () => {
      // (1,000 app clients cannot share one stack with the pool: 500 resources per stack.)
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const users = new UserDirectory(stack, 'Users');
      for (let i = 0; i < 301; i++) {
        new cognito.CfnUserPoolIdentityProvider(users, `Idp${i}`, {
          userPoolId: users.userPoolId, providerName: `Idp${i}`, providerType: 'OIDC', providerDetails: {},
        });
      }
      app.synth();
      Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp(
        'The user pool\'s identity providers \\(301\\) exceeds the Cognito quota "Maximum number of identity providers per user pool": 300 \\(adjustable\\): deployment fails unless AWS raised it'));
      expect(quotaText(COGNITO_QUOTAS.appClientsPerUserPool)).toBe('Cognito quota "Maximum number of app clients per user pool": 1,000 (adjustable)');
    });
  });
});
