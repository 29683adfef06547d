import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { buildLimitsApp } from '../../scripts/fixtures';
import { DirectoryProvider, FederatedIdentityPool, IdentitySource, UserDirectory } from '../../src';
import { COGNITO_QUOTAS } from '../../src/private/cognito-quotas';
import { ValidationErrors } from '../../src/private/errors';

/*
 * Every limit of src/private/cognito-quotas.ts at its boundary: the largest accepted value
 * synthesizes (scripts/fixtures.ts buildLimitsApp, which `npx projen lint:templates` also lints with
 * cfn-lint in CI; this test runs cfn-lint on it too when cfn-lint is on PATH), and one more is
 * refused (a hard quota) or warned about (an adjustable one).
 */

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const hasCfnLint = cfnLint.error === undefined && cfnLint.status === 0;

function refused(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(ValidationErrors.isValidationError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected a ValidationError');
}

const oidc = (stack: Stack, n: number) => IdentitySource.oidc(
  iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, `Oidc${n}`, `arn:aws:iam::123456789012:oidc-provider/idp${n}.example.com`));
const newStack = () => new Stack(new App(), 'Stack');
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('the largest accepted values (buildLimitsApp)', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'limits-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const app = buildLimitsApp(outdir);
  const assembly = app.synth();

  test('synthesize without errors or quota warnings, with each limit reached', () => {
    const identity = assembly.getStackByName('IdentityPoolLimits').template;
    const directory = assembly.getStackByName('UserDirectoryLimits').template;
    const ofType = (template: any, type: string) => Object.values(template.Resources).filter((r: any) => r.Type === type) as any[];

    const [attachment] = ofType(identity, 'AWS::Cognito::IdentityPoolRoleAttachment');
    const mappings = Object.values(attachment.Properties.RoleMappings) as any[];
    expect(mappings).toHaveLength(COGNITO_QUOTAS.roleMappingsPerIdentityPool.value);
    expect(Math.max(...mappings.map(m => m.RulesConfiguration.Rules.length))).toBe(COGNITO_QUOTAS.rulesPerRoleMapping.value);
    const tags = ofType(identity, 'AWS::Cognito::IdentityPoolPrincipalTag').map(t => Object.keys(t.Properties.PrincipalTags ?? {}).length);
    expect(Math.max(...tags)).toBe(COGNITO_QUOTAS.principalTagsPerProvider.value);
    expect(ofType(identity, 'AWS::Cognito::IdentityPool')[0].Properties.CognitoIdentityProviders).toHaveLength(COGNITO_QUOTAS.userPoolProvidersPerIdentityPool.value);

    const schemas = ofType(directory, 'AWS::Cognito::UserPool').map(p => p.Properties.Schema as any[]);
    expect(schemas.map(s => s.length)).toEqual([COGNITO_QUOTAS.schemaAttributesPerUserPool.value, COGNITO_QUOTAS.schemaAttributesPerUserPool.value]);
    expect(schemas.map(s => s.filter(a => a.Name.startsWith('a')).length)).toEqual([49, COGNITO_QUOTAS.customAttributesPerUserPool.value]);
    expect(schemas[0].filter(a => a.Name === 'email')).toHaveLength(1);
    const [client] = ofType(directory, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties.CallbackURLs).toHaveLength(COGNITO_QUOTAS.callbackUrlsPerAppClient.value);
    expect(client.Properties.LogoutURLs).toHaveLength(COGNITO_QUOTAS.logoutUrlsPerAppClient.value);
    expect(client.Properties.AllowedOAuthScopes).toHaveLength(COGNITO_QUOTAS.scopesPerAppClient.value);
    const { AccessTokenValidity, IdTokenValidity, RefreshTokenValidity } = client.Properties;
    expect([AccessTokenValidity, IdTokenValidity, RefreshTokenValidity]).toEqual([1440, 1440, 5256000]);
    const servers = ofType(directory, 'AWS::Cognito::UserPoolResourceServer');
    expect(servers).toHaveLength(COGNITO_QUOTAS.resourceServersPerUserPool.value);
    expect(Math.max(...servers.map(s => s.Properties.Scopes.length))).toBe(COGNITO_QUOTAS.scopesPerResourceServer.value);
    expect(ofType(directory, 'AWS::Cognito::UserPoolIdentityProvider')[0].Properties.IdpIdentifiers).toHaveLength(COGNITO_QUOTAS.identifiersPerIdentityProvider.value);

    for (const stack of assembly.stacks) {
      const messages = Object.values(stack.manifest.metadata ?? {}).flat().filter(m => m.type === 'aws:cdk:warning' || m.type === 'aws:cdk:error');
      expect(messages.map(m => String(m.data)).filter(m => /quota/i.test(m))).toEqual([]);
    }
  });

  (hasCfnLint ? test : test.skip)('pass cfn-lint (skipped without cfn-lint on PATH; CI lints them in lint:templates)', () => {
    const files = assembly.stacks.map(s => path.join(assembly.directory, s.templateFile));
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const findings = JSON.parse(run.stdout || '[]') as Array<{ Level: string; Rule: { Id: string }; Message: string }>;
    expect(findings.filter(f => f.Level === 'Error').map(f => `${f.Rule.Id}: ${f.Message}`)).toEqual([]);
  });
});

