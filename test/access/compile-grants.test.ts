import { Access } from '../../src/access/access';
import { Audience } from '../../src/access/audience';
import { accessKinds, compileGrants, contains, groupView, intersects, reaches } from '../../src/access/private/compile';
import { RenderedSegment, parsePath, renderPrefix } from '../../src/access/private/path';
import { ValidationError } from '../../src/private/errors';
import type { IUserDirectory } from '../../src/user-directory/i-user-directory';

/*
 * The compiler's own contract, stated from DESIGN.md's security model ("Owner and authenticated
 * rules reach every signed-in role; group rules only that group's role; guest rules only the guest
 * role; a back end's rules only that back end") and IAM semantics, directly on `compileGrants`.
 */
describe('compileGrants', () => {
  const grant = (path: string, audience: Audience, kinds: string[]) => ({ path: parsePath(path), audience, kinds });
  const allowsOf = (result: ReturnType<typeof compileGrants>, view: string) =>
    result.views.get(view)!.allows.map(a => `${a.kind} ${renderPrefix(a.segments)} ${a.audiences.join('+')}`);
  const deniesOf = (result: ReturnType<typeof compileGrants>, view: string) =>
    result.views.get(view)!.denies.map(d => `${d.kind} ${renderPrefix(d.segments)}${d.except.length ? ` except ${d.except.map(e => renderPrefix(e)).join(',')}` : ''}`);

  test('without `groups`, only the guest and authenticated views exist when no rule names a group', () => {
    // WHEN
    const result = compileGrants([grant('public/*', Audience.authenticated(), ['GET'])]);

    // THEN
    expect([...result.views.keys()]).toEqual(['guest', 'authenticated']);
  });

  test('fails naming `path` when no property is given', () => {
    // WHEN / THEN
    expect(() => compileGrants([grant('public/*', Audience.owner(), ['GET'])])).toThrow(expect.objectContaining({ property: 'path' }));
    expect(() => compileGrants([grant('public/*', Audience.owner(), ['GET'])], { property: 'route' })).toThrow(expect.objectContaining({ property: 'route' }));
  });

  test('a rule for a group without a directory reaches the pool\'s directory-keyed role of that group: no second view', () => {
    // GIVEN: the pool's `admins` group of one directory (group key `admins <directory key>`)
    const poolGroup = 'admins us-east-1_Example';

    // WHEN
    const result = compileGrants([grant('admin/*', Audience.group('admins'), ['GET'])], { groups: [poolGroup] });

    // THEN
    expect([...result.views.keys()]).toEqual(['guest', 'authenticated', groupView(poolGroup)]);
    expect(allowsOf(result, groupView(poolGroup))).toEqual(['GET admin group:admins']);
    expect(allowsOf(result, 'authenticated')).toEqual([]);
  });

  test('a back end\'s rules get a view of their own, after the groups, that no pool role shares', () => {
    // GIVEN
    const backEnd = Audience.principal({ grantPrincipal: {} } as any);

    // WHEN
    const result = compileGrants([
      grant('public/*', Audience.authenticated(), ['GET']),
      grant('thumbnails/*', backEnd, ['WRITE']),
      grant('admin/*', Audience.group('admins'), ['GET']),
    ]);

    // THEN
    expect([...result.views.keys()]).toEqual(['guest', 'authenticated', 'group:admins', backEnd._view()]);
    expect(backEnd._view()).toMatch(/^principal:/);
    expect(allowsOf(result, backEnd._view())).toEqual([`WRITE thumbnails ${backEnd}`]);
    expect(allowsOf(result, 'authenticated')).toEqual(['GET public authenticated']);
    expect(allowsOf(result, 'group:admins')).toEqual(['GET public authenticated', 'GET admin group:admins']);
    expect(allowsOf(result, 'guest')).toEqual([]);
  });

  test('every group view gets its own group\'s rules, never another group\'s', () => {
    // WHEN
    const result = compileGrants([
      grant('admin/*', Audience.group('admins'), ['GET']),
      grant('edits/*', Audience.group('editors'), ['WRITE']),
    ]);

    // THEN
    expect(allowsOf(result, 'group:admins')).toEqual(['GET admin group:admins']);
    expect(allowsOf(result, 'group:editors')).toEqual(['WRITE edits group:editors']);
  });

  test('views reached by different rule sets never share grants, however many rules there are', () => {
    // GIVEN: `a` is reached by rules 1 and 2, `b` by rule 12 alone, `c` by all the others
    const rules = Array.from({ length: 13 }, (_, i) => {
      const group = i === 1 || i === 2 ? 'a' : i === 12 ? 'b' : 'c';
      return grant(`r${i}/*`, Audience.group(group), ['GET']);
    });

    // WHEN
    const result = compileGrants(rules);

    // THEN
    expect(allowsOf(result, 'group:a')).toEqual(['GET r1 group:a', 'GET r2 group:a']);
    expect(allowsOf(result, 'group:b')).toEqual(['GET r12 group:b']);
  });

  test('rules on one path add up: an authenticated rule beside an owner rule on `{identity}` keeps everyone\'s folders listable', () => {
    // WHEN
    const result = compileGrants([
      grant('users/*', Audience.authenticated(), ['LIST']),
      grant('users/{identity}/*', Audience.owner(), ['GET', 'LIST']),
      grant('users/{identity}/*', Audience.authenticated(), ['LIST']),
    ], { identityRegion: 'us-east-1', excludableKinds: ['LIST'] });

    // THEN: the inner class grants LIST on every identity folder, so nothing of users/* is taken away
    expect(deniesOf(result, 'authenticated')).toEqual([]);
  });

  test('audiences that grant the same pattern and kind share one allow; other kinds stay apart', () => {
    // WHEN
    const result = compileGrants([
      grant('docs/*', Audience.authenticated(), ['GET']),
      grant('docs/*', Audience.group('admins'), ['GET', 'LIST']),
    ]);

    // THEN
    expect(allowsOf(result, 'group:admins')).toEqual(['GET docs authenticated+group:admins', 'LIST docs group:admins']);
    expect(allowsOf(result, 'authenticated')).toEqual(['GET docs authenticated']);
  });

  test('only allows of an outer path leak into an inner path, and only of the kind the inner path takes away', () => {
    // WHEN: public/ has nothing to do with docs/secret/; docs/secret/public/ gives back LIST, not GET
    const result = compileGrants([
      grant('public/*', Audience.authenticated(), ['GET']),
      grant('docs/*', Audience.authenticated(), ['GET']),
      grant('docs/secret/*', Audience.group('admins'), ['GET']),
      grant('docs/secret/public/*', Audience.authenticated(), ['LIST']),
    ]);

    // THEN
    expect(deniesOf(result, 'authenticated')).toEqual(['GET docs/secret']);
  });

  test('a Deny whose only `*` is its last segment does not warn about deeper keys', () => {
    // WHEN
    const result = compileGrants([
      grant('tenants/*', Audience.authenticated(), ['LIST']),
      grant('tenants/{tag:tenant}/*', Audience.authenticated(), ['GET', 'LIST']),
    ], { excludableKinds: ['LIST'] });

    // THEN
    expect(deniesOf(result, 'authenticated')).toEqual(['LIST tenants/* except tenants/${aws:PrincipalTag/tenant}']);
    expect(result.warnings.filter(w => w.includes('also matches deeper keys'))).toEqual([]);
  });

  test('fails for {identity} as the first of several segments for an audience other than the owner', () => {
    // WHEN / THEN
    expect(() => compileGrants([grant('{identity}/shared/*', Audience.authenticated(), ['GET'])], { identityRegion: 'us-east-1' }))
      .toThrow('so `us-east-1:????????-????-????-????-????????????/shared/*` could not be confined');
    expect(() => compileGrants([grant('{identity}/*', Audience.authenticated(), ['GET'])], { identityRegion: 'us-east-1' })).not.toThrow();
    // without a region the message shows where it goes
    expect(() => compileGrants([grant('users/{identity}/shared/*', Audience.authenticated(), ['GET'])]))
      .toThrow('so `users/<region>:????????-????-????-????-????????????/shared/*` could not be confined');
  });
});

