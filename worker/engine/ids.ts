/**
 * Identifiers that make delivery exactly-once (docs/architecture.md §6): the award id a
 * host can use as an idempotency key, and the shape of an activity id. Pure: no clock
 * and no randomness (ids for activities without one are made by the caller).
 */
import type { DayKey } from './day.js';

/** The award of `templateId` to `userId` on `day`: the same in browser and server mode. */
export function awardIdFor(userId: string, day: DayKey, templateId: string): string {
  return `award:v1:${day}:${templateId}:${encodeURIComponent(userId)}`;
}

/** 1 to 128 visible ASCII characters (no spaces or control characters). */
export function isActivityId(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]{1,128}$/.test(value);
}
