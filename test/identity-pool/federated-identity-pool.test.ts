import { App, Fn, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AmbiguousRoleResolution,
  FederatedIdentityPool,
  IdentitySource,
  IdentitySourceType,
  RoleMappingMatchType,
} from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

const AUD = 'cognito-identity.amazonaws.com:aud';
const AMR = 'cognito-identity.amazonaws.com:amr';

interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly users: UserDirectory;
  readonly web: cognito.UserPoolClient;
}

function fixture(): Fixture {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  users.addGroup('editors', { precedence: 1 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web');
  return { app, stack, users, web };
}

function trust(amr: string, actions: string | string[] = 'sts:AssumeRoleWithWebIdentity', poolLogicalId = 'Identities1D2FC062', providers?: unknown, excluded?: unknown) {
  return {
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: 'cognito-identity.amazonaws.com' },
      Action: actions,
      Condition: {
        'StringEquals': { [AUD]: { Ref: poolLogicalId } },
        'ForAnyValue:StringLike': { [AMR]: amr },
        ...(providers !== undefined ? { 'ForAnyValue:StringEquals': { [AMR]: providers } } : {}),
        ...(excluded !== undefined ? { 'ForAllValues:StringNotEquals': { [AMR]: excluded } } : {}),
      },
    }],
    Version: '2012-10-17',
  };
}

/** The user pool's provider name (`cognito-idp.<region>.amazonaws.com/<id>`), as `amr` names it. */
function userPoolProvider(f: Fixture) {
  return { 'Fn::GetAtt': [f.stack.getLogicalId(f.users.userPool.node.defaultChild as any), 'ProviderName'] };
}

const TAGGED_ACTIONS = ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'];

