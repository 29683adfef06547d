import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * Secure defaults of the buckets ScopedBucketAccess creates, each with the guidance it follows.
 * @internal
 */
export const BUCKET_DEFAULTS = {
  /** cdk-nag AwsSolutions-S2 / S3 security best practices: no public access, ever. */
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  /** cdk-nag AwsSolutions-S10: deny every request that is not over TLS. */
  enforceSSL: true,
  /** Encryption at rest with S3-managed keys; pass your own bucket for a customer KMS key. */
  encryption: s3.BucketEncryption.S3_MANAGED,
  /** Overwritten or deleted objects can be recovered. */
  versioned: true,
  /** Only the bucket owner owns objects: ACLs are off. */
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  /** User files outlive a stack update or deletion. */
  removalPolicy: RemovalPolicy.RETAIN,
  /** cdk-nag AwsSolutions-S1: server access logs go to a log bucket. */
  serverAccessLogsPrefix: 'access-logs/',
  /** Noncurrent versions and failed multipart uploads do not pile up forever. */
  noncurrentVersionExpiration: Duration.days(90),
  abortIncompleteMultipartUploadAfter: Duration.days(7),
  /** Browsers may cache a CORS preflight for an hour. */
  corsMaxAge: 3600,
} as const;

/**
 * Managed policy size limit (characters, whitespace excluded) and default count per role.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * @internal
 */
export const IAM_LIMITS = {
  managedPolicySize: 6144,
  inlinePolicySizePerRole: 10240,
  managedPoliciesPerRole: 10,
  managedPoliciesPerRoleMax: 20,
} as const;
