/**
 * The checked-in suppressions of the template gates (scripts/cfn-lint-suppressions.json).
 *
 * Only aws-cdk-lib or integ-tests-alpha boilerplate may be suppressed, never an error and never
 * anything the library emits: each entry names the rule, where it applies (template source, stack
 * and resource as globs, `*` and `?`) and why.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface Suppression {
  /** The cfn-lint rule id, a warning (`W...`); errors cannot be suppressed. */
  readonly rule: string;
  /** Glob over the template's source (`example`, `defaults`, `options`, `integ/<test>`). */
  readonly source: string;
  /** Glob over the stack's artifact id. */
  readonly stack: string;
  /** Glob over the resource's logical id. */
  readonly resource: string;
  /** For W3037: the one IAM action it covers (the IAM name check honours it too). */
  readonly action?: string;
  /** Glob over the finding's message. */
  readonly message?: string;
  /** Why it is boilerplate of aws-cdk-lib or integ-tests-alpha and harmless. */
  readonly reason: string;
}

export const SUPPRESSIONS_FILE = path.join(__dirname, 'cfn-lint-suppressions.json');

/** Reads and checks the suppression file: every entry complete, warnings only, a real reason. */
export function loadSuppressions(file: string = SUPPRESSIONS_FILE): Suppression[] {
  const entries: Suppression[] = JSON.parse(fs.readFileSync(file, 'utf8'));
  entries.forEach((entry, index) => {
    for (const field of ['rule', 'source', 'stack', 'resource', 'reason'] as const) {
      if (typeof entry[field] !== 'string' || entry[field].trim() === '') {
        throw new Error(`${file}: entry ${index} needs \`${field}\``);
      }
    }
    if (!/^W\d{4}$/.test(entry.rule)) {
      throw new Error(`${file}: entry ${index} suppresses ${entry.rule}; only warnings (W....) may be suppressed`);
    }
    if (!/aws-cdk-lib|integ-tests-alpha/.test(entry.reason)) {
      throw new Error(`${file}: entry ${index}: only aws-cdk-lib or integ-tests-alpha boilerplate may be suppressed, and the reason must say which`);
    }
  });
  return entries;
}

/** Whether `value` matches a glob of `*` (any run) and `?` (one character). */
export function globMatch(glob: string, value: string): boolean {
  const pattern = glob.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${pattern}$`, 's').test(value);
}

/** Whether an entry covers a place: template source, stack and resource. */
export function coversPlace(entry: Suppression, place: { source: string; stack: string; resource: string }): boolean {
  return globMatch(entry.source, place.source) && globMatch(entry.stack, place.stack) && globMatch(entry.resource, place.resource);
}
