import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
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

  test('the admin function reads users and runs their lifecycle, and cannot sign in as a user who has', () => {
    // GIVEN the actions that sign in as an existing user or change how users sign in (Cognito API
    // reference: attribute changes with a verified flag, passwords, server-side sign-in, links, MFA)
    const takeover = ['AdminUpdateUserAttributes', 'AdminDeleteUserAttributes', 'AdminSetUserPassword', 'AdminInitiateAuth',
      'AdminRespondToAuthChallenge', 'AdminLinkProviderForUser', 'AdminSetUserMFAPreference', 'UpdateUserPool', 'UpdateUserPoolClient'];
    const { stack } = buildNotesApp();
    const adminRole = stack.getLogicalId(stack.adminFn.role!.node.defaultChild as iam.CfnRole);

    // WHEN
    const actions = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: any) => r.Ref === adminRole))
      .flatMap((p) => p.Properties.PolicyDocument.Statement).flatMap((st: any) => [].concat(st.Action))
      .map((a: string) => a.replace('cognito-idp:', ''));

    // THEN
    expect([...new Set(actions)].sort()).toEqual([
      'AdminAddUserToGroup', 'AdminConfirmSignUp', 'AdminCreateUser', 'AdminDeleteUser', 'AdminDisableUser', 'AdminEnableUser',
      'AdminGetUser', 'AdminListGroupsForUser', 'AdminRemoveUserFromGroup', 'AdminResetUserPassword', 'AdminUserGlobalSignOut',
      'GetGroup', 'ListGroups', 'ListUsers', 'ListUsersInGroup',
    ]);
    expect(actions.filter((a) => takeover.includes(a))).toEqual([]);
  });

  test('uploads to public/ invoke the thumbnail function through EventBridge, with no custom resource', () => {
    const { stack } = buildNotesApp();
    const t = Template.fromStack(stack);
    const bucketId = stack.getLogicalId(stack.files.bucket.node.defaultChild as any);
    const fnArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.thumbnailFn.node.defaultChild as any), 'Arn'] };
    expect(t.toJSON().Resources[bucketId].Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': { bucket: { name: [{ Ref: bucketId }] }, object: { key: [{ prefix: 'public/' }] } },
      },
      Targets: [Match.objectLike({ Arn: fnArn })],
    });
    t.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: fnArn, Principal: 'events.amazonaws.com' });
    const types = Object.values<any>(t.toJSON().Resources).map(r => r.Type as string);
    expect(types.filter(x => x.startsWith('Custom::') || x === 'AWS::CloudFormation::CustomResource')).toEqual([]);
  });

  test('with destroyWithStack, nothing is kept and every bucket is emptied on delete', () => {
    // The same check as every committed integ stack (test/deployable/integ-stacks.test.ts).
    expect(destroyProblems(Template.fromStack(buildNotesApp().stack).toJSON()).length).toBeGreaterThan(0);
    const stack = new NotesAppStack(new App(), 'Disposable', { destroyWithStack: true });
    expect(destroyProblems(Template.fromStack(stack).toJSON())).toEqual([]);
  });

  test('runs its directory in production: log delivery to a kept log group, a web ACL, threat responses without SES', () => {
    // THEN both kinds of logs go to the one log group the directory created, kept by default
    template.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      LogConfigurations: [
        Match.objectLike({ EventSource: 'userNotification', LogLevel: 'ERROR' }),
        Match.objectLike({ EventSource: 'userAuthEvents', LogLevel: 'INFO' }),
      ],
    });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    // a REGIONAL web ACL on the pool
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL' });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    // threat responses with their defaults and no notification (which would need an SES identity)
    template.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      ClientId: 'ALL',
      AccountTakeoverRiskConfiguration: { Actions: Match.objectLike({ HighAction: { EventAction: 'BLOCK', Notify: false } }), NotifyConfiguration: Match.absent() },
    });
  });
});
