import { Token } from 'aws-cdk-lib';
import { invalid, ValidationError } from '../../private/errors';

/*
 * Fitting statements into IAM's limits, as pure functions on plain statements:
 * - merge statements that can be merged without changing what they allow or deny;
 * - size statements and documents the way IAM counts them (minified JSON; string values
 *   measured by an injected `lengthOf` so token ARNs count at their resolved worst case);
 * - pack statements into policy documents of a maximum size;
 * - split the statements of many roles into the part every role shares (one set of shared
 *   managed policies) and each role's remainder, and check the managed-policy count per role.
 */

/** `Allow` or `Deny`. */
export type Effect = 'Allow' | 'Deny';

/** A condition block: operator -> condition key -> values (any value may match). */
export interface Conditions {
  readonly [operator: string]: { readonly [key: string]: readonly string[] };
}

/** A plain IAM statement. Values may contain CDK tokens; they are never parsed. */
export interface Statement {
  readonly effect: Effect;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Conditions;
}

/** A statement in IAM's JSON form: single values are written as strings, like CDK does. */
export interface IamStatementJson {
  readonly Effect: Effect;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: { [operator: string]: { [key: string]: string | string[] } };
}

/** The largest managed policy IAM accepts (characters, whitespace excluded). */
export const MANAGED_POLICY_MAX_LENGTH = 6_144;

/** The largest total of all inline policies of one role (characters, whitespace excluded). */
export const INLINE_POLICIES_MAX_LENGTH = 10_240;

/** IAM's default quota of managed policies attached to one role. */
export const DEFAULT_MAX_MANAGED_POLICIES = 10;

/** The highest quota of managed policies per role that AWS grants on request. */
export const MAX_MANAGED_POLICIES_QUOTA = 20;

/** Measures a string value as it will be deployed (e.g. a token ARN at its longest). */
export type LengthOf = (value: string) => number;

/** Measures strings as they are. */
export const plainLength: LengthOf = value => value.length;

/** Policy variables that every identity pool session resolves (they never break a statement). */
const ALWAYS_RESOLVED = new Set(['cognito-identity.amazonaws.com:sub', 'cognito-identity.amazonaws.com:aud']);

// ---------------------------------------------------------------------------------------------
// Normal form, JSON and sizes
// ---------------------------------------------------------------------------------------------

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

// Statements are immutable values; these caches keep sizing and sorting them fast. Merging works
// on its own records (`Work`) that carry their keys, so it needs no cache per atom.
const normalized = new WeakSet<Statement>();
const keys = new WeakMap<Statement, string>();
const atomCache = new WeakMap<Statement, readonly Work[]>();

function cached<T>(cache: WeakMap<Statement, T>, s: Statement, compute: () => T): T {
  let value = cache.get(s);
  if (value === undefined) {
    value = compute();
    cache.set(s, value);
  }
  return value;
}

/** Sorts and de-duplicates actions, resources and condition values; drops empty condition entries. */
export function normalize(statement: Statement): Statement {
  if (normalized.has(statement)) {
    return statement;
  }
  const conditions: { [operator: string]: { [key: string]: string[] } } = {};
  for (const operator of Object.keys(statement.conditions ?? {}).sort()) {
    const entries = statement.conditions![operator];
    for (const key of Object.keys(entries).sort()) {
      const values = uniqueSorted(entries[key]);
      if (values.length > 0) {
        conditions[operator] = conditions[operator] ?? {};
        conditions[operator][key] = values;
      }
    }
  }
  const result: Statement = {
    effect: statement.effect,
    actions: uniqueSorted(statement.actions),
    resources: uniqueSorted(statement.resources),
    ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
  };
  normalized.add(result);
  return result;
}

/** A canonical string for a statement (equal statements give equal keys). */
export function statementKey(statement: Statement): string {
  return cached(keys, statement, () => JSON.stringify(toIamJson(normalize(statement))));
}

function scalarOrList(values: readonly string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values];
}

/** The statement in IAM's JSON form, with single values as strings (as CDK renders them). */
export function toIamJson(statement: Statement): IamStatementJson {
  const s = normalize(statement);
  let condition: { [operator: string]: { [key: string]: string | string[] } } | undefined;
  if (s.conditions) {
    condition = {};
    for (const [operator, entries] of Object.entries(s.conditions)) {
      condition[operator] = {};
      for (const [key, values] of Object.entries(entries)) {
        condition[operator][key] = scalarOrList(values);
      }
    }
  }
  return {
    Effect: s.effect,
    Action: scalarOrList(s.actions),
    Resource: scalarOrList(s.resources),
    ...(condition ? { Condition: condition } : {}),
  };
}

