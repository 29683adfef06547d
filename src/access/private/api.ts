import { Token } from 'aws-cdk-lib';
import { invalid } from '../../private/errors';
import { Audience } from '../audience';
import { compileGrants, CompiledGrants, GrantRule, renderViews, ViewAllow, ViewDeny } from './compile';
import { Statement } from './fit';
import { ParsedPath, parsePath, renderPrefix, RenderedSegment } from './path';
import { tagGuard } from './s3';

/*
 * The API Gateway renderer: route rules -> `execute-api:Invoke` statements for one API stage, on
 * top of compileGrants. The permission kinds are the HTTP methods; `*` is every method.
 *
 * A route pattern `/notes/*` covers `/notes` itself and everything below it, so it renders as two
 * resources: `<stageArn>/<METHOD>/notes` and `<stageArn>/<METHOD>/notes/*`. The root pattern `/*`
 * renders as `<stageArn>/<METHOD>/*` (which covers `/` too). Methods are always listed one by one:
 * a `*` in the method slot would also match `/` and so reach other routes (`<stage>/* /admin`
 * covers `GET /notes/1/admin`), so it is never emitted, not even for a rule on every method.
 *
 * When an inner route takes methods away from an outer one, compileGrants emits Denies on the
 * inner pattern; as invocations carry no condition key with their path, IAM cannot deny a pattern
 * except a deeper one, and compileGrants fails to compile such rules instead of leaking.
 *
 * Principal tags in a route are guarded like bucket keys: the tag is set and non-empty and holds
 * no `/` (which would reach into another tag value's routes).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */

/** The HTTP methods a rule can name, in the order they are rendered. */
export const HTTP_METHODS: readonly string[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/** The invoke action. */
export const INVOKE_ACTION = 'execute-api:Invoke';

/**
 * Validates methods and expands `*` (and its API Gateway spelling `ANY`) into every method.
 * Methods are case-insensitive (`get` is `GET`).
 */
export function parseMethods(methods: readonly string[], property = 'methods'): string[] {
  if (!Array.isArray(methods) || methods.length === 0) {
    invalid(property, methods, 'A route rule needs at least one HTTP method',
      'Name the methods, e.g. `\'GET\', \'POST\'`, or `\'*\'` for every method.');
  }
  const result = new Set<string>();
  for (const method of methods) {
    if (typeof method !== 'string' || Token.isUnresolved(method)) {
      invalid(property, method, 'A method must be known at synth', `Use one of ${HTTP_METHODS.map(m => `\`${m}\``).join(', ')} or \`*\`.`);
    }
    const upper = method.trim().toUpperCase();
    if (upper === '*' || upper === 'ANY') {
      HTTP_METHODS.forEach(m => result.add(m));
    } else if (HTTP_METHODS.includes(upper)) {
      result.add(upper);
    } else {
      invalid(property, method, 'is not an HTTP method that API Gateway routes',
        `Use one of ${HTTP_METHODS.map(m => `\`${m}\``).join(', ')} or \`*\` for every method.`);
    }
  }
  return HTTP_METHODS.filter(m => result.has(m));
}

/** One route rule. */
export interface ApiRule {
  /** A route pattern such as `/notes/*` (parsed with the options' `mappedTags`) or a parsed one. */
  readonly path: string | ParsedPath;
  readonly audience: Audience;
  /** HTTP methods, `*` for every method. */
  readonly methods: readonly string[];
}

/** Options of `compileApiPolicies`. */
export interface ApiPolicyOptions {
  /**
   * The execute-api ARN of the stage, `arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>`
   * (may contain tokens; concatenated, never parsed).
   */
  readonly stageArn: string;
  /**
   * The identity pool's region (may be a token): a `{identity}` segment for any audience but the
   * owner matches only identity ids of the pool (`<region>:<uuid>`).
   */
  readonly identityRegion: string;
  /** @default - only the groups named by rules get a view */
  readonly groups?: readonly string[];
  /** @default - `{tag:NAME}` is not checked against a mapping */
  readonly mappedTags?: Iterable<string>;
  /** @default 'path' */
  readonly property?: string;
}

