import { Duration, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IConstruct } from 'constructs';
import { WebClientOptions } from './web-client';
import { checkQuota, COGNITO_QUOTAS, quotaProblem, TOKEN_VALIDITY_MINUTES, warnQuota } from '../private/cognito-quotas';
import { invalid } from '../private/errors';

/**
 * Checks the user pool quotas that depend on everything added to a directory (deferred: groups,
 * app clients, identity providers and resource servers are added after construction). Hard
 * quotas are errors; adjustable ones warn.
 * @internal
 */
export function userPoolQuotaProblems(directory: IConstruct): string[] {
  const all = directory.node.findAll();
  const count = (type: new (...args: any[]) => IConstruct) => all.filter(c => c instanceof type).length;
  const q = COGNITO_QUOTAS;
  warnQuota(directory, 'appClients', q.appClientsPerUserPool, count(cognito.CfnUserPoolClient), 'The user pool\'s app clients');
  warnQuota(directory, 'identityProviders', q.identityProvidersPerUserPool, count(cognito.CfnUserPoolIdentityProvider), 'The user pool\'s identity providers');
  warnQuota(directory, 'resourceServers', q.resourceServersPerUserPool, count(cognito.CfnUserPoolResourceServer), 'The user pool\'s resource servers');
  const groups = quotaProblem(q.groupsPerUserPool, count(cognito.CfnUserPoolGroup), 'groupName', 'the number of groups',
    'Use fewer groups, e.g. one per role rather than one per customer; keep per-customer data in a custom attribute or a table.');
  return groups === undefined ? [] : [groups];
}

/**
 * Checks a web client's options against the app client quotas: redirect URLs, scopes and token lifetimes.
 * @internal
 */
export function validateWebClientLimits(options: WebClientOptions): void {
  const q = COGNITO_QUOTAS;
  checkQuota(q.callbackUrlsPerAppClient, options.callbackUrls?.length ?? 0, 'callbackUrls', 'the number of callback URLs', 'List fewer URLs, or split the apps over several web clients.');
  checkQuota(q.logoutUrlsPerAppClient, options.logoutUrls?.length ?? 0, 'logoutUrls', 'the number of logout URLs', 'List fewer URLs, or split the apps over several web clients.');
  checkQuota(q.scopesPerAppClient, options.scopes?.length ?? 0, 'scopes', 'the number of OAuth scopes', 'Request fewer scopes, e.g. one per resource server and access level.');
  for (const property of ['accessTokenValidity', 'idTokenValidity', 'refreshTokenValidity'] as const) {
    const validity: Duration | undefined = options[property];
    if (validity === undefined || Token.isUnresolved(validity.toMinutes({ integral: false }))) {
      continue;
    }
    const minutes = validity.toMinutes({ integral: false });
    const range = TOKEN_VALIDITY_MINUTES[property];
    if (minutes < range.min || minutes > range.max) {
      invalid(property, validity.toHumanString(), `Cognito accepts ${range.text} (Cognito quota "User pools token validity quotas")`,
        `Pick a lifetime from ${range.text}.`);
    }
  }
}

/**
 * Checks the number of identifiers of an OIDC or SAML provider.
 * @internal
 */
export function validateIdentifiers(identifiers: string[] | undefined): void {
  checkQuota(COGNITO_QUOTAS.identifiersPerIdentityProvider, identifiers?.length ?? 0, 'identifiers', 'the number of identifiers',
    'Route fewer email domains to this provider, or split it into several providers.');
}
