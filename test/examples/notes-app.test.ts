import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildNotesApp, NotesAppStack } from '../../examples/notes-app';
import { destroyProblems } from '../deployable/integ-stacks';

/*
 * The example keeps its users' data by default (the integ test opts out with `destroyWithStack`,
 * so these defaults are asserted here, on the template), and deploys with nothing prepared
 * outside the stack.
 */
describe('the notes app example', () => {
  const template = Template.fromStack(buildNotesApp().stack);

  test('keeps the user pool, the identity pool, the buckets and the notes table by default', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
    template.hasResource('AWS::Cognito::IdentityPool', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(2);
    expect(buckets.map(b => b.DeletionPolicy)).toEqual(['Retain', 'Retain']);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });

  test('needs nothing outside the stack: its own Google secret, inline SAML metadata', () => {
    const secrets = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(1);
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'Google',
      ProviderDetails: Match.objectLike({
        client_secret: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secrets[0] }, ':SecretString:::}}']] },
      }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'Corp',
      ProviderType: 'SAML',
      ProviderDetails: Match.objectLike({ MetadataFile: Match.stringLikeRegexp('<md:EntityDescriptor [\\s\\S]*<md:IDPSSODescriptor') }),
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('MetadataURL');
  });

  test('with destroyWithStack, nothing is kept and every bucket is emptied on delete', () => {
    // The same check as every committed integ stack (test/deployable/integ-stacks.test.ts).
    expect(destroyProblems(Template.fromStack(buildNotesApp().stack).toJSON()).length).toBeGreaterThan(0);
    const stack = new NotesAppStack(new App(), 'Disposable', { destroyWithStack: true });
    expect(destroyProblems(Template.fromStack(stack).toJSON())).toEqual([]);
  });
});
