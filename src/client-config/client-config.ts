import { Annotations, CfnElement, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { amplifyOutputs, BucketFacts, Translation } from './private/amplify-outputs';
import { bucketFacts, directoryFacts, TokenLengths, usesOAuth } from './private/directory-facts';
import { DEFAULT_OUTPUT_NAME, MAX_PART_LENGTH, MAX_PARTS, OUTPUT_NAME, partName } from './private/output-names';
import { splitParts } from './private/split';
import type { ScopedBucketAccess } from '../access/scoped-bucket-access';
import type { IFederatedIdentityPool } from '../identity-pool/i-federated-identity-pool';
import { addValidation, invalid } from '../private/errors';
import type { IUserDirectory } from '../user-directory/i-user-directory';

/**
 * Properties of a ClientConfig.
 *
 * @example
 * /// fixture=api
 * new ClientConfig(this, 'ClientConfig', {
 *   directory: users,
 *   client: web,
 *   identityPool: identities,
 *   storage: [files],
 * });
 */
export interface ClientConfigProps {
  /**
   * The user directory the app signs users in to.
   */
  readonly directory: IUserDirectory;

  /**
   * The app client of `directory` the front end uses (one of `directory.webClients`).
   */
  readonly client: cognito.IUserPoolClient;

  /**
   * The identity pool that gives the app's users (and guests) AWS credentials.
   *
   * @default - no identity pool: the configuration has no `identity_pool_id` and cannot list buckets
   */
  readonly identityPool?: IFederatedIdentityPool;

  /**
   * The buckets the app uses, with their rules. The first one is the default bucket
   * (`storage.bucket_name`); each is named after its construct id (`storage.buckets[].name`).
   *
   * @default - no `storage` section
   */
  readonly storage?: ScopedBucketAccess[];

  /**
   * The name of the stack Output that holds the configuration. A configuration longer than
   * 4,096 characters continues in `<outputName>2`, `<outputName>3`, ...
   *
   * @default 'AmplifyOutputs'
   */
  readonly outputName?: string;
}

/**
 * The configuration a web or mobile front end needs, in the Amplify outputs format
 * (`amplify_outputs.json`, schema version 1.5), as a stack Output: the aws-amplify client
 * libraries (v6) read it unchanged with `Amplify.configure(outputs)`.
 *
 * It holds the user pool, app client, identity pool, sign-in settings (username attributes,
 * password policy, MFA, groups, managed login domain, OAuth scopes and redirect URLs) and the
 * buckets with their access rules as Amplify storage paths. Deploy-time values (ids, names) are
 * resolved by CloudFormation. `npx cdk-federated-access client-config` turns the
 * `cdk deploy --outputs-file` JSON into the file.
 *
 * @example
 * const users = new UserDirectory(this, 'Users', { selfSignUp: true });
 * const web = users.addWebClient('Web');
 * const identities = new FederatedIdentityPool(this, 'Identities', {
 *   sources: [IdentitySource.userDirectory(users, web)],
 * });
 * const files = new ScopedBucketAccess(this, 'Files', { identityPool: identities });
 * files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
 * new ClientConfig(this, 'ClientConfig', { directory: users, client: web, identityPool: identities, storage: [files] });
 */
export class ClientConfig extends Construct {
  /** The name of the stack Output holding the configuration (its first part). */
  public readonly outputName: string;

  private readonly props: ClientConfigProps;
  private readonly reported = new Set<string>();

  constructor(scope: Construct, id: string, props: ClientConfigProps) {
    super(scope, id);
    validateProps(props);
    this.props = props;
    this.outputName = props.outputName ?? DEFAULT_OUTPUT_NAME;

    new ConfigOutputs(this, 'Outputs', () => this.parts());
    addValidation(this, () => this.validate());
  }

  /** The configuration, with deploy-time values as tokens, and how long each token can get. */
  private translate(): { translation: Translation; lengths: TokenLengths } {
    const { directory, client, identityPool } = this.props;
    const lengths = new TokenLengths();
    const buckets = bucketsOf(this.props.storage ?? [], lengths);
    const translation = amplifyOutputs(directoryFacts(directory, client, identityPool, lengths), buckets);
    return { translation, lengths };
  }

  /** The Output values: the JSON cut into parts that each fit in one Output. */
  private parts(): string[] {
    const { translation, lengths } = this.translate();
    return splitParts(JSON.stringify(translation.outputs), MAX_PART_LENGTH, t => lengths.lengthOf(t));
  }

  private validate(): string[] {
    const errors: string[] = [];
    const { translation } = this.translate();
    for (const { bucket, rule, reason } of translation.leftOut) {
      this.report(`The rule \`${rule.path}\` for ${rule.audience} on bucket ${bucket} is not in the client configuration: ${reason}.`);
    }
    for (const { bucket, rule } of translation.writeOnly) {
      this.report(`The rule \`${rule.path}\` gives ${rule.audience} WRITE without GET on bucket ${bucket}: aws-amplify's uploadData checks an upload over 5 MiB (a multipart upload) with a HEAD request, which needs s3:GetObject, so those uploads fail after the data is sent. `
        + 'Upload with `options: { checksumAlgorithm: \'crc-32\' }` (a full-object checksum replaces the HEAD), or grant `Access.GET` on the path too.',
      'cdk-federated-access:clientConfigWriteWithoutGet');
    }
    for (const { bucket, path, group, key } of translation.misread) {
      this.report(`aws-amplify would give members of the group \`${group}\` the \`${key}\` entry of \`${path}\` on bucket ${bucket}: its location resolver takes the first audience key that contains the group's name, and the group's role does not have that access. `
        + 'Rename the group so that its name is not part of another audience key (`guest`, `authenticated`, `entityidentity`, `groups<name>`).',
      'cdk-federated-access:clientConfigGroupName');
    }
    const parts = this.parts().length;
    if (parts > MAX_PARTS) {
      errors.push(`\`storage\`: the configuration needs ${parts} Outputs of ${MAX_PART_LENGTH} characters, more than the ${MAX_PARTS} this construct writes (received ${this.props.storage?.length ?? 0} buckets). Split the rules over fewer paths, or the app over several stacks.`);
    }
    const clash = Stack.of(this).node.findAll()
      .find((c): c is ClientConfig => c instanceof ClientConfig && c !== this && Stack.of(c) === Stack.of(this) && c.outputName === this.outputName);
    if (clash !== undefined) {
      errors.push(`\`outputName\`: ${clash.node.path} writes the same stack Output (received "${this.outputName}"). Give each ClientConfig in a stack its own \`outputName\`.`);
    }
    const pool = this.props.identityPool;
    if (pool !== undefined && federates(pool, this.props.client) === false) {
      errors.push(`\`client\`: the identity pool ${pool.node.path} does not federate this client, so its users would get no AWS credentials (received ${this.props.client.node.path}). Add \`IdentitySource.userDirectory(directory, client)\` to the pool's sources.`);
    }
    if (usesOAuth(this.props.client) && translation.outputs.auth.oauth === undefined) {
      this.report('The client has callback URLs but the directory has no managed login domain, so the configuration has no `oauth` section and the app cannot use signInWithRedirect(). Set `domainPrefix` or `customDomain` on the UserDirectory.',
        'cdk-federated-access:clientConfigNoDomain');
    }
    return errors;
  }

  /** An info message, or a warning when it has an id; once per message (an app may be synthesized twice). */
  private report(message: string, warningId?: string): void {
    if (this.reported.has(message)) {
      return;
    }
    this.reported.add(message);
    if (warningId === undefined) {
      Annotations.of(this).addInfo(message);
    } else {
      Annotations.of(this).addWarningV2(warningId, message);
    }
  }
}

/** One or more stack Outputs whose number is known only at synth (it depends on the rules). */
class ConfigOutputs extends CfnElement {
  constructor(scope: ClientConfig, id: string, private readonly parts: () => string[]) {
    super(scope, id);
  }

  /** @internal */
  public _toCloudFormation(): object {
    const config = this.node.scope as ClientConfig;
    const parts = this.parts();
    const outputs: Record<string, unknown> = {};
    parts.forEach((value, i) => {
      outputs[partName(config.outputName, i)] = {
        Description: parts.length === 1
          ? 'amplify_outputs.json for the aws-amplify libraries (cdk-federated-access ClientConfig)'
          : `amplify_outputs.json, part ${i + 1} of ${parts.length}: join ${config.outputName}, ${config.outputName}2, ... in order (npx cdk-federated-access client-config does it)`,
        Value: value,
      };
    });
    return { Outputs: outputs };
  }
}

function validateProps(props: ClientConfigProps): void {
  if (props?.directory === undefined) {
    invalid('directory', undefined, 'ClientConfig needs the user directory the app signs users in to', 'Pass `directory: new UserDirectory(...)`.');
  }
  if (props.client === undefined) {
    invalid('client', undefined, 'ClientConfig needs the app client of the directory the front end uses', 'Pass `client: users.addWebClient(\'Web\', ...)`.');
  }
  if ((props.client.node.defaultChild as cognito.CfnUserPoolClient | undefined)?.generateSecret === true) {
    invalid('client', props.client.node.path, 'the client has a secret (a server or machine client): the configuration is published to every browser and app, and a front end cannot keep a secret',
      'Pass a public client from `directory.addWebClient()`; a server reads its client secret from Cognito (`DescribeUserPoolClient`).');
  }
  if (!props.directory.webClients.includes(props.client)) {
    invalid('client', props.client.node.path, `the client is not one of the app clients of the directory ${props.directory.node.path}`,
      'Pass a client that `directory.addWebClient()` returned (for `UserDirectory.fromUserPool()`, list it in `webClients`).');
  }
  const outputName = props.outputName;
  if (outputName !== undefined && (Token.isUnresolved(outputName) || !OUTPUT_NAME.test(outputName))) {
    invalid('outputName', outputName, 'an Output name is 1-251 letters and digits, starting with a letter (it is a CloudFormation logical id)', 'Use a name such as `AmplifyOutputs` or `AdminAppConfig`.');
  }
  const storage = props.storage ?? [];
  if (storage.length > 0 && props.identityPool === undefined) {
    invalid('storage', storage.map(s => s.node.path), 'the app reaches buckets with the identity pool\'s credentials, but no `identityPool` was given', 'Pass the `identityPool` the ScopedBucketAccess constructs grant to.');
  }
  for (const access of storage) {
    if (access.identityPool !== props.identityPool) {
      invalid('storage', access.node.path, `the bucket access grants to the identity pool ${access.identityPool.node.path}, not to ${props.identityPool!.node.path}, so the app's credentials would not reach it`,
        'Pass only ScopedBucketAccess constructs of the same `identityPool`.');
    }
  }
  const names = storage.map(s => s.node.id);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    invalid('storage', duplicate, 'two buckets would have the same name in `storage.buckets` (the name is the construct id)', 'Give the ScopedBucketAccess constructs distinct ids.');
  }
}

