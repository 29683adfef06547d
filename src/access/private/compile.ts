import { invalid } from '../../private/errors';
import { parseGroupKey } from '../../private/role-view';
import { Access } from '../access';
import { Audience, AudienceKind } from '../audience';
import { mergeStatements, Statement } from './fit';
import {
  checkAudience, describePath, hasDeployTimeValue, intersection, isInside, isStrictlyInside, overlaps, ParsedPath,
  renderPrefix, RenderedSegment, renderSegments, requireRegion, sameKeys,
} from './path';

/*
 * The generic access compiler: rules (path, audience, permission kinds) -> per role view, the
 * rendered patterns to allow and the patterns to deny. It knows nothing about S3, DynamoDB or API
 * Gateway; a renderer (see s3.ts) turns the result into IAM statements.
 *
 * Semantics (../../../DESIGN.md is the authority):
 * - Views: `guest` (guest rules), `authenticated` (authenticated + owner rules; the authenticated
 *   role and every rule-mapped role), `group:<name>` (authenticated + owner + that group's rules)
 *   and `principal:<key>` (one back end's rules only).
 * - Paths are patterns; `{identity}` and `{tag:NAME}` match any one segment. Paths that cover the
 *   same keys (e.g. `x/{identity}/*` and `x/{tag:t}/*`) form one class and their rules add up.
 * - For every key, the innermost class that covers it decides: a view keeps an outer class's
 *   access there only if a rule of the deciding class grants it to the view. Leaks of outer allows
 *   into an inner class are removed with explicit Denies.
 * - A literal is more specific than a token: `users/admin/*` lies inside `users/{identity}/*` and
 *   decides for `users/admin/`. Two paths that overlap without one lying inside the other (e.g.
 *   `a/{identity}/c/*` and `a/b/*`) must have a rule on their intersection (`a/b/c/*`), otherwise
 *   no path decides there and compiling fails.
 *
 * What IAM cannot express, and therefore fails to compile instead of leaking:
 * - Denying a pattern except a sub-pattern, for kinds whose requests carry no condition key with the
 *   key name (S3 object requests, API Gateway invocations). A renderer lists the kinds it can
 *   express exceptions for in `excludableKinds` (S3 LIST: `StringNotLike` on `s3:prefix`).
 * - `{identity}` for any audience but the owner followed by more segments: it renders as the shape
 *   of an identity id (`<region>:????????-????-????-????-????????????`), and IAM's `?` also matches
 *   `/`, so the deeper path could not be confined to one identity's folder.
 */

/** The view of the guest role. */
export const GUEST_VIEW = 'guest';

/** The view of the authenticated role and of every rule-mapped role. */
export const AUTHENTICATED_VIEW = 'authenticated';

const GROUP_VIEW_PREFIX = 'group:';

/** The view of a group's role, by group key (the name, or the name and directory key: see role-view.ts). */
export function groupView(key: string): string {
  return `${GROUP_VIEW_PREFIX}${key}`;
}

/**
 * One access rule, with its permission kinds already expanded by the renderer
 * (for S3, `READ` is `GET` + `LIST`).
 */
export interface GrantRule {
  readonly path: ParsedPath;
  readonly audience: Audience;
  readonly kinds: readonly string[];
}

/** A pattern a view may use for one permission kind. */
export interface ViewAllow {
  readonly kind: string;
  /** The rule path it comes from. */
  readonly path: ParsedPath;
  /** The pattern as IAM sees it for this audience (without the final `/*`). */
  readonly segments: readonly RenderedSegment[];
  /** The audiences whose rules grant it (`owner`, `authenticated`, ...). */
  readonly audiences: readonly string[];
}

/** A pattern a view must not use for one permission kind, except `except`. */
export interface ViewDeny {
  readonly kind: string;
  /** The inner path that decides for the denied keys. */
  readonly path: ParsedPath;
  /** The outer path whose allow would otherwise leak into `path`. */
  readonly outer: ParsedPath;
  /** The denied pattern (without the final `/*`). */
  readonly segments: readonly RenderedSegment[];
  /** Sub-patterns the view may still use (only for `excludableKinds`). */
  readonly except: readonly (readonly RenderedSegment[])[];
}

