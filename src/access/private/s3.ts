import { invalid } from '../../private/errors';
import { Access } from '../access';
import { Audience } from '../audience';
import { accessKinds, compileGrants, CompiledGrants, GrantRule, renderViews, ViewDeny } from './compile';
import { Statement } from './fit';
import { ParsedPath, parsePath, renderPrefix, RenderedSegment, tagsOf } from './path';

/*
 * The S3 renderer: compiled grants -> IAM statements for one bucket.
 *
 * GET    s3:GetObject on `${bucketArn}/<pattern>/*`
 * WRITE  s3:PutObject (also authorizes CreateMultipartUpload, UploadPart, CompleteMultipartUpload
 *        and the destination of CopyObject), s3:AbortMultipartUpload, s3:ListMultipartUploadParts.
 *        s3:ListBucketMultipartUploads is not granted: it is a bucket-level action without an
 *        `s3:prefix` condition key, so it would list in-progress uploads of the whole bucket;
 *        clients keep the upload id they started with (the SDKs' managed uploads do).
 * DELETE s3:DeleteObject (a delete marker in a versioned bucket; s3:DeleteObjectVersion, which
 *        destroys data, is never granted).
 * LIST   s3:ListBucket on the bucket with `StringLike` `s3:prefix` [`<pattern>/`, `<pattern>/*`]:
 *        never the bucket root, never a prefix that no rule grants.
 *
 * Principal tags: every statement whose pattern uses `${aws:PrincipalTag/NAME}` is guarded by
 * `StringLike NAME '?*'` (set and non-empty) and `StringNotLike NAME '*\/*'` (no `/`, which would
 * reach into another tag value's folder, e.g. tenant `a/b` inside tenant `a`).
 *
 * Denies with exceptions (only LIST can express them): an exception that uses a tag variable would
 * make the whole Deny void when the tag is missing (an unresolvable variable voids the statement),
 * so two fallback Denies cover callers whose tag is missing/empty or contains `/`; their exceptions
 * are only the tag-free ones.
 *
 * KMS (customer-managed key): `kms:Decrypt` for GET and WRITE patterns, `kms:GenerateDataKey` for
 * WRITE patterns, on the key, with `kms:ViaService` `s3.<region>.amazonaws.com` and
 * `kms:EncryptionContext:aws:s3:arn` StringLike the granted object ARNs (or equal to the bucket ARN
 * when S3 Bucket Keys are on, because S3 then uses the bucket ARN as encryption context).
 */

/** The permission kinds of a bucket rule. */
export const S3_GET = 'GET';
export const S3_LIST = 'LIST';
export const S3_WRITE = 'WRITE';
export const S3_DELETE = 'DELETE';

/** The S3 actions of each object-level kind. */
export const OBJECT_ACTIONS: { readonly [kind: string]: readonly string[] } = {
  [S3_GET]: ['s3:GetObject'],
  [S3_WRITE]: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
  [S3_DELETE]: ['s3:DeleteObject'],
};


/** One bucket rule. */
export interface BucketRule {
  /** A key pattern (parsed with the options' `mappedTags`) or an already parsed one. */
  readonly path: string | ParsedPath;
  readonly audience: Audience;
  readonly access: readonly Access[];
}

/** A customer-managed KMS key that encrypts the bucket. */
export interface BucketKms {
  /** The key ARN (may be a token). */
  readonly keyArn: string;
  /** The bucket's region (may be a token), for `kms:ViaService`. */
  readonly region: string;
  /**
   * Whether S3 Bucket Keys are on (S3 then uses the bucket ARN as encryption context).
   * @default false
   */
  readonly bucketKeyEnabled?: boolean;
}

/** Options of `compileBucketPolicies`. */
export interface BucketPolicyOptions {
  /** The bucket ARN (may be a token; it is concatenated, never parsed). */
  readonly bucketArn: string;
  /**
   * The identity pool's region (may be a token): a `{identity}` segment for any audience but the
   * owner matches only identity ids of the pool (`<region>:<uuid>`).
   */
  readonly identityRegion: string;
  /** @default - the bucket uses S3-managed keys: no KMS statements */
  readonly kms?: BucketKms;
  /** @default - only the groups named by rules get a view */
  readonly groups?: readonly string[];
  /** @default - `{tag:NAME}` is not checked against a mapping */
  readonly mappedTags?: Iterable<string>;
  /** @default 'path' */
  readonly property?: string;
}