describe('FederatedIdentityPool defaults', () => {
  let f: Fixture;
  let pool: FederatedIdentityPool;
  let template: Template;
  beforeAll(() => {
    // GIVEN a directory WHEN it is federated with no options
    f = fixture();
    pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users, f.web)] });
    template = Template.fromStack(f.stack);
  });

  test('has no guests, the classic flow off and the server-side token check on', () => {
    template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      AllowUnauthenticatedIdentities: false,
      AllowClassicFlow: false,
      CognitoIdentityProviders: [{
        ClientId: { Ref: Match.stringLikeRegexp('^UsersWeb') },
        ProviderName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'ProviderName'] },
        ServerSideTokenCheck: true,
      }],
      SupportedLoginProviders: Match.absent(),
      OpenIdConnectProviderARNs: Match.absent(),
      SamlProviderARNs: Match.absent(),
      DeveloperProviderName: Match.absent(),
    });
  });

  test('creates no guest role at all', () => {
    expect(pool.guestRole).toBeUndefined();
    expect(pool.guestAccess).toBe(false);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      Roles: { authenticated: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IdentitiesAuthenticatedRole'), 'Arn'] }, unauthenticated: Match.absent() },
    });
  });

  test('the authenticated role trusts only this pool\'s authenticated identities, without sts:TagSession', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: trust('authenticated'),
      MaxSessionDuration: Match.absent(),
    });
  });

  test('has no role mappings and no principal tags until asked for', () => {
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', { RoleMappings: Match.absent() });
    template.resourceCountIs('AWS::Cognito::IdentityPoolPrincipalTag', 0);
    expect(pool.principalTagNames).toEqual([]);
    expect(pool.hasPrincipalTag('tenant')).toBe(false);
  });

  test('exposes the id, an ARN built with formatArn and the authenticated role', () => {
    expect(f.stack.resolve(pool.identityPoolId)).toEqual({ Ref: 'Identities1D2FC062' });
    expect(f.stack.resolve(pool.identityPoolArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-identity:eu-west-1:123456789012:identitypool/', { Ref: 'Identities1D2FC062' }]],
    });
    expect(pool.authenticatedRoles).toEqual([pool.authenticatedRole]);
    expect(pool._roleTargets()).toEqual([{ role: pool.authenticatedRole, view: { kind: 'authenticated' }, name: 'Authenticated', created: true }]);
  });

  test('has no warnings', () => {
    Annotations.fromStack(f.stack).hasNoWarning('/Stack/Identities*', Match.anyValue());
  });

  test('keeps the identity pool on delete and on replacement (a new pool re-issues every identity id)', () => {
    template.hasResource('AWS::Cognito::IdentityPool', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('FederatedIdentityPool removal policy', () => {
  test('removalPolicy DESTROY deletes the pool with the stack (tests, development)', () => {
    // GIVEN a directory WHEN the pool opts out of RETAIN
    const f = fixture();
    new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users, f.web)], removalPolicy: RemovalPolicy.DESTROY });

    // THEN CloudFormation deletes it on delete and on replacement
    Template.fromStack(f.stack).hasResource('AWS::Cognito::IdentityPool', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('fails on RemovalPolicy.SNAPSHOT: an identity pool has no snapshots', () => {
    const f = fixture();
    expect(() => new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users, f.web)], removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow(/^`removalPolicy`: an identity pool has no snapshots \(received "snapshot"\)\. Use RemovalPolicy.RETAIN/);
  });
});

describe('FederatedIdentityPool options', () => {
  test('guestAccess creates a guest role that trusts only this pool\'s unauthenticated identities', () => {
    // GIVEN
    const f = fixture();

    // WHEN
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users)], guestAccess: true });

    // THEN
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: true, AllowClassicFlow: false });
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: trust('unauthenticated') });
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      Roles: {
        authenticated: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IdentitiesAuthenticatedRole'), 'Arn'] },
        unauthenticated: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IdentitiesGuestRole'), 'Arn'] },
      },
    });
    expect(pool.guestAccess).toBe(true);
    expect(pool.authenticatedRoles).toEqual([pool.authenticatedRole]);
    expect(pool._roleTargets().map((t) => [t.name, t.view])).toEqual([['Authenticated', { kind: 'authenticated' }], ['Guest', { kind: 'guest' }]]);
  });

  test('identityPoolName names the pool', () => {
    const f = fixture();
    new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users)], identityPoolName: 'notes identities' });
    Template.fromStack(f.stack).hasResourceProperties('AWS::Cognito::IdentityPool', { IdentityPoolName: 'notes identities' });
  });

  test('a directory source without clients federates every web client of the directory, including later ones', () => {
    // GIVEN
    const f = fixture();

    // WHEN
    new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users)] });
    f.users.addWebClient('Mobile');

    // THEN
    Template.fromStack(f.stack).hasResourceProperties('AWS::Cognito::IdentityPool', {
      CognitoIdentityProviders: [
        Match.objectLike({ ClientId: { Ref: Match.stringLikeRegexp('^UsersWeb') }, ServerSideTokenCheck: true }),
        Match.objectLike({ ClientId: { Ref: Match.stringLikeRegexp('^UsersMobile') }, ServerSideTokenCheck: true }),
      ],
    });
  });

  test('social sources become supported login providers, the Twitter secret as a dynamic reference', () => {
    // GIVEN
    const f = fixture();

    // WHEN
    const pool = new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [
        IdentitySource.google({ clientId: 'google-id', admitAnyAccount: true }),
        IdentitySource.facebook({ appId: 'facebook-id', admitAnyAccount: true }),
        IdentitySource.apple({ servicesId: 'com.example.app', admitAnyAccount: true }),
        IdentitySource.amazon({ appId: 'amzn1.application.x', admitAnyAccount: true }),
      ],
    });
    pool.addSource(IdentitySource.twitter({ consumerKey: 'key', consumerSecret: SecretValue.secretsManager('twitter'), admitAnyAccount: true }));

    // THEN
    Template.fromStack(f.stack).hasResourceProperties('AWS::Cognito::IdentityPool', {
      SupportedLoginProviders: {
        'accounts.google.com': 'google-id',
        'graph.facebook.com': 'facebook-id',
        'appleid.apple.com': 'com.example.app',
        'www.amazon.com': 'amzn1.application.x',
        'api.twitter.com': 'key;{{resolve:secretsmanager:twitter:SecretString:::}}',
      },
      CognitoIdentityProviders: Match.absent(),
    });
  });

  test('OIDC, SAML and developer sources', () => {
    // GIVEN
    const f = fixture();
    const oidc = new iam.OpenIdConnectProvider(f.stack, 'Oidc', { url: 'https://login.example.com', clientIds: ['app'] });
    const saml = iam.SamlProvider.fromSamlProviderArn(f.stack, 'Saml', 'arn:aws:iam::123456789012:saml-provider/Corp');

    // WHEN
    new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [IdentitySource.oidc(oidc), IdentitySource.saml(saml), IdentitySource.developer('login.example.com')],
    });

    // THEN
    Template.fromStack(f.stack).hasResourceProperties('AWS::Cognito::IdentityPool', {
      OpenIdConnectProviderARNs: [{ Ref: Match.stringLikeRegexp('^Oidc') }],
      SamlProviderARNs: ['arn:aws:iam::123456789012:saml-provider/Corp'],
      DeveloperProviderName: 'login.example.com',
    });
    expect(IdentitySource.oidc(oidc).type).toBe(IdentitySourceType.OIDC);
  });

  test('a source added after construction is federated', () => {
    const f = fixture();
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [] });
    pool.addSource(IdentitySource.userDirectory(f.users, f.web));
    Template.fromStack(f.stack).hasResourceProperties('AWS::Cognito::IdentityPool', {
      CognitoIdentityProviders: [Match.objectLike({ ClientId: { Ref: Match.stringLikeRegexp('^UsersWeb') } })],
    });
  });

  test('sources with token ids are accepted', () => {
    const f = fixture();
    new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [IdentitySource.google({ clientId: Fn.importValue('GoogleClientId'), admitAnyAccount: true }), IdentitySource.developer(Fn.importValue('DevName'))],
      identityPoolName: Fn.importValue('PoolName'),
    });
    Template.fromStack(f.stack).hasResourceProperties('AWS::Cognito::IdentityPool', {
      SupportedLoginProviders: { 'accounts.google.com': { 'Fn::ImportValue': 'GoogleClientId' } },
      DeveloperProviderName: { 'Fn::ImportValue': 'DevName' },
    });
  });
});

