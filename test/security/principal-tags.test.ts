import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { evaluatePrepared, policiesOf, prepareIdentity, Verdict } from './harness';
import { Access, Audience, ScopedBucketAccess } from '../../src/access';
import { FederatedIdentityPool, IdentitySource } from '../../src/identity-pool';
import { UserDirectory } from '../../src/user-directory';

/*
 * Principal tags belong to the sources they are stated for (DESIGN.md), evaluated end to end.
 *
 * The model of Cognito (AWS docs, "Attributes for access control"): a session carries tag T when
 * the identity's provider has a principal tag map (AWS::Cognito::IdentityPoolPrincipalTag for its
 * IdentityProviderName) that maps T, and the identity's token has the mapped claim. So the session
 * tags are computed here from the synthesized tag maps and each caller's token claims, and the
 * verdicts come from iam-simulate on the synthesized role policies: a partner OIDC identity whose
 * token carries `custom:tenant` gets no `tenant` tag (that map is the directory's), and a
 * `{tag:NAME}` rule gives nothing to a session without NAME. Every deny is paired with an allow.
 */

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const POOL_ID = `${REGION}:aaaaaaaa-1111-2222-3333-444444444444`;
const BUCKET = 'tags-bucket';
const USER_POOL_PROVIDER = `cognito-idp.${REGION}.amazonaws.com/${REGION}_abcdefgh`;

interface Caller {
  readonly name: string;
  /** The provider the identity signed in with, as the tag maps name it. */
  readonly provider: 'directory' | 'ci' | 'partner';
  /** The claims of its token. */
  readonly claims: Record<string, string>;
}

const ALICE: Caller = { name: 'alice (directory)', provider: 'directory', claims: { 'sub': 'a', 'custom:tenant': 'tenant-a' } };
const BUILD: Caller = { name: 'build (CI OIDC)', provider: 'ci', claims: { sub: 'repo:app', repository: 'app' } };
const MALLORY: Caller = { name: 'mallory (partner OIDC)', provider: 'partner', claims: { 'sub': 'm', 'custom:tenant': 'tenant-a', 'repository': 'app' } };

function build() {
  const app = new App();
  const stack = new Stack(app, 'Tags', { env: { account: ACCOUNT, region: REGION } });
  const users = new UserDirectory(stack, 'Users');
  users.addCustomAttribute('tenant', { mutable: false });
  const web = users.addWebClient('Web');
  const ci = new iam.OpenIdConnectProvider(stack, 'Ci', { url: 'https://ci.example.com', clientIds: ['sts.amazonaws.com'] });
  const partner = new iam.OpenIdConnectProvider(stack, 'Partner', { url: 'https://partner.example.com', clientIds: ['app'] });
  const pool = new FederatedIdentityPool(stack, 'Identities', {
    sources: [
      IdentitySource.userDirectory(users, web),
      IdentitySource.oidc(ci, { principalTags: { repository: 'repository' } }),
      IdentitySource.oidc(partner),
    ],
    principalTags: { tenant: 'custom:tenant' },
  });
  const files = new ScopedBucketAccess(stack, 'Files', { identityPool: pool, bucket: s3.Bucket.fromBucketName(stack, 'Bucket', BUCKET) });
  files.allow('tenants/{tag:tenant}/*', Audience.authenticated(), Access.READ, Access.WRITE);
  files.allow('repos/{tag:repository}/*', Audience.authenticated(), Access.READ, Access.WRITE);

  const template = Template.fromStack(stack).toJSON();
  const ciIssuer = stack.resolve(ci.openIdConnectProviderIssuer);
  const partnerIssuer = stack.resolve(partner.openIdConnectProviderIssuer);
  const userPoolProvider = stack.resolve(users.userPoolProviderName);
  const providerOf: Record<Caller['provider'], unknown> = { directory: userPoolProvider, ci: ciIssuer, partner: partnerIssuer };
  const tagMaps = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::Cognito::IdentityPoolPrincipalTag').map(r => r.Properties);

  /** The session tags Cognito gives a caller: its provider's tag map applied to its token's claims. */
  const sessionTags = (caller: Caller): Record<string, string> => {
    const map = tagMaps.find(m => JSON.stringify(m.IdentityProviderName) === JSON.stringify(providerOf[caller.provider]));
    const tags: Record<string, string> = {};
    for (const [tag, claim] of Object.entries<string>(map?.PrincipalTags ?? {})) {
      if (caller.claims[claim] !== undefined) {
        tags[tag] = caller.claims[claim];
      }
    }
    return tags;
  };

  const values = {
    'AWS::Partition': 'aws',
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    'AWS::URLSuffix': 'amazonaws.com',
    [stack.getLogicalId(pool.identityPool)]: POOL_ID,
    [`${stack.getLogicalId(users.userPool.node.defaultChild as any)}.ProviderName`]: USER_POOL_PROVIDER,
  };
  const policies = prepareIdentity(policiesOf(template, stack.getLogicalId(pool.authenticatedRole.node.defaultChild as iam.CfnRole), values));
  const verdict = (caller: Caller, key: string): Verdict => {
    const tags = sessionTags(caller);
    return evaluatePrepared(policies, {
      principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/authenticated/CognitoIdentityCredentials`,
      action: 's3:GetObject',
      resource: `arn:aws:s3:::${BUCKET}/${key}`,
      accountId: ACCOUNT,
      context: {
        'cognito-identity.amazonaws.com:sub': `${REGION}:00000000-aaaa-bbbb-cccc-00000000000${caller.name.length % 10}`,
        ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
      },
    });
  };
  return { sessionTags, verdict };
}

describe('principal tags belong to the sources they are stated for', () => {
  const { sessionTags, verdict } = build();

  test('session tags, from the synthesized tag maps: the partner\'s custom:tenant claim fills no tag', () => {
    expect(sessionTags(ALICE)).toEqual({ tenant: 'tenant-a' });
    expect(sessionTags(BUILD)).toEqual({ repository: 'app' });
    expect(sessionTags(MALLORY)).toEqual({});
  });

  test.each(([
    [ALICE, 'tenants/tenant-a/x', 'Allowed'],
    [ALICE, 'tenants/tenant-b/x', 'Denied'],
    [ALICE, 'repos/app/x', 'Denied'], // no repository tag: nothing under repos/
    [BUILD, 'repos/app/x', 'Allowed'],
    [BUILD, 'repos/other/x', 'Denied'],
    [BUILD, 'tenants/tenant-a/x', 'Denied'], // no tenant tag
    [MALLORY, 'tenants/tenant-a/x', 'Denied'], // its custom:tenant claim is not the directory's
    [MALLORY, 'repos/app/x', 'Denied'], // nor does the CI provider's tag map read its claims
  ] as Array<[Caller, string, Verdict]>).map(([caller, key, expected]) => [caller.name, key, expected, caller] as const))('%s GET %s: %s', (_name, key, expected, caller) => {
    expect(verdict(caller, key)).toBe(expected);
  });
});
