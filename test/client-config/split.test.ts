import { Lazy, Stack } from 'aws-cdk-lib';
import { tokensIn } from '../../src/client-config/private/directory-facts';
import { splitParts } from '../../src/client-config/private/split';

/*
 * Cutting the configuration into Output values: literal text anywhere but inside a surrogate
 * pair, deploy-time values never, each part within the limit at the values' longest length.
 */

const stack = new Stack();
const token = (value: string) => Lazy.string({ produce: () => value });
const deployed = (parts: string[]) => parts.map(p => stack.resolve(p)).join('');

test('literal text is cut at the limit and joins back', () => {
  expect(splitParts('abcdefghij', 4, () => 0)).toEqual(['abcd', 'efgh', 'ij']);
  expect(splitParts('', 4, () => 0)).toEqual(['']);
});

test('a deploy-time value is never cut and counts at its longest length', () => {
  // GIVEN a value that deploys to at most 6 characters
  const id = token('id-123');
  const value = `ab${id}cd${id}`;
  // WHEN
  const parts = splitParts(value, 8, () => 6);
  // THEN: ab + id (8), cd + id (8)
  expect(parts).toHaveLength(2);
  expect(parts.map(p => tokensIn(p).length)).toEqual([1, 1]);
  expect(deployed(parts)).toBe('abid-123cdid-123');
});

test('a value starts a new part when the current one cannot hold it', () => {
  const id = token('xyz');
  const parts = splitParts(`abcdef${id}`, 8, () => 3);
  expect(parts[0]).toBe('abcdef');
  expect(deployed(parts)).toBe('abcdefxyz');
});

test('a surrogate pair stays in one part', () => {
  const text = 'ab\u{1F600}cd'; // the emoji is two UTF-16 code units
  const parts = splitParts(text, 3, () => 0);
  expect(parts).toEqual(['ab', '\u{1F600}c', 'd']);
  expect(parts.join('')).toBe(text);
});

test('fails for a deploy-time value longer than a part', () => {
  expect(() => splitParts(`a${token('v')}`, 10, () => 11)).toThrow(/may be 11 characters long, more than one part \(10\) holds/);
});
