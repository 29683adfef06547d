/**
 * The apps the template gates read besides the integ snapshots: the notes app and the platform
 * app (identity and workload accounts, two regions; examples/) and
 * every construct in its default configuration with the smallest setup it needs, plus one app
 * that turns on the options that change the emitted policies (KMS, indexes, attributes, Scan,
 * HTTP APIs, tags, groups, OIDC, SAML and developer sources, rule mappings).
 *
 * Used by scripts/lint-templates.ts (cfn-lint) and test/deployable/ (IAM names, integ stacks).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { buildNotesApp } from '../examples/notes-app';
import { buildPlatformApp } from '../examples/platform';
import {
  Access, Audience, BrandingAsset, BrandingAssetCategory, BrandingColorMode, BrandingSettings, ClientConfig, DirectoryProvider,
  FederatedIdentityPool, FederatedSignUp, IdentitySource, RoleMappingMatchType,
  ScopedApiAccess, ScopedBucketAccess, ScopedTableAccess, SignInFactor, UserDirectory,
  DirectoryLogEvents, LogDestination,
} from '../src';

/** The repository root. */
export const ROOT = path.join(__dirname, '..');

/** One synthesized (or committed) CloudFormation template. */
export interface TemplateFile {
  /** Where it comes from: `example`, `platform`, `defaults`, `options` or `integ/<test>`. */
  readonly source: string;
  /** The stack's artifact id (file name without `.template.json`). */
  readonly stack: string;
  /** Absolute path of the template file. */
  readonly file: string;
}

/** A directory user pool with one web client and an identity pool federating it. */
function pool(stack: Stack, options: { guestAccess?: boolean } = {}): FederatedIdentityPool {
  const users = new UserDirectory(stack, 'Users');
  const web = users.addWebClient('Web');
  return new FederatedIdentityPool(stack, 'Identities', {
    sources: [IdentitySource.userDirectory(users, web)],
    guestAccess: options.guestAccess,
  });
}

/** Every construct in its default configuration, one stack each. */
export function buildDefaultsApp(outdir?: string): App {
  const app = new App({ outdir });

  const directory = new Stack(app, 'UserDirectoryDefaults');
  new UserDirectory(directory, 'Users').addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });

  pool(new Stack(app, 'FederatedIdentityPoolDefaults'));

  const bucketStack = new Stack(app, 'ScopedBucketAccessDefaults');
  new ScopedBucketAccess(bucketStack, 'Files', { identityPool: pool(bucketStack) })
    .allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);

  const tableStack = new Stack(app, 'ScopedTableAccessDefaults');
  const table = new dynamodb.TableV2(tableStack, 'Table', {
    partitionKey: { name: 'identityId', type: dynamodb.AttributeType.STRING },
  });
  new ScopedTableAccess(tableStack, 'Notes', { identityPool: pool(tableStack), table })
    .allowOwnItems(Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);

  const apiStack = new Stack(app, 'ScopedApiAccessDefaults');
  const api = new apigateway.RestApi(apiStack, 'NotesApi', {
    cloudWatchRole: false,
    defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
  });
  api.root.addResource('notes').addMethod('GET', new apigateway.MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{ statusCode: '200' }],
  }), { methodResponses: [{ statusCode: '200' }] });
  new ScopedApiAccess(apiStack, 'Api', { identityPool: pool(apiStack), api: api })
    .allow('/notes/*', Audience.authenticated(), 'GET');

  // ClientConfig with what it reads: a directory, its web client, the identity pool and a bucket.
  const configStack = new Stack(app, 'ClientConfigDefaults');
  const configUsers = new UserDirectory(configStack, 'Users');
  const configWeb = configUsers.addWebClient('Web');
  const configIdentities = new FederatedIdentityPool(configStack, 'Identities', {
    sources: [IdentitySource.userDirectory(configUsers, configWeb)],
  });
  const configFiles = new ScopedBucketAccess(configStack, 'Files', { identityPool: configIdentities });
  configFiles.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  new ClientConfig(configStack, 'ClientConfig', {
    directory: configUsers, client: configWeb, identityPool: configIdentities, storage: [configFiles],
  });

  return app;
}