/** What one role view may and may not do. */
export interface ViewGrants {
  readonly view: string;
  /** Allowed patterns, with patterns that another allow of the same kind covers removed. */
  readonly allows: readonly ViewAllow[];
  readonly denies: readonly ViewDeny[];
}

/** Options of `compileGrants`. */
export interface CompileGrantsOptions {
  /**
   * Groups that get a view even without group rules (the pool's groups).
   * @default - only the groups named by rules
   */
  readonly groups?: readonly string[];
  /**
   * Kinds for which the renderer can deny a pattern except sub-patterns.
   * @default - none
   */
  readonly excludableKinds?: readonly string[];
  /**
   * Kinds that reveal names below the granted path (listing); when an inner path takes such a
   * kind away, a warning says that listing the outer path still shows the inner key names.
   * @default - none
   */
  readonly listingKinds?: readonly string[];
  /**
   * The argument named in error messages.
   * @default 'path'
   */
  readonly property?: string;
  /**
   * The identity pool's region (may be a token): a `{identity}` segment for any audience but the
   * owner matches only identity ids of the pool, `<region>:<uuid>`.
   * @default - rules with such a segment fail with an internal error
   */
  readonly identityRegion?: string;
}

/** The result of `compileGrants`. */
export interface CompiledGrants {
  /** Views in order: `guest`, `authenticated`, `group:<name>` sorted by name, then `principal:<key>`. */
  readonly views: ReadonlyMap<string, ViewGrants>;
  readonly warnings: readonly string[];
}

interface PathClass {
  readonly path: ParsedPath;
  readonly rules: GrantRule[];
}

/**
 * Compiles rules into per-view allowed and denied patterns. Throws a `ValidationError` for
 * rules whose meaning IAM cannot express without leaking.
 */
export function compileGrants(rules: readonly GrantRule[], options: CompileGrantsOptions = {}): CompiledGrants {
  const property = options.property ?? 'path';
  const excludable = new Set(options.excludableKinds ?? []);
  const listing = new Set(options.listingKinds ?? []);
  const warnings = new Warnings();

  for (const rule of rules) {
    validateRule(rule, property, options.identityRegion);
  }
  const classes = classify(rules);
  checkPartialOverlaps(classes, property);
  for (const c of classes) {
    if (hasDeployTimeValue(c.path)) {
      warnings.add(`\`${describePath(c.path)}\` contains a deploy-time value: it is used as one literal segment, so overlaps with other paths that depend on its value are not checked. Make sure it never holds \`/\`, \`*\` or \`?\`.`);
    }
  }

  const groupNames = new Set<string>(options.groups ?? []);
  const principalViews = new Set<string>();
  for (const rule of rules) {
    // A group rule gets a view of its own unless a group role of the pool (`groups`) is one it reaches.
    if (rule.audience.kind === AudienceKind.GROUP
      && ![...groupNames].some(key => reaches(rule.audience, groupView(key)))) {
      groupNames.add(rule.audience._groupKey());
    }
    if (rule.audience.kind === AudienceKind.PRINCIPAL) {
      principalViews.add(rule.audience._view());
    }
  }
  const viewIds = [GUEST_VIEW, AUTHENTICATED_VIEW, ...[...groupNames].sort().map(groupView), ...principalViews];

  // A view depends only on the rules that reach it: every group without group rules has the
  // authenticated view, computed once (pools may have hundreds of groups).
  const views = new Map<string, ViewGrants>();
  const byReach = new Map<string, ViewGrants>();
  for (const view of viewIds) {
    const reach = rules.map((r, i) => (reaches(r.audience, view) ? i : -1)).filter(i => i >= 0).join(',');
    const known = byReach.get(reach);
    if (known) {
      views.set(view, { ...known, view });
      continue;
    }
    const grants = compileView(view, classes, { property, excludable, listing, warnings, identityRegion: options.identityRegion });
    byReach.set(reach, grants);
    views.set(view, grants);
  }
  return { views, warnings: warnings.list() };
}

