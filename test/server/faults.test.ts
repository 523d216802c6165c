/**
 * Database faults on a real PostgreSQL cluster this suite starts and stops itself:
 * the database stopped in the middle of a run (StorageError storage-unavailable, then
 * recovery on the same store, no restart), and a connection killed inside a
 * transaction (nothing of it kept, the pool goes on). Also PGlite's data folder in use
 * by another process.
 */
import { awardIdFor } from '../../worker/engine/ids.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openServerStore } from '../../server/store/index.js';
import type { SqlStore } from '../../server/store/index.js';
import type { CallContext } from '../../worker/daily.js';
import { recordActivities } from '../../worker/daily.js';
import { normalizeActivities } from '../../worker/engine/activity.js';
import { newProfile } from '../../worker/daily.js';
import { StorageError } from '../../worker/store/store.js';
import { catalog } from '../engine/support/fixtures.js';
import { CAN_START_CLUSTER, POSTGRES_BIN, startCluster } from '../support/postgres.js';
import type { Cluster } from '../support/postgres.js';

const NOON = Date.parse('2026-05-04T12:00:00Z');
const context = (userId: string): CallContext => ({ userId, now: NOON, timeZone: 'UTC', overrides: {}, catalog });
const lessonNow = (id: string) => normalizeActivities([{ type: 'lesson-completed', lessonId: id, correct: 10, total: 10 }], NOON).map((activity) => ({ ...activity, id: `activity-${id}` }));

const isUnavailable = (error: unknown) => error instanceof StorageError && error.code === 'storage-unavailable';

describe('PostgreSQL faults', { skip: CAN_START_CLUSTER ? false : `no PostgreSQL binaries in ${POSTGRES_BIN} to start and stop a cluster (apt-get install postgresql)` }, () => {
  let cluster: Cluster;
  let store: SqlStore;
  before(async () => {
    cluster = await startCluster();
    store = await openServerStore({ databaseUrl: cluster.url, maxConnections: 4, connectionTimeoutMs: 2_000 });
  });
  after(async () => {
    await store?.closed;
    await cluster?.destroy();
  });

  it('database stopped mid-run: requests fail with storage-unavailable, then the same store recovers once it is back', async () => {
    const user = 'stopped-mid-run';
    let committed = 0;
    const failures: unknown[] = [];
    const record = async (n: number) => {
      try {
        await store.transact('readwrite', (tx) => recordActivities(tx, context(user), lessonNow(`l${n}`)));
        committed += 1;
      } catch (error) {
        failures.push(error);
      }
    };
    const running = (async () => {
      for (let n = 0; n < 40; n += 1) await Promise.all([record(2 * n), record(2 * n + 1)]);
    })();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await cluster.stop();
    await running;
    assert.ok(failures.length > 0, 'some requests ran while the database was down');
    for (const failure of failures) assert.ok(isUnavailable(failure), `a StorageError storage-unavailable, got ${String(failure)}`);

    const started = Date.now();
    await assert.rejects(store.transact('readonly', (tx) => tx.getProfile(user)), isUnavailable);
    assert.ok(Date.now() - started < 3_000, 'a stopped database answers fast');

    cluster.start();
    await store.transact('readwrite', (tx) => recordActivities(tx, context(user), lessonNow('after')));
    committed += 1;
    const state = await store.transact('readonly', async (tx) => ({ profile: (await tx.getProfile(user))!, awards: await tx.allAwards(user), activity: await tx.allActivity(user) }));
    // A COMMIT in flight when the server went down may have landed although its caller
    // saw the error: each stored lesson is whole (counted and logged together), and none
    // a caller was told about is missing.
    assert.equal(state.profile.learner.lessonsCompleted, state.activity.length, 'no partial transaction');
    assert.ok(state.activity.length >= committed && state.activity.length <= committed + failures.length, `${state.activity.length} stored for ${committed} committed`);
    assert.equal(state.profile.lifetimeXp, state.awards.reduce((sum, award) => sum + award.xp, 0));
  });

  it('a connection killed inside a transaction: the transaction fails as storage-unavailable, nothing of it is kept, the next one works', async () => {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      const user = 'killed';
      await assert.rejects(
        store.transact('readwrite', async (tx) => {
          await tx.putProfile({ ...newProfile(user, 1), lifetimeXp: 999 });
          // The admin connection ends this transaction's backend from outside.
          const { rows } = await admin.query<{ killed: boolean }>(
            `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE state = 'idle in transaction' AND datname = current_database()`,
          );
          assert.deepEqual(rows, [{ killed: true }]);
          await tx.addAward({ userId: user, day: '2026-05-04', templateId: 'complete-1-lesson', awardId: awardIdFor(user, '2026-05-04', 'complete-1-lesson'), xp: 20, awardedAt: 1 });
        }),
        isUnavailable,
      );
      assert.equal(await store.transact('readonly', (tx) => tx.getProfile(user)), undefined);
      assert.deepEqual(await store.transact('readonly', (tx) => tx.allAwards(user)), []);
      await store.transact('readwrite', (tx) => tx.putProfile(newProfile(user, 2)));
      assert.equal((await store.transact('readonly', (tx) => tx.getProfile(user)))!.createdAt, 2);
    } finally {
      await admin.end();
    }
  });
});

describe('PGlite data folder', () => {
  it('in use by another running process, or by another store of this one, is refused plainly (PGlite serves one handle)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'daily-missions-locked-'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, 'daily-missions.lock'), String(holder.pid));
      await assert.rejects(openServerStore({ dataDir }), (error) => isUnavailable(error) && /in use by process/.test((error as Error).message));
    } finally {
      holder.kill();
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    const store = await openServerStore({ dataDir });
    await assert.rejects(openServerStore({ dataDir }), /in use by process \d+ \(this one/, 'a second handle in the same process is refused too');
    await store.closed;
    rmSync(dataDir, { recursive: true, force: true });
  });
});
