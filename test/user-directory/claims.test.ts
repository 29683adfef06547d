import { App, CfnParameter, Fn, Lazy, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ValidationError } from '../../src/private/errors';
import { DirectoryProvider, FederatedSignUp, UserDirectory } from '../../src/user-directory';

/*
 * Who can choose a claim of a user directory, from an independent model of Cognito (AWS docs),
 * never from the library's code:
 *
 * - `sub`: assigned by Cognito, never chosen. `cognito:groups`: group membership, administrators only.
 * - `cognito:username`: with email or phone number as the user name (`UsernameAttributes`), Cognito
 *   generates it (AdminCreateUser: "If your user pool only supports phone numbers or email addresses
 *   as sign-in attributes, Amazon Cognito automatically generates a username value"); with user
 *   names, whoever creates the user picks it: the user at SignUp when self sign-up is on, else an
 *   administrator. Federated users get `<provider>_<id>`.
 * - An attribute: SignUp sets any attribute the client may write (self sign-up on);
 *   UpdateUserAttributes changes a mutable one the client may write; an identity provider's
 *   attribute mapping fills it at federated sign-in (the provider's users choose it, at a social
 *   provider in their own profile) unless the stack trusts that enterprise provider for it.
 *   The library's web clients write every standard attribute and custom attributes marked
 *   `userWritable` (README, UserDirectory).
 * - `identities`: filled by Cognito with the user id each identity provider asserts.
 *
 * A claim may decide access only when nobody but administrators (and trusted providers) set it.
 */

type SetBy = 'user at sign-up' | 'user via client' | 'IdP mapping';

interface Setup {
  readonly selfSignUp: boolean;
  /** `email`: email as the user name; `username`: users have user names. */
  readonly signIn: 'email' | 'username';
  readonly tenant?: { readonly mutable: boolean; readonly userWritable: boolean };
  readonly providers?: ReadonlyArray<{ readonly kind: 'google' | 'saml' | 'oidc'; readonly mapsTenant?: boolean; readonly trustsTenant?: boolean }>;
}

interface Row {
  readonly name: string;
  readonly setup: Setup;
  readonly claim: string;
  /** How a user can set the claim, stated by hand from the model above; empty: it may decide access. */
  readonly setBy: SetBy[];
}

const IMMUTABLE_WRITABLE = { mutable: false, userWritable: true };
const ROWS: Row[] = [
  { name: 'user names, self sign-up', setup: { selfSignUp: true, signIn: 'username' }, claim: 'cognito:username', setBy: ['user at sign-up'] },
  { name: 'user names, invite-only', setup: { selfSignUp: false, signIn: 'username' }, claim: 'cognito:username', setBy: [] },
  { name: 'email as user name, self sign-up (user name is a UUID)', setup: { selfSignUp: true, signIn: 'email' }, claim: 'cognito:username', setBy: [] },
  { name: 'preferred_username', setup: { selfSignUp: true, signIn: 'email' }, claim: 'preferred_username', setBy: ['user via client', 'user at sign-up'] },
  { name: 'email, invite-only', setup: { selfSignUp: false, signIn: 'email' }, claim: 'email', setBy: ['user via client'] },
  { name: 'email from Google\'s default mapping', setup: { selfSignUp: false, signIn: 'email', providers: [{ kind: 'google' }] }, claim: 'email', setBy: ['user via client', 'IdP mapping'] },
  { name: 'admin-only custom attribute, self sign-up', setup: { selfSignUp: true, signIn: 'email', tenant: { mutable: true, userWritable: false } }, claim: 'custom:tenant', setBy: [] },
  { name: 'immutable client-writable attribute, self sign-up', setup: { selfSignUp: true, signIn: 'email', tenant: IMMUTABLE_WRITABLE }, claim: 'custom:tenant', setBy: ['user at sign-up'] },
  { name: 'immutable client-writable attribute, invite-only', setup: { selfSignUp: false, signIn: 'email', tenant: IMMUTABLE_WRITABLE }, claim: 'custom:tenant', setBy: [] },
  {
    name: 'immutable attribute an untrusted SAML provider maps, invite-only',
    setup: { selfSignUp: false, signIn: 'email', tenant: IMMUTABLE_WRITABLE, providers: [{ kind: 'saml', mapsTenant: true }] },
    claim: 'custom:tenant',
    setBy: ['IdP mapping'],
  },
  {
    name: 'immutable attribute a trusted SAML provider maps, invite-only',
    setup: { selfSignUp: false, signIn: 'email', tenant: IMMUTABLE_WRITABLE, providers: [{ kind: 'saml', mapsTenant: true, trustsTenant: true }] },
    claim: 'custom:tenant',
    setBy: [],
  },
  {
    name: 'immutable attribute a trusted OIDC provider maps, and Google maps too',
    setup: { selfSignUp: false, signIn: 'email', tenant: IMMUTABLE_WRITABLE, providers: [{ kind: 'oidc', mapsTenant: true, trustsTenant: true }, { kind: 'google', mapsTenant: true }] },
    claim: 'custom:tenant',
    setBy: ['IdP mapping'],
  },
  { name: 'identities with a SAML provider', setup: { selfSignUp: false, signIn: 'email', providers: [{ kind: 'saml' }] }, claim: 'identities', setBy: ['IdP mapping'] },
  { name: 'identities without providers', setup: { selfSignUp: true, signIn: 'email' }, claim: 'identities', setBy: [] },
  { name: 'cognito:groups', setup: { selfSignUp: true, signIn: 'username', providers: [{ kind: 'google' }] }, claim: 'cognito:groups', setBy: [] },
  { name: 'sub', setup: { selfSignUp: true, signIn: 'username', providers: [{ kind: 'saml' }] }, claim: 'sub', setBy: [] },
];