/** Whether a view is a back end's (`principal:<key>`), outside the identity pool. */
export function isPrincipalView(view: string): boolean {
  return view.startsWith(PRINCIPAL_VIEW_PREFIX);
}

const PRINCIPAL_VIEW_PREFIX = 'principal:';

/** Whether a rule's audience reaches a view. */
export function reaches(audience: Audience, view: string): boolean {
  switch (audience.kind) {
    case AudienceKind.GUEST:
      return view === GUEST_VIEW;
    case AudienceKind.AUTHENTICATED:
    case AudienceKind.OWNER:
      return view !== GUEST_VIEW && !isPrincipalView(view);
    case AudienceKind.GROUP: {
      // Group keys (role-view.ts): a view of one directory's group is reached by rules for that
      // group naming that directory or none; a view of a group of no named directory (an imported
      // pool's roles, keyed by name), by every rule for that group.
      if (!view.startsWith(GROUP_VIEW_PREFIX)) {
        return false;
      }
      const target = parseGroupKey(view.slice(GROUP_VIEW_PREFIX.length));
      const own = parseGroupKey(audience._groupKey());
      return target.group === own.group && (target.directory === undefined || own.directory === undefined || target.directory === own.directory);
    }
    default:
      return view === audience._view();
  }
}

function validateRule(rule: GrantRule, property: string, identityRegion: string | undefined): void {
  checkAudience(rule.path, rule.audience, property);
  if (rule.audience.kind === AudienceKind.OWNER) {
    return;
  }
  const last = rule.path.segments.length - 1;
  const early = rule.path.segments.findIndex((s, i) => s.kind === 'identity' && i < last);
  if (early >= 0) {
    const rendered = `${renderPrefix(renderSegments(rule.path, rule.audience.kind, identityRegion ?? '<region>'), rule.path.leadingSlash)}/*`;
    invalid(property, describePath(rule.path),
      `For \`${rule.audience}\` a \`{identity}\` segment becomes the shape of any identity id in IAM, whose \`?\` wildcards also match \`/\`, so \`${rendered}\` `
      + 'could not be confined to the path below one identity\'s folder',
      'Put `{identity}` last (e.g. `profiles/{identity}/*`), or use `Audience.owner()` for the caller\'s own keys.');
  }
}

function classify(rules: readonly GrantRule[]): PathClass[] {
  const classes: PathClass[] = [];
  for (const rule of rules) {
    const existing = classes.find(c => sameKeys(c.path, rule.path));
    if (existing) {
      existing.rules.push(rule);
    } else {
      classes.push({ path: rule.path, rules: [rule] });
    }
  }
  return classes;
}

function checkPartialOverlaps(classes: readonly PathClass[], property: string): void {
  for (let i = 0; i < classes.length; i++) {
    for (let j = i + 1; j < classes.length; j++) {
      const a = classes[i].path;
      const b = classes[j].path;
      if (!overlaps(a, b) || isInside(a, b) || isInside(b, a)) {
        continue;
      }
      const both = intersection(a, b)!;
      if (!classes.some(c => sameKeys(c.path, both))) {
        invalid(property, describePath(b),
          `\`${describePath(a)}\` and \`${describePath(b)}\` both cover \`${describePath(both)}\` and neither lies inside the other, so neither decides who may use those keys`,
          `Add a rule on \`${describePath(both)}\` for every audience that may use it, or change one path so that they no longer overlap.`);
      }
    }
  }
}

interface ViewContext {
  readonly property: string;
  readonly identityRegion?: string;
  readonly excludable: ReadonlySet<string>;
  readonly listing: ReadonlySet<string>;
  readonly warnings: Warnings;
}

interface ClassAllow extends ViewAllow {
  readonly classIndex: number;
}

