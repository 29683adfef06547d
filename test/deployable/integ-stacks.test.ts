import { App, Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { destroyProblems } from './integ-stacks';
import { integTemplates } from './templates';
import { DirectoryProvider, FederatedIdentityPool, FederatedSignUp, IdentitySource, UserDirectory } from '../../src';

/*
 * The committed integ stacks deploy into any account with nothing prepared outside them and
 * `integ-runner` destroys them cleanly: nothing retained, no deletion protection, every bucket
 * emptied on delete, no secret or metadata URL the stack does not own, no deprecated runtime.
 */

describe('integ stacks deploy alone and destroy cleanly', () => {
  test('the check can fail: library defaults and outside prerequisites are reported', () => {
    // GIVEN a stack with the library's safe defaults and every outside prerequisite
    const stack = new Stack(new App(), 'Defaults');
    const users = new UserDirectory(stack, 'Users', { domainPrefix: 'integ-defaults' });
    users.addIdentityProvider(DirectoryProvider.google({ clientId: 'id', clientSecret: SecretValue.secretsManager('outside/secret'), signUp: FederatedSignUp.anyone() }));
    users.addIdentityProvider(DirectoryProvider.saml({ name: 'Corp', metadataUrl: 'https://idp.example.com/metadata' }));
    const web = users.addWebClient('Web', { callbackUrls: ['https://app.example.com/'] });
    new FederatedIdentityPool(stack, 'Identities', { sources: [IdentitySource.userDirectory(users, web)] });
    new dynamodb.Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY });
    new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      timeout: Duration.seconds(3),
    });

    // WHEN
    const problems = destroyProblems(Template.fromStack(stack).toJSON()).join('\n');

    // THEN
    expect(problems).toMatch(/Users\w+ \(AWS::Cognito::UserPool\): DeletionPolicy Retain/);
    expect(problems).toMatch(/Users\w+ \(AWS::Cognito::UserPool\): UpdateReplacePolicy Retain/);
    expect(problems).toMatch(/Users\w+ \(AWS::Cognito::UserPool\): deletion protection is on/);
    expect(problems).toMatch(/Identities\w+ \(AWS::Cognito::IdentityPool\): DeletionPolicy Retain/);
    expect(problems).toMatch(/Identities\w+ \(AWS::Cognito::IdentityPool\): UpdateReplacePolicy Retain/);
    expect(problems).toMatch(/Table\w+ \(AWS::DynamoDB::Table\): deletion protection is on/);
    expect(problems).toMatch(/Bucket\w+ \(AWS::S3::Bucket\): nothing empties it/);
    expect(problems).toMatch(/"\{\{resolve:secretsmanager:outside\/secret:SecretString:::\}\}" resolves a secret this stack does not create/);
    expect(problems).toMatch(/UsersProviderCorp\w+ \(AWS::Cognito::UserPoolIdentityProvider\): Cognito must reach the SAML metadata URL/);
    expect(problems).toMatch(/Fn\w+ \(AWS::Lambda::Function\): runtime nodejs20.x is deprecated/);
  });

  test('the check accepts a secret the stack creates', () => {
    const template = {
      Resources: {
        Secret: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
        Provider: {
          Type: 'AWS::Cognito::UserPoolIdentityProvider',
          Properties: { ProviderType: 'Google', ProviderDetails: { client_secret: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'Secret' }, ':SecretString:::}}']] } } },
        },
        Other: {
          Type: 'AWS::Cognito::UserPoolIdentityProvider',
          Properties: { ProviderType: 'Google', ProviderDetails: { client_secret: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'Provider' }, ':SecretString:::}}']] } } },
        },
      },
    };
    expect(destroyProblems(template)).toEqual([
      'Other/ProviderDetails/client_secret: resolves {"Ref":"Provider"}, which is not a secret this stack creates',
    ]);
  });

  const templates = integTemplates();
  test('there are integ snapshots to check', () => {
    expect(templates.length).toBeGreaterThanOrEqual(10);
  });
  test.each(templates.map(t => [`${t.source} ${t.stack}`, t.template]))('%s', (_name, template) => {
    expect(destroyProblems(template)).toEqual([]);
  });
});
