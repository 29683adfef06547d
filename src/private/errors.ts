import { Token } from 'aws-cdk-lib';

/**
 * A configuration mistake found while building the app.
 *
 * Every message names the property in backticks, the value that was received and how
 * to fix it, so the error reads well in a `cdk synth` failure.
 */
export class ValidationError extends Error {
  /**
   * The property (or method argument) that holds the bad value.
   */
  public readonly property: string;

  constructor(property: string, message: string) {
    super(`\`${property}\`: ${message}`);
    this.name = 'ValidationError';
    this.property = property;
    Object.setPrototypeOf(this, ValidationError.prototype);
  }
}

/**
 * Shows a received value in an error message (tokens and long values stay readable).
 * @internal
 */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'string') {
    if (Token.isUnresolved(value)) {
      return '<token>';
    }
    return JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value);
  }
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/**
 * Throws a ValidationError naming the property, what was received and the fix.
 * @internal
 */
export function invalid(property: string, received: unknown, problem: string, fix: string): never {
  throw new ValidationError(property, `${problem} (received ${describeValue(received)}). ${fix}`);
}