/** What a writer's reason must mention for each way of setting a claim. */
const MENTIONS: Record<SetBy, RegExp> = {
  'user at sign-up': /sign-up|sign up|user name/,
  'user via client': /WriteAttributes/,
  'IdP mapping': /identity provider/,
};

const TENANT_MAPPING = { custom: { 'custom:tenant': cognito.ProviderAttribute.other('tenant') } };

function build(setup: Setup): { app: App; users: UserDirectory } {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const users = new UserDirectory(stack, 'Users', {
    selfSignUp: setup.selfSignUp,
    signInAliases: setup.signIn === 'email' ? { email: true } : { username: true, email: true },
    domainPrefix: 'claims-model',
  });
  if (setup.tenant !== undefined) {
    users.addCustomAttribute('tenant', setup.tenant);
  }
  users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  for (const p of setup.providers ?? []) {
    const mapping = p.mapsTenant ? { email: cognito.ProviderAttribute.other('email'), ...TENANT_MAPPING } : undefined;
    const trustedAttributes = p.trustsTenant ? ['custom:tenant'] : undefined;
    if (p.kind === 'google') {
      users.addIdentityProvider(DirectoryProvider.google({
        clientId: 'g',
        clientSecret: SecretValue.unsafePlainText('s'),
        attributeMapping: p.mapsTenant ? { email: cognito.ProviderAttribute.GOOGLE_EMAIL, ...TENANT_MAPPING } : undefined,
        // Invite-only directories must state who may sign up through a social provider; `anyone()`
        // keeps the template as it was, so the claim model is unchanged.
        signUp: FederatedSignUp.anyone(),
      }));
    } else if (p.kind === 'saml') {
      users.addIdentityProvider(DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://idp.example.com/metadata', attributeMapping: mapping, trustedAttributes }));
    } else {
      users.addIdentityProvider(DirectoryProvider.oidc({
        name: 'Partner', clientId: 'c', clientSecret: SecretValue.unsafePlainText('s'), issuerUrl: 'https://partner.example.com', attributeMapping: mapping, trustedAttributes,
      }));
    }
  }
  return { app, users };
}

describe('which claims may decide access: the model table, read from the constructs and from the rendered resources', () => {
  test.each(ROWS.map(r => [r.name, r] as const))('%s', (_name, row) => {
    // GIVEN
    const { users } = build(row.setup);

    // WHEN both readers are asked (the rendered one as validation runs it, after every construct is final)
    const fromConstructs = users.claimWriters(row.claim);
    const fromResources = users._claimWritersAtSynth(row.claim);

    // THEN both agree with the model: nobody sets it, or every way of setting it is named
    expect(fromConstructs.length === 0).toBe(row.setBy.length === 0);
    expect(fromResources.length === 0).toBe(row.setBy.length === 0);
    expect(users.isClaimUserWritable(row.claim)).toBe(row.setBy.length > 0);
    for (const how of row.setBy) {
      expect(fromConstructs.some(w => MENTIONS[how].test(w))).toBe(true);
      expect(fromResources.some(w => MENTIONS[how].test(w))).toBe(true);
    }
  });
});

describe('identity providers added outside the library, and escape hatches', () => {
  test('an L1 provider that maps the claim is a writer, for both readers', () => {
    // GIVEN an invite-only directory whose immutable tenant only administrators set
    const { users } = build({ selfSignUp: false, signIn: 'email', tenant: IMMUTABLE_WRITABLE });
    expect(users.claimWriters('custom:tenant')).toEqual([]);

    // WHEN a SAML provider is added as an L1 resource mapping it
    new cognito.CfnUserPoolIdentityProvider(users, 'RawIdp', {
      userPoolId: users.userPoolId,
      providerName: 'Raw',
      providerType: 'SAML',
      providerDetails: { MetadataURL: 'https://raw.example.com/metadata' },
      attributeMapping: { 'custom:tenant': 'tenant' },
    });

    // THEN
    expect(users.claimWriters('custom:tenant').join()).toMatch(/Stack\/Users\/RawIdp.*identity provider Raw maps `custom:tenant`/);
    expect(users._claimWritersAtSynth('custom:tenant').join()).toMatch(/identity provider Raw maps `custom:tenant`/);
  });

  test('an override that makes a trusted provider map another attribute is seen at synth; the trusted one stays trusted', () => {
    // GIVEN a SAML provider trusted for custom:tenant, and an admin-only custom:dept
    const { users } = build({ selfSignUp: false, signIn: 'email', tenant: IMMUTABLE_WRITABLE, providers: [{ kind: 'saml', mapsTenant: true, trustsTenant: true }] });
    users.addCustomAttribute('dept', { mutable: false, userWritable: true });
    const provider = users.node.findAll().find((c): c is cognito.CfnUserPoolIdentityProvider => c instanceof cognito.CfnUserPoolIdentityProvider)!;

    // WHEN an escape hatch adds custom:dept to its mapping
    provider.addPropertyOverride('AttributeMapping.custom:dept', 'department');

    // THEN
    expect(users._claimWritersAtSynth('custom:dept').join()).toMatch(/identity provider Corp maps `custom:dept`.*not trusted/);
    expect(users._claimWritersAtSynth('custom:tenant')).toEqual([]);
  });
});

describe('imported directories are read conservatively', () => {
  // Behaviour change on purpose (red team finding 9): an imported pool's clients and identity
  // providers outside the app may let users write any attribute (a client's WriteAttributes, a
  // provider's AttributeMapping of custom:tenant), so an undeclared custom attribute no longer
  // decides access by default; the import states what users can write (`userWritableAttributes`).
  test('a pool from outside the app: user names, identities and any attribute may be chosen unless the import states the writable attributes', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');
    const imported = UserDirectory.fromUserPool(stack, 'Imported', cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abcdefgh'));

    // THEN
    expect(imported.claimWriters('cognito:username').join()).toMatch(/imported pool may let users pick their own user name/);
    expect(imported._claimWritersAtSynth('cognito:username')).not.toEqual([]);
    expect(imported.claimWriters('identities').join()).toMatch(/imported pool may have identity providers/);
    expect(imported._claimWritersAtSynth('identities')).not.toEqual([]);
    expect(imported.claimWriters('custom:tenant').join()).toMatch(/imported pool may have app clients and identity providers this app does not show.*`userWritableAttributes` of `UserDirectory.fromUserPool\(\)`/);
    expect(imported._claimWritersAtSynth('custom:tenant').join()).toMatch(/imported pool may have app clients and identity providers this app does not show/);
    expect(imported.claimWriters('sub')).toEqual([]);
    expect(imported.claimWriters('cognito:groups')).toEqual([]);
  });

  test('paired: a pool from outside the app whose import states the writable attributes: an unlisted custom attribute may decide access', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');
    const imported = UserDirectory.fromUserPool(stack, 'Imported', cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abcdefgh'),
      { userWritableAttributes: ['email', 'custom:nickname'] });

    // THEN both readers agree
    expect(imported.claimWriters('custom:tenant')).toEqual([]);
    expect(imported._claimWritersAtSynth('custom:tenant')).toEqual([]);
    expect(imported.claimWriters('custom:nickname').join()).toMatch(/`userWritableAttributes` of the imported pool lists `custom:nickname`/);
    expect(imported._claimWritersAtSynth('custom:nickname')).not.toEqual([]);
  });

  test('fails: a stated import still counts an L1 provider of the pool in the app that maps the attribute', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abcdefgh');
    const imported = UserDirectory.fromUserPool(stack, 'Imported', pool, { userWritableAttributes: ['email'] });

    // WHEN
    new cognito.CfnUserPoolIdentityProvider(stack, 'Google', {
      userPoolId: pool.userPoolId,
      providerName: 'Google',
      providerType: 'Google',
      providerDetails: { client_id: 'c', client_secret: 's', authorize_scopes: 'email' },
      attributeMapping: { 'custom:tenant': 'hd' },
    });

    // THEN
    expect(imported.claimWriters('custom:tenant').join()).toMatch(/identity provider Google maps `custom:tenant`/);
    expect(imported._claimWritersAtSynth('custom:tenant').join()).toMatch(/identity provider Google maps `custom:tenant`/);
  });

  test('a pool created in the app is read, so its custom attributes need no statement', () => {
    const stack = new Stack(new App(), 'Stack');
    const pool = new cognito.UserPool(stack, 'Pool', { customAttributes: { tenant: new cognito.StringAttribute({ mutable: false }) } });
    pool.addClient('Web', { writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }) });
    const imported = UserDirectory.fromUserPool(stack, 'Imported', pool);
    expect(imported.claimWriters('custom:tenant')).toEqual([]);
    expect(imported._claimWritersAtSynth('custom:tenant')).toEqual([]);
  });

  test('a pool created in the app is read from its settings: email as user name generates user names', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Stack');
    const pool = new cognito.UserPool(stack, 'Pool', { selfSignUpEnabled: true, signInAliases: { email: true } });
    const other = new cognito.UserPool(stack, 'Other', { selfSignUpEnabled: true, signInAliases: { username: true } });

    // WHEN
    const byEmail = UserDirectory.fromUserPool(stack, 'ByEmail', pool);
    const byName = UserDirectory.fromUserPool(stack, 'ByName', other);

    // THEN both readers agree
    expect(byEmail.claimWriters('cognito:username')).toEqual([]);
    expect(byEmail._claimWritersAtSynth('cognito:username')).toEqual([]);
    expect(byName.claimWriters('cognito:username').join()).toMatch(/self sign-up is on and users pick their own user name/);
    expect(byName._claimWritersAtSynth('cognito:username').join()).toMatch(/self sign-up is on and users pick their own user name/);
  });
});

