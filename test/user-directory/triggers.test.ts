import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { expectInvalid, newStack } from './helpers';
import { UserDirectory } from '../../src';

function fn(stack: Stack, id: string): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (event) => event;'),
  });
}

/** The pool's ARN as the template renders it. */
const POOL_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'Arn'] };

describe('triggers', () => {
  test('a pre token generation V2_0 trigger renders PreTokenGenerationConfig and one invoke permission for this pool', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    const preToken = fn(stack, 'PreToken');

    // WHEN
    users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, preToken, { lambdaVersion: cognito.LambdaVersion.V2_0 });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreTokenGenerationConfig: { LambdaArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PreToken'), 'Arn'] }, LambdaVersion: 'V2_0' },
      },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: POOL_ARN,
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PreToken'), 'Arn'] },
    });
    expect(users.triggerOperations).toEqual(['preTokenGeneration']);
  });

  test('V3_0 (machine-to-machine tokens too) through PRE_TOKEN_GENERATION_CONFIG', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, fn(stack, 'PreToken'), { lambdaVersion: cognito.LambdaVersion.V3_0 });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PreTokenGenerationConfig: Match.objectLike({ LambdaVersion: 'V3_0' }), PreTokenGeneration: Match.absent() },
    });
  });

  test('the two-argument addTrigger renders as before: a function ARN, and the permission where aws-cdk-lib put it', () => {
    // GIVEN the wave-1 call
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn(stack, 'PreSignUp'));
    users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, fn(stack, 'PreToken'));

    // THEN the LambdaConfig keys and the permission's construct path (its logical id) are unchanged
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreSignUp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PreSignUp'), 'Arn'] },
        PreTokenGeneration: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PreToken'), 'Arn'] },
      },
    });
    expect(users.userPool.node.tryFindChild('PreSignUpCognito')).toBeDefined();
    expect(users.userPool.node.tryFindChild('PreTokenGenerationCognito')).toBeDefined();
  });

  test('custom email and SMS senders share the pool\'s KMS key, and may decrypt with it only', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    const key = new kms.Key(stack, 'SenderKey', { enableKeyRotation: true });
    const sender = fn(stack, 'Sender');

    // WHEN
    users.addTrigger(cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER, sender, { kmsKey: key });
    users.addTrigger(cognito.UserPoolOperation.CUSTOM_SMS_SENDER, sender, { kmsKey: key });

    // THEN
    const template = Template.fromStack(stack);
    const senderArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Sender'), 'Arn'] };
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        CustomEmailSender: { LambdaArn: senderArn, LambdaVersion: 'V1_0' },
        CustomSMSSender: { LambdaArn: senderArn, LambdaVersion: 'V1_0' },
        KMSKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SenderKey'), 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SenderKey'), 'Arn'] } }],
      },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 2);
  });

  test('a custom sender decrypts only this pool\'s codes: kms:Decrypt carries the userpool-id encryption context', () => {
    // GIVEN a key that other pools (or other data) may share
    // Source: Amazon Cognito Developer Guide, "Custom sender Lambda triggers": Cognito encrypts the
    // codes with the AWS Encryption SDK, and its key policy example scopes Cognito's grant with
    // `kms:EncryptionContext:userpool-id` = the user pool id, the encryption context Cognito sets.
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    const key = new kms.Key(stack, 'SenderKey', { enableKeyRotation: true });
    const sender = fn(stack, 'Sender');

    // WHEN
    users.addTrigger(cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER, sender, { kmsKey: key });

    // THEN the only kms statement is Decrypt on this key, for this pool's encryption context
    // (Template.fromStack refuses a template with a dependency cycle: the pool needs the
    // function's ARN, and the decrypt statement the pool's id)
    const template = Template.fromStack(stack);
    const poolId = stack.getLogicalId(users.userPool.node.defaultChild as cognito.CfnUserPool);
    const kmsStatements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st) => [].concat(st.Action).some((a: string) => a.startsWith('kms:')));
    expect(kmsStatements).toEqual([{
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
      Condition: { StringEquals: { 'kms:EncryptionContext:userpool-id': { Ref: poolId } } },
    }]);
  });

  test('a function imported without its role gets no policy, and CDK says what to add', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    const imported = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:sender');
    users.addTrigger(cognito.UserPoolOperation.CUSTOM_SMS_SENDER, imported, { kmsKey: new kms.Key(stack, 'SenderKey') });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('kms:Decrypt'));
  });

  test('an imported function works too', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    const imported = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:migrate');
    users.addTrigger(cognito.UserPoolOperation.USER_MIGRATION, imported);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { UserMigration: 'arn:aws:lambda:us-east-1:111111111111:function:migrate' },
    });
  });

  test('triggers added to the aws-cdk-lib user pool directly are kept', () => {
    // GIVEN a trigger added through the L2 pool, another through the directory
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    (users.userPool as cognito.UserPool).addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn(stack, 'PreSignUp'));
    users.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, fn(stack, 'PostConfirmation'));

    // THEN both are in LambdaConfig
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreSignUp: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PreSignUp'), 'Arn'] },
        PostConfirmation: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PostConfirmation'), 'Arn'] },
      },
    });
  });

  test('no trigger, no LambdaConfig', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users');
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { LambdaConfig: Match.absent() });
  });
});