/** Per view (`guest`, `authenticated`, `group:<name>`), merged statements, and warnings. */
export interface BucketPolicies {
  readonly views: ReadonlyMap<string, readonly Statement[]>;
  readonly warnings: readonly string[];
}

/**
 * Compiles bucket rules into merged IAM statements per role view.
 */
export function compileBucketPolicies(rules: readonly BucketRule[], options: BucketPolicyOptions): BucketPolicies {
  const compiled = bucketGrants(rules, options);
  const views = renderViews(compiled, grants => {
    const statements: Statement[] = [];
    for (const allow of grants.allows) {
      statements.push(...allowStatements(allow.kind, allow.segments, options.bucketArn));
    }
    for (const deny of grants.denies) {
      statements.push(...denyStatements(deny, options.bucketArn));
    }
    if (options.kms) {
      statements.push(...kmsStatements(grants.allows, options.bucketArn, options.kms));
    }
    return statements;
  });
  return { views, warnings: compiled.warnings };
}

/**
 * Checks bucket rules the way `compileBucketPolicies` does (every error it can throw), without
 * rendering statements: for `allow()`, which checks each rule as it is added.
 */
export function checkBucketRules(rules: readonly BucketRule[], options: Omit<BucketPolicyOptions, 'bucketArn' | 'kms'>): void {
  bucketGrants(rules, options);
}

function bucketGrants(rules: readonly BucketRule[], options: Omit<BucketPolicyOptions, 'bucketArn' | 'kms'>): CompiledGrants {
  const property = options.property ?? 'path';
  const mappedTags = options.mappedTags === undefined ? undefined : [...options.mappedTags];
  const grantRules: GrantRule[] = rules.map(rule => {
    const path = typeof rule.path === 'string' ? parsePath(rule.path, { property, mappedTags, audience: rule.audience }) : rule.path;
    if (path.leadingSlash || path.segments.length === 0) {
      invalid(property, path.text, 'A bucket rule needs a relative key pattern with at least one segment',
        'Write a key prefix followed by `/*`, e.g. `public/*`.');
    }
    return { path, audience: rule.audience, kinds: accessKinds(rule.access) };
  });
  return compileGrants(grantRules, {
    groups: options.groups,
    excludableKinds: [S3_LIST],
    listingKinds: [S3_LIST],
    property,
    identityRegion: options.identityRegion,
  });
}

/** `StringLike NAME '?*'` and `StringNotLike NAME '*\/*'` for each tag the pattern uses. */
export function tagGuard(segments: readonly RenderedSegment[]): { like: Record<string, string[]>; notLike: Record<string, string[]> } {
  const like: Record<string, string[]> = {};
  const notLike: Record<string, string[]> = {};
  for (const name of tagsOf(segments)) {
    like[`aws:PrincipalTag/${name}`] = ['?*'];
    notLike[`aws:PrincipalTag/${name}`] = ['*/*'];
  }
  return { like, notLike };
}

/** The `s3:prefix` values of a pattern: `p/` and `p/*`. */
export function listPrefixes(segments: readonly RenderedSegment[]): string[] {
  const prefix = renderPrefix(segments);
  return [`${prefix}/`, `${prefix}/*`];
}

/** The object ARN pattern of a pattern: `${bucketArn}/p/*`. */
export function objectArn(bucketArn: string, segments: readonly RenderedSegment[]): string {
  return `${bucketArn}/${renderPrefix(segments)}/*`;
}

