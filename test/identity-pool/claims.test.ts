import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import {
  FederatedIdentityPool,
  IdentitySource,
  RoleMappingMatchType,
} from '../../src/identity-pool';
import { ValidationError } from '../../src/private/errors';
import { DirectoryProvider, UserDirectory } from '../../src/user-directory';

/*
 * Claims that decide access in the identity pool, from an independent model (AWS docs):
 *
 * | source kind            | who sets its claims                                   | rules that may decide access          |
 * |------------------------|-------------------------------------------------------|---------------------------------------|
 * | user directory         | the stack's administrators, unless users or untrusted | any match type, on claims only        |
 * |                        | IdPs can set them (test/user-directory/claims.test.ts) | administrators set                    |
 * | Google, Facebook,      | the provider, for accounts anyone can open            | EQUALS only: any other value, prefix, |
 * | Apple, Amazon, OIDC,   | (a verified x@corp.example.com.attacker.test          | substring or "not equal" is held by   |
 * | SAML                   | contains "@corp.example.com")                         | some account anyone can open          |
 *
 * Principal tags: Cognito maps them per identity provider (AWS::Cognito::IdentityPoolPrincipalTag
 * per IdentityProviderName), so the pool's tags belong to its directory sources, and an OIDC
 * provider's tags are stated on that source.
 */

const MATCH_TYPES = [RoleMappingMatchType.EQUALS, RoleMappingMatchType.CONTAINS, RoleMappingMatchType.STARTS_WITH, RoleMappingMatchType.NOT_EQUAL];

interface Fixture {
  readonly app: App;
  readonly stack: Stack;
}

function fixture(): Fixture {
  const app = new App();
  return { app, stack: new Stack(app, 'Stack') };
}

type SourceKind = 'google' | 'facebook' | 'apple' | 'amazon' | 'oidc' | 'saml';
const FOREIGN: SourceKind[] = ['google', 'facebook', 'apple', 'amazon', 'oidc', 'saml'];

function foreignSource(stack: Stack, kind: SourceKind): IdentitySource {
  switch (kind) {
    case 'google': return IdentitySource.google({ clientId: 'g' });
    case 'facebook': return IdentitySource.facebook({ appId: 'f' });
    case 'apple': return IdentitySource.apple({ servicesId: 'a' });
    case 'amazon': return IdentitySource.amazon({ appId: 'z' });
    case 'oidc': return IdentitySource.oidc(new iam.OpenIdConnectProvider(stack, 'Oidc', { url: 'https://login.example.com', clientIds: ['app'] }));
    case 'saml': return IdentitySource.saml(new iam.SamlProvider(stack, 'Saml', { metadataDocument: iam.SamlMetadataDocument.fromXml('<xml/>') }));
  }
}

/** The model: may a rule with this match type, on a claim of this source kind, decide access? */
function mayDecide(kind: SourceKind | 'directory', matchType: RoleMappingMatchType): boolean {
  return kind === 'directory' || matchType === RoleMappingMatchType.EQUALS;
}