describe('triggers: bad input', () => {
  test('fails on V2_0 for a trigger other than pre token generation', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn(stack, 'F'), { lambdaVersion: cognito.LambdaVersion.V2_0 }),
      { property: 'lambdaVersion', received: '"V2_0"', fix: 'Leave `lambdaVersion` out for this trigger' });
  });

  test('fails on V2_0 for a custom sender', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    const kmsKey = new kms.Key(stack, 'Key');
    expectInvalid(() => users.addTrigger(cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER, fn(stack, 'F'), { lambdaVersion: cognito.LambdaVersion.V2_0, kmsKey }),
      { property: 'lambdaVersion', received: '"V2_0"', fix: 'Leave `lambdaVersion` out' });
  });

  test('fails on access-token customization with the Lite plan', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { featurePlan: cognito.FeaturePlan.LITE });
    expectInvalid(() => users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, fn(stack, 'F'), { lambdaVersion: cognito.LambdaVersion.V3_0 }),
      { property: 'lambdaVersion', received: '"V3_0"', fix: '`LambdaVersion.V1_0` to customize ID tokens only' });
  });

  test('fails on a custom sender without a KMS key', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.addTrigger(cognito.UserPoolOperation.CUSTOM_SMS_SENDER, fn(stack, 'F')),
      { property: 'kmsKey', received: 'undefined', fix: 'Pass `kmsKey`' });
  });

  test('fails on a KMS key for a trigger that takes none', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    const kmsKey = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:111111111111:key/abc');
    expectInvalid(() => users.addTrigger(cognito.UserPoolOperation.PRE_SIGN_UP, fn(stack, 'F'), { kmsKey }),
      { property: 'kmsKey', received: 'arn:aws:kms:us-east-1:111111111111:key/abc', fix: 'Leave `kmsKey` out' });
  });

  test('fails on two different keys for the two custom senders', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addTrigger(cognito.UserPoolOperation.CUSTOM_EMAIL_SENDER, fn(stack, 'Email'), { kmsKey: kms.Key.fromKeyArn(stack, 'K1', 'arn:aws:kms:us-east-1:111111111111:key/one') });
    expectInvalid(() => users.addTrigger(cognito.UserPoolOperation.CUSTOM_SMS_SENDER, fn(stack, 'Sms'), { kmsKey: kms.Key.fromKeyArn(stack, 'K2', 'arn:aws:kms:us-east-1:111111111111:key/two') }),
      { property: 'kmsKey', received: 'key/two', fix: 'Pass the same key to both custom sender triggers' });
  });

  test('fails on a second pre token generation trigger, in either form', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, fn(stack, 'A'));
    expectInvalid(() => users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, fn(stack, 'B'), { lambdaVersion: cognito.LambdaVersion.V2_0 }),
      { property: 'operation', received: '"preTokenGenerationConfig"', fix: 'Add one function per trigger' });
  });

  test('fails at synth on a trigger added both directly and through the directory', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    (users.userPool as cognito.UserPool).addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION, fn(stack, 'Direct'));
    users.addTrigger(cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, fn(stack, 'Mine'), { lambdaVersion: cognito.LambdaVersion.V2_0 });
    expect(() => Template.fromStack(stack)).toThrow(/`operation`: the pool also has a preTokenGeneration trigger added to the aws-cdk-lib user pool directly \(received "preTokenGenerationConfig"\)\. Add each trigger once, through UserDirectory.addTrigger\(\)\./);
  });

  test('fails on an operation CloudFormation does not know', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.addTrigger(cognito.UserPoolOperation.of('preSignup2'), fn(stack, 'F')),
      { property: 'operation', received: '"preSignup2"', fix: 'Use a `UserPoolOperation` constant' });
  });
});
