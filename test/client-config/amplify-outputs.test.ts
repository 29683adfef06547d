import { amplifyOutputs, amplifyPath, audienceKey, AuthFacts, authSection, misreadGroups, storagePaths, writeWithoutGet } from '../../src/client-config/private/amplify-outputs';

/*
 * The pure translator, with plain data. The expected paths are what Amplify Gen 2's own storage
 * generator writes for the equivalent `defineStorage` rules (see README "From Amplify storage
 * rules"): `{entity_id}` rendered as `${cognito-identity.amazonaws.com:sub}` for the entity,
 * `read` written as get + list. Amplify renders `{entity_id}` as `*` for every other audience, a
 * location covering every key below the parent, which the policies deny (only identity folders):
 * those rules are left out (amplify-storage.test.ts drives aws-amplify against the policies).
 */

const SUB = '${cognito-identity.amazonaws.com:sub}';

const AUTH: AuthFacts = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_abc',
  userPoolClientId: 'client',
  groups: [],
};

describe('storage paths', () => {
  test('the notes app rules become the paths Amplify writes for the same defineStorage rules', () => {
    // GIVEN the rows ScopedBucketAccess.describe() returns for the notes app
    const rules = [
      { path: 'public/*', audience: 'guest', access: 'READ' },
      { path: 'public/*', audience: 'authenticated', access: 'READ, WRITE, DELETE' },
      { path: 'protected/{identity}/*', audience: 'owner', access: 'READ, WRITE, DELETE' },
      { path: 'protected/{identity}/*', audience: 'authenticated', access: 'READ' },
      { path: 'private/{identity}/*', audience: 'owner', access: 'READ, WRITE, DELETE' },
      { path: 'private/{identity}/*', audience: 'group:admins', access: 'READ' },
      { path: 'tenants/{tag:tenant}/*', audience: 'authenticated', access: 'READ, WRITE' },
    ];
    // WHEN
    const { paths, leftOut } = storagePaths(rules);
    // THEN
    expect(paths).toEqual({
      'public/*': { guest: ['get', 'list'], authenticated: ['get', 'list', 'write', 'delete'] },
      [`protected/${SUB}/*`]: { entityidentity: ['get', 'list', 'write', 'delete'] },
      [`private/${SUB}/*`]: { entityidentity: ['get', 'list', 'write', 'delete'] },
    });
    // `protected/*` (authenticated) and `private/*` (admins) would let Amplify list `protected/`
    // and `private/` and act on keys beside the identity folders: the policies deny both
    expect(leftOut).toEqual([
      { rule: rules[3], reason: expect.stringContaining("list({ path: 'protected/<identityId>/' })") },
      { rule: rules[5], reason: expect.stringContaining('`private/*`') },
      { rule: rules[6], reason: expect.stringContaining('principal tags') },
    ]);
  });

  test('access levels map to get, list, write and delete, merged per path and audience', () => {
    const { paths } = storagePaths([
      { path: 'docs/*', audience: 'authenticated', access: 'GET' },
      { path: 'docs/*', audience: 'authenticated', access: 'LIST, DELETE' },
      { path: 'drop/*', audience: 'guest', access: 'WRITE' },
    ]);
    expect(paths).toEqual({
      'docs/*': { authenticated: ['get', 'list', 'delete'] },
      'drop/*': { guest: ['write'] },
    });
  });

  test('a deeper {identity} path keeps its literal prefix', () => {
    const { paths, leftOut } = storagePaths([
      { path: 'apps/notes/users/{identity}/*', audience: 'owner', access: 'READ' },
      { path: 'apps/notes/users/{identity}/*', audience: 'group:support team', access: 'GET' },
    ]);
    expect(paths).toEqual({
      [`apps/notes/users/${SUB}/*`]: { entityidentity: ['get', 'list'] },
    });
    expect(leftOut.map(l => l.reason)).toEqual([expect.stringContaining("list({ path: 'apps/notes/users/<identityId>/' })")]);
  });

  test.each(['guest', 'authenticated', 'group:admins'])('leaves out a {identity} rule for %s, whatever its access', (audience) => {
    // GIVEN any identity's folder, for an audience that is not the owner
    const rule = { path: 'shared/{identity}/*', audience, access: 'GET, LIST, WRITE, DELETE' };
    // WHEN
    const { paths, leftOut } = storagePaths([rule]);
    // THEN `shared/*` is not written: it would mean `shared/` itself and the keys beside the folders
    expect(paths).toEqual({});
    expect(leftOut).toEqual([{ rule, reason: expect.stringMatching(/`shared\/\*`.*which the policies deny/) }]);
  });

  test.each([
    ['tenants/{tag:tenant}/*', 'principal tags'],
    ['users/{identity}/photos/*', 'last segment'],
    ['{identity}/*', 'first segment'],
    ['a/{identity}/b/{identity}/*', 'once'],
  ])('leaves out %s (%s)', (path, reason) => {
    const { paths, leftOut } = storagePaths([{ path, audience: 'owner', access: 'READ' }]);
    expect(paths).toEqual({});
    expect(leftOut[0].reason).toContain(reason);
    expect(amplifyPath(path)).toEqual({ reason: expect.stringContaining(reason) });
  });

  test('leaves out audiences Amplify has no key for', () => {
    const { paths, leftOut } = storagePaths([{ path: 'uploads/*', audience: 'principal:Thumbnails', access: 'READ' }]);
    expect(paths).toEqual({});
    expect(leftOut[0].reason).toContain('principal:Thumbnails');
  });

  test('finds WRITE without GET for the same audience on the same path', () => {
    // GIVEN
    const rules = [
      { path: 'inbox/*', audience: 'authenticated', access: 'WRITE' },
      { path: 'drop/*', audience: 'guest', access: 'WRITE' },
      { path: 'drop/*', audience: 'authenticated', access: 'READ' }, // no GET for guests
      { path: 'docs/*', audience: 'authenticated', access: 'GET, WRITE' },
      { path: 'team/*', audience: 'group:admins', access: 'WRITE' },
      { path: 'team/*', audience: 'authenticated', access: 'GET' }, // group members are authenticated
      { path: 'mine/{identity}/*', audience: 'owner', access: 'WRITE' },
      { path: 'mine/{identity}/*', audience: 'authenticated', access: 'READ' }, // any folder, so the owner's too
      { path: 'outer/*', audience: 'authenticated', access: 'READ' },
      { path: 'outer/inner/*', audience: 'authenticated', access: 'WRITE' }, // the inner path decides
    ];
    // WHEN
    const found = writeWithoutGet(rules);
    // THEN
    expect(found.map(r => `${r.path} ${r.audience}`)).toEqual(['inbox/* authenticated', 'drop/* guest', 'outer/inner/* authenticated']);
  });

  test('finds groups whose name is part of another audience key with more access (aws-amplify matches by substring)', () => {
    // GIVEN
    const paths = {
      'reports/*': { groupsadmins: ['get' as const, 'list' as const] },
      'public/*': { guest: ['get' as const, 'list' as const], authenticated: ['get' as const, 'list' as const] },
      'drop/*': { guest: ['write' as const] },
      [`mine/${SUB}/*`]: { entityidentity: ['get' as const] },
      'team/*': { authenticated: ['get' as const], groupsadmin: ['write' as const] },
    };
    // WHEN
    const found = misreadGroups(paths, ['admin', 'admins', 'guest', 'identity', 'auth', 'editors']);
    // THEN `admin` reads `groupsadmins`, `guest` reads the guests' write on drop/* (not on public/*:
    // signed-in users may read it too), `identity` reads the owner's entry; `auth` only `authenticated`
    expect(found).toEqual([
      { path: 'reports/*', group: 'admin', key: 'groupsadmins' },
      { path: 'drop/*', group: 'guest', key: 'guest' },
      { path: `mine/${SUB}/*`, group: 'identity', key: 'entityidentity' },
    ]);
  });

  test('audience keys', () => {
    expect(audienceKey('guest')).toBe('guest');
    expect(audienceKey('authenticated')).toBe('authenticated');
    expect(audienceKey('owner')).toBe('entityidentity');
    expect(audienceKey('group:admins')).toBe('groupsadmins');
    expect(audienceKey('group:')).toBeUndefined();
    expect(audienceKey('principal:x')).toBeUndefined();
  });
});

