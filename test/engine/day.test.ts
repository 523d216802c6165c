/**
 * Local calendar days (docs/architecture.md §5.1): day keys, midnights, calendar arithmetic and
 * validation, including DST days of 23 and 25 hours, a zone without midnight, odd
 * offsets (+05:45, +12:45, +14) and a two-year hourly scan over many zones.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  dayKey,
  daysBetween,
  defaultTimeZoneFor,
  isValidTimeZone,
  isWeekend,
  msUntilNextDay,
  nextMidnight,
  requireDayKey,
  requireTimeZone,
  weekdayOf,
} from '../../worker/engine/day.js';
import { assertRejects } from './support/assertions.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;


/**
 * nextMidnight plus the property every result must have: the instant itself belongs
 * to the next local day and the millisecond before it to the current one.
 */
function checkedNextMidnight(instant: number, timeZone: string): number {
  const today = dayKey(instant, timeZone);
  const midnight = nextMidnight(instant, timeZone);
  assert.ok(midnight > instant, `${timeZone}: next midnight ${midnight} after ${instant}`);
  assert.equal(dayKey(midnight, timeZone), addDays(today, 1), `${timeZone}: dayKey(nextMidnight) is the next day`);
  assert.equal(dayKey(midnight - 1, timeZone), today, `${timeZone}: dayKey(nextMidnight - 1) is still today`);
  return midnight;
}

describe('dayKey: the local date of an instant', () => {
  it('is the UTC date in UTC, at both ends of the day', () => {
    assert.equal(dayKey(Date.UTC(2025, 2, 9, 0, 0, 0, 0), 'UTC'), '2025-03-09');
    assert.equal(dayKey(Date.UTC(2025, 2, 9, 23, 59, 59, 999), 'UTC'), '2025-03-09');
    assert.equal(dayKey(Date.UTC(2025, 2, 10), 'UTC'), '2025-03-10');
    assert.equal(dayKey(0, 'UTC'), '1970-01-01');
  });

  it('buckets early-morning Tokyo activity on the Tokyo date, not the UTC date (the original bug)', () => {
    // 05:00 on 10 March in Tokyo is still 9 March in UTC.
    const instant = Date.UTC(2025, 2, 9, 20, 0);
    const utcDate = new Date(instant).toISOString().slice(0, 10);
    assert.equal(utcDate, '2025-03-09');
    assert.equal(dayKey(instant, 'UTC'), utcDate);
    assert.equal(dayKey(instant, 'Asia/Tokyo'), '2025-03-10');
    assert.notEqual(dayKey(instant, 'Asia/Tokyo'), utcDate);
    // Tokyo's day starts at 15:00 UTC of the previous UTC date.
    assert.equal(dayKey(Date.UTC(2025, 2, 9, 14, 59, 59, 999), 'Asia/Tokyo'), '2025-03-09');
    assert.equal(dayKey(Date.UTC(2025, 2, 9, 15, 0), 'Asia/Tokyo'), '2025-03-10');
  });

  it('keeps Los Angeles evenings on the local date although UTC has moved on', () => {
    // 21:00 PST on New Year's Eve is 05:00 UTC on 1 January.
    const instant = Date.UTC(2025, 0, 1, 5, 0);
    assert.equal(dayKey(instant, 'UTC'), '2025-01-01');
    assert.equal(dayKey(instant, 'America/Los_Angeles'), '2024-12-31');
    // Summer time: the day starts at 07:00 UTC.
    assert.equal(dayKey(Date.UTC(2025, 6, 4, 6, 59), 'America/Los_Angeles'), '2025-07-03');
    assert.equal(dayKey(Date.UTC(2025, 6, 4, 7, 0), 'America/Los_Angeles'), '2025-07-04');
  });

  it('puts Kiritimati (+14) two calendar days ahead of Pago Pago (-11) for part of each day', () => {
    const instant = Date.UTC(2025, 0, 1, 10, 30); // 00:30 on 2 Jan in Kiritimati, 23:30 on 31 Dec in Pago Pago
    const kiritimati = dayKey(instant, 'Pacific/Kiritimati');
    const pagoPago = dayKey(instant, 'Pacific/Pago_Pago');
    assert.equal(kiritimati, '2025-01-02');
    assert.equal(pagoPago, '2024-12-31');
    assert.equal(daysBetween(pagoPago, kiritimati), 2);
  });

  it('pads years to four digits and handles the first instant of the epoch in a negative zone', () => {
    assert.equal(dayKey(0, 'America/New_York'), '1969-12-31');
    assert.match(dayKey(Date.UTC(2999, 0, 1, 12), 'Europe/Berlin'), /^2999-01-01$/);
  });
});

