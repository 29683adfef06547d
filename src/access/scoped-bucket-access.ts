import { Annotations, PhysicalName, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Access } from './access';
import { Audience, AudienceKind } from './audience';
import { BUCKET_DEFAULTS } from './defaults';
import { accessLogsPrefix, SharedAccessLogs } from './private/access-logs';
import { Statement } from './private/fit';
import { checkGuestService } from './private/guest-services';
import { parsePath } from './private/path';
import { attachPrincipalStatements, principalRoles } from './private/principals';
import { checkCrossAccountReference, resourceSideStatements, writeKeySide } from './private/resource-side';
import { checkAudienceHasRole, ResourceSideRole, RolePolicies, validateMaxManagedPolicies } from './private/role-policies';
import { namesKeys, ResourceRuleSet } from './private/rule-set';
import { BucketKms, BucketRule, checkBucketRules, compileBucketPolicies } from './private/s3';
import { enableEventBridge, eventPrefix, storageRule } from './private/storage-events';
import { StorageEvent, StorageEventOptions, StorageTriggerOptions } from './storage-events';
import type { IFederatedIdentityPool } from '../identity-pool/i-federated-identity-pool';
import { otherAccount, resourceAccountOf } from '../private/accounts';
import { addValidation, invalid } from '../private/errors';
import { subjectWarningId } from '../private/warnings';

/**
 * Properties of a ScopedBucketAccess.
 *
 * @example
 * /// fixture=api
 * new ScopedBucketAccess(this, 'Files', {
 *   identityPool: identities,
 *   corsOrigins: ['https://app.example.com'],
 *   accessLogsBucket: logBucket,
 *   encryptionKey: key,
 * });
 */
export interface ScopedBucketAccessProps {
  /**
   * The identity pool whose roles receive the access.
   */
  readonly identityPool: IFederatedIdentityPool;

  /**
   * The bucket to grant access to.
   *
   * @default - a new bucket with secure defaults: public access blocked, TLS only, S3-managed
   * encryption, versioning, RETAIN, server access logs to a log bucket, lifecycle rules for
   * noncurrent versions and incomplete uploads
   */
  readonly bucket?: s3.IBucket;

  /**
   * Browser origins (e.g. `https://app.example.com`) allowed to call the created bucket (CORS).
   * Methods follow the granted access; upload headers are allowed and `ETag` is exposed.
   * Only for a bucket this construct creates.
   *
   * @default - no CORS rule
   */
  readonly corsOrigins?: string[];

  /**
   * Allow every origin (`*`) in the created bucket's CORS rule. Must be said explicitly.
   *
   * @default false
   */
  readonly allowAnyOrigin?: boolean;

  /**
   * The number of managed policies one role may have (the account's IAM quota
   * "Managed policies per role"), 1 to 20.
   *
   * @default 10
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   */
  readonly maxManagedPoliciesPerRole?: number;

  /**
   * The bucket that receives the created bucket's server access logs, under the prefix
   * `access-logs/<construct path>/`. Log delivery is granted as aws-cdk-lib grants it for
   * `serverAccessLogsBucket`. Only for a bucket this construct creates.
   *
   * @default - one log bucket shared by every bucket that ScopedBucketAccess creates in the
   * stack (each under its own prefix), with the same secure defaults
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * The customer-managed KMS key that encrypts the given `bucket`, when the bucket object does
   * not know it (e.g. an imported bucket). Roles get `kms:Decrypt` / `kms:GenerateDataKey` on it,
   * limited to S3 requests on the granted prefixes.
   *
   * @default - `bucket.encryptionKey`, or no KMS permissions
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the buckets this construct creates (the bucket, and the access-log bucket
   * it shares with the other created buckets of the stack that have the same removal policy)
   * when they leave the stack. Only for buckets this construct creates.
   *
   * @default RemovalPolicy.RETAIN - user files outlive the stack
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Empty the created buckets (the bucket and its shared access-log bucket) when they are
   * deleted, so that `cdk destroy` can delete them (needs
   * `removalPolicy: RemovalPolicy.DESTROY`; adds aws-cdk-lib's Lambda-backed auto-delete custom
   * resource). For test and development stacks.
   *
   * @default false
   */
  readonly autoDeleteObjects?: boolean;
}

