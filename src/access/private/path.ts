import { Token, Tokenization } from 'aws-cdk-lib';
import { invalid } from '../../private/errors';
import { Audience, AudienceKind } from '../audience';

/**
 * One `/`-separated segment of a path pattern.
 *
 * - `literal`: matches exactly `value`. A literal that holds a deploy-time value (a CDK token) is
 *   `deployTime`: the compiler uses it as one opaque segment and cannot reason about its content.
 * - `identity`: `{identity}`, one segment holding an identity pool identity id.
 * - `tag`: `{tag:NAME}`, one segment equal to the requester's principal tag `NAME`.
 *
 * As patterns (for overlap questions) both token kinds match any single segment.
 */
export type PathSegment =
  | { readonly kind: 'literal'; readonly value: string; readonly deployTime: boolean }
  | { readonly kind: 'identity' }
  | { readonly kind: 'tag'; readonly name: string };

/**
 * A validated path pattern such as `tenants/{tag:tenant}/users/{identity}/*`.
 *
 * The pattern covers every key that starts with its segments followed by `/`, at any depth.
 */
export interface ParsedPath {
  /** The pattern as written. */
  readonly text: string;
  /** The segments before the final `/*` (empty only for a root pattern, see `allowRoot`). */
  readonly segments: readonly PathSegment[];
  /** Whether the pattern starts with `/` (API routes) rather than being relative (object keys). */
  readonly leadingSlash: boolean;
}

/**
 * How to parse a path.
 */
export interface ParsePathOptions {
  /**
   * The argument or property named in error messages.
   * @default 'path'
   */
  readonly property?: string;
  /**
   * `false`: a relative object key pattern (`public/*`), a leading `/` is an error.
   * `true`: an API route (`/notes/*`), the leading `/` is required.
   * @default false
   */
  readonly leadingSlash?: boolean;
  /**
   * Accept the root pattern (`*`, or `/*` for routes) that covers everything.
   * @default false - an S3 rule never covers the whole bucket
   */
  readonly allowRoot?: boolean;
  /**
   * The principal tags the identity pool maps; `{tag:NAME}` must name one of them.
   * @default - tag names are not checked against a mapping
   */
  readonly mappedTags?: Iterable<string>;
  /**
   * The audience the path is for: `Audience.owner()` requires a `{identity}` segment.
   * @default - not checked
   */
  readonly audience?: Audience;
}

/** The policy variable for the caller's identity pool identity id. */
export const IDENTITY_VARIABLE = '${cognito-identity.amazonaws.com:sub}';

/** The policy variable for the caller's principal tag `name`. */
export function tagVariable(name: string): string {
  return `\${aws:PrincipalTag/${name}}`;
}

const TAG_NAME = /^[A-Za-z0-9_.:=+\-@]{1,128}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Parses and validates a path pattern. Throws a `ValidationError` naming the property, the
 * received value and the fix.
 *
 * Rules: the pattern ends with `/*`; segments are non-empty, never `.` or `..`; `*` appears only
 * in the final `/*`; `?` and `$` (IAM wildcard and policy-variable syntax) never appear in a
 * literal; `{identity}` and `{tag:NAME}` fill whole segments. A deploy-time value (CDK token)
 * may fill all or part of a segment; only the characters around it are checked.
 */
export function parsePath(text: string, options: ParsePathOptions = {}): ParsedPath {
  const property = options.property ?? 'path';
  const leadingSlash = options.leadingSlash ?? false;
  const example = leadingSlash ? '`/notes/*`' : '`public/*` or `protected/{identity}/*`';

  if (typeof text !== 'string' || text.length === 0) {
    invalid(property, text, 'A path must not be empty', `Give a key pattern ending in \`/*\`, e.g. ${example}.`);
  }
  if (!leadingSlash && text.startsWith('/')) {
    invalid(property, text, 'An object key pattern is relative to the bucket and must not start with `/`',
      `Remove the leading \`/\`, e.g. \`${text.replace(/^\/+/, '')}\`.`);
  }
  if (leadingSlash && !text.startsWith('/')) {
    invalid(property, text, 'A route pattern must start with `/`', `Write \`/${text}\`.`);
  }
  const body = leadingSlash ? text.slice(1) : text;

  if (body === '*') {
    if (!options.allowRoot) {
      invalid(property, text, 'A path must name at least one segment; a rule never covers everything',
        `Name a prefix, e.g. ${example}.`);
    }
    return { text, segments: [], leadingSlash };
  }
  if (!body.endsWith('/*')) {
    if (body.includes('*') && !Token.isUnresolved(body)) {
      invalid(property, text, 'A `*` may only appear in the final `/*`',
        'Use `{identity}` or `{tag:NAME}` for a segment that varies, or write one rule per prefix.');
    }
    const hint = Token.isUnresolved(text)
      ? ' A deploy-time value may fill segments, but the final `/*` must be visible at synth time, e.g. `${value}/*`.'
      : '';
    invalid(property, text, 'A path must end with `/*` (it covers everything below it)',
      `Write the prefix followed by \`/*\`, e.g. ${example}.${hint}`);
  }

  const raw = body.slice(0, -2).split('/');
  const segments: PathSegment[] = [];
  for (const segment of raw) {
    segments.push(parseSegment(segment, text, property));
  }

  if (options.mappedTags !== undefined) {
    checkTags({ text, segments, leadingSlash }, options.mappedTags, property);
  }
  const parsed: ParsedPath = { text, segments, leadingSlash };
  if (options.audience) {
    checkAudience(parsed, options.audience, property);
  }
  return parsed;
}

