/**
 * Errors the main thread reports: a stable `code` for hosts to branch on and a
 * message for people. The same shape is the `detail` of the `missions-error` event.
 */
import type { StorageErrorCode } from '../worker/store/store.js';

// server-unavailable, unauthenticated and activity-rejected: server mode (docs/architecture.md §11).
export type MissionsErrorCode = 'worker-unavailable' | 'worker-timeout' | 'invalid-input' | 'invalid-catalog' | 'clock-failed' | 'server-unavailable' | 'unauthenticated' | 'activity-rejected' | StorageErrorCode;

export interface MissionsErrorDetail {
  code: MissionsErrorCode;
  message: string;
  /** For `activity-rejected`: the id of the activity the server refused (it is not sent again). */
  activityId?: string;
}

export class MissionsError extends Error {
  readonly code: MissionsErrorCode;
  /** For invalid input: the field that is wrong (`activities[2].correct`). */
  readonly field: string | undefined;

  constructor(code: MissionsErrorCode, message: string, options?: { cause?: unknown; field?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MissionsError';
    this.code = code;
    this.field = options?.field;
  }
}

/**
 * Turns whatever a worker call rejected with into a MissionsError. Errors cross the
 * worker boundary as plain objects (name and message survive structured cloning),
 * so this reads them by name.
 */
export function toMissionsError(error: unknown): MissionsError {
  if (error instanceof MissionsError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as { name?: string; message?: string; code?: string; field?: string };
  const message = e.message ?? String(error);
  if (e.name === 'ValidationError' || e.name === 'CatalogError') {
    return new MissionsError(e.name === 'CatalogError' ? 'invalid-catalog' : 'invalid-input', message, { cause: error, field: fieldOf(message) });
  }
  // postMessage refused the arguments (a Proxy, a function): bad input, not a dead worker.
  // https://developer.mozilla.org/en-US/docs/Web/API/Web_Workers_API/Structured_clone_algorithm
  if (e.name === 'DataCloneError') return new MissionsError('invalid-input', `not plain data: ${message}`, { cause: error });
  return new MissionsError('worker-unavailable', message, { cause: error });
}

/** Validation messages read `field: reason`; the field is what comes before the first ': '. */
function fieldOf(message: string): string | undefined {
  const index = message.indexOf(': ');
  return index > 0 ? message.slice(0, index) : undefined;
}
