import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { ValidationError } from '../../src/private/errors';

export function newStack(props: StackProps = {}): Stack {
  return new Stack(new App(), 'Stack', props);
}

/** An SES sender, as email one-time codes need. */
export function sesEmail(): cognito.UserPoolEmail {
  return cognito.UserPoolEmail.withSES({ fromEmail: 'no-reply@example.com', sesRegion: 'us-east-1', sesVerifiedDomain: 'example.com' });
}

export interface ExpectedError {
  /** The property the error names. */
  readonly property: string;
  /** A fragment of the received value, as the message shows it after `(received `. */
  readonly received: string;
  /** A fragment of the fix. */
  readonly fix: string;
}

/**
 * Asserts that `fn` throws the library's ValidationError naming the property, the value that was
 * received and the fix.
 */
export function expectInvalid(fn: () => unknown, expected: ExpectedError): ValidationError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  const e = error as ValidationError;
  expect(e.property).toBe(expected.property);
  expect(e.message.startsWith(`\`${expected.property}\`: `)).toBe(true);
  const received = /\(received (.*)\)\. (.*)$/s.exec(e.message);
  expect(received).not.toBeNull();
  expect(received![1]).toContain(expected.received);
  expect(received![2]).toContain(expected.fix);
  return e;
}

/** The synth-time (node.addValidation) errors of an app, as one message. */
export function synthErrors(stack: Stack): string {
  try {
    (stack.node.root as App).synth();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}