describe('rules on claims of sources the stack does not control match exactly', () => {
  const cases = FOREIGN.flatMap(kind => MATCH_TYPES.map(matchType => [kind, matchType, mayDecide(kind, matchType)] as const));

  test.each(cases.filter(([, , ok]) => !ok))('fails: %s with %s on `email`', (kind, matchType) => {
    // GIVEN
    const f = fixture();
    const source = foreignSource(f.stack, kind);
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    const staff = pool.createRole('Staff');

    // WHEN / THEN
    let error: unknown;
    try {
      pool.addRoleMapping(source, { rules: [{ claim: 'email', matchType, value: '@corp.example.com', role: staff }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as ValidationError).message;
    expect(message).toMatch(/^`rules\[0\]\.matchType`: /);
    expect(message).toMatch(/accounts you do not control/);
    expect(message).toMatch(/\(received "\w+"\)\. Match exactly \(RoleMappingMatchType\.EQUALS\)/);
    expect(message).toMatch(/hosted-domain claim `hd`/);
  });

  test.each(cases.filter(([, , ok]) => ok))('paired: %s with %s is accepted and rendered', (kind, matchType) => {
    // GIVEN
    const f = fixture();
    const source = foreignSource(f.stack, kind);
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    const staff = pool.createRole('Staff');

    // WHEN
    pool.addRoleMapping(source, { rules: [{ claim: kind === 'google' ? 'hd' : 'email', matchType, value: 'corp.example.com', role: staff }] });

    // THEN
    const attachment = Object.values(Template.fromStack(f.stack).findResources('AWS::Cognito::IdentityPoolRoleAttachment'))[0];
    const mapping = Object.values<any>(attachment.Properties.RoleMappings)[0];
    expect(mapping.RulesConfiguration.Rules[0].MatchType).toBe('Equals');
  });

  test.each(MATCH_TYPES)('paired: a directory source keeps %s on a claim only administrators set', (matchType) => {
    // GIVEN
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users', { selfSignUp: true });
    users.addCustomAttribute('dept', { mutable: true });
    const web = users.addWebClient('Web');
    const source = IdentitySource.userDirectory(users, web);
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });

    // WHEN
    pool.addRoleMapping(source, { rules: [{ claim: 'custom:dept', matchType, value: 'staff-', role: pool.createRole('Staff') }] });

    // THEN
    expect(mayDecide('directory', matchType)).toBe(true);
    expect(() => Template.fromStack(f.stack)).not.toThrow();
  });
});

describe('cognito:username decides access only when users do not pick it', () => {
  function directoryPool(props: { selfSignUp: boolean; usernames: boolean }) {
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users', {
      selfSignUp: props.selfSignUp,
      signInAliases: props.usernames ? { username: true, email: true } : { email: true },
    });
    const web = users.addWebClient('Web');
    const source = IdentitySource.userDirectory(users, web);
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    return { ...f, users, source, pool };
  }

  test('fails: STARTS_WITH "staff-" on cognito:username when users pick user names at sign-up (staff-mallory)', () => {
    const { pool, source } = directoryPool({ selfSignUp: true, usernames: true });
    expect(() => pool.addRoleMapping(source, {
      rules: [{ claim: 'cognito:username', matchType: RoleMappingMatchType.STARTS_WITH, value: 'staff-', role: pool.createRole('Staff') }],
    })).toThrow(/`rules\[0\]\.claim`: users of .* can write `cognito:username` about themselves.*self sign-up is on and users pick their own user name.*\(received "cognito:username"\)/);
  });

  test('fails: a principal tag from cognito:username when users pick user names', () => {
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users', { selfSignUp: true, signInAliases: { username: true } });
    const web = users.addWebClient('Web');
    expect(() => new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [IdentitySource.userDirectory(users, web)],
      principalTags: { user: 'cognito:username' },
    })).toThrow(/`principalTags`: users of .* can write `cognito:username` about themselves/);
  });

  test.each([
    ['invite-only with user names (administrators pick them)', { selfSignUp: false, usernames: true }],
    ['self sign-up with email as the user name (Cognito generates it)', { selfSignUp: true, usernames: false }],
  ])('paired: %s', (_name, props) => {
    const { pool, source, stack } = directoryPool(props);
    pool.addRoleMapping(source, {
      rules: [{ claim: 'cognito:username', matchType: RoleMappingMatchType.STARTS_WITH, value: 'staff-', role: pool.createRole('Staff') }],
    });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('fails at synth: self sign-up turned on by an escape hatch after the rule was accepted', () => {
    // GIVEN an invite-only directory with user names, and an accepted rule
    const { pool, source, users, app } = directoryPool({ selfSignUp: false, usernames: true });
    pool.addRoleMapping(source, { rules: [{ claim: 'cognito:username', value: 'staff-alice', role: pool.createRole('Staff') }] });

    // WHEN self sign-up is turned on with an override
    (users.userPool.node.defaultChild as cognito.CfnUserPool).addPropertyOverride('AdminCreateUserConfig.AllowAdminCreateUserOnly', false);

    // THEN
    expect(() => app.synth()).toThrow(/`rules\[0\]\.claim`: users of .* can write `cognito:username` about themselves/);
  });
});

