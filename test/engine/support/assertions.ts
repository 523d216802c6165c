/** Assertions shared by the engine tests. */
import assert from 'node:assert/strict';
import { ValidationError } from '../../../worker/engine/errors.js';

/** The error of class `type` (a ValidationError by default) thrown by `fn`, after checking that one is thrown at all. */
export function catchValidationError(fn: () => unknown): ValidationError;
export function catchValidationError<E extends ValidationError>(fn: () => unknown, type: abstract new (...args: never[]) => E): E;
export function catchValidationError(fn: () => unknown, type: abstract new (...args: never[]) => ValidationError = ValidationError): ValidationError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof type, `expected a ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected a ${type.name}, but nothing was thrown`);
}

/** Asserts that `fn` throws a ValidationError naming `field`, in its field, code and message. */
export function assertRejects(fn: () => unknown, field: string): ValidationError {
  const error = catchValidationError(fn);
  assert.equal(error.field, field);
  assert.equal(error.code, 'invalid-input');
  assert.ok(error.message.startsWith(`${field}: `), `message names the field: ${error.message}`);
  return error;
}
