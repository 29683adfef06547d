import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Options of a Lambda trigger added with `UserDirectory.addTrigger()`.
 *
 * @example
 * /// fixture=api
 * const options: TriggerOptions = { lambdaVersion: cognito.LambdaVersion.V2_0 };
 * users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, fn, options);
 */
export interface TriggerOptions {
  /**
   * The version of the event Cognito sends to the function.
   *
   * `V2_0` lets a pre token generation trigger customize access tokens (claims, groups and
   * scopes); `V3_0` also runs it for machine-to-machine (client-credentials) tokens. Both are
   * for `UserPoolOperation.PRE_TOKEN_GENERATION` only and need the Essentials or Plus plan.
   * Custom email and SMS senders take `V1_0` only.
   *
   * @default LambdaVersion.V1_0
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
   */
  readonly lambdaVersion?: cognito.LambdaVersion;

  /**
   * The symmetric KMS key Cognito encrypts codes and temporary passwords with before it hands
   * them to a custom email or SMS sender trigger. The function is granted `kms:Decrypt` on it,
   * for this pool's codes only (encryption context `userpool-id` = the pool id).
   *
   * Required for `UserPoolOperation.CUSTOM_EMAIL_SENDER` and `CUSTOM_SMS_SENDER`; a pool has one
   * such key, so both senders use the same key.
   *
   * @default - none (only custom sender triggers take a key)
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
   */
  readonly kmsKey?: kms.IKey;
}