function parseSegment(segment: string, text: string, property: string): PathSegment {
  if (segment.length === 0) {
    invalid(property, text, 'A path must not contain an empty segment (`//`)', 'Remove the doubled `/`.');
  }
  if (Token.isUnresolved(segment)) {
    const around = Tokenization.reverseString(segment)
      .mapTokens({ mapToken: () => '' })
      .join({ join: (left: unknown, right: unknown) => `${left}${right}` }) as string;
    checkLiteralCharacters(around, text, property);
    return { kind: 'literal', value: segment, deployTime: true };
  }
  if (segment === '.' || segment === '..') {
    invalid(property, text, `A path must not contain a \`${segment}\` segment: S3 keys are literal and \`${segment}\` never navigates`,
      'Write the path without `.` and `..` segments.');
  }
  if (segment.startsWith('{') && segment.endsWith('}') && segment.indexOf('}') === segment.length - 1) {
    const name = segment.slice(1, -1);
    if (name === 'identity') {
      return { kind: 'identity' };
    }
    if (name.startsWith('tag:')) {
      const tag = name.slice(4);
      if (!TAG_NAME.test(tag)) {
        invalid(property, text, `\`${segment}\` does not name a valid principal tag`,
          'Write `{tag:NAME}` where NAME is a principal tag key (1-128 letters, digits or `_.:=+-@`), e.g. `{tag:tenant}`.');
      }
      return { kind: 'tag', name: tag };
    }
    invalid(property, text, `\`${segment}\` is not a known token`,
      'Use `{identity}` (the identity pool identity id) or `{tag:NAME}` (a mapped principal tag).');
  }
  if (/\{[^{}]*\}/.test(segment)) {
    invalid(property, text, `A token must fill a whole segment, but \`${segment}\` mixes it with other text`,
      'Put `{identity}` or `{tag:NAME}` in a segment of its own, e.g. `users/{identity}/*` instead of `users/user-{identity}/*`.');
  }
  checkLiteralCharacters(segment, text, property);
  return { kind: 'literal', value: segment, deployTime: false };
}

function checkLiteralCharacters(literal: string, text: string, property: string): void {
  if (literal.includes('*')) {
    invalid(property, text, 'A `*` may only appear in the final `/*`',
      'Use `{identity}` or `{tag:NAME}` for a segment that varies, or write one rule per prefix.');
  }
  if (literal.includes('?')) {
    invalid(property, text, 'A `?` is a wildcard in IAM and would match any character',
      'Remove the `?` from the path.');
  }
  if (literal.includes('{') || literal.includes('}')) {
    invalid(property, text, 'Braces are only allowed around `{identity}` or `{tag:NAME}`',
      'Remove the stray `{` or `}`.');
  }
  if (literal.includes('$')) {
    invalid(property, text, 'A `$` would start an IAM policy variable',
      'Remove the `$`; use `{identity}` or `{tag:NAME}` for values that vary per caller.');
  }
  if (CONTROL.test(literal)) {
    invalid(property, text, 'A path must not contain control characters', 'Remove them.');
  }
}

/**
 * Throws unless every `{tag:NAME}` in the path is one of `mappedTags`.
 */
export function checkTags(path: ParsedPath, mappedTags: Iterable<string>, property = 'path'): void {
  const mapped = new Set(mappedTags);
  for (const segment of path.segments) {
    if (segment.kind === 'tag' && !mapped.has(segment.name)) {
      const known = mapped.size === 0 ? 'the identity pool maps no principal tags' : `mapped tags: ${[...mapped].sort().map(t => `\`${t}\``).join(', ')}`;
      invalid(property, path.text, `\`{tag:${segment.name}}\` names a principal tag that the identity pool does not map (${known})`,
        `Add \`${segment.name}\` to the identity pool's \`principalTags\`, or use one of the mapped tags.`);
    }
  }
}

