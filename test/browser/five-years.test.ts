/**
 * Five years of history cost nothing today (docs/architecture.md §6 and 8): a user with 36,500
 * recorded activities (20 a day for 5 years) is evaluated from the same handful of
 * records as a user with none, and as fast.
 *
 * The history is seeded through the real API (`record` with batches of 1,000
 * activities stamped with explicit `at`, oldest first, the clock at the end of the
 * period). Reads are counted by fixtures/scale-counting-worker.ts: the real worker with
 * IndexedDB's read methods wrapped, its counters fetched over a BroadcastChannel.
 */
import { expect } from 'chai';
import { connectMissions } from '../../src/client.js';
import type { ActivityInput, MissionsClient } from '../../src/client.js';
import type { CounterSnapshot } from './fixtures/scale-counting-worker.js';
import { deleteDatabase, fixtureWith, ownDatabase } from './support/faults.js';
import { freshUser, lesson, TestClock } from './support/helpers.js';
import { activitiesOfDay as dayOfHistory } from '../bench/harness.js';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const YEARS_DAYS = 1825; // 5 × 365
const PER_DAY = 20;
const TOTAL = YEARS_DAYS * PER_DAY; // 36,500
const BATCH = 1_000;
const FIRST_DAY_UTC = Date.UTC(2020, 6, 2); // 2020-07-02
const LAST_DAY = '2025-06-30'; // FIRST_DAY + 1824 days
/** The end of the period: 20:00 in Berlin on the last day, after all its activity. */
const END = Date.UTC(2025, 5, 30, 18);
const settings = { timeZone: ZONE };
/**
 * A database of this test's own, dropped whole at the end. Deleting 36,500 activities row
 * by row would take about 50 s in WebKitGTK 2.50, whose index upkeep makes each deleted
 * row cost in proportion to the rows left (measured: 5,000 rows 0.2 s, 10,000 1.0 s,
 * 20,000 5.3 s, 36,500 30 s), and would leave the shared database locked for the next file.
 */
const DATABASE = ownDatabase('five-years');
const FIXTURE = fixtureWith('scale-counting-worker', { database: DATABASE });

/** Records-read budget of one ordinary call, and the allowed difference between the two users. */
const SMALL = 50;
// A brand-new user has no profile, no yesterday and no day rows, so a returning learner
// reads a few more records on any day (the profile, read by the read-only probe and again
// by the assignment, yesterday's missions, today's row): a constant, not history.
const SAME = 8;

/** The 20 activities of day `i` (0 = oldest), between 06:00Z and 10:45Z: inside one Berlin day. */
function activitiesOfDay(i: number): ActivityInput[] {
  return dayOfHistory(FIRST_DAY_UTC + i * DAY, i, PER_DAY);
}

// ---------------------------------------------------------------------------
// Counters of the fixture worker

const counterChannel = new BroadcastChannel('daily-missions-test-counters');
let counterInstance: string | null = null;

function askCounters(type: 'reset' | 'get'): Promise<CounterSnapshot> {
  const requestId = crypto.randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      counterChannel.removeEventListener('message', onMessage);
      reject(new Error('the counting worker did not answer'));
    }, 5_000);
    function onMessage(event: MessageEvent) {
      const data = event.data as { type?: string; requestId?: string; instance?: string; counters?: CounterSnapshot };
      if (data?.type !== 'counters' || data.requestId !== requestId) return;
      clearTimeout(timer);
      counterChannel.removeEventListener('message', onMessage);
      counterInstance ??= data.instance!;
      if (data.instance !== counterInstance) reject(new Error('more than one counting worker answered'));
      else resolve(data.counters!);
    }
    counterChannel.addEventListener('message', onMessage);
    counterChannel.postMessage({ type, requestId });
  });
}

/** Runs `call` and returns what the worker read and wrote for it, and how long it took. */
async function measure(call: () => Promise<unknown>): Promise<CounterSnapshot & { ms: number }> {
  await askCounters('reset');
  const started = performance.now();
  await call();
  const ms = performance.now() - started;
  return { ...(await askCounters('get')), ms };
}

const describeCounts = (c: CounterSnapshot & { ms: number }) =>
  `${c.totalReadRecords} records in ${c.totalReadRequests} reads (${JSON.stringify(c.readRecords)}), ${c.totalWriteRequests} writes, ${c.ms.toFixed(1)} ms`;

