import { describeValue, invalid } from '../../private/errors';
import { ClaimMatch } from '../../user-directory/claims';
import { IdentitySource, IdentitySourceType } from '../identity-source';
import { RoleMappingMatchType, RoleMappingRule } from '../role-mapping';

/*
 * The trust boundary of the pool's claims: a claim that decides access (a principal tag, a
 * role-mapping rule's claim) is chosen by nobody. For a user directory source, the directory says
 * who can choose a claim (`claimWriters`: app clients, sign-up, identity providers' attribute
 * mappings). Every other source is a provider whose accounts the stack does not control: its
 * rules compare claims for equality only, because any other value, prefix or substring can be
 * held by an account anyone opens (a verified `x@corp.example.com.attacker.test`).
 */

/** Who can choose a claim of a directory source: from the constructs, or at synth from the rendered resources. */
export function writersOf(source: IdentitySource, claim: string, atSynth: boolean): string[] {
  return atSynth ? source._directory!._claimWritersAtSynth(claim) : source._directory!.claimWriters(claim);
}

/** How the rule compares its claim, as the directory's claim check reads it. */
function matchOf(rule: RoleMappingRule): ClaimMatch {
  const matchType = rule.matchType ?? RoleMappingMatchType.EQUALS;
  const kind = matchType === RoleMappingMatchType.EQUALS ? 'equals' : (matchType === RoleMappingMatchType.STARTS_WITH ? 'startsWith' : 'other');
  return { kind, value: rule.value };
}

/** Who can choose a claim, or hold a value, that satisfies a rule of a directory source. */
function ruleWritersOf(source: IdentitySource, rule: RoleMappingRule, atSynth: boolean): string[] {
  return source._directory!._ruleClaimWriters(rule.claim, matchOf(rule), atSynth);
}

/** The reason a claim cannot decide access, naming every way users choose it. */
export function userWritableClaim(source: IdentitySource, claim: string, writers: readonly string[]): string {
  // "write about themselves" covers choosing: at sign-up, as a user name, or at an identity provider that fills it.
  return `users of ${source._label} can write \`${claim}\` about themselves, so it cannot decide access: through ${writers.join('; ')}`;
}

/** The fix shared by every refused directory claim. */
const CONTROLLED_CLAIM_FIX = 'Use a claim only administrators write: `sub`, `cognito:groups`, or a custom attribute without `userWritable: true` '
  + 'that no app client writes (`writeAttributes`), no identity provider maps unless trusted for it (`trustedAttributes`), '
  + 'and, when self sign-up is on, that is not set at sign-up; `cognito:username` only when users do not pick their user name, '
  + 'and in a rule only as EQUALS or STARTS_WITH of a value no federated user name (`<provider>_<user id>`) can take, since each provider chooses its users\' names.';

/** The principal tags of a directory source whose claim a user can choose, with the ways they can. */
export function writableTagClaims(source: IdentitySource, tags: ReadonlyMap<string, string>, atSynth = false):
Array<{ tag: string; claim: string; writers: string[] }> {
  return [...tags]
    .map(([tag, claim]) => ({ tag, claim, writers: writersOf(source, claim, atSynth) }))
    .filter(x => x.writers.length > 0);
}

/** Refuses a directory source whose principal tag's claim a user can choose (constructs view). */
export function checkTagClaims(source: IdentitySource, tags: ReadonlyMap<string, string>): void {
  const problem = writableTagClaims(source, tags)[0];
  if (problem !== undefined) {
    invalid('principalTags', { [problem.tag]: problem.claim }, userWritableClaim(source, problem.claim, problem.writers), CONTROLLED_CLAIM_FIX);
  }
}

/** The rules of a directory source whose claim a user can choose, with the ways they can. */
export function writableRuleClaims(source: IdentitySource, rules: readonly RoleMappingRule[], atSynth = false):
Array<{ index: number; claim: string; writers: string[] }> {
  if (source.type !== IdentitySourceType.USER_DIRECTORY) {
    return [];
  }
  return rules
    .map((rule, index) => ({ index, claim: rule.claim, writers: ruleWritersOf(source, rule, atSynth) }))
    .filter(x => x.writers.length > 0);
}

/**
 * Refuses rules that a user could satisfy by choosing a value: a directory claim users can
 * choose, or anything but an exact match on a claim of a source the stack does not control.
 */
export function checkRuleClaims(source: IdentitySource, rules: readonly RoleMappingRule[]): void {
  if (source.type !== IdentitySourceType.USER_DIRECTORY) {
    rules.forEach((rule, index) => {
      const matchType = rule.matchType ?? RoleMappingMatchType.EQUALS;
      if (matchType !== RoleMappingMatchType.EQUALS) {
        invalid(`rules[${index}].matchType`, matchType, inexactMatchReason(source, rule.claim), INEXACT_MATCH_FIX);
      }
    });
    return;
  }
  const writable = writableRuleClaims(source, rules)[0];
  if (writable !== undefined) {
    invalid(`rules[${writable.index}].claim`, writable.claim, `${userWritableClaim(source, writable.claim, writable.writers)}, so a user could pick their own role`,
      `${CONTROLLED_CLAIM_FIX} Group roles: \`cognito:groups\` with RoleMappingMatchType.CONTAINS.`);
  }
}

function inexactMatchReason(source: IdentitySource, claim: string): string {
  return `${source._label} is a provider whose accounts you do not control, and anyone can open an account there whose \`${claim}\` `
    + 'contains, starts with or differs from any value you name (a verified `x@corp.example.com.attacker.test` contains `@corp.example.com`)';
}

const INEXACT_MATCH_FIX = 'Match exactly (RoleMappingMatchType.EQUALS) a claim that proves what you mean: a verified claim the provider '
  + 'issues for one account or one domain, such as Google\'s hosted-domain claim `hd` (`corp.example.com`). For substring rules, '
  + 'sign users in through a UserDirectory and match attributes only administrators set.';

/** The synth-time problems of a directory source's principal tags (rendered resources). */
export function tagClaimProblems(source: IdentitySource, tags: ReadonlyMap<string, string>): string[] {
  return writableTagClaims(source, tags, true).map(({ tag, claim, writers }) =>
    `\`principalTags\`: ${userWritableClaim(source, claim, writers)} (received ${describeValue({ [tag]: claim })}). ${CONTROLLED_CLAIM_FIX}`);
}

/** The synth-time problems of a directory source's rules (rendered resources). */
export function ruleClaimProblems(source: IdentitySource, rules: readonly RoleMappingRule[]): string[] {
  return writableRuleClaims(source, rules, true).map(({ index, claim, writers }) =>
    `\`rules[${index}].claim\`: ${userWritableClaim(source, claim, writers)}, so a user could pick their own role (received ${describeValue(claim)}). ${CONTROLLED_CLAIM_FIX}`);
}
