import { Match, Template } from 'aws-cdk-lib/assertions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { expectInvalid, newStack } from './helpers';
import { UserDirectory } from '../../src';

// What AWS documents: a user pool takes one AWS WAF web ACL, of REGIONAL scope, in its own region
// (CloudFront-scope ACLs are global and cannot be associated); the association names the pool ARN.
const ACL_ARN = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/auth/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

describe('web ACL', () => {
  test('is off by default: no web ACL and no association', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  test('associates a given REGIONAL web ACL with the user pool', () => {
    // GIVEN
    const stack = newStack({ env: { account: '123456789012', region: 'eu-west-1' } });
    const users = new UserDirectory(stack, 'Users');

    // WHEN
    users.associateWebAcl(ACL_ARN);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'Arn'] },
      WebACLArn: ACL_ARN,
    });
  });

  test('associates a web ACL of the app by its token ARN', () => {
    const stack = newStack();
    const acl = new wafv2.CfnWebACL(stack, 'Acl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
    });
    new UserDirectory(stack, 'Users').associateWebAcl(acl.attrArn);
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] } });
  });

  test('the default web ACL rate-limits sign-in per IP and runs the AWS baseline managed rule groups', () => {
    // GIVEN
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');

    // WHEN
    const acl = users.addWebAcl();

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Name: 'SignInRateLimit',
          Priority: 0,
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 100,
              AggregateKeyType: 'IP',
              EvaluationWindowSec: 300,
              ScopeDownStatement: {
                OrStatement: {
                  Statements: [
                    { ByteMatchStatement: Match.objectLike({ FieldToMatch: { SingleHeader: { Name: 'x-amz-target' } }, SearchString: 'initiateauth' }) },
                    { ByteMatchStatement: Match.objectLike({ FieldToMatch: { SingleHeader: { Name: 'x-amz-target' } }, SearchString: 'respondtoauthchallenge' }) },
                    { ByteMatchStatement: Match.objectLike({ FieldToMatch: { UriPath: {} }, PositionalConstraint: 'STARTS_WITH', SearchString: '/login' }) },
                  ],
                },
              },
            }),
          },
        }),
        Match.objectLike({
          Name: 'AWSManagedRulesCommonRuleSet',
          Priority: 1,
          OverrideAction: { None: {} },
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        }),
        Match.objectLike({
          Name: 'AWSManagedRulesAmazonIpReputationList',
          Priority: 2,
          OverrideAction: { None: {} },
          Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' } },
        }),
      ],
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Users'), 'Arn'] },
      WebACLArn: { 'Fn::GetAtt': [stack.getLogicalId(acl), 'Arn'] },
    });
  });

  test('the sign-in rate limit and the name can be set', () => {
    const stack = newStack();
    new UserDirectory(stack, 'Users').addWebAcl({ signInRateLimit: 20, name: 'notes-auth' });
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: 'notes-auth',
      Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 20 }) } })]),
    });
  });

  test('fails for a CloudFront-scope (global) web ACL', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.associateWebAcl('arn:aws:wafv2:us-east-1:123456789012:global/webacl/cf/a1b2c3d4'),
      { property: 'webAclArn', received: 'global/webacl', fix: 'REGIONAL' });
    users.associateWebAcl(ACL_ARN.replace('eu-west-1', 'us-east-1'));
  });

  test('fails for a web ACL of another region', () => {
    const stack = newStack({ env: { region: 'us-east-1' } });
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.associateWebAcl(ACL_ARN), { property: 'webAclArn', received: 'eu-west-1', fix: 'pool\'s region' });
  });

  test('fails for something that is not a web ACL ARN', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.associateWebAcl('arn:aws:waf-regional:eu-west-1:123456789012:webacl/abc'),
      { property: 'webAclArn', received: 'waf-regional', fix: 'regional/webacl' });
  });

  test('fails for a second web ACL', () => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    users.addWebAcl();
    expectInvalid(() => users.associateWebAcl(ACL_ARN), { property: 'webAclArn', received: 'webacl', fix: 'once' });
  });

  test.each([0, 9, 10.5, 2_000_000_001])('fails for a sign-in rate limit of %p', (limit) => {
    const stack = newStack();
    const users = new UserDirectory(stack, 'Users');
    expectInvalid(() => users.addWebAcl({ signInRateLimit: limit }), { property: 'signInRateLimit', received: String(limit), fix: '100' });
    users.addWebAcl({ signInRateLimit: 10 });
  });
});
