import { Annotations, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { invalid } from '../../private/errors';
import { USER_DIRECTORY_DEFAULTS } from '../defaults';
import { DirectoryLogEvents, LogDestination } from '../log-delivery';

/** The log delivery service that writes vended logs for Cognito. */
const LOG_DELIVERY_SERVICE = 'delivery.logs.amazonaws.com';

/**
 * The pool's log delivery: one `AWS::Cognito::LogDeliveryConfiguration` (at most one destination
 * per event source, two in all), the log group created when none is given, and the resource
 * policies the log delivery service needs on the destinations, scoped to this account.
 */
export class DirectoryLogDelivery {
  private resource?: cognito.CfnLogDeliveryConfiguration;
  private readonly configurations: cognito.CfnLogDeliveryConfiguration.LogConfigurationProperty[] = [];
  private readonly events = new Set<DirectoryLogEvents>();
  private createdLogGroup?: logs.LogGroup;
  private logsPolicy?: logs.ResourcePolicy;
  private readonly logGroupsWithPolicy = new Set<logs.ILogGroup>();

  constructor(
    private readonly scope: Construct,
    private readonly pool: cognito.IUserPool,
    private readonly featurePlan: cognito.FeaturePlan,
    private readonly removalPolicy: RemovalPolicy,
  ) {}

  /** The log group created for log delivery, if any. */
  public get logGroup(): logs.ILogGroup | undefined {
    return this.createdLogGroup;
  }

  public add(events: DirectoryLogEvents, destination: LogDestination): void {
    if (this.events.has(events)) {
      invalid('events', events, 'the directory already delivers these logs (Cognito takes one destination per log source)', 'Call `addLogDelivery` once per `DirectoryLogEvents` value.');
    }
    if (events === DirectoryLogEvents.USER_NOTIFICATION && destination._logGroup === undefined && destination.kind !== 'CloudWatch Logs') {
      invalid('destination', destination.kind, 'Cognito delivers user notification errors to CloudWatch Logs only',
        'Use `LogDestination.cloudWatch()` for `DirectoryLogEvents.USER_NOTIFICATION`; S3 and Firehose take `USER_AUTH_EVENTS`.');
    }
    if (events === DirectoryLogEvents.USER_AUTH_EVENTS && this.featurePlan !== cognito.FeaturePlan.PLUS) {
      invalid('events', events, `user activity logs come from threat protection, which the ${this.featurePlan} feature plan does not have`,
        'Keep `featurePlan: FeaturePlan.PLUS` (the default), or deliver `DirectoryLogEvents.USER_NOTIFICATION` only.');
    }
    this.events.add(events);
    this.configurations.push({
      eventSource: events,
      // Cognito takes ERROR for notification errors and INFO for user activity, nothing else.
      logLevel: events === DirectoryLogEvents.USER_NOTIFICATION ? 'ERROR' : 'INFO',
      ...this.destinationOf(destination),
    });
    this.resource ??= new cognito.CfnLogDeliveryConfiguration(this.scope, 'LogDelivery', {
      userPoolId: this.pool.userPoolId,
      logConfigurations: Lazy.any({ produce: () => this.configurations }),
    });
    // The destination's policy first: a delivery set up before it finds no policy and, with the
    // deployer's permissions, AWS writes its own, wider one (every log group of the account).
    const policy = destination._bucket ? destination._bucket.policy : destination._stream ? undefined : this.logsPolicy;
    if (policy) {
      this.resource.node.addDependency(policy);
    }
  }

  private destinationOf(destination: LogDestination): Partial<cognito.CfnLogDeliveryConfiguration.LogConfigurationProperty> {
    if (destination._bucket) {
      this.allowBucketDelivery(destination);
      return { s3Configuration: { bucketArn: destination._bucket.bucketArn } };
    }
    if (destination._stream) {
      return { firehoseConfiguration: { streamArn: destination._stream.deliveryStreamArn } };
    }
    const logGroup = destination._logGroup ?? this.defaultLogGroup();
    this.allowLogGroupDelivery(logGroup);
    return { cloudWatchLogsConfiguration: { logGroupArn: logGroup.logGroupArn } };
  }

  private defaultLogGroup(): logs.ILogGroup {
    this.createdLogGroup ??= new (logsLib()).LogGroup(this.scope, 'Logs', {
      retention: USER_DIRECTORY_DEFAULTS.logRetention,
      removalPolicy: this.removalPolicy,
    });
    return this.createdLogGroup;
  }

  /** Lets the log delivery service write log streams of this log group, for this account's deliveries only. */
  private allowLogGroupDelivery(logGroup: logs.ILogGroup): void {
    if (this.logGroupsWithPolicy.has(logGroup)) {
      return;
    }
    this.logGroupsWithPolicy.add(logGroup);
    const stack = Stack.of(this.scope);
    this.logsPolicy ??= new (logsLib()).ResourcePolicy(this.scope, 'LogsDeliveryPolicy');
    this.logsPolicy.document.addStatements(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(LOG_DELIVERY_SERVICE)],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroup.logGroupName}:log-stream:*`],
      conditions: this.sourceConditions(),
    }));
  }

  /** Lets the log delivery service write under `AWSLogs/<account>/` of a bucket defined in the app. */
  private allowBucketDelivery(destination: LogDestination): void {
    const bucket = destination._bucket!;
    const stack = Stack.of(this.scope);
    const principals = [new iam.ServicePrincipal(LOG_DELIVERY_SERVICE)];
    const write = bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals,
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
      conditions: { ...this.sourceConditions(), StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': stack.account } },
    }));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      principals,
      actions: ['s3:GetBucketAcl'],
      resources: [bucket.bucketArn],
      conditions: this.sourceConditions(),
    }));
    if (!write.statementAdded) {
      Annotations.of(this.scope).addWarningV2('cdk-federated-access:logBucketPolicy',
        'The log bucket is imported, so its policy cannot be changed here: allow `delivery.logs.amazonaws.com` `s3:PutObject` on `AWSLogs/<account>/*` '
        + '(with `s3:x-amz-acl` = `bucket-owner-full-control`) and `s3:GetBucketAcl`, for this account\'s log deliveries only, in the bucket\'s own policy.');
    }
  }

  /** Deliveries of this account only (the confused-deputy guard AWS documents for vended logs). */
  private sourceConditions(): Record<string, Record<string, string>> {
    const stack = Stack.of(this.scope);
    return {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:*` },
    };
  }
}

/** aws-cdk-lib/aws-logs loads only when a directory uses it (cold start: an app pays for what it uses). */
function logsLib(): typeof logs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('aws-cdk-lib/aws-logs');
}
