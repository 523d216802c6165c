/** Assertions shared by the engine tests. */
import assert from 'node:assert/strict';
import { ValidationError } from '../../../worker/engine/errors.js';

/** The ValidationError thrown by `fn`, after checking that one is thrown at all. */
export function catchValidationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ValidationError, but nothing was thrown');
}

/** Asserts that `fn` throws a ValidationError naming `field`, in its field, code and message. */
export function assertRejects(fn: () => unknown, field: string): ValidationError {
  const error = catchValidationError(fn);
  assert.equal(error.field, field);
  assert.equal(error.code, 'invalid-input');
  assert.ok(error.message.startsWith(`${field}: `), `message names the field: ${error.message}`);
  return error;
}