describe('nextMidnight and msUntilNextDay', () => {
  it('makes 2025-03-09 in New York a 23-hour day (spring forward)', () => {
    const saturdayNoon = Date.UTC(2025, 2, 8, 17); // 12:00 EST
    const sundayNoon = Date.UTC(2025, 2, 9, 16); // 12:00 EDT
    assert.equal(dayKey(saturdayNoon, 'America/New_York'), '2025-03-08');
    assert.equal(dayKey(sundayNoon, 'America/New_York'), '2025-03-09');
    const startOfSunday = checkedNextMidnight(saturdayNoon, 'America/New_York');
    const startOfMonday = checkedNextMidnight(sundayNoon, 'America/New_York');
    assert.equal(startOfSunday, Date.UTC(2025, 2, 9, 5));
    assert.equal(startOfMonday, Date.UTC(2025, 2, 10, 4));
    assert.equal(startOfMonday - startOfSunday, 23 * HOUR);
  });

  it('makes 2025-11-02 in New York a 25-hour day (fall back)', () => {
    const saturdayNoon = Date.UTC(2025, 10, 1, 16); // 12:00 EDT
    const sundayNoon = Date.UTC(2025, 10, 2, 17); // 12:00 EST
    assert.equal(dayKey(saturdayNoon, 'America/New_York'), '2025-11-01');
    assert.equal(dayKey(sundayNoon, 'America/New_York'), '2025-11-02');
    const startOfSunday = checkedNextMidnight(saturdayNoon, 'America/New_York');
    const startOfMonday = checkedNextMidnight(sundayNoon, 'America/New_York');
    assert.equal(startOfSunday, Date.UTC(2025, 10, 2, 4));
    assert.equal(startOfMonday, Date.UTC(2025, 10, 3, 5));
    assert.equal(startOfMonday - startOfSunday, 25 * HOUR);
  });

  it('finds the start of a Santiago day that has no midnight (00:00 jumps to 01:00 on 2025-09-07)', () => {
    const saturdayNoon = Date.UTC(2025, 8, 6, 16); // 12:00 at -04
    assert.equal(dayKey(saturdayNoon, 'America/Santiago'), '2025-09-06');
    const start = checkedNextMidnight(saturdayNoon, 'America/Santiago');
    assert.equal(start, Date.UTC(2025, 8, 7, 4));
    assert.equal(dayKey(Date.UTC(2025, 8, 7, 4), 'America/Santiago'), '2025-09-07');
    assert.equal(dayKey(Date.UTC(2025, 8, 7, 4) - 1, 'America/Santiago'), '2025-09-06');
    // The skipped day is only 23 hours long: it ends at 03:00 UTC on 8 September (00:00 at -03).
    const end = checkedNextMidnight(start, 'America/Santiago');
    assert.equal(end, Date.UTC(2025, 8, 8, 3));
    assert.equal(end - start, 23 * HOUR);
  });

  it('starts the Kathmandu (+05:45) day at 18:15 UTC of the previous UTC date', () => {
    const instant = Date.UTC(2025, 0, 1, 12); // 17:45 on 1 Jan in Kathmandu
    assert.equal(dayKey(instant, 'Asia/Kathmandu'), '2025-01-01');
    const midnight = checkedNextMidnight(instant, 'Asia/Kathmandu');
    assert.equal(midnight, Date.UTC(2025, 0, 1, 18, 15));
    assert.equal(new Date(midnight).toISOString().slice(0, 10), '2025-01-01');
    assert.equal(dayKey(midnight, 'Asia/Kathmandu'), '2025-01-02');
    assert.equal(msUntilNextDay(instant, 'Asia/Kathmandu'), 6 * HOUR + 15 * MINUTE);
  });

  it('starts the Kiritimati (+14) day at 10:00 UTC and the Chatham (+13:45 in summer) day at 10:15 UTC', () => {
    assert.equal(checkedNextMidnight(Date.UTC(2025, 5, 1, 0), 'Pacific/Kiritimati'), Date.UTC(2025, 5, 1, 10));
    assert.equal(checkedNextMidnight(Date.UTC(2025, 0, 15, 0), 'Pacific/Chatham'), Date.UTC(2025, 0, 15, 10, 15));
  });

  it('counts down the milliseconds to local midnight', () => {
    assert.equal(msUntilNextDay(Date.UTC(2025, 2, 9, 23, 0), 'UTC'), HOUR);
    assert.equal(msUntilNextDay(Date.UTC(2025, 2, 9, 23, 59, 59, 999), 'UTC'), 1);
    assert.equal(msUntilNextDay(Date.UTC(2025, 2, 9, 0, 0), 'UTC'), 24 * HOUR);
    // One minute before the New York spring-forward jump: the rest of the day is 21 h 1 min of real time.
    assert.equal(msUntilNextDay(Date.UTC(2025, 2, 9, 6, 59), 'America/New_York'), Date.UTC(2025, 2, 10, 4) - Date.UTC(2025, 2, 9, 6, 59));
  });

  it('returns an instant that opens the next day and whose preceding millisecond closes today, across sample instants', () => {
    const zones = ['UTC', 'America/New_York', 'America/Santiago', 'Asia/Kathmandu', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Pacific/Kiritimati'];
    for (const zone of zones) {
      for (let instant = Date.UTC(2025, 0, 1); instant < Date.UTC(2026, 0, 1); instant += 7 * 24 * HOUR + 37 * MINUTE) {
        checkedNextMidnight(instant, zone);
      }
    }
  });

  it('handles an offset zone such as +05:45 exactly when the runtime accepts it', () => {
    if (isValidTimeZone('+05:45')) {
      assert.equal(requireTimeZone('+05:45'), '+05:45');
      assert.equal(dayKey(Date.UTC(2025, 0, 1, 18, 14), '+05:45'), '2025-01-01');
      assert.equal(dayKey(Date.UTC(2025, 0, 1, 18, 15), '+05:45'), '2025-01-02');
      assert.equal(checkedNextMidnight(Date.UTC(2025, 0, 1, 12), '+05:45'), Date.UTC(2025, 0, 1, 18, 15));
    } else {
      // This runtime's Intl rejects offset zones: the engine must say so as a ValidationError, not crash.
      assertRejects(() => requireTimeZone('+05:45'), 'timeZone');
      assertRejects(() => dayKey(Date.UTC(2025, 0, 1), '+05:45'), 'timeZone');
    }
  });
});

describe('day keys over two years, hour by hour, in 21 zones', () => {
  const ZONES = [
    'UTC',
    'America/New_York',
    'America/Santiago',
    'America/Sao_Paulo',
    'America/St_Johns',
    'America/Havana',
    'America/Scoresbysund',
    'Europe/London',
    'Europe/Berlin',
    'Europe/Moscow',
    'Africa/Cairo',
    'Asia/Tehran',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Asia/Tokyo',
    'Australia/Lord_Howe',
    'Australia/Adelaide',
    'Pacific/Chatham',
    'Pacific/Kiritimati',
    'Pacific/Apia',
    'Pacific/Pago_Pago',
  ];
  const START = Date.UTC(2024, 0, 1);
  const END = Date.UTC(2025, 11, 31, 23);

  for (const zone of ZONES) {
    it(`never skips or repeats a day and finds every midnight in ${zone}`, () => {
      const first = dayKey(START, zone);
      let previous = first;
      let daysSeen = 1;
      let lastMidnight: number | undefined;
      for (let hour = START + HOUR; hour <= END; hour += HOUR) {
        const key = dayKey(hour, zone);
        if (key === previous) continue;
        const expected = addDays(previous, 1);
        if (key !== expected) {
          assert.fail(`${zone}: at ${new Date(hour).toISOString()} the day went from ${previous} to ${key}, expected ${expected}`);
        }
        // Once per day: the midnight found from the last hour of the old day lies within this hour step.
        const midnight = nextMidnight(hour - HOUR, zone);
        if (!(midnight > hour - HOUR && midnight <= hour)) {
          assert.fail(`${zone}: midnight ${new Date(midnight).toISOString()} outside the hour before ${new Date(hour).toISOString()}`);
        }
        if (dayKey(midnight - 1, zone) !== previous || dayKey(midnight, zone) !== key) {
          assert.fail(`${zone}: ${new Date(midnight).toISOString()} is not the first instant of ${key}`);
        }
        if (lastMidnight !== undefined) {
          const length = midnight - lastMidnight;
          if (length < 23 * HOUR || length > 25 * HOUR) {
            assert.fail(`${zone}: ${previous} lasted ${length / HOUR} hours`);
          }
        }
        lastMidnight = midnight;
        previous = key;
        daysSeen += 1;
      }
      // Consecutive keys differ by at most one day, so every day from the first to the last appeared.
      assert.equal(daysSeen, daysBetween(first, previous) + 1);
      assert.ok(daysSeen >= 730 && daysSeen <= 732, `${zone}: ${daysSeen} days in two years`);
      assert.ok(daysBetween('2024-01-01', first) >= -1 && daysBetween('2024-01-01', first) <= 0);
      assert.ok(daysBetween(previous, '2025-12-31') >= -1 && daysBetween(previous, '2025-12-31') <= 0);
    });
  }
});

describe('calendar arithmetic on day keys', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    assert.equal(addDays('2024-02-28', 1), '2024-02-29');
    assert.equal(addDays('2024-02-29', 1), '2024-03-01');
    assert.equal(addDays('2025-02-28', 1), '2025-03-01');
    assert.equal(addDays('2024-12-31', 1), '2025-01-01');
    assert.equal(addDays('2025-01-01', -1), '2024-12-31');
    assert.equal(addDays('2025-03-01', -1), '2025-02-28');
    assert.equal(addDays('2024-03-01', -1), '2024-02-29');
    assert.equal(addDays('2100-02-28', 1), '2100-03-01');
    assert.equal(addDays('2000-02-28', 1), '2000-02-29');
    assert.equal(addDays('2025-03-09', 0), '2025-03-09');
    assert.equal(addDays('2024-01-01', 366), '2025-01-01');
    assert.equal(addDays('2025-03-15', -7), '2025-03-08');
  });

  it('adds calendar days, not 24-hour steps, so DST days are one day each', () => {
    assert.equal(addDays('2025-03-08', 1), '2025-03-09');
    assert.equal(addDays('2025-03-09', 1), '2025-03-10');
    assert.equal(addDays('2025-11-01', 2), '2025-11-03');
  });

  it('counts whole calendar days between keys, negative backwards', () => {
    assert.equal(daysBetween('2025-03-09', '2025-03-09'), 0);
    assert.equal(daysBetween('2025-03-08', '2025-03-10'), 2);
    assert.equal(daysBetween('2025-03-10', '2025-03-09'), -1);
    assert.equal(daysBetween('2024-01-01', '2025-01-01'), 366);
    assert.equal(daysBetween('2025-01-01', '2026-01-01'), 365);
    assert.equal(daysBetween('2024-02-28', '2024-03-01'), 2);
    for (const [day, offset] of [['2024-02-10', 40], ['2025-12-30', -400], ['2023-06-15', 1000]] as const) {
      assert.equal(daysBetween(day, addDays(day, offset)), offset);
    }
  });

  it('names the weekday of a date and recognises weekends', () => {
    assert.equal(weekdayOf('2025-03-08'), 'sat');
    assert.equal(weekdayOf('2025-03-09'), 'sun');
    assert.equal(weekdayOf('2025-03-10'), 'mon');
    assert.equal(weekdayOf('2025-03-14'), 'fri');
    assert.equal(weekdayOf('2000-01-01'), 'sat');
    assert.equal(weekdayOf('2024-02-29'), 'thu');
    assert.equal(isWeekend('2025-03-08'), true);
    assert.equal(isWeekend('2025-03-09'), true);
    assert.equal(isWeekend('2025-03-10'), false);
    assert.equal(isWeekend('2025-03-14'), false);
    const week = Array.from({ length: 7 }, (_, i) => addDays('2025-03-10', i));
    assert.deepEqual(week.map(weekdayOf), ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
    assert.deepEqual(week.filter(isWeekend), ['2025-03-15', '2025-03-16']);
  });
});