/** Characters JSON.stringify may escape (control characters, quote, backslash, surrogates). */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * The length of a JSON value as IAM counts it: minified, no whitespace outside strings, string
 * contents measured with `lengthOf` (plus quotes and JSON escapes).
 */
export function jsonLength(value: unknown, lengthOf: LengthOf = plainLength): number {
  if (typeof value === 'string') {
    const escapes = NEEDS_ESCAPE.test(value) ? JSON.stringify(value).length - 2 - value.length : 0;
    return lengthOf(value) + 2 + escapes;
  }
  if (Array.isArray(value)) {
    return 2 + value.reduce((sum: number, item) => sum + jsonLength(item, lengthOf), 0) + Math.max(0, value.length - 1);
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return 2 + entries.reduce((sum, [k, v]) => sum + jsonLength(k, plainLength) + 1 + jsonLength(v, lengthOf), 0)
      + Math.max(0, entries.length - 1);
  }
  return JSON.stringify(value).length;
}

/** The size of one statement as IAM counts it. */
export function statementSize(statement: Statement, lengthOf: LengthOf = plainLength): number {
  return jsonLength(toIamJson(statement), lengthOf);
}

/** The size of a policy document (`{"Version":"2012-10-17","Statement":[...]}`) as IAM counts it. */
export function documentSize(statements: readonly Statement[], lengthOf: LengthOf = plainLength): number {
  return jsonLength({ Version: '2012-10-17', Statement: statements.map(toIamJson) }, lengthOf);
}

// ---------------------------------------------------------------------------------------------
// Merging
// ---------------------------------------------------------------------------------------------

/**
 * Whether any of several values of a condition entry may match (so the entry can be split into
 * one statement per value, and entries can be merged by uniting values): every operator except
 * negated ones (`StringNotLike`, ...), `ForAllValues:` and `Null`.
 */
export function isDisjunctive(operator: string): boolean {
  return !operator.includes('Not') && !operator.startsWith('ForAllValues:') && operator !== 'Null';
}

/**
 * Policy variables (other than the identity id, which every session has) used in resources or
 * condition values. A statement whose variable cannot be resolved may be ignored as a whole, so
 * statements with different sets are never merged: a missing tag must not switch off others.
 */
export function riskyVariables(statement: Statement): string[] {
  const found = new Set<string>();
  const scan = (value: string) => {
    for (const match of value.matchAll(/\$\{([^}]*)\}/g)) {
      const name = match[1];
      if (!name.startsWith('Token[') && !ALWAYS_RESOLVED.has(name)) {
        found.add(name);
      }
    }
  };
  statement.resources.forEach(scan);
  for (const entries of Object.values(statement.conditions ?? {})) {
    for (const values of Object.values(entries)) {
      values.forEach(scan);
    }
  }
  return [...found].sort();
}

/**
 * A normalized statement while it is merged, with the keys merging compares: its conditions as
 * canonical text and its risky policy variables.
 */
interface Work {
  readonly effect: Effect;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions?: Conditions;
  readonly cond: string;
  readonly vars: string;
}

/** An atom: one action, one resource, one value per disjunctive condition entry, and its key. */
interface Atom extends Work {
  readonly key: string;
}

/**
 * Splits statements into atoms: one action, one resource, and one value per disjunctive condition
 * entry. The union of the atoms allows (or denies) exactly what the statements do.
 */
export function atomize(statements: readonly Statement[]): Statement[] {
  return [...atomsByKey(statements).values()].map(toStatement);
}

/** The distinct atoms of statements, by key. */
function atomsByKey(statements: readonly Statement[]): Map<string, Atom> {
  const atoms = new Map<string, Atom>();
  for (const raw of statements) {
    let list = atomCache.get(raw) as readonly Atom[] | undefined;
    if (list === undefined) {
      list = atomsOf(normalize(raw));
      atomCache.set(raw, list);
    }
    for (const atom of list) {
      atoms.set(atom.key, atom);
    }
  }
  return atoms;
}