/**
 * One access rule, as text (for documentation and summaries).
 *
 * @example
 * /// fixture=api
 * for (const rule of files.describe()) {
 *   Annotations.of(this).addInfo(`${rule.audience} may ${rule.access} ${rule.path}`);
 * }
 */
export interface AccessRuleDescription {
  /** The key pattern, e.g. `private/{identity}/*`. */
  readonly path: string;
  /** The audience: `guest`, `authenticated`, `owner` or `group:<name>`. */
  readonly audience: string;
  /** The access levels, comma separated, e.g. `READ, WRITE`. */
  readonly access: string;
}

interface Rule {
  readonly path: string;
  readonly audience: Audience;
  readonly access: Access[];
}

const ACCESS_ORDER = [Access.READ, Access.GET, Access.LIST, Access.WRITE, Access.DELETE];

/**
 * Scoped access to an S3 bucket for the identities of a federated identity pool: per-identity,
 * per-group and per-tenant key prefixes with exact listing.
 *
 * Rules are compiled into IAM policies (in this construct's stack) on every role of the pool that
 * their audience can receive, when the app is prepared (rules and roles added later are
 * included). A more specific path decides for its subtree: an audience keeps a parent path's
 * access there only if a rule on the inner path grants it. Listing a parent path still shows the
 * key names below it (a warning says so).
 *
 * All rules on one bucket form one rule set, even when several ScopedBucketAccess constructs add
 * them: nesting works across constructs (the first one on the bucket writes the statements). A
 * second construct on the same bucket with another identity pool or KMS key is refused.
 *
 * @example
 * const files = new ScopedBucketAccess(stack, 'Files', { identityPool: identities });
 * files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
 */
export class ScopedBucketAccess extends Construct {
  /** The bucket the rules grant access to. */
  public readonly bucket: s3.IBucket;

  /**
   * The bucket that receives the created bucket's server access logs.
   *
   * @default - none when `bucket` was given
   */
  public readonly accessLogsBucket?: s3.IBucket;

  private readonly pool: IFederatedIdentityPool;
  private readonly rules: Rule[] = [];
  private readonly kms?: BucketKms;
  /** The key whose policy takes the resource side when the bucket is in another account. */
  private readonly kmsKey?: kms.IKey;
  private readonly corsMethods?: s3.HttpMethods[];
  private readonly reported = new Set<string>();
  private readonly attachedPrincipals = new Set<string>();
  private readonly ruleSet: ResourceRuleSet<BucketRule>;