/**
 * Throws if the audience cannot use the path: `Audience.owner()` needs a `{identity}` segment, and
 * guests and back-end principals cannot use `{tag:NAME}` (they carry no principal tags of the pool).
 */
export function checkAudience(path: ParsedPath, audience: Audience, property = 'path'): void {
  if (audience.kind === AudienceKind.OWNER && !path.segments.some(s => s.kind === 'identity')) {
    invalid(property, path.text, '`Audience.owner()` needs a `{identity}` segment that says which part of the path is the owner\'s',
      'Add `{identity}` to the path (e.g. `private/{identity}/*`) or use another audience.');
  }
  const tag = path.segments.find(s => s.kind === 'tag');
  if (audience.kind === AudienceKind.GUEST && tag !== undefined) {
    invalid(property, path.text, `Guests sign in with no identity provider and carry no principal tags, so \`{tag:${(tag as { name: string }).name}}\` would never match for them`,
      'Use a path without the tag for guests, or `Audience.authenticated()` (or a group) for tag-scoped keys.');
  }
  if (audience.kind === AudienceKind.PRINCIPAL && tag !== undefined) {
    invalid(property, path.text, `${audience} is a back end outside the identity pool and carries none of the pool's principal tags, so \`{tag:${(tag as { name: string }).name}}\` would never match for it`,
      'Give the back end a path with the literal value (one rule per tenant), or a path without the tag.');
  }
}

/** Whether the path contains a deploy-time value. */
export function hasDeployTimeValue(path: ParsedPath): boolean {
  return path.segments.some(s => s.kind === 'literal' && s.deployTime);
}

/** Whether pattern segment `outer` matches everything `inner` matches. */
function segmentCovers(outer: PathSegment, inner: PathSegment): boolean {
  if (outer.kind !== 'literal') {
    return true;
  }
  return inner.kind === 'literal' && inner.value === outer.value;
}

/**
 * Whether every key that `inner` covers is also covered by `outer` (tokens match any segment).
 * A path is inside itself. `users/admin/*` is inside `users/{identity}/*`, not the other way.
 */
export function isInside(inner: ParsedPath, outer: ParsedPath): boolean {
  if (inner.segments.length < outer.segments.length) {
    return false;
  }
  return outer.segments.every((segment, i) => segmentCovers(segment, inner.segments[i]));
}

/** Whether `inner` is inside `outer` and covers strictly less. */
export function isStrictlyInside(inner: ParsedPath, outer: ParsedPath): boolean {
  return isInside(inner, outer) && !isInside(outer, inner);
}

/**
 * Whether both paths cover the same keys (as patterns): `x/{identity}/*` and `x/{tag:t}/*` do.
 */
export function sameKeys(a: ParsedPath, b: ParsedPath): boolean {
  return isInside(a, b) && isInside(b, a);
}

/**
 * Whether some key is covered by both paths (tokens match any segment).
 */
export function overlaps(a: ParsedPath, b: ParsedPath): boolean {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (x.kind === 'literal' && y.kind === 'literal' && x.value !== y.value) {
      return false;
    }
  }
  return true;
}

/**
 * The pattern covering exactly the keys both paths cover, or `undefined` if they do not overlap.
 * Where one path has a literal and the other a token, the literal wins; where both have tokens,
 * `a`'s token is kept.
 */
export function intersection(a: ParsedPath, b: ParsedPath): ParsedPath | undefined {
  if (!overlaps(a, b)) {
    return undefined;
  }
  const n = Math.max(a.segments.length, b.segments.length);
  const segments: PathSegment[] = [];
  for (let i = 0; i < n; i++) {
    const x = a.segments[i];
    const y = b.segments[i];
    if (x === undefined) {
      segments.push(y);
    } else if (y === undefined || x.kind === 'literal') {
      segments.push(x);
    } else {
      segments.push(y.kind === 'literal' ? y : x);
    }
  }
  return { text: formatSegments(segments, a.leadingSlash), segments, leadingSlash: a.leadingSlash };
}

/** Writes segments back in path syntax (`a/{identity}/*`). */
export function formatSegments(segments: readonly PathSegment[], leadingSlash = false): string {
  const parts = segments.map(s => {
    switch (s.kind) {
      case 'literal':
        return s.value;
      case 'identity':
        return '{identity}';
      default:
        return `{tag:${s.name}}`;
    }
  });
  return `${leadingSlash ? '/' : ''}${[...parts, '*'].join('/')}`;
}