function conditionsOf(like: Record<string, string[]>, notLike: Record<string, string[]>): Statement['conditions'] {
  const conditions: { [operator: string]: { [key: string]: string[] } } = {};
  if (Object.keys(like).length > 0) {
    conditions.StringLike = like;
  }
  if (Object.keys(notLike).length > 0) {
    conditions.StringNotLike = notLike;
  }
  return Object.keys(conditions).length > 0 ? conditions : undefined;
}

function allowStatements(kind: string, segments: readonly RenderedSegment[], bucketArn: string): Statement[] {
  const guard = tagGuard(segments);
  if (kind === S3_LIST) {
    return [{
      effect: 'Allow',
      actions: ['s3:ListBucket'],
      resources: [bucketArn],
      conditions: conditionsOf({ ...guard.like, 's3:prefix': listPrefixes(segments) }, guard.notLike),
    }];
  }
  return [{
    effect: 'Allow',
    actions: [...OBJECT_ACTIONS[kind]],
    resources: [objectArn(bucketArn, segments)],
    conditions: conditionsOf(guard.like, guard.notLike),
  }];
}

function denyStatements(deny: ViewDeny, bucketArn: string): Statement[] {
  if (deny.kind !== S3_LIST) {
    // compileGrants only emits exceptions for excludable kinds (LIST).
    return [{ effect: 'Deny', actions: [...OBJECT_ACTIONS[deny.kind]], resources: [objectArn(bucketArn, deny.segments)] }];
  }
  const denied = listPrefixes(deny.segments);
  const except = deny.except.flatMap(listPrefixes);
  const statements: Statement[] = [{
    effect: 'Deny',
    actions: ['s3:ListBucket'],
    resources: [bucketArn],
    conditions: conditionsOf({ 's3:prefix': denied }, except.length > 0 ? { 's3:prefix': except } : {}),
  }];
  const tags = [...new Set(deny.except.flatMap(e => tagsOf(e)))].sort();
  if (tags.length > 0) {
    const tagFree = deny.except.filter(e => tagsOf(e).length === 0).flatMap(listPrefixes);
    const exceptTagFree: Record<string, string[]> = tagFree.length > 0 ? { 's3:prefix': tagFree } : {};
    for (const name of tags) {
      const key = `aws:PrincipalTag/${name}`;
      // The tag is missing or empty.
      statements.push({
        effect: 'Deny',
        actions: ['s3:ListBucket'],
        resources: [bucketArn],
        conditions: conditionsOf({ 's3:prefix': denied }, { ...exceptTagFree, [key]: ['?*'] }),
      });
      // The tag contains `/`.
      statements.push({
        effect: 'Deny',
        actions: ['s3:ListBucket'],
        resources: [bucketArn],
        conditions: conditionsOf({ 's3:prefix': denied, [key]: ['*/*'] }, exceptTagFree),
      });
    }
  }
  return statements;
}

function kmsStatements(allows: readonly { kind: string; segments: readonly RenderedSegment[] }[], bucketArn: string, kms: BucketKms): Statement[] {
  const viaService = { 'kms:ViaService': [`s3.${kms.region}.amazonaws.com`] };
  const statements: Statement[] = [];
  for (const allow of allows) {
    let actions: string[];
    if (allow.kind === S3_GET) {
      actions = ['kms:Decrypt'];
    } else if (allow.kind === S3_WRITE) {
      actions = ['kms:Decrypt', 'kms:GenerateDataKey'];
    } else {
      continue;
    }
    if (kms.bucketKeyEnabled) {
      statements.push({
        effect: 'Allow',
        actions,
        resources: [kms.keyArn],
        conditions: { StringEquals: { ...viaService, 'kms:EncryptionContext:aws:s3:arn': [bucketArn] } },
      });
      continue;
    }
    const guard = tagGuard(allow.segments);
    statements.push({
      effect: 'Allow',
      actions,
      resources: [kms.keyArn],
      conditions: {
        StringEquals: viaService,
        StringLike: { ...guard.like, 'kms:EncryptionContext:aws:s3:arn': [objectArn(bucketArn, allow.segments)] },
        ...(Object.keys(guard.notLike).length > 0 ? { StringNotLike: guard.notLike } : {}),
      },
    });
  }
  return statements;
}