  constructor(scope: Construct, id: string, props: ScopedBucketAccessProps) {
    super(scope, id);
    if (props?.identityPool === undefined) {
      invalid('identityPool', undefined, 'ScopedBucketAccess needs the identity pool whose roles get the access',
        'Pass `identityPool: new FederatedIdentityPool(...)` or `FederatedIdentityPool.fromIdentityPoolId(...)`.');
    }
    this.pool = props.identityPool;
    if (props.maxManagedPoliciesPerRole !== undefined) {
      validateMaxManagedPolicies(props.maxManagedPoliciesPerRole);
    }
    const origins = validateOrigins(props.corsOrigins, props.allowAnyOrigin ?? false);
    const { removalPolicy, autoDeleteObjects } = validateRemoval(props);

    if (props.bucket !== undefined) {
      if (origins.length > 0) {
        invalid(props.corsOrigins !== undefined ? 'corsOrigins' : 'allowAnyOrigin', props.corsOrigins ?? props.allowAnyOrigin,
          'CORS can only be set on a bucket that ScopedBucketAccess creates',
          'Add the CORS rule to your own bucket, or leave out `bucket` to let ScopedBucketAccess create one.');
      }
      if (props.accessLogsBucket !== undefined) {
        invalid('accessLogsBucket', props.accessLogsBucket.node.path, 'The access-log bucket can only be set for a bucket that ScopedBucketAccess creates',
          'Configure server access logs on your own bucket, or leave out `bucket` to let ScopedBucketAccess create one.');
      }
      this.bucket = props.bucket;
      const key = props.encryptionKey ?? props.bucket.encryptionKey;
      this.kmsKey = props.bucket.encryptionKey ?? props.encryptionKey;
      if (key !== undefined) {
        this.kms = { keyArn: key.keyArn, region: props.bucket.env.region, bucketKeyEnabled: bucketKeyEnabled(props.bucket) };
      }
    } else {
      if (props.encryptionKey !== undefined) {
        invalid('encryptionKey', props.encryptionKey.node.path, '`encryptionKey` describes the key of a bucket you pass in `bucket`; the created bucket uses S3-managed keys',
          'Pass your KMS-encrypted bucket in `bucket` together with its key, or leave out `encryptionKey`.');
      }
      const d = BUCKET_DEFAULTS;
      const logPrefix = accessLogsPrefix(this);
      const accessLogs = props.accessLogsBucket ?? SharedAccessLogs.of(this).bucketFor(logPrefix, { removalPolicy, autoDeleteObjects });
      const bucket = new s3.Bucket(this, 'Bucket', {
        blockPublicAccess: d.blockPublicAccess,
        enforceSSL: d.enforceSSL,
        encryption: d.encryption,
        versioned: d.versioned,
        objectOwnership: d.objectOwnership,
        removalPolicy,
        autoDeleteObjects,
        // A name at synth only when a stack of another account or region refers to the bucket
        // (the pool roles' policies, in the identity account); otherwise CloudFormation names it.
        bucketName: PhysicalName.GENERATE_IF_NEEDED,
        serverAccessLogsBucket: accessLogs,
        serverAccessLogsPrefix: logPrefix,
        lifecycleRules: [{
          noncurrentVersionExpiration: d.noncurrentVersionExpiration,
          abortIncompleteMultipartUploadAfter: d.abortIncompleteMultipartUploadAfter,
        }],
      });
      if (origins.length > 0) {
        // Filled by allow(): the bucket renders its CORS rules lazily, so this list is final at synth.
        this.corsMethods = [];
        bucket.addCorsRule({
          allowedOrigins: origins,
          allowedMethods: this.corsMethods,
          allowedHeaders: [...CORS_HEADERS],
          exposedHeaders: ['ETag'],
          maxAge: d.corsMaxAge,
        });
        addValidation(this, () => (this.corsMethods!.length === 0
          ? ['`corsOrigins`: the bucket has a CORS rule but no access rule grants anything. Add rules with allow(), or leave out `corsOrigins`.']
          : []));
      }
      this.bucket = bucket;
      this.accessLogsBucket = accessLogs;
    }

    this.ruleSet = ResourceRuleSet.join<BucketRule>(this, {
      kind: 'bucket',
      property: 'bucket',
      // A created bucket with a physical name and an import of that name are the same bucket.
      // Names are followed through exports and SSM parameters of the app (rule-set.ts).
      ...namesKeys(this, [this.bucket.bucketName, this.bucket.bucketArn], ['AWS::S3::Bucket'], t => (t as s3.CfnBucket).bucketName),
      paths: () => this.rules.map(r => parsePath(r.path, { mappedTags: this.pool.principalTagNames })),
      pool: this.pool,
      settings: { encryptionKey: this.kms?.keyArn },
      rules: () => this.rules.map(toBucketRule),
    });
    RolePolicies.of(this.pool).register({
      scope: this,
      policyStatements: (groups: readonly string[]) => this.policyStatements(groups),
      principalRoles: () => (this.ruleSet.isOwner(this) ? principalRoles(this.ruleSet.rules()) : new Map()),
      resourceSide: (roles: readonly ResourceSideRole[]) => this.writeResourceSide(roles),
    }, { maxManagedPoliciesPerRole: props.maxManagedPoliciesPerRole });
  }