/** A path for messages: deploy-time values are shown as `<deploy-time value>`. */
export function describePath(path: ParsedPath): string {
  if (!Token.isUnresolved(path.text)) {
    return path.text;
  }
  const segments: PathSegment[] = path.segments.map(s => (s.kind === 'literal' && s.deployTime
    ? { kind: 'literal', value: '<deploy-time value>', deployTime: true }
    : s));
  return formatSegments(segments, path.leadingSlash);
}

/**
 * The IAM pattern of one identity id of a pool in `region`: `<region>:` followed by a UUID's shape
 * (`????????-????-????-????-????????????`, 8-4-4-4-12). Identity ids are `<region>:<uuid>`, where
 * the region is the identity pool's, so the pattern never matches an empty segment, a folder name
 * such as `exports`, or a run of segments (there is no `*` in it; only a `?` standing for one UUID
 * character could stand for a `/`, see README "What IAM cannot express").
 * @see https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html
 */
export function identityIdPattern(region: string): string {
  return `${region}:${IDENTITY_UUID_PATTERN}`;
}

/** The UUID part of `identityIdPattern`. */
export const IDENTITY_UUID_PATTERN = '????????-????-????-????-????????????';

/**
 * A segment as IAM sees it for one audience:
 * - `literal`: the literal text;
 * - `anyIdentity`: any identity id of the pool (a `{identity}` for any audience but the owner),
 *   rendered as `identityIdPattern(region)`;
 * - `any`: `*`, any text (only in Denies, for a `{tag:NAME}` of an inner path that the leaking
 *   pattern does not reach: IAM's `*` also matches `/`, so such a Deny covers deeper keys too);
 * - `identity`: `${cognito-identity.amazonaws.com:sub}` (a `{identity}` for the owner);
 * - `tag`: `${aws:PrincipalTag/NAME}`.
 */
export type RenderedSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'anyIdentity'; readonly region: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'identity' }
  | { readonly kind: 'tag'; readonly name: string };

/**
 * The segments of `path` as IAM sees them for an audience: `{identity}` becomes the caller's
 * identity id for `OWNER` and any identity id of the pool (in `identityRegion`) for every other
 * audience; `{tag:NAME}` becomes the caller's principal tag for every audience.
 *
 * @param identityRegion the identity pool's region (may be a token); required when a non-owner
 * path has a `{identity}` segment
 */
export function renderSegments(path: ParsedPath, audience: AudienceKind, identityRegion?: string): RenderedSegment[] {
  return path.segments.map((s): RenderedSegment => {
    switch (s.kind) {
      case 'literal':
        return { kind: 'literal', value: s.value };
      case 'identity':
        if (audience === AudienceKind.OWNER) {
          return { kind: 'identity' };
        }
        return { kind: 'anyIdentity', region: requireRegion(identityRegion) };
      default:
        return { kind: 'tag', name: s.name };
    }
  });
}

/** The region, or a programming error: `{identity}` for a non-owner must never render as `*`. */
export function requireRegion(identityRegion: string | undefined): string {
  if (identityRegion === undefined || identityRegion === '') {
    throw new Error('internal error: rendering `{identity}` for a non-owner audience needs the identity pool\'s region');
  }
  return identityRegion;
}

/**
 * Joins rendered segments with `/` (no trailing `/*`): `a/b/${cognito-identity.amazonaws.com:sub}/c`.
 */
export function renderPrefix(segments: readonly RenderedSegment[], leadingSlash = false): string {
  const parts = segments.map(s => {
    switch (s.kind) {
      case 'literal':
        return s.value;
      case 'anyIdentity':
        return identityIdPattern(s.region);
      case 'any':
        return '*';
      case 'identity':
        return IDENTITY_VARIABLE;
      default:
        return tagVariable(s.name);
    }
  });
  return `${leadingSlash ? '/' : ''}${parts.join('/')}`;
}

/**
 * The IAM pattern of a path for an audience, including the final `/*`:
 * `protected/{identity}/*` is `protected/${cognito-identity.amazonaws.com:sub}/*` for the owner
 * and `protected/<region>:????????-????-????-????-????????????/*` for everyone else.
 */
export function renderPath(path: ParsedPath, audience: AudienceKind, identityRegion?: string): string {
  const segments = renderSegments(path, audience, identityRegion);
  if (segments.length === 0) {
    return path.leadingSlash ? '/*' : '*';
  }
  return `${renderPrefix(segments, path.leadingSlash)}/*`;
}

/** The principal tag names a rendered pattern uses. */
export function tagsOf(segments: readonly RenderedSegment[]): string[] {
  const names = new Set<string>();
  for (const s of segments) {
    if (s.kind === 'tag') {
      names.add(s.name);
    }
  }
  return [...names].sort();
}
