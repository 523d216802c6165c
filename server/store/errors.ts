/**
 * What a database failure means for a caller. The HTTP layer answers 503 for
 * `storage-unavailable` and `storage-timeout`; the store retries a whole transaction
 * only on the two failures PostgreSQL asks clients to retry.
 */
import { StorageError } from '../../worker/store/store.js';

/** serialization_failure and deadlock_detected: the transaction did nothing and may simply run again. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/**
 * SQLSTATEs of a database that cannot be reached or is going away: connection
 * exceptions (class 08), admin/crash shutdown and "cannot connect now" (57P01-57P03),
 * too many connections (53300).
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;

/** Node socket errors of a server that is down, unreachable or dropped the connection. */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT']);

/**
 * Messages of pg without a code: the server closed the socket, or the client was
 * ended. Also a killed PGlite (its WebAssembly instance aborted).
 */
const UNAVAILABLE_MESSAGES = /Connection terminated|connection is closed|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end|database is closed|driver has already been destroyed/i;

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

export function isRetryable(error: unknown): boolean {
  const code = codeOf(error);
  return code !== undefined && RETRYABLE_SQLSTATES.has(code);
}

/** True for errors that come from the database or the way to it (not from the flow's own code). */
export function isDatabaseError(error: unknown): boolean {
  if (error instanceof StorageError) return true;
  const code = codeOf(error);
  if (code !== undefined && (/^[0-9A-Z]{5}$/.test(code) || UNAVAILABLE_SOCKET_CODES.has(code))) return true;
  return error instanceof Error && (UNAVAILABLE_MESSAGES.test(error.message) || /timeout exceeded when trying to connect/i.test(error.message));
}

/** A database failure as a StorageError with the code the API and the HTTP layer act on. */
export function toStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const options = { cause: error };
  if (error instanceof Error && /timeout exceeded when trying to connect/i.test(message)) {
    return new StorageError('storage-timeout', `the database did not accept a connection in time: ${message}`, options);
  }
  if ((code !== undefined && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_SOCKET_CODES.has(code))) || UNAVAILABLE_MESSAGES.test(message)) {
    return new StorageError('storage-unavailable', `the database is unreachable: ${message}`, options);
  }
  if (code === '53100') return new StorageError('storage-quota', `the database is out of disk space: ${message}`, options);
  return new StorageError('storage-failed', `the database refused the transaction${code ? ` (SQLSTATE ${code})` : ''}: ${message}`, options);
}
