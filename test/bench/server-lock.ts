/**
 * What the per-learner row lock buys, measured: the race of test/server/race.test.ts
 * (8 store instances with pools of their own, one learner, 100 rounds) run once
 * without the lock and once with it, each on a fresh PostgreSQL database.
 *
 *   node --import tsx test/bench/server-lock.ts [rounds]
 *
 * Uses DATABASE_URL, else a throwaway cluster (test/support/postgres.ts).
 */
import { openServerStore } from '../../server/store/index.js';
import { createTestDatabase } from '../support/postgres.js';
import { race } from '../server/support/race.js';
import type { RaceReport } from '../server/support/race.js';

const rounds = Number(process.argv[2] ?? 100);
const results: Array<{ lock: string; ms: number; report: RaceReport }> = [];
for (const learnerLock of ['none', 'row'] as const) {
  const database = await createTestDatabase();
  const stores = await Promise.all(Array.from({ length: 8 }, () => openServerStore({ databaseUrl: database.url, maxConnections: 2, learnerLock })));
  const started = performance.now();
  const report = await race(stores, rounds);
  results.push({ lock: learnerLock === 'row' ? 'SELECT ... FOR UPDATE on the learner row' : 'none (unique keys only)', ms: performance.now() - started, report });
  await Promise.all(stores.map((store) => store.closed));
  await database.dispose();
}

console.log('| learner lock | calls committed | failed | rounds with a lost update | lost day counters | lost profile lessons | duplicate awards | lifetime XP / awards XP | time |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const { lock, ms, report: r } of results) {
  console.log(`| ${lock} | ${r.recorded} | ${r.failed} | ${r.roundsWithLoss} of ${r.rounds} | ${r.lostDayCounters} | ${r.lostProfileLessons} | ${r.duplicateAwards} | ${r.lifetimeXp} / ${r.awardsXp} | ${(ms / 1000).toFixed(1)} s |`);
}
