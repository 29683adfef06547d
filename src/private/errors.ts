import { Token } from 'aws-cdk-lib';

const VALIDATION_ERROR_SYMBOL = Symbol.for('cdk-federated-access.ValidationError');

/**
 * A configuration mistake found while building the app.
 *
 * Every message names the property in backticks, the value that was received and how
 * to fix it, so the error reads well in a `cdk synth` failure. jsii cannot model a subclass
 * of `Error`, so (as aws-cdk-lib does with its own errors) the class is not part of the jsii
 * API: catch it with `ValidationErrors.isValidationError(e)` in any language.
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
    Object.defineProperty(this, VALIDATION_ERROR_SYMBOL, { value: true });
  }
}

/**
 * Tells the library's validation errors apart from other errors.
 */
export class ValidationErrors {
  /**
   * Whether `x` is a ValidationError thrown by this library (bad input found at synth).
   *
   * @param x any thrown value
   */
  public static isValidationError(x: any): boolean {
    return x !== null && typeof x === 'object' && VALIDATION_ERROR_SYMBOL in x;
  }

  private constructor() {}
}

/**
 * Shows a received value in an error message (tokens and long values stay readable).
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
 */
export function invalid(property: string, received: unknown, problem: string, fix: string): never {
  throw new ValidationError(property, `${problem} (received ${describeValue(received)}). ${fix}`);
}
