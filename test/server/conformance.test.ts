/**
 * One conformance suite for every store: the worker's daily flows (worker/daily.ts) and
 * the backup (worker/backup.ts) run the same script on the in-memory store, on PGlite
 * and on real PostgreSQL, and every step must answer the same (as JSON, the way the
 * server sends it). The memory store is the reference the browser already relies on.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallContext } from '../../worker/daily.js';
import type { Activity } from '../../worker/engine/activity.js';
import * as daily from '../../worker/daily.js';
import { exportUser, importUser } from '../../worker/backup.js';
import { normalizeActivities } from '../../worker/engine/activity.js';
import type { Store, Tx } from '../../worker/store/store.js';
import type { Preferences } from '../../worker/store/rows.js';
import { ValidationError } from '../../worker/engine/errors.js';
import { catalog } from '../engine/support/fixtures.js';
import { BACKENDS } from './support/stores.js';

const ZONE = 'Europe/Berlin';
const DAY_ONE = Date.parse('2026-03-10T08:00:00Z');
const HOUR = 3_600_000;

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null));

/**
 * The script: two learners (one with an id that needs escaping), three days, every
 * flow, and the contract's edges (a refused reroll, a second claim, an import refused
 * without replace, a backup restored into a new learner). Returns every step's answer.
 *
 * Until the exactly-once contract reaches the memory store (activity and award ids,
 * the award ledger, deleteUser keeping awards), the script leaves out what only that
 * contract defines, and the ids the SQL store already keeps are not compared.
 */
async function script(store: Store): Promise<Array<[string, unknown]>> {
  const log: Array<[string, unknown]> = [];
  let clock = DAY_ONE;
  const ctx = (userId: string, overrides: Partial<Preferences> = {}): CallContext => ({ userId, now: clock, timeZone: ZONE, overrides, catalog });
  const step = async <T>(name: string, mode: 'readonly' | 'readwrite', flow: (tx: Tx) => Promise<T>) => {
    log.push([name, json(await store.transact(mode, flow))]);
    clock += 7 * 60_000;
  };
  // Each activity with an id made from the clock and its place: the same in every store's run.
  const identified = (input: unknown[]): (Activity & { id: string })[] => normalizeActivities(input, clock).map((activity, i) => ({ ...activity, id: `${clock}-${i}` }));
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
  await step('history of b', 'readonly', (tx) => daily.history(tx, ctx(b), 7));
  await step('export a', 'readonly', (tx) => exportUser(tx, a, clock));

  const backup = json(await store.transact('readonly', (tx) => exportUser(tx, a, clock)));
  const refused = await store.transact('readwrite', (tx) => importUser(tx, backup, { replace: false, userId: b, catalog })).then(
    () => 'imported',
    (error: unknown) => (error instanceof ValidationError ? `${error.field}: refused` : String(error)),
  );
  log.push(['import over b without replace', refused]);
  await step('b unchanged after the refused import', 'readonly', (tx) => exportUser(tx, b, clock));
  await step('import a into a new learner', 'readwrite', (tx) => importUser(tx, backup, { replace: false, userId: 'c', catalog }));
  await step('c now holds a copy of a', 'readonly', (tx) => exportUser(tx, 'c', clock));
  await step('c carries on from the copy', 'readwrite', (tx) => daily.recordActivities(tx, ctx('c'), lessons(2, 10)));
  await step('a disabled writes nothing', 'readwrite', (tx) => daily.recordActivities(tx, ctx(a, { enabled: false }), lessons(2, 10)));
  return log;
}

/**
 * The store contract leaves the order of awards within one day open (the memory store
 * keeps insertion order, SQL orders by time and template): compare them sorted.
 */
/** A row's JSON with keys in one order (jsonb keeps its own), to sort rows the same way on every store. */
const sortKey = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) => (inner && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner));

/** Row fields of the exactly-once contract the memory store does not have yet. */
const CONTRACT_PENDING = new Set(['awardId', 'activityId', 'recordedAt']);

function canonical(log: Array<[string, unknown]>): Array<[string, unknown]> {
  const sortAwards = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortAwards);
    if (value === null || typeof value !== 'object') return value;
    const object = Object.fromEntries(Object.entries(value).filter(([key]) => !CONTRACT_PENDING.has(key)).map(([key, inner]) => [key, sortAwards(inner)]));
    // Until activities carry ids everywhere, their order differs (memory: arrival; SQL: by day, then id).
    if (Array.isArray(object['activity'])) object['activity'] = [...(object['activity'] as unknown[])].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
    if (Array.isArray(object['awards'])) {
      object['awards'] = [...(object['awards'] as Array<{ day: string; templateId: string }>)].sort((x, y) => (x.day + x.templateId).localeCompare(y.day + y.templateId));
    }
    return object;
  };
  return log.map(([name, value]) => [name, sortAwards(value)]);
}

describe('the daily flows give the same answers on every store', () => {
  let reference: Array<[string, unknown]>;

  before(async () => {
    const memory = BACKENDS.find((b) => b.name === 'memory')!;
    const { store, dispose } = await memory.open();
    reference = canonical(await script(store));
    await dispose();
  });

  it('the script exercises assignment, awards, rerolls and backups on the reference store', () => {
    const names = reference.map(([name]) => name);
    assert.equal(names.length, 27);
    const recorded = reference.find(([name]) => name === 'record two lessons')![1] as { completed: unknown[] };
    assert.ok(recorded.completed.length > 0, 'two lessons complete at least one mission');
  });

  for (const backend of BACKENDS.filter((b) => b.name !== 'memory')) {
    describe(backend.name, { skip: backend.unavailable ?? false }, () => {
      let opened: Awaited<ReturnType<typeof backend.open>>;
      before(async () => {
        opened = await backend.open();
      });
      after(async () => {
        await opened?.dispose();
      });

      it('answers every step of the script exactly like the memory store', async () => {
        const log = canonical(await script(opened.store));
        for (let i = 0; i < reference.length; i += 1) {
          assert.deepStrictEqual(log[i], reference[i], `step ${i}: ${reference[i]![0]}`);
        }
        assert.equal(log.length, reference.length);
      });
    });
  }
});
