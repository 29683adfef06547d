import { App, CfnParameter, SecretValue, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { DirectoryProvider, FederatedSignUp, UserDirectory } from '../../src/user-directory';

/*
 * What the rendered resources must keep, from an independent model of Cognito (AWS docs):
 *
 * - Cognito creates a user at the first sign-in through any identity provider of the pool
 *   (AWS::Cognito::UserPoolIdentityProvider with its UserPoolId), whoever created the resource, even
 *   when AdminCreateUserConfig.AllowAdminCreateUserOnly is true. Social providers (ProviderType
 *   Google, Facebook, SignInWithApple, LoginWithAmazon) admit anyone who opens an account there;
 *   OIDC and SAML providers admit their organization's users (the library's default for them).
 *   Only the pool's pre sign-up trigger (LambdaConfig.PreSignUp) can refuse such a sign-up.
 * - CloudFormation receives the resources after escape hatches: the pool's LambdaConfig and
 *   Schema (Mutable) and a client's UserPoolId are what they render to. A client belongs to the
 *   pool its UserPoolId names: { Ref: <pool> }, { Fn::GetAtt: [<pool>, UserPoolId] }, or an import
 *   of an export of either.
 */

const ENV = { account: '111111111111', region: 'us-east-1' };

function inviteOnly(props: { selfSignUp?: boolean } = {}) {
  const app = new App();
  const stack = new Stack(app, 'Stack', { env: ENV });
  const users = new UserDirectory(stack, 'Users', { domainPrefix: 'corp-x', selfSignUp: props.selfSignUp });
  users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  return { app, stack, users };
}

const googleL2 = (stack: Stack, users: UserDirectory) => new cognito.UserPoolIdentityProviderGoogle(stack, 'G', {
  userPool: users.userPool,
  clientId: 'c',
  clientSecretValue: SecretValue.unsafePlainText('x'),
  attributeMapping: { email: cognito.ProviderAttribute.GOOGLE_EMAIL },
});

function l1Provider(stack: Stack, users: UserDirectory, providerType: string, providerName = providerType) {
  const details: Record<string, Record<string, string>> = {
    OIDC: { client_id: 'c', client_secret: 's', oidc_issuer: 'https://idp.corp.example', authorize_scopes: 'openid email', attributes_request_method: 'GET' },
    SAML: { MetadataURL: 'https://idp.corp.example/metadata' },
  };
  return new cognito.CfnUserPoolIdentityProvider(stack, `P${providerName}`, {
    userPoolId: users.userPoolId,
    providerName,
    providerType,
    providerDetails: details[providerType] ?? { client_id: 'a', client_secret: 'b', authorize_scopes: 'email' },
    attributeMapping: { email: 'email' },
  });
}

describe('a social provider created outside addIdentityProvider() on an invite-only directory', () => {
  test('fails: an L2 UserPoolIdentityProviderGoogle on users.userPool', () => {
    const { app, stack, users } = inviteOnly();
    googleL2(stack, users);
    expect(() => app.synth()).toThrow(/`identityProvider`: Stack\/G\/Resource is a social provider of Stack\/Users's pool created outside `addIdentityProvider\(\)`.*invite-only.*\(received ProviderType "Google"\)\. Remove it and add it with `addIdentityProvider\(DirectoryProvider\.google\(\{ \.\.\., signUp: FederatedSignUp\.emailDomains\('example\.com'\) \}\)\)`/);
  });

  test('fails: an L2 Google provider and an app client of its own listing it (no directory web client involved)', () => {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'corp-x' });
    const google = googleL2(stack, users);
    const client = users.userPool.addClient('Mine', { supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.GOOGLE], oAuth: { callbackUrls: ['https://app.example.com/'] } });
    client.node.addDependency(google);
    expect(() => app.synth()).toThrow(/Stack\/G\/Resource is a social provider .* created outside `addIdentityProvider\(\)`/);
  });

  test.each([
    ['Facebook', 'facebook'],
    ['SignInWithApple', 'apple'],
    ['LoginWithAmazon', 'amazon'],
    ['Google', 'google'],
  ])('fails: an L1 CfnUserPoolIdentityProvider of type %s, with the factory to use instead', (type, factory) => {
    const { app, stack, users } = inviteOnly();
    l1Provider(stack, users, type);
    expect(() => app.synth()).toThrow(new RegExp(`received ProviderType "${type}"\\)\\. Remove it and add it with \`addIdentityProvider\\(DirectoryProvider\\.${factory}\\(`));
  });

  test('fails: an L1 Facebook provider in another stack, through a cross-stack reference', () => {
    const { app, users } = inviteOnly();
    const other = new Stack(app, 'Other', { env: ENV });
    l1Provider(other, users, 'Facebook');
    expect(() => app.synth()).toThrow(/Other\/PFacebook is a social provider of Stack\/Users's pool/);
  });

  test('fails: a provider type known only at deploy time counts as social', () => {
    const { app, stack, users } = inviteOnly();
    l1Provider(stack, users, new CfnParameter(stack, 'Type').valueAsString, 'Maybe');
    expect(() => app.synth()).toThrow(/Stack\/PMaybe is a social provider/);
  });

  test('fails: an outside Facebook provider next to the directory\'s own Google provider with a rule', () => {
    const { app, stack, users } = inviteOnly();
    users.addIdentityProvider(DirectoryProvider.google({ clientId: 'cid', clientSecret: SecretValue.unsafePlainText('x'), signUp: FederatedSignUp.emailDomains('example.com') }));
    l1Provider(stack, users, 'Facebook');
    expect(() => app.synth()).toThrow(/Stack\/PFacebook is a social provider/);
  });

  test('fails: a directory made invite-only by an escape hatch is read as rendered', () => {
    const { app, stack, users } = inviteOnly({ selfSignUp: true });
    (users.userPool.node.defaultChild as cognito.CfnUserPool).addPropertyOverride('AdminCreateUserConfig.AllowAdminCreateUserOnly', true);
    googleL2(stack, users);
    expect(() => app.synth()).toThrow(/Stack\/G\/Resource is a social provider/);
  });

  test('paired: the same Google provider through addIdentityProvider() with a sign-up rule', () => {
    const { app, users } = inviteOnly();
    users.addIdentityProvider(DirectoryProvider.google({ clientId: 'c', clientSecret: SecretValue.unsafePlainText('x'), signUp: FederatedSignUp.emailDomains('example.com') }));
    expect(() => app.synth()).not.toThrow();
  });

  test.each(['OIDC', 'SAML'])('paired: an outside %s provider admits its organization\'s users, as the directory\'s own do', (type) => {
    const { app, stack, users } = inviteOnly();
    l1Provider(stack, users, type, 'Corp');
    expect(() => app.synth()).not.toThrow();
  });

  test('paired: an outside Google provider on a directory with self sign-up (anyone may sign up anyway)', () => {
    const { app, stack, users } = inviteOnly({ selfSignUp: true });
    googleL2(stack, users);
    expect(() => app.synth()).not.toThrow();
  });

  test('paired: a social provider of another pool is not the directory\'s', () => {
    const { app, stack } = inviteOnly();
    const other = new cognito.UserPool(stack, 'OtherPool');
    new cognito.UserPoolIdentityProviderGoogle(stack, 'G', { userPool: other, clientId: 'c', clientSecretValue: SecretValue.unsafePlainText('x') });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the rendered pre sign-up trigger is the admission function', () => {
  const fnOf = (stack: Stack, id = 'Fn') => new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async e=>{e.response.autoConfirmUser=true;return e}'),
  });
  function withRule() {
    const f = inviteOnly();
    f.users.addIdentityProvider(DirectoryProvider.google({ clientId: 'cid', clientSecret: SecretValue.unsafePlainText('x'), signUp: FederatedSignUp.emailDomains('example.com') }));
    return { ...f, cfnPool: f.users.userPool.node.defaultChild as cognito.CfnUserPool };
  }

  test('fails: an L1 lambdaConfig that replaces the admission function', () => {
    const { app, stack, cfnPool } = withRule();
    const fn = fnOf(stack);
    cfnPool.lambdaConfig = { preSignUp: fn.functionArn, postConfirmation: fn.functionArn };
    expect(() => app.synth()).toThrow(/`LambdaConfig\.PreSignUp`: the pool's pre sign-up trigger must be the directory's admission function \(Stack\/Users\/SignUpAdmission\).*\(received \{"Fn::GetAtt":\["Fn9270CBC0","Arn"\]\}\)/);
  });

  test('fails: a deletion override of LambdaConfig.PreSignUp', () => {
    const { app, cfnPool } = withRule();
    cfnPool.addPropertyDeletionOverride('LambdaConfig.PreSignUp');
    expect(() => app.synth()).toThrow(/`LambdaConfig\.PreSignUp`: .*\(received undefined\)/);
  });

  test('fails: a provider that leaves sign-up to the user\'s trigger, whose trigger an override removes', () => {
    const { app, stack, users } = inviteOnly();
    users.addIdentityProvider(DirectoryProvider.google({ clientId: 'cid', clientSecret: SecretValue.unsafePlainText('x'), signUp: FederatedSignUp.preSignUpTrigger() }));
    users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fnOf(stack));
    (users.userPool.node.defaultChild as cognito.CfnUserPool).addPropertyDeletionOverride('LambdaConfig');
    expect(() => app.synth()).toThrow(/`LambdaConfig\.PreSignUp`: Google leaves sign-up to your own pre sign-up trigger, but the rendered pool has none/);
  });

  test('paired: the admission function stays wired, and an override adds another trigger beside it', () => {
    const { app, stack, cfnPool } = withRule();
    cfnPool.addPropertyOverride('LambdaConfig.PostConfirmation', fnOf(stack).functionArn);
    expect(() => app.synth()).not.toThrow();
  });

  test('paired: the user\'s own trigger for a provider that leaves sign-up to it', () => {
    const { app, stack, users } = inviteOnly();
    users.addIdentityProvider(DirectoryProvider.google({ clientId: 'cid', clientSecret: SecretValue.unsafePlainText('x'), signUp: FederatedSignUp.preSignUpTrigger() }));
    users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fnOf(stack));
    expect(() => app.synth()).not.toThrow();
  });
});

