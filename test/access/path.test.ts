import { Lazy } from 'aws-cdk-lib';
import { Audience, AudienceKind } from '../../src/access/audience';
import {
  checkAudience, checkTags, describePath, hasDeployTimeValue, intersection, isInside, isStrictlyInside, overlaps, parsePath,
  renderPath, renderPrefix, renderSegments, sameKeys,
} from '../../src/access/private/path';
import { ValidationError } from '../../src/private/errors';

const SUB = '${cognito-identity.amazonaws.com:sub}';

describe('parsePath', () => {
  test('parses literals, {identity} and {tag:NAME} at any depth', () => {
    // WHEN
    const path = parsePath('tenants/{tag:tenant}/users/{identity}/*', { mappedTags: ['tenant'] });

    // THEN
    expect(path).toEqual({
      text: 'tenants/{tag:tenant}/users/{identity}/*',
      leadingSlash: false,
      segments: [
        { kind: 'literal', value: 'tenants', deployTime: false },
        { kind: 'tag', name: 'tenant' },
        { kind: 'literal', value: 'users', deployTime: false },
        { kind: 'identity' },
      ],
    });
  });

  test('parses an API route with the leading-slash option', () => {
    // WHEN
    const path = parsePath('/notes/{identity}/*', { leadingSlash: true });

    // THEN
    expect(path.leadingSlash).toBe(true);
    expect(path.segments).toEqual([{ kind: 'literal', value: 'notes', deployTime: false }, { kind: 'identity' }]);
    expect(renderPath(path, AudienceKind.OWNER)).toBe(`/notes/${SUB}/*`);
  });

  test('accepts the root pattern only when allowed', () => {
    // WHEN
    const root = parsePath('/*', { leadingSlash: true, allowRoot: true });

    // THEN
    expect(root.segments).toEqual([]);
    expect(renderPath(root, AudienceKind.AUTHENTICATED)).toBe('/*');
  });

  test('accepts characters S3 keys allow', () => {
    // WHEN
    const path = parsePath('Reports 2024/q1+q2=all@x (draft)/*');

    // THEN
    expect(path.segments).toHaveLength(2);
  });

  test('a deploy-time value may fill a segment or part of one', () => {
    // GIVEN
    const tenant = Lazy.string({ produce: () => 'acme' });

    // WHEN
    const path = parsePath(`tenants/${tenant}/shared-${tenant}/*`);

    // THEN
    expect(path.segments).toEqual([
      { kind: 'literal', value: 'tenants', deployTime: false },
      { kind: 'literal', value: tenant, deployTime: true },
      { kind: 'literal', value: `shared-${tenant}`, deployTime: true },
    ]);
    expect(hasDeployTimeValue(path)).toBe(true);
    expect(describePath(path)).toBe('tenants/<deploy-time value>/<deploy-time value>/*');
    expect(renderPath(path, AudienceKind.AUTHENTICATED)).toBe(`tenants/${tenant}/shared-${tenant}/*`);
  });

  test.each([
    ['', '`path`: A path must not be empty (received ""). Give a key pattern ending in `/*`, e.g. `public/*` or `protected/{identity}/*`.'],
    ['/public/*', '`path`: An object key pattern is relative to the bucket and must not start with `/` (received "/public/*"). Remove the leading `/`, e.g. `public/*`.'],
    ['public', '`path`: A path must end with `/*` (it covers everything below it) (received "public"). Write the prefix followed by `/*`'],
    ['public/', '`path`: A path must end with `/*` (it covers everything below it) (received "public/").'],
    ['public/**', '`path`: A `*` may only appear in the final `/*` (received "public/**").'],
    ['*', '`path`: A path must name at least one segment; a rule never covers everything (received "*"). Name a prefix'],
    ['public//docs/*', '`path`: A path must not contain an empty segment (`//`) (received "public//docs/*"). Remove the doubled `/`.'],
    ['public/../private/*', '`path`: A path must not contain a `..` segment: S3 keys are literal and `..` never navigates (received "public/../private/*").'],
    ['./public/*', '`path`: A path must not contain a `.` segment'],
    ['users/*/docs/*', '`path`: A `*` may only appear in the final `/*` (received "users/*/docs/*"). Use `{identity}` or `{tag:NAME}` for a segment that varies'],
    ['users/a*/*', '`path`: A `*` may only appear in the final `/*` (received "users/a*/*")'],
    ['users/file?/*', '`path`: A `?` is a wildcard in IAM and would match any character (received "users/file?/*"). Remove the `?` from the path.'],
    ['users/$x/*', '`path`: A `$` would start an IAM policy variable (received "users/$x/*").'],
    ['users/{id}/*', '`path`: `{id}` is not a known token (received "users/{id}/*"). Use `{identity}` (the identity pool identity id) or `{tag:NAME}` (a mapped principal tag).'],
    ['users/{Identity}/*', '`{Identity}` is not a known token'],
    ['users/{tag:}/*', '`path`: `{tag:}` does not name a valid principal tag (received "users/{tag:}/*"). Write `{tag:NAME}`'],
    ['users/{tag:a b}/*', '`{tag:a b}` does not name a valid principal tag'],
    ['users/user-{identity}/*', '`path`: A token must fill a whole segment, but `user-{identity}` mixes it with other text (received "users/user-{identity}/*"). Put `{identity}` or `{tag:NAME}` in a segment of its own'],
    ['users/{identity}.d/*', 'A token must fill a whole segment, but `{identity}.d` mixes it with other text'],
    ['users/{identity}{identity}/*', 'A token must fill a whole segment'],
    ['users/{x/*', '`path`: Braces are only allowed around `{identity}` or `{tag:NAME}` (received "users/{x/*"). Remove the stray `{` or `}`.'],
    ['users/a\tb/*', '`path`: A path must not contain control characters'],
  ])('fails for %j', (text, message) => {
    // WHEN / THEN
    expect(() => parsePath(text)).toThrow(ValidationError);
    expect(() => parsePath(text)).toThrow(message);
  });

  test('fails for a route without its leading slash', () => {
    // WHEN / THEN
    expect(() => parsePath('notes/*', { leadingSlash: true, property: 'route' }))
      .toThrow('`route`: A route pattern must start with `/` (received "notes/*"). Write `/notes/*`.');
  });

  test('fails for a deploy-time path whose final /* is not visible', () => {
    // GIVEN
    const whole = Lazy.string({ produce: () => 'public/*' });

    // WHEN / THEN
    expect(() => parsePath(whole)).toThrow('`path`: A path must end with `/*` (it covers everything below it) (received <token>).');
    expect(() => parsePath(whole)).toThrow('the final `/*` must be visible at synth time');
  });

  test('fails for a wildcard next to a deploy-time value', () => {
    // GIVEN
    const tenant = Lazy.string({ produce: () => 'acme' });

    // WHEN / THEN
    expect(() => parsePath(`tenants/${tenant}*/*`)).toThrow('A `*` may only appear in the final `/*`');
  });

  test('fails for a tag that the pool does not map', () => {
    // WHEN / THEN
    expect(() => parsePath('teams/{tag:team}/*', { mappedTags: ['tenant', 'dept'] }))
      .toThrow('`path`: `{tag:team}` names a principal tag that the identity pool does not map (mapped tags: `dept`, `tenant`) (received "teams/{tag:team}/*"). '
        + 'Add `team` to the identity pool\'s `principalTags`, or use one of the mapped tags.');
    expect(() => parsePath('teams/{tag:team}/*', { mappedTags: [] }))
      .toThrow('(the identity pool maps no principal tags)');
    expect(() => checkTags(parsePath('teams/{tag:team}/*'), new Set(['tenant']), 'rules')).toThrow('`rules`: `{tag:team}`');
  });

  test('fails for an owner audience on a path without {identity}', () => {
    // WHEN / THEN
    expect(() => parsePath('public/*', { audience: Audience.owner() }))
      .toThrow('`path`: `Audience.owner()` needs a `{identity}` segment that says which part of the path is the owner\'s (received "public/*"). '
        + 'Add `{identity}` to the path (e.g. `private/{identity}/*`) or use another audience.');
    expect(() => checkAudience(parsePath('tenants/{tag:tenant}/*'), Audience.owner())).toThrow('needs a `{identity}` segment');
    expect(() => checkAudience(parsePath('public/*'), Audience.authenticated())).not.toThrow();
  });
});

