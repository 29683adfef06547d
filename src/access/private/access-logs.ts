import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { WORST_CASE } from './worst-case';
import { BUCKET_DEFAULTS } from '../defaults';

/*
 * One server-access-log bucket shared by every bucket ScopedBucketAccess creates in a stack
 * (each logging under its own prefix), instead of one log bucket and one more bucket policy per
 * bucket. Log delivery is granted the way aws-cdk-lib grants it for `serverAccessLogsBucket`:
 * one statement per source bucket in the log bucket's policy (`s3:PutObject` on that bucket's
 * prefix for `logging.s3.amazonaws.com`, limited by `aws:SourceArn` and `aws:SourceAccount`).
 * A bucket policy holds at most 20 KB, so a log bucket takes sources until their statements,
 * measured at their longest, would pass that; the next source opens another log bucket.
 */

/** The context flag that makes aws-cdk-lib deliver access logs through a bucket policy, never ACLs. */
export const SERVER_ACCESS_LOGS_USE_BUCKET_POLICY = '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy';

/** S3's bucket policy size limit (bytes). @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/BucketRestrictions.html */
const BUCKET_POLICY_MAX_LENGTH = 20_480;

/** Room kept for the TLS-only statement, the document and anything users add to the log bucket's policy. */
const RESERVED = 2_048;

const HOLDER_ID = 'ScopedBucketAccessLogs';

/** The longest ARN of a bucket. */
const BUCKET_ARN = `arn:${'p'.repeat(WORST_CASE.partition)}:s3:::${'b'.repeat(WORST_CASE.bucketName)}`;

/** The size of the log-delivery statement aws-cdk-lib adds for one source bucket, at its longest. */
export function deliveryStatementSize(prefix: string): number {
  return JSON.stringify({
    Action: 's3:PutObject',
    Condition: { ArnLike: { 'aws:SourceArn': BUCKET_ARN }, StringEquals: { 'aws:SourceAccount': 'a'.repeat(WORST_CASE.account) } },
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Resource: `${BUCKET_ARN}/${prefix}*`,
  }).length + 1;
}

interface LogBucket {
  readonly bucket: s3.Bucket;
  used: number;
}

/** What happens to a log bucket when it leaves the stack; buckets share a log bucket only when they agree on it. */
export interface LogBucketLifetime {
  readonly removalPolicy: RemovalPolicy;
  readonly autoDeleteObjects?: boolean;
}

/**
 * The shared access-log buckets of one stack.
 * @internal
 */
export class SharedAccessLogs extends Construct {
  /** The shared access logs of the stack of `scope` (created once, a child of the stack). */
  public static of(scope: IConstruct): SharedAccessLogs {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(HOLDER_ID);
    if (existing instanceof SharedAccessLogs) {
      return existing;
    }
    if (existing !== undefined) {
      throw new Error(`${stack.node.path} already has a child '${HOLDER_ID}' that is not a SharedAccessLogs`);
    }
    return new SharedAccessLogs(stack, HOLDER_ID);
  }

  /** Log buckets by lifetime, the one taking new sources last. */
  private readonly buckets = new Map<string, LogBucket[]>();

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    // Log delivery through a bucket policy, not ACLs (the buckets enforce bucket-owner
    // ownership); set on this scope only, whatever the app's feature flags say.
    this.node.setContext(SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
  }

  /**
   * The log bucket for one more source bucket logging under `prefix`. Buckets share a log bucket
   * only with buckets of the same lifetime, which the log bucket then has too: retained buckets
   * log to a retained one, destroyed (and emptied) ones to a destroyed (and emptied) one.
   */
  public bucketFor(prefix: string, lifetime: LogBucketLifetime = { removalPolicy: BUCKET_DEFAULTS.removalPolicy }): s3.Bucket {
    const autoDelete = lifetime.autoDeleteObjects === true;
    const key = `${lifetime.removalPolicy}${autoDelete ? ' auto-delete' : ''}`;
    const list = this.buckets.get(key) ?? [];
    this.buckets.set(key, list);
    const size = deliveryStatementSize(prefix);
    let entry = list[list.length - 1];
    if (entry === undefined || entry.used + size > BUCKET_POLICY_MAX_LENGTH - RESERVED) {
      const isDefault = lifetime.removalPolicy === BUCKET_DEFAULTS.removalPolicy && !autoDelete;
      const base = isDefault ? 'Bucket' : `Bucket${pascal(lifetime.removalPolicy)}${autoDelete ? 'AutoDelete' : ''}`;
      entry = { bucket: this.createBucket(list.length === 0 ? base : `${base}${list.length + 1}`, lifetime), used: 0 };
      list.push(entry);
    }
    entry.used += size;
    return entry.bucket;
  }

  private createBucket(id: string, lifetime: LogBucketLifetime): s3.Bucket {
    const d = BUCKET_DEFAULTS;
    return new s3.Bucket(this, id, {
      blockPublicAccess: d.blockPublicAccess,
      enforceSSL: d.enforceSSL,
      encryption: d.encryption,
      versioned: d.versioned,
      objectOwnership: d.objectOwnership,
      removalPolicy: lifetime.removalPolicy,
      autoDeleteObjects: lifetime.autoDeleteObjects,
      lifecycleRules: [{
        noncurrentVersionExpiration: d.noncurrentVersionExpiration,
        abortIncompleteMultipartUploadAfter: d.abortIncompleteMultipartUploadAfter,
      }],
    });
  }
}

function pascal(value: string): string {
  return value.toLowerCase().replace(/(^|[^a-z0-9])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** The log prefix of a bucket: `access-logs/<construct path in its stack>/`, in characters S3 keys keep safely. */
export function accessLogsPrefix(scope: IConstruct): string {
  const stackPath = Stack.of(scope).node.path;
  const path = stackPath === '' ? scope.node.path : scope.node.path.slice(stackPath.length + 1);
  return `${BUCKET_DEFAULTS.serverAccessLogsPrefix}${path.replace(/[^A-Za-z0-9!_.*'()/-]/g, '-')}/`;
}
