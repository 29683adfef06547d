/*
 * An independent model of DESIGN.md's path semantics, written from DESIGN.md alone (it does not
 * import the library): who may do what on which object key or API route. The fuzz tests compare
 * its verdicts with iam-simulate's verdicts on the synthesized policies.
 *
 * DESIGN.md, "Path semantics":
 * - A path is a key pattern ending in `/*`; it covers everything below it (`p/` followed by any
 *   text, the empty text included). An API route pattern `/notes/*` also covers `/notes` itself.
 * - `{identity}` matches one segment: for `Audience.owner()` the requester's own identity id, for
 *   every other audience any segment shaped like an identity id of the pool (`<region>:<uuid>`),
 *   never an empty segment, never a folder such as `exports/` that no identity owns.
 * - `{tag:NAME}` matches one segment equal to the requester's principal tag NAME (set, non-empty).
 * - When one rule's path lies inside another's, the inner path decides for its subtree: an
 *   audience keeps the outer path's access there only if a rule on the inner path grants it.
 * - Rules on one bucket (API) form one rule set.
 * - Owner and authenticated rules reach every signed-in role (authenticated and group roles);
 *   group rules only that group's role; guest rules only the guest role; a back end's rules
 *   (`Audience.principal`) only that back end, where `{identity}` means any identity id.
 *
 * Two choices the text leaves open, made explicit here:
 * - For deciding which path a key falls in (nesting), a `{tag:NAME}` segment stands for any one
 *   segment, since different requesters have different tags; an `{identity}` segment stands for
 *   any identity-id-shaped segment. Paths whose patterns cover the same keys decide together.
 * - "Shaped like an identity id" is `<pool region>:` followed by 8-4-4-4-12 characters other than
 *   `/`, separated by `-` (identity ids are lower-case hex UUIDs; the model does not demand hex).
 *
 * `looseTags` (see fuzz.test.ts) widens a tag segment of an inner path to any run of characters,
 * `/` included, for the nesting decision only: IAM can only deny such a subtree with a `*`, which
 * also matches `/`, and the compiler warns about exactly that ("also matches deeper keys").
 */

export type ModelSegment = { readonly lit: string } | { readonly identity: true } | { readonly tag: string };

export type ModelAudience = 'guest' | 'authenticated' | 'owner' | `group:${string}` | `principal:${string}`;

export interface ModelRule {
  readonly segments: readonly ModelSegment[];
  readonly audience: ModelAudience;
  /** Permission kinds: S3 `GET`, `LIST`, `PUT`, `DELETE`; API methods. */
  readonly kinds: ReadonlySet<string>;
}

export interface ModelCaller {
  /** `guest`, `authenticated`, `group:<name>` (the role the caller holds) or `principal:<name>` (a back end). */
  readonly role: 'guest' | 'authenticated' | `group:${string}` | `principal:${string}`;
  readonly identityId: string;
  readonly tags: { readonly [name: string]: string | undefined };
}

export interface ModelOptions {
  /** The identity pool's region: identity ids are `<region>:<uuid>`. */
  readonly region: string;
  /** Routes: a pattern also covers its own prefix exactly (`/notes/*` covers `/notes`). */
  readonly routes?: boolean;
  /** Widen inner tag segments to any run of characters for the nesting decision (see above). */
  readonly looseTags?: boolean;
}

const UUID_SHAPE = '[^/]{8}-[^/]{4}-[^/]{4}-[^/]{4}-[^/]{12}';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a segment is shaped like an identity id of the pool in `region`. */
export function isIdentityShaped(segment: string, region: string): boolean {
  return new RegExp(`^${escape(region)}:${UUID_SHAPE}$`).test(segment);
}

/** The regex of a path's pattern (any requester), over a whole key or route. */
function patternRegex(segments: readonly ModelSegment[], options: ModelOptions): RegExp {
  const parts = segments.map(s => {
    if ('lit' in s) {
      return escape(s.lit);
    }
    if ('identity' in s) {
      return `${escape(options.region)}:${UUID_SHAPE}`;
    }
    return options.looseTags ? '.*' : '[^/]*';
  });
  const prefix = parts.join('/');
  if (options.routes) {
    return new RegExp(segments.length === 0 ? '^/.*$' : `^/${prefix}(/.*)?$`, 's');
  }
  return new RegExp(`^${prefix}/.*$`, 's');
}

/** Whether the rule covers the key for this requester (owner id, tag value, identity shape). */
function coversFor(rule: ModelRule, key: string, caller: ModelCaller, options: ModelOptions): boolean {
  const parts = rule.segments.map(s => {
    if ('lit' in s) {
      return escape(s.lit);
    }
    if ('identity' in s) {
      return rule.audience === 'owner' ? escape(caller.identityId) : `${escape(options.region)}:${UUID_SHAPE}`;
    }
    const value = caller.tags[s.tag];
    if (value === undefined || value === '' || value.includes('/')) {
      return null; // an unset, empty or `/`-holding tag matches no segment
    }
    return escape(value);
  });
  if (parts.some(p => p === null)) {
    return false;
  }
  const prefix = parts.join('/');
  if (options.routes) {
    return new RegExp(rule.segments.length === 0 ? '^/.*$' : `^/${prefix}(/.*)?$`, 's').test(key);
  }
  return new RegExp(`^${prefix}/.*$`, 's').test(key);
}

/** Whether path `inner` lies inside path `outer` (a token of `outer` stands for any segment). */
function inside(inner: readonly ModelSegment[], outer: readonly ModelSegment[]): boolean {
  if (inner.length < outer.length) {
    return false;
  }
  return outer.every((s, i) => !('lit' in s) || ('lit' in inner[i] && (inner[i] as { lit: string }).lit === s.lit));
}

function reaches(audience: ModelAudience, caller: ModelCaller): boolean {
  if (audience === 'guest') {
    return caller.role === 'guest';
  }
  if (audience === 'authenticated' || audience === 'owner') {
    return caller.role !== 'guest' && !caller.role.startsWith('principal:');
  }
  return audience === caller.role;
}

/** The paths that decide for a key: the innermost of those whose patterns cover it. */
export function decidingPaths(rules: readonly ModelRule[], key: string, options: ModelOptions): Array<readonly ModelSegment[]> {
  const paths: Array<readonly ModelSegment[]> = [];
  for (const rule of rules) {
    if (!paths.some(p => JSON.stringify(p) === JSON.stringify(rule.segments))) {
      paths.push(rule.segments);
    }
  }
  const covering = paths.filter(p => patternRegex(p, options).test(key));
  return covering.filter(p => !covering.some(q => q !== p && inside(q, p) && !inside(p, q)));
}

/** Whether the caller may use the kind on the key (object key, list prefix or route). */
export function modelAllows(rules: readonly ModelRule[], caller: ModelCaller, kind: string, key: string, options: ModelOptions): boolean {
  const deciding = decidingPaths(rules, key, options);
  const decides = (rule: ModelRule) => deciding.some(p => inside(p, rule.segments) && inside(rule.segments, p));
  return rules.some(rule => decides(rule) && reaches(rule.audience, caller) && rule.kinds.has(kind) && coversFor(rule, key, caller, options));
}
