/**
 * Local calendar days in an IANA time zone (docs/architecture.md §5.1).
 *
 * A day key is the local date `YYYY-MM-DD` of an instant, always computed from the
 * instant through Intl: never by adding 24 hours, because local days last 23, 24 or
 * 25 hours and some zones skip midnight entirely (America/Santiago jumps from 23:59:59
 * to 01:00 on its spring-forward day).
 */
import { ValidationError } from './errors.js';
import type { Weekday } from './types.js';
import { WEEKDAYS } from './types.js';
import { describe } from './validate.js';
import { isValidTimeZone } from './vocabulary.js';

export { isValidTimeZone } from './vocabulary.js';

export type DayKey = string;

const DAY_KEY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOUR = 3_600_000;
/** Instants the engine accepts: years 1970 to 9999, so every day key has four digits. */
const MIN_INSTANT = 0;
const MAX_INSTANT = Date.UTC(9999, 11, 30);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone: creating Intl formatters costs far more than using them. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function requireTimeZone(timeZone: unknown, field = 'timeZone'): string {
  if (!isValidTimeZone(timeZone)) {
    throw new ValidationError(field, `must be an IANA time zone such as "Europe/Berlin", got ${describe(timeZone)}`);
  }
  return timeZone;
}

export function requireInstant(instant: unknown, field = 'now'): number {
  if (typeof instant !== 'number' || !Number.isFinite(instant)) {
    throw new ValidationError(field, `must be epoch milliseconds, got ${describe(instant)}`);
  }
  if (instant < MIN_INSTANT || instant > MAX_INSTANT) {
    throw new ValidationError(field, 'must be between 1970 and 9999');
  }
  return instant;
}

export function requireDayKey(day: unknown, field = 'day'): DayKey {
  if (typeof day !== 'string' || !DAY_KEY_PATTERN.test(day) || dayKeyOfDate(parseDayKey(day)) !== day) {
    throw new ValidationError(field, `must be a calendar date YYYY-MM-DD, got ${describe(day)}`);
  }
  return day;
}

/** The local date of `instant` in `timeZone` as `YYYY-MM-DD`. */
export function dayKey(instant: number, timeZone: string): DayKey {
  requireInstant(instant, 'instant');
  requireTimeZone(timeZone);
  let year = '';
  let month = '';
  let day = '';
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

/**
 * The first instant after `instant` that belongs to the next local day: the moment
 * the widget rolls over. Found by search rather than arithmetic so that skipped
 * midnights, odd offsets (+05:45, +14:00) and historical second-precision offsets
 * need no special cases: step forward by hours until the day changes, then bisect.
 */
export function nextMidnight(instant: number, timeZone: string): number {
  const today = dayKey(instant, timeZone);
  // The answer is the same for every instant of the day: search once per zone and day.
  const key = `${timeZone}|${today}`;
  const known = midnights.get(key);
  if (known !== undefined) return known;
  const found = searchNextMidnight(instant, timeZone, today);
  if (midnights.size > 256) midnights.clear();
  midnights.set(key, found);
  return found;
}

const midnights = new Map<string, number>();

function searchNextMidnight(instant: number, timeZone: string, today: DayKey): number {
  let before = instant;
  let after = instant + HOUR;
  while (dayKey(after, timeZone) === today) {
    before = after;
    after += HOUR;
  }
  while (after - before > 1) {
    const middle = before + Math.floor((after - before) / 2);
    if (dayKey(middle, timeZone) === today) before = middle;
    else after = middle;
  }
  return after;
}

/** Milliseconds until the next local midnight (for countdowns). */
export function msUntilNextDay(instant: number, timeZone: string): number {
  return nextMidnight(instant, timeZone) - instant;
}

function parseDayKey(day: string): Date {
  const match = DAY_KEY_PATTERN.exec(day);
  if (!match) return new Date(NaN);
  const date = new Date(Date.UTC(2000, Number(match[2]) - 1, Number(match[3])));
  date.setUTCFullYear(Number(match[1]));
  return date;
}

function dayKeyOfDate(date: Date): DayKey {
  if (Number.isNaN(date.getTime())) return '';
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${year}-${month}-${day}`;
}

/** Calendar arithmetic on day keys (yesterday, a week ago): dates, not hours. */
export function addDays(day: DayKey, days: number): DayKey {
  const date = parseDayKey(requireDayKey(day));
  date.setUTCDate(date.getUTCDate() + days);
  return dayKeyOfDate(date);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: DayKey, to: DayKey): number {
  return Math.round((parseDayKey(requireDayKey(to)).getTime() - parseDayKey(requireDayKey(from)).getTime()) / (24 * HOUR));
}

export function weekdayOf(day: DayKey): Weekday {
  return WEEKDAYS[parseDayKey(requireDayKey(day)).getUTCDay()]!;
}

export function isWeekend(day: DayKey): boolean {
  const weekday = weekdayOf(day);
  return weekday === 'sat' || weekday === 'sun';
}

/**
 * A sensible zone for hosts that pass none and run where the browser's zone is
 * unknown: the most populous zone of the language (or language-region) tag.
 * English has no single home, so plain `en` and unknown tags use UTC.
 */
const ZONE_BY_LANGUAGE = new Map<string, string>(
  Object.entries({
  'en-us': 'America/New_York',
  'en-gb': 'Europe/London',
  'en-au': 'Australia/Sydney',
  'en-in': 'Asia/Kolkata',
  'en-ca': 'America/Toronto',
  'pt-br': 'America/Sao_Paulo',
  'es-mx': 'America/Mexico_City',
  'es-ar': 'America/Argentina/Buenos_Aires',
  'fr-ca': 'America/Toronto',
  'ar-eg': 'Africa/Cairo',
  'el-cy': 'Asia/Nicosia',
  de: 'Europe/Berlin',
  es: 'Europe/Madrid',
  fr: 'Europe/Paris',
  el: 'Europe/Athens',
  pt: 'Europe/Lisbon',
  tr: 'Europe/Istanbul',
  ja: 'Asia/Tokyo',
  ar: 'Asia/Riyadh',
  en: 'UTC',
  }),
);

export function defaultTimeZoneFor(language: string | undefined | null): string {
  if (typeof language !== 'string') return 'UTC';
  const tag = language.trim().toLowerCase().replace(/_/g, '-');
  const [base = '', region] = tag.split('-');
  return ZONE_BY_LANGUAGE.get(`${base}-${region ?? ''}`) ?? ZONE_BY_LANGUAGE.get(base) ?? 'UTC';
}