function atomsOf(s: Statement): Atom[] {
  const choices: Array<{ operator: string; key: string; values: readonly string[] }> = [];
  for (const [operator, entries] of Object.entries(s.conditions ?? {})) {
    for (const [key, values] of Object.entries(entries)) {
      if (isDisjunctive(operator) && values.length > 1) {
        choices.push({ operator, key, values });
      }
    }
  }
  let variants: Array<Conditions | undefined> = [s.conditions];
  for (const choice of choices) {
    variants = variants.flatMap(c => choice.values.map(v => withValues(c!, choice.operator, choice.key, [v])));
  }
  const resourceVars = s.resources.map(r => variablesIn([r]));
  const forms = variants.map(conditions => ({
    conditions,
    cond: JSON.stringify(conditions ?? {}),
    vars: variablesIn(Object.values(conditions ?? {}).flatMap(entries => Object.values(entries).flat())),
  }));
  const atoms: Atom[] = [];
  for (const action of s.actions) {
    s.resources.forEach((resource, r) => {
      for (const { conditions, cond, vars } of forms) {
        atoms.push({
          effect: s.effect,
          actions: [action],
          resources: [resource],
          ...(conditions ? { conditions } : {}),
          cond,
          vars: union(resourceVars[r], vars),
          key: `${s.effect}\n${action}\n${resource}\n${cond}`,
        });
      }
    });
  }
  return atoms;
}

/** The risky policy variables in values, sorted and joined. */
function variablesIn(values: readonly string[]): string {
  let found: Set<string> | undefined;
  for (const value of values) {
    if (!value.includes('${')) {
      continue;
    }
    for (const match of value.matchAll(/\$\{([^}]*)\}/g)) {
      const name = match[1];
      if (!name.startsWith('Token[') && !ALWAYS_RESOLVED.has(name)) {
        (found ??= new Set()).add(name);
      }
    }
  }
  return found ? [...found].sort().join(',') : '';
}

function union(a: string, b: string): string {
  if (a === '' || a === b) {
    return b;
  }
  if (b === '') {
    return a;
  }
  return uniqueSorted([...a.split(','), ...b.split(',')]).join(',');
}

/** A plain (normalized) statement of a work record. */
function toStatement(w: Work): Statement {
  const s: Statement = { effect: w.effect, actions: w.actions, resources: w.resources, ...(w.conditions ? { conditions: w.conditions } : {}) };
  normalized.add(s);
  return s;
}

function withValues(conditions: Conditions, operator: string, key: string, values: readonly string[]): Conditions {
  return { ...conditions, [operator]: { ...conditions[operator], [key]: values } };
}

function withoutEntry(conditions: Conditions | undefined, operator: string, key: string): Conditions {
  const copy: { [operator: string]: { [key: string]: readonly string[] } } = {};
  for (const [op, entries] of Object.entries(conditions ?? {})) {
    for (const [k, v] of Object.entries(entries)) {
      if (op !== operator || k !== key) {
        copy[op] = { ...copy[op], [k]: v };
      }
    }
  }
  return copy;
}

type Pass = (statements: readonly Work[]) => Work[];

function groupBy(statements: readonly Work[], keyOf: (s: Work) => string | undefined, merge: (group: Work[]) => Work): Work[] {
  const groups = new Map<string, Work[]>();
  const out: Work[] = [];
  for (const s of statements) {
    const key = keyOf(s);
    if (key === undefined) {
      out.push(s);
      continue;
    }
    const group = groups.get(key);
    if (group) {
      group.push(s);
    } else {
      groups.set(key, [s]);
    }
  }
  for (const group of groups.values()) {
    out.push(group.length === 1 ? group[0] : merge(group));
  }
  return out;
}

/** Unites the resources of statements that differ only in resources. */
const mergeResources: Pass = statements => groupBy(statements,
  s => `${s.effect}\n${s.actions.join(',')}\n${s.cond}\n${s.vars}`,
  group => ({ ...group[0], resources: uniqueSorted(group.flatMap(s => s.resources)) }));

/** Unites the actions of statements that differ only in actions. */
const mergeActions: Pass = statements => groupBy(statements,
  s => `${s.effect}\n${s.resources.join('\n')}\n${s.cond}\n${s.vars}`,
  group => ({ ...group[0], actions: uniqueSorted(group.flatMap(s => s.actions)) }));