/** The options that change what the access constructs and the pool emit, in one stack. */
export function buildOptionsApp(outdir?: string): App {
  const app = new App({ outdir });
  // A concrete environment: customer-managed table keys need a region, and literal ARNs get checked too.
  const stack = new Stack(app, 'AccessOptions', { env: { account: '123456789012', region: 'us-east-1' } });

  // Passkeys next to passwords under required MFA: a user-verified passkey counts as MFA
  // (WebAuthnFactorConfiguration), with the relying party pinned to the prefix domain.
  const users = new UserDirectory(stack, 'Users', {
    signInFactors: [SignInFactor.PASSWORD, SignInFactor.PASSKEY],
    domainPrefix: 'access-options',
    passkeyRelyingPartyId: 'access-options.auth.us-east-1.amazoncognito.com',
  });
  users.addGroup('admins', { precedence: 0 });
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web');
  const saml = new iam.SamlProvider(stack, 'Saml', {
    metadataDocument: iam.SamlMetadataDocument.fromXml(fs.readFileSync(path.join(ROOT, 'examples', 'corp-saml-metadata.xml'), 'utf8')),
  });
  const oidc = iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc',
    'arn:aws:iam::123456789012:oidc-provider/login.example.com');
  const samlSource = IdentitySource.saml(saml);
  const identities = new FederatedIdentityPool(stack, 'Identities', {
    sources: [IdentitySource.userDirectory(users, web), IdentitySource.oidc(oidc), samlSource, IdentitySource.developer('login.example.com')],
    guestAccess: true,
    principalTags: { tenant: 'custom:tenant' },
  });
  identities.roleForGroup('admins');
  identities.addRoleMapping(samlSource, {
    rules: [{ claim: 'department', matchType: RoleMappingMatchType.EQUALS, value: 'finance', role: identities.createRole('Finance') }],
  });

  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Bucket', {
    encryptionKey: key,
    encryption: s3.BucketEncryption.KMS,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  });
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: identities, bucket });
  files.allow('public/*', Audience.guest(), Access.READ);
  files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
  files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);

  const table = new dynamodb.TableV2(stack, 'Table', {
    partitionKey: { name: 'identityId', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'itemId', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryptionV2.customerManagedKey(key),
    globalSecondaryIndexes: [{ indexName: 'byOwner', partitionKey: { name: 'identityId', type: dynamodb.AttributeType.STRING } }],
  });
  const items = new ScopedTableAccess(stack, 'Items', { identityPool: identities, table });
  items.allowOwnItemsWith(Audience.owner(), { indexes: ['byOwner'], attributes: ['title', 'body'] }, Access.READ, Access.WRITE, Access.DELETE);
  const catalog = new dynamodb.TableV2(stack, 'Catalog', {
    partitionKey: { name: 'sku', type: dynamodb.AttributeType.STRING },
  });
  new ScopedTableAccess(stack, 'CatalogAccess', { identityPool: identities, table: catalog })
    .allowItemsWith(Audience.guest(), { allowScan: true }, Access.READ);

  const httpApi = new apigwv2.HttpApi(stack, 'HttpApi');
  httpApi.addRoutes({
    path: '/reports/{proxy+}',
    methods: [apigwv2.HttpMethod.GET],
    integration: new HttpUrlIntegration('Reports', 'https://reports.example.com/{proxy}'),
    authorizer: new HttpIamAuthorizer(),
  });
  new ScopedApiAccess(stack, 'Reports', { identityPool: identities, httpApi })
    .allow('/reports/{tag:tenant}/*', Audience.authenticated(), 'GET');

  // An invite-only directory whose provider admits one email domain: the sign-up admission trigger.
  const directory = new Stack(app, 'DirectoryOptions', { env: { account: '123456789012', region: 'us-east-1' } });
  const invited = new UserDirectory(directory, 'Users', { domainPrefix: 'options-auth' });
  invited.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  invited.addIdentityProvider(DirectoryProvider.saml({
    name: 'Corp',
    metadataDocument: fs.readFileSync(path.join(ROOT, 'examples', 'corp-saml-metadata.xml'), 'utf8'),
    signUp: FederatedSignUp.emailDomains('example.com'),
  }));

  // Server-side clients and remembered devices: a confidential client for a load balancer's
  // authenticate-cognito action, and devices remembered on the user's prompt.
  const servers = new UserDirectory(directory, 'ServerUsers', {
    domainPrefix: 'options-server-auth',
    deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
  });
  servers.addServerClient('Alb', { callbackUrls: ['https://app.example.com/oauth2/idpresponse'] });

  // A custom domain in a hosted zone (an outside prerequisite, so not in the notes app): the
  // certificate is created and DNS-validated in the zone (the stack is in us-east-1), with the alias record.
  const zone = route53.HostedZone.fromHostedZoneAttributes(directory, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const branded = new UserDirectory(directory, 'BrandedUsers', { customDomain: { domainName: 'auth.example.com', hostedZone: zone } });
  // Managed login branding: a logo and settings instead of Cognito's style.
  branded.addWebClient('Web', {
    callbackUrls: ['https://app.example.com/'],
    branding: {
      assets: [BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, path.join(ROOT, 'examples', 'notes-logo.svg'), BrandingColorMode.LIGHT)],
      settings: BrandingSettings.fromJson('{"categories":{"global":{"colorSchemeMode":"LIGHT"}},"componentClasses":{"focusState":{"lightMode":{"borderColor":"0972d3ff"}}}}'),
    },
  });

  // A directory run in production: log delivery (a created log group, and an S3 bucket),
  // the default web ACL, threat responses with SES notifications and IP lists, custom messages.
  const operated = new UserDirectory(directory, 'Operated', {
    email: cognito.UserPoolEmail.withSES({ fromEmail: 'no-reply@example.com', sesRegion: 'us-east-1', sesVerifiedDomain: 'example.com' }),
    selfSignUp: true,
    verificationMessage: { emailSubject: 'Your code', emailBody: '<p>Your code is {####}</p>', smsMessage: 'Your code is {####}' },
    invitationMessage: { emailSubject: 'Welcome', emailBody: 'Sign in as {username} with {####}', smsMessage: '{username} / {####}' },
  });
  operated.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
  operated.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);
  const logBucket = new s3.Bucket(directory, 'AuthLogs', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  operated.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.s3(logBucket));
  operated.addWebAcl({ signInRateLimit: 50 });
  operated.configureThreatResponses({
    notification: { sourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com', from: 'security@example.com' },
    blockedIpRanges: ['198.51.100.0/24'],
    skippedIpRanges: ['203.0.113.0/24'],
  });

  return app;
}