describe('principal tags', () => {
  test('map claims to tags for directory and OIDC sources, each its own, without Cognito\'s defaults', () => {
    // GIVEN
    const f = fixture();
    const oidc = new iam.OpenIdConnectProvider(f.stack, 'Oidc', { url: 'https://login.example.com', clientIds: ['app'] });

    // WHEN the pool's tags are for the directory, and the OIDC provider states its own
    const pool = new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [
        IdentitySource.userDirectory(f.users, f.web),
        IdentitySource.oidc(oidc, { principalTags: { user: 'sub' } }),
        IdentitySource.google({ clientId: 'g', admitAnyAccount: true }),
      ],
      principalTags: { tenant: 'custom:tenant', user: 'sub' },
    });

    // THEN
    const template = Template.fromStack(f.stack);
    template.resourceCountIs('AWS::Cognito::IdentityPoolPrincipalTag', 2);
    template.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', {
      IdentityPoolId: { Ref: 'Identities1D2FC062' },
      IdentityProviderName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'ProviderName'] },
      UseDefaults: false,
      PrincipalTags: { tenant: 'custom:tenant', user: 'sub' },
    });
    template.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', {
      IdentityProviderName: Match.objectLike({ 'Fn::Select': Match.anyValue() }),
      UseDefaults: false,
      PrincipalTags: { user: 'sub' },
    });
    expect(pool.principalTagNames).toEqual(['tenant', 'user']);
    expect(pool.hasPrincipalTag('tenant')).toBe(true);
    expect(pool.hasPrincipalTag('custom:tenant')).toBe(false);
  });

  test('add sts:TagSession to every authenticated role, never to the guest role', () => {
    // GIVEN
    const f = fixture();

    // WHEN
    const pool = new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [IdentitySource.userDirectory(f.users, f.web)],
      guestAccess: true,
      principalTags: { tenant: 'custom:tenant' },
    });
    pool.roleForGroup('admins');
    const google = IdentitySource.google({ clientId: 'google-client' });
    pool.addSource(google);
    pool.addRoleMapping(google, { rules: [{ claim: 'hd', value: 'example.com', role: pool.createRole('Reviewers') }] });

    // THEN
    const roles = Template.fromStack(f.stack).findResources('AWS::IAM::Role');
    const byId = (prefix: string) => Object.entries(roles).find(([id]) => id.startsWith(prefix))![1].Properties.AssumeRolePolicyDocument;
    expect(byId('IdentitiesAuthenticatedRole')).toEqual(trust('authenticated', TAGGED_ACTIONS));
    expect(byId('IdentitiesGroupRolesadmins')).toEqual(trust('authenticated', TAGGED_ACTIONS, undefined, [userPoolProvider(f)]));
    expect(byId('IdentitiesMappedRolesReviewers')).toEqual(trust('authenticated', TAGGED_ACTIONS, undefined, ['accounts.google.com']));
    expect(byId('IdentitiesGuestRole')).toEqual(trust('unauthenticated'));
  });

  test('a directory added later gets the tag map too', () => {
    const f = fixture();
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [], principalTags: { tenant: 'custom:tenant' } });
    pool.addSource(IdentitySource.userDirectory(f.users));
    Template.fromStack(f.stack).resourceCountIs('AWS::Cognito::IdentityPoolPrincipalTag', 1);
  });
});