describe('claims an identity provider of the directory fills', () => {
  function corpDirectory(trusted: boolean) {
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users', { domainPrefix: 'claims-idp' });
    users.addCustomAttribute('tenant', { mutable: false, userWritable: true });
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    users.addIdentityProvider(DirectoryProvider.saml({
      name: 'Corp',
      metadataUrl: 'https://idp.example.com/metadata',
      attributeMapping: { email: cognito.ProviderAttribute.other('email'), custom: { 'custom:tenant': cognito.ProviderAttribute.other('tenant') } },
      trustedAttributes: trusted ? ['custom:tenant'] : undefined,
    }));
    return { ...f, users, web };
  }

  test('fails: a tag from an immutable attribute an untrusted SAML provider fills at first sign-in (invite-only)', () => {
    const { stack, users, web } = corpDirectory(false);
    expect(() => new FederatedIdentityPool(stack, 'Identities', {
      sources: [IdentitySource.userDirectory(users, web)],
      principalTags: { tenant: 'custom:tenant' },
    })).toThrow(/`principalTags`: .*identity provider Corp maps `custom:tenant` at federated sign-in and is not trusted for it/);
  });

  test('paired: the same provider trusted for the attribute', () => {
    const { stack, users, web } = corpDirectory(true);
    new FederatedIdentityPool(stack, 'Identities', {
      sources: [IdentitySource.userDirectory(users, web)],
      principalTags: { tenant: 'custom:tenant' },
    });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('fails at synth: the provider added after the pool', () => {
    // GIVEN a pool whose tag passed when no provider mapped the attribute
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users', { domainPrefix: 'claims-late' });
    users.addCustomAttribute('tenant', { mutable: false, userWritable: true });
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(users, web)], principalTags: { tenant: 'custom:tenant' } });

    // WHEN
    users.addIdentityProvider(DirectoryProvider.oidc({
      name: 'Partner',
      clientId: 'c',
      clientSecret: SecretValue.unsafePlainText('s'),
      issuerUrl: 'https://partner.example.com',
      attributeMapping: { email: cognito.ProviderAttribute.other('email'), custom: { 'custom:tenant': cognito.ProviderAttribute.other('tenant') } },
    }));

    // THEN
    expect(() => f.app.synth()).toThrow(/`principalTags`: .*identity provider Partner maps `custom:tenant`/);
  });
});