describe('reaches', () => {
  const directory = (id: string) => ({ userPoolId: id, node: { path: `Stack/${id}` } }) as unknown as IUserDirectory;

  test('a group rule reaches only group views, whatever the group is called', () => {
    // THEN: `authenticated`.slice(6) is `ticated`; a group of that name is still only a group
    expect(reaches(Audience.group('ticated'), 'authenticated')).toBe(false);
    expect(reaches(Audience.group('ticated'), groupView('ticated'))).toBe(true);
  });

  test('a rule for one directory\'s group reaches that directory\'s role of the group and a role keyed by the name alone, never another directory\'s', () => {
    // GIVEN
    const a = directory('us-east-1_A');
    const b = directory('us-east-1_B');
    const viewA = groupView('admins us-east-1_A');

    // THEN
    expect(reaches(Audience.group('admins', a), viewA)).toBe(true);
    expect(reaches(Audience.group('admins', b), viewA)).toBe(false);
    expect(reaches(Audience.group('admins'), viewA)).toBe(true);
    expect(reaches(Audience.group('admins', a), groupView('admins'))).toBe(true);
    expect(reaches(Audience.group('editors', a), viewA)).toBe(false);
    expect(reaches(Audience.group('editors'), groupView('admins'))).toBe(false);
  });

  test('a back end\'s rule reaches only its own view; pool rules never reach a back end', () => {
    // GIVEN
    const backEnd = Audience.principal({ grantPrincipal: {} } as any);
    const other = Audience.principal({ grantPrincipal: {} } as any);

    // THEN
    expect(reaches(backEnd, backEnd._view())).toBe(true);
    expect(reaches(backEnd, other._view())).toBe(false);
    expect(reaches(backEnd, 'authenticated')).toBe(false);
    expect(reaches(Audience.authenticated(), backEnd._view())).toBe(false);
    expect(reaches(Audience.owner(), backEnd._view())).toBe(false);
  });
});