describe('group roles', () => {
  test('roleForGroup creates a role once, sets it as the group\'s role and maps it by token with the authenticated role as fallback', () => {
    // GIVEN
    const f = fixture();
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users, f.web)] });

    // WHEN
    const admins = pool.roleForGroup('admins');

    // THEN
    expect(pool.roleForGroup('admins')).toBe(admins);
    const template = Template.fromStack(f.stack);
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
      GroupName: 'admins',
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IdentitiesGroupRolesadmins'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'editors', RoleArn: Match.absent() });
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: {
        UserPoolStackUsersWebCB581A00: {
          Type: 'Token',
          AmbiguousRoleResolution: 'AuthenticatedRole',
          IdentityProvider: {
            'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'ProviderName'] }, ':', { Ref: Match.stringLikeRegexp('^UsersWeb') }]],
          },
        },
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: trust('authenticated'),
      Description: Match.stringLikeRegexp('group admins'),
    });
  });

  test('group roles are authenticated roles with a group view, added live', () => {
    // GIVEN
    const f = fixture();
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users)] });
    expect(pool.authenticatedRoles).toHaveLength(1);

    // WHEN
    const admins = pool.roleForGroup('admins');
    const reviewers = pool.createRole('Reviewers');

    // THEN
    expect(pool.authenticatedRoles).toEqual([pool.authenticatedRole, admins, reviewers]);
    expect(pool._roleTargets().map((t) => [t.name, t.view])).toEqual([
      ['Authenticated', { kind: 'authenticated' }],
      ['Group-admins', { kind: 'group', group: 'admins Stack/Users' }], // the admins group of Stack/Users
      ['Rule-Reviewers', { kind: 'authenticated' }],
    ]);
    expect(pool.canMapGroup('admins')).toBe(true);
    expect(pool.canMapGroup('nobody')).toBe(false);
  });

  test('a group name that is not construct-id-safe gets a safe, stable name', () => {
    const f = fixture();
    f.users.addGroup('team/ops');
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users)] });
    pool.roleForGroup('team/ops');
    const name = pool._roleTargets()[1].name;
    expect(name).toMatch(/^Group-teamops-[0-9a-f]{8}$/);
    expect(name).not.toContain('/');
  });

  test('ambiguousRoleResolution DENY is honoured with a warning', () => {
    // GIVEN
    const f = fixture();

    // WHEN
    const pool = new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [IdentitySource.userDirectory(f.users, f.web)],
      ambiguousRoleResolution: AmbiguousRoleResolution.DENY,
    });
    pool.roleForGroup('admins');

    // THEN
    Template.fromStack(f.stack).hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: { UserPoolStackUsersWebCB581A00: Match.objectLike({ Type: 'Token', AmbiguousRoleResolution: 'Deny' }) },
    });
    Annotations.fromStack(f.stack).hasWarning('/Stack/Identities', Match.stringLikeRegexp('no group carry no role claim'));
  });

  test('an imported directory with the group works; the directory warns that it cannot set the role', () => {
    // GIVEN
    const stack = new Stack();
    const userPool = cognito.UserPool.fromUserPoolId(stack, 'Pool', Fn.importValue('UserPoolId'));
    const client = cognito.UserPoolClient.fromUserPoolClientId(stack, 'Client', Fn.importValue('ClientId'));
    const users = UserDirectory.fromUserPool(stack, 'Users', userPool, { groupNames: ['admins'], webClients: [client] });
    const pool = new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users)] });

    // WHEN
    pool.roleForGroup('admins');

    // THEN the mapping key is literal and the provider name is joined from the tokens at deploy time
    const attachment = Object.values(Template.fromStack(stack).findResources('AWS::Cognito::IdentityPoolRoleAttachment'))[0];
    const [key, mapping] = Object.entries<any>(attachment.Properties.RoleMappings)[0];
    expect(key).toBe('UserPoolClient');
    expect(mapping.IdentityProvider).toEqual({
      'Fn::Join': ['', ['cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { 'Fn::ImportValue': 'UserPoolId' }, ':', { 'Fn::ImportValue': 'ClientId' }]],
    });
    Annotations.fromStack(stack).hasWarning('/Default/Users', Match.stringLikeRegexp('cannot be set here'));
  });
});