describe('validation of zones, instants and day keys', () => {
  it('recognises IANA zones and rejects unknown ones', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/Santiago', 'Asia/Kathmandu', 'Pacific/Kiritimati']) {
      assert.equal(isValidTimeZone(zone), true, zone);
      assert.equal(requireTimeZone(zone), zone);
    }
    for (const zone of ['Mars/Olympus', '', 'Europe/Berlin '.repeat(10), 42, null, undefined, {}, ['UTC']]) {
      assert.equal(isValidTimeZone(zone), false, String(zone));
    }
  });

  it('throws a ValidationError naming the zone field for an invalid zone', () => {
    const error = assertRejects(() => requireTimeZone('Mars/Olympus'), 'timeZone');
    assert.match(error.message, /Mars\/Olympus/);
    assertRejects(() => requireTimeZone(''), 'timeZone');
    assertRejects(() => requireTimeZone(42), 'timeZone');
    assertRejects(() => requireTimeZone(null), 'timeZone');
    assertRejects(() => requireTimeZone(undefined), 'timeZone');
    assertRejects(() => requireTimeZone('Mars/Olympus', 'options.timeZone'), 'options.timeZone');
    assertRejects(() => dayKey(Date.UTC(2025, 0, 1), 'Mars/Olympus'), 'timeZone');
    assertRejects(() => nextMidnight(Date.UTC(2025, 0, 1), ''), 'timeZone');
    assertRejects(() => dayKey(Date.UTC(2025, 0, 1), 7 as unknown as string), 'timeZone');
  });

  it('throws a ValidationError naming the instant for NaN, infinite, negative and non-number instants', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, -Date.UTC(2025, 0, 1)]) {
      assertRejects(() => dayKey(bad, 'UTC'), 'instant');
      assertRejects(() => nextMidnight(bad, 'Europe/Berlin'), 'instant');
      assertRejects(() => msUntilNextDay(bad, 'Asia/Tokyo'), 'instant');
    }
    assertRejects(() => dayKey('1741478400000' as unknown as number, 'UTC'), 'instant');
    assertRejects(() => dayKey(new Date(2025, 0, 1) as unknown as number, 'UTC'), 'instant');
  });

  it('accepts real calendar dates as day keys and rejects impossible or malformed ones', () => {
    assert.equal(requireDayKey('2024-02-29'), '2024-02-29');
    assert.equal(requireDayKey('2025-12-31'), '2025-12-31');
    for (const bad of ['2025-02-30', '2025-02-29', '2025-2-1', '2025-13-01', '2025-00-10', '2025-01-32', 'x', '', '2025-03-09T00:00', ' 2025-03-09']) {
      const error = assertRejects(() => requireDayKey(bad), 'day');
      assert.ok(error.message.includes('YYYY-MM-DD'), error.message);
    }
    assertRejects(() => requireDayKey(20250309), 'day');
    assertRejects(() => requireDayKey(null, 'request.day'), 'request.day');
  });

  it('rejects bad day keys in the calendar helpers with the same ValidationError', () => {
    assertRejects(() => addDays('2025-02-30', 1), 'day');
    assertRejects(() => addDays('2025-2-1', 1), 'day');
    assertRejects(() => daysBetween('x', '2025-03-09'), 'day');
    assertRejects(() => daysBetween('2025-03-09', '2025-02-30'), 'day');
    assertRejects(() => weekdayOf('x'), 'day');
    assertRejects(() => isWeekend('2025-2-1'), 'day');
  });
});

