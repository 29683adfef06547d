import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

const VALIDATION_ERROR_SYMBOL = Symbol.for('cdk-federated-access.ValidationError');

/**
 * The messages the library's synth-time validations returned, shared by every copy of the library
 * loaded in the process (a global registry under `Symbol.for`, as `VALIDATION_ERROR_SYMBOL` is).
 */
const SYNTH_MESSAGES_SYMBOL = Symbol.for('cdk-federated-access.synthValidationMessages');

function synthMessages(): Set<string> {
  const global = globalThis as unknown as Record<symbol, Set<string> | undefined>;
  return global[SYNTH_MESSAGES_SYMBOL] ??= new Set<string>();
}

/**
 * The header of the error aws-cdk-lib throws at synth when `node.addValidation` checks returned
 * messages (`ValidationFailedWithErrors`); each message follows on its own line after the path of
 * its construct in brackets.
 */
const SYNTH_FAILURE_HEADER = 'Validation failed with the following errors:';

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
 *
 * @example
 * /// fixture=api
 * // err: an error caught around a construct call, a method or app.synth()
 * if (ValidationErrors.isValidationError(err)) {
 *   // a configuration mistake: the message names the property, what is wrong and the fix
 * }
 */
export class ValidationErrors {
  /**
   * Whether `x` is a configuration error found by this library.
   *
   * True for the library's ValidationError (thrown by a constructor or method as soon as the input
   * is bad, or while synthesizing), and for the error aws-cdk-lib throws from `app.synth()` when
   * checks that need the whole app failed, if one of the problems it lists is the library's.
   *
   * @param x any thrown value
   *
   * @example
   * /// fixture=api
   * // err: an error caught around a construct call, a method or app.synth()
   * const configurationMistake = ValidationErrors.isValidationError(err);
   */
  public static isValidationError(x: any): boolean {
    if (x === null || typeof x !== 'object') {
      return false;
    }
    if (VALIDATION_ERROR_SYMBOL in x) {
      return true;
    }
    const message = (x as { message?: unknown }).message;
    if (typeof message !== 'string' || !message.startsWith(SYNTH_FAILURE_HEADER)) {
      return false;
    }
    for (const problem of synthMessages()) {
      if (message.includes(`] ${problem}`)) {
        return true;
      }
    }
    return false;
  }

  private constructor() {}
}

/**
 * Adds a check that runs at synth (`node.addValidation`) and records the problems it returns, so
 * that `ValidationErrors.isValidationError()` recognises aws-cdk-lib's error listing them. Every
 * synth-time check of the library goes through here (test/private/synth-errors.test.ts checks it).
 */
export function addValidation(scope: IConstruct, validate: () => string[]): void {
  scope.node.addValidation({
    validate: () => {
      const problems = validate();
      problems.forEach(problem => synthMessages().add(problem));
      return problems;
    },
  });
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