describe('auth section', () => {
  test('maps Cognito settings to the Amplify names', () => {
    // GIVEN
    const facts: AuthFacts = {
      ...AUTH,
      identityPoolId: 'eu-west-1:pool',
      guestAccess: false,
      passwordPolicy: { min_length: 12, require_numbers: true, require_lowercase: true, require_uppercase: true, require_symbols: false },
      mfaConfiguration: 'OPTIONAL',
      enabledMfas: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'],
      usernameAttributes: ['email', 'phone_number'],
      requiredAttributes: ['email', 'tenant'],
      autoVerifiedAttributes: ['email', 'phone_number'],
      groups: [{ name: 'admins', precedence: 0 }, { name: 'readers' }],
      oauth: {
        domain: 'login.example.com',
        providerNames: ['Google', 'SignInWithApple', 'LoginWithAmazon', 'Facebook', 'Corp'],
        scopes: ['openid', 'email'],
        callbackUrls: ['https://app.example.com/'],
        logoutUrls: [],
        flows: ['code'],
      },
    };
    // WHEN
    const auth = authSection(facts);
    // THEN
    expect(auth).toEqual({
      aws_region: 'eu-west-1',
      user_pool_id: 'eu-west-1_abc',
      user_pool_client_id: 'client',
      identity_pool_id: 'eu-west-1:pool',
      password_policy: facts.passwordPolicy,
      oauth: {
        identity_providers: ['GOOGLE', 'SIGN_IN_WITH_APPLE', 'LOGIN_WITH_AMAZON', 'FACEBOOK'],
        domain: 'login.example.com',
        scopes: ['openid', 'email'],
        redirect_sign_in_uri: ['https://app.example.com/'],
        redirect_sign_out_uri: ['https://app.example.com/'],
        response_type: 'code',
      },
      standard_required_attributes: ['email'],
      username_attributes: ['email', 'phone_number'],
      user_verification_types: ['email', 'phone_number'],
      unauthenticated_identities_enabled: false,
      mfa_configuration: 'OPTIONAL',
      mfa_methods: ['SMS', 'TOTP', 'EMAIL'],
      groups: [{ admins: { precedence: 0 } }, { readers: {} }],
    });
  });

  test('MFA off writes NONE without methods; user name sign-in writes username and its aliases', () => {
    const auth = authSection({ ...AUTH, mfaConfiguration: 'OFF', enabledMfas: [], usernameAttributes: [], aliasAttributes: ['email', 'preferred_username'] });
    expect(auth.mfa_configuration).toBe('NONE');
    expect(auth.mfa_methods).toBeUndefined();
    expect(auth.username_attributes).toEqual(['username', 'email']);
  });

  test('settings that are not known are left out (an imported user pool)', () => {
    expect(authSection(AUTH)).toEqual({ aws_region: 'eu-west-1', user_pool_id: 'eu-west-1_abc', user_pool_client_id: 'client' });
  });

  test('choice-based sign-in factors become passwordless settings', () => {
    const auth = authSection({
      ...AUTH,
      signInFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'],
      passkeyRelyingPartyId: 'auth.example.com',
      passkeyUserVerification: 'required',
    });
    expect(auth.passwordless).toEqual({
      email_otp_enabled: true,
      sms_otp_enabled: true,
      web_authn: { relying_party_id: 'auth.example.com', user_verification: 'required' },
    });
    expect(authSection({ ...AUTH, signInFactors: ['PASSWORD'] }).passwordless).toBeUndefined();
  });
});