describe('defaultTimeZoneFor: a zone from a language tag', () => {
  it('maps languages and language-region tags to their most populous zone', () => {
    assert.equal(defaultTimeZoneFor('de'), 'Europe/Berlin');
    assert.equal(defaultTimeZoneFor('ja'), 'Asia/Tokyo');
    assert.equal(defaultTimeZoneFor('pt-BR'), 'America/Sao_Paulo');
    assert.equal(defaultTimeZoneFor('pt'), 'Europe/Lisbon');
    assert.equal(defaultTimeZoneFor('de-AT'), 'Europe/Berlin');
    assert.equal(defaultTimeZoneFor('en-US'), 'America/New_York');
  });

  it('ignores case, underscores and surrounding spaces in the tag', () => {
    assert.equal(defaultTimeZoneFor('PT-br'), 'America/Sao_Paulo');
    assert.equal(defaultTimeZoneFor('pt_BR'), 'America/Sao_Paulo');
    assert.equal(defaultTimeZoneFor(' DE '), 'Europe/Berlin');
  });

  it('falls back to UTC for plain English, unknown tags, prototype keys and missing values', () => {
    for (const tag of ['en', 'xx', 'xx-YY', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'de-__proto__']) {
      const expected = tag === 'de-__proto__' ? 'Europe/Berlin' : 'UTC';
      assert.equal(defaultTimeZoneFor(tag), expected, JSON.stringify(tag));
    }
    assert.equal(defaultTimeZoneFor(undefined), 'UTC');
    assert.equal(defaultTimeZoneFor(null), 'UTC');
    assert.equal(defaultTimeZoneFor(42 as unknown as string), 'UTC');
  });

  it('only ever returns zones the runtime accepts', () => {
    const tags = [
      'en', 'en-US', 'en-GB', 'en-AU', 'en-IN', 'en-CA', 'en-NZ', 'de', 'de-DE', 'de-CH', 'es', 'es-MX', 'es-AR', 'es-ES',
      'fr', 'fr-CA', 'fr-FR', 'el', 'el-CY', 'el-GR', 'pt', 'pt-BR', 'pt-PT', 'tr', 'tr-TR', 'ja', 'ja-JP', 'ar', 'ar-EG',
      'ar-SA', 'zh', 'ko', 'xx', '', '__proto__', 'constructor', undefined, null,
    ];
    for (const tag of tags) {
      const zone = defaultTimeZoneFor(tag);
      assert.equal(isValidTimeZone(zone), true, `${String(tag)} → ${zone}`);
      assert.match(dayKey(Date.UTC(2025, 0, 1, 12), zone), /^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
