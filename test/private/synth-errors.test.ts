import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, SecretValue, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  Access, Audience, ClientConfig, DirectoryProvider, FederatedIdentityPool, FederatedSignUp, IdentitySource,
  ScopedBucketAccess, ScopedTableAccess, UserDirectory,
} from '../../src';
import { ValidationErrors } from '../../src/private/errors';

/*
 * Every check that needs the whole app runs at synth (`node.addValidation`), and aws-cdk-lib then
 * throws its own error listing the problems. README "Errors" promises that
 * `ValidationErrors.isValidationError()` recognises it. One app per synth-time check of the library
 * (every `addValidation` in src/ that can return a problem), each through `app.synth()`.
 */

const secret = SecretValue.unsafePlainText('test-only');

function synthFailure(app: App): Error {
  try {
    app.synth();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected app.synth() to fail');
}

function newApp() {
  const app = new App();
  return { app, stack: new Stack(app, 'Stack', { env: { account: '123456789012', region: 'us-east-1' } }) };
}

const oidc = (stack: Stack, n: number) => IdentitySource.oidc(
  iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, `Oidc${n}`, `arn:aws:iam::123456789012:oidc-provider/idp${n}.example.com`));

const CASES: Array<[string, RegExp, () => App]> = [
  ['FederatedIdentityPool: no source and no guest access', /`sources`: the identity pool has no source and no guest access/, () => {
    const { app, stack } = newApp();
    new FederatedIdentityPool(stack, 'Ids', { sources: [] });
    return app;
  }],
  ['FederatedIdentityPool: a createRole() role no rule gives', /`rules`: role Unused from createRole\(\) is given by no role mapping rule/, () => {
    const { app, stack } = newApp();
    const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [oidc(stack, 0)] });
    pool.createRole('Unused');
    return app;
  }],
  ['FederatedIdentityPool quotas: 11 identity providers with role mappings', /`sources`: the number of identity providers with a role mapping .* exceeds the Cognito quota/, () => {
    const { app, stack } = newApp();
    const sources = Array.from({ length: 11 }, (_, i) => oidc(stack, i));
    const pool = new FederatedIdentityPool(stack, 'Ids', { sources });
    const role = pool.createRole('Mapped');
    sources.forEach(source => pool.addRoleMapping(source, { rules: [{ claim: 'hd', value: 'example.com', role }] }));
    return app;
  }],
  ['ClientConfig: a client the identity pool does not federate', /`client`: the identity pool Stack\/Ids does not federate this client/, () => {
    const { app, stack } = newApp();
    const users = new UserDirectory(stack, 'Users');
    const web = users.addWebClient('Web');
    const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, web)] });
    new ClientConfig(stack, 'Config', { directory: users, client: users.addWebClient('Admin'), identityPool: pool });
    return app;
  }],
  ['ScopedBucketAccess: CORS origins and no rule', /`corsOrigins`: the bucket has a CORS rule but no access rule grants anything/, () => {
    const { app, stack } = newApp();
    const users = new UserDirectory(stack, 'Users');
    const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, users.addWebClient('Web'))] });
    new ScopedBucketAccess(stack, 'Files', { identityPool: pool, corsOrigins: ['https://app.example.com'] });
    return app;
  }],
  ['UserDirectory federation: a provider without managed login pages', /`domainPrefix`: sign-in with Corp needs the managed login pages/, () => {
    const { app, stack } = newApp();
    const users = new UserDirectory(stack, 'Users');
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://idp.example.com/metadata' }));
    return app;
  }],
  ['UserDirectory admission: preSignUpTrigger() without a trigger', /`signUp`: Google leaves sign-up to your own pre sign-up trigger, and the pool has none/, () => {
    const { app, stack } = newApp();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    users.addIdentityProvider(DirectoryProvider.google({ clientId: 'google-client', clientSecret: secret, signUp: FederatedSignUp.preSignUpTrigger() }));
    return app;
  }],
  ['UserDirectory machine access: a scope no resource server defines', /`scopes`: machine client Reports asks for a scope no resource server of this directory defines/, () => {
    const { app, stack } = newApp();
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'notes-auth' });
    users.addResourceServer('notes-api', { scopes: { 'notes.read': 'Read notes' } });
    users.addMachineClient('Reports', { scopes: ['notes-api/notes.write'] });
    return app;
  }],
  ['UserDirectory machine access: machine clients without a domain', /`domainPrefix`: machine clients \(Reports\) get tokens from the token endpoint/, () => {
    const { app, stack } = newApp();
    const users = new UserDirectory(stack, 'Users');
    users.addResourceServer('notes-api', { scopes: { 'notes.read': 'Read notes' } });
    users.addMachineClient('Reports', { scopes: ['notes-api/notes.read'] });
    return app;
  }],
  ['ScopedBucketAccess: a back end named by a value the library cannot follow', /`audience`: The back end's role is named by deploy-time values the library cannot follow to a role/, () => {
    const { app, stack } = newApp();
    const users = new UserDirectory(stack, 'Users');
    const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, users.addWebClient('Web'))] });
    new ScopedBucketAccess(stack, 'Files', { identityPool: pool })
      .allow('exports/*', Audience.principal(iam.Role.fromRoleArn(stack, 'Reports', new CfnParameter(stack, 'ReportsArn').valueAsString)), Access.READ);
    return app;
  }],
];