function compileView(view: string, classes: readonly PathClass[], ctx: ViewContext): ViewGrants {
  // Every allowed pattern of the view, per class.
  const allows: ClassAllow[] = [];
  classes.forEach((c, classIndex) => {
    for (const rule of c.rules) {
      if (!reaches(rule.audience, view)) {
        continue;
      }
      const segments = renderSegments(rule.path, rule.audience.kind, ctx.identityRegion);
      for (const kind of new Set(rule.kinds)) {
        const same = allows.find(a => a.kind === kind && a.classIndex === classIndex && samePattern(a.segments, segments));
        if (same) {
          (same.audiences as string[]).push(`${rule.audience}`);
          continue;
        }
        allows.push({ kind, path: rule.path, segments, audiences: [`${rule.audience}`], classIndex });
      }
    }
  });
  const allowsIn = (classIndex: number, kind: string) => allows.filter(a => a.classIndex === classIndex && a.kind === kind);

  const denies: ViewDeny[] = [];
  classes.forEach((inner, innerIndex) => {
    classes.forEach((outer, outerIndex) => {
      if (!isStrictlyInside(inner.path, outer.path)) {
        return;
      }
      for (const leak of allows.filter(a => a.classIndex === outerIndex)) {
        if (neverReaches(leak.segments, inner.path)) {
          continue;
        }
        const denied = meet(leak.segments, inner.path, ctx.identityRegion);
        const own = allowsIn(innerIndex, leak.kind);
        if (own.some(a => contains(a.segments, denied))) {
          continue; // the inner path grants the view at least as much here
        }
        const partial = own.filter(a => intersects(a.segments, denied));
        const deeper = allows.filter(a => a.kind === leak.kind
          && isStrictlyInside(classes[a.classIndex].path, inner.path)
          && intersects(a.segments, denied));
        if ((partial.length > 0 || deeper.length > 0) && !ctx.excludable.has(leak.kind)) {
          failInexpressible(view, leak, inner.path, denied, partial, deeper, ctx.property);
        }
        denies.push({
          kind: leak.kind,
          path: inner.path,
          outer: outer.path,
          segments: denied,
          except: [...partial, ...deeper].map(a => a.segments),
        });
        const lead = inner.path.leadingSlash;
        if (ctx.listing.has(leak.kind)) {
          ctx.warnings.add(`\`${describePath(outer.path)}\` lets ${view} list \`${renderPrefix(leak.segments, lead)}/\`, and a listing returns every key below `
            + `its prefix, so it also shows key names under \`${describePath(inner.path)}\` that ${view} may not list there. `
            + `If those names are sensitive, move \`${describePath(inner.path)}\` out from under \`${describePath(outer.path)}\`, or drop LIST from \`${describePath(outer.path)}\`.`);
        }
        if (denied.some((s, i) => s.kind === 'any' && i < denied.length - 1)) {
          ctx.warnings.add(`The Deny of ${leak.kind} on \`${renderPrefix(denied, lead)}/*\` for ${view} (\`${describePath(inner.path)}\` inside \`${describePath(outer.path)}\`) `
            + 'also matches deeper keys, because `*` in IAM also matches `/`: keys with more segments in place of a token are denied too.');
        }
      }
    });
  });

  return {
    view,
    allows: pruneAllows(allows).map(({ kind, path, segments, audiences }) => ({ kind, path, segments, audiences })),
    denies: pruneDenies(denies),
  };
}