describe('one more is refused (hard quotas) or warned about (adjustable ones)', () => {
  test('11 identity providers with role mappings', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const sources = range(11).map(i => oidc(stack, i));
    const pool = new FederatedIdentityPool(stack, 'Ids', { sources });
    const role = pool.createRole('Mapped');
    sources.forEach(source => pool.addRoleMapping(source, { rules: [{ claim: 'hd', value: 'example.com', role }] }));
    expect(() => app.synth()).toThrow(/Maximum number of identity providers for which role mappings can be specified": 10 \(received 11\)/);
  });

  test('26 rules for one provider', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const source = oidc(stack, 0);
    const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [source] });
    const role = pool.createRole('Mapped');
    pool.addRoleMapping(source, { rules: range(26).map(r => ({ claim: 'hd', value: `d${r}.example.com`, role })) });
    expect(() => app.synth()).toThrow(/has 26 role mapping rules, Cognito allows at most 25 per source/);
  });

  test('51 principal tags on a provider', () => {
    const stack = newStack();
    const principalTags = Object.fromEntries(range(51).map(t => [`tag${t}`, `claim${t}`]));
    expect(refused(() => IdentitySource.oidc(iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc',
      'arn:aws:iam::123456789012:oidc-provider/idp.example.com'), { principalTags }))).toMatch(/at most 50 tags/);
  });

  test('51 user pool app clients in an identity pool (adjustable: a warning)', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users');
    new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, ...range(51).map(i => users.addWebClient(`Web${i}`)))] });
    app.synth();
    Annotations.fromStack(stack).hasWarning('/Stack/Ids', Match.stringLikeRegexp('\\(51\\) exceeds the Cognito quota "Maximum Amazon Cognito user pool providers per identity pool": 50'));
  });

  test('the 50th custom attribute next to email: 51 schema entries', () => {
    const users = new UserDirectory(newStack(), 'Users');
    range(49).forEach(i => users.addCustomAttribute(`a${i}`));
    expect(refused(() => users.addCustomAttribute('a49'))).toMatch(
      /^`name`: custom attribute `a49` \(the schema holds email and the custom attributes\) exceeds the Cognito quota "Maximum number of attributes in a user pool schema .*": 50 \(received 51\)/);
  });

  test('the 51st custom attribute without a standard attribute in the schema', () => {
    const users = new UserDirectory(newStack(), 'Users', { signInAliases: { phone: true } });
    range(50).forEach(i => users.addCustomAttribute(`a${i}`));
    expect(refused(() => users.addCustomAttribute('a50'))).toMatch(/"Maximum number of custom attributes per user pool": 50 \(received 51\)/);
  });

  test('101 callback URLs, 101 logout URLs, 51 OAuth scopes', () => {
    const users = new UserDirectory(newStack(), 'Users');
    const urls = range(101).map(i => `https://app${i}.example.com/`);
    expect(refused(() => users.addWebClient('A', { callbackUrls: urls }))).toMatch(/"Maximum callback URLs per app client": 100 \(received 101\)/);
    expect(refused(() => users.addWebClient('B', { callbackUrls: urls.slice(0, 1), logoutUrls: urls }))).toMatch(/"Maximum logout URLs per app client": 100 \(received 101\)/);
    expect(refused(() => users.addWebClient('C', { callbackUrls: urls.slice(0, 1), scopes: range(51).map(i => cognito.OAuthScope.custom(`api/s${i}`)) })))
      .toMatch(/"Maximum number of scopes per app client": 50 \(received 51\)/);
  });

  test('token lifetimes one minute past each end', () => {
    const users = new UserDirectory(newStack(), 'Users');
    const minutes = (n: number) => Duration.minutes(n);
    expect(refused(() => users.addWebClient('A', { accessTokenValidity: minutes(24 * 60 + 1) }))).toMatch(/^`accessTokenValidity`: Cognito accepts 5 minutes to 1 day/);
    expect(refused(() => users.addWebClient('B', { idTokenValidity: minutes(24 * 60 + 1) }))).toMatch(/^`idTokenValidity`: Cognito accepts 5 minutes to 1 day/);
    expect(refused(() => users.addWebClient('C', { accessTokenValidity: minutes(4) }))).toMatch(/^`accessTokenValidity`/);
    expect(refused(() => users.addWebClient('D', { refreshTokenValidity: minutes(59) }))).toMatch(/^`refreshTokenValidity`: Cognito accepts 60 minutes to 3,650 days/);
    expect(refused(() => users.addWebClient('E', { refreshTokenValidity: minutes(3650 * 24 * 60 + 1) }))).toMatch(/^`refreshTokenValidity`/);
    expect(() => users.addWebClient('F', { accessTokenValidity: minutes(5), idTokenValidity: minutes(5), refreshTokenValidity: minutes(60) })).not.toThrow();
  });

  test('26 resource servers (adjustable: a warning) and 101 scopes on one', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'limits-auth' });
    expect(refused(() => users.addResourceServer('big', { scopes: Object.fromEntries(range(101).map(i => [`s${i}`, 'Scope'])) })))
      .toMatch(/^`scopes`: a resource server has at most 100 scopes/);
    range(26).forEach(i => users.addResourceServer(`api${i}`, { scopes: { read: 'Read' } }));
    app.synth();
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('\\(26\\) exceeds the Cognito quota "Maximum number of resource servers per user pool": 25 \\(adjustable\\)'));
  });

  test('51 identifiers on a provider', () => {
    expect(refused(() => DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://idp.example.com/m', identifiers: range(51).map(i => `d${i}.example.com`) })))
      .toMatch(/"Maximum identifiers per identity provider": 50 \(received 51\)/);
  });

  test('300 identity providers in a user pool synthesize without a warning (301 warn: cognito-quotas.test.ts)', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = new UserDirectory(stack, 'Users');
    range(300).forEach(i => new cognito.CfnUserPoolIdentityProvider(users, `Idp${i}`, {
      userPoolId: users.userPoolId, providerName: `Idp${i}`, providerType: 'OIDC', providerDetails: {},
    }));
    app.synth();
    Annotations.fromStack(stack).hasNoWarning('/Stack/Users', Match.stringLikeRegexp('identity providers'));
  });

  test('10,000 groups and 1,000 app clients pass the directory\'s checks; 10,001 and 1,001 do not', () => {
    // One stack holds at most 500 resources, so these run the directory's checks (node.validate()) rather than app.synth();
    // 10,001 groups failing app.synth() is in test/private/synth-errors.test.ts.
    const users = new UserDirectory(newStack(), 'Users');
    range(10_000).forEach(i => new cognito.CfnUserPoolGroup(users, `Group${i}`, { userPoolId: users.userPoolId }));
    range(1000).forEach(i => new cognito.CfnUserPoolClient(users, `Client${i}`, { userPoolId: users.userPoolId }));
    const quotaWarnings = () => users.node.metadata.filter(m => /quota/.test(String(m.data))).map(m => String(m.data));
    expect(users.node.validate()).toEqual([]);
    expect(quotaWarnings()).toEqual([]);

    new cognito.CfnUserPoolGroup(users, 'OneMoreGroup', { userPoolId: users.userPoolId });
    new cognito.CfnUserPoolClient(users, 'OneMoreClient', { userPoolId: users.userPoolId });
    expect(users.node.validate()).toEqual([expect.stringMatching(/^`groupName`: the number of groups exceeds the Cognito quota "Maximum number of groups per user pool": 10,000 \(received 10001\)/)]);
    expect(quotaWarnings()).toEqual([expect.stringMatching(/\(1001\) exceeds the Cognito quota "Maximum number of app clients per user pool": 1,000 \(adjustable\)/)]);
  });
});