describe('errors found at synth are recognised by ValidationErrors.isValidationError()', () => {
  test.each(CASES)('%s', (_name, message, build) => {
    // WHEN
    const error = synthFailure(build());
    // THEN aws-cdk-lib's error lists the library's problem, and the library recognises it
    expect(error.message).toMatch(message);
    expect(ValidationErrors.isValidationError(error)).toBe(true);
  });

  test('a user pool with more groups than the quota allows', () => {
    // (10,001 groups: the only way to reach the quota; the stack's 500-resource limit is not checked at this point.)
    const { app, stack } = newApp();
    const users = new UserDirectory(stack, 'Users');
    for (let i = 0; i <= 10_000; i++) {
      users.addGroup(`g${i}`);
    }
    const error = synthFailure(app);
    expect(error.message).toMatch(/`groupName`: the number of groups exceeds the Cognito quota "Maximum number of groups per user pool": 10,000 \(received 10001\)/);
    expect(ValidationErrors.isValidationError(error)).toBe(true);
  });

  test('an error thrown while synthesizing (a table rule checked against indexes added later) is recognised too', () => {
    // GIVEN an owner rule on an index that is then added, partitioned by another attribute than the owner's
    const { app, stack } = newApp();
    const users = new UserDirectory(stack, 'Users');
    const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, users.addWebClient('Web'))] });
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING } });
    table.addGlobalSecondaryIndex({ indexName: 'byStatus', partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING } });
    new ScopedTableAccess(stack, 'Notes', { identityPool: pool, table }).allowOwnItemsWith(Audience.owner(), { indexes: ['byStatus'] }, Access.LIST);
    // WHEN
    const error = synthFailure(app);
    // THEN
    expect(error.message).toMatch(/`indexes`: Index `byStatus` is partitioned by `status`/);
    expect(ValidationErrors.isValidationError(error)).toBe(true);
  });

  test('safe: aws-cdk-lib\'s error for problems that are not the library\'s is not recognised', () => {
    // GIVEN a validation of the app's own
    const { app, stack } = newApp();
    new Construct(stack, 'Mine').node.addValidation({ validate: () => ['my own problem'] });
    // WHEN
    const error = synthFailure(app);
    // THEN
    expect(error.message).toContain('my own problem');
    expect(ValidationErrors.isValidationError(error)).toBe(false);
    expect(ValidationErrors.isValidationError(new Error('`sources`: the identity pool has no source'))).toBe(false);
    expect(ValidationErrors.isValidationError(undefined)).toBe(false);
    expect(ValidationErrors.isValidationError('Validation failed with the following errors:')).toBe(false);
  });

  test('another copy of the library recognises the problems this copy found', () => {
    // GIVEN an error of this copy
    const error = synthFailure(CASES[0][2]());
    // WHEN a second copy of the module is loaded (as with two installs of the library in one app)
    let other: typeof ValidationErrors | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      other = require('../../src/private/errors').ValidationErrors;
    });
    // THEN
    expect(other).not.toBe(ValidationErrors);
    expect(other!.isValidationError(error)).toBe(true);
  });

  test('every synth-time check in src/ goes through the recording helper', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          walk(file);
        } else if (file.endsWith('.ts') && !file.endsWith(path.join('private', 'errors.ts'))
          && /\.addValidation\(/.test(fs.readFileSync(file, 'utf8'))) {
          offenders.push(path.relative(path.join(__dirname, '..', '..'), file));
        }
      }
    };
    walk(path.join(__dirname, '..', '..', 'src'));
    expect(offenders).toEqual([]);
  });
});