/** Unites the values of one disjunctive condition entry of statements that differ only there. */
const mergeValues: Pass = statements => {
  const entries = new Set<string>();
  for (const s of statements) {
    for (const [operator, conditionKeysOf] of Object.entries(s.conditions ?? {})) {
      if (isDisjunctive(operator)) {
        Object.keys(conditionKeysOf).forEach(key => entries.add(JSON.stringify([operator, key])));
      }
    }
  }
  let result = [...statements];
  for (const entry of [...entries].sort()) {
    const [operator, key] = JSON.parse(entry) as [string, string];
    result = groupBy(result,
      s => (s.conditions?.[operator]?.[key] === undefined ? undefined
        : `${s.effect}\n${s.actions.join(',')}\n${s.resources.join('\n')}\n${JSON.stringify(withoutEntry(s.conditions, operator, key))}\n${s.vars}`),
      group => {
        const conditions = withValues(group[0].conditions!, operator, key, uniqueSorted(group.flatMap(s => s.conditions![operator][key])));
        return { ...group[0], conditions, cond: JSON.stringify(conditions) };
      });
  }
  return result;
};

const STRATEGIES: readonly (readonly Pass[])[] = [
  [mergeValues, mergeResources, mergeActions, mergeResources, mergeValues],
  [mergeValues, mergeActions, mergeResources, mergeValues],
];

