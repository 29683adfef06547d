/**
 * The notes app from DESIGN.md's reference scenario, built with the library's public API only.
 *
 * `npm run example` synthesizes it into cdk.out/ (no AWS account needed) and prints a summary.
 */
import * as path from 'path';
import { App, RemovalPolicy, SecretValue, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { printSummary } from './summary';
import {
  Access, Audience, ClientConfig, DirectoryProvider, FederatedIdentityPool, IdentitySource,
  ScopedApiAccess, ScopedBucketAccess, ScopedTableAccess, UserDirectory,
} from '../src';

/**
 * The notes app: users sign in with email, Google or the corporate SAML provider.
 */
export class NotesAppStack extends Stack {
  public readonly users: UserDirectory;
  public readonly identities: FederatedIdentityPool;
  public readonly files: ScopedBucketAccess;
  public readonly notes: ScopedTableAccess;
  public readonly api: ScopedApiAccess;
  public readonly clientConfig: ClientConfig;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    // Sign-in sources -> user directory.
    this.users = new UserDirectory(this, 'Users', {
      selfSignUp: true,
      domainPrefix: 'notes-app-example',
    });
    this.users.addGroup('admins', { precedence: 0, description: 'Notes administrators' });
    this.users.addCustomAttribute('tenant', { mutable: false }); // admin-writable only: it decides access
    this.users.addIdentityProvider(DirectoryProvider.google({
      clientId: 'google-oauth-client-id.apps.googleusercontent.com',
      clientSecret: SecretValue.secretsManager('notes-app/google-client-secret'),
    }));
    this.users.addIdentityProvider(DirectoryProvider.saml({
      name: 'Corp',
      metadataUrl: 'https://idp.example.com/saml/metadata.xml',
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
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
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
