import { Token } from 'aws-cdk-lib';
import { COGNITO_QUOTAS, quotaText } from '../../private/cognito-quotas';
import { invalid } from '../../private/errors';
import { MAX_PRINCIPAL_TAGS } from '../defaults';

const TAG_NAME = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

export function validateTagName(property: string, name: string): void {
  if (typeof name !== 'string' || Token.isUnresolved(name)) {
    invalid(property, name, 'tag names must be known at synth: access rules refer to them by name', 'Use a literal name such as `tenant`.');
  }
  if (!TAG_NAME.test(name)) {
    invalid(property, name, 'a tag name is 1-128 letters, digits, spaces and `_.:/=+-@`', 'Use a name such as `tenant`.');
  }
  if (/^aws:/i.test(name)) {
    invalid(property, name, 'the `aws:` prefix is reserved for AWS', 'Drop the prefix.');
  }
}

/** Checks a map of principal tag name to token claim (the pool's, or one source's). */
export function validatePrincipalTags(tags: { [tag: string]: string } | undefined): ReadonlyMap<string, string> {
  if (tags === undefined) {
    return new Map();
  }
  if (typeof tags !== 'object' || tags === null || Token.isUnresolved(tags)) {
    invalid('principalTags', tags, 'must be a map of tag name to token claim', 'Pass e.g. `{ tenant: \'custom:tenant\' }`.');
  }
  const entries = Object.entries(tags);
  if (entries.length === 0) {
    invalid('principalTags', tags, 'must not be empty', 'Leave `principalTags` out when identities need no tags.');
  }
  if (entries.length > MAX_PRINCIPAL_TAGS) {
    invalid('principalTags', `${entries.length} tags`, `an identity provider maps at most ${MAX_PRINCIPAL_TAGS} tags (${quotaText(COGNITO_QUOTAS.principalTagsPerProvider)})`, 'Map fewer claims.');
  }
  for (const [tag, claim] of entries) {
    validateTagName('principalTags', tag);
    if (typeof claim !== 'string' || Token.isUnresolved(claim) || claim.trim() === '' || claim.length > 256) {
      invalid('principalTags', { [tag]: claim }, 'each tag needs the token claim it is read from, 1-256 characters known at synth',
        'Pass a claim name such as `custom:tenant` or `sub`.');
    }
  }
  return new Map(entries);
}
