import { Stack, Token } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { addValidation, invalid } from '../../private/errors';
import { StorageEvent } from '../storage-events';
import { parsePath } from './path';

/**
 * Storage events: EventBridge rules on a bucket's `Object Created` / `Object Deleted` events.
 *
 * EventBridge delivery is switched on in the bucket's own CloudFormation resource
 * (`NotificationConfiguration.EventBridgeConfiguration`), never through aws-cdk-lib's
 * `enableEventBridgeNotification()`, which adds the Lambda-backed `Custom::S3BucketNotifications`
 * resource (aws-cdk-lib 2.257, aws-s3/lib/notifications-resource).
 */

const DETAIL_TYPES: Record<StorageEvent, string> = {
  [StorageEvent.OBJECT_CREATED]: 'Object Created',
  [StorageEvent.OBJECT_REMOVED]: 'Object Deleted',
};

/** Characters that read the same URL-encoded or not, so a prefix filter matches either form of the key. */
const PLAIN_SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** The literal key prefix (`uploads/`) of an event path (`uploads/*`). */
export function eventPrefix(path: string, mappedTags: Iterable<string>): string {
  const parsed = parsePath(path, { property: 'path', mappedTags });
  const literal: string[] = [];
  for (const segment of parsed.segments) {
    if (segment.kind !== 'literal') {
      invalid('path', path, 'An event path must be a literal prefix: an EventBridge pattern cannot match "one segment holding an identity id" or "the caller\'s tag" (its `*` wildcard also crosses `/` and matches an empty segment)',
        `Subscribe to the literal prefix before it (e.g. \`${literalBefore(parsed.segments)}\`) and read the identity id or tenant from the event's key in the function.`);
    }
    if (segment.deployTime || Token.isUnresolved(segment.value)) {
      invalid('path', path, 'An event path must be known at synth: the EventBridge pattern is a literal prefix', 'Write the prefix as text, e.g. `uploads/*`.');
    }
    if (!PLAIN_SEGMENT.test(segment.value)) {
      invalid('path', path, `The segment \`${segment.value}\` has characters that may reach EventBridge URL-encoded in the object key, so a prefix filter could miss them`,
        'Use letters, digits, `.`, `_`, `~` and `-` in event paths.');
    }
    literal.push(segment.value);
  }
  return `${literal.join('/')}/`;
}

function literalBefore(segments: ReturnType<typeof parsePath>['segments']): string {
  const literal: string[] = [];
  for (const segment of segments) {
    if (segment.kind !== 'literal') {
      break;
    }
    literal.push(segment.value);
  }
  return literal.length === 0 ? 'a literal prefix such as `uploads/*`' : `${literal.join('/')}/*`;
}

/**
 * Switches EventBridge delivery on in the bucket's own `AWS::S3::Bucket` resource. A bucket
 * without one in this app (an import) is refused: switching it on would need a custom resource.
 */
export function enableEventBridge(scope: Construct, bucket: s3.IBucket): void {
  const cfn = bucket.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) {
    invalid('bucket', bucket.node.path, 'Storage events need EventBridge delivery on the bucket, and an imported bucket can only be switched over by a Lambda-backed custom resource, which this library does not add',
      'Let ScopedBucketAccess create the bucket, or pass a bucket created in this app; for a bucket of another app, turn on EventBridge there (`eventBridgeEnabled: true`) and add an `events.Rule` on `aws.s3` events yourself.');
  }
  const thisStack = Stack.of(scope);
  const bucketStack = Stack.of(bucket);
  if (thisStack !== bucketStack && (thisStack.account !== bucketStack.account || thisStack.region !== bucketStack.region)) {
    invalid('bucket', bucket.node.path, 'S3 sends a bucket\'s events to the default event bus of the bucket\'s own account and Region, and this construct\'s stack is in another',
      'Add the storage events from a ScopedBucketAccess in a stack of the bucket\'s account and Region.');
  }
  const existing = cfn.notificationConfiguration;
  if (existing !== undefined && Token.isUnresolved(existing)) {
    invalid('bucket', bucket.node.path, 'The bucket\'s notification configuration is a deploy-time value that storage events cannot add EventBridge to',
      'Set `eventBridgeConfiguration: { eventBridgeEnabled: true }` in it yourself, or leave it out.');
  }
  const current = existing as s3.CfnBucket.NotificationConfigurationProperty | undefined;
  if (current?.eventBridgeConfiguration === undefined) {
    cfn.notificationConfiguration = { ...current, eventBridgeConfiguration: { eventBridgeEnabled: true } };
    // aws-cdk-lib's notifications custom resource replaces the whole configuration of a bucket it
    // manages, which would switch EventBridge off again after the bucket is deployed.
    addValidation(scope, () => (bucket.node.tryFindChild('Notifications') !== undefined
      ? [`\`bucket\`: ${bucket.node.path} also has aws-cdk-lib notifications (addEventNotification or enableEventBridgeNotification); their custom resource rewrites the bucket's whole notification configuration and would switch the storage events' EventBridge delivery off. Send those notifications through storage events too (an EventBridge rule per target).`]
      : []));
  }
}

/** Properties of one storage event rule. */
export interface StorageRuleProps {
  readonly bucket: s3.IBucket;
  readonly event: StorageEvent;
  readonly path: string;
  readonly prefix: string;
  readonly target: events.IRuleTarget;
  readonly description?: string;
}

/** The EventBridge rule: `aws.s3` events of one detail type, on this bucket, under one prefix. */
export function storageRule(scope: Construct, id: string, props: StorageRuleProps): events.Rule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const eventsLib: typeof events = require('aws-cdk-lib/aws-events');
  const detailType = DETAIL_TYPES[props.event];
  if (detailType === undefined) {
    invalid('event', props.event, 'Is not a StorageEvent value', 'Use `StorageEvent.OBJECT_CREATED` or `StorageEvent.OBJECT_REMOVED`.');
  }
  if (props.target === undefined || props.target === null || typeof (props.target as Partial<events.IRuleTarget>).bind !== 'function') {
    invalid('target', props.target, 'A storage event needs a target', 'Pass a function (onObjectCreated / onObjectRemoved) or an `events.IRuleTarget` such as `new targets.SqsQueue(queue)`.');
  }
  return new eventsLib.Rule(scope, id, {
    description: props.description ?? `${detailType} events of ${props.path}`,
    eventPattern: {
      source: ['aws.s3'],
      detailType: [detailType],
      detail: {
        bucket: { name: [props.bucket.bucketName] },
        object: { key: [{ prefix: props.prefix }] },
      },
    },
    targets: [props.target],
  });
}
