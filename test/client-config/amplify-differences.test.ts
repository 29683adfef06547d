import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';
import { evaluateIdentity, policiesOf, Verdict } from '../security/harness';

/*
 * README "From Amplify storage rules" lists where this library and Amplify Gen 2's storage
 * generator differ on rules that Amplify accepts. Each difference is checked here against the
 * library (synthesized policies evaluated with iam-simulate, or the error `allow()` throws), with
 * the rule README says to write instead.
 */

const ACCOUNT = '123456789012';
const BUCKET = 'files-bucket-example';
const ALICE = 'us-east-1:00000002-aaaa-bbbb-cccc-000000000002';
const BOB = 'us-east-1:00000003-aaaa-bbbb-cccc-000000000003';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Differences', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const users = new UserDirectory(stack, 'Users');
  users.addGroup('admins', { precedence: 0 });
  const web = users.addWebClient('Web');
  const pool = new FederatedIdentityPool(stack, 'Ids', { sources: [IdentitySource.userDirectory(users, web)], guestAccess: true });
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool });
  return { stack, pool, files };
}

/** What alice (authenticated, or in admins) may do: `GET key` or `LIST prefix`. */
function verdict(stack: Stack, pool: FederatedIdentityPool, files: ScopedBucketAccess, request: string, role: 'authenticated' | 'admins' = 'authenticated'): Verdict {
  const template = Template.fromStack(stack).toJSON();
  const bucketId = stack.getLogicalId(files.bucket.node.defaultChild as any);
  const values = { [bucketId]: BUCKET, [`${bucketId}.Arn`]: `arn:aws:s3:::${BUCKET}` };
  const roleConstruct = role === 'authenticated' ? pool.authenticatedRole : pool.roleForGroup('admins');
  const docs = policiesOf(template, stack.getLogicalId(roleConstruct.node.defaultChild as any), values);
  const [kind, target] = request.split(' ');
  const context = { 'cognito-identity.amazonaws.com:sub': ALICE, ...(kind === 'LIST' ? { 's3:prefix': target } : {}) };
  return evaluateIdentity(docs, {
    principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/alice`,
    action: kind === 'LIST' ? 's3:ListBucket' : 's3:GetObject',
    resource: kind === 'LIST' ? `arn:aws:s3:::${BUCKET}` : `arn:aws:s3:::${BUCKET}/${target}`,
    accountId: ACCOUNT,
    context,
  });
}

describe('differences from Amplify storage rules', () => {
  test('keys directly under an {identity} prefix are denied here (Amplify allows them)', () => {
    // GIVEN 'protected/{entity_id}/*': [allow.authenticated.to(['read']), allow.entity('identity').to([...])]
    const { stack, pool, files } = setup();
    files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
    // THEN anyone's folder, but not the keys beside the folders, nor folders no identity owns, nor
    // the list of folders
    expect(verdict(stack, pool, files, `GET protected/${ALICE}/f.txt`)).toBe('Allowed');
    expect(verdict(stack, pool, files, 'GET protected/someone/f.txt')).toBe('Denied');
    expect(verdict(stack, pool, files, 'GET protected/f.txt')).toBe('Denied');
    expect(verdict(stack, pool, files, 'LIST protected/')).toBe('Denied');
    expect(verdict(stack, pool, files, `LIST protected/${ALICE}/`)).toBe('Allowed');

  });

  test('a rule on the parent prefix allows the keys beside the {identity} folders (what README says to write)', () => {
    // GIVEN
    const { stack, pool, files } = setup();
    files.allow('protected/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
    files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
    // WHEN
    files.allow('protected/*', Audience.authenticated(), Access.READ);
    // THEN
    expect(verdict(stack, pool, files, 'GET protected/f.txt')).toBe('Allowed');
    expect(verdict(stack, pool, files, 'LIST protected/')).toBe('Allowed');
    expect(verdict(stack, pool, files, `GET protected/${ALICE}/f.txt`)).toBe('Allowed');
  });

  test('an entity rule on a path without {entity_id} is refused; authenticated is what Amplify grants there', () => {
    // 'public/*': [allow.entity('identity').to(['read'])]
    const { files } = setup();
    expect(() => files.allow('public/*', Audience.owner(), Access.READ)).toThrow(/`Audience.owner\(\)` needs a `\{identity\}` segment/);
    files.allow('public/*', Audience.authenticated(), Access.READ);
  });

  test('a nested {entity_id} path under an {entity_id} path compiles: a folder such as albums/ is no identity id', () => {
    // 'media/{entity_id}/*': [allow.authenticated.to(['read']), allow.entity('identity').to(['read', 'write'])],
    // 'media/albums/{entity_id}/*': [allow.entity('identity').to(['read', 'write'])]
    const { stack, pool, files } = setup();
    files.allow('media/{identity}/*', Audience.authenticated(), Access.READ);
    files.allow('media/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
    files.allow('media/albums/{identity}/*', Audience.owner(), Access.READ, Access.WRITE);
    // THEN the inner path decides under media/albums/: the owner only
    expect(verdict(stack, pool, files, `GET media/albums/${ALICE}/f.jpg`)).toBe('Allowed');
    expect(verdict(stack, pool, files, `GET media/albums/${BOB}/f.jpg`)).toBe('Denied');
    expect(verdict(stack, pool, files, `GET media/${BOB}/f.jpg`)).toBe('Allowed');
  });

  test('a chain of nested paths under an {entity_id} path compiles: shared/ is no identity id', () => {
    // 'protected/{entity_id}/*': [allow.authenticated.to(['read'])],
    // 'protected/shared/*': [allow.guest.to(['read'])],
    // 'protected/shared/public/*': [allow.authenticated.to(['read'])]
    const { stack, pool, files } = setup();
    files.allow('protected/{identity}/*', Audience.authenticated(), Access.READ);
    files.allow('protected/shared/*', Audience.guest(), Access.READ);
    files.allow('protected/shared/public/*', Audience.authenticated(), Access.READ);
    // THEN each path decides for its own subtree
    expect(verdict(stack, pool, files, 'GET protected/shared/public/f.txt')).toBe('Allowed');
    expect(verdict(stack, pool, files, 'GET protected/shared/f.txt')).toBe('Denied');
    expect(verdict(stack, pool, files, `GET protected/${BOB}/f.txt`)).toBe('Allowed');
  });

  test('group members keep authenticated and owner access here (Amplify gives a group role its group rules only)', () => {
    // 'private/{entity_id}/*': [allow.entity('identity').to(['read'])], 'reports/*': [allow.groups(['admins']).to(['read'])]
    const { stack, pool, files } = setup();
    files.allow('private/{identity}/*', Audience.owner(), Access.READ);
    files.allow('reports/*', Audience.group('admins'), Access.READ);
    expect(verdict(stack, pool, files, `GET private/${ALICE}/f.txt`, 'admins')).toBe('Allowed');
    expect(verdict(stack, pool, files, 'GET reports/q1.pdf', 'admins')).toBe('Allowed');
    expect(verdict(stack, pool, files, 'GET reports/q1.pdf', 'authenticated')).toBe('Denied');
  });
});
