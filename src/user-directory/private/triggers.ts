import { Lazy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { invalid } from '../../private/errors';
import { TriggerOptions } from '../triggers';

/** How CloudFormation's LambdaConfig holds a trigger. */
enum Shape {
  /** A function ARN. */
  ARN,
  /** `{ LambdaArn, LambdaVersion }`. */
  VERSIONED,
}

interface Kind {
  readonly shape: Shape;
  /** Event versions Cognito accepts for the trigger. */
  readonly versions: cognito.LambdaVersion[];
  /** The custom senders need the pool's KMS key. */
  readonly needsKey?: boolean;
  /** Two operation names for one trigger (PRE_TOKEN_GENERATION and its _CONFIG form). */
  readonly slot?: string;
}

const V1 = [cognito.LambdaVersion.V1_0];
// AWS::Cognito::UserPool LambdaConfig, keyed by aws-cdk-lib's UserPoolOperation names.
const KINDS: Record<string, Kind> = {
  createAuthChallenge: { shape: Shape.ARN, versions: V1 },
  customMessage: { shape: Shape.ARN, versions: V1 },
  defineAuthChallenge: { shape: Shape.ARN, versions: V1 },
  postAuthentication: { shape: Shape.ARN, versions: V1 },
  postConfirmation: { shape: Shape.ARN, versions: V1 },
  preAuthentication: { shape: Shape.ARN, versions: V1 },
  preSignUp: { shape: Shape.ARN, versions: V1 },
  userMigration: { shape: Shape.ARN, versions: V1 },
  verifyAuthChallengeResponse: { shape: Shape.ARN, versions: V1 },
  inboundFederation: { shape: Shape.VERSIONED, versions: V1 },
  customEmailSender: { shape: Shape.VERSIONED, versions: V1, needsKey: true },
  customSmsSender: { shape: Shape.VERSIONED, versions: V1, needsKey: true },
  preTokenGeneration: { shape: Shape.ARN, versions: Object.values(cognito.LambdaVersion), slot: 'preTokenGeneration' },
  preTokenGenerationConfig: { shape: Shape.VERSIONED, versions: Object.values(cognito.LambdaVersion), slot: 'preTokenGeneration' },
};
const ADVANCED_VERSIONS = [cognito.LambdaVersion.V2_0, cognito.LambdaVersion.V3_0];

interface Entry {
  readonly operationName: string;
  readonly fn: lambda.IFunction;
  readonly version?: cognito.LambdaVersion;
}

/**
 * The Lambda triggers of a directory's user pool: it renders LambdaConfig itself (so custom
 * sender triggers and their KMS key can be added after the pool), and gives each function only
 * the permission Cognito needs: `lambda:InvokeFunction` by `cognito-idp.amazonaws.com`, for this
 * pool's ARN only (`SourceArn`).
 */
export class DirectoryTriggers {
  private readonly entries = new Map<string, Entry>();
  private readonly direct: unknown;
  private kmsKey?: kms.IKey;

  constructor(private readonly pool: cognito.UserPool, private readonly featurePlan: cognito.FeaturePlan) {
    const cfnPool = pool.node.defaultChild as cognito.CfnUserPool;
    // Triggers added to the aws-cdk-lib pool directly (`userPool.addTrigger`) are kept.
    const direct = cfnPool.lambdaConfig;
    this.direct = direct;
    cfnPool.lambdaConfig = Lazy.any({ produce: () => this.render(direct) });
  }

  /** The operations that have a trigger, as aws-cdk-lib names them (`preSignUp`...). */
  public get operationNames(): string[] {
    return [...this.entries.values()].map((e) => e.operationName);
  }

  /**
   * Whether the pool has a trigger for this operation (`preSignUp`...), added here or to the
   * aws-cdk-lib pool directly.
   */
  public hasTrigger(operationName: string): boolean {
    if ([...this.entries.values()].some((e) => e.operationName === operationName)) {
      return true;
    }
    const direct = this.direct === undefined ? undefined : Stack.of(this.pool).resolve(this.direct);
    return direct !== undefined && direct !== null && typeof direct === 'object' && operationName in direct;
  }

  public add(operation: cognito.UserPoolOperation, fn: lambda.IFunction, options: TriggerOptions = {}): void {
    const name = operation.operationName;
    const kind = KINDS[name];
    if (kind === undefined) {
      invalid('operation', name, 'is not a user pool trigger', `Use a \`UserPoolOperation\` constant; CloudFormation knows ${Object.keys(KINDS).join(', ')}.`);
    }
    const slot = kind.slot ?? name;
    const existing = this.entries.get(slot);
    if (existing !== undefined) {
      invalid('operation', name, `the directory already has a ${existing.operationName} trigger`, 'Add one function per trigger; it can branch on `event.triggerSource`.');
    }
    const version = options.lambdaVersion;
    this.validateVersion(name, kind, version);
    this.useKey(name, kind, options.kmsKey);

    fn.addPermission(`${name.charAt(0).toUpperCase()}${name.slice(1)}Cognito`, {
      principal: new iam.ServicePrincipal('cognito-idp.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceArn: this.pool.userPoolArn,
      scope: this.pool,
    });
    if (kind.needsKey) {
      this.grantDecrypt(name, fn, options.kmsKey!);
    }
    this.entries.set(slot, { operationName: name, fn, version });
  }

  /**
   * `kms:Decrypt` on the sender key for codes of this pool only: Cognito encrypts them with the
   * AWS Encryption SDK under the encryption context `userpool-id` = the pool id (Developer Guide,
   * "Custom sender Lambda triggers": the key policy example scopes Cognito's grant with
   * `kms:EncryptionContext:userpool-id`), so a function given a shared key cannot decrypt other
   * pools' codes or other data under the key. The statement is a policy of its own in the pool's
   * stack: in the function role's default policy it would make the function depend on the pool,
   * which depends on the function.
   */
  private grantDecrypt(name: string, fn: lambda.IFunction, key: kms.IKey): void {
    const statement = new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:userpool-id': this.pool.userPoolId } },
    });
    if (fn.role === undefined) {
      // An imported function without its role: Grant warns that the statement must be added by hand.
      iam.Grant.addToPrincipal({ grantee: fn, actions: statement.actions, resourceArns: statement.resources, conditions: statement.conditions });
      return;
    }
    new iam.Policy(this.pool, `${name.charAt(0).toUpperCase()}${name.slice(1)}Decrypt`, { roles: [fn.role], statements: [statement] });
  }

  private validateVersion(name: string, kind: Kind, version: cognito.LambdaVersion | undefined): void {
    if (version === undefined) {
      return;
    }
    if (!kind.versions.includes(version)) {
      invalid('lambdaVersion', version, `the ${name} trigger takes ${kind.versions.join(', ')} events only; V2_0 and V3_0 are for pre token generation`,
        'Leave `lambdaVersion` out for this trigger.');
    }
    if (ADVANCED_VERSIONS.includes(version) && this.featurePlan === cognito.FeaturePlan.LITE) {
      invalid('lambdaVersion', version, `${version} pre token generation events (access-token customization) need the Essentials or Plus feature plan, and featurePlan is LITE`,
        'Use `FeaturePlan.PLUS` (the default) or `FeaturePlan.ESSENTIALS`, or `LambdaVersion.V1_0` to customize ID tokens only.');
    }
  }

  private useKey(name: string, kind: Kind, key: kms.IKey | undefined): void {
    if (!kind.needsKey) {
      if (key !== undefined) {
        invalid('kmsKey', key.keyArn, `the ${name} trigger takes no KMS key; only custom email and SMS senders do`, 'Leave `kmsKey` out.');
      }
      return;
    }
    if (key === undefined) {
      invalid('kmsKey', undefined, `the ${name} trigger needs a symmetric KMS key: Cognito encrypts the codes it hands to the function`,
        'Pass `kmsKey` (e.g. `new kms.Key(this, \'SenderKey\', { enableKeyRotation: true })`); the function is granted kms:Decrypt on it.');
    }
    if (this.kmsKey !== undefined && !sameKey(this.kmsKey, key)) {
      invalid('kmsKey', key.keyArn, 'a user pool has one KMS key for both custom senders, and another key was given to the first sender', 'Pass the same key to both custom sender triggers.');
    }
    this.kmsKey = key;
  }

  private render(direct: unknown): cognito.CfnUserPool.LambdaConfigProperty | undefined {
    const config: Record<string, unknown> = { ...(direct === undefined ? {} : Stack.of(this.pool).resolve(direct) ?? {}) };
    const directKeys = Object.keys(config);
    if (this.entries.size === 0) {
      return directKeys.length === 0 ? undefined : config as cognito.CfnUserPool.LambdaConfigProperty;
    }
    for (const entry of this.entries.values()) {
      const kind = KINDS[entry.operationName];
      // A version on PRE_TOKEN_GENERATION moves it to PreTokenGenerationConfig (same trigger).
      const versioned = kind.shape === Shape.VERSIONED || entry.version !== undefined;
      const key = kind.slot === 'preTokenGeneration' && versioned ? 'preTokenGenerationConfig' : entry.operationName;
      const clash = directKeys.find((k) => k === key || (kind.slot !== undefined && KINDS[k]?.slot === kind.slot));
      if (clash !== undefined) {
        invalid('operation', entry.operationName, `the pool also has a ${clash} trigger added to the aws-cdk-lib user pool directly`, 'Add each trigger once, through UserDirectory.addTrigger().');
      }
      config[key] = versioned
        ? { lambdaArn: entry.fn.functionArn, lambdaVersion: entry.version ?? cognito.LambdaVersion.V1_0 }
        : entry.fn.functionArn;
    }
    if (this.kmsKey !== undefined) {
      config.kmsKeyId = this.kmsKey.keyArn;
    }
    return config as cognito.CfnUserPool.LambdaConfigProperty;
  }
}

function sameKey(a: kms.IKey, b: kms.IKey): boolean {
  return a === b || JSON.stringify(Stack.of(a).resolve(a.keyArn)) === JSON.stringify(Stack.of(b).resolve(b.keyArn));
}