/** One entry per bucket; rules of several constructs on the same bucket form one entry. */
function bucketsOf(storage: readonly ScopedBucketAccess[], lengths: TokenLengths): BucketFacts[] {
  const byBucket = new Map<string, BucketFacts>();
  for (const access of storage) {
    const key = access.bucket.bucketName;
    const known = byBucket.get(key);
    if (known) {
      byBucket.set(key, { ...known, rules: [...known.rules, ...access.describe()] });
    } else {
      byBucket.set(key, bucketFacts(access.node.id, access.bucket, access.describe(), lengths));
    }
  }
  return [...byBucket.values()];
}

/**
 * Whether the identity pool federates the client, or undefined when that cannot be told (an
 * imported pool, or deploy-time values that do not resolve here).
 */
function federates(pool: IFederatedIdentityPool, client: cognito.IUserPoolClient): boolean | undefined {
  const cfn = (pool as { identityPool?: unknown }).identityPool;
  if (!(cfn instanceof cognito.CfnIdentityPool)) {
    return undefined;
  }
  try {
    const stack = Stack.of(cfn);
    const providers: unknown = stack.resolve(cfn.cognitoIdentityProviders);
    const clientId = JSON.stringify(stack.resolve(client.userPoolClientId));
    return Array.isArray(providers)
      && providers.some(p => JSON.stringify(p?.clientId ?? p?.ClientId) === clientId);
  } catch {
    return undefined;
  }
}
