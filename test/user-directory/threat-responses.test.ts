import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { expectInvalid, newStack } from './helpers';
import { CompromisedCredentialsAction, RiskAction, UserDirectory } from '../../src';

// What AWS documents (adaptive authentication, compromised credentials): Cognito's actions are
// NO_ACTION, MFA_IF_CONFIGURED, MFA_REQUIRED and BLOCK per risk level; notifications are sent
// through a verified SES identity (NotifyConfiguration.SourceArn); risk settings need the Plus plan.
const SES = 'arn:aws:ses:us-east-1:123456789012:identity/example.com';

describe('threat responses', () => {
  test('are not configured by default (Cognito\'s own settings stay)', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users');
    Template.fromStack(stack).resourceCountIs('AWS::Cognito::UserPoolRiskConfigurationAttachment', 0);
  });

  test('default to blocking high risk and leaked passwords, MFA at medium risk, for every client', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');

    // WHEN
    users.configureThreatResponses();

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      UserPoolId: { Ref: Match.stringLikeRegexp('^Users') },
      ClientId: 'ALL',
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { EventAction: 'NO_ACTION', Notify: false },
          MediumAction: { EventAction: 'MFA_REQUIRED', Notify: false },
          HighAction: { EventAction: 'BLOCK', Notify: false },
        },
        NotifyConfiguration: Match.absent(),
      },
      CompromisedCredentialsRiskConfiguration: {
        Actions: { EventAction: 'BLOCK' },
        EventFilter: ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'],
      },
      RiskExceptionConfiguration: Match.absent(),
    });
  });

  test('overrides: actions, SES notifications on the levels that act, IP lists', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');

    // WHEN
    users.configureThreatResponses({
      lowRisk: RiskAction.MFA_IF_CONFIGURED,
      mediumRisk: RiskAction.BLOCK,
      highRisk: RiskAction.BLOCK,
      compromisedCredentials: CompromisedCredentialsAction.ALLOW,
      notification: { sourceArn: SES, from: 'security@example.com', replyTo: 'Support <help@example.com>' },
      blockedIpRanges: ['198.51.100.0/24', '2001:db8::/32'],
      skippedIpRanges: ['203.0.113.10/32'],
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: true },
          MediumAction: { EventAction: 'BLOCK', Notify: true },
          HighAction: { EventAction: 'BLOCK', Notify: true },
        },
        NotifyConfiguration: { SourceArn: SES, From: 'security@example.com', ReplyTo: 'Support <help@example.com>' },
      },
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'NO_ACTION' } },
      RiskExceptionConfiguration: { BlockedIPRangeList: ['198.51.100.0/24', '2001:db8::/32'], SkippedIPRangeList: ['203.0.113.10/32'] },
    });
  });

  test('allowed levels are not notified', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users').configureThreatResponses({ notification: { sourceArn: SES } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      AccountTakeoverRiskConfiguration: Match.objectLike({
        Actions: {
          LowAction: { EventAction: 'NO_ACTION', Notify: false },
          MediumAction: { EventAction: 'MFA_REQUIRED', Notify: true },
          HighAction: { EventAction: 'BLOCK', Notify: true },
        },
      }),
    });
  });

  test('fails without the Plus plan', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users', { featurePlan: cognito.FeaturePlan.ESSENTIALS });
    expectInvalid(() => users.configureThreatResponses(), { property: 'featurePlan', received: 'ESSENTIALS', fix: 'FeaturePlan.PLUS' });
  });

  test('fails when called twice', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.configureThreatResponses();
    expectInvalid(() => users.configureThreatResponses(), { property: 'configureThreatResponses', received: 'second', fix: 'once' });
  });

  test('fails for a notification source that is not an SES identity', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.configureThreatResponses({ notification: { sourceArn: 'no-reply@example.com' } }),
      { property: 'notification.sourceArn', received: 'no-reply@example.com', fix: 'identity/' });
  });

  test('fails for a sender that is not an email address', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.configureThreatResponses({ notification: { sourceArn: SES, from: 'example.com' } }),
      { property: 'notification.from', received: 'example.com', fix: 'no-reply@example.com' });
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', 'corp', '2001:db8::/129', '1::2::3/64'])('fails for the IP range %p', (range) => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.configureThreatResponses({ blockedIpRanges: [range] }), { property: 'blockedIpRanges', received: range, fix: '203.0.113.0/24' });
  });

  test('fails for a range both blocked and skipped', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.configureThreatResponses({ blockedIpRanges: ['10.0.0.0/8'], skippedIpRanges: ['10.0.0.0/8'] }),
      { property: 'skippedIpRanges', received: '10.0.0.0/8', fix: 'not both' });
  });
});