function expectSameCost(label: string, fresh: CounterSnapshot & { ms: number }, old: CounterSnapshot & { ms: number }): void {
  const detail = `${label}: fresh user ${describeCounts(fresh)}; five-year user ${describeCounts(old)}`;
  console.log(detail);
  expect(old.totalReadRecords, `records read — ${detail}`).to.be.below(SMALL);
  expect(fresh.totalReadRecords, `records read — ${detail}`).to.be.below(SMALL);
  expect(Math.abs(old.totalReadRecords - fresh.totalReadRecords), `records read differ — ${detail}`).to.be.at.most(SAME);
  expect(Math.abs(old.totalReadRequests - fresh.totalReadRequests), `read requests differ — ${detail}`).to.be.at.most(SAME);
  expect(Math.abs(old.totalWriteRequests - fresh.totalWriteRequests), `writes differ — ${detail}`).to.be.at.most(SAME);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

// ---------------------------------------------------------------------------

describe('five years of history', function () {
  this.timeout(180_000);
  const clock = new TestClock(END);
  const veteran = freshUser('five-years');
  let client: MissionsClient;

  before(async function () {
    this.timeout(180_000);
    client = connectMissions({ workerUrl: FIXTURE, now: clock.now, timeoutMs: 60_000 });
    const all: ActivityInput[] = [];
    for (let i = 0; i < YEARS_DAYS; i += 1) all.push(...activitiesOfDay(i));
    expect(all).to.have.length(TOTAL);

    const started = performance.now();
    for (let start = 0; start < all.length; start += BATCH) {
      const result = await client.record(veteran, all.slice(start, start + BATCH), settings);
      expect(result.daily.status.storage).to.equal('indexeddb');
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`seeded ${TOTAL} activities in ${Math.ceil(TOTAL / BATCH)} batches in ${seconds.toFixed(1)} s`);
    expect(seconds, 'seeding time').to.be.below(60);

    const exported = await client.exportData(veteran, settings);
    expect(exported.activity).to.have.length(TOTAL);
    expect(exported.days).to.have.length(YEARS_DAYS);
    expect(exported.days[0]!.day).to.equal('2020-07-02');
    expect(exported.days.at(-1)!.day).to.equal(LAST_DAY);
    expect(exported.days.every((d) => d.stats.activityCount === PER_DAY), 'every day got its 20 activities').to.equal(true);
    expect(exported.profile!.learner.lessonsCompleted).to.equal(4 * YEARS_DAYS);
  });

  after(async function () {
    this.timeout(60_000);
    // Closing the client ends the worker and its connection, so the drop is not blocked.
    client.close();
    counterChannel.close();
    await deleteDatabase(DATABASE, 30_000);
  });

  it('reads the same few records for getDaily and record() later in the day as a user with no history', async () => {
    clock.time = END;
    const fresh = freshUser('fresh');
    await client.getDaily(fresh, settings); // assigns the fresh user's day (the veteran's was assigned while seeding)

    const getDailyFresh = await measure(() => client.getDaily(fresh, settings));
    const getDailyOld = await measure(() => client.getDaily(veteran, settings));
    const recordFresh = await measure(() => client.record(fresh, lesson(10, 10, { seconds: 300, setId: 'new-set' }), settings));
    const recordOld = await measure(() => client.record(veteran, lesson(10, 10, { seconds: 300, setId: 'new-set' }), settings));
    expectSameCost('getDaily', getDailyFresh, getDailyOld);
    expectSameCost('record', recordFresh, recordOld);
  });

  it("reads the same few records for the first getDaily of a new day (assignment) and the day's first record()", async () => {
    clock.time = END + DAY; // the next evening: a new day for both users
    const fresh = freshUser('fresh');
    const getDailyFresh = await measure(() => client.getDaily(fresh, settings));
    const getDailyOld = await measure(() => client.getDaily(veteran, settings));
    const recordFresh = await measure(() => client.record(fresh, lesson(10, 10, { seconds: 300 }), settings));
    const recordOld = await measure(() => client.record(veteran, lesson(10, 10, { seconds: 300 }), settings));
    expectSameCost('record', recordFresh, recordOld);
    expectSameCost('first getDaily of the day', getDailyFresh, getDailyOld);
  });

  it('records a lesson and reads the day back as fast after five years as on day one (median of 15)', async () => {
    clock.time = END + 2 * DAY;
    const fresh = freshUser('fresh');
    for (const user of [fresh, veteran]) {
      // Warm up: the day's assignment and the first write are not what is timed.
      await client.getDaily(user, settings);
      await client.record(user, lesson(), settings);
    }
    const times = new Map<string, number[]>([
      [fresh, []],
      [veteran, []],
    ]);
    for (let run = 0; run < 15; run += 1) {
      // Alternate the users so drift in the machine's speed hits both alike.
      for (const user of run % 2 === 0 ? [fresh, veteran] : [veteran, fresh]) {
        clock.advance(1_000);
        const started = performance.now();
        await client.record(user, lesson(9, 10, { seconds: 120 }), settings);
        await client.getDaily(user, settings);
        times.get(user)!.push(performance.now() - started);
      }
    }
    const freshMedian = median(times.get(fresh)!);
    const oldMedian = median(times.get(veteran)!);
    console.log(`record()+getDaily median: fresh ${freshMedian.toFixed(2)} ms, five-year ${oldMedian.toFixed(2)} ms`);
    expect(oldMedian, `five-year median ${oldMedian.toFixed(2)} ms vs fresh ${freshMedian.toFixed(2)} ms`).to.be.at.most(1.5 * freshMedian + 5);
  });
});
