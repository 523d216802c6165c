/**
 * One conformance suite for every store: the worker's daily flows (worker/daily.ts) and
 * the backup (worker/backup.ts) run the same script on the in-memory store, on PGlite
 * and on real PostgreSQL, and every step must answer the same (as JSON, the way the
 * server sends it). The memory store is the reference the browser already relies on.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallContext, IdentifiedActivity } from '../../worker/daily.js';
import * as daily from '../../worker/daily.js';
import { exportUser, importUser } from '../../worker/backup.js';
import { normalizeActivities } from '../../worker/engine/activity.js';
import type { Store, Tx } from '../../worker/store/store.js';
import type { Preferences } from '../../worker/store/rows.js';
import { ValidationError } from '../../worker/engine/errors.js';
import { catalog } from '../engine/support/fixtures.js';
import { CHECK_NAMES } from '../../worker/engine/types.js';
import { BACKENDS } from './support/stores.js';

const ZONE = 'Europe/Berlin';
const DAY_ONE = Date.parse('2026-03-10T08:00:00Z');
const HOUR = 3_600_000;

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

/**
 * The script: two learners (one with an id that needs escaping), three days, every
 * flow, and the contract's edges (a refused reroll, a second claim, an import refused
 * without replace, data deleted and restored). Returns every step's answer.
 */
async function script(store: Store): Promise<Array<[string, unknown]>> {
  const log: Array<[string, unknown]> = [];
  let clock = DAY_ONE;
  const ctx = (userId: string, overrides: Partial<Preferences> = {}): CallContext => ({ userId, now: clock, timeZone: ZONE, overrides, catalog });
  const step = async <T>(name: string, mode: 'readonly' | 'readwrite', flow: (tx: Tx) => Promise<T>) => {
    log.push([name, json(await store.transact(mode, flow))]);
    clock += 7 * 60_000;
  };
  // Ids as a client would send them: the same on every store, so exports compare.
  let sent = 0;
  const identified = (input: unknown[]): IdentifiedActivity[] => normalizeActivities(input, clock).map((activity) => ({ ...activity, id: `client-${(sent += 1)}` }));
  const lessons = (count: number, correct: number, at = clock) =>
    identified(Array.from({ length: count }, (_, i) => ({ type: 'lesson-completed', lessonId: `l${i}`, setId: `set-${i % 2}`, correct, total: 10, seconds: 240, at: at - i * 1000 })));

  const a = 'learner-a';
  const b = 'b/ü "quoted" \u{1F600}';
  await step('read before any assignment', 'readonly', (tx) => daily.readDaily(tx, ctx(a)));
  await step('first getDaily assigns', 'readwrite', (tx) => daily.getDaily(tx, ctx(a)));
  await step('second getDaily returns the same', 'readwrite', (tx) => daily.getDaily(tx, ctx(a)));
  await step('readDaily once assigned', 'readonly', (tx) => daily.readDaily(tx, ctx(a)));
  const firstBatch = lessons(2, 9);
  await step('record two lessons', 'readwrite', (tx) => daily.recordActivities(tx, ctx(a), firstBatch));
  await step('the same batch resent counts nothing', 'readwrite', (tx) => daily.recordActivities(tx, ctx(a), firstBatch));
  await step('record a review and study time', 'readwrite', (tx) =>
    daily.recordActivities(tx, ctx(a), identified([{ type: 'element-reviewed', elementId: 'e1', correct: true }, { type: 'study-time', seconds: 900 }, { type: 'exercise-completed', exerciseType: 'cloze' }])),
  );
  await step('host pushes stats', 'readwrite', (tx) => daily.pushStats(tx, ctx(a), { lessons_completed_today: 6, minutes_learned_today: 60, review_sessions_completed_today: 2 }));
  await step('claim celebrations', 'readwrite', (tx) => daily.claimCelebrations(tx, ctx(a)));
  await step('second claim gets nothing', 'readwrite', (tx) => daily.claimCelebrations(tx, ctx(a)));
  await step('reroll', 'readwrite', (tx) => daily.reroll(tx, ctx(a)));
  await step('second reroll refused', 'readwrite', (tx) => daily.reroll(tx, ctx(a)));
  await step('preferences', 'readwrite', (tx) => daily.setPreferences(tx, ctx(a), { count: 2, mix: 'auto', rerollsPerDay: 2 }));
  await step('learner b with an escaped id', 'readwrite', (tx) => daily.recordActivities(tx, ctx(b), lessons(1, 10)));

  clock = DAY_ONE + 24 * HOUR;
  await step('day two assigns with auto mix', 'readwrite', (tx) => daily.getDaily(tx, ctx(a)));
  await step('a back-dated lesson counts for day one', 'readwrite', (tx) => daily.recordActivities(tx, ctx(a), lessons(1, 10, DAY_ONE + 2 * HOUR)));
  await step('lessons on day two', 'readwrite', (tx) => daily.recordActivities(tx, ctx(a), lessons(4, 10)));
  await step('zone override for one call', 'readwrite', (tx) => daily.getDaily(tx, ctx(a, { timeZone: 'Pacific/Kiritimati' })));

  clock = DAY_ONE + 3 * 24 * HOUR;
  await step('day four after a gap', 'readwrite', (tx) => daily.recordActivities(tx, ctx(a), lessons(3, 8)));
  await step('history', 'readonly', (tx) => daily.history(tx, ctx(a), 30));
  await step('undelivered awards', 'readonly', (tx) => tx.undeliveredAwards(a));
  await step('lease one award, deliver two', 'readwrite', async (tx) => {
    const pending = await tx.undeliveredAwards(a);
    await tx.leaseAwards(a, [pending[2]!.awardId], clock + 60_000);
    await tx.markAwardsDelivered(a, [pending[0]!.awardId, pending[1]!.awardId, 'award:v1:unknown'], clock);
    return tx.undeliveredAwards(a);
  });
  await step('history of b', 'readonly', (tx) => daily.history(tx, ctx(b), 7));
  await step('export a', 'readonly', (tx) => exportUser(tx, a, clock));

  const backup = json(await store.transact('readonly', (tx) => exportUser(tx, a, clock)));
  const refused = await store.transact('readwrite', (tx) => importUser(tx, backup, { replace: false, userId: b, catalog })).then(
    () => 'imported',
    (error: unknown) => (error instanceof ValidationError ? `${error.field}: refused` : String(error)),
  );
  log.push(['import over b without replace', refused]);
  await step('b unchanged after the refused import', 'readonly', (tx) => exportUser(tx, b, clock));
  await step('import a into b with replace', 'readwrite', (tx) => importUser(tx, backup, { replace: true, userId: b, catalog }));
  await step('b now holds a copy of a', 'readonly', (tx) => exportUser(tx, b, clock));
  await step('delete a', 'readwrite', (tx) => tx.deleteUser(a));
  await step('a after delete: profile, days, missions, activity', 'readonly', async (tx) => ({
    profile: (await tx.getProfile(a)) ?? null,
    days: await tx.allDays(a),
    missions: await tx.allMissions(a),
    activity: await tx.allActivity(a),
  }));
  await step('a starts over the same day', 'readwrite', (tx) => daily.recordActivities(tx, ctx(a), lessons(3, 8)));
  await step('restore a from the backup', 'readwrite', (tx) => importUser(tx, backup, { replace: true, userId: a, catalog }));
  await step('a restored', 'readonly', (tx) => exportUser(tx, a, clock));
  await step('a disabled writes nothing', 'readwrite', (tx) => daily.recordActivities(tx, ctx(a, { enabled: false }), lessons(2, 10)));
  return log;
}

