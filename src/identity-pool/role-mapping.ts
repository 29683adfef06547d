import { Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import { COGNITO_QUOTAS } from '../private/cognito-quotas';
import { invalid } from '../private/errors';

/**
 * How a rule compares a token claim with its value.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html#using-rules-to-assign-roles-to-users
 */
export enum RoleMappingMatchType {
  /** The claim equals the value. */
  EQUALS = 'Equals',
  /** The claim contains the value (e.g. `cognito:groups` contains `admins`). */
  CONTAINS = 'Contains',
  /** The claim starts with the value. */
  STARTS_WITH = 'StartsWith',
  /** The claim does not equal the value. */
  NOT_EQUAL = 'NotEqual',
}

/**
 * What Cognito does when a role mapping gives no single role.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
 */
export enum AmbiguousRoleResolution {
  /** Fall back to the pool's authenticated role. */
  AUTHENTICATED_ROLE = 'AuthenticatedRole',
  /** Refuse credentials. */
  DENY = 'Deny',
}

/**
 * A rule that gives a role to identities whose token claim matches a value.
 *
 * Rules are evaluated in order; the first match wins.
 *
 * @example
 * /// fixture=api
 * const partners = IdentitySource.oidc(partner);
 * const pool = new FederatedIdentityPool(this, 'Partners', { sources: [partners] });
 * const rule: RoleMappingRule = {
 *   claim: 'department', value: 'finance', matchType: RoleMappingMatchType.EQUALS, role: pool.createRole('Finance'),
 * };
 * pool.addRoleMapping(partners, { rules: [rule] });
 */
export interface RoleMappingRule {
  /** The token claim to compare, e.g. `custom:department` or `cognito:groups` (1-64 characters). */
  readonly claim: string;

  /**
   * How the claim is compared with `value`.
   *
   * @default RoleMappingMatchType.EQUALS
   */
  readonly matchType?: RoleMappingMatchType;

  /** The value to compare with (1-128 characters). */
  readonly value: string;

  /**
   * The role to give. Create it with `FederatedIdentityPool.createRole()` (or use the pool's
   * authenticated role or a group role), so that its trust policy admits exactly this pool's
   * authenticated identities.
   */
  readonly role: iam.IRole;
}

/**
 * A rule-based role mapping for one identity source.
 *
 * @example
 * /// fixture=api
 * const partners = IdentitySource.oidc(partner);
 * const pool = new FederatedIdentityPool(this, 'Partners', { sources: [partners] });
 * const options: RoleMappingOptions = {
 *   rules: [{ claim: 'department', value: 'finance', role: pool.createRole('Finance') }],
 *   ambiguousRoleResolution: AmbiguousRoleResolution.DENY,
 * };
 * pool.addRoleMapping(partners, options);
 */
export interface RoleMappingOptions {
  /** The rules, in order (at most 25 per source, Cognito's limit). */
  readonly rules: RoleMappingRule[];

  /**
   * What happens when no rule matches.
   *
   * @default AmbiguousRoleResolution.DENY - an identity that no rule admits gets no credentials
   */
  readonly ambiguousRoleResolution?: AmbiguousRoleResolution;
}

/** Cognito's limit of rules in one role mapping. @internal */
export const MAX_RULES_PER_MAPPING = COGNITO_QUOTAS.rulesPerRoleMapping.value;

/** Checks one rule's claim and value (tokens pass). @internal */
export function validateRule(rule: RoleMappingRule, index: number): void {
  const at = `rules[${index}]`;
  if (!Token.isUnresolved(rule.claim) && (typeof rule.claim !== 'string' || rule.claim.length < 1 || rule.claim.length > 64 || /\s/.test(rule.claim))) {
    invalid(`${at}.claim`, rule.claim, 'a claim is 1-64 characters without whitespace', 'Use a token claim name such as `custom:department` or `cognito:groups`.');
  }
  if (!Token.isUnresolved(rule.value) && (typeof rule.value !== 'string' || rule.value.length < 1 || rule.value.length > 128)) {
    invalid(`${at}.value`, rule.value, 'a rule value is 1-128 characters', 'Give the claim value that selects the role.');
  }
  if (rule.matchType !== undefined && !Object.values(RoleMappingMatchType).includes(rule.matchType)) {
    invalid(`${at}.matchType`, rule.matchType, 'is not a RoleMappingMatchType', 'Use RoleMappingMatchType.EQUALS, CONTAINS, STARTS_WITH or NOT_EQUAL.');
  }
}

/** The CloudFormation shape of a rule mapping. @internal */
export function renderRuleMapping(
  identityProvider: string,
  rules: RoleMappingRule[],
  resolution: AmbiguousRoleResolution,
): cognito.CfnIdentityPoolRoleAttachment.RoleMappingProperty {
  return {
    type: 'Rules',
    identityProvider,
    ambiguousRoleResolution: resolution,
    rulesConfiguration: {
      rules: rules.map((rule) => ({
        claim: rule.claim,
        matchType: rule.matchType ?? RoleMappingMatchType.EQUALS,
        value: rule.value,
        roleArn: rule.role.roleArn,
      })),
    },
  };
}

/** The CloudFormation shape of a token mapping (`cognito:preferred_role`). @internal */
export function renderTokenMapping(
  identityProvider: string,
  resolution: AmbiguousRoleResolution,
): cognito.CfnIdentityPoolRoleAttachment.RoleMappingProperty {
  return {
    type: 'Token',
    identityProvider,
    ambiguousRoleResolution: resolution,
  };
}
