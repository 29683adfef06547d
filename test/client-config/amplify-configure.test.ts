import * as fs from 'fs';
import * as path from 'path';
import { Amplify } from 'aws-amplify';
import { getUrl } from 'aws-amplify/storage';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import { deployedConfig, REGION } from './outputs';
import { buildNotesApp } from '../../examples/notes-app';
import { SCHEMA_VERSION } from '../../src/client-config/private/amplify-outputs';

/*
 * The notes app's configuration, with deploy-time values replaced by deployed-looking ones, is a
 * valid `AWSAmplifyBackendOutputs` (@aws-amplify/client-config) and is what aws-amplify v6 reads.
 */

const SUB = '${cognito-identity.amazonaws.com:sub}';

const CLIENT_CONFIG = path.dirname(require.resolve('@aws-amplify/client-config'));
/** The schema file that @aws-amplify/client-config exports as `clientConfigTypesV1_5`. */
const SCHEMA = path.join(CLIENT_CONFIG, 'client-config-schema', `client_config_v${SCHEMA_VERSION}`);

/** TypeScript's verdict on `const outputs: AWSAmplifyBackendOutputs = <json>` (an empty list when it type-checks). */
function typeErrors(json: unknown): string[] {
  const file = path.join(__dirname, '__generated_outputs__.ts');
  const text = `import type { AWSAmplifyBackendOutputs } from ${JSON.stringify(SCHEMA)};\n`
    + `export const outputs: AWSAmplifyBackendOutputs = ${JSON.stringify(json, null, 2)};\n`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  const fileExists = host.fileExists;
  host.getSourceFile = (name, language, ...rest) => (path.resolve(name) === file
    ? ts.createSourceFile(name, text, language)
    : getSourceFile.call(host, name, language, ...rest));
  host.fileExists = (name) => path.resolve(name) === file || fileExists.call(host, name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

const { stack } = buildNotesApp();
const outputs = deployedConfig(Template.fromStack(stack).toJSON());

afterAll(async () => {
  // aws-amplify re-detects the framework once, a second after it first signs a request.
  await new Promise(resolve => setTimeout(resolve, 1100));
});

test('the schema version is the newest @aws-amplify/client-config knows', () => {
  const types = fs.readFileSync(path.join(CLIENT_CONFIG, 'client-config-types', 'client_config.d.ts'), 'utf8');
  const versions = [...types.matchAll(/V1_\d+ = "(1\.\d+)"/g)].map(m => m[1]);
  expect(versions.length).toBeGreaterThan(0);
  expect(SCHEMA_VERSION).toBe(versions.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).pop());
  expect(types).toContain(`import * as clientConfigTypesV${SCHEMA_VERSION.replace('.', '_')} from '../client-config-schema/client_config_v${SCHEMA_VERSION}.js'`);
});

test('the notes app configuration type-checks as AWSAmplifyBackendOutputs', () => {
  expect(typeErrors(outputs)).toEqual([]);
  // and the check can fail: an action Amplify does not know, a missing required field
  const broken = { ...outputs, storage: { ...outputs.storage, buckets: [{ ...outputs.storage.buckets[0], paths: { 'a/*': { guest: ['read-write'] } } }] } };
  expect(typeErrors(broken).join('\n')).toMatch(/"read-write"/);
  const { user_pool_id: _, ...auth } = outputs.auth;
  expect(typeErrors({ ...outputs, auth }).join('\n')).toMatch(/user_pool_id/);
});

test('Amplify.configure() accepts it: user pool, identity pool, OAuth and bucket paths', () => {
  // WHEN
  Amplify.configure(outputs);
  const config = Amplify.getConfig();
  // THEN
  expect(config.Auth?.Cognito).toMatchObject({
    userPoolId: outputs.auth.user_pool_id,
    userPoolClientId: outputs.auth.user_pool_client_id,
    identityPoolId: outputs.auth.identity_pool_id,
    allowGuestAccess: true,
    mfa: { status: 'optional', totpEnabled: true, smsEnabled: false },
    passwordFormat: { minLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSpecialCharacters: true },
    loginWith: {
      email: true,
      oauth: {
        domain: expect.stringMatching(new RegExp(`\\.auth\\.${REGION}\\.amazoncognito\\.com$`)),
        providers: ['Google'],
        responseType: 'code',
        redirectSignIn: ['https://notes.example.com/', 'http://localhost:3000/'],
      },
    },
    groups: [{ admins: { precedence: 0 } }],
  });
  expect(outputs.auth.user_pool_id).toMatch(new RegExp(`^${REGION}_`));
  expect(config.Storage?.S3).toEqual({
    bucket: outputs.storage.bucket_name,
    region: REGION,
    buckets: {
      Uploads: {
        bucketName: outputs.storage.bucket_name,
        region: REGION,
        paths: {
          'public/*': { guest: ['get', 'list'], authenticated: ['get', 'list', 'write', 'delete'] },
          [`protected/${SUB}/*`]: { entityidentity: ['get', 'list', 'write', 'delete'] },
          [`private/${SUB}/*`]: { entityidentity: ['get', 'list', 'write', 'delete'] },
        },
      },
    },
  });
});

test('the Storage API finds the bucket by its name in the file', async () => {
  // GIVEN signed-in credentials (fake: getUrl only signs, it sends nothing)
  Amplify.configure(outputs, {
    Auth: {
      credentialsProvider: {
        getCredentialsAndIdentityId: async () => ({
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
          identityId: `${REGION}:11111111-2222-3333-4444-555555555555`,
        }),
        clearCredentialsAndIdentityId: () => undefined,
      },
      tokenProvider: { getTokens: async () => null },
    },
  });
  // WHEN
  const byName = await getUrl({ path: 'public/welcome.txt', options: { bucket: 'Uploads' } });
  const byDefault = await getUrl({ path: ({ identityId }) => `protected/${identityId}/photo.jpg` });
  // THEN
  expect(byName.url.host).toBe(`${outputs.storage.bucket_name}.s3.${REGION}.amazonaws.com`);
  expect(byName.url.pathname).toBe('/public/welcome.txt');
  expect(byDefault.url.pathname).toBe(`/protected/${REGION}%3A11111111-2222-3333-4444-555555555555/photo.jpg`);
});