  /** The identity pool whose roles receive the access. */
  public get identityPool(): IFederatedIdentityPool {
    return this.pool;
  }

  /**
   * Lets an audience use the keys under a path.
   *
   * @param path a key pattern ending in `/*`, e.g. `public/*`, `private/{identity}/*` or
   * `tenants/{tag:tenant}/*`; `{identity}` is one segment holding an identity id, `{tag:NAME}`
   * one segment equal to the caller's principal tag NAME (mapped in the pool's `principalTags`)
   * @param audience who may use the keys
   * @param access what they may do (at least one)
   *
   * @example
   * /// fixture=api
   * files.allow('public/*', Audience.authenticated(), Access.READ);
   * files.allow('private/{identity}/*', Audience.owner(), Access.READ, Access.WRITE, Access.DELETE);
   * files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ);
   */
  public allow(path: string, audience: Audience, ...access: Access[]): void {
    if (!(audience instanceof Audience)) {
      invalid('audience', audience, 'An access rule needs an audience', 'Pass e.g. `Audience.authenticated()` or `Audience.owner()`.');
    }
    if (access.length === 0) {
      invalid('access', [], `A rule for \`${path}\` grants nothing`, 'Pass at least one access level, e.g. `Access.READ`.');
    }
    for (const a of access) {
      if (!ACCESS_ORDER.includes(a)) {
        invalid('access', a, 'Is not an Access value', 'Use `Access.READ`, `Access.GET`, `Access.LIST`, `Access.WRITE` or `Access.DELETE`.');
      }
    }
    checkGuestService(audience, 's3', 'Amazon S3', path);
    parsePath(path, { property: 'path', mappedTags: this.pool.principalTagNames, audience });
    checkAudienceHasRole(this, this.pool, audience, path);
    if (audience.kind === AudienceKind.GROUP) {
      this.pool.roleForGroup(audience.groupName!, audience.directory);
    }

    const same = this.rules.find(r => r.path === path && `${r.audience}` === `${audience}`);
    const candidate: Rule[] = same
      ? this.rules.map(r => (r === same ? { ...r, access: union(r.access, access) } : r))
      : [...this.rules, { path, audience, access: union([], access) }];
    // A rule that can never compile fails here; whether the whole rule set can be expressed in IAM
    // is decided at synth, on every rule of every construct on the bucket, so that the order in
    // which rules are added never matters.
    checkBucketRules([toBucketRule(candidate.find(r => r.path === path && `${r.audience}` === `${audience}`)!)], {
      identityRegion: this.pool._identityRegion(),
      mappedTags: this.pool.principalTagNames,
    });
    this.rules.splice(0, this.rules.length, ...candidate);

    if (this.corsMethods !== undefined) {
      for (const method of corsMethodsOf(access)) {
        if (!this.corsMethods.includes(method)) {
          this.corsMethods.push(method);
        }
      }
    }
  }

  /**
   * The rules, one row per path and audience, for documentation and summaries.
   *
   * @example
   * /// fixture=api
   * for (const rule of files.describe()) {
   *   Annotations.of(this).addInfo(`${rule.audience} may ${rule.access} ${rule.path}`);
   * }
   */
  public describe(): AccessRuleDescription[] {
    return this.rules.map(r => ({
      path: r.path,
      audience: `${r.audience}`,
      access: r.access.join(', '),
    }));
  }

  // ---- Storage events (EventBridge, no custom resource) ----