function failInexpressible(view: string, leak: ViewAllow, inner: ParsedPath, denied: readonly RenderedSegment[],
  partial: readonly ViewAllow[], deeper: readonly ViewAllow[], property: string): never {
  const lead = inner.leadingSlash;
  const outerAudiences = leak.audiences.join(', ');
  const pattern = `\`${renderPrefix(denied, lead)}/*\``;
  if (partial.length > 0) {
    const kept = partial.map(a => `\`${renderPrefix(a.segments, lead)}/*\``).join(', ');
    const keptBy = [...new Set(partial.flatMap(a => a.audiences))].join(', ');
    invalid(property, describePath(inner),
      `\`${describePath(leak.path)}\` gives ${outerAudiences} ${leak.kind} on keys inside \`${describePath(inner)}\`, where only ${keptBy} may ${leak.kind}, and only ${kept}. `
      + `IAM cannot deny ${leak.kind} on ${pattern} except ${kept} (these requests carry no condition key with their object key or path), so ${view} would keep ${leak.kind} on all of ${pattern}`,
      `Also grant ${leak.kind} on \`${describePath(inner)}\` to ${outerAudiences}, move \`${describePath(inner)}\` out from under \`${describePath(leak.path)}\`, `
      + `or drop ${leak.kind} from the ${outerAudiences} rule on \`${describePath(leak.path)}\`.`);
  }
  const regranted = [...new Set(deeper.map(a => describePath(a.path)))].map(p => `\`${p}\``).join(', ');
  invalid(property, describePath(inner),
    `\`${describePath(inner)}\` takes ${leak.kind} (granted to ${outerAudiences} on \`${describePath(leak.path)}\`) away from ${view}, but the deeper ${regranted} gives it back. `
    + `IAM cannot deny ${leak.kind} on ${pattern} except a deeper pattern (these requests carry no condition key with their object key or path)`,
    `Also grant ${leak.kind} on \`${describePath(inner)}\` to the audiences of ${regranted}, or move ${regranted} out from under \`${describePath(inner)}\`.`);
}

/**
 * Whether an allowed pattern can never reach into `inner` for any caller: an identity id
 * (`<region>:<uuid>`, always with a `:`) never equals a literal without `:`, so neither the owner's
 * `users/${sub}/*` nor anyone's `users/<region>:????????-...` reaches `users/shared/*`. (Both
 * patterns start with text that has no wildcard and holds the `:`: the variable, or the region.)
 */
function neverReaches(allowed: readonly RenderedSegment[], inner: ParsedPath): boolean {
  return inner.segments.some((segment, i) => (allowed[i]?.kind === 'identity' || allowed[i]?.kind === 'anyIdentity')
    && segment.kind === 'literal' && !segment.deployTime && !segment.value.includes(':'));
}

/**
 * The part of an allowed pattern that falls inside `inner`: per segment the more concrete of the
 * two (a literal over the caller's identity or tag, those over any identity id, those over `*`).
 * Where the allowed pattern is shorter, an inner `{identity}` is any identity id of the pool and an
 * inner `{tag:NAME}` is `*` (any value). It covers every key of the leak for every caller.
 */
export function meet(allowed: readonly RenderedSegment[], inner: ParsedPath, identityRegion?: string): RenderedSegment[] {
  return inner.segments.map((segment, i): RenderedSegment => {
    if (segment.kind === 'literal') {
      return { kind: 'literal', value: segment.value };
    }
    const a = allowed[i];
    if (a !== undefined) {
      return a;
    }
    return segment.kind === 'identity' ? { kind: 'anyIdentity', region: requireRegion(identityRegion) } : { kind: 'any' };
  });
}

/** Whether pattern `a` covers every key of pattern `b` for every caller. */
export function contains(a: readonly RenderedSegment[], b: readonly RenderedSegment[]): boolean {
  if (a.length > b.length) {
    return false;
  }
  return a.every((s, i) => {
    const t = b[i];
    switch (s.kind) {
      case 'any':
        return true;
      case 'anyIdentity':
        // Any identity id covers the caller's own and any identity id, not arbitrary text.
        return t.kind === 'identity' || (t.kind === 'anyIdentity' && t.region === s.region);
      case 'literal':
        return t.kind === 'literal' && t.value === s.value;
      case 'identity':
        return t.kind === 'identity';
      default:
        return t.kind === 'tag' && t.name === s.name;
    }
  });
}

/** Whether patterns `a` and `b` may share a key for some caller. */
export function intersects(a: readonly RenderedSegment[], b: readonly RenderedSegment[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const s = a[i];
    const t = b[i];
    if (s.kind === 'literal' && t.kind === 'literal' && s.value !== t.value) {
      return false;
    }
  }
  return true;
}

