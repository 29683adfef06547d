import { Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { RESERVED_DOMAIN_PREFIX_WORDS } from '../../private/cognito-quotas';
import { invalid } from '../../private/errors';
import { UserDirectoryProps } from '../user-directory-props';

const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Checks `domainPrefix` and `customDomain` (at most one of them, a valid unreserved prefix). */
export function validateDomain(props: UserDirectoryProps): void {
  if (props.domainPrefix !== undefined && props.customDomain !== undefined) {
    invalid('domainPrefix', props.domainPrefix, '`domainPrefix` and `customDomain` cannot both be set', 'Choose one domain for the managed login pages.');
  }
  const prefix = props.domainPrefix;
  if (prefix === undefined || Token.isUnresolved(prefix)) {
    return;
  }
  if (!DOMAIN_PREFIX.test(prefix)) {
    invalid('domainPrefix', prefix, 'a domain prefix is 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen', 'Use a prefix such as `notes-app-auth`.');
  }
  if (RESERVED_DOMAIN_PREFIX_WORDS.some((word) => prefix.includes(word))) {
    invalid('domainPrefix', prefix, 'Cognito reserves prefixes containing `aws`, `amazon` or `cognito`', 'Pick a prefix without those words.');
  }
}

/**
 * Adds the managed login domain (version 2) the props ask for, as the pool's child `Domain`.
 *
 * @returns undefined when neither `domainPrefix` nor `customDomain` is set
 */
export function addManagedLoginDomain(pool: cognito.UserPool, props: UserDirectoryProps): cognito.UserPoolDomain | undefined {
  if (props.domainPrefix !== undefined) {
    return pool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
  } else if (props.customDomain !== undefined) {
    return pool.addDomain('Domain', {
      customDomain: props.customDomain,
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
  }
  return undefined;
}