/**
 * Every quota of src/private/cognito-quotas.ts at its largest accepted value (test/quotas/boundaries.test.ts
 * checks that one more is refused): 10 identity providers with role mappings, one of them with 25
 * rules, 50 principal tags on a provider, 50 user pool app clients in an identity pool; 49 custom
 * attributes next to email (50 schema entries) and 50 without a standard attribute; 100 callback
 * and 100 logout URLs, 50 OAuth scopes and the longest token lifetimes on a web client; 25
 * resource servers, one with 100 scopes; 50 identifiers on a SAML provider.
 */
export function buildLimitsApp(outdir?: string): App {
  const app = new App({ outdir });
  const env = { account: '123456789012', region: 'us-east-1' };

  const identity = new Stack(app, 'IdentityPoolLimits', { env });
  const users = new UserDirectory(identity, 'Users');
  const clients = Array.from({ length: 50 }, (_, i) => users.addWebClient(`Web${i}`));
  const oidcSources = Array.from({ length: 10 }, (_, i) => IdentitySource.oidc(
    iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(identity, `Oidc${i}`, `arn:aws:iam::123456789012:oidc-provider/idp${i}.example.com`),
    i === 0 ? { principalTags: Object.fromEntries(Array.from({ length: 50 }, (__, t) => [`tag${t}`, `claim${t}`])) } : undefined));
  const identities = new FederatedIdentityPool(identity, 'Identities', {
    sources: [IdentitySource.userDirectory(users, ...clients), ...oidcSources],
  });
  const mapped = identities.createRole('Mapped');
  oidcSources.forEach((source, i) => identities.addRoleMapping(source, {
    rules: Array.from({ length: i === 0 ? 25 : 1 }, (_, r) => ({ claim: 'hd', value: `d${r}.example.com`, role: mapped })),
  }));

  const directory = new Stack(app, 'UserDirectoryLimits', { env });
  const withEmail = new UserDirectory(directory, 'Users', { domainPrefix: 'limits-auth' });
  for (let i = 0; i < 49; i++) {
    withEmail.addCustomAttribute(`a${i}`);
  }
  withEmail.addResourceServer('api', { scopes: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`s${i}`, `Scope ${i}`])) });
  for (let i = 1; i < 25; i++) {
    withEmail.addResourceServer(`api${i}`, { scopes: { read: 'Read' } });
  }
  const urls = Array.from({ length: 100 }, (_, i) => `https://app${i}.example.com/`);
  withEmail.addWebClient('Web', {
    callbackUrls: urls,
    logoutUrls: urls,
    scopes: Array.from({ length: 50 }, (_, i) => cognito.OAuthScope.custom(`api/s${i}`)),
    accessTokenValidity: Duration.days(1),
    idTokenValidity: Duration.days(1),
    refreshTokenValidity: Duration.days(3650),
  });
  withEmail.addIdentityProvider(DirectoryProvider.saml({
    name: 'Corp',
    metadataDocument: fs.readFileSync(path.join(ROOT, 'examples', 'corp-saml-metadata.xml'), 'utf8'),
    identifiers: Array.from({ length: 50 }, (_, i) => `d${i}.example.com`),
  }));
  const withoutEmail = new UserDirectory(directory, 'PhoneUsers', { signInAliases: { phone: true } });
  for (let i = 0; i < 50; i++) {
    withoutEmail.addCustomAttribute(`a${i}`);
  }
  return app;
}