describe('principal tags belong to the sources they are stated for', () => {
  test('the pool\'s tags map the directory only: an OIDC provider\'s claim of the same name never fills them', () => {
    // GIVEN
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users');
    users.addCustomAttribute('tenant', { mutable: false });
    const web = users.addWebClient('Web');
    const partner = new iam.OpenIdConnectProvider(f.stack, 'Partner', { url: 'https://partner.example.com', clientIds: ['app'] });

    // WHEN
    const pool = new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [IdentitySource.userDirectory(users, web), IdentitySource.oidc(partner)],
      principalTags: { tenant: 'custom:tenant' },
    });

    // THEN one tag map, for the directory's provider
    const template = Template.fromStack(f.stack);
    template.resourceCountIs('AWS::Cognito::IdentityPoolPrincipalTag', 1);
    template.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', {
      IdentityProviderName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'ProviderName'] },
      PrincipalTags: { tenant: 'custom:tenant' },
    });
    expect(pool.principalTagNames).toEqual(['tenant']);
    Annotations.fromStack(f.stack).hasWarning('/Stack/Identities', Match.stringLikeRegexp('carries none of the pool\'s principal tags \\(tenant\\)'));
  });

  test('an OIDC-only pool with a `repository` tag: the tag map, sts:TagSession, and `{tag:repository}` rules work', () => {
    // GIVEN a CI system's OIDC provider
    const f = fixture();
    const ci = new iam.OpenIdConnectProvider(f.stack, 'Ci', { url: 'https://token.actions.example.com', clientIds: ['sts.amazonaws.com'] });

    // WHEN
    const pool = new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [IdentitySource.oidc(ci, { principalTags: { repository: 'repository' } })],
    });
    const artifacts = new ScopedBucketAccess(f.stack, 'Artifacts', { identityPool: pool });
    artifacts.allow('repos/{tag:repository}/*', Audience.authenticated(), Access.READ, Access.WRITE);

    // THEN
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', {
      IdentityProviderName: Match.objectLike({ 'Fn::Select': Match.anyValue() }),
      UseDefaults: false,
      PrincipalTags: { repository: 'repository' },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] })] },
    });
    expect(pool.principalTagNames).toEqual(['repository']);
    expect(pool.hasPrincipalTag('repository')).toBe(true);
  });

  test('principalTagNames is the union of the pool\'s and the sources\' tags', () => {
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users');
    users.addCustomAttribute('tenant', { mutable: false });
    const web = users.addWebClient('Web');
    const ci = new iam.OpenIdConnectProvider(f.stack, 'Ci', { url: 'https://ci.example.com', clientIds: ['app'] });
    const pool = new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [IdentitySource.userDirectory(users, web), IdentitySource.oidc(ci, { principalTags: { repository: 'repository', tenant: 'org' } })],
      principalTags: { tenant: 'custom:tenant' },
    });
    expect(pool.principalTagNames.sort()).toEqual(['repository', 'tenant']);
    Template.fromStack(f.stack).resourceCountIs('AWS::Cognito::IdentityPoolPrincipalTag', 2);
  });

  test('fails: pool-level tags with no directory source (they used to apply to OIDC sources)', () => {
    const f = fixture();
    const ci = new iam.OpenIdConnectProvider(f.stack, 'Ci', { url: 'https://ci.example.com', clientIds: ['app'] });
    new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.oidc(ci)], principalTags: { repository: 'repository' } });
    expect(() => f.app.synth()).toThrow(/`principalTags`: the pool's principal tags apply to user directory sources.*\(received repository\)\. State the tags of an OpenID Connect provider on its source, `IdentitySource\.oidc\(provider, \{ principalTags \}\)`/);
  });

  test('fails: a source with tags added after the roles were created without sts:TagSession', () => {
    const f = fixture();
    const google = IdentitySource.google({ clientId: 'g' });
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [google] });
    const ci = new iam.OpenIdConnectProvider(f.stack, 'Ci', { url: 'https://ci.example.com', clientIds: ['app'] });
    expect(() => pool.addSource(IdentitySource.oidc(ci, { principalTags: { repository: 'repository' } })))
      .toThrow(/`sources`: .*created without `sts:TagSession`.*Pass this source in `sources` of the constructor/);
  });

  test('paired: a source with tags added later when the roles already trust sts:TagSession', () => {
    const f = fixture();
    const a = new iam.OpenIdConnectProvider(f.stack, 'A', { url: 'https://a.example.com', clientIds: ['app'] });
    const b = new iam.OpenIdConnectProvider(f.stack, 'B', { url: 'https://b.example.com', clientIds: ['app'] });
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.oidc(a, { principalTags: { repository: 'repository' } })] });
    pool.addSource(IdentitySource.oidc(b, { principalTags: { project: 'project' } }));
    expect(pool.principalTagNames).toEqual(['repository', 'project']);
    Template.fromStack(f.stack).resourceCountIs('AWS::Cognito::IdentityPoolPrincipalTag', 2);
  });

  test('fails: invalid per-source tags', () => {
    const stack = new Stack();
    const ci = new iam.OpenIdConnectProvider(stack, 'Ci', { url: 'https://ci.example.com', clientIds: ['app'] });
    expect(() => IdentitySource.oidc(ci, { principalTags: { 'aws:repo': 'repository' } })).toThrow(/`principalTags`: the `aws:` prefix is reserved/);
    expect(() => IdentitySource.oidc(ci, { principalTags: {} })).toThrow(/`principalTags`: must not be empty/);
  });
});