/** Sorts statements: Allow before Deny, then by their canonical form. */
export function sortStatements(statements: readonly Statement[]): Statement[] {
  return [...statements].sort((a, b) => {
    if (a.effect !== b.effect) {
      return a.effect === 'Allow' ? -1 : 1;
    }
    const x = statementKey(a);
    const y = statementKey(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * Merges statements without changing what they allow or deny: statements with the same effect,
 * actions and conditions unite their resources; with the same effect, resources and conditions
 * their actions; and statements differing only in the values of one disjunctive condition entry
 * (e.g. `StringLike` `s3:prefix`) unite those values. Statements using different sets of
 * policy variables (see `riskyVariables`) are never merged. Of two merge orders, the smaller
 * result is returned, sorted.
 */
export function mergeStatements(statements: readonly Statement[], lengthOf: LengthOf = plainLength): Statement[] {
  return mergeAtoms([...atomsByKey(statements).values()], lengthOf);
}

function mergeAtoms(atoms: readonly Work[], lengthOf: LengthOf): Statement[] {
  let best: Statement[] | undefined;
  let bestSize = Infinity;
  for (const strategy of STRATEGIES) {
    const merged = strategy.reduce((list, pass) => pass(list), atoms).map(toStatement);
    const size = merged.reduce((sum, s) => sum + statementSize(s, lengthOf) + 1, 0);
    if (size < bestSize) {
      best = merged;
      bestSize = size;
    }
    if (merged.length <= 1) {
      break; // nothing smaller than one statement
    }
  }
  return sortStatements(best ?? []);
}

// ---------------------------------------------------------------------------------------------
// Packing
// ---------------------------------------------------------------------------------------------

/** One planned policy document and its size as IAM counts it. */
export interface PlannedDocument {
  readonly statements: readonly Statement[];
  readonly size: number;
}

/** Options of `packStatements`. */
export interface PackOptions {
  /**
   * The largest document size.
   * @default MANAGED_POLICY_MAX_LENGTH
   */
  readonly maxSize?: number;
  /** @default plainLength */
  readonly lengthOf?: LengthOf;
  /**
   * The argument named in errors.
   * @default 'statements'
   */
  readonly property?: string;
}

/**
 * Packs statements into as few documents of at most `maxSize` as first-fit-decreasing finds.
 * A statement too large for one document is split by resources, then by the values of its
 * largest disjunctive condition entry, then by actions (each split allows or denies the same).
 * Throws a `ValidationError` if one resource, action and value still does not fit.
 */
export function packStatements(statements: readonly Statement[], options: PackOptions = {}): PlannedDocument[] {
  const maxSize = options.maxSize ?? MANAGED_POLICY_MAX_LENGTH;
  const lengthOf = options.lengthOf ?? plainLength;
  const property = options.property ?? 'statements';
  const budget = maxSize - documentSize([], lengthOf);

  // Fast path: everything fits in one document.
  const normalizedStatements = statements.map(normalize);
  const sizes = normalizedStatements.map(s => statementSize(s, lengthOf));
  const total = sizes.reduce((sum, size) => sum + size, 0) + Math.max(0, sizes.length - 1);
  if (total <= budget) {
    return sizes.length === 0 ? [] : [{ statements: sortStatements(normalizedStatements), size: maxSize - budget + total }];
  }

  const pieces = normalizedStatements
    .flatMap(s => splitToFit(s, budget, lengthOf, property, maxSize))
    .map(s => ({ statement: s, size: statementSize(s, lengthOf), key: statementKey(s) }))
    .sort((a, b) => (b.size - a.size) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const bins: Array<{ statements: Statement[]; used: number }> = [];
  const queue = [...pieces];
  while (queue.length > 0) {
    const piece = queue.shift()!;
    const bin = bins.find(b => b.used + 1 + piece.size <= budget);
    if (bin) {
      bin.statements.push(piece.statement);
      bin.used += 1 + piece.size;
      continue;
    }
    // Fill the emptiest document with part of the statement rather than opening a new one
    // for all of it: documents end up nearly full, so a role needs fewer managed policies.
    const emptiest = bins.reduce<typeof bins[number] | undefined>((best, b) => (!best || b.used < best.used ? b : best), undefined);
    const parts = emptiest ? splitHead(piece.statement, budget - emptiest.used - 1, lengthOf) : undefined;
    if (emptiest && parts) {
      const [head, tail] = parts;
      emptiest.statements.push(head);
      emptiest.used += 1 + statementSize(head, lengthOf);
      queue.unshift({ statement: tail, size: statementSize(tail, lengthOf), key: statementKey(tail) });
      continue;
    }
    bins.push({ statements: [piece.statement], used: piece.size });
  }
  return bins.map(b => {
    const sorted = sortStatements(b.statements);
    return { statements: sorted, size: documentSize(sorted, lengthOf) };
  });
}

/**
 * Splits a statement into a head of at most `room` characters and the rest, along its longest
 * list that can be split without changing its meaning (resources, then the values of a
 * disjunctive condition entry, then actions); `undefined` if not even one item fits.
 */
function splitHead(s: Statement, room: number, lengthOf: LengthOf): [Statement, Statement] | undefined {
  const lists: Array<{ values: readonly string[]; make: (values: readonly string[]) => Statement }> = [];
  lists.push({ values: s.resources, make: resources => ({ ...s, resources }) });
  for (const [operator, entries] of Object.entries(s.conditions ?? {})) {
    for (const [key, values] of Object.entries(entries)) {
      if (isDisjunctive(operator)) {
        lists.push({ values, make: v => ({ ...s, conditions: withValues(s.conditions!, operator, key, v) }) });
      }
    }
  }
  lists.push({ values: s.actions, make: actions => ({ ...s, actions }) });
  const list = lists.find(l => l.values.length > 1);
  if (!list) {
    return undefined;
  }
  // the largest k with a head of k items that fits
  let low = 0;
  let high = list.values.length - 1;
  while (low < high) {
    const k = Math.ceil((low + high) / 2);
    if (statementSize(list.make(list.values.slice(0, k)), lengthOf) <= room) {
      low = k;
    } else {
      high = k - 1;
    }
  }
  if (low === 0) {
    return undefined;
  }
  return [normalize(list.make(list.values.slice(0, low))), normalize(list.make(list.values.slice(low)))];
}

function halves<T>(values: readonly T[]): [T[], T[]] {
  const middle = Math.ceil(values.length / 2);
  return [values.slice(0, middle), values.slice(middle)];
}

function splitToFit(s: Statement, budget: number, lengthOf: LengthOf, property: string, maxSize: number): Statement[] {
  const size = statementSize(s, lengthOf);
  if (size <= budget) {
    return [s];
  }
  const recurse = (parts: Statement[]) => parts.flatMap(p => splitToFit(p, budget, lengthOf, property, maxSize));
  if (s.resources.length > 1) {
    return recurse(halves(s.resources).map(resources => ({ ...s, resources })));
  }
  let largest: { operator: string; key: string; values: readonly string[] } | undefined;
  for (const [operator, entries] of Object.entries(s.conditions ?? {})) {
    for (const [key, values] of Object.entries(entries)) {
      if (isDisjunctive(operator) && values.length > 1 && (!largest || values.length > largest.values.length)) {
        largest = { operator, key, values };
      }
    }
  }
  if (largest) {
    const { operator, key } = largest;
    return recurse(halves(largest.values).map(values => ({ ...s, conditions: withValues(s.conditions!, operator, key, values) })));
  }
  if (s.actions.length > 1) {
    return recurse(halves(s.actions).map(actions => ({ ...s, actions })));
  }
  throw new ValidationError(property,
    `A single policy statement needs ${size} characters, more than a policy document of ${maxSize} characters can hold `
    + `(received a statement on ${describeResources(s.resources)}). Shorten the paths, or use a bucket with a shorter name.`);
}

function describeResources(resources: readonly string[]): string {
  return resources.map(r => (Token.isUnresolved(r) ? '<token>' : r)).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Many roles: shared statements and the managed-policy budget
// ---------------------------------------------------------------------------------------------

/** The result of `splitCommon`. */
export interface CommonSplit {
  /** Statements every role has (merged). */
  readonly common: readonly Statement[];
  /** Each role's statements that not every role has (merged). */
  readonly remainder: ReadonlyMap<string, readonly Statement[]>;
}

/**
 * Finds what every role's statements have in common (compared atom by atom, so that merged
 * statements with different resource lists still share their common part) and the remainder
 * per role. With fewer than two roles nothing is common.
 */
export function splitCommon(roles: ReadonlyMap<string, readonly Statement[]>, lengthOf: LengthOf = plainLength): CommonSplit {
  const atomsByRole = new Map<string, Map<string, Atom>>();
  for (const [role, statements] of roles) {
    atomsByRole.set(role, atomsByKey(statements));
  }
  const common = new Map<string, Atom>();
  if (roles.size >= 2) {
    const counts = new Map<string, number>();
    for (const atoms of atomsByRole.values()) {
      for (const key of atoms.keys()) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const [first] = atomsByRole.values();
    for (const [key, atom] of first) {
      if (counts.get(key) === roles.size) {
        common.set(key, atom);
      }
    }
  }
  const remainder = new Map<string, readonly Statement[]>();
  for (const [role, atoms] of atomsByRole) {
    remainder.set(role, mergeAtoms([...atoms].filter(([key]) => !common.has(key)).map(([, a]) => a), lengthOf));
  }
  return { common: mergeAtoms([...common.values()], lengthOf), remainder };
}

/** Options of `planPolicies`. */
export interface PlanPoliciesOptions {
  /**
   * Managed policies one role may have (IAM quota).
   * @default DEFAULT_MAX_MANAGED_POLICIES (10); at most MAX_MANAGED_POLICIES_QUOTA (20)
   */
  readonly maxManagedPolicies?: number;
  /**
   * The largest managed policy.
   * @default MANAGED_POLICY_MAX_LENGTH
   */
  readonly maxPolicySize?: number;
  /** @default plainLength */
  readonly lengthOf?: LengthOf;
  /**
   * Share statements between roles: statements that the same set of roles has go to managed
   * policies attached to all of them. Without sharing, every role gets its own policies.
   * @default true
   */
  readonly shareStatements?: boolean;
  /**
   * For a role that may carry its own statements (those no other role has) inline: the
   * characters of IAM's inline aggregate (`INLINE_POLICIES_MAX_LENGTH` per role) it has left;
   * `undefined` for roles that take managed policies only. Asked only for roles with statements
   * of their own. What does not fit inline goes to managed policies.
   * @default - no role takes inline statements
   */
  readonly inlineBudget?: (role: string) => number | undefined;
  /**
   * The property that sets `maxManagedPolicies`, named in errors.
   * @default 'maxManagedPoliciesPerRole'
   */
  readonly property?: string;
}

/** Managed policy documents attached to a set of roles. */
export interface PolicySet {
  /** The roles (keys of the input map) the documents are attached to. */
  readonly roles: readonly string[];
  readonly documents: readonly PlannedDocument[];
}

/** The policies planned for one role. */
export interface RolePolicyPlan {
  /** The role's key in the input map. */
  readonly role: string;
  /** The policy sets attached to the role. */
  readonly sets: readonly PolicySet[];
  /** How many managed policies the role gets. */
  readonly managedPolicies: number;
  /** The size of all of the role's managed policies together. */
  readonly totalSize: number;
  /** The role's inline policy documents (its own statements), within its inline budget. */
  readonly inline: readonly PlannedDocument[];
  /** The size of the role's inline documents together. */
  readonly inlineSize: number;
  /** Whether `managedPolicies` is within the limit. */
  readonly fits: boolean;
}

/** The result of `planPolicies`. */
export interface PolicyPlan {
  /**
   * Every managed policy to create, grouped by the roles it is attached to; sets attached to
   * more roles first, the set attached to every role (if any) first of all.
   */
  readonly sets: readonly PolicySet[];
  /** Inline policy documents per role (only roles given an inline budget, only when they have own statements). */
  readonly inline: ReadonlyMap<string, readonly PlannedDocument[]>;
  readonly roles: ReadonlyMap<string, RolePolicyPlan>;
  /** Roles that would need more managed policies than allowed (build the error with `tooManyPoliciesMessage`). */
  readonly overLimit: readonly RolePolicyPlan[];
  readonly maxManagedPolicies: number;
  readonly maxPolicySize: number;
}

/** The smallest inline budget worth using: room for an empty document and a short statement. */
const MIN_INLINE_BUDGET = 200;

/**
 * Plans policies for roles, e.g. every role an authenticated user can receive (the
 * authenticated role and each group role): each statement atom goes to the policy set of exactly
 * the roles that have it, so what all roles share is written once (200 group roles without group
 * rules add no policies at all), Denies that every role but one group's has are written once, and
 * what only one role has stays with that role: inline when the role has an inline budget (as much
 * as fits), else in managed policies of its own. Every managed document is at most `maxPolicySize`.
 *
 * If a role ends up with more managed policies than allowed because its statements are spread
 * over many sets, it is detached from every set not shared by all roles and gets its own
 * policies instead, when that needs fewer. Roles still over the limit are listed in `overLimit`;
 * the caller owns the role names and raises the error.
 */
export function planPolicies(roles: ReadonlyMap<string, readonly Statement[]>, options: PlanPoliciesOptions = {}): PolicyPlan {
  const property = options.property ?? 'maxManagedPoliciesPerRole';
  const maxManagedPolicies = options.maxManagedPolicies ?? DEFAULT_MAX_MANAGED_POLICIES;
  if (Token.isUnresolved(maxManagedPolicies)) {
    invalid(property, maxManagedPolicies, 'The number of managed policies per role decides how policies are split at synth time, so it cannot be a deploy-time value',
      `Pass a number from 1 to ${MAX_MANAGED_POLICIES_QUOTA}.`);
  }
  if (!Number.isInteger(maxManagedPolicies) || maxManagedPolicies < 1 || maxManagedPolicies > MAX_MANAGED_POLICIES_QUOTA) {
    invalid(property, maxManagedPolicies, `IAM allows 1 to ${MAX_MANAGED_POLICIES_QUOTA} managed policies per role`,
      `Pass a whole number from 1 to ${MAX_MANAGED_POLICIES_QUOTA} (above ${DEFAULT_MAX_MANAGED_POLICIES} only after raising the IAM quota "Managed policies per role").`);
  }
  const maxPolicySize = options.maxPolicySize ?? MANAGED_POLICY_MAX_LENGTH;
  const lengthOf = options.lengthOf ?? plainLength;
  const share = options.shareStatements ?? true;
  const pack = (atoms: readonly Work[]) => packMerged(mergeAtoms(atoms, lengthOf), maxPolicySize, lengthOf);
  const budgets = new Map<string, number | undefined>();
  const budgetOf = (role: string) => {
    if (!budgets.has(role)) {
      const budget = options.inlineBudget?.(role);
      budgets.set(role, budget !== undefined && budget >= MIN_INLINE_BUDGET ? Math.min(budget, INLINE_POLICIES_MAX_LENGTH) : undefined);
    }
    return budgets.get(role);
  };
  /** A role's own statements: inline as far as its budget allows, the rest in managed documents. */
  const placeOwn = (role: string, atoms: readonly Work[]): { inline: PlannedDocument[]; managed: PlannedDocument[] } => {
    const budget = budgetOf(role);
    if (budget === undefined) {
      return { inline: [], managed: pack(atoms) };
    }
    const [first, ...rest] = packMerged(mergeAtoms(atoms, lengthOf), budget, lengthOf);
    return { inline: first ? [first] : [], managed: packMerged(rest.flatMap(d => d.statements), maxPolicySize, lengthOf) };
  };
  const roleNames = [...roles.keys()];

  // Which roles have each atom.
  const atomsByRole = new Map<string, Map<string, Atom>>();
  const holders = new Map<string, { atom: Atom; roles: string[] }>();
  for (const role of roleNames) {
    const atoms = atomsByKey(roles.get(role)!);
    atomsByRole.set(role, atoms);
    for (const [key, atom] of atoms) {
      const holder = holders.get(share ? key : `${role}\n${key}`);
      if (holder) {
        holder.roles.push(role);
      } else {
        holders.set(share ? key : `${role}\n${key}`, { atom, roles: [role] });
      }
    }
  }
  const bySignature = new Map<string, { roles: string[]; atoms: Atom[] }>();
  for (const { atom, roles: holding } of holders.values()) {
    const signature = holding.join('\n');
    const group = bySignature.get(signature);
    if (group) {
      group.atoms.push(atom);
    } else {
      bySignature.set(signature, { roles: holding, atoms: [atom] });
    }
  }
  const inline = new Map<string, PlannedDocument[]>();
  const sets: Array<{ roles: string[]; documents: PlannedDocument[] }> = [];
  for (const group of [...bySignature.values()]
    .sort((a, b) => (b.roles.length - a.roles.length) || compareText(a.roles.join('\n'), b.roles.join('\n')))) {
    if (group.roles.length === 1 && budgetOf(group.roles[0]) !== undefined) {
      const own = placeOwn(group.roles[0], group.atoms);
      inline.set(group.roles[0], own.inline);
      sets.push({ roles: group.roles, documents: own.managed });
    } else {
      sets.push({ roles: group.roles, documents: pack(group.atoms) });
    }
  }

  const setsOf = (role: string) => sets.filter(set => set.roles.includes(role));
  const count = (role: string) => setsOf(role).reduce((n, set) => n + set.documents.length, 0);

  // A role spread over too many partly filled sets gets its own policies instead.
  for (const role of roleNames) {
    if (count(role) <= maxManagedPolicies) {
      continue;
    }
    const everyRole = setsOf(role).filter(set => set.roles.length === roleNames.length);
    const commonKeys = new Set(everyRole.flatMap(set => set.documents.flatMap(d => d.statements.flatMap(st => [...atomsByKey([st]).keys()]))));
    const own = placeOwn(role, [...atomsByRole.get(role)!].filter(([key]) => !commonKeys.has(key)).map(([, atom]) => atom));
    const alone = everyRole.reduce((n, set) => n + set.documents.length, 0) + own.managed.length;
    if (alone < count(role)) {
      for (const set of setsOf(role)) {
        if (set.roles.length !== roleNames.length) {
          set.roles.splice(set.roles.indexOf(role), 1);
        }
      }
      sets.push({ roles: [role], documents: own.managed });
      inline.set(role, own.inline);
    }
  }

  const finalSets: PolicySet[] = sets.filter(set => set.roles.length > 0 && set.documents.length > 0);
  const finalInline = new Map([...inline].filter(([, docs]) => docs.length > 0));
  const plans = new Map<string, RolePolicyPlan>();
  for (const role of roleNames) {
    const attached = finalSets.filter(set => set.roles.includes(role));
    const managedPolicies = attached.reduce((n, set) => n + set.documents.length, 0);
    const own = finalInline.get(role) ?? [];
    plans.set(role, {
      role,
      sets: attached,
      managedPolicies,
      totalSize: attached.reduce((n, set) => n + set.documents.reduce((m, d) => m + d.size, 0), 0),
      inline: own,
      inlineSize: own.reduce((n, d) => n + d.size, 0),
      fits: managedPolicies <= maxManagedPolicies,
    });
  }
  return {
    sets: finalSets,
    inline: finalInline,
    roles: plans,
    overLimit: [...plans.values()].filter(p => !p.fits),
    maxManagedPolicies,
    maxPolicySize,
  };
}

/** Packs merged statements into documents of at most `maxSize`; one document without packing when they fit in one. */
function packMerged(merged: readonly Statement[], maxSize: number, lengthOf: LengthOf): PlannedDocument[] {
  if (merged.length === 0) {
    return [];
  }
  return packStatements(merged, { maxSize, lengthOf });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The error message for a role over the managed-policy limit.
 *
 * @param plan the role's plan (from `PolicyPlan.overLimit`)
 * @param roleName how the role is named for the user (e.g. its construct path)
 */
export function tooManyPoliciesMessage(plan: RolePolicyPlan, roleName: string, policyPlan: Pick<PolicyPlan, 'maxManagedPolicies' | 'maxPolicySize'>): string {
  return `Role \`${roleName}\` would need ${plan.managedPolicies} managed policies (${plan.totalSize} characters of policy in documents of at most `
    + `${policyPlan.maxPolicySize} characters), more than the ${policyPlan.maxManagedPolicies} allowed per role (received ${policyPlan.maxManagedPolicies}). `
    + `Raise the limit (up to ${MAX_MANAGED_POLICIES_QUOTA}, after raising the IAM quota "Managed policies per role"), use fewer or shorter paths, `
    + 'or spread the rules over fewer roles (e.g. fewer groups with group-specific rules).';
}

/** A `ValidationError` for a role over the managed-policy limit. */
export function tooManyPoliciesError(plan: RolePolicyPlan, roleName: string, policyPlan: Pick<PolicyPlan, 'maxManagedPolicies' | 'maxPolicySize'>,
  property = 'maxManagedPoliciesPerRole'): ValidationError {
  return new ValidationError(property, tooManyPoliciesMessage(plan, roleName, policyPlan));
}