describe('rule mappings', () => {
  test('rules added after construction are rendered, in order, denying when no rule matches', () => {
    // GIVEN
    const f = fixture();
    const google = IdentitySource.google({ clientId: 'g' });
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [google] });

    // WHEN
    const reviewers = pool.createRole('Reviewers');
    pool.addRoleMapping(google, { rules: [{ claim: 'email', value: 'review@example.com', role: reviewers }] });
    pool.addRoleMapping(IdentitySource.google({ clientId: 'g' }), {
      rules: [{ claim: 'hd', matchType: RoleMappingMatchType.EQUALS, value: 'example.com', role: pool.authenticatedRole }],
    });

    // THEN
    Template.fromStack(f.stack).hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: {
        'accounts.google.com': {
          Type: 'Rules',
          IdentityProvider: 'accounts.google.com',
          AmbiguousRoleResolution: 'Deny',
          RulesConfiguration: {
            Rules: [
              { Claim: 'email', MatchType: 'Equals', Value: 'review@example.com', RoleARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IdentitiesMappedRolesReviewers'), 'Arn'] } },
              { Claim: 'hd', MatchType: 'Equals', Value: 'example.com', RoleARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IdentitiesAuthenticatedRole'), 'Arn'] } },
            ],
          },
        },
      },
    });
  });

  test('a created role trusts like the authenticated role, and only identities of the sources whose rules give it', () => {
    // GIVEN
    const f = fixture();
    const directory = IdentitySource.userDirectory(f.users);
    const google = IdentitySource.google({ clientId: 'google-client' });
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [directory, google, IdentitySource.developer('login.example.com')] });

    // WHEN
    const reviewers = pool.createRole('Reviewers', { description: 'Reviewers of notes' });
    pool.addRoleMapping(directory, { rules: [{ claim: 'cognito:groups', matchType: RoleMappingMatchType.CONTAINS, value: 'reviewers', role: reviewers }] });
    pool.addRoleMapping(google, { rules: [{ claim: 'hd', value: 'example.com', role: reviewers }] });

    // THEN: a developer-authenticated identity cannot take its pool token to STS for this role,
    // not even one whose back end linked a directory or Google login (its amr names both)
    Template.fromStack(f.stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: trust('authenticated', undefined, undefined, [userPoolProvider(f), 'accounts.google.com'], ['login.example.com']),
      Description: 'Reviewers of notes',
    });
  });

  test('a group role trusts only the directories whose group has it', () => {
    // GIVEN
    const f = fixture();
    const pool = new FederatedIdentityPool(f.stack, 'Identities', {
      sources: [IdentitySource.userDirectory(f.users), IdentitySource.google({ clientId: 'google-client', admitAnyAccount: true }), IdentitySource.developer('login.example.com')],
    });

    // WHEN
    pool.roleForGroup('admins');

    // THEN: nor a developer identity whose back end linked a directory login
    Template.fromStack(f.stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: trust('authenticated', undefined, undefined, [userPoolProvider(f)], ['login.example.com']),
      Description: Match.stringLikeRegexp('^Members of group admins'),
    });
  });

  test('fails at synth for a created role that no rule gives', () => {
    const f = fixture();
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.userDirectory(f.users)] });
    pool.createRole('Reviewers');
    expect(() => Template.fromStack(f.stack)).toThrow(/`rules`: role Reviewers from createRole\(\) is given by no role mapping rule, so its trust would admit no provider/);
  });

  test('a directory source gets one rule mapping per app client, with the resolution asked for', () => {
    // GIVEN
    const f = fixture();
    const mobile = f.users.addWebClient('Mobile');
    const source = IdentitySource.userDirectory(f.users, f.web, mobile);
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [source] });

    // WHEN
    pool.addRoleMapping(source, {
      rules: [{ claim: 'cognito:groups', matchType: RoleMappingMatchType.CONTAINS, value: 'editors', role: pool.createRole('Editors') }],
      ambiguousRoleResolution: AmbiguousRoleResolution.AUTHENTICATED_ROLE,
    });

    // THEN
    const attachment = Object.values(Template.fromStack(f.stack).findResources('AWS::Cognito::IdentityPoolRoleAttachment'))[0];
    const mappings = attachment.Properties.RoleMappings;
    expect(Object.keys(mappings)).toEqual(['UserPoolStackUsersWebCB581A00', expect.stringMatching(/^UserPoolStackUsersMobile/)]);
    for (const mapping of Object.values<any>(mappings)) {
      expect(mapping).toMatchObject({ Type: 'Rules', AmbiguousRoleResolution: 'AuthenticatedRole' });
      expect(mapping.IdentityProvider['Fn::Join']).toBeDefined();
    }
  });

  test('OIDC and SAML rule mappings name their provider by issuer and ARN', () => {
    // GIVEN
    const f = fixture();
    const oidc = new iam.OpenIdConnectProvider(f.stack, 'Oidc', { url: 'https://login.example.com', clientIds: ['app'] });
    const saml = iam.SamlProvider.fromSamlProviderArn(f.stack, 'Saml', 'arn:aws:iam::123456789012:saml-provider/Corp');
    const pool = new FederatedIdentityPool(f.stack, 'Identities', { sources: [IdentitySource.oidc(oidc), IdentitySource.saml(saml)] });
    const role = pool.createRole('Partners');

    // WHEN
    pool.addRoleMapping(IdentitySource.oidc(oidc), { rules: [{ claim: 'org', value: 'partner', role }] });
    pool.addRoleMapping(IdentitySource.saml(saml), { rules: [{ claim: 'department', value: 'partner', role }] });

    // THEN
    Template.fromStack(f.stack).hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: {
        OidcStackOidc6C77F9A9: Match.objectLike({
          Type: 'Rules',
          IdentityProvider: { 'Fn::Select': [1, { 'Fn::Split': [':oidc-provider/', { Ref: Match.stringLikeRegexp('^Oidc') }] }] },
        }),
        SamlStackSamlA41A06FC: Match.objectLike({ Type: 'Rules', IdentityProvider: 'arn:aws:iam::123456789012:saml-provider/Corp' }),
      },
    });
  });
});