/** Synthesizes the example, the default and the options apps under `outdir`, one folder each. */
export function synthFixtures(outdir: string): TemplateFile[] {
  const apps: Array<[string, App]> = [
    ['example', buildNotesApp(path.join(outdir, 'example')).app],
    ['platform', buildPlatformApp(path.join(outdir, 'platform')).app],
    ['defaults', buildDefaultsApp(path.join(outdir, 'defaults'))],
    ['options', buildOptionsApp(path.join(outdir, 'options'))],
    ['limits', buildLimitsApp(path.join(outdir, 'limits'))],
  ];
  const templates: TemplateFile[] = [];
  for (const [source, app] of apps) {
    for (const stack of app.synth().stacks) {
      templates.push({ source, stack: stack.id, file: path.join(stack.assembly.directory, stack.templateFile) });
    }
  }
  return templates;
}

/** Every committed integ snapshot template (test stacks and their assertion stacks). */
export function integSnapshotTemplates(): TemplateFile[] {
  const integ = path.join(ROOT, 'integ');
  const templates: TemplateFile[] = [];
  for (const dir of fs.readdirSync(integ).filter(d => d.endsWith('.snapshot')).sort()) {
    const test = dir.replace(/\.ts\.snapshot$/, '');
    for (const file of fs.readdirSync(path.join(integ, dir)).filter(f => f.endsWith('.template.json')).sort()) {
      templates.push({ source: `integ/${test}`, stack: file.replace(/\.template\.json$/, ''), file: path.join(integ, dir, file) });
    }
  }
  return templates;
}