describe('the claim check reads the rendered schema and every client that names the pool', () => {
  function tenantDirectory(mutable: boolean) {
    const app = new App();
    const stack = new Stack(app, 'Stack', { env: ENV });
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'corp-x' });
    users.addCustomAttribute('tenant', { mutable });
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, web)], principalTags: { tenant: 'custom:tenant' } });
    const cfnPool = users.userPool.node.defaultChild as cognito.CfnUserPool;
    return { app, stack, users, cfnPool, poolId: stack.getLogicalId(cfnPool) };
  }

  test('fails: a Schema override that makes an immutable custom:tenant mutable, with a client that writes every attribute', () => {
    // GIVEN an invite-only directory whose custom:tenant is immutable, and a client with Cognito's default write access
    const { app, cfnPool, users } = tenantDirectory(false);
    users.userPool.addClient('Other');

    // WHEN the rendered schema makes it mutable
    const schema = cfnPool.stack.resolve(cfnPool.schema) as Array<{ name?: string; Name?: string }>;
    const index = schema.findIndex((a) => (a.name ?? a.Name) === 'tenant');
    expect(index).toBeGreaterThanOrEqual(0);
    cfnPool.addPropertyOverride(`Schema.${index}.Mutable`, true);

    // THEN
    expect(() => app.synth()).toThrow(/`principalTags`: users of .* can write `custom:tenant` about themselves.*Stack\/Users\/Resource\/Other/);
  });

  test('paired: the same client on the immutable attribute of an invite-only directory (set only when administrators create users)', () => {
    const { app, users } = tenantDirectory(false);
    users.userPool.addClient('Other');
    expect(() => app.synth()).not.toThrow();
  });

  test.each([
    ['a raw Ref', (poolId: string) => ({ Ref: poolId })],
    ['Fn::GetAtt UserPoolId', (poolId: string) => ({ 'Fn::GetAtt': [poolId, 'UserPoolId'] })],
  ])('fails: a client whose UserPoolId is overridden to %s of the pool', (_name, ref) => {
    const { app, stack, poolId } = tenantDirectory(true);
    const client = new cognito.CfnUserPoolClient(stack, 'C', { userPoolId: 'placeholder', writeAttributes: ['email', 'custom:tenant'] });
    client.addPropertyOverride('UserPoolId', ref(poolId));
    expect(() => app.synth()).toThrow(/`principalTags`: users of .* can write `custom:tenant` about themselves.*Stack\/C \(its `WriteAttributes` list `custom:tenant`/);
  });

  test('fails: a client in another stack whose UserPoolId is overridden to an import of an export of the pool', () => {
    const { app, stack, users } = tenantDirectory(true);
    stack.exportValue(users.userPoolId, { name: 'PoolId' });
    const other = new Stack(app, 'Other', { env: ENV });
    const client = new cognito.CfnUserPoolClient(other, 'C', { userPoolId: 'placeholder', writeAttributes: ['custom:tenant'] });
    client.addPropertyOverride('UserPoolId', { 'Fn::ImportValue': 'PoolId' });
    expect(() => app.synth()).toThrow(/Other\/C \(its `WriteAttributes` list `custom:tenant`/);
  });

  test('paired: a client overridden to another pool, or one that does not write custom:tenant', () => {
    const { app, stack, poolId } = tenantDirectory(true);
    const other = new cognito.UserPool(stack, 'OtherPool');
    const a = new cognito.CfnUserPoolClient(stack, 'A', { userPoolId: 'placeholder', writeAttributes: ['custom:tenant'] });
    a.addPropertyOverride('UserPoolId', { Ref: stack.getLogicalId(other.node.defaultChild as cognito.CfnUserPool) });
    const b = new cognito.CfnUserPoolClient(stack, 'B', { userPoolId: 'placeholder', writeAttributes: ['email'] });
    b.addPropertyOverride('UserPoolId', { Ref: poolId });
    expect(() => app.synth()).not.toThrow();
  });
});
