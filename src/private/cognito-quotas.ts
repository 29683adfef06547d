import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { describeValue, ValidationError } from './errors';

/**
 * A documented Amazon Cognito quota that the constructs can see at synth.
 * @internal
 */
export interface CognitoQuota {
  /** The quota's name as AWS documents it. */
  readonly name: string;
  /** The quota. */
  readonly value: number;
  /** Whether AWS can raise it for an account (then exceeding it is a warning, not an error). */
  readonly adjustable: boolean;
  /** Where it is documented. */
  readonly source: string;
}

const QUOTAS_PAGE = 'https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html#resource-quotas';
const SET_IDENTITY_POOL_ROLES = 'https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html';
const SET_PRINCIPAL_TAG_MAP = 'https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetPrincipalTagAttributeMap.html';
const CREATE_USER_POOL = 'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPool.html';

/**
 * The Cognito quotas the library enforces, in one place. Numbers from "Quotas in Amazon Cognito"
 * (Amazon Cognito Developer Guide, "Quotas on resource number and size"), and from the Cognito
 * API references where the quota page is silent. Each one was checked against what the APIs
 * CloudFormation calls accept (the services' API models: CreateUserPool Schema <= 50,
 * CallbackURLs and LogoutURLs <= 100, AllowedOAuthScopes <= 50, IdpIdentifiers <= 50, resource
 * server Scopes <= 100, SetIdentityPoolRoles RoleMappings <= 10, PrincipalTags <= 50); where the
 * quota page is stricter than the API model (25 rules per role mapping, the model says 400), the
 * quota page wins. test/quotas/boundaries.test.ts synthesizes each limit at the boundary.
 * @internal
 */
export const COGNITO_QUOTAS = {
  // Identity pools
  roleMappingsPerIdentityPool: { name: 'Maximum number of identity providers for which role mappings can be specified', value: 10, adjustable: false, source: `${QUOTAS_PAGE}; ${SET_IDENTITY_POOL_ROLES} (RoleMappings: at most 10 entries)` },
  rulesPerRoleMapping: { name: 'Maximum number of role-based access control (RBAC) rules', value: 25, adjustable: false, source: `${QUOTAS_PAGE}; ${SET_IDENTITY_POOL_ROLES} (25 rules per identity provider)` },
  principalTagsPerProvider: { name: 'Principal tags per identity provider (SetPrincipalTagAttributeMap PrincipalTags)', value: 50, adjustable: false, source: SET_PRINCIPAL_TAG_MAP },
  userPoolProvidersPerIdentityPool: { name: 'Maximum Amazon Cognito user pool providers per identity pool', value: 50, adjustable: true, source: QUOTAS_PAGE },
  // User pools
  groupsPerUserPool: { name: 'Maximum number of groups per user pool', value: 10000, adjustable: false, source: QUOTAS_PAGE },
  customAttributesPerUserPool: { name: 'Maximum number of custom attributes per user pool', value: 50, adjustable: false, source: QUOTAS_PAGE },
  // The schema holds the standard attributes the pool sets (email when it is required) and every
  // custom attribute, so with email the pool has room for 49 custom attributes, not 50.
  schemaAttributesPerUserPool: { name: 'Maximum number of attributes in a user pool schema (CreateUserPool Schema: standard attributes it sets and custom attributes)', value: 50, adjustable: false, source: `${CREATE_USER_POOL} (Schema: at most 50 items)` },
  appClientsPerUserPool: { name: 'Maximum number of app clients per user pool', value: 1000, adjustable: true, source: QUOTAS_PAGE },
  identityProvidersPerUserPool: { name: 'Maximum number of identity providers per user pool', value: 300, adjustable: true, source: QUOTAS_PAGE },
  resourceServersPerUserPool: { name: 'Maximum number of resource servers per user pool', value: 25, adjustable: true, source: QUOTAS_PAGE },
  scopesPerResourceServer: { name: 'Maximum number of scopes per resource server', value: 100, adjustable: false, source: QUOTAS_PAGE },
  callbackUrlsPerAppClient: { name: 'Maximum callback URLs per app client', value: 100, adjustable: false, source: QUOTAS_PAGE },
  logoutUrlsPerAppClient: { name: 'Maximum logout URLs per app client', value: 100, adjustable: false, source: QUOTAS_PAGE },
  scopesPerAppClient: { name: 'Maximum number of scopes per app client', value: 50, adjustable: false, source: QUOTAS_PAGE },
  identifiersPerIdentityProvider: { name: 'Maximum identifiers per identity provider', value: 50, adjustable: false, source: QUOTAS_PAGE },
} as const satisfies Record<string, CognitoQuota>;

/**
 * Token lifetimes a user pool app client accepts ("User pools token validity quotas"), in minutes.
 * @internal
 */
export const TOKEN_VALIDITY_MINUTES = {
  accessTokenValidity: { min: 5, max: 24 * 60, text: '5 minutes to 1 day' },
  idTokenValidity: { min: 5, max: 24 * 60, text: '5 minutes to 1 day' },
  refreshTokenValidity: { min: 60, max: 3650 * 24 * 60, text: '60 minutes to 3,650 days' },
} as const;

/**
 * Words Cognito refuses in a domain prefix.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-assign-domain-prefix.html
 * @internal
 */
export const RESERVED_DOMAIN_PREFIX_WORDS = ['aws', 'amazon', 'cognito'] as const;

/** `Cognito quota "<name>": <value>` for messages. @internal */
export function quotaText(quota: CognitoQuota): string {
  return `Cognito quota "${quota.name}": ${quota.value.toLocaleString('en-US')}${quota.adjustable ? ' (adjustable)' : ''}`;
}

function quotaMessage(quota: CognitoQuota, count: number, what: string, fix: string): string {
  return `${what} exceeds the ${quotaText(quota)} (received ${describeValue(count)}). ${fix}`;
}

/**
 * The message of a hard quota that `count` exceeds, or undefined, for deferred validation.
 * @internal
 */
export function quotaProblem(quota: CognitoQuota, count: number, property: string, what: string, fix: string): string | undefined {
  return count <= quota.value ? undefined : `\`${property}\`: ${quotaMessage(quota, count, what, fix)}`;
}

/**
 * Throws a ValidationError when `count` exceeds a hard quota.
 * @internal
 */
export function checkQuota(quota: CognitoQuota, count: number, property: string, what: string, fix: string): void {
  if (count > quota.value) {
    throw new ValidationError(property, quotaMessage(quota, count, what, fix));
  }
}

/**
 * Warns when `count` exceeds an adjustable quota: deployment fails unless AWS raised it for the account.
 * @internal
 */
export function warnQuota(scope: IConstruct, id: string, quota: CognitoQuota, count: number, what: string): void {
  if (count > quota.value) {
    Annotations.of(scope).addWarningV2(`cdk-federated-access:quota:${id}`,
      `${what} (${count}) exceeds the ${quotaText(quota)}: deployment fails unless AWS raised it for this account (Service Quotas console).`);
  }
}