describe('rendering', () => {
  const path = parsePath('tenants/{tag:tenant}/users/{identity}/*');

  test('{identity} is the caller\'s id for the owner and any identity id of the pool for every other audience', () => {
    // WHEN / THEN: never a bare `*` (which also matches `/`, the empty segment and any folder)
    const anyId = 'eu-west-1:????????-????-????-????-????????????';
    expect(renderPath(path, AudienceKind.OWNER)).toBe(`tenants/\${aws:PrincipalTag/tenant}/users/${SUB}/*`);
    expect(renderPath(path, AudienceKind.AUTHENTICATED, 'eu-west-1')).toBe(`tenants/\${aws:PrincipalTag/tenant}/users/${anyId}/*`);
    expect(renderPath(path, AudienceKind.GROUP, 'eu-west-1')).toBe(`tenants/\${aws:PrincipalTag/tenant}/users/${anyId}/*`);
    expect(renderPath(path, AudienceKind.GUEST, 'eu-west-1')).toBe(`tenants/\${aws:PrincipalTag/tenant}/users/${anyId}/*`);
  });

  test('{identity} for a non-owner cannot render without the pool\'s region', () => {
    expect(() => renderPath(path, AudienceKind.AUTHENTICATED)).toThrow(/needs the identity pool's region/);
    expect(() => renderPath(path, AudienceKind.GUEST, '')).toThrow(/needs the identity pool's region/);
  });

  test('{tag:NAME} is the principal tag for every audience', () => {
    // WHEN
    const rendered = [AudienceKind.GUEST, AudienceKind.AUTHENTICATED, AudienceKind.OWNER, AudienceKind.GROUP]
      .map(kind => renderSegments(parsePath('t/{tag:dept}/*'), kind));

    // THEN
    for (const segments of rendered) {
      expect(segments).toEqual([{ kind: 'literal', value: 't' }, { kind: 'tag', name: 'dept' }]);
      expect(renderPrefix(segments)).toBe('t/${aws:PrincipalTag/dept}');
    }
  });
});

describe('relations', () => {
  const p = (text: string) => parsePath(text);

  test('a deeper path is inside its prefix, not the other way round', () => {
    // THEN
    expect(isInside(p('docs/secret/*'), p('docs/*'))).toBe(true);
    expect(isInside(p('docs/*'), p('docs/secret/*'))).toBe(false);
    expect(isInside(p('docs/*'), p('docs/*'))).toBe(true);
    expect(isStrictlyInside(p('docs/*'), p('docs/*'))).toBe(false);
    expect(isInside(p('docs/*'), p('other/*'))).toBe(false);
  });

  test('a literal lies inside a token at the same position (the literal is more specific)', () => {
    // THEN
    expect(isStrictlyInside(p('users/admin/*'), p('users/{identity}/*'))).toBe(true);
    expect(isInside(p('users/{identity}/*'), p('users/admin/*'))).toBe(false);
    expect(isStrictlyInside(p('users/{identity}/docs/*'), p('users/{identity}/*'))).toBe(true);
  });

  test('token kinds match any segment: {identity} and {tag:...} at the same place cover the same keys', () => {
    // THEN
    expect(sameKeys(p('x/{identity}/*'), p('x/{tag:t}/*'))).toBe(true);
    expect(sameKeys(p('x/{identity}/*'), p('x/{identity}/*'))).toBe(true);
    expect(sameKeys(p('x/{identity}/*'), p('x/y/*'))).toBe(false);
  });

  test('overlap and intersection', () => {
    // THEN
    expect(overlaps(p('a/{identity}/c/*'), p('a/b/*'))).toBe(true);
    expect(intersection(p('a/{identity}/c/*'), p('a/b/*'))?.text).toBe('a/b/c/*');
    expect(intersection(p('x/{tag:t}/*'), p('x/{identity}/y/*'))?.text).toBe('x/{tag:t}/y/*');
    expect(overlaps(p('a/b/*'), p('a/c/*'))).toBe(false);
    expect(intersection(p('a/b/*'), p('a/c/*'))).toBeUndefined();
    expect(overlaps(p('a/*'), p('a/b/c/*'))).toBe(true);
  });

  test('deploy-time literals compare as text', () => {
    // GIVEN
    const t = Lazy.string({ produce: () => 'x' });

    // THEN
    expect(isInside(p(`a/${t}/*`), p(`a/${t}/*`))).toBe(true);
    expect(isInside(p(`a/${t}/*`), p('a/{identity}/*'))).toBe(true);
    expect(overlaps(p(`a/${t}/*`), p('a/b/*'))).toBe(false);
  });
});
