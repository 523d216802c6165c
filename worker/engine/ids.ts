/**
 * Identities that make delivery exactly-once (docs/architecture.md §6): an award id
 * per (user, day, template) and the shape of an activity id. Pure: no clock and no
 * randomness here, so the browser and the server derive the same ids. Activities
 * without an id get one on the main thread (crypto.randomUUID) when record() is
 * called, or from the server when a request carries none.
 */
import type { DayKey } from './day.js';
import { ValidationError } from './errors.js';
import { describe } from './validate.js';

/** The longest activity id accepted: room for a UUID with a host's prefix. */
export const MAX_ACTIVITY_ID_LENGTH = 128;

/**
 * The award's stable id: the same for the same learner, day and mission template in
 * every tab, worker, server and retry, so a host can use it as its idempotency key.
 */
export function awardIdFor(userId: string, day: DayKey, templateId: string): string {
  return `award:v1:${day}:${templateId}:${encodeURIComponent(userId)}`;
}

/** A string of 1..128 visible ASCII characters (no spaces or control characters). */
export function isActivityId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= MAX_ACTIVITY_ID_LENGTH && /^[\x21-\x7e]+$/.test(value);
}

/** `value` as an activity id, or a ValidationError naming `field`. */
export function requireActivityId(value: unknown, field: string): string {
  if (isActivityId(value)) return value;
  throw new ValidationError(field, `must be 1 to ${MAX_ACTIVITY_ID_LENGTH} visible ASCII characters (no spaces), got ${describe(value)}`);
}
