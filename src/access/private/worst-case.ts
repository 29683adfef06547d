import { CfnResource, IResolvable, Reference, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LengthOf } from './fit';

/**
 * Worst-case lengths of deploy-time values (characters), used to size policies before deployment.
 *
 * - pseudo parameters: partition 10 (`aws-us-gov`), region 14 (`ap-southeast-4`, with room),
 *   account 12, URL suffix 20;
 * - `Ref` of a bucket 63 (S3's maximum bucket name), of a table 255 (DynamoDB's maximum table
 *   name), of a REST/HTTP API 10 (API ids), of a KMS key 36 (a key id);
 * - `Fn::GetAtt ... Arn` of those: the ARN built from the lengths above;
 * - the region split from an identity pool id (`Fn::Select` 0 of `Fn::Split` at `:`): 14;
 * - anything else (parameters, imports, unknown attributes, values of other stacks): 255.
 */
export const WORST_CASE = {
  partition: 10,
  region: 14,
  account: 12,
  urlSuffix: 20,
  bucketName: 63,
  tableName: 255,
  apiId: 10,
  keyId: 36,
  unknown: 255,
} as const;

const PSEUDO: { readonly [name: string]: number } = {
  'AWS::Partition': WORST_CASE.partition,
  'AWS::Region': WORST_CASE.region,
  'AWS::AccountId': WORST_CASE.account,
  'AWS::URLSuffix': WORST_CASE.urlSuffix,
};

function refLength(type: string | undefined): number {
  switch (type) {
    case 'AWS::S3::Bucket':
      return WORST_CASE.bucketName;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return WORST_CASE.tableName;
    case 'AWS::ApiGateway::RestApi':
    case 'AWS::ApiGatewayV2::Api':
      return WORST_CASE.apiId;
    case 'AWS::KMS::Key':
      return WORST_CASE.keyId;
    default:
      return WORST_CASE.unknown;
  }
}

function arnLength(type: string | undefined): number {
  const { partition: p, region: r, account: a } = WORST_CASE;
  switch (type) {
    case 'AWS::S3::Bucket': // arn:<p>:s3:::<name>
      return 'arn::s3:::'.length + p + WORST_CASE.bucketName;
    case 'AWS::DynamoDB::Table': // arn:<p>:dynamodb:<r>:<a>:table/<name>
    case 'AWS::DynamoDB::GlobalTable':
      return 'arn::dynamodb:::table/'.length + p + r + a + WORST_CASE.tableName;
    case 'AWS::KMS::Key': // arn:<p>:kms:<r>:<a>:key/<id>
      return 'arn::kms:::key/'.length + p + r + a + WORST_CASE.keyId;
    default:
      return WORST_CASE.unknown;
  }
}

/**
 * Measures the values of one stack's policies at their longest deployed length: every token is
 * resolved in the stack and each intrinsic counted by the type of the resource it points to.
 */
export class WorstCase {
  private readonly lengths = new Map<string, number>();
  private readonly tokens = new Map<IResolvable, number>();
  private resourceTypes?: Map<string, string>;
  private policies?: iam.CfnPolicy[];

  constructor(private readonly stack: Stack) {}

  /** Measures a string value at its longest deployed length. */
  public readonly lengthOf: LengthOf = (value: string) => {
    let length = this.lengths.get(value);
    if (length === undefined) {
      length = Token.isUnresolved(value) ? this.tokenizedLength(value) : value.length;
      this.lengths.set(value, length);
    }
    return length;
  };

  /** The length of a string with tokens: its literal parts plus each token at its longest (each token resolved once). */
  private tokenizedLength(value: string): number {
    const measured = Tokenization.reverseString(value).mapTokens({
      mapToken: (token: IResolvable) => {
        let known = this.tokens.get(token);
        if (known === undefined) {
          known = this.referenceLength(token) ?? this.measure(this.stack.resolve(token));
          this.tokens.set(token, known);
        }
        return known;
      },
    });
    const length = (part: unknown) => (typeof part === 'number' ? part : String(part).length);
    return length(measured.join({ join: (left, right) => length(left) + length(right) }));
  }

