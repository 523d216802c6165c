/**
 * What one daily flow costs on each store, measured in one run so the ratios hold on a
 * busy machine: a learner's first getDaily (assignment), a warm readDaily, and a
 * record of one lesson, each repeated, median and p95 in milliseconds.
 *
 *   node --import tsx test/bench/server-store.ts [repeats]
 *
 * PostgreSQL runs on DATABASE_URL or a throwaway cluster (test/support/postgres.ts).
 */
import { getDaily, readDaily, recordActivities } from '../../worker/daily.js';
import type { CallContext } from '../../worker/daily.js';
import { normalizeActivities } from '../../worker/engine/activity.js';
import type { Store } from '../../worker/store/store.js';
import { catalog } from '../engine/support/fixtures.js';
import { BACKENDS } from '../server/support/stores.js';

const repeats = Number(process.argv[2] ?? 200);
const NOW = Date.parse('2026-06-01T10:00:00Z');
const context = (userId: string, now = NOW): CallContext => ({ userId, now, timeZone: 'UTC', overrides: {}, catalog });

async function timed(run: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)]!, p95: samples[Math.floor(samples.length * 0.95)]! };
}

async function measure(store: Store) {
  const assign = await timed((i) => store.transact('readwrite', (tx) => getDaily(tx, context(`new-${i}`))));
  const read = await timed(() => store.transact('readonly', (tx) => readDaily(tx, context('new-0'))));
  const record = await timed((i) =>
    store.transact('readwrite', (tx) =>
      recordActivities(tx, context('new-0', NOW + i), normalizeActivities([{ type: 'lesson-completed', lessonId: `l${i}`, correct: 9, total: 10 }], NOW + i).map((a) => ({ ...a, id: `a${i}` }))),
    ),
  );
  return { assign, read, record };
}

const rows: string[] = [];
for (const backend of BACKENDS) {
  if (backend.unavailable) {
    rows.push(`| ${backend.name} | not run: ${backend.unavailable} | | |`);
    continue;
  }
  const { store, dispose } = await backend.open();
  const { assign, read, record } = await measure(store);
  await dispose();
  const cell = (t: { p50: number; p95: number }) => `${t.p50.toFixed(2)} / ${t.p95.toFixed(2)}`;
  rows.push(`| ${backend.name} | ${cell(assign)} | ${cell(read)} | ${cell(record)} |`);
}
console.log(`${repeats} calls each, ms (median / p95)\n`);
console.log('| store | first getDaily (assigns) | readDaily (assigned) | record one lesson |');
console.log('| --- | --- | --- | --- |');
for (const row of rows) console.log(row);