/*
 * Pattern algebra, from IAM's matching: a pattern covers a key when every segment matches; `*`
 * matches any text, `<region>:????????-...` any identity id of that region, `${...:sub}` only the
 * caller's identity id, `${aws:PrincipalTag/t}` only the caller's tag t, a literal only itself.
 */
describe('contains and intersects', () => {
  const lit = (value: string): RenderedSegment => ({ kind: 'literal', value });
  const any: RenderedSegment = { kind: 'any' };
  const me: RenderedSegment = { kind: 'identity' };
  const anyId = (region: string): RenderedSegment => ({ kind: 'anyIdentity', region });
  const tag = (name: string): RenderedSegment => ({ kind: 'tag', name });

  test('`*` covers every segment', () => {
    for (const t of [lit('a'), me, anyId('us-east-1'), tag('t'), any]) {
      expect(contains([any], [t])).toBe(true);
    }
  });

  test('any identity id of a region covers the caller\'s id and any id of that region, nothing else', () => {
    expect(contains([anyId('us-east-1')], [me])).toBe(true);
    expect(contains([anyId('us-east-1')], [anyId('us-east-1')])).toBe(true);
    expect(contains([anyId('us-east-1')], [anyId('eu-west-1')])).toBe(false);
    expect(contains([anyId('us-east-1')], [lit('us-east-1')])).toBe(false);
    expect(contains([anyId('us-east-1')], [any])).toBe(false);
    expect(contains([anyId('us-east-1')], [tag('t')])).toBe(false);
  });

  test('a literal covers only itself; the caller\'s id only the caller\'s id; a tag only the same tag', () => {
    expect(contains([lit('a')], [lit('a')])).toBe(true);
    expect(contains([lit('a')], [lit('b')])).toBe(false);
    expect(contains([lit('a')], [any])).toBe(false);
    expect(contains([me], [me])).toBe(true);
    expect(contains([me], [anyId('us-east-1')])).toBe(false);
    expect(contains([me], [lit('a')])).toBe(false);
    expect(contains([tag('t')], [tag('t')])).toBe(true);
    expect(contains([tag('t')], [tag('u')])).toBe(false);
    expect(contains([tag('t')], [lit('t')])).toBe(false);
    expect(contains([tag('t')], [any])).toBe(false);
  });

  test('a shorter pattern covers everything below it, a longer one never covers a shorter one', () => {
    expect(contains([lit('a')], [lit('a'), lit('b')])).toBe(true);
    expect(contains([lit('a'), lit('b')], [lit('a')])).toBe(false);
    expect(contains([lit('a'), lit('b')], [lit('a'), lit('c')])).toBe(false);
  });

  test('patterns share a key unless two literals at one depth differ', () => {
    expect(intersects([lit('a')], [lit('b')])).toBe(false);
    expect(intersects([lit('a'), lit('b')], [lit('a'), lit('c')])).toBe(false);
    expect(intersects([lit('a'), lit('b')], [lit('a')])).toBe(true);
    expect(intersects([lit('a')], [tag('t'), lit('b')])).toBe(true);
    expect(intersects([tag('t')], [lit('a')])).toBe(true);
    expect(intersects([any, lit('b')], [lit('a'), lit('b')])).toBe(true);
  });
});

