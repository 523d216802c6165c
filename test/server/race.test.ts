/**
 * Exactly once across server instances, on real PostgreSQL: 8 store instances with
 * pools of their own open the same fresh database at once (migrating it once between
 * them) and record a lesson for the same learner and day concurrently, 100 rounds.
 * Nothing may be lost or paid twice. (What the learner row lock prevents is measured
 * by `node --import tsx test/bench/server-lock.ts`; see docs/server.md.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openServerStore, schemaVersion, SCHEMA_VERSION } from '../../server/store/index.js';
import type { SqlStore } from '../../server/store/index.js';
import { createTestDatabase, POSTGRES_UNAVAILABLE } from '../support/postgres.js';
import type { TestDatabase } from '../support/postgres.js';
import { race } from './support/race.js';

const INSTANCES = 8;
const ROUNDS = 100;

describe('8 instances racing on one learner (PostgreSQL)', { skip: POSTGRES_UNAVAILABLE ?? false }, () => {
  let database: TestDatabase;
  let stores: SqlStore[] = [];
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await Promise.all(stores.map((store) => store.closed));
    await database?.dispose();
  });

  it('open a fresh database together and migrate it once', async () => {
    stores = await Promise.all(Array.from({ length: INSTANCES }, () => openServerStore({ databaseUrl: database.url, maxConnections: 2 })));
    assert.equal(await schemaVersion(stores[0]!.db), SCHEMA_VERSION);
  });

  it(`record concurrently for ${ROUNDS} rounds: 0 duplicate awards, 0 lost counters, lifetime XP equal to the awards`, { timeout: 600_000 }, async () => {
    const report = await race(stores, ROUNDS);
    assert.equal(report.failed, 0);
    assert.equal(report.recorded, INSTANCES * ROUNDS);
    assert.equal(report.lostDayCounters, 0);
    assert.equal(report.lostProfileLessons, 0);
    assert.equal(report.duplicateAwards, 0);
    assert.equal(report.activityRows, INSTANCES * ROUNDS);
    assert.ok(report.awards >= ROUNDS, 'every day paid at least its one-lesson mission');
    assert.equal(report.lifetimeXp, report.awardsXp);
  });
});