describe('cognito:username of federated users is chosen by their provider', () => {
  /*
   * Independent model (Cognito Developer Guide, "Adding user pool sign-in through a third party"
   * and the pre sign-up trigger's `userName`): a federated user's user name is
   * `<provider name>_<the user id the provider asserts>` (a SAML NameID, an OIDC or social `sub`),
   * so the provider, not the stack's administrators, chooses everything after `<provider name>_`.
   * A case-insensitive pool may report it in lower case. A rule that such a name can satisfy lets a
   * provider pick the role: CONTAINS and NOT_EQUAL always, STARTS_WITH a value that overlaps a
   * provider's prefix, EQUALS a value that starts with one. A local user name the administrators
   * pick (`staff-alice`) can be matched exactly or by a prefix no provider's prefix overlaps.
   * A principal tag holds the whole user name, unique in the pool: a federated user's tag can never
   * equal a local user's, so it identifies the user (like `sub`).
   */
  function partnerDirectory() {
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users', { domainPrefix: 'corp-notes-auth', signInAliases: { username: true } });
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Partner', metadataUrl: 'https://idp.partner.example/metadata' }));
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    const source = IdentitySource.userDirectory(users, web);
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    return { ...f, users, web, source, pool };
  }

  test.each([
    [RoleMappingMatchType.CONTAINS, '-admin', 'Partner_x-admin'],
    [RoleMappingMatchType.NOT_EQUAL, 'guest', 'any Partner_ user'],
    [RoleMappingMatchType.STARTS_WITH, 'Partner_staff-', 'Partner_staff-mallory'],
    [RoleMappingMatchType.STARTS_WITH, 'part', 'Partner_anyone'],
    [RoleMappingMatchType.EQUALS, 'partner_bob', 'the partner\'s NameID bob'],
  ])('fails: %s %j on cognito:username when a SAML partner names its users (%s)', (matchType, value) => {
    const { pool, source } = partnerDirectory();
    expect(() => pool.addRoleMapping(source, {
      rules: [{ claim: 'cognito:username', matchType, value, role: pool.createRole('Staff') }],
    })).toThrow(/`rules\[0\]\.claim`: users of .* can write `cognito:username` about themselves.*identity provider Partner chooses the user names of its users \(`Partner_<the user id it asserts>`\).*\(received "cognito:username"\).*no federated user name/);
  });

  test.each([
    [RoleMappingMatchType.EQUALS, 'staff-alice'],
    [RoleMappingMatchType.STARTS_WITH, 'staff-'],
  ])('paired: %s %j, a local user name no federated name can take, is accepted with the SAML partner', (matchType, value) => {
    const { pool, source, stack } = partnerDirectory();
    pool.addRoleMapping(source, { rules: [{ claim: 'cognito:username', matchType, value, role: pool.createRole('Staff') }] });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('paired: a principal tag from cognito:username is accepted with the SAML partner (the whole user name, unique in the pool)', () => {
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users', { domainPrefix: 'corp-notes-auth', signInAliases: { username: true } });
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Partner', metadataUrl: 'https://idp.partner.example/metadata' }));
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(users, web)], principalTags: { user: 'cognito:username' } });
    expect(() => Template.fromStack(f.stack)).not.toThrow();
  });

  test('paired: CONTAINS on cognito:username of an invite-only directory without providers is accepted', () => {
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users', { signInAliases: { username: true } });
    const source = IdentitySource.userDirectory(users, users.addWebClient('Web'));
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    pool.addRoleMapping(source, { rules: [{ claim: 'cognito:username', matchType: RoleMappingMatchType.CONTAINS, value: '-admin', role: pool.createRole('Staff') }] });
    expect(() => Template.fromStack(f.stack)).not.toThrow();
  });

  test('fails at synth: an L1 OIDC provider added outside the directory after the rule was accepted', () => {
    // GIVEN an invite-only directory with user names, no provider, and an accepted CONTAINS rule
    const f = fixture();
    const users = new UserDirectory(f.stack, 'Users', { signInAliases: { username: true } });
    const source = IdentitySource.userDirectory(users, users.addWebClient('Web'));
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    pool.addRoleMapping(source, { rules: [{ claim: 'cognito:username', matchType: RoleMappingMatchType.CONTAINS, value: '-admin', role: pool.createRole('Staff') }] });

    // WHEN an OIDC provider is created on the pool as an L1
    new cognito.CfnUserPoolIdentityProvider(f.stack, 'Partner', {
      userPoolId: users.userPoolId,
      providerName: 'Partner',
      providerType: 'OIDC',
      providerDetails: { client_id: 'c', client_secret: 's', oidc_issuer: 'https://partner.example', authorize_scopes: 'openid', attributes_request_method: 'GET' },
    });

    // THEN
    expect(() => f.app.synth()).toThrow(/`rules\[0\]\.claim`: users of .*identity provider Partner chooses the user names of its users/);
  });

  test('fails: EQUALS on cognito:username of a pool from outside the app (its providers are unknown)', () => {
    const f = fixture();
    const users = UserDirectory.fromUserPool(f.stack, 'Users', cognito.UserPool.fromUserPoolId(f.stack, 'Pool', 'us-east-1_abcdefgh'));
    const client = cognito.UserPoolClient.fromUserPoolClientId(f.stack, 'Client', 'client-id');
    const source = IdentitySource.userDirectory(users, client);
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });
    expect(() => pool.addRoleMapping(source, { rules: [{ claim: 'cognito:username', value: 'staff-alice', role: pool.createRole('Staff') }] }))
      .toThrow(/an imported pool may have identity providers this app does not show, which choose their users' names/);
  });
});

