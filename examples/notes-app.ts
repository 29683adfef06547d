/**
 * The notes app (the project's reference scenario: README's "Quick start" and "Access picture"),
 * built with the library's public API only.
 *
 * `npm run example` synthesizes it into cdk.out/ (no AWS account needed) and prints a summary.
 * It deploys with nothing prepared outside the stack: the Google client secret is a Secrets
 * Manager secret of the stack and the corporate SAML provider gets its metadata document inline.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { printSummary } from './summary';
import {
  Access, Audience, DirectoryProvider, FederatedIdentityPool, IdentitySource,
  ScopedApiAccess, ScopedBucketAccess, ScopedTableAccess, UserDirectory,
} from '../src';

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
}

/**
 * The notes app: users sign in with email, Google or the corporate SAML provider.
 */
export class NotesAppStack extends Stack {
  public readonly users: UserDirectory;
  public readonly identities: FederatedIdentityPool;
  public readonly files: ScopedBucketAccess;
  public readonly notes: ScopedTableAccess;
  public readonly api: ScopedApiAccess;

  constructor(scope: Construct, id: string, props: NotesAppStackProps = {}) {
    super(scope, id, props);
    const destroy = props.destroyWithStack ?? false;

    // Sign-in sources -> user directory.
    this.users = new UserDirectory(this, 'Users', {
      selfSignUp: true,
      domainPrefix: 'notes-app-example',
      ...(destroy ? { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false } : {}),
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
    });

    // User directory + direct Google sign-in -> identity pool -> roles.
    this.identities = new FederatedIdentityPool(this, 'Identities', {
      sources: [
        IdentitySource.userDirectory(this.users, web),
        IdentitySource.google({ clientId: 'google-oauth-client-id.apps.googleusercontent.com' }),
      ],
      guestAccess: true,
      principalTags: { tenant: 'custom:tenant' }, // ABAC: the session tag `tenant` <- the token claim
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
  }
}

/** Builds the app; tests and the integ test reuse it. */
export function buildNotesApp(outdir?: string): { app: App; stack: NotesAppStack } {
  const app = new App({ outdir });
  const stack = new NotesAppStack(app, 'NotesApp');
  return { app, stack };
}

if (require.main === module) {
  const started = process.hrtime.bigint();
  const { app, stack } = buildNotesApp(path.join(__dirname, '..', 'cdk.out'));
  const assembly = app.synth();
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  printSummary(assembly, stack, millis, [
    { resource: 'bucket', rows: stack.files.describe() },
    { resource: 'table', rows: stack.notes.describe() },
    { resource: 'api', rows: stack.api.describe() },
  ]);
}
