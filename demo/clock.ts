/**
 * Simulated time for the demo. The widget reads time only through its `now` property,
 * so time travel is an offset added to the real clock: time keeps running after a
 * jump, which is what lets a designer watch midnight pass.
 *
 * The targets (just before midnight, tomorrow, the next weekend day, the next clock
 * change) are computed in the widget's IANA zone through Intl, never by adding 24
 * hours, for the same reason the engine does so: local days last 23, 24 or 25 hours
 * and some zones skip midnight.
 */
import { addDays, dayKey, nextMidnight, weekdayOf } from '../worker/engine/index.js';
import type { DayKey } from '../worker/engine/index.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The real clock plus an offset that the time-travel buttons move. */
export class OffsetClock {
  offset = 0;
  /** Epoch ms of the simulated present; given to the widget as its `now`. */
  readonly now = (): number => Date.now() + this.offset;

  travelTo(instant: number): void {
    this.offset = instant - Date.now();
  }

  reset(): void {
    this.offset = 0;
  }
}

/** The zone the widget uses: the chosen one, or the browser's when none is chosen. */
export function effectiveZone(chosen: string): string {
  if (chosen) return chosen;
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

/** The local date and time of an instant in a zone (Gregorian, 24-hour). */
export function wallClock(instant: number, timeZone: string): WallClock {
  let formatter = wallFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormatters.set(timeZone, formatter);
  }
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant)) fields[part.type] = Number(part.value);
  return { year: fields['year']!, month: fields['month']!, day: fields['day']!, hour: fields['hour']!, minute: fields['minute']!, second: fields['second']! };
}

/** The zone's offset from UTC at an instant, in ms (east of Greenwich is positive). */
export function zoneOffset(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const wholeSecond = instant - (((instant % SECOND) + SECOND) % SECOND);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - wholeSecond;
}

/**
 * The instant at which a local wall time occurs on `day`. Two passes settle the
 * offset for times near a clock change; only used for ordinary hours (07:30, 09:00,
 * 18:00), which exist in every zone on every day.
 */
export function instantAt(day: DayKey, hour: number, minute: number, timeZone: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const naive = Date.UTC(year, month - 1, date, hour, minute);
  const first = naive - zoneOffset(naive, timeZone);
  return naive - zoneOffset(first, timeZone);
}

/** How far before midnight "just before midnight" lands: long enough to read, short enough to wait for. */
export const BEFORE_MIDNIGHT_MS = 10 * SECOND;
/** Local time of day the "tomorrow" and "weekend" jumps land on: a learner's morning. */
export const MORNING = { hour: 9, minute: 0 };

/** 23:59:50 local: ten seconds before the widget rolls over to a new day. */
export function justBeforeMidnight(now: number, timeZone: string): number {
  return nextMidnight(now, timeZone) - BEFORE_MIDNIGHT_MS;
}

export function morningOf(day: DayKey, timeZone: string): number {
  return instantAt(day, MORNING.hour, MORNING.minute, timeZone);
}

export function tomorrowMorning(now: number, timeZone: string): number {
  return morningOf(addDays(dayKey(now, timeZone), 1), timeZone);
}

/** The morning of the next Saturday or Sunday after today (Sunday when today is Saturday). */
export function nextWeekendMorning(now: number, timeZone: string): number {
  const today = dayKey(now, timeZone);
  for (let i = 1; i <= 7; i += 1) {
    const day = addDays(today, i);
    const weekday = weekdayOf(day);
    if (weekday === 'sat' || weekday === 'sun') return morningOf(day, timeZone);
  }
  throw new Error('a week without a weekend');
}

export interface ClockChange {
  /** The first instant on the new offset. */
  at: number;
  /** The local day that holds the change, and how long it lasts. */
  day: DayKey;
  dayHours: number;
  /** Local times on either side of the change, `HH:MM` (e.g. 02:00 → 03:00). */
  from: string;
  to: string;
}

/** How far ahead to look for a clock change: a little over a year covers both changes of any zone. */
export const CLOCK_CHANGE_HORIZON_DAYS = 400;

function hhmm(msOfDay: number): string {
  const minutes = Math.round((((msOfDay % DAY) + DAY) % DAY) / MINUTE) % (24 * 60);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The length of a local day in hours: from its first instant to the next day's. */
export function dayLengthHours(day: DayKey, timeZone: string): number {
  const start = nextMidnight(instantAt(addDays(day, -1), 12, 0, timeZone), timeZone);
  return (nextMidnight(start, timeZone) - start) / HOUR;
}

/**
 * The next change of the zone's UTC offset after `now` (daylight saving time), or null
 * when the zone keeps one offset for the whole horizon (Asia/Tokyo, UTC).
 */
export function nextClockChange(now: number, timeZone: string, horizonDays = CLOCK_CHANGE_HORIZON_DAYS): ClockChange | null {
  const start = zoneOffset(now, timeZone);
  // Offsets change at most a few times a year: step a day at a time, then bisect the step.
  let before = now;
  let after = now;
  for (let i = 0; i < horizonDays; i += 1) {
    after = before + DAY;
    if (zoneOffset(after, timeZone) !== start) break;
    before = after;
  }
  if (zoneOffset(after, timeZone) === start) return null;
  while (after - before > SECOND) {
    const middle = before + Math.floor((after - before) / 2);
    if (zoneOffset(middle, timeZone) === start) before = middle;
    else after = middle;
  }
  const at = after - (((after % SECOND) + SECOND) % SECOND);
  const changed = zoneOffset(at, timeZone);
  const day = dayKey(at, timeZone);
  return { at, day, dayHours: dayLengthHours(day, timeZone), from: hhmm(at + start), to: hhmm(at + changed) };
}

/** How the simulated moment differs from the real one, for the clock display. */
export function describeOffset(offset: number): string {
  if (Math.abs(offset) < 2 * SECOND) return 'real time';
  const direction = offset > 0 ? 'ahead of' : 'behind';
  let rest = Math.abs(offset);
  const days = Math.floor(rest / DAY);
  rest -= days * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  const parts = [days && `${days} d`, hours && `${hours} h`, minutes && `${minutes} min`].filter(Boolean);
  return `${parts.length > 0 ? parts.join(' ') : 'a few seconds'} ${direction} real time`;
}

/** The simulated moment as a designer reads it: weekday, date, time with seconds, offset. */
export function formatMoment(instant: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).format(instant);
}

/** `hh:mm:ss` until an instant, for the countdown to midnight. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / SECOND));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}
