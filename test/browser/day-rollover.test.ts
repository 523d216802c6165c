/**
 * The day rolls over at local midnight in the configured zone (docs/architecture.md §5.1), with a
 * controllable clock: Tokyo (a zone far from UTC), New York on its 23- and 25-hour
 * days, Santiago on the day whose midnight does not exist, and +05:45 / +14 zones.
 * Activity is bucketed by the local day of its own instant, never by its UTC date
 * (the original's bug) and never by the day it happened to be recorded on.
 */
import { expect } from 'chai';
import { connectMissions } from '../../src/client.js';
import type { MissionsClient } from '../../src/client.js';
import { freshUser, lesson, TestClock } from './support/helpers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const clock = new TestClock(0);
let client: MissionsClient;

beforeEach(() => {
  client = connectMissions({ now: clock.now });
});
afterEach(() => client.close());

/** The local wall-clock time of an instant, `YYYY-MM-DD HH:mm:ss` (to document what each instant is). */
function wallClock(instant: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

/** getDaily at `instant`: the day and the instant of its next local midnight. */
async function dayAt(user: string, instant: number, timeZone: string): Promise<{ day: string; nextDayAt: number }> {
  clock.time = instant;
  const daily = await client.getDaily(user, { timeZone });
  return { day: daily.day, nextDayAt: daily.nextDayAt };
}

describe('day rollover at local midnight', () => {
  it('Asia/Tokyo: day D until midnight, a fresh day D+1 after it; late-recorded activity stays on its own day', async () => {
    const zone = 'Asia/Tokyo';
    const user = freshUser();
    const D = '2025-06-15';
    const D1 = '2025-06-16';
    const midnight = Date.UTC(2025, 5, 15, 15); // 2025-06-16 00:00 in Tokyo
    expect(wallClock(midnight, zone)).to.equal('2025-06-16 00:00:00');

    // 23:59:30 on D.
    clock.time = midnight - 30_000;
    const before = await client.getDaily(user, { timeZone: zone });
    expect(before.day).to.equal(D);
    expect(before.nextDayAt, 'nextDayAt is the exact instant of local midnight').to.equal(midnight);
    expect(before.missions).to.have.length(3);
    const yesterdayIds = before.missions.map((m) => m.templateId);

    // 23:59:40: a lesson counts for D.
    clock.advance(10_000);
    const recorded = await client.record(user, lesson(10, 10, { seconds: 60 }), { timeZone: zone });
    expect(recorded.daily.day).to.equal(D);

    // 00:00:10 on D+1: a new day with fresh missions.
    clock.time = midnight + 10_000;
    const after = await client.getDaily(user, { timeZone: zone });
    expect(after.day).to.equal(D1);
    expect(after.nextDayAt).to.equal(midnight + DAY);
    expect(after.missions.length).to.be.greaterThan(0);
    for (const mission of after.missions) expect(yesterdayIds, 'no template of yesterday is assigned today').not.to.include(mission.templateId);
    expect(after.missions.every((m) => !m.completed), 'nothing of D completes a mission of D+1').to.equal(true);

    // 00:00:20: a lesson that happened at 23:59:50 on D, recorded after midnight, belongs to D.
    clock.advance(10_000);
    const late = await client.record(user, lesson(10, 10, { seconds: 60, at: midnight - 10_000 }), { timeZone: zone });
    expect(late.daily.day).to.equal(D1);
    expect(late.daily.missions.map((m) => [m.templateId, m.current]), 'D+1 missions did not move').to.deep.equal(after.missions.map((m) => [m.templateId, m.current]));
    expect(late.completed.every((m) => !after.missions.some((a) => a.templateId === m.templateId)), 'only D missions can complete').to.equal(true);

    const exported = await client.exportData(user, { timeZone: zone });
    expect(exported.activity.map((row) => row.day)).to.deep.equal([D, D]);
    const days = Object.fromEntries(exported.days.map((row) => [row.day, row]));
    expect(Object.keys(days).sort()).to.deep.equal([D, D1]);
    expect(days[D]!.stats.lessonsCompleted, "D's stats have both lessons").to.equal(2);
    expect(days[D1]!.stats.lessonsCompleted).to.equal(0);
    // D's lesson missions saw both lessons; D+1's saw none.
    for (const mission of exported.missions) {
      if (mission.check !== 'lessons_completed_today') continue;
      expect(mission.current, `${mission.day} ${mission.templateId}`).to.equal(mission.day === D ? Math.min(2, mission.target) : 0);
    }
    const history = await client.history(user, { timeZone: zone });
    expect(history.days.map((d) => d.day)).to.deep.equal([D1, D]);
  });

  it('Asia/Tokyo: a lesson at 08:00 local (23:00Z of the previous UTC date) counts for the Tokyo day', async () => {
    const zone = 'Asia/Tokyo';
    const user = freshUser();
    const eight = Date.UTC(2025, 5, 16, 23); // 2025-06-17 08:00 in Tokyo, 2025-06-16 in UTC
    expect(wallClock(eight, zone)).to.equal('2025-06-17 08:00:00');
    clock.time = eight;
    const daily = await client.getDaily(user, { timeZone: zone });
    expect(daily.day).to.equal('2025-06-17');
    const recorded = await client.record(user, lesson(10, 10), { timeZone: zone });
    expect(recorded.daily.day).to.equal('2025-06-17');
    // Another one stamped explicitly at 00:30 Tokyo (15:30Z on the 16th).
    await client.record(user, lesson(10, 10, { at: Date.UTC(2025, 5, 16, 15, 30) }), { timeZone: zone });

    const exported = await client.exportData(user, { timeZone: zone });
    expect(exported.activity.map((row) => row.day)).to.deep.equal(['2025-06-17', '2025-06-17']);
    expect(exported.days.map((row) => row.day), 'no row for the UTC date').to.deep.equal(['2025-06-17']);
    expect(exported.days[0]!.stats.lessonsCompleted).to.equal(2);
    for (const mission of exported.missions) {
      if (mission.check === 'lessons_completed_today') expect(mission.current).to.equal(Math.min(2, mission.target));
    }
  });

  it('America/New_York 2025-03-09 (23 hours): the day starts and ends at the real local midnights', async () => {
    const zone = 'America/New_York';
    const user = freshUser();
    const start = Date.UTC(2025, 2, 9, 5); // 00:00 EST
    const end = Date.UTC(2025, 2, 10, 4); // 00:00 EDT
    expect(wallClock(start, zone)).to.equal('2025-03-09 00:00:00');
    expect(wallClock(end, zone)).to.equal('2025-03-10 00:00:00');

    expect(await dayAt(user, start - HOUR, zone)).to.deep.equal({ day: '2025-03-08', nextDayAt: start });
    expect((await dayAt(user, start - 1, zone)).day).to.equal('2025-03-08');
    expect(await dayAt(user, start, zone)).to.deep.equal({ day: '2025-03-09', nextDayAt: end });
    expect(await dayAt(user, Date.UTC(2025, 2, 9, 6, 30), zone), '01:30 EST').to.deep.equal({ day: '2025-03-09', nextDayAt: end });
    expect(await dayAt(user, Date.UTC(2025, 2, 9, 7, 30), zone), '03:30 EDT').to.deep.equal({ day: '2025-03-09', nextDayAt: end });
    expect(end - start).to.equal(23 * HOUR);
    expect((await dayAt(user, end - 1, zone)).day).to.equal('2025-03-09');
    expect(await dayAt(user, end, zone)).to.deep.equal({ day: '2025-03-10', nextDayAt: Date.UTC(2025, 2, 11, 4) });
  });

  it('America/New_York 2025-11-02 (25 hours): the day ends at the real local midnight, late activity stays on it', async () => {
    const zone = 'America/New_York';
    const user = freshUser();
    const start = Date.UTC(2025, 10, 2, 4); // 00:00 EDT
    const end = Date.UTC(2025, 10, 3, 5); // 00:00 EST
    expect(wallClock(end, zone)).to.equal('2025-11-03 00:00:00');

    expect(await dayAt(user, start, zone)).to.deep.equal({ day: '2025-11-02', nextDayAt: end });
    expect(end - start).to.equal(25 * HOUR);
    // 01:30 happens twice; both are on the 2nd.
    expect(await dayAt(user, Date.UTC(2025, 10, 2, 5, 30), zone)).to.deep.equal({ day: '2025-11-02', nextDayAt: end });
    expect(await dayAt(user, Date.UTC(2025, 10, 2, 6, 30), zone)).to.deep.equal({ day: '2025-11-02', nextDayAt: end });
    // 23:30 EST is already the 3rd in UTC; it is still the 2nd here.
    expect(await dayAt(user, end - 30 * 60_000, zone)).to.deep.equal({ day: '2025-11-02', nextDayAt: end });
    await client.record(user, lesson(), { timeZone: zone });
    expect((await dayAt(user, end - 1, zone)).day).to.equal('2025-11-02');
    expect(await dayAt(user, end, zone)).to.deep.equal({ day: '2025-11-03', nextDayAt: Date.UTC(2025, 10, 4, 5) });
    const exported = await client.exportData(user, { timeZone: zone });
    expect(exported.activity.map((row) => row.day)).to.deep.equal(['2025-11-02']);
  });

  it('America/Santiago 2025-09-07 (no midnight): the day starts at 01:00 local = 04:00Z', async () => {
    const zone = 'America/Santiago';
    const user = freshUser();
    const start = Date.UTC(2025, 8, 7, 4);
    expect(wallClock(start - 1, zone)).to.equal('2025-09-06 23:59:59');
    expect(wallClock(start, zone), 'the clocks jump from 23:59:59 to 01:00').to.equal('2025-09-07 01:00:00');

    expect(await dayAt(user, Date.UTC(2025, 8, 6, 16), zone), 'noon on the 6th').to.deep.equal({ day: '2025-09-06', nextDayAt: start });
    expect((await dayAt(user, start - 1, zone)).day).to.equal('2025-09-06');
    const first = await dayAt(user, start, zone);
    expect(first).to.deep.equal({ day: '2025-09-07', nextDayAt: Date.UTC(2025, 8, 8, 3) });
    expect(first.nextDayAt - start, 'a 23-hour day').to.equal(23 * HOUR);
    // A lesson at 23:30 on the 6th (03:30Z on the 7th), recorded on the 7th, belongs to the 6th.
    await client.record(user, lesson(10, 10, { at: start - 30 * 60_000 }), { timeZone: zone });
    const exported = await client.exportData(user, { timeZone: zone });
    expect(exported.activity.map((row) => row.day)).to.deep.equal(['2025-09-06']);
  });

  it('zones at +05:45 and +14:00 roll over at their own midnights', async () => {
    const user = freshUser();
    const kathmandu = Date.UTC(2025, 5, 14, 18, 15); // 2025-06-15 00:00 in Kathmandu
    expect(wallClock(kathmandu, 'Asia/Kathmandu')).to.equal('2025-06-15 00:00:00');
    expect(await dayAt(user, kathmandu - 1, 'Asia/Kathmandu')).to.deep.equal({ day: '2025-06-14', nextDayAt: kathmandu });
    expect(await dayAt(user, kathmandu, 'Asia/Kathmandu')).to.deep.equal({ day: '2025-06-15', nextDayAt: kathmandu + DAY });

    const other = freshUser();
    const kiritimati = Date.UTC(2025, 5, 14, 10); // 2025-06-15 00:00 on Kiritimati
    expect(wallClock(kiritimati, 'Pacific/Kiritimati')).to.equal('2025-06-15 00:00:00');
    expect(await dayAt(other, kiritimati - 1, 'Pacific/Kiritimati')).to.deep.equal({ day: '2025-06-14', nextDayAt: kiritimati });
    expect(await dayAt(other, kiritimati, 'Pacific/Kiritimati')).to.deep.equal({ day: '2025-06-15', nextDayAt: kiritimati + DAY });
  });
});