describe('a custom attribute of a pool from outside the app decides access only when the import states what users write', () => {
  // Independent model: an imported pool's app clients (WriteAttributes) and identity providers
  // (AttributeMapping) outside the app are not visible; either may let users write custom:tenant.
  function importedPool(options: { userWritableAttributes?: string[] }) {
    const f = fixture();
    const users = UserDirectory.fromUserPool(f.stack, 'Users', cognito.UserPool.fromUserPoolId(f.stack, 'Pool', 'us-east-1_abcdefgh'), options);
    const source = IdentitySource.userDirectory(users, cognito.UserPoolClient.fromUserPoolClientId(f.stack, 'Client', 'client-id'));
    return { ...f, users, source };
  }

  test('fails: a principal tag from custom:tenant of an import that does not state userWritableAttributes', () => {
    const { stack, source } = importedPool({});
    expect(() => new FederatedIdentityPool(stack, 'Identities', { sources: [source], principalTags: { tenant: 'custom:tenant' } }))
      .toThrow(/`principalTags`: users of .* can write `custom:tenant` about themselves.*`userWritableAttributes` of `UserDirectory.fromUserPool\(\)`/);
  });

  test('paired: the import states the attributes users can write, custom:tenant not among them', () => {
    const { stack, source } = importedPool({ userWritableAttributes: ['email', 'name'] });
    new FederatedIdentityPool(stack, 'Identities', { sources: [source], principalTags: { tenant: 'custom:tenant' } });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