  /**
   * Invokes a function when an object is created under a path (uploads, overwrites, copies).
   *
   * @param id the id of the EventBridge rule (a child of this construct)
   * @param path a literal key pattern, e.g. `uploads/*`
   * @param handler the function to invoke
   * @example
   * /// fixture=api
   * // Make thumbnails of uploads: the function may read what it is told about.
   * files.onObjectCreated('MakeThumbnails', 'uploads/*', fn, { access: [Access.READ] });
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
   */
  public onObjectCreated(id: string, path: string, handler: lambda.IFunction, options: StorageTriggerOptions = {}): events.Rule {
    return this.addStorageTrigger(id, StorageEvent.OBJECT_CREATED, path, handler, options);
  }

  /**
   * Invokes a function when an object under a path is deleted (or a delete marker is created).
   *
   * @param id the id of the EventBridge rule (a child of this construct)
   * @param path a literal key pattern, e.g. `uploads/*`
   * @param handler the function to invoke
   * @example
   * /// fixture=api
   * files.onObjectRemoved('CleanUp', 'uploads/*', fn);
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
   */
  public onObjectRemoved(id: string, path: string, handler: lambda.IFunction, options: StorageTriggerOptions = {}): events.Rule {
    return this.addStorageTrigger(id, StorageEvent.OBJECT_REMOVED, path, handler, options);
  }

  /**
   * Sends the bucket's storage events under a path to any EventBridge target (a queue, a state
   * machine, another bus). Turns on EventBridge delivery on the bucket, in its own
   * `AWS::S3::Bucket` resource (no custom resource); an imported bucket is refused.
   *
   * @param id the id of the EventBridge rule (a child of this construct)
   * @param event what happened to the object
   * @param path a literal key pattern, e.g. `uploads/*` (no `{identity}` or `{tag:NAME}`)
   * @param target where the events go
   * @example
   * /// fixture=api
   * files.addStorageEvent('AuditUploads', StorageEvent.OBJECT_CREATED, 'uploads/*', new targets.CloudWatchLogGroup(logGroup));
   *
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
   */
  public addStorageEvent(id: string, event: StorageEvent, path: string, target: events.IRuleTarget, options: StorageEventOptions = {}): events.Rule {
    const prefix = eventPrefix(path, this.pool.principalTagNames);
    enableEventBridge(this, this.bucket);
    return storageRule(this, id, { bucket: this.bucket, event, path, prefix, target, description: options.description });
  }

