import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { deployedConfig, fakeValues, outputParts, REGION, resolvedParts } from './outputs';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { ClientConfig } from '../../src/client-config';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { DirectoryProvider, UserDirectory } from '../../src/user-directory';
import { resolveIntrinsics } from '../security/harness';

const SUB = '${cognito-identity.amazonaws.com:sub}';

function setup(options: { guestAccess?: boolean; domainPrefix?: string } = {}) {
  const app = new App();
  const stack = new Stack(app, 'App');
  const users = new UserDirectory(stack, 'Users', { selfSignUp: true, domainPrefix: options.domainPrefix });
  users.addGroup('admins', { precedence: 0 });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  const pool = new FederatedIdentityPool(stack, 'Ids', {
    sources: [IdentitySource.userDirectory(users, web)],
    guestAccess: options.guestAccess ?? true,
  });
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
  return { app, stack, users, web, pool, files };
}

describe('ClientConfig', () => {
  test('writes the configuration as the stack Output AmplifyOutputs, with deploy-time values as references', () => {
    // GIVEN
    const { stack, users, web, pool, files } = setup({ domainPrefix: 'my-app-login' });
    files.allow('public/*', Audience.guest(), Access.READ);
    files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    // WHEN
    const config = new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
    // THEN
    const template = Template.fromStack(stack);
    expect(config.outputName).toBe('AmplifyOutputs');
    template.hasOutput('AmplifyOutputs', {
      Description: Match.stringLikeRegexp('amplify_outputs.json'),
      Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^Users[0-9A-F]{8}$') }, { Ref: Match.stringLikeRegexp('^UsersWeb') }, { Ref: Match.stringLikeRegexp('^Ids') }, { Ref: Match.stringLikeRegexp('^FilesBucket') }])] },
    });
    expect(Object.keys(template.toJSON().Outputs)).toEqual(['AmplifyOutputs']);

    const values = fakeValues(template.toJSON());
    const userPoolId = Object.keys(values).find(k => /^Users[0-9A-F]{8}$/.test(k))!;
    const deployed = deployedConfig(template.toJSON());
    expect(deployed).toEqual({
      version: '1.5',
      auth: {
        aws_region: REGION,
        user_pool_id: values[userPoolId],
        user_pool_client_id: expect.stringMatching(/abcdefghijklmnop$/),
        identity_pool_id: expect.stringMatching(new RegExp(`^${REGION}:`)),
        password_policy: { min_length: 12, require_numbers: true, require_lowercase: true, require_uppercase: true, require_symbols: true },
        oauth: {
          identity_providers: [],
          domain: expect.stringMatching(new RegExp(`^app-login-[0-9a-f]{9}\\.auth\\.${REGION}\\.amazoncognito\\.com$`)),
          scopes: ['openid', 'email', 'profile'],
          redirect_sign_in_uri: ['https://app.example.com/'],
          redirect_sign_out_uri: ['https://app.example.com/'],
          response_type: 'code',
        },
        standard_required_attributes: ['email'],
        username_attributes: ['email'],
        user_verification_types: ['email'],
        unauthenticated_identities_enabled: true,
        mfa_configuration: 'REQUIRED',
        mfa_methods: ['TOTP'],
        groups: [{ admins: { precedence: 0 } }],
      },
      storage: {
        aws_region: REGION,
        bucket_name: expect.stringMatching(/^app-bucket-/),
        buckets: [{
          name: 'Files',
          bucket_name: expect.stringMatching(/^app-bucket-/),
          aws_region: REGION,
          paths: {
            'public/*': { guest: ['get', 'list'] },
            [`private/${SUB}/*`]: { entityidentity: ['get', 'list', 'write', 'delete'] },
          },
        }],
      },
    });
  });

  test('reads rules, groups and providers added after it', () => {
    // GIVEN
    const { stack, users, web, pool, files } = setup({ domainPrefix: 'my-app-login' });
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
    // WHEN
    users.addGroup('editors', { precedence: 5 });
    files.allow('shared/*', Audience.group('editors'), Access.WRITE);
    users.addIdentityProvider(DirectoryProvider.google({ clientId: 'id', clientSecret: SecretValue.secretsManager('google') }));
    // THEN
    const deployed = deployedConfig(Template.fromStack(stack).toJSON());
    expect(deployed.storage.buckets[0].paths).toEqual({ 'shared/*': { groupseditors: ['write'] } });
    expect(deployed.auth.groups).toEqual([{ admins: { precedence: 0 } }, { editors: { precedence: 5 } }]);
    expect(deployed.auth.oauth.identity_providers).toEqual(['GOOGLE']);
  });

  test('without identity pool and storage: user pool sign-in only', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'App');
    const users = new UserDirectory(stack, 'Users', { signInAliases: { username: true, email: true } });
    const web = users.addWebClient('Web');
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web });
    // THEN
    const deployed = deployedConfig(Template.fromStack(stack).toJSON());
    expect(deployed.storage).toBeUndefined();
    expect(deployed.auth.identity_pool_id).toBeUndefined();
    expect(deployed.auth.unauthenticated_identities_enabled).toBeUndefined();
    expect(deployed.auth.oauth).toBeUndefined(); // no callback URLs: no managed login
    expect(deployed.auth.username_attributes).toEqual(['username', 'email']);
  });

  test('an imported user pool gives its ids only', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'App', { env: { region: 'eu-central-1' } });
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-central-1_abcdefghi');
    const client = cognito.UserPoolClient.fromUserPoolClientId(stack, 'Client', 'imported-client-id');
    const users = UserDirectory.fromUserPool(stack, 'Users', pool, { webClients: [client], groupNames: ['staff'] });
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client });
    // THEN
    expect(JSON.parse(Template.fromStack(stack).toJSON().Outputs.AmplifyOutputs.Value)).toEqual({
      version: '1.5',
      auth: { aws_region: 'eu-central-1', user_pool_id: 'eu-central-1_abcdefghi', user_pool_client_id: 'imported-client-id', groups: [{ staff: {} }] },
    });
  });

  test('sign-in factors set on the user pool become passwordless settings', () => {
    // GIVEN a directory whose pool allows email codes and passkeys (as choice-based sign-in sets them)
    const { stack, users, web, pool } = setup({ domainPrefix: 'my-app-login' });
    const cfn = users.userPool.node.defaultChild as cognito.CfnUserPool;
    cfn.policies = { ...stack.resolve(cfn.policies), signInPolicy: { allowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] } };
    cfn.webAuthnRelyingPartyId = 'auth.example.com';
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool });
    // THEN
    expect(deployedConfig(Template.fromStack(stack).toJSON()).auth.passwordless).toEqual({
      email_otp_enabled: true,
      web_authn: { relying_party_id: 'auth.example.com', user_verification: 'preferred' },
    });
  });

  test('rules of several constructs on one bucket form one entry; other buckets follow the default one', () => {
    // GIVEN
    const { stack, users, web, pool, files } = setup();
    const more = new ScopedBucketAccess(stack, 'More', { identityPool: pool, bucket: files.bucket });
    const other = new ScopedBucketAccess(stack, 'Reports', { identityPool: pool });
    files.allow('public/*', Audience.guest(), Access.READ);
    more.allow('drop/*', Audience.authenticated(), Access.WRITE);
    other.allow('reports/*', Audience.group('admins'), Access.READ);
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files, more, other] });
    // THEN
    const { storage } = deployedConfig(Template.fromStack(stack).toJSON());
    expect(storage.buckets.map((b: any) => [b.name, Object.keys(b.paths)])).toEqual([
      ['Files', ['public/*', 'drop/*']],
      ['Reports', ['reports/*']],
    ]);
    expect(storage.bucket_name).toBe(storage.buckets[0].bucket_name);
  });

  test('a rule without Amplify equivalent is left out, with an info message', () => {
    // GIVEN
    const { stack, users, web, files } = setup();
    const pool = new FederatedIdentityPool(stack, 'Tagged', {
      sources: [IdentitySource.userDirectory(users, web)],
      principalTags: { tenant: 'custom:tenant' },
    });
    users.addCustomAttribute('tenant', { mutable: false });
    const tenants = new ScopedBucketAccess(stack, 'Tenants', { identityPool: pool });
    tenants.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ);
    void files;
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [tenants] });
    // THEN
    expect(deployedConfig(Template.fromStack(stack).toJSON()).storage.buckets[0].paths).toBeUndefined();
    Annotations.fromStack(stack).hasInfo('/App/ClientConfig', Match.stringLikeRegexp('tenants/\\{tag:tenant\\}/\\*.*principal tags'));
  });

  test('warns when a written rule gives WRITE without GET (large uploads need a checksum or GET)', () => {
    // GIVEN a drop box
    const { stack, users, web, pool, files } = setup();
    files.allow('inbox/*', Audience.authenticated(), Access.WRITE);
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
    // THEN the path stays in the configuration, and the warning names the path and the audience
    expect(deployedConfig(Template.fromStack(stack).toJSON()).storage.buckets[0].paths).toEqual({ 'inbox/*': { authenticated: ['write'] } });
    Annotations.fromStack(stack).hasWarning('/App/ClientConfig',
      Match.stringLikeRegexp("`inbox/\\*` gives authenticated WRITE without GET on bucket Files: .*HEAD request.*checksumAlgorithm: 'crc-32'.*`Access.GET`"));
  });

  test('no WRITE-without-GET warning when the audience can read back what it writes', () => {
    // GIVEN
    const { stack, users, web, pool, files } = setup();
    files.allow('inbox/*', Audience.authenticated(), Access.WRITE, Access.GET);
    files.allow('protected/{identity}/*', Audience.owner(), Access.WRITE);
    files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
    // THEN
    Annotations.fromStack(stack).hasNoWarning('/App/ClientConfig', Match.stringLikeRegexp('WRITE without GET'));
  });

  test('a {identity} rule for an audience other than the owner is left out, with an info message saying how to reach the folders', () => {
    // GIVEN
    const { stack, users, web, pool, files } = setup();
    files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
    // THEN only the owner's location
    expect(deployedConfig(Template.fromStack(stack).toJSON()).storage.buckets[0].paths).toEqual({
      [`private/${SUB}/*`]: { entityidentity: ['get', 'list', 'write', 'delete'] },
    });
    Annotations.fromStack(stack).hasInfo('/App/ClientConfig',
      Match.stringLikeRegexp("`private/\\{identity\\}/\\*` for group:admins .*list\\(\\{ path: 'private/<identityId>/' \\}\\)"));
  });

  test('warns when aws-amplify would give a group another group\'s locations (its name is part of the other key)', () => {
    // GIVEN groups `admins` and `admin`
    const { stack, users, web, pool, files } = setup();
    users.addGroup('admin', { precedence: 1 });
    pool.roleForGroup('admin');
    files.allow('reports/*', Audience.group('admins'), Access.READ);
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
    // THEN
    Annotations.fromStack(stack).hasWarning('/App/ClientConfig',
      Match.stringLikeRegexp('members of the group `admin` the `groupsadmins` entry of `reports/\\*` on bucket Files.*Rename the group'));
  });

  test('no group warning when no group name is part of another key', () => {
    // GIVEN
    const { stack, users, web, pool, files } = setup();
    users.addGroup('editors', { precedence: 1 });
    pool.roleForGroup('editors');
    files.allow('reports/*', Audience.group('admins'), Access.READ);
    files.allow('drafts/*', Audience.group('editors'), Access.READ, Access.WRITE);
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
    // THEN
    Annotations.fromStack(stack).hasNoWarning('/App/ClientConfig', Match.stringLikeRegexp('Rename the group'));
  });

  test('warns when the client has callback URLs but the directory no domain', () => {
    const { stack, users, web, pool } = setup();
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool });
    Annotations.fromStack(stack).hasWarning('/App/ClientConfig', Match.stringLikeRegexp('no managed login domain'));
  });

  test('a long configuration is split into numbered Outputs that fit at their longest deployed length', () => {
    // GIVEN 150 folders
    const { stack, users, web, pool, files } = setup({ domainPrefix: 'my-app-login' });
    for (let i = 0; i < 150; i++) {
      files.allow(`teams/team-${i}/*`, Audience.authenticated(), Access.READ, Access.WRITE);
    }
    // WHEN
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files], outputName: 'WebConfig' });
    // THEN
    const template = Template.fromStack(stack).toJSON();
    const names = Object.keys(template.Outputs);
    expect(names.length).toBeGreaterThan(2);
    expect(names).toEqual(['WebConfig', ...names.slice(1).map((_, i) => `WebConfig${i + 2}`)]);
    expect(template.Outputs.WebConfig2.Description).toContain(`part 2 of ${names.length}`);
    // every part fits even when every deploy-time value is as long as it can be
    const longest = resolvedParts(template, 'WebConfig', true);
    expect(Math.max(...longest.map(p => p.length))).toBeLessThanOrEqual(4096);
    expect(JSON.parse(longest.join('')).storage.buckets[0].paths['teams/team-149/*']).toEqual({ authenticated: ['get', 'list', 'write'] });
    // and joining the parts gives the configuration back
    const deployed = deployedConfig(template, 'WebConfig');
    expect(Object.keys(deployed.storage.buckets[0].paths)).toHaveLength(150);
    expect(deployed.auth.groups).toEqual([{ admins: { precedence: 0 } }]);
  });

  test('works across stacks: the app stack imports the auth stack\'s ids', () => {
    // GIVEN the directory, pool and bucket in a shared stack, the configuration in the app's stack
    const app = new App();
    const shared = new Stack(app, 'Shared');
    const users = new UserDirectory(shared, 'Users');
    const web = users.addWebClient('Web');
    const pool = new FederatedIdentityPool(shared, 'Ids', { sources: [IdentitySource.userDirectory(users, web)] });
    const files = new ScopedBucketAccess(shared, 'Files', { identityPool: pool });
    files.allow('private/{identity}/*', Audience.owner(), Access.READ);
    const appStack = new Stack(app, 'AppStack');
    // WHEN
    new ClientConfig(appStack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
    // THEN the values come through CloudFormation exports, and the shared stack does not depend on the app
    const value = JSON.stringify(Template.fromStack(appStack).toJSON().Outputs.AmplifyOutputs.Value);
    expect(value.match(/Fn::ImportValue/g)).toHaveLength(5); // user pool, client, identity pool, bucket name twice
    expect(value).not.toMatch(/"Ref":"(?!AWS::Region)/); // only the region, which is the same in both stacks
    expect(appStack.dependencies).toEqual([shared]);
    expect(shared.dependencies).toEqual([]);
  });

  test('resolves to the same file as the pure translator would write', () => {
    // GIVEN
    const { stack, users, web, pool, files } = setup();
    files.allow('public/*', Audience.authenticated(), Access.READ);
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
    // WHEN
    const template = Template.fromStack(stack).toJSON();
    const parts = outputParts(template);
    // THEN one part, a Fn::Join that resolves to JSON
    expect(parts).toHaveLength(1);
    expect(() => JSON.parse(resolveIntrinsics(parts[0], fakeValues(template)))).not.toThrow();
  });
});