/** Per view (`guest`, `authenticated`, `group:<name>`), merged statements, and warnings. */
export interface ApiPolicies {
  readonly views: ReadonlyMap<string, readonly Statement[]>;
  readonly warnings: readonly string[];
}

/** Parses a route pattern (`/notes/*`, `/users/{identity}/*`, or `/*` for every route). */
export function parseRoute(path: string, audience: Audience, mappedTags?: Iterable<string>, property = 'path'): ParsedPath {
  return parsePath(path, { property, leadingSlash: true, allowRoot: true, mappedTags, audience });
}

/** The resources of a pattern for a method: the path itself and everything below it. */
export function routeArns(stageArn: string, method: string, segments: readonly RenderedSegment[]): string[] {
  if (!HTTP_METHODS.includes(method)) {
    // A `*` (or anything but one method) in the method slot would also match `/` and reach other routes.
    throw new Error(`internal error: the method slot of an execute-api ARN must hold one HTTP method, not ${JSON.stringify(method)}`);
  }
  if (segments.length === 0) {
    return [`${stageArn}/${method}/*`];
  }
  const prefix = renderPrefix(segments);
  return [`${stageArn}/${method}/${prefix}`, `${stageArn}/${method}/${prefix}/*`];
}

/**
 * Compiles route rules into merged IAM statements per role view.
 */
export function compileApiPolicies(rules: readonly ApiRule[], options: ApiPolicyOptions): ApiPolicies {
  const compiled = apiGrants(rules, options);
  const views = renderViews(compiled, grants => [
    ...byPattern(grants.allows).map(({ segments, methods }) => allowStatement(options.stageArn, segments, methods)),
    ...byPattern(grants.denies).map(({ segments, methods }) => ({
      effect: 'Deny' as const,
      actions: [INVOKE_ACTION],
      resources: methods.flatMap(m => routeArns(options.stageArn, m, segments)),
    })),
  ]);
  return { views, warnings: compiled.warnings };
}

/**
 * Checks route rules the way `compileApiPolicies` does (every error it can throw), without
 * rendering statements: for `allow()`, which checks each rule as it is added.
 */
export function checkApiRules(rules: readonly ApiRule[], options: Omit<ApiPolicyOptions, 'stageArn'>): void {
  apiGrants(rules, options);
}

function apiGrants(rules: readonly ApiRule[], options: Omit<ApiPolicyOptions, 'stageArn'>): CompiledGrants {
  const property = options.property ?? 'path';
  const mappedTags = options.mappedTags === undefined ? undefined : [...options.mappedTags];
  const grantRules: GrantRule[] = rules.map(rule => {
    const path = typeof rule.path === 'string' ? parseRoute(rule.path, rule.audience, mappedTags, property) : rule.path;
    if (!path.leadingSlash) {
      invalid(property, path.text, 'A route pattern must start with `/`', `Write \`/${path.text}\`.`);
    }
    return { path, audience: rule.audience, kinds: parseMethods(rule.methods) };
  });
  return compileGrants(grantRules, { groups: options.groups, property, identityRegion: options.identityRegion });
}

/** Groups allows (or denies) by pattern, methods listed one by one in `HTTP_METHODS` order. */
function byPattern(items: readonly (ViewAllow | ViewDeny)[]): Array<{ segments: readonly RenderedSegment[]; methods: string[] }> {
  const groups = new Map<string, { segments: readonly RenderedSegment[]; methods: Set<string> }>();
  for (const item of items) {
    const key = JSON.stringify(item.segments);
    const group = groups.get(key) ?? { segments: item.segments, methods: new Set<string>() };
    group.methods.add(item.kind);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ segments, methods }) => ({
    segments,
    methods: HTTP_METHODS.filter(m => methods.has(m)),
  }));
}

function allowStatement(stageArn: string, segments: readonly RenderedSegment[], methods: readonly string[]): Statement {
  const guard = tagGuard(segments);
  const conditions: { [operator: string]: { [key: string]: string[] } } = {};
  if (Object.keys(guard.like).length > 0) {
    conditions.StringLike = guard.like;
    conditions.StringNotLike = guard.notLike;
  }
  return {
    effect: 'Allow',
    actions: [INVOKE_ACTION],
    resources: methods.flatMap(m => routeArns(stageArn, m, segments)),
    ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
  };
}
