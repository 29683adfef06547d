/**
 * The platform layout (README's "Many accounts, many regions"): one identity account owns the
 * user directory; each region has its own identity pool with its own roles; the buckets and the
 * table live in a workload account.
 *
 *   PlatformIdentity     identity account, us-east-1: directory, web client, identity pool, roles,
 *                        the roles' access policies, the us-east-1 client configuration
 *   PlatformWorkload     workload account, us-east-1: a bucket and a table, each with its resource
 *                        policy allowing the us-east-1 pool's roles that hold a rule there
 *   PlatformIdentityEu   identity account, eu-west-1: an identity pool federating the same
 *                        directory, its own roles and policies, the eu-west-1 client configuration
 *   PlatformWorkloadEu   workload account, eu-west-1: a bucket for the eu-west-1 pool's roles
 *
 * Deploy order: PlatformIdentity, PlatformIdentityEu, then the workload stacks (a bucket policy
 * or table resource policy naming a role needs the role to exist).
 *
 * `npm run example` synthesizes it into cdk.out/platform/ (no AWS account needed) and prints a
 * summary. The accounts are placeholders: use your own.
 */
import * as path from 'path';
import { App, PhysicalName, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as cxapi from 'aws-cdk-lib/cx-api';
import {
  Access, Audience, ClientConfig, FederatedIdentityPool, IdentitySource, ScopedBucketAccess, ScopedTableAccess, UserDirectory,
} from '../src';

/** The identity account (directory, identity pools, roles). */
export const IDENTITY_ACCOUNT = '111111111111';
/** The workload account (buckets, tables). */
export const WORKLOAD_ACCOUNT = '222222222222';

/** The stacks of the platform app. */
export interface PlatformStacks {
  readonly identity: Stack;
  readonly workload: Stack;
  readonly identityEu: Stack;
  readonly workloadEu: Stack;
  readonly pool: FederatedIdentityPool;
  readonly poolEu: FederatedIdentityPool;
  readonly files: ScopedBucketAccess;
  readonly notes: ScopedTableAccess;
  readonly filesEu: ScopedBucketAccess;
}

/** Builds the platform app; the template gates reuse it. */
export function buildPlatformApp(outdir?: string): { app: App; stacks: PlatformStacks } {
  const app = new App({
    outdir,
    // The eu-west-1 pool names the us-east-1 directory's provider and client ids. aws-cdk-lib's
    // default ("strong") writes a reference across regions with Lambda-backed export readers;
    // "weak" reads the other stack's output with `Fn::GetStackOutput`, no Lambda (same account).
    context: { [cxapi.DEFAULT_CROSS_STACK_REFERENCES]: 'weak' },
  });
  const identity = new Stack(app, 'PlatformIdentity', { env: { account: IDENTITY_ACCOUNT, region: 'us-east-1' } });
  const workload = new Stack(app, 'PlatformWorkload', { env: { account: WORKLOAD_ACCOUNT, region: 'us-east-1' } });
  const identityEu = new Stack(app, 'PlatformIdentityEu', { env: { account: IDENTITY_ACCOUNT, region: 'eu-west-1' } });
  const workloadEu = new Stack(app, 'PlatformWorkloadEu', { env: { account: WORKLOAD_ACCOUNT, region: 'eu-west-1' } });

  // One directory, in the identity account's home region.
  const users = new UserDirectory(identity, 'Users', { selfSignUp: true });
  users.addGroup('admins', { precedence: 0 });
  const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'], logoutUrls: ['https://app.example.com/'] });

  // An identity pool per region, each with its own roles. A directory group has one role, so
  // group rules go through one pool (here us-east-1's).
  const pool = new FederatedIdentityPool(identity, 'Identities', { sources: [IdentitySource.userDirectory(users, web)] });
  const poolEu = new FederatedIdentityPool(identityEu, 'Identities', { sources: [IdentitySource.userDirectory(users, web)] });

  // Workload account, us-east-1: a bucket and a table for the us-east-1 pool's identities.
  const files = new ScopedBucketAccess(workload, 'Files', { identityPool: pool });
  files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
  files.allow('private/{identity}/*', Audience.group('admins'), Access.READ);
  files.allow('public/*', Audience.authenticated(), Access.READ);

  const table = new dynamodb.TableV2(workload, 'NotesTable', {
    // Named at synth only because the identity account's policies refer to it (the default for TableV2).
    tableName: PhysicalName.GENERATE_IF_NEEDED,
    partitionKey: { name: 'owner', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'noteId', type: dynamodb.AttributeType.STRING },
    deletionProtection: true,
  });
  const notes = new ScopedTableAccess(workload, 'Notes', { identityPool: pool, table });
  notes.allowOwnItems(Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);

  // Workload account, eu-west-1: a bucket for the eu-west-1 pool's identities only.
  const filesEu = new ScopedBucketAccess(workloadEu, 'Files', { identityPool: poolEu });
  filesEu.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);

  // A client configuration per region: the same directory and client, that region's pool and buckets.
  new ClientConfig(identity, 'ClientConfig', { directory: users, client: web, identityPool: pool, storage: [files] });
  new ClientConfig(identityEu, 'ClientConfig', { directory: users, client: web, identityPool: poolEu, storage: [filesEu] });

  return { app, stacks: { identity, workload, identityEu, workloadEu, pool, poolEu, files, notes, filesEu } };
}

if (require.main === module) {
  const started = process.hrtime.bigint();
  const { app } = buildPlatformApp(path.join(__dirname, '..', 'cdk.out', 'platform'));
  const assembly = app.synth();
  const millis = Number(process.hrtime.bigint() - started) / 1e6;
  const lines = [`Synthesized the platform app: ${assembly.stacks.length} stacks into ${path.relative(process.cwd(), assembly.directory)}/ in ${millis.toFixed(0)} ms`];
  for (const stack of assembly.stacks) {
    const resources = Object.values<{ Type: string; Properties?: any }>(stack.template.Resources ?? {});
    const crossAccount = resources.flatMap(r => {
      const doc = r.Type === 'AWS::S3::BucketPolicy' ? r.Properties.PolicyDocument
        : r.Type === 'AWS::DynamoDB::GlobalTable' ? r.Properties.Replicas?.[0]?.ResourcePolicy?.PolicyDocument : undefined;
      return (doc?.Statement ?? []).filter((s: any) => s.Principal?.AWS !== undefined && s.Principal.AWS !== '*')
        .map(() => r.Type.replace('AWS::', ''));
    });
    lines.push(`  ${stack.stackName} (${stack.environment.account}, ${stack.environment.region}): ${resources.length} resources`
      + (crossAccount.length > 0 ? `; resource-side statements for the identity account's roles: ${crossAccount.length} (${[...new Set(crossAccount)].join(', ')})` : ''));
  }
  console.log(lines.join('\n'));
}