describe('trustedAttributes', () => {
  test('fails on an attribute the provider does not map', () => {
    expect(() => DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://idp.example.com/metadata', trustedAttributes: ['custom:tenant'] }))
      .toThrow(ValidationError);
    expect(() => DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://idp.example.com/metadata', trustedAttributes: ['custom:tenant'] }))
      .toThrow(/`trustedAttributes`: the provider does not map it \(it maps `email`\) \(received "custom:tenant"\)\. Trust only attributes that `attributeMapping` fills/);
  });

  test('paired: an attribute the provider maps is accepted', () => {
    expect(() => DirectoryProvider.oidc({
      name: 'Partner',
      clientId: 'c',
      clientSecret: SecretValue.unsafePlainText('s'),
      issuerUrl: 'https://partner.example.com',
      attributeMapping: { email: cognito.ProviderAttribute.other('email'), ...TENANT_MAPPING },
      trustedAttributes: ['custom:tenant'],
    })).not.toThrow();
  });
});

/*
 * Which attributes an app client can be given write access to (AWS: "User pool attributes —
 * attribute permissions and scopes"; UserPoolClientType `WriteAttributes`): the standard
 * attributes, `updated_at` among them, the verification flags `email_verified` and
 * `phone_number_verified`, and custom attributes (`custom:`). CloudFormation receives them by
 * their claim names (`email_verified`, `updated_at`), which is how CDK renders
 * `StandardAttributesMask` (`emailVerified`, `phoneNumberVerified`, `lastUpdateTime`).
 * The directory's own web clients write the standard attributes but never the verification flags
 * (README), so with them alone nobody but administrators sets a flag.
 */
describe('every attribute an app client can be given write access to is a claim users can choose', () => {
  const FLAGS_AND_TIME = [
    ['email_verified', { emailVerified: true }],
    ['phone_number_verified', { phoneNumberVerified: true }],
    ['updated_at', { lastUpdateTime: true }],
  ] as const;

  test.each(FLAGS_AND_TIME)('%s: an L2 client whose WriteAttributes list it is a writer, for both readers', (claim, mask) => {
    // GIVEN an invite-only directory: its web client never writes the verification flags
    const { users } = build({ selfSignUp: false, signIn: 'email' });

    // WHEN another client of the pool is given write access to the attribute
    users.userPool.addClient('Admin', { writeAttributes: new cognito.ClientAttributes().withStandardAttributes(mask) });

    // THEN
    expect(users.claimWriters(claim).join()).toMatch(new RegExp(`Stack/Users/.*Admin.*its \`WriteAttributes\` list \`${claim}\``));
    expect(users._claimWritersAtSynth(claim).join()).toMatch(new RegExp(`its \`WriteAttributes\` list \`${claim}\``));
    expect(users.isClaimUserWritable(claim)).toBe(true);
  });

  test.each(['email_verified', 'phone_number_verified'])('paired: %s with only the directory\'s web client: nobody but administrators sets it', (claim) => {
    // GIVEN
    const { users } = build({ selfSignUp: true, signIn: 'email' });

    // THEN
    expect(users.claimWriters(claim)).toEqual([]);
    expect(users._claimWritersAtSynth(claim)).toEqual([]);
  });

  // Cognito's default write access (no WriteAttributes) covers the standard attributes, `updated_at`
  // among them; the check does not narrow it down, so it counts the flags too.
  test.each(['email_verified', 'phone_number_verified', 'updated_at'])('%s: a client that sets no WriteAttributes (Cognito\'s default write access) is a writer', (claim) => {
    // GIVEN
    const { users } = build({ selfSignUp: false, signIn: 'email' });

    // WHEN an L1 client of the pool sets no WriteAttributes
    new cognito.CfnUserPoolClient(users, 'Raw', { userPoolId: users.userPoolId });

    // THEN
    expect(users.claimWriters(claim).join()).toMatch(/Stack\/Users\/Raw.*sets no `WriteAttributes`/);
    expect(users._claimWritersAtSynth(claim).join()).toMatch(/Stack\/Users\/Raw.*sets no `WriteAttributes`/);
  });

  test('updated_at an untrusted enterprise provider maps is chosen by that provider', () => {
    // GIVEN
    const { users } = build({ selfSignUp: false, signIn: 'email' });

    // WHEN a SAML provider maps updated_at (CDK: `lastUpdateTime`)
    users.addIdentityProvider(DirectoryProvider.saml({
      name: 'Corp',
      metadataUrl: 'https://idp.example.com/metadata',
      attributeMapping: { email: cognito.ProviderAttribute.other('email'), lastUpdateTime: cognito.ProviderAttribute.other('modified') },
    }));

    // THEN
    expect(users.claimWriters('updated_at').join()).toMatch(/identity provider Corp maps `updated_at`.*not trusted/);
    expect(users._claimWritersAtSynth('updated_at').join()).toMatch(/identity provider Corp maps `updated_at`.*not trusted/);
  });

  /*
   * Developer-only attributes (`dev:`, a legacy schema setting) are documented as read-only to
   * every app client. The check does not rely on that: it takes a client's rendered
   * WriteAttributes at their word, so a client that lists one counts as a writer (it errs to
   * refusal, never to trusting a claim a client may write).
   */
  test('a client whose WriteAttributes list a dev: attribute is counted as a writer, for both readers', () => {
    // GIVEN
    const { users } = build({ selfSignUp: false, signIn: 'email' });

    // WHEN
    new cognito.CfnUserPoolClient(users, 'Raw', { userPoolId: users.userPoolId, writeAttributes: ['dev:custom:tier'] });

    // THEN
    expect(users.claimWriters('dev:custom:tier').join()).toMatch(/Stack\/Users\/Raw.*its `WriteAttributes` list `dev:custom:tier`/);
    expect(users._claimWritersAtSynth('dev:custom:tier').join()).toMatch(/Stack\/Users\/Raw.*its `WriteAttributes` list `dev:custom:tier`/);
  });

  test('paired: a dev: attribute that no client lists and no provider maps: nobody but administrators sets it', () => {
    const { users } = build({ selfSignUp: false, signIn: 'email' });
    expect(users.claimWriters('dev:custom:tier')).toEqual([]);
    expect(users._claimWritersAtSynth('dev:custom:tier')).toEqual([]);
  });
});

/*
 * What is known only at deploy time is any value: a provider name from a parameter may be any
 * provider's, so its users' names and `identities` are still chosen by it; an AttributeMapping
 * computed at deploy time may fill any attribute (AWS: attribute mapping fills the attribute at
 * every federated sign-in).
 */
describe('identity providers known only at deploy time', () => {
  test('a provider whose name is a parameter fills identities and chooses federated user names, for both readers', () => {
    // GIVEN an invite-only directory
    const { users } = build({ selfSignUp: false, signIn: 'email' });

    // WHEN an L1 SAML provider is named by a parameter
    new cognito.CfnUserPoolIdentityProvider(users, 'Raw', {
      userPoolId: users.userPoolId,
      providerName: new CfnParameter(Stack.of(users), 'ProviderName').valueAsString,
      providerType: 'SAML',
      providerDetails: { MetadataURL: 'https://raw.example.com/metadata' },
    });

    // THEN
    expect(users.claimWriters('identities').join()).toMatch(/Stack\/Users\/Raw.*identity provider \(deploy-time name\) asserts/);
    expect(users._claimWritersAtSynth('identities').join()).toMatch(/identity provider \(deploy-time name\) asserts/);
    const rule = { kind: 'equals', value: 'staff-alice' } as const;
    expect(users._claimWritersMatching('cognito:username', rule).join()).toMatch(/identity provider \(deploy-time name\) chooses the user names of its users \(`\(deploy-time name\)_<the user id it asserts>`\)/);
    expect(users._claimWritersAtSynth('cognito:username', rule).join()).toMatch(/identity provider \(deploy-time name\) chooses/);
  });

  test('fails: a provider whose AttributeMapping is computed at deploy time may fill any attribute', () => {
    // GIVEN an invite-only directory whose immutable tenant only administrators set
    const { users } = build({ selfSignUp: false, signIn: 'email', tenant: IMMUTABLE_WRITABLE });

    // WHEN an L1 provider, named by a parameter, gets its mapping from a token
    new cognito.CfnUserPoolIdentityProvider(users, 'Raw', {
      userPoolId: users.userPoolId,
      providerName: new CfnParameter(Stack.of(users), 'ProviderName').valueAsString,
      providerType: 'SAML',
      providerDetails: { MetadataURL: 'https://raw.example.com/metadata' },
      attributeMapping: Lazy.any({ produce: () => ({ email: 'mail' }) }),
    });

    // THEN the constructs' reader cannot see the mapping, so counts the provider
    expect(users.claimWriters('custom:tenant').join())
      .toMatch(/Stack\/Users\/Raw.*identity provider \(deploy-time name\) has a deploy-time `AttributeMapping`, which may fill `custom:tenant` from its users' profiles/);
  });

  test('paired: the same provider with a literal mapping that leaves the attribute out is no writer', () => {
    const { users } = build({ selfSignUp: false, signIn: 'email', tenant: IMMUTABLE_WRITABLE });
    new cognito.CfnUserPoolIdentityProvider(users, 'Raw', {
      userPoolId: users.userPoolId,
      providerName: new CfnParameter(Stack.of(users), 'ProviderName').valueAsString,
      providerType: 'SAML',
      providerDetails: { MetadataURL: 'https://raw.example.com/metadata' },
      attributeMapping: { email: 'mail' },
    });
    expect(users.claimWriters('custom:tenant')).toEqual([]);
    expect(users._claimWritersAtSynth('custom:tenant')).toEqual([]);
  });
});

/*
 * A client belongs to the pool its UserPoolId names, however the id is written (AWS::Cognito::
 * UserPoolClient UserPoolId is a string; `Fn::Select` of the pool ARN split on `/` is the pool id).
 */
describe('the rendered reader finds every client of the pool', () => {
  function tenantPool() {
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const users = UserDirectory.fromUserPool(stack, 'Users', new cognito.UserPool(stack, 'Pool', {
      customAttributes: { tenant: new cognito.StringAttribute({ mutable: true }) },
    }));
    return { app, stack, users, pool: users.userPool };
  }

  test('a client whose UserPoolId is selected from the pool ARN, in the same stack', () => {
    const { users, pool } = tenantPool();
    new cognito.CfnUserPoolClient(users, 'Raw', { userPoolId: Fn.select(1, Fn.split('/', pool.userPoolArn)), writeAttributes: ['custom:tenant'] });
    expect(users._claimWritersAtSynth('custom:tenant').join()).toMatch(/Stack\/Users\/Raw \(its `WriteAttributes` list `custom:tenant`/);
  });

  test('a client in another stack whose UserPoolId is selected from an import of the pool ARN', () => {
    const { app, users, pool } = tenantPool();
    const other = new Stack(app, 'Other');
    new cognito.CfnUserPoolClient(other, 'Raw', { userPoolId: Fn.select(1, Fn.split('/', pool.userPoolArn)), writeAttributes: ['custom:tenant'] });
    app.synth(); // the export and its import exist once references are resolved, as at validation
    expect(users._claimWritersAtSynth('custom:tenant').join()).toMatch(/Other\/Raw \(its `WriteAttributes` list `custom:tenant`/);
  });

  test('paired: a client of another pool, selected from that pool\'s ARN, is not counted', () => {
    const { stack, users } = tenantPool();
    const elsewhere = new cognito.UserPool(stack, 'Elsewhere');
    new cognito.CfnUserPoolClient(stack, 'Raw', { userPoolId: Fn.select(1, Fn.split('/', elsewhere.userPoolArn)), writeAttributes: ['custom:tenant'] });
    elsewhere.addClient('Web', { writeAttributes: new cognito.ClientAttributes().withCustomAttributes('tenant') });
    expect(users._claimWritersAtSynth('custom:tenant')).toEqual([]);
    expect(users.claimWriters('custom:tenant')).toEqual([]);
  });

  test('a pool imported by a deploy-time id: a client naming the same id is counted; one naming another is not', () => {
    // GIVEN a pool from outside the app whose import states that users write only email
    const stack = new Stack(new App(), 'Stack');
    const id = new CfnParameter(stack, 'PoolId').valueAsString;
    const users = UserDirectory.fromUserPool(stack, 'Users', cognito.UserPool.fromUserPoolId(stack, 'Pool', id), { userWritableAttributes: ['email'] });
    expect(users._claimWritersAtSynth('custom:tenant')).toEqual([]);

    // WHEN an L1 client of another pool, and one of this pool, let users write custom:tenant
    new cognito.CfnUserPoolClient(stack, 'Elsewhere', { userPoolId: new CfnParameter(stack, 'OtherPoolId').valueAsString, writeAttributes: ['custom:tenant'] });
    expect(users._claimWritersAtSynth('custom:tenant')).toEqual([]);
    new cognito.CfnUserPoolClient(stack, 'Raw', { userPoolId: id, writeAttributes: ['custom:tenant'] });

    // THEN
    expect(users._claimWritersAtSynth('custom:tenant').join()).toMatch(/Stack\/Raw \(its `WriteAttributes` list `custom:tenant`/);
  });
});

/*
 * AdminCreateUserConfig.AllowAdminCreateUserOnly defaults to false (AWS::Cognito::UserPool): a pool
 * that does not set it lets anyone sign up, and with user names they pick their own.
 */
describe('a pool that leaves AdminCreateUserConfig unset has self sign-up on', () => {
  test('users pick their user names there, for the constructs\' reader', () => {
    // GIVEN an L2 pool with user names, self sign-up off
    const stack = new Stack(new App(), 'Stack');
    const pool = new cognito.UserPool(stack, 'Pool', { selfSignUpEnabled: false, signInAliases: { username: true } });
    const users = UserDirectory.fromUserPool(stack, 'Users', pool);
    expect(users.claimWriters('cognito:username')).toEqual([]);

    // WHEN an escape hatch removes AdminCreateUserConfig
    (pool.node.defaultChild as cognito.CfnUserPool).adminCreateUserConfig = undefined;

    // THEN
    expect(users.claimWriters('cognito:username').join()).toMatch(/self sign-up is on and users pick their own user name/);
    expect(users._claimWritersAtSynth('cognito:username').join()).toMatch(/self sign-up is on and users pick their own user name/);
  });
});

/*
 * Values known only at deploy time may be anything: a rule on `cognito:username` whose value is a
 * token may name a federated user (`<provider>_<id>`), so the provider can satisfy it. A claim name
 * that is a token is not judged at synth (tokens are never rejected for their shape), even when it
 * reads `custom:...` around the token.
 */
describe('tokens in claims and rule values', () => {
  test('a cognito:username rule on a deploy-time value can be satisfied by a named provider\'s users, for both readers', () => {
    // GIVEN an invite-only directory with a SAML provider named Corp
    const { users } = build({ selfSignUp: false, signIn: 'email', providers: [{ kind: 'saml' }] });

    // WHEN an EQUALS rule compares the user name with a parameter
    const rule = { kind: 'equals', value: new CfnParameter(Stack.of(users), 'Admin').valueAsString } as const;

    // THEN
    expect(users._claimWritersMatching('cognito:username', rule).join()).toMatch(/identity provider Corp chooses the user names of its users/);
    expect(users._claimWritersAtSynth('cognito:username', rule).join()).toMatch(/identity provider Corp chooses the user names of its users/);
  });

  test('paired: the same rule on a literal local user name no federated name can take is left to the local user names', () => {
    const { users } = build({ selfSignUp: false, signIn: 'email', providers: [{ kind: 'saml' }] });
    const rule = { kind: 'equals', value: 'staff-alice' } as const;
    expect(users._claimWritersMatching('cognito:username', rule)).toEqual([]);
    expect(users._claimWritersAtSynth('cognito:username', rule)).toEqual([]);
  });

  test('a claim name with a deploy-time part is not judged at synth, even next to a client with Cognito\'s default write access', () => {
    // GIVEN a directory with an L1 client that sets no WriteAttributes
    const { users } = build({ selfSignUp: true, signIn: 'username' });
    new cognito.CfnUserPoolClient(users, 'Raw', { userPoolId: users.userPoolId });
    const claim = `custom:${new CfnParameter(Stack.of(users), 'Attr').valueAsString}`;

    // THEN
    expect(users.claimWriters(claim)).toEqual([]);
    expect(users._claimWritersAtSynth(claim)).toEqual([]);
  });
});

describe('what each writer is told', () => {
  test('invite-only: a client writes a mutable attribute through UpdateUserAttributes only, not at sign-up', () => {
    const { users } = build({ selfSignUp: false, signIn: 'email' });
    const writers = users.claimWriters('email');
    expect(writers.length).toBeGreaterThan(0);
    for (const w of writers) {
      expect(w).toMatch(/its `WriteAttributes` list `email`\)$/);
    }
    expect(users._claimWritersAtSynth('email').every(w => /its `WriteAttributes` list `email`\)$/.test(w))).toBe(true);
  });

  test('a social provider that maps the claim is never trusted for it', () => {
    const { users } = build({ selfSignUp: false, signIn: 'email', tenant: IMMUTABLE_WRITABLE, providers: [{ kind: 'google', mapsTenant: true }] });
    expect(users.claimWriters('custom:tenant').join()).toMatch(/identity provider Google maps `custom:tenant` from the profile its users edit themselves/);
    expect(users._claimWritersAtSynth('custom:tenant').join()).toMatch(/identity provider Google maps `custom:tenant` from the profile its users edit themselves/);
  });

  test('paired: providers that do not map an admin-only attribute, social or not, are no writers', () => {
    // GIVEN an invite-only directory whose tenant no client writes, with Google and a SAML provider mapping only email
    const { users } = build({ selfSignUp: false, signIn: 'email', tenant: { mutable: true, userWritable: false }, providers: [{ kind: 'google' }, { kind: 'saml' }] });

    // THEN
    expect(users.claimWriters('custom:tenant')).toEqual([]);
    expect(users._claimWritersAtSynth('custom:tenant')).toEqual([]);
  });

  test('paired: a provider of another pool in the app that maps the attribute is no writer', () => {
    const { users } = build({ selfSignUp: false, signIn: 'email', tenant: { mutable: true, userWritable: false } });
    const elsewhere = new cognito.UserPool(Stack.of(users), 'Elsewhere');
    new cognito.CfnUserPoolIdentityProvider(Stack.of(users), 'Raw', {
      userPoolId: elsewhere.userPoolId,
      providerName: 'Raw',
      providerType: 'SAML',
      providerDetails: { MetadataURL: 'https://raw.example.com/metadata' },
      attributeMapping: { 'custom:tenant': 'tenant' },
    });
    expect(users.claimWriters('custom:tenant')).toEqual([]);
    expect(users._claimWritersAtSynth('custom:tenant')).toEqual([]);
  });

  test('paired: an L1 provider with no AttributeMapping fills no attribute', () => {
    const { users } = build({ selfSignUp: false, signIn: 'email', tenant: { mutable: true, userWritable: false } });
    new cognito.CfnUserPoolIdentityProvider(users, 'Raw', {
      userPoolId: users.userPoolId,
      providerName: 'Raw',
      providerType: 'SAML',
      providerDetails: { MetadataURL: 'https://raw.example.com/metadata' },
    });
    expect(users.claimWriters('custom:tenant')).toEqual([]);
    expect(users._claimWritersAtSynth('custom:tenant')).toEqual([]);
  });

  test.each([['null', null], ['a list', ['custom:tenant']], ['a string', 'custom:tenant']])('an L1 provider whose AttributeMapping is %s, not a map, may fill any attribute', (_name, mapping) => {
    const { users } = build({ selfSignUp: false, signIn: 'email', tenant: { mutable: true, userWritable: false } });
    new cognito.CfnUserPoolIdentityProvider(users, 'Raw', {
      userPoolId: users.userPoolId,
      providerName: 'Raw',
      providerType: 'SAML',
      providerDetails: { MetadataURL: 'https://raw.example.com/metadata' },
      attributeMapping: mapping,
    });
    expect(users.claimWriters('custom:tenant').join()).toMatch(/identity provider Raw has a deploy-time `AttributeMapping`, which may fill `custom:tenant`/);
  });

  test('paired: an EQUALS rule on a provider\'s bare name (no `_`) names no federated user', () => {
    // Federated user names are `<provider>_<id>`: `Corp` alone is none of them.
    const { users } = build({ selfSignUp: false, signIn: 'email', providers: [{ kind: 'saml' }] });
    const rule = { kind: 'equals', value: 'corp' } as const;
    expect(users._claimWritersMatching('cognito:username', rule)).toEqual([]);
    expect(users._claimWritersAtSynth('cognito:username', rule)).toEqual([]);
  });

  test.each([
    ['user name attributes are', (cfn: cognito.CfnUserPool) => { cfn.usernameAttributes = Token.asList(Lazy.list({ produce: () => [] })); }],
    ['sign-up setting is', (cfn: cognito.CfnUserPool) => { cfn.adminCreateUserConfig = { allowAdminCreateUserOnly: Lazy.any({ produce: () => false }) }; }],
  ])('a pool given to fromUserPool() whose %s known only at deploy time may let users pick their user name', (_name, unknown) => {
    // GIVEN an L2 pool with user names and self sign-up
    const stack = new Stack(new App(), 'Stack');
    const pool = new cognito.UserPool(stack, 'Pool', { selfSignUpEnabled: true, signInAliases: { username: true } });
    const users = UserDirectory.fromUserPool(stack, 'Users', pool);

    // WHEN one of its settings becomes a token
    unknown(pool.node.defaultChild as cognito.CfnUserPool);

    // THEN the constructs' reader cannot tell
    expect(users.claimWriters('cognito:username').join()).toMatch(/may let users pick their own user name at sign-up/);
  });
});

/*
 * A pool created in the app and given to fromUserPool() is read from its settings (AWS::Cognito::
 * UserPool): an attribute whose Schema entry says Mutable: false is set once, when the user is
 * created, so on an invite-only pool no client writes it; UsernameAttributes that are empty leave
 * users with user names they pick; a setting that is a token is unknown.
 */
describe('the constructs read a pool created in the app from its settings', () => {
  function invitePool(props: Partial<cognito.UserPoolProps> = {}) {
    const stack = new Stack(new App(), 'Stack');
    const pool = new cognito.UserPool(stack, 'Pool', {
      selfSignUpEnabled: false,
      customAttributes: { tenant: new cognito.StringAttribute({ mutable: false }), dept: new cognito.StringAttribute({ mutable: true }) },
      standardAttributes: { birthdate: { mutable: false } },
      ...props,
    });
    new cognito.CfnUserPoolClient(stack, 'Raw', { userPoolId: pool.userPoolId, writeAttributes: ['custom:tenant', 'custom:dept', 'birthdate', 'email'] });
    return { stack, pool, users: UserDirectory.fromUserPool(stack, 'Users', pool) };
  }

  test('invite-only: an immutable attribute, custom or standard, has no client writer; a mutable one does', () => {
    const { users } = invitePool();
    expect(users.claimWriters('custom:tenant')).toEqual([]);
    expect(users._claimWritersAtSynth('custom:tenant')).toEqual([]);
    // (fromUserPool() states the standard attributes writable by default: that writer is the import's, not the client's)
    expect(users.claimWriters('birthdate').join()).not.toMatch(/Stack\/Raw/);
    expect(users._claimWritersAtSynth('birthdate').join()).not.toMatch(/Stack\/Raw/);
    for (const claim of ['custom:dept', 'email']) {
      expect(users.claimWriters(claim)).toContain(`Stack/Raw (its \`WriteAttributes\` list \`${claim}\`)`);
      expect(users._claimWritersAtSynth(claim)).toContain(`Stack/Raw (its \`WriteAttributes\` list \`${claim}\`)`);
    }
  });

  test('a schema known only at deploy time: every attribute counts as mutable', () => {
    const { pool, users } = invitePool();
    const cfn = pool.node.defaultChild as cognito.CfnUserPool;
    const schema = cfn.schema;
    cfn.schema = Lazy.any({ produce: () => schema });
    expect(users.claimWriters('custom:tenant')).toEqual(['Stack/Raw (its `WriteAttributes` list `custom:tenant`)']);
  });

  test('a whole AdminCreateUserConfig known only at deploy time: users may pick their user names', () => {
    const { pool, users } = invitePool({ signInAliases: { username: true } });
    expect(users.claimWriters('cognito:username')).toEqual([]);
    (pool.node.defaultChild as cognito.CfnUserPool).adminCreateUserConfig = Lazy.any({ produce: () => ({ allowAdminCreateUserOnly: true }) });
    expect(users.claimWriters('cognito:username').join()).toMatch(/may let users pick their own user name at sign-up/);
  });

  test('empty UsernameAttributes: users pick their user names at self sign-up', () => {
    const { pool, users } = invitePool({ selfSignUpEnabled: true, signInAliases: { username: true } });
    (pool.node.defaultChild as cognito.CfnUserPool).usernameAttributes = [];
    expect(users.claimWriters('cognito:username').join()).toMatch(/self sign-up is on and users pick their own user name/);
    expect(users._claimWritersAtSynth('cognito:username').join()).toMatch(/self sign-up is on and users pick their own user name/);
  });

  test('paired: email as the user name: Cognito generates user names', () => {
    const { users } = invitePool({ selfSignUpEnabled: true, signInAliases: { email: true } });
    expect(users.claimWriters('cognito:username')).toEqual([]);
  });

  test.each([
    ['a deploy-time list', () => Token.asList(Lazy.list({ produce: () => ['email'] }))],
    ['a list with a deploy-time entry', () => ['email', Lazy.string({ produce: () => 'email' })]],
    ['a list with an entry that is not a string', () => ['email', 42]],
  ])('a client whose WriteAttributes are %s gets Cognito\'s default write access, as far as the constructs can tell', (_name, list) => {
    // GIVEN an imported pool whose import states users write only email
    const stack = new Stack(new App(), 'Stack');
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abcdefgh');
    const users = UserDirectory.fromUserPool(stack, 'Users', pool, { userWritableAttributes: ['email'] });

    // WHEN an L1 client of the pool has such a list
    new cognito.CfnUserPoolClient(stack, 'Raw', { userPoolId: pool.userPoolId, writeAttributes: list() as string[] });

    // THEN the client counts as writing custom:tenant, and only through UpdateUserAttributes is not assumed
    expect(users.claimWriters('custom:tenant').join()).toMatch(/Stack\/Raw \(it sets no `WriteAttributes` \(or a deploy-time list\), so Cognito's default write access applies/);
  });

  test('paired: an imported pool\'s client listing the attribute: the writer is named without assuming a schema', () => {
    const stack = new Stack(new App(), 'Stack');
    const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abcdefgh');
    const users = UserDirectory.fromUserPool(stack, 'Users', pool, { userWritableAttributes: ['email'] });
    new cognito.CfnUserPoolClient(stack, 'Raw', { userPoolId: pool.userPoolId, writeAttributes: ['email', 'custom:tenant'] });
    expect(users.claimWriters('custom:tenant')).toEqual(['Stack/Raw (its `WriteAttributes` list `custom:tenant`)']);
  });
});
