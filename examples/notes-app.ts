/**
 * The notes app (the project's reference scenario: README's "Quick start" and "Access picture"),
 * built with the library's public API only.
 *
 * `npm run example` synthesizes it into cdk.out/ (no AWS account needed) and prints a summary.
 * The Google client secret is a Secrets Manager secret of the stack and the corporate SAML
 * provider gets its metadata document inline; the one thing to prepare outside is the SES-verified
 * domain that email codes go out from (`emailCodes: false` leaves email codes out).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { AccessSection, printSummary } from './summary';
import {
  Access, Audience, BrandingAsset, BrandingAssetCategory, BrandingSettings, ClientConfig, DirectoryLogEvents, DirectoryProvider,
  FederatedIdentityPool, FederatedSignUp, IdentitySource, ScopedApiAccess, ScopedBucketAccess, ScopedTableAccess, SignInFactor, UserDirectory,
} from '../src';

/**
/**
 * Options of the notes app.
 */
export interface NotesAppStackProps extends StackProps {
  /**
   * Delete everything with the stack (integ tests, development): no RETAIN, no deletion
   * protection, and the buckets are emptied on delete. The library's defaults keep user data.
   *
   * @default false
   */
  readonly destroyWithStack?: boolean;

  /**
   * The managed login domain prefix (global across AWS accounts); passkeys are bound to it.
   *
   * @default 'notes-app-example'
   */
  readonly authDomainPrefix?: string;

  /**
   * Offer one-time email codes as a first sign-in factor. Email codes go out through Amazon SES,
   * so deploying them needs the domain `notes.example.com` verified in SES beforehand; without
   * them the app signs in with passwords and passkeys and needs nothing prepared outside.
   *
   * @default true
   */
  readonly emailCodes?: boolean;
}

/**
 * The notes app: users sign in with a password, a passkey or an email code, or with Google or
 * the corporate SAML provider; a reports job calls the notes API with its own client; an admin
 * function manages users and groups.
 */
export class NotesAppStack extends Stack {
  public readonly users: UserDirectory;
  public readonly identities: FederatedIdentityPool;
  public readonly files: ScopedBucketAccess;
  public readonly notes: ScopedTableAccess;
  public readonly api: ScopedApiAccess;
  /** Adds the user's groups to the access token as `notes-api/group.<name>` scopes. */
  public readonly groupScopesFn: lambda.Function;
  /** The reports job's machine-to-machine client. */
  public readonly reportsClient: cognito.UserPoolClient;
  /** The admin console's confidential client, for a load balancer's authenticate-cognito action. */
  public readonly adminConsoleClient: cognito.UserPoolClient;
  /** The back end that administers users and group membership. */
  public readonly adminFn: lambda.Function;
  /** A back end that reads uploads under `public/` (to make thumbnails), through the rule language. */
  public readonly thumbnailFn: lambda.Function;
  /** The web and mobile apps' configuration (a stack Output in the Amplify outputs format). */
  public readonly clientConfig: ClientConfig;

