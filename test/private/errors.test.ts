import { Token } from 'aws-cdk-lib';
import { ValidationErrors } from '../../src';
import { describeValue, invalid, ValidationError } from '../../src/private/errors';

describe('ValidationError', () => {
  test('names the property, the received value and the fix', () => {
    expect(() => invalid('domainPrefix', 'Bad', 'must be lowercase', 'Use `bad`.'))
      .toThrow('`domainPrefix`: must be lowercase (received "Bad"). Use `bad`.');
  });

  test('is recognised by ValidationErrors.isValidationError and instanceof', () => {
    let caught: unknown;
    try {
      invalid('x', 1, 'p', 'f');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).toBeInstanceOf(Error);
    expect((caught as ValidationError).property).toBe('x');
    expect(ValidationErrors.isValidationError(caught)).toBe(true);
    expect(ValidationErrors.isValidationError(new Error('x'))).toBe(false);
    expect(ValidationErrors.isValidationError(undefined)).toBe(false);
    expect(ValidationErrors.isValidationError('ValidationError')).toBe(false);
  });

  test('shows tokens and long values readably', () => {
    expect(describeValue(Token.asString({ Ref: 'X' }))).toBe('<token>');
    expect(describeValue('a'.repeat(200))).toBe(JSON.stringify(`${'a'.repeat(117)}...`));
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
  });
});
