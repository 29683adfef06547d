import { Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { invalid } from '../../private/errors';
import { USER_DIRECTORY_DEFAULTS } from '../defaults';
import { RiskAction, ThreatNotificationOptions, ThreatResponseOptions } from '../threat-responses';

/** The risk configuration of a pool: one, for every app client (`ClientId: ALL`). */
export function addThreatResponses(
  scope: Construct,
  pool: cognito.IUserPool,
  featurePlan: cognito.FeaturePlan,
  options: ThreatResponseOptions,
): cognito.CfnUserPoolRiskConfigurationAttachment {
  if (featurePlan !== cognito.FeaturePlan.PLUS) {
    invalid('featurePlan', featurePlan, 'threat protection (adaptive authentication, compromised credentials) needs the Plus feature plan',
      'Keep `featurePlan: FeaturePlan.PLUS` (the default) to configure threat responses.');
  }
  if (scope.node.tryFindChild('RiskConfiguration')) {
    invalid('configureThreatResponses', 'a second call', 'the user pool already has its threat responses', 'Call `configureThreatResponses` once with every option.');
  }
  const d = USER_DIRECTORY_DEFAULTS;
  const notification = options.notification;
  if (notification) {
    validateNotification(notification);
  }
  const blocked = options.blockedIpRanges ?? [];
  const skipped = options.skippedIpRanges ?? [];
  blocked.forEach((r) => validateCidr('blockedIpRanges', r));
  skipped.forEach((r) => validateCidr('skippedIpRanges', r));
  const both = blocked.filter((r) => !Token.isUnresolved(r) && skipped.includes(r));
  if (both.length > 0) {
    invalid('skippedIpRanges', both, 'a range cannot be both blocked and skipped', 'List each range in `blockedIpRanges` or in `skippedIpRanges`, not both.');
  }
  const action = (eventAction: RiskAction) => ({ eventAction, notify: notification !== undefined && eventAction !== RiskAction.ALLOW });
  return new cognito.CfnUserPoolRiskConfigurationAttachment(scope, 'RiskConfiguration', {
    userPoolId: pool.userPoolId,
    clientId: 'ALL',
    accountTakeoverRiskConfiguration: {
      actions: {
        lowAction: action(options.lowRisk ?? d.lowRiskAction),
        mediumAction: action(options.mediumRisk ?? d.mediumRiskAction),
        highAction: action(options.highRisk ?? d.highRiskAction),
      },
      notifyConfiguration: notification && {
        sourceArn: notification.sourceArn,
        from: notification.from,
        replyTo: notification.replyTo,
      },
    },
    compromisedCredentialsRiskConfiguration: {
      actions: { eventAction: options.compromisedCredentials ?? d.compromisedCredentialsAction },
      eventFilter: ['SIGN_IN', 'PASSWORD_CHANGE', 'SIGN_UP'],
    },
    riskExceptionConfiguration: blocked.length + skipped.length > 0 ? {
      blockedIpRangeList: blocked.length > 0 ? blocked : undefined,
      skippedIpRangeList: skipped.length > 0 ? skipped : undefined,
    } : undefined,
  });
}

function validateNotification(n: ThreatNotificationOptions): void {
  if (!Token.isUnresolved(n.sourceArn) && !/^arn:[^:]+:ses:[a-z0-9-]+:\d{12}:identity\/.+$/.test(n.sourceArn)) {
    invalid('notification.sourceArn', n.sourceArn, 'Cognito sends risk notifications through a verified Amazon SES identity',
      'Use the ARN of the identity, `arn:aws:ses:<region>:<account>:identity/<email or domain>` (verify it in SES first).');
  }
  for (const [prop, address] of [['notification.from', n.from], ['notification.replyTo', n.replyTo]] as const) {
    if (address !== undefined && !Token.isUnresolved(address) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address.replace(/^.*<(.+)>\s*$/, '$1'))) {
      invalid(prop, address, 'this is not an email address', 'Use an address such as `no-reply@example.com`, in the SES identity\'s domain.');
    }
  }
}

/** An IPv4 or IPv6 range in CIDR notation, as Cognito's risk exceptions take them. */
function validateCidr(prop: string, range: string): void {
  if (Token.isUnresolved(range)) {
    return;
  }
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(range);
  if (v4 && v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32) {
    return;
  }
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(range);
  if (v6 && v6[1].includes(':') && Number(v6[2]) <= 128 && (v6[1].match(/::/g) ?? []).length <= 1) {
    return;
  }
  invalid(prop, range, 'this is not an IP address range in CIDR notation', 'Use ranges such as `203.0.113.0/24` or `2001:db8::/32`.');
}