  constructor(scope: Construct, id: string, props: NotesAppStackProps = {}) {
    super(scope, id, props);
    const destroy = props.destroyWithStack ?? false;
    const emailCodes = props.emailCodes ?? true;
    const authDomainPrefix = props.authDomainPrefix ?? 'notes-app-example';

    // Sign-in sources -> user directory: passwords, passkeys and email codes (choice-based sign-in).
    this.users = new UserDirectory(this, 'Users', {
      selfSignUp: true,
      domainPrefix: authDomainPrefix,
      // Passkeys are bound to this domain for good: pinned here, so a new prefix or a custom domain
      // later never breaks the passkeys users registered.
      passkeyRelyingPartyId: `${authDomainPrefix}.auth.${this.region}.amazoncognito.com`,
      ...(destroy ? { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false } : {}),
      signInFactors: emailCodes
        ? [SignInFactor.PASSWORD, SignInFactor.PASSKEY, SignInFactor.EMAIL_OTP]
        : [SignInFactor.PASSWORD, SignInFactor.PASSKEY],
      // Cognito offers passkeys and email codes only to users without MFA: optional MFA (TOTP)
      // for password sign-ins is the explicit price of passwordless sign-in (the synth warns).
      mfa: cognito.Mfa.OPTIONAL,
      // Devices are remembered when the user says so, and never stand in for the second factor.
      deviceTracking: { challengeRequiredOnNewDevice: false, deviceOnlyRememberedOnUserPrompt: true },
      // Email codes need Amazon SES: the identity notes.example.com must be verified in SES.
      ...(emailCodes ? {
        email: cognito.UserPoolEmail.withSES({
          fromEmail: 'no-reply@notes.example.com',
          fromName: 'Notes',
          sesVerifiedDomain: 'notes.example.com',
          sesRegion: 'us-east-1',
        }),
      } : {}),
    });
    this.users.addGroup('admins', { precedence: 0, description: 'Notes administrators' });
    this.users.addCustomAttribute('tenant', { mutable: false }); // admin-writable only: it decides access
    // The Google OAuth client secret lives in a secret of this stack: put the value from the
    // Google API console into it (`aws secretsmanager put-secret-value`), then deploy again.
    const googleSecret = new secretsmanager.Secret(this, 'GoogleClientSecret', {
      description: 'OAuth client secret of the notes app in the Google API console',
    });
    this.users.addIdentityProvider(DirectoryProvider.google({
      clientId: 'google-oauth-client-id.apps.googleusercontent.com',
      clientSecret: googleSecret.secretValue,
      // Self sign-up is on, so anyone may sign up with Google too (the default, said explicitly).
      // An invite-only app would name who may: FederatedSignUp.emailDomains('notes.example.com').
      signUp: FederatedSignUp.anyone(),
    }));
    // The corporate IdP's metadata, inline: Cognito reads no URL at deploy time. The placeholder
    // document's signing certificate has no private key anywhere, so nobody can sign in with it.
    this.users.addIdentityProvider(DirectoryProvider.saml({
      name: 'Corp',
      metadataDocument: fs.readFileSync(path.join(__dirname, 'corp-saml-metadata.xml'), 'utf8'),
    }));
    const web = this.users.addWebClient('Web', {
      callbackUrls: ['https://notes.example.com/', 'http://localhost:3000/'],
      logoutUrls: ['https://notes.example.com/', 'http://localhost:3000/'],
      // Managed login in the notes app's colors, with its logo (checked at synth: type, size, colors).
      branding: {
        assets: [BrandingAsset.fromFile(BrandingAssetCategory.FORM_LOGO, path.join(__dirname, 'notes-logo.svg'))],
        // Only what differs from Cognito's style, in the branding editor's format (colors RRGGBBAA).
        settings: BrandingSettings.fromJson(JSON.stringify({
          categories: { global: { colorSchemeMode: 'LIGHT' } },
          componentClasses: {
            link: { lightMode: { defaults: { textColor: '0972d3ff' }, hover: { textColor: '033160ff' } } },
            focusState: { lightMode: { borderColor: '0972d3ff' } },
          },
        })),
      },
    });
    // The server-rendered admin console signs users in through a load balancer's authenticate-cognito
    // action: a confidential client whose secret stays in Cognito (no Output, no client configuration).
    this.adminConsoleClient = this.users.addServerClient('AdminConsole', {
      callbackUrls: ['https://admin.notes.example.com/oauth2/idpresponse'],
    });

    // Running the directory: message-delivery errors and threat protection's user activity go to
    // a log group the directory creates (a year of retention); a web ACL rate-limits sign-in per IP
    // and runs AWS's baseline managed rules; threat protection blocks high-risk sign-ins and leaked
    // passwords and asks for MFA at medium risk (users are not emailed: that needs an SES identity).
    this.users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);
    this.users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS);
    this.users.addWebAcl();
    this.users.configureThreatResponses();

    // Access tokens carry the user's groups as scopes (pre token generation, event version 2),
    // so an API that checks scopes can tell admins apart without reading `cognito:groups`.
    // The functions' logs: kept for two years, deleted with the stack only with `destroyWithStack`.
    const logsOf = (fn: string) => new logs.LogGroup(this, `${fn}Logs`, {
      retention: logs.RetentionDays.TWO_YEARS,
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.groupScopesFn = new lambda.Function(this, 'GroupScopes', {
      runtime: lambda.Runtime.NODEJS_24_X,
      logGroup: logsOf('GroupScopes'),
      handler: 'index.handler',
      code: lambda.Code.fromInline([
        'exports.handler = async (event) => {',
        '  const groups = event.request.groupConfiguration?.groupsToOverride ?? [];',
        '  event.response = { claimsAndScopeOverrideDetails: { accessTokenGeneration: {',
        '    scopesToAdd: groups.map((group) => `notes-api/group.${group}`),',
        '  } } };',
        '  return event;',
        '};',
      ].join('\n')),
    });
    this.users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, this.groupScopesFn, { lambdaVersion: cognito.LambdaVersion.V2_0 });

    // The notes API as an OAuth resource server, and the nightly reports job as its machine client.
    this.users.addResourceServer('notes-api', {
      name: 'Notes API',
      scopes: { 'notes.read': 'Read notes', 'reports.read': 'Read usage reports' },
    });
    this.reportsClient = this.users.addMachineClient('Reports', { scopes: ['notes-api/reports.read'] });

    // The admin back end: reads users, runs their lifecycle and group membership in this pool,
    // nothing else. `tenant` is immutable, so it is set at creation (AdminCreateUser): the back end
    // needs no attribute changes, the grant that can sign in as any user (README "Admin grants").
    this.adminFn = new lambda.Function(this, 'Admin', {
      runtime: lambda.Runtime.NODEJS_24_X,
      logGroup: logsOf('Admin'),
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 501 }); // user and group administration goes here'),
      environment: { USER_POOL_ID: this.users.userPoolId },
    });
    this.users.grantReadUsers(this.adminFn);
    this.users.grantManageAccounts(this.adminFn);

    // User directory + direct Google sign-in -> identity pool -> roles.
    this.identities = new FederatedIdentityPool(this, 'Identities', {
      sources: [
        IdentitySource.userDirectory(this.users, web),
        // Self sign-up is open, so any Google account may sign in straight to the pool too (stated).
        IdentitySource.google({ clientId: 'google-oauth-client-id.apps.googleusercontent.com', admitAnyAccount: true }),
      ],
      guestAccess: true,
      principalTags: { tenant: 'custom:tenant' }, // ABAC: the session tag `tenant` <- the token claim
      // Kept by default: a new pool would re-issue every identity id and orphan every user's files and notes.
      ...(destroy ? { removalPolicy: RemovalPolicy.DESTROY } : {}),
    });
    this.identities.roleForGroup('admins');

    // Roles -> scoped access: the uploads bucket (created secure by the construct).
    this.files = new ScopedBucketAccess(this, 'Uploads', {
      identityPool: this.identities,
      corsOrigins: ['https://notes.example.com'],
      ...(destroy ? { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true } : {}),
    });
    this.files.allow('public/*', Audience.guest(), Access.READ);
    this.files.allow('public/*', Audience.authenticated(), Access.READ, Access.WRITE, Access.DELETE);
    this.files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    this.files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ); // anyone's folder
    this.files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    this.files.allow('private/{identity}/*', Audience.group('admins'), Access.READ); // anyone's folder
    this.files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);

    // A back end in the same rule language: the thumbnail job reads public/ and nothing else (not
    // `bucket.grantRead(fn)`, which would cover the whole bucket and skip the nesting Denies).
    this.thumbnailFn = new lambda.Function(this, 'Thumbnails', {
      runtime: lambda.Runtime.NODEJS_24_X,
      logGroup: logsOf('Thumbnails'),
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({}); // reads public/ uploads and makes thumbnails'),
      environment: { BUCKET: this.files.bucket.bucketName },
    });
    // Uploads to public/ invoke it through EventBridge (no custom resource); `access` is the same
    // `Audience.principal` rule as `files.allow('public/*', Audience.principal(fn), Access.READ)`.
    this.files.onObjectCreated('MakeThumbnails', 'public/*', this.thumbnailFn, { access: [Access.READ] });

    // The notes table, keyed by identity id: each user reads and writes only their own notes.
    const table = new dynamodb.TableV2(this, 'NotesTable', {
      partitionKey: { name: 'identityId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'noteId', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: !destroy,
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    this.notes = new ScopedTableAccess(this, 'Notes', { identityPool: this.identities, table });
    this.notes.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);

    // The REST API, IAM-authorized: the identity pool credentials sign the requests.
    const restApi = new apigateway.RestApi(this, 'NotesApi', {
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      deployOptions: { stageName: 'prod' },
      cloudWatchRole: false,
    });
    const notesResource = restApi.root.addResource('notes');
    const integration = new apigateway.MockIntegration({
      integrationResponses: [{ statusCode: '200' }],
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
    });
    const methodOptions = { methodResponses: [{ statusCode: '200' }] };
    for (const method of ['GET', 'POST']) {
      notesResource.addMethod(method, integration, methodOptions);
    }
    const note = notesResource.addResource('{noteId}');
    for (const method of ['GET', 'PUT', 'DELETE']) {
      note.addMethod(method, integration, methodOptions);
    }
    restApi.root.addResource('admin').addResource('{proxy+}').addMethod('ANY', integration, methodOptions);

    this.api = new ScopedApiAccess(this, 'Api', { identityPool: this.identities, api: restApi });
    this.api.allow('/notes/*', Audience.authenticated(), 'GET', 'POST', 'PUT', 'DELETE');
    this.api.allow('/admin/*', Audience.group('admins'), '*');

    // The front end's configuration (amplify_outputs.json) as the stack Output `AmplifyOutputs`.
    this.clientConfig = new ClientConfig(this, 'ClientConfig', {
      directory: this.users,
      client: web,
      identityPool: this.identities,
      storage: [this.files],
    });
  }
}

/** Builds the app; tests and the integ test reuse it. */
export function buildNotesApp(outdir?: string): { app: App; stack: NotesAppStack } {
  const app = new App({ outdir });
  const stack = new NotesAppStack(app, 'NotesApp');
  return { app, stack };
}

/** The access constructs' rules, as the summary and README's access picture show them. */
export function accessSections(stack: NotesAppStack): AccessSection[] {
  return [
    { resource: 'bucket', rows: stack.files.describe() },
    { resource: 'table', rows: stack.notes.describe() },
    { resource: 'api', rows: stack.api.describe() },
  ];
}

if (require.main === module) {
  const started = process.hrtime.bigint();
  const { app, stack } = buildNotesApp(path.join(__dirname, '..', 'cdk.out'));
  const assembly = app.synth();
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  printSummary(assembly, stack, millis, accessSections(stack));
}