describe('ClientConfig input', () => {
  test('fails for a client of another directory', () => {
    const { stack, web, pool } = setup();
    const other = new UserDirectory(stack, 'Other');
    expect(() => new ClientConfig(stack, 'ClientConfig', { directory: other, client: web, identityPool: pool }))
      .toThrow(/`client`: the client is not one of the app clients of the directory App\/Other \(received "App\/Users\/Resource\/Web"\)/);
  });

  test('fails for bucket access on another identity pool', () => {
    const { stack, users, web, pool } = setup();
    const otherPool = new FederatedIdentityPool(stack, 'OtherIds', { sources: [IdentitySource.userDirectory(users, web)] });
    const files = new ScopedBucketAccess(stack, 'OtherFiles', { identityPool: otherPool });
    expect(() => new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] }))
      .toThrow(/`storage`: the bucket access grants to the identity pool App\/OtherIds, not to App\/Ids/);
  });

  test('fails for storage without an identity pool', () => {
    const { stack, users, web, files } = setup();
    expect(() => new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, storage: [files] }))
      .toThrow(/`storage`: .*no `identityPool` was given/);
  });

  test('fails for two buckets of the same name', () => {
    const { stack, users, web, pool, files } = setup();
    const scope = new Stack(stack.node.scope as App, 'Other');
    const again = new ScopedBucketAccess(scope, 'Files', { identityPool: pool, bucket: s3.Bucket.fromBucketName(scope, 'B', 'other-bucket') });
    expect(() => new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files, again] }))
      .toThrow(/`storage`: two buckets would have the same name .*received "Files"/);
  });

  test.each(['', '1Config', 'amplify-outputs', 'x'.repeat(252)])('fails for the output name %j', (outputName) => {
    const { stack, users, web } = setup();
    expect(() => new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, outputName }))
      .toThrow(/`outputName`: an Output name is 1-251 letters and digits/);
  });

  test('fails for two configurations writing the same Output in one stack', () => {
    const { app, stack, users, web } = setup();
    new ClientConfig(stack, 'One', { directory: users, client: web });
    new ClientConfig(stack, 'Two', { directory: users, client: web });
    expect(() => app.synth()).toThrow(/`outputName`: App\/(One|Two) writes the same stack Output \(received "AmplifyOutputs"\)/);
  });

  test('two configurations in one stack with their own output names', () => {
    const { stack, users, web } = setup();
    const admin = users.addWebClient('Admin');
    new ClientConfig(stack, 'One', { directory: users, client: web });
    new ClientConfig(stack, 'Two', { directory: users, client: admin, outputName: 'AdminConfig' });
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs)).toEqual(['AmplifyOutputs', 'AdminConfig']);
  });

  test('fails when the identity pool does not federate the client', () => {
    const { app, stack, users, pool } = setup();
    const admin = users.addWebClient('Admin');
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: admin, identityPool: pool });
    expect(() => app.synth()).toThrow(/`client`: the identity pool App\/Ids does not federate this client/);
  });

  test('a client federated later is accepted', () => {
    const { stack, users, web } = setup();
    const pool = new FederatedIdentityPool(stack, 'Later', { sources: [], guestAccess: true });
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool });
    pool.addSource(IdentitySource.userDirectory(users, web));
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('an imported identity pool is not checked for its sources', () => {
    const { stack, users, web } = setup();
    const pool = FederatedIdentityPool.fromIdentityPoolId(stack, 'Imported', 'eu-west-1:0000', {
      authenticatedRole: iam.Role.fromRoleName(stack, 'Auth', 'auth-role'),
    });
    new ClientConfig(stack, 'ClientConfig', { directory: users, client: web, identityPool: pool });
    expect(JSON.stringify(Template.fromStack(stack).toJSON().Outputs)).toContain('eu-west-1:0000');
  });
});
