import { Lazy } from 'aws-cdk-lib';
import { Audience, AudienceKind } from '../../src/access/audience';
import { ValidationError } from '../../src/private/errors';

describe('Audience', () => {
  test('guest, authenticated and owner carry their kind and no group name', () => {
    // GIVEN / WHEN
    const audiences = [Audience.guest(), Audience.authenticated(), Audience.owner()];

    // THEN
    expect(audiences.map(a => a.kind)).toEqual([AudienceKind.GUEST, AudienceKind.AUTHENTICATED, AudienceKind.OWNER]);
    expect(audiences.map(a => a.groupName)).toEqual([undefined, undefined, undefined]);
    expect(audiences.map(a => `${a}`)).toEqual(['guest', 'authenticated', 'owner']);
  });

  test('group carries its name', () => {
    // WHEN
    const admins = Audience.group('admins');

    // THEN
    expect(admins.kind).toBe(AudienceKind.GROUP);
    expect(admins.groupName).toBe('admins');
    expect(admins.toString()).toBe('group:admins');
  });

  test('a group name of 128 characters with punctuation is accepted', () => {
    // GIVEN
    const name = `team.${'x'.repeat(119)}-ops`;

    // WHEN
    const audience = Audience.group(name);

    // THEN
    expect(name).toHaveLength(128);
    expect(audience.groupName).toBe(name);
  });

  test('a deploy-time group name is not checked', () => {
    // GIVEN
    const name = Lazy.string({ produce: () => 'not checked' });

    // WHEN
    const audience = Audience.group(name);

    // THEN
    expect(audience.groupName).toBe(name);
  });

  test('fails for an empty group name', () => {
    // WHEN / THEN
    expect(() => Audience.group('')).toThrow(ValidationError);
    expect(() => Audience.group('')).toThrow('`name`: A group name must not be empty (received ""). Pass the name of a group of the user directory');
  });

  test('fails for a group name with whitespace', () => {
    // WHEN / THEN
    expect(() => Audience.group('site admins')).toThrow('`name`: A group name must not contain whitespace (received "site admins")');
    expect(() => Audience.group('admins\n')).toThrow('must not contain whitespace');
  });

  test('fails for a group name over 128 characters', () => {
    // WHEN / THEN
    expect(() => Audience.group('a'.repeat(129))).toThrow('`name`: A group name has at most 128 characters, this one has 129');
  });
});
