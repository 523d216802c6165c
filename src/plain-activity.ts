/**
 * Reading a host's activities into plain data on the main thread, before they cross
 * to the worker. Structured cloning refuses a Proxy (a Vue `reactive()` object, a MobX
 * observable) although reading its fields works, and throws on functions and symbols
 * with a DataCloneError that says nothing about which field. So each activity is read
 * field by field, by the names the activity vocabulary knows (docs/architecture.md §3):
 * whatever cannot be read, or is not plain data, is `invalid-input` naming the field,
 * and never reaches the worker. Fields outside the vocabulary are left unread, as the
 * worker would ignore them anyway.
 */
import { newActivityId } from '../worker/random-id.js';

const FIELDS = ['id', 'type', 'at', 'lessonId', 'setId', 'adaptive', 'correct', 'total', 'seconds', 'elementId', 'exerciseType'] as const;

/**
 * Thrown as the worker's validation errors cross to the page (a ValidationError by name,
 * `field: reason`), so the client turns it into `invalid-input` with one rule
 * (errors.ts). Importing MissionsError here would tie this lazy chunk to the entry's.
 */
const invalid = (field: string, reason: string) => Object.assign(new Error(`${field}: ${reason}`), { name: 'ValidationError' });

function readField(source: object, name: string, field: string): unknown {
  const value = guarded(field, () => (source as Record<string, unknown>)[name]);
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint' || (typeof value === 'object' && value !== null)) {
    throw invalid(field, `must be plain data (a string, number or boolean), got ${typeof value === 'object' ? 'an object' : `a ${typeof value}`}`);
  }
  return value;
}

/** One activity as a fresh plain object with an id (the host's, or a new one: made once, so retries reuse it). */
function plainActivity(source: unknown, field: string): Record<string, unknown> {
  // Anything that is not an object is left to the worker's validation, which names it.
  if (typeof source !== 'object' || source === null) return source as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const name of FIELDS) {
    const value = readField(source, name, `${field}.${name}`);
    if (value !== undefined) plain[name] = value;
  }
  plain['id'] ??= newActivityId();
  return plain;
}

/** Reads `read()`, turning a throwing getter or Proxy trap into `invalid-input` naming `field`. */
function guarded<T>(field: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw invalid(field, `could not be read (${(error as Error)?.message ?? String(error)})`);
  }
}

/** One activity or a batch, read into plain data; a hole in a batch is `invalid-input` like any missing activity. */
export function plainActivities(input: unknown): Record<string, unknown> | Record<string, unknown>[] {
  if (!Array.isArray(input)) return plainActivity(input, 'activity');
  const length = guarded('activities', () => input.length);
  const batch: Record<string, unknown>[] = [];
  for (let i = 0; i < length; i += 1) {
    const field = `activities[${i}]`;
    if (!guarded(field, () => i in input)) throw invalid(field, 'is missing (a sparse array)');
    batch.push(plainActivity(guarded(field, () => input[i]), field));
  }
  return batch;
}
