import { RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { expectInvalid, newStack } from './helpers';
import { DirectoryLogEvents, LogDestination, UserDirectory } from '../../src';
import { actionProblem, conditionKeyProblem, iamNamesOf } from '../deployable/iam-names';

// What AWS documents (CloudWatch Logs "Enable logging from AWS services", vended logs): the log
// delivery service writes log streams of the destination log group, and the resource policy
// limits it to deliveries of the destination's own account (aws:SourceAccount, aws:SourceArn).
const ENV = { account: '123456789012', region: 'eu-west-1' };

describe('log delivery', () => {
  test('is off by default: no log delivery, log group or resource policy', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const users = new UserDirectory(stack, 'Users');

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Cognito::LogDeliveryConfiguration', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 0);
    expect(users.logGroup).toBeUndefined();
  });

  test('notification errors go to a created, retained log group with a year of retention', () => {
    // GIVEN
    const stack = newStack({ env: ENV });
    const users = new UserDirectory(stack, 'Users');

    // WHEN
    users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: Match.absent() },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      UserPoolId: { Ref: Match.stringLikeRegexp('^Users') },
      LogConfigurations: [{
        EventSource: 'userNotification',
        LogLevel: 'ERROR',
        CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UsersLogs'), 'Arn'] } },
      }],
    });
    expect(users.logGroup).toBeDefined();
  });

  test('the resource policy lets only the log delivery service write that log group, for this account', () => {
    // GIVEN
    const stack = newStack({ env: ENV });
    const users = new UserDirectory(stack, 'Users');

    // WHEN
    users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);

    // THEN
    const policies = Template.fromStack(stack).findResources('AWS::Logs::ResourcePolicy');
    expect(Object.keys(policies)).toHaveLength(1);
    const document = JSON.parse(stack.resolve(Object.values(policies)[0].Properties.PolicyDocument)['Fn::Join'][1]
      .map((p: any) => (typeof p === 'string' ? p : p.Ref === 'AWS::Partition' ? 'aws' : '<LOGGROUP>')).join(''));
    expect(document.Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:eu-west-1:123456789012:log-group:<LOGGROUP>:log-stream:*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:123456789012:*' },
      },
    }]);
  });

  test('the resource policy (a JSON string the IAM-name gate cannot read) names real actions and condition keys', async () => {
    // GIVEN
    const stack = newStack({ env: ENV });
    new UserDirectory(stack, 'Users').addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::Logs::ResourcePolicy'))[0];
    const document = JSON.parse(stack.resolve(policy.Properties.PolicyDocument)['Fn::Join'][1]
      .map((p: any) => (typeof p === 'string' ? p : 'x')).join(''));

    // WHEN
    const names = iamNamesOf({ Resources: { Policy: { Type: 'AWS::Logs::ResourcePolicy', Properties: { PolicyDocument: document } } } });
    const problems = await Promise.all(names.map(async (n) => (n.kind === 'action' ? actionProblem(n.name) : conditionKeyProblem(n.name))));

    // THEN
    expect(names.map(n => n.name).sort()).toEqual(['aws:SourceAccount', 'aws:SourceArn', 'logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(problems.filter(p => p !== undefined)).toEqual([]);
  });

  test('the delivery is set up after the destination policies, so AWS never writes a wider one of its own', () => {
    // GIVEN
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'LogBucket');
    const users = new UserDirectory(stack, 'Users');

    // WHEN
    users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);
    users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.s3(bucket));

    // THEN
    const template = Template.fromStack(stack);
    const [logsPolicy] = Object.keys(template.findResources('AWS::Logs::ResourcePolicy'));
    const [bucketPolicy] = Object.keys(template.findResources('AWS::S3::BucketPolicy'));
    const [delivery] = Object.values(template.findResources('AWS::Cognito::LogDeliveryConfiguration'));
    expect(delivery.DependsOn).toEqual(expect.arrayContaining([logsPolicy, bucketPolicy]));
  });

  test('the created log group follows the pool removal policy (integ stacks destroy it)', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
    users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('both kinds of logs share one created log group and one configuration', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');

    // WHEN
    users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);
    users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS);

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      LogConfigurations: [
        Match.objectLike({ EventSource: 'userNotification', LogLevel: 'ERROR' }),
        Match.objectLike({ EventSource: 'userAuthEvents', LogLevel: 'INFO' }),
      ],
    });
  });

  test('a given log group is used as it is, with the delivery policy for it', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'Mine', { logGroupName: '/aws/vendedlogs/cognito/notes' });
    const users = new UserDirectory(stack, 'Users');
    users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION, LogDestination.cloudWatch(logGroup));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    expect(users.logGroup).toBeUndefined();
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      LogConfigurations: [Match.objectLike({ CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } } })],
    });
  });

  test('user activity goes to an S3 bucket with the bucket policy the delivery needs, scoped to this account', () => {
    // GIVEN
    const stack = newStack({ env: ENV });
    const bucket = new s3.Bucket(stack, 'LogBucket', { enforceSSL: true });
    const users = new UserDirectory(stack, 'Users');

    // WHEN
    users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.s3(bucket));

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      LogConfigurations: [{ EventSource: 'userAuthEvents', LogLevel: 'INFO', S3Configuration: { BucketArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogBucket'), 'Arn'] } } }],
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, '/AWSLogs/123456789012/*']] },
            Condition: {
              StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': '123456789012' },
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:*']] } },
            },
          }),
          Match.objectLike({ Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: 's3:GetBucketAcl' }),
        ]),
      },
    });
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
  });

  test('an imported bucket gets a warning naming the statements its own policy needs', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.s3(s3.Bucket.fromBucketName(stack, 'Imported', 'logs-bucket')));
    Annotations.fromStack(stack).hasWarning('/Stack/Users', Match.stringLikeRegexp('delivery.logs.amazonaws.com'));
  });

  test('user activity goes to a Firehose stream', () => {
    const stack = newStack();
    const stream = firehose.DeliveryStream.fromDeliveryStreamArn(stack, 'Stream', 'arn:aws:firehose:us-east-1:123456789012:deliverystream/cognito');
    const users = new UserDirectory(stack, 'Users');
    users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.firehose(stream));
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      LogConfigurations: [{
        EventSource: 'userAuthEvents',
        LogLevel: 'INFO',
        FirehoseConfiguration: { StreamArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/cognito' },
      }],
    });
  });

  test('fails for notification errors to S3: Cognito delivers them to CloudWatch Logs only', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION, LogDestination.s3(new s3.Bucket(stack, 'B'))),
      { property: 'destination', received: 'S3', fix: 'LogDestination.cloudWatch()' });
    // the safe configuration still works
    users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION, LogDestination.cloudWatch());
  });

  test('fails for user activity without the Plus plan', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    expectInvalid(() => users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS),
      { property: 'events', received: 'userAuthEvents', fix: 'FeaturePlan.PLUS' });
    users.addLogDelivery(DirectoryLogEvents.USER_NOTIFICATION);
  });

  test('fails for a second destination of the same logs', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS);
    expectInvalid(() => users.addLogDelivery(DirectoryLogEvents.USER_AUTH_EVENTS, LogDestination.s3(new s3.Bucket(stack, 'B'))),
      { property: 'events', received: 'userAuthEvents', fix: 'once per' });
  });
});