  private addStorageTrigger(id: string, event: StorageEvent, path: string, handler: lambda.IFunction, options: StorageTriggerOptions): events.Rule {
    if (handler === undefined || handler === null || typeof handler.functionArn !== 'string') {
      invalid('handler', handler, 'A storage trigger needs the function to invoke', 'Pass a `lambda.Function` (or `lambda.Function.fromFunctionArn(...)`).');
    }
    eventPrefix(path, this.pool.principalTagNames);
    if (options.access !== undefined && options.access.length > 0) {
      // Checked (and refused) before any resource is added.
      this.allow(path, Audience.principal(handler), ...options.access);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const targetsLib: typeof targets = require('aws-cdk-lib/aws-events-targets');
    return this.addStorageEvent(id, event, path, new targetsLib.LambdaFunction(handler), options);
  }

  // ---- end of storage events ----


  /**
   * The bucket's side of cross-account access: when the bucket is in another account than the
   * pool's roles, its bucket policy allows each role that holds a rule on the bucket the union of
   * that role's S3 statements (policy variables widened), and a customer-managed key in that
   * account allows the role's KMS statements. The identity side stays per identity.
   */
  private writeResourceSide(roles: readonly ResourceSideRole[]): void {
    const account = otherAccount(this.pool, resourceAccountOf(this.bucket, this.bucket.bucketArn));
    if (account === undefined || !this.ruleSet.isOwner(this)) {
      return;
    }
    const identityStack = RolePolicies.of(this.pool).policyStackFor(Stack.of(this));
    checkCrossAccountReference(identityStack, this.bucket.bucketArn, 'bucket', this.bucket,
      'Give the bucket a physical name (`bucketName`, or `PhysicalName.GENERATE_IF_NEEDED`), or import it by name with `s3.Bucket.fromBucketAttributes(scope, id, { bucketName, account })`.');
    const statements = resourceSideStatements(roles, st => st.actions.every(a => a.startsWith('s3:')));
    let policy: s3.BucketPolicy | undefined;
    for (const statement of statements) {
      if (policy !== undefined) {
        policy.document.addStatements(statement);
      } else if (!this.bucket.addToResourcePolicy(statement).statementAdded) {
        policy = this.importedBucketPolicy(account);
        policy.document.addStatements(statement);
      }
    }
    const policyStack = policy !== undefined ? Stack.of(policy) : Stack.of(this.bucket);
    for (const { target } of roles) {
      checkCrossAccountReference(policyStack, target.role.roleArn, 'identityPool', target.role,
        'Create the identity pool\'s roles with this library (their names are generated when another account refers to them), or import them by literal ARN.');
    }
    if (this.kmsKey !== undefined && this.kms !== undefined) {
      writeKeySide(this, roles, this.kmsKey, this.kms.keyArn, identityStack, account);
    }
  }

  /**
   * The bucket policy of an imported bucket of account `account`, created in a stack of that
   * account (this construct's, else the import's). It replaces any policy the bucket has.
   */
  private importedBucketPolicy(account: string): s3.BucketPolicy {
    const scope = Stack.of(this).account === account ? this : Stack.of(this.bucket).account === account ? this.bucket : undefined;
    if (scope === undefined) {
      invalid('bucket', this.bucket.node.path, `The bucket is in account ${account}, another account than the identity pool's roles, so its bucket policy must allow them; `
        + `it is imported, and neither ${this.node.path} nor the import is in a stack of account ${account}, where the policy would be created`,
      `Put the ScopedBucketAccess (or the bucket import) in a stack of account ${account}, or create the bucket in such a stack.`);
    }
    Annotations.of(this).addWarningV2('cdk-federated-access:importedBucketPolicy',
      `The imported bucket ${this.bucket.bucketName} is in account ${account}: ${this.node.path} creates its bucket policy (AWS::S3::BucketPolicy), which replaces any policy the bucket has. `
      + 'Keep every statement of the bucket in this app, or write the statements yourself.');
    return new s3.BucketPolicy(scope, 'CrossAccountPolicy', { bucket: this.bucket });
  }

  private policyStatements(groups: readonly string[]): ReadonlyMap<string, readonly Statement[]> {
    // The owner of the bucket's rule set compiles the rules of every construct on the bucket.
    const rules = this.ruleSet.isOwner(this) ? this.ruleSet.rules() : [];
    if (rules.length === 0) {
      return new Map();
    }
    const compiled = compileBucketPolicies(rules, {
      bucketArn: this.bucket.bucketArn,
      identityRegion: this.pool._identityRegion(),
      kms: this.kms,
      groups,
      mappedTags: this.pool.principalTagNames,
    });
    for (const warning of compiled.warnings) {
      if (!this.reported.has(warning)) {
        this.reported.add(warning);
        Annotations.of(this).addWarningV2(subjectWarningId('bucketRule', warning), warning);
      }
    }
    // Back ends that are not roles (users, groups) take their statements here; roles are planned.
    attachPrincipalStatements(rules, compiled.views, this.attachedPrincipals);
    return compiled.views;
  }
}

/** Request headers browsers send with signed S3 requests and uploads. */
const CORS_HEADERS = [
  'authorization', 'content-type', 'content-md5', 'content-disposition', 'content-encoding', 'cache-control',
  'x-amz-*', 'amz-sdk-invocation-id', 'amz-sdk-request',
];

function toBucketRule(rule: Rule): BucketRule {
  return { path: rule.path, audience: rule.audience, access: rule.access };
}

function union(a: readonly Access[], b: readonly Access[]): Access[] {
  const all = new Set([...a, ...b]);
  return ACCESS_ORDER.filter(x => all.has(x));
}

function corsMethodsOf(access: readonly Access[]): s3.HttpMethods[] {
  const methods: s3.HttpMethods[] = [];
  for (const a of access) {
    switch (a) {
      case Access.READ:
      case Access.GET:
        methods.push(s3.HttpMethods.GET, s3.HttpMethods.HEAD);
        break;
      case Access.LIST:
        methods.push(s3.HttpMethods.GET);
        break;
      case Access.WRITE:
        methods.push(s3.HttpMethods.PUT, s3.HttpMethods.POST);
        break;
      case Access.DELETE:
        methods.push(s3.HttpMethods.DELETE);
        break;
    }
  }
  return methods;
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

function validateOrigins(corsOrigins: string[] | undefined, allowAnyOrigin: boolean): string[] {
  if (corsOrigins !== undefined && !Array.isArray(corsOrigins)) {
    invalid('corsOrigins', corsOrigins, 'Must be a list of origins', 'Pass e.g. `[\'https://app.example.com\']`.');
  }
  const origins = corsOrigins ?? [];
  for (const origin of origins) {
    if (Token.isUnresolved(origin)) {
      continue;
    }
    if (origin === '*') {
      if (!allowAnyOrigin) {
        invalid('corsOrigins', origin, 'Any origin (`*`) lets every web site call the bucket from a signed-in user\'s browser',
          'List your app\'s origins, e.g. `https://app.example.com`, or set `allowAnyOrigin: true` if that is really intended.');
      }
      continue;
    }
    if (typeof origin !== 'string' || !ORIGIN.test(origin)) {
      invalid('corsOrigins', origin, 'An origin is a scheme, host and optional port, without path or trailing `/`',
        'Write e.g. `https://app.example.com` or `http://localhost:3000`.');
    }
  }
  if (allowAnyOrigin) {
    return ['*'];
  }
  return [...new Set(origins)];
}

function validateRemoval(props: ScopedBucketAccessProps): { removalPolicy: RemovalPolicy; autoDeleteObjects?: boolean } {
  const { removalPolicy, autoDeleteObjects } = props;
  if (props.bucket !== undefined && (removalPolicy !== undefined || autoDeleteObjects !== undefined)) {
    const property = removalPolicy !== undefined ? 'removalPolicy' : 'autoDeleteObjects';
    invalid(property, removalPolicy ?? autoDeleteObjects, `\`${property}\` applies to the buckets ScopedBucketAccess creates, and \`bucket\` was given`,
      'Set the removal policy on your own bucket, or leave out `bucket` to let ScopedBucketAccess create one.');
  }
  if (autoDeleteObjects === true && removalPolicy !== RemovalPolicy.DESTROY) {
    invalid('autoDeleteObjects', autoDeleteObjects, 'emptying the buckets on delete only makes sense when they are deleted',
      'Set `removalPolicy: RemovalPolicy.DESTROY` too, or leave out `autoDeleteObjects`.');
  }
  return { removalPolicy: removalPolicy ?? BUCKET_DEFAULTS.removalPolicy, autoDeleteObjects };
}

/** Whether S3 Bucket Keys are on for a bucket created in this app (imported buckets: unknown, assumed off). */
function bucketKeyEnabled(bucket: s3.IBucket): boolean {
  const cfn = bucket.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) {
    return false;
  }
  const encryption = Stack.of(bucket).resolve(cfn.bucketEncryption);
  const rules: Array<{ BucketKeyEnabled?: boolean; bucketKeyEnabled?: boolean }> =
    encryption?.serverSideEncryptionConfiguration ?? encryption?.ServerSideEncryptionConfiguration ?? [];
  return rules.some(r => r.bucketKeyEnabled === true || r.BucketKeyEnabled === true);
}
