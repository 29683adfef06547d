import { Access } from './access';

/**
 * What happened to an object, as Amazon S3 reports it to Amazon EventBridge.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html
 */
export enum StorageEvent {
  /**
   * An object was created or overwritten (PUT, POST, copy, completed multipart upload): the
   * EventBridge detail type `Object Created`.
   */
  OBJECT_CREATED = 'OBJECT_CREATED',

  /**
   * An object was deleted, or (in a versioned bucket) a delete marker was created: the
   * EventBridge detail type `Object Deleted`.
   */
  OBJECT_REMOVED = 'OBJECT_REMOVED',
}

/**
 * Options of a storage event rule.
 *
 * @example
 * /// fixture=api
 * const options: StorageEventOptions = { description: 'Audit uploads' };
 * files.addStorageEvent('AuditUploads', StorageEvent.OBJECT_CREATED, 'uploads/*', new targets.CloudWatchLogGroup(logGroup), options);
 */
export interface StorageEventOptions {
  /**
   * The description of the EventBridge rule.
   *
   * @default - one that names the event and the path
   */
  readonly description?: string;
}

/**
 * Options of a storage trigger (a function that storage events invoke).
 *
 * @example
 * /// fixture=api
 * const options: StorageTriggerOptions = { access: [Access.READ], description: 'Thumbnails of uploads' };
 * files.onObjectCreated('MakeThumbnails', 'uploads/*', fn, options);
 */
export interface StorageTriggerOptions extends StorageEventOptions {
  /**
   * What the function may do on the event's path, added as `Audience.principal(fn)` rules on the
   * same path (so the bucket's rule set applies: nesting Denies, scoped listing).
   *
   * @default - no access: the function receives the event (bucket name and key) and nothing else
   */
  readonly access?: Access[];
}