describe('FederatedIdentityPool.fromIdentityPoolId', () => {
  test('exposes the pool and the roles passed in', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'eu-west-1' } });
    const role = (name: string) => iam.Role.fromRoleName(stack, name, name);
    const auth = role('Auth');
    const guest = role('Guest');
    const admins = role('Admins');
    const partners = role('Partners');

    // WHEN
    const pool = FederatedIdentityPool.fromIdentityPoolId(stack, 'Imported', 'eu-west-1:0a1b2c3d-aaaa-bbbb-cccc-0123456789ab', {
      authenticatedRole: auth,
      guestRole: guest,
      groupRoles: { admins },
      mappedRoles: [partners],
      principalTagNames: ['tenant'],
    });

    // THEN
    expect(pool.identityPoolId).toBe('eu-west-1:0a1b2c3d-aaaa-bbbb-cccc-0123456789ab');
    expect(stack.resolve(pool.identityPoolArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-identity:eu-west-1:123456789012:identitypool/eu-west-1:0a1b2c3d-aaaa-bbbb-cccc-0123456789ab']],
    });
    expect(pool.guestAccess).toBe(true);
    expect(pool.authenticatedRoles).toEqual([auth, admins, partners]);
    expect(pool.roleForGroup('admins')).toBe(admins);
    expect(pool.canMapGroup('admins')).toBe(true);
    expect(pool.canMapGroup('editors')).toBe(false);
    expect(pool.hasPrincipalTag('tenant')).toBe(true);
    expect(pool._roleTargets().map((t) => t.name)).toEqual(['Authenticated', 'Guest', 'Group-admins', 'Rule-Partners']);
  });

  test('without a guest role, guest access is off', () => {
    const stack = new Stack();
    const pool = FederatedIdentityPool.fromIdentityPoolId(stack, 'Imported', Fn.importValue('PoolId'), {
      authenticatedRole: iam.Role.fromRoleName(stack, 'Auth', 'Auth'),
    });
    expect(pool.guestAccess).toBe(false);
    expect(pool.guestRole).toBeUndefined();
    expect(pool.principalTagNames).toEqual([]);
  });
});