/**
 * The store contract leaves the order of awards within one day open (the memory store
 * keeps insertion order, SQL orders by time and template): compare them sorted.
 */
function canonical(log: Array<[string, unknown]>): Array<[string, unknown]> {
  const sortAwards = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortAwards);
    if (value === null || typeof value !== 'object') return value;
    const object = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, sortAwards(inner)]));
    if (Array.isArray(object['awards'])) {
      object['awards'] = [...(object['awards'] as Array<{ day: string; templateId: string }>)].sort((x, y) => (x.day + x.templateId).localeCompare(y.day + y.templateId));
    }
    return object;
  };
  return log.map(([name, value]) => [name, sortAwards(value)]);
}

/** Opens `backend`'s store before the enclosing suite's tests and disposes of it after them. */
function openedFor(backend: (typeof BACKENDS)[number]): () => Store {
  let opened: Awaited<ReturnType<typeof backend.open>> | undefined;
  before(async () => {
    opened = await backend.open();
  });
  after(async () => {
    await opened?.dispose();
  });
  return () => opened!.store;
}

describe('the daily flows give the same answers on every store', () => {
  let reference: Array<[string, unknown]>;

  before(async () => {
    const memory = BACKENDS.find((b) => b.name === 'memory')!;
    const { store, dispose } = await memory.open();
    reference = canonical(await script(store));
    await dispose();
  });

  it('the script exercises assignment, awards, rerolls, backups and deletion on the reference store', () => {
    const names = reference.map(([name]) => name);
    assert.equal(names.length, 34);
    const recorded = reference.find(([name]) => name === 'record two lessons')![1] as { completed: unknown[] };
    assert.ok(recorded.completed.length > 0, 'two lessons complete at least one mission');
    const resent = reference.find(([name]) => name === 'the same batch resent counts nothing')![1] as { completed: unknown[]; state: { missions: unknown } };
    assert.deepEqual(resent.completed, []);
    assert.deepEqual(resent.state.missions, (recorded as unknown as { state: { missions: unknown } }).state.missions, 'no progress from the resend');
    const leased = reference.find(([name]) => name === 'lease one award, deliver two')![1] as Array<{ leasedUntil?: number }>;
    assert.ok(leased.length >= 1 && leased.some((award) => award.leasedUntil !== undefined));
    const restored = reference.find(([name]) => name === 'a restored')![1] as { awards: unknown[]; activity: unknown[] };
    assert.ok(restored.awards.length >= 3 && restored.activity.length > 10);
  });

  for (const backend of BACKENDS.filter((b) => b.name !== 'memory')) {
    describe(backend.name, { skip: backend.unavailable ?? false }, () => {
      const storeOf = openedFor(backend);

      it('answers every step of the script exactly like the memory store', async () => {
        const log = canonical(await script(storeOf()));
        for (let i = 0; i < reference.length; i += 1) {
          assert.deepStrictEqual(log[i], reference[i], `step ${i}: ${reference[i]![0]}`);
        }
        assert.equal(log.length, reference.length);
      });
    });
  }
});