  /**
   * The length of a reference read from its target, without resolving it: a pseudo parameter,
   * or `Ref` / `Arn` of a resource (of another stack: an import, so unknown); `undefined` for
   * other tokens.
   */
  private referenceLength(token: IResolvable): number | undefined {
    if (!Reference.isReference(token)) {
      return undefined;
    }
    const pseudo = PSEUDO[token.displayName];
    if (pseudo !== undefined) {
      return pseudo;
    }
    if (!CfnResource.isCfnResource(token.target)) {
      return undefined;
    }
    if (Stack.of(token.target) !== this.stack) {
      return WORST_CASE.unknown;
    }
    const type = token.target.cfnResourceType;
    return token.displayName === 'Ref' ? refLength(type) : token.displayName === 'Arn' ? arnLength(type) : WORST_CASE.unknown;
  }

  /**
   * The characters of inline policy a role of this stack carries already: its own `Policies`
   * and the `AWS::IAM::Policy` resources of this stack attached to it (IAM counts both against
   * the role's inline aggregate); `undefined` when they cannot be read at synth.
   */
  public inlineUsage(role: iam.CfnRole): number | undefined {
    const own = this.stack.resolve(role.policies);
    if (own !== undefined && !Array.isArray(own)) {
      return undefined;
    }
    let used = (own ?? []).reduce((sum: number, p: { PolicyDocument?: unknown }) => sum + this.jsonLength(p.PolicyDocument), 0);
    const ref = this.stack.resolve(role.ref);
    for (const policy of this.attachedPolicies()) {
      const roles = this.stack.resolve(policy.roles);
      if (Array.isArray(roles) && roles.some(r => JSON.stringify(r) === JSON.stringify(ref))) {
        used += this.jsonLength(this.stack.resolve(policy.policyDocument));
      }
    }
    return used;
  }

  /** The length of resolved JSON as IAM counts it (minified, intrinsics at their longest). */
  private jsonLength(value: unknown): number {
    if (typeof value === 'string') {
      return JSON.stringify(value).length;
    }
    if (Array.isArray(value)) {
      return 2 + value.reduce((sum: number, v) => sum + this.jsonLength(v), 0) + Math.max(0, value.length - 1);
    }
    if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
        return this.measure(value) + 2;
      }
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      return 2 + entries.reduce((sum, [k, v]) => sum + JSON.stringify(k).length + 1 + this.jsonLength(v), 0) + Math.max(0, entries.length - 1);
    }
    return JSON.stringify(value ?? null).length;
  }

  private measure(value: unknown): number {
    if (typeof value === 'string') {
      return value.length;
    }
    if (typeof value === 'number') {
      return String(value).length;
    }
    if (value === null || typeof value !== 'object') {
      return WORST_CASE.unknown;
    }
    const obj = value as Record<string, unknown>;
    if ('Fn::Join' in obj) {
      const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.reduce<number>((sum, part) => sum + this.measure(part), 0) + separator.length * Math.max(0, parts.length - 1);
    }
    if ('Fn::Select' in obj) {
      // The region of an identity id, split from the pool id (see _identityRegion).
      const [index, list] = obj['Fn::Select'] as [unknown, unknown];
      const split = (list as Record<string, unknown> | null)?.['Fn::Split'] as [string, unknown] | undefined;
      if (index === 0 && split?.[0] === ':') {
        return WORST_CASE.region;
      }
      return WORST_CASE.unknown;
    }
    if ('Ref' in obj) {
      const name = obj.Ref as string;
      return PSEUDO[name] ?? refLength(this.typeOf(name));
    }
    if ('Fn::GetAtt' in obj) {
      const [logicalId, attribute] = obj['Fn::GetAtt'] as [string, string];
      return attribute === 'Arn' ? arnLength(this.typeOf(logicalId)) : WORST_CASE.unknown;
    }
    return WORST_CASE.unknown;
  }

  private typeOf(logicalId: string): string | undefined {
    this.scan();
    return this.resourceTypes!.get(logicalId);
  }

  private attachedPolicies(): iam.CfnPolicy[] {
    this.scan();
    return this.policies!;
  }

  private scan(): void {
    if (this.resourceTypes !== undefined) {
      return;
    }
    this.resourceTypes = new Map();
    this.policies = [];
    for (const node of this.stack.node.findAll()) {
      if (CfnResource.isCfnResource(node) && Stack.of(node) === this.stack) {
        this.resourceTypes.set(this.stack.resolve(node.logicalId), node.cfnResourceType);
        if (node instanceof iam.CfnPolicy) {
          this.policies.push(node);
        }
      }
    }
  }
}
