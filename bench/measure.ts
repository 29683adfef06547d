/**
 * Measures one synthesized template: resources, Lambda-backed custom resources, bytes and the
 * resolved IAM policy sizes per role against the IAM quotas.
 */

/** IAM quotas (characters, whitespace excluded). */
export const IAM_LIMITS = { managedPolicy: 6144, managedPerRole: 10, inlinePerRole: 10240 } as const;

/** The measurements of one template. */
export interface TemplateStats {
  readonly resources: number;
  /** Resources by CloudFormation type. */
  readonly resourcesByType: Readonly<Record<string, number>>;
  readonly customResources: number;
  readonly bytes: number;
  /** The largest single policy document (inline or managed), resolved. */
  readonly largestPolicy: number;
  /** The role with the most policy text: its inline total, managed count and largest managed. */
  readonly worstRole: { id: string; inlineTotal: number; managedCount: number; managedLargest: number; total: number };
  /** Every role within every IAM quota. */
  readonly withinLimits: boolean;
}

type Json = any;

const WORST = {
  partition: 'aws-us-gov',
  region: 'ap-southeast-2',
  account: '123456789012',
  bucketName: 'b'.repeat(63),
  identityPoolId: `ap-southeast-2:${'0'.repeat(36)}`,
  generic: 'x'.repeat(64),
};

/** Replaces every CloudFormation intrinsic with a worst-case-length value. */
function resolve(value: Json, resources: Record<string, Json>): Json {
  if (typeof value === 'string' || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => resolve(v, resources));
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [k] = keys;
    const v = value[k];
    if (k === 'Ref') {
      if (v === 'AWS::Partition') return WORST.partition;
      if (v === 'AWS::Region') return WORST.region;
      if (v === 'AWS::AccountId') return WORST.account;
      if (v === 'AWS::URLSuffix') return 'amazonaws.com.cn';
      const type = resources[v]?.Type;
      if (type === 'AWS::S3::Bucket') return WORST.bucketName;
      if (type === 'AWS::Cognito::IdentityPool') return WORST.identityPoolId;
      return WORST.generic;
    }
    if (k === 'Fn::GetAtt') {
      const type = resources[v[0]]?.Type;
      if (type === 'AWS::S3::Bucket' && v[1] === 'Arn') return `arn:${WORST.partition}:s3:::${WORST.bucketName}`;
      if (type === 'AWS::IAM::Role' && v[1] === 'Arn') return `arn:${WORST.partition}:iam::${WORST.account}:role/${'r'.repeat(64)}`;
      return 'x'.repeat(128);
    }
    if (k === 'Fn::Join') return (resolve(v[1], resources) as Json[]).map(String).join(v[0]);
    if (k === 'Fn::Sub') return String(Array.isArray(v) ? v[0] : v).replace(/\$\{[^!][^}]*\}/g, WORST.generic);
    if (k === 'Fn::Split') return String(resolve(v[1], resources)).split(v[0]);
    if (k === 'Fn::Select') return (resolve(v[1], resources) as Json[])[v[0]] ?? 'x'.repeat(128);
    if (k.startsWith('Fn::')) return 'x'.repeat(128);
  }
  const out: Json = {};
  for (const key of keys) out[key] = resolve(value[key], resources);
  return out;
}

function size(doc: Json, resources: Record<string, Json>): number {
  return JSON.stringify(resolve(doc, resources)).length;
}

function refs(list: Json): string[] {
  return (Array.isArray(list) ? list : []).filter((r) => r && typeof r === 'object' && 'Ref' in r).map((r) => r.Ref);
}

/** Measures a synthesized CloudFormation template. */
export function measure(template: Json): TemplateStats {
  const resources: Record<string, Json> = template.Resources ?? {};
  const entries = Object.entries(resources);
  const customResources = entries.filter(([, r]) => r.Type.startsWith('Custom::')
    || r.Type === 'AWS::CloudFormation::CustomResource' || r.Type === 'AWS::Lambda::Function').length;

  const roles = new Map<string, { inline: number[]; managed: number[] }>();
  for (const [id, r] of entries) {
    if (r.Type === 'AWS::IAM::Role') {
      const inline = (r.Properties?.Policies ?? []).map((p: Json) => size(p.PolicyDocument, resources));
      roles.set(id, { inline, managed: [] });
    }
  }
  let largestPolicy = 0;
  for (const role of roles.values()) largestPolicy = Math.max(largestPolicy, ...role.inline, 0);
  const managedSizes = new Map<string, number>();
  for (const [id, r] of entries) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const s = size(r.Properties.PolicyDocument, resources);
    largestPolicy = Math.max(largestPolicy, s);
    if (r.Type === 'AWS::IAM::ManagedPolicy') managedSizes.set(id, s);
    for (const roleId of refs(r.Properties.Roles)) {
      const role = roles.get(roleId);
      if (!role) continue;
      (r.Type === 'AWS::IAM::Policy' ? role.inline : role.managed).push(s);
    }
  }
  for (const [id, r] of entries) {
    if (r.Type !== 'AWS::IAM::Role') continue;
    for (const mp of refs(r.Properties?.ManagedPolicyArns)) {
      const s = managedSizes.get(mp);
      if (s !== undefined) roles.get(id)!.managed.push(s);
    }
  }
  let worstRole = { id: '-', inlineTotal: 0, managedCount: 0, managedLargest: 0, total: 0 };
  let withinLimits = true;
  for (const [id, role] of roles) {
    const inlineTotal = role.inline.reduce((a, b) => a + b, 0);
    const managedLargest = Math.max(0, ...role.managed);
    const total = inlineTotal + role.managed.reduce((a, b) => a + b, 0);
    if (inlineTotal > IAM_LIMITS.inlinePerRole || managedLargest > IAM_LIMITS.managedPolicy
      || role.managed.length > IAM_LIMITS.managedPerRole) {
      withinLimits = false;
    }
    if (total > worstRole.total) worstRole = { id, inlineTotal, managedCount: role.managed.length, managedLargest, total };
  }
  const resourcesByType: Record<string, number> = {};
  for (const [, r] of entries) resourcesByType[r.Type] = (resourcesByType[r.Type] ?? 0) + 1;
  return {
    resources: entries.length,
    resourcesByType,
    customResources,
    bytes: Buffer.byteLength(JSON.stringify(template)),
    largestPolicy,
    worstRole,
    withinLimits,
  };
}