describe('the whole file', () => {
  test('the first bucket is the default one; a bucket without translatable rules has no paths', () => {
    const { outputs, leftOut } = amplifyOutputs(AUTH, [
      { name: 'Uploads', bucketName: 'uploads-bucket', region: 'eu-west-1', rules: [{ path: 'public/*', audience: 'guest', access: 'READ' }] },
      { name: 'Tenants', bucketName: 'tenant-bucket', region: 'eu-central-1', rules: [{ path: 't/{tag:tenant}/*', audience: 'authenticated', access: 'READ' }] },
    ]);
    expect(outputs.version).toBe('1.5');
    expect(outputs.storage).toEqual({
      aws_region: 'eu-west-1',
      bucket_name: 'uploads-bucket',
      buckets: [
        { name: 'Uploads', bucket_name: 'uploads-bucket', aws_region: 'eu-west-1', paths: { 'public/*': { guest: ['get', 'list'] } } },
        { name: 'Tenants', bucket_name: 'tenant-bucket', aws_region: 'eu-central-1' },
      ],
    });
    expect(leftOut).toEqual([{ bucket: 'Tenants', rule: expect.objectContaining({ path: 't/{tag:tenant}/*' }), reason: expect.any(String) }]);
  });

  test('lists the written rules that write without GET', () => {
    // GIVEN
    const { writeOnly } = amplifyOutputs(AUTH, [{
      name: 'Uploads',
      bucketName: 'uploads-bucket',
      region: 'eu-west-1',
      rules: [
        { path: 'inbox/*', audience: 'authenticated', access: 'WRITE' },
        { path: 't/{tag:tenant}/*', audience: 'authenticated', access: 'WRITE' }, // not written
        { path: 'mine/{identity}/*', audience: 'owner', access: 'WRITE' },
        { path: 'mine/{identity}/*', audience: 'authenticated', access: 'READ' }, // not written, but it grants GET
      ],
    }]);
    // THEN
    expect(writeOnly).toEqual([{ bucket: 'Uploads', rule: { path: 'inbox/*', audience: 'authenticated', access: 'WRITE' } }]);
  });

  test('no buckets, no storage section', () => {
    expect(amplifyOutputs(AUTH, []).outputs.storage).toBeUndefined();
  });
});