function samePattern(a: readonly RenderedSegment[], b: readonly RenderedSegment[]): boolean {
  return a.length === b.length && contains(a, b) && contains(b, a);
}

/**
 * Drops allows that another allow of the same kind covers, if that other allow reaches every
 * view the dropped one reaches: the owner's `protected/${sub}` goes when authenticated has
 * `protected/*`, but not when only `group:admins` has `private/*` (then every authenticated
 * view keeps the same owner statement, and the statements common to all roles stay common).
 */
function pruneAllows(allows: readonly ClassAllow[]): ClassAllow[] {
  return allows.filter((a, i) => !allows.some((b, j) => j !== i && b.kind === a.kind && contains(b.segments, a.segments)
    && (!contains(a.segments, b.segments) || j < i)
    && a.audiences.every(x => b.audiences.some(y => reachesAtLeast(y, x)))));
}

/** Whether audience `wider` (as `Audience.toString()`) reaches every view that `narrower` reaches. */
function reachesAtLeast(wider: string, narrower: string): boolean {
  if (wider === narrower) {
    return true;
  }
  const everyAuthenticatedView = wider === 'authenticated' || wider === 'owner';
  return everyAuthenticatedView && narrower !== 'guest' && !isPrincipalView(narrower);
}

function patternKey(segments: readonly RenderedSegment[]): string {
  return renderPrefix(segments);
}

function pruneDenies(denies: readonly ViewDeny[]): ViewDeny[] {
  const unique: ViewDeny[] = [];
  for (const d of denies) {
    if (!unique.some(u => u.kind === d.kind && samePattern(u.segments, d.segments) && sameExceptions(u, d))) {
      unique.push(d);
    }
  }
  // Drop a deny that a broader one of the same kind already covers (with no more exceptions).
  return unique.filter((d, i) => !unique.some((u, j) => j !== i && u.kind === d.kind
    && contains(u.segments, d.segments) && !samePattern(u.segments, d.segments)
    && u.except.every(e => d.except.some(x => patternKey(x) === patternKey(e)))));
}

function sameExceptions(a: ViewDeny, b: ViewDeny): boolean {
  const x = a.except.map(patternKey).sort().join('\n');
  const y = b.except.map(patternKey).sort().join('\n');
  return x === y;
}

class Warnings {
  private readonly items: string[] = [];
  public add(message: string): void {
    if (!this.items.includes(message)) {
      this.items.push(message);
    }
  }
  public list(): string[] {
    return [...this.items];
  }
}

/**
 * Expands `Access` values into the permission kinds every renderer uses:
 * `GET`, `LIST`, `WRITE`, `DELETE` (`READ` is `GET` + `LIST`), in that order.
 */
export function accessKinds(access: readonly Access[]): string[] {
  const kinds = new Set<string>();
  for (const a of access) {
    switch (a) {
      case Access.READ:
        kinds.add('GET');
        kinds.add('LIST');
        break;
      case Access.GET:
      case Access.LIST:
      case Access.WRITE:
      case Access.DELETE:
        kinds.add(a);
        break;
      default:
        invalid('access', a, 'is not an `Access` value', 'Pass `Access.READ`, `Access.GET`, `Access.LIST`, `Access.WRITE` or `Access.DELETE`.');
    }
  }
  return ['GET', 'LIST', 'WRITE', 'DELETE'].filter(k => kinds.has(k));
}

/**
 * Renders every view's grants into merged statements. Views that the same rules reach share one
 * `ViewGrants` (see compileGrants), so each distinct grant set is rendered once, however many
 * group views share it.
 */
export function renderViews(compiled: CompiledGrants, render: (grants: ViewGrants) => Statement[]): Map<string, readonly Statement[]> {
  const views = new Map<string, readonly Statement[]>();
  const rendered = new Map<readonly ViewAllow[], readonly Statement[]>();
  for (const [view, grants] of compiled.views) {
    let statements = rendered.get(grants.allows);
    if (statements === undefined) {
      statements = mergeStatements(render(grants));
      rendered.set(grants.allows, statements);
    }
    views.set(view, statements);
  }
  return views;
}
