import { Names, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { invalid } from '../../private/errors';
import { USER_DIRECTORY_DEFAULTS } from '../defaults';
import { DirectoryWebAclOptions } from '../web-acl';

/** AWS WAF's smallest rate-based limit and its largest. */
const RATE_LIMIT_MIN = 10;
const RATE_LIMIT_MAX = 2_000_000_000;

/**
 * The user pool's AWS WAF protection: one web ACL association (a resource takes one web ACL),
 * and the default web ACL when asked for.
 */
export class DirectoryWebAcl {
  private association?: wafv2.CfnWebACLAssociation;

  constructor(private readonly scope: Construct, private readonly pool: cognito.IUserPool) {}

  /** Associates a REGIONAL web ACL of the pool's region with the pool. */
  public associate(webAclArn: string): wafv2.CfnWebACLAssociation {
    if (this.association) {
      invalid('webAclArn', webAclArn, 'the user pool already has a web ACL (AWS WAF associates one web ACL with a resource)',
        'Call `associateWebAcl` or `addWebAcl` once; put every rule in that web ACL.');
    }
    validateWebAclArn(webAclArn, Stack.of(this.scope).region);
    this.association = new (wafv2Lib()).CfnWebACLAssociation(this.scope, 'WebAclAssociation', {
      resourceArn: this.pool.userPoolArn,
      webAclArn,
    });
    return this.association;
  }

  /** Creates the default web ACL (sign-in rate limit, AWS managed rules) and associates it. */
  public addDefault(options: DirectoryWebAclOptions): wafv2.CfnWebACL {
    const d = USER_DIRECTORY_DEFAULTS;
    const limit = options.signInRateLimit ?? d.signInRateLimit;
    if (!Token.isUnresolved(limit) && (!Number.isInteger(limit) || limit < RATE_LIMIT_MIN || limit > RATE_LIMIT_MAX)) {
      invalid('signInRateLimit', limit, `AWS WAF takes a whole number of requests from ${RATE_LIMIT_MIN} to ${RATE_LIMIT_MAX}`, `Use a limit such as ${d.signInRateLimit} (the default).`);
    }
    if (this.association) {
      invalid('addWebAcl', 'a second web ACL', 'the user pool already has a web ACL (AWS WAF associates one web ACL with a resource)',
        'Call `associateWebAcl` or `addWebAcl` once.');
    }
    const metric = (suffix: string) => `${Names.uniqueId(this.scope).slice(-200)}-${suffix}`;
    const visibility = (suffix: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metric(suffix),
    });
    const managed = (priority: number, name: string): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      visibilityConfig: visibility(name),
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    });
    const target = (value: string): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { singleHeader: { Name: 'x-amz-target' } },
        positionalConstraint: 'CONTAINS',
        searchString: value,
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    });
    const acl = new (wafv2Lib()).CfnWebACL(this.scope, 'WebAcl', {
      name: options.name,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      rules: [
        {
          name: 'SignInRateLimit',
          priority: 0,
          action: { block: {} },
          visibilityConfig: visibility('SignInRateLimit'),
          statement: {
            rateBasedStatement: {
              limit,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
              scopeDownStatement: {
                orStatement: {
                  statements: [
                    target('initiateauth'),
                    target('respondtoauthchallenge'),
                    {
                      byteMatchStatement: {
                        fieldToMatch: { uriPath: {} },
                        positionalConstraint: 'STARTS_WITH',
                        searchString: '/login',
                        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
                      },
                    },
                  ],
                },
              },
            },
          },
        },
        ...d.webAclManagedRuleGroups.map((name, i) => managed(i + 1, name)),
      ],
    });
    this.associate(acl.attrArn);
    return acl;
  }
}

/** A web ACL for a user pool is REGIONAL and in the pool's region. */
function validateWebAclArn(arn: string, stackRegion: string): void {
  if (Token.isUnresolved(arn)) {
    return;
  }
  const match = /^arn:[^:]+:wafv2:([^:]*):\d{12}:(regional|global)\/webacl\/[^/]+\/[^/]+$/.exec(arn);
  if (!match) {
    invalid('webAclArn', arn, 'this is not the ARN of an AWS WAF (wafv2) web ACL',
      'Use the `attrArn` of a `wafv2.CfnWebACL`, `arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>`.');
  }
  if (match[2] === 'global') {
    invalid('webAclArn', arn, 'a CLOUDFRONT-scope (global) web ACL cannot protect a user pool',
      'Use a web ACL with `Scope: REGIONAL` in the user pool\'s region.');
  }
  if (!Token.isUnresolved(stackRegion) && match[1] !== stackRegion) {
    invalid('webAclArn', arn, `the web ACL is in ${match[1]}, the user pool in ${stackRegion}: AWS WAF protects resources of its own region`,
      'Create the REGIONAL web ACL in the user pool\'s region.');
  }
}

/** aws-cdk-lib/aws-wafv2 loads only when a directory uses it (cold start: an app pays for what it uses). */
function wafv2Lib(): typeof wafv2 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('aws-cdk-lib/aws-wafv2');
}