/**
 * A widget that records celebrates what it completes: the completions are marked
 * celebrated in the record's own transaction, so another widget's sweep of uncelebrated
 * completions, however soon it comes, finds none of them. A headless call (a lesson
 * page) leaves them for the next widget on screen; an earlier day's are never celebrated.
 */
describe('a call that celebrates claims today’s completions in its own transaction', () => {
  for (const backend of BACKENDS) {
    describe(backend.name, { skip: backend.unavailable ?? false }, () => {
      const storeOf = openedFor(backend);

      const now = DAY_ONE;
      const ctx = (userId: string, celebrate: boolean, at = now): CallContext => ({ userId, now: at, timeZone: ZONE, overrides: { count: 3 }, catalog, ...(celebrate ? { celebrate } : {}) });
      // Enough of everything to complete any mission a new learner gets on a weekday.
      const everything = (at: number): IdentifiedActivity[] => {
        const batch: unknown[] = [{ type: 'study-time', seconds: 1800 }];
        for (let i = 0; i < 3; i += 1) batch.push({ type: 'lesson-completed', lessonId: `l${i}`, setId: `set-${i}`, correct: 10, total: 10, seconds: 1800 });
        for (let i = 0; i < 10; i += 1) batch.push({ type: 'element-reviewed', elementId: `e${i}`, correct: true }, { type: 'element-mastered', elementId: `m${i}` });
        return normalizeActivities(batch, at).map((activity, i) => ({ ...activity, at, id: `${at}-${i}` }));
      };
      const sweep = (userId: string) => storeOf().transact('readwrite', (tx) => daily.claimCelebrations(tx, ctx(userId, false)));

      it('record(): a widget’s completions are already claimed; a headless call’s wait for the sweep', async () => {
        const store = storeOf();
        const recorded = await store.transact('readwrite', (tx) => daily.recordActivities(tx, ctx('widget-record', true), everything(now)));
        assert.ok(recorded.completed.length > 0, 'the batch completes missions');
        assert.deepEqual(recorded.completed.map((m) => m.celebrated), recorded.completed.map(() => true));
        assert.deepEqual(await sweep('widget-record'), [], 'a sweep right after the write gets none of them');

        const headless = await store.transact('readwrite', (tx) => daily.recordActivities(tx, ctx('lesson-page', false), everything(now)));
        assert.ok(headless.completed.length > 0 && headless.completed.every((m) => !m.celebrated));
        assert.deepEqual((await sweep('lesson-page')).map((m) => m.templateId).sort(), headless.completed.map((m) => m.templateId).sort());
      });

      it('pushStats(): a widget’s completions are claimed in the same transaction', async () => {
        const store = storeOf();
        const counters = Object.fromEntries(CHECK_NAMES.map((name) => [name, name === 'current_streak_days' ? 1 : 1000]));
        const pushed = await store.transact('readwrite', (tx) => daily.pushStats(tx, ctx('widget-stats', true), counters));
        assert.ok(pushed.completed.length > 0 && pushed.completed.every((m) => m.celebrated));
        assert.deepEqual(await sweep('widget-stats'), []);
      });

      it('an activity back-dated to yesterday completes yesterday’s missions uncelebrated', async () => {
        const store = storeOf();
        const yesterday = now - 24 * HOUR;
        await store.transact('readwrite', (tx) => daily.getDaily(tx, ctx('back-dated', false, yesterday)));
        await store.transact('readwrite', (tx) => daily.getDaily(tx, ctx('back-dated', false)));
        const recorded = await store.transact('readwrite', (tx) => daily.recordActivities(tx, ctx('back-dated', true), everything(yesterday)));
        assert.ok(recorded.completed.length > 0, 'yesterday’s missions complete');
        assert.ok(recorded.completed.every((m) => m.day === '2026-03-09' && !m.celebrated));
      });
    });
  }
});
