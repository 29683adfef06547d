/**
 * The notes app from DESIGN.md's reference scenario, built with the library's public API only.
 *
 * `npm run example` synthesizes it into cdk.out/ (no AWS account needed) and prints a summary.
 */
import * as path from 'path';
import { App, SecretValue, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { printSummary } from './summary';
import { DirectoryProvider, FederatedIdentityPool, IdentitySource, UserDirectory } from '../src';

/**
 * The notes app: users sign in with email, Google or the corporate SAML provider.
 */
export class NotesAppStack extends Stack {
  public readonly users: UserDirectory;
  public readonly identities: FederatedIdentityPool;

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
  printSummary(assembly, stack, millis);
}