describe('pruning', () => {
  const grant = (path: string, audience: Audience, kinds: string[]) => ({ path: parsePath(path), audience, kinds });
  const allowsOf = (result: ReturnType<typeof compileGrants>, view: string) =>
    result.views.get(view)!.allows.map(a => `${a.kind} ${renderPrefix(a.segments)} ${a.audiences.join('+')}`);
  const deniesOf = (result: ReturnType<typeof compileGrants>, view: string) =>
    result.views.get(view)!.denies.map(d => `${d.kind} ${renderPrefix(d.segments)}${d.except.length ? ` except ${d.except.map(e => renderPrefix(e)).join(',')}` : ''}`);

  test('the caller\'s own pattern is never merged with any identity\'s pattern', () => {
    // WHEN
    const result = compileGrants([
      grant('users/{identity}/*', Audience.owner(), ['GET']),
      grant('users/{identity}/*', Audience.authenticated(), ['GET']),
    ], { identityRegion: 'us-east-1' });

    // THEN: the owner's `users/${sub}` is covered by authenticated's and pruned
    expect(allowsOf(result, 'authenticated')).toEqual(['GET users/us-east-1:????????-????-????-????-???????????? authenticated']);
  });

  test('an allow goes when another of the same kind covers it and reaches every view it reaches', () => {
    // WHEN
    const result = compileGrants([
      grant('docs/*', Audience.authenticated(), ['GET']),
      grant('docs/a/*', Audience.group('admins'), ['GET']),
      grant('team/*', Audience.group('admins'), ['GET']),
      grant('team/a/*', Audience.group('admins'), ['GET']),
    ]);

    // THEN
    expect(allowsOf(result, 'group:admins')).toEqual(['GET docs authenticated', 'GET team group:admins']);
  });

  test('an allow stays when the covering one does not reach every view it reaches (statements common to all roles stay common)', () => {
    // WHEN
    const result = compileGrants([
      grant('docs/*', Audience.group('admins'), ['GET']),
      grant('docs/a/*', Audience.group('admins'), ['GET']),
      grant('docs/a/*', Audience.authenticated(), ['GET']),
      grant('team/*', Audience.group('admins'), ['GET']),
      grant('team/*', Audience.authenticated(), ['GET']),
      grant('team/a/*', Audience.authenticated(), ['GET']),
    ]);

    // THEN
    expect(allowsOf(result, 'group:admins')).toEqual(['GET docs group:admins', 'GET docs/a group:admins+authenticated', 'GET team group:admins+authenticated']);
  });

  test('equal Denies from two outer paths appear once; a Deny inside a broader Deny of the same kind goes', () => {
    // WHEN
    const result = compileGrants([
      grant('docs/*', Audience.authenticated(), ['GET']),
      grant('docs/a/*', Audience.authenticated(), ['GET']),
      grant('docs/a/b/*', Audience.group('admins'), ['GET']),
      grant('docs/a/b/c/*', Audience.group('admins'), ['GET']),
      grant('wiki/*', Audience.authenticated(), ['GET', 'LIST']),
      grant('wiki/x/*', Audience.group('admins'), ['LIST']),
    ]);

    // THEN
    expect(deniesOf(result, 'authenticated')).toEqual(['GET docs/a/b', 'GET wiki/x', 'LIST wiki/x']);
  });

  test('a Deny of one kind never drops a narrower Deny of another kind', () => {
    // WHEN: wiki/x/ keeps GET but loses LIST; wiki/x/y/ loses GET too
    const result = compileGrants([
      grant('wiki/*', Audience.authenticated(), ['GET', 'LIST']),
      grant('wiki/x/*', Audience.authenticated(), ['GET']),
      grant('wiki/x/*', Audience.group('admins'), ['LIST']),
      grant('wiki/x/y/*', Audience.group('admins'), ['GET']),
    ]);

    // THEN: the LIST Deny on wiki/x/ does not stand in for the GET Deny on wiki/x/y/
    expect(deniesOf(result, 'authenticated')).toEqual(['LIST wiki/x', 'GET wiki/x/y']);
  });

  test('a broader LIST Deny with an exception never drops a narrower Deny that the exception would let through', () => {
    // WHEN: each identity lists only its own folder, but nobody lists `old/` inside it (it grants GET only)
    const result = compileGrants([
      grant('home/*', Audience.authenticated(), ['LIST']),
      grant('home/users/*', Audience.authenticated(), ['LIST']),
      grant('home/users/{identity}/*', Audience.owner(), ['LIST']),
      grant('home/users/{identity}/old/*', Audience.owner(), ['GET']),
    ], { identityRegion: 'r', excludableKinds: ['LIST'] });

    // THEN: the equal Denies from home/ and home/users/ appear once; the one on old/ stays, even for the caller's own old/
    expect(deniesOf(result, 'authenticated')).toEqual([
      'LIST home/users/r:????????-????-????-????-???????????? except home/users/${cognito-identity.amazonaws.com:sub}',
      'LIST home/users/r:????????-????-????-????-????????????/old',
    ]);
  });
});

describe('accessKinds', () => {
  test('fails for a value that is not an Access', () => {
    expect(() => accessKinds(['READ_ALL' as Access])).toThrow(ValidationError);
    expect(() => accessKinds(['READ_ALL' as Access])).toThrow('`access`: is not an `Access` value (received "READ_ALL"). Pass `Access.READ`, `Access.GET`, `Access.LIST`, `Access.WRITE` or `Access.DELETE`.');
    expect(accessKinds([Access.WRITE])).toEqual(['WRITE']);
  });
});
