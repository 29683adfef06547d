import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The logs a user pool can export.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/exporting-quotas-and-usage.html
 */
export enum DirectoryLogEvents {
  /**
   * Errors delivering email and SMS messages to users (level `ERROR`). CloudWatch Logs only.
   */
  USER_NOTIFICATION = 'userNotification',

  /**
   * Threat protection's user activity: every sign-in, sign-up and password change with its risk
   * (level `INFO`). Needs the Plus feature plan.
   */
  USER_AUTH_EVENTS = 'userAuthEvents',
}

/**
 * Where a user pool's logs go: a CloudWatch Logs log group, an S3 bucket or a Firehose stream.
 *
 * @example
 * /// fixture=api
 * users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION, LogDestination.cloudWatch(logGroup));
 * users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.s3(logBucket));
 */
export class LogDestination {
  /**
   * A CloudWatch Logs log group of the pool's account and region.
   *
   * Cognito cannot write to a log group encrypted with a KMS key: CloudWatch Logs' own encryption
   * at rest is what it accepts. The directory adds the resource policy that lets
   * `delivery.logs.amazonaws.com` write to this log group only, from this account only.
   *
   * @param logGroup the log group; when omitted, the directory creates one (one-year retention,
   * removed only with the pool's removal policy)
   *
   * @example
   * /// fixture=api
   * users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION, LogDestination.cloudWatch(logGroup));
   */
  public static cloudWatch(logGroup?: logs.ILogGroup): LogDestination {
    return new LogDestination('CloudWatch Logs', logGroup, undefined, undefined);
  }

  /**
   * An S3 bucket of the pool's account (user activity logs only).
   *
   * When the bucket is defined in the app, the directory adds the bucket policy statements the
   * log delivery service needs (writing under `AWSLogs/<account>/` with `bucket-owner-full-control`,
   * and reading the bucket ACL), scoped to this account's log deliveries. An imported bucket
   * needs them in its own policy.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
   *
   * @example
   * /// fixture=api
   * users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.s3(logBucket));
   */
  public static s3(bucket: s3.IBucket): LogDestination {
    return new LogDestination('S3', undefined, bucket, undefined);
  }

  /**
   * An Amazon Data Firehose stream (user activity logs only).
   *
   * Prerequisites that the stream's owner states: the stream carries the tag
   * `LogDeliveryEnabled=true`, and the account has the `AWSServiceRoleForLogDelivery`
   * service-linked role (CloudWatch Logs creates it at the first delivery set up by a principal
   * allowed `iam:CreateServiceLinkedRole`).
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-Firehose.html
   *
   * @example
   * /// fixture=api
   * users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.firehose(logStream));
   */
  public static firehose(stream: firehose.IDeliveryStream): LogDestination {
    return new LogDestination('Firehose', undefined, undefined, stream);
  }

  /** What kind of destination this is, for messages. */
  public readonly kind: string;

  /** @internal */
  public readonly _logGroup?: logs.ILogGroup;
  /** @internal */
  public readonly _bucket?: s3.IBucket;
  /** @internal */
  public readonly _stream?: firehose.IDeliveryStream;

  private constructor(kind: string, logGroup?: logs.ILogGroup, bucket?: s3.IBucket, stream?: firehose.IDeliveryStream) {
    this.kind = kind;
    this._logGroup = logGroup;
    this._bucket = bucket;
    this._stream = stream;
  }
}
