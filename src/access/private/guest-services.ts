import { invalid } from '../../private/errors';
import { Audience, AudienceKind } from '../audience';

/**
 * The services guest (unauthenticated) credentials can reach, by IAM prefix: Cognito's enhanced
 * flow scopes every guest session down to them, whatever the guest role allows. A guest rule for
 * any other service can never work, so the access constructs refuse it at synth.
 *
 * The one place this list lives. Sources: Amazon Cognito Developer Guide, "IAM roles", section
 * "Access policies" (the scope-down policy of `GetCredentialsForIdentity` for unauthenticated
 * identities), and the AWS managed session policy AmazonCognitoUnAuthedIdentitiesSessionPolicy,
 * which Cognito adds to it. API Gateway (`execute-api`) is on neither.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html#access-policies
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonCognitoUnAuthedIdentitiesSessionPolicy.html
 * @internal
 */
export const GUEST_SERVICES: Readonly<Record<string, string>> = {
  'appsync': 'AWS AppSync',
  'cloudwatch': 'Amazon CloudWatch',
  'cognito-identity': 'Amazon Cognito Identity',
  'cognito-sync': 'Amazon Cognito Sync',
  'comprehend': 'Amazon Comprehend',
  'dynamodb': 'Amazon DynamoDB',
  'firehose': 'Amazon Data Firehose',
  'gamelift': 'Amazon GameLift',
  'geo': 'Amazon Location Service',
  'iot': 'AWS IoT',
  'kinesis': 'Amazon Kinesis Data Streams',
  'kms': 'AWS KMS (Encrypt, Decrypt, ReEncrypt*, GenerateDataKey* only)',
  'lambda': 'AWS Lambda',
  'lex': 'Amazon Lex',
  'machinelearning': 'Amazon Machine Learning',
  'mobileanalytics': 'Amazon Mobile Analytics',
  'mobiletargeting': 'Amazon Pinpoint',
  'personalize': 'Amazon Personalize',
  'polly': 'Amazon Polly',
  'rekognition': 'Amazon Rekognition',
  'rum': 'Amazon CloudWatch RUM (PutRumEvents only)',
  's3': 'Amazon S3',
  'sagemaker': 'Amazon SageMaker (InvokeEndpoint only)',
  'sdb': 'Amazon SimpleDB',
  'ses': 'Amazon SES',
  'sns': 'Amazon SNS',
  'sqs': 'Amazon SQS',
  'textract': 'Amazon Textract (DetectDocumentText, AnalyzeDocument only)',
  'transcribe': 'Amazon Transcribe',
  'translate': 'Amazon Translate',
};

/**
 * Refuses a guest rule for a service that Cognito's guest scope-down policy leaves out.
 * @internal
 */
export function checkGuestService(audience: Audience, service: string, serviceName: string, where: string): void {
  if (audience.kind === AudienceKind.GUEST && GUEST_SERVICES[service] === undefined) {
    invalid('audience', `${audience}`,
      `A guest rule on \`${where}\` can never work: Cognito's enhanced flow scopes guest (unauthenticated) credentials down to a fixed list of services, and ${serviceName} (\`${service}:*\`) is not on it`,
      'Use `Audience.authenticated()` or a group, or serve guests through a service on the list (e.g. S3 or DynamoDB); see the Cognito developer guide, "IAM roles", access policies.');
  }
}
