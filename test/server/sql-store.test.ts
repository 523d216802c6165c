/**
 * The SQL store's side of the storage contract that the daily flows cannot show by
 * themselves: unique keys, the award ledger, rollback, read-only transactions, the
 * per-learner lock, and what an unreachable database looks like. Each test runs on
 * PGlite and on real PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openServerStore, SqlStore, sqlTransactionOf } from '../../server/store/index.js';
import { ValidationError } from '../../worker/engine/errors.js';
import { newProfile } from '../../worker/daily.js';
import { StorageError } from '../../worker/store/store.js';
import type { AwardRow } from '../../worker/store/rows.js';
import { POSTGRES_UNAVAILABLE } from '../support/postgres.js';
import { openPglite, openPostgres } from './support/stores.js';

const lesson = { type: 'lesson-completed', lessonId: 'l1', correct: 9, total: 10, at: Date.parse('2026-03-10T09:00:00Z') } as const;

const award = (userId: string, day: string, templateId: string, awardedAt: number): AwardRow & { awardId: string } => ({
  userId,
  day,
  templateId,
  awardId: `award:v1:${day}:${templateId}:${encodeURIComponent(userId)}`,
  xp: 20,
  awardedAt,
});

const SQL_BACKENDS = [
  { name: 'pglite', unavailable: null, open: () => openPglite() },
  { name: 'postgres', unavailable: POSTGRES_UNAVAILABLE, open: () => openPostgres() },
] as const;

for (const backend of SQL_BACKENDS) {
  describe(`SQL store on ${backend.name}`, { skip: backend.unavailable ?? false }, () => {
    let store: SqlStore;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ store, dispose } = await backend.open());
    });
    after(async () => {
      await dispose?.();
    });

    it('stores an activity once per (user, activity id): a resend is refused and writes nothing', async () => {
      const row = { userId: 'act', day: '2026-03-10', activityId: 'client-1', activity: lesson, recordedAt: 1 };
      assert.equal(await store.transact('readwrite', (tx) => tx.addActivity(row)), true);
      assert.equal(await store.transact('readwrite', (tx) => tx.addActivity({ ...row, day: '2026-03-11', recordedAt: 2 })), false);
      assert.equal(await store.transact('readwrite', (tx) => tx.addActivity({ ...row, userId: 'other' })), true, 'the same id of another learner is another activity');
      const stored = await store.transact('readonly', (tx) => tx.allActivity('act'));
      assert.deepEqual(stored, [row]);
    });

    it('lists activities by day, then by id (the order of the browser store index), ids compared byte by byte', async () => {
      const on = (day: string, activityId: string) => ({ userId: 'order', day, activityId, activity: lesson, recordedAt: 5 });
      await store.transact('readwrite', async (tx) => {
        for (const row of [on('2026-03-11', 'a'), on('2026-03-10', 'b-2'), on('2026-03-10', 'B'), on('2026-03-10', 'b:1')]) await tx.addActivity(row);
      });
      const listed = (await store.transact('readonly', (tx) => tx.allActivity('order'))).map((row) => `${row.day} ${(row as { activityId?: string }).activityId}`);
      assert.deepEqual(listed, ['2026-03-10 B', '2026-03-10 b-2', '2026-03-10 b:1', '2026-03-11 a']);
    });

    it('pays an award once: the second add for the same user, day and template is refused', async () => {
      const first = award('ledger', '2026-03-10', 'complete-1-lesson', 1_000);
      assert.equal(await store.transact('readwrite', (tx) => tx.addAward(first)), true);
      assert.equal(await store.transact('readwrite', (tx) => tx.addAward({ ...first, xp: 999, awardedAt: 2_000 })), false);
      assert.deepEqual(await store.transact('readonly', (tx) => tx.allAwards('ledger')), [first]);
    });

    it('lists undelivered awards oldest first, marks them delivered by id, and leases them', async () => {
      const later = award('ledger', '2026-03-11', 'learn-30-minutes', 3_000);
      const earlier = award('ledger', '2026-03-11', 'complete-3-lessons', 2_000);
      await store.transact('readwrite', async (tx) => {
        await tx.addAward(later);
        await tx.addAward(earlier);
      });
      const pending = await store.transact('readonly', (tx) => tx.undeliveredAwards('ledger'));
      assert.deepEqual(pending.map((a) => a.templateId), ['complete-1-lesson', 'complete-3-lessons', 'learn-30-minutes']);

      await store.transact('readwrite', (tx) => tx.leaseAwards('ledger', [later.awardId], 10_000));
      await store.transact('readwrite', (tx) => tx.markAwardsDelivered('ledger', [earlier.awardId, 'award:v1:unknown', later.awardId], 4_000));
      await store.transact('readwrite', (tx) => tx.markAwardsDelivered('ledger', [earlier.awardId], 9_000));
      const rows = await store.transact('readonly', (tx) => tx.allAwards('ledger'));
      const byTemplate = new Map(rows.map((row) => [row.templateId, row as AwardRow & { deliveredAt?: number; leasedUntil?: number }]));
      assert.equal(byTemplate.get('complete-3-lessons')!.deliveredAt, 4_000, 'a second acknowledgement keeps the first time');
      assert.equal(byTemplate.get('learn-30-minutes')!.deliveredAt, 4_000);
      assert.equal(byTemplate.get('learn-30-minutes')!.leasedUntil, undefined, 'delivery ends the lease');
      assert.deepEqual((await store.transact('readonly', (tx) => tx.undeliveredAwards('ledger'))).map((a) => a.templateId), ['complete-1-lesson']);
      assert.deepEqual(await store.transact('readonly', (tx) => tx.undeliveredAwards('nobody')), []);
    });

    it("deleteUser removes the learner's data but keeps the award ledger", async () => {
      const user = 'deleted';
      await store.transact('readwrite', async (tx) => {
        await tx.putProfile({ ...newProfile(user, 1), lifetimeXp: 20 });
        await tx.putDay({ userId: user, day: '2026-03-10', stats: { day: '2026-03-10' } as never, rerolls: 0, assignedCount: 3, completedCount: 1, assignedAt: 1 });
        await tx.addActivity({ userId: user, day: '2026-03-10', activityId: 'x', activity: lesson, recordedAt: 1 });
        await tx.addAward(award(user, '2026-03-10', 'complete-1-lesson', 1));
      });
      await store.transact('readwrite', (tx) => tx.deleteUser(user));
      const left = await store.transact('readonly', async (tx) => ({
        profile: await tx.getProfile(user),
        days: await tx.allDays(user),
        activity: await tx.allActivity(user),
        awards: await tx.allAwards(user),
      }));
      assert.deepEqual(left, { profile: undefined, days: [], activity: [], awards: [award(user, '2026-03-10', 'complete-1-lesson', 1)] });
      assert.equal(await store.transact('readwrite', (tx) => tx.addAward(award(user, '2026-03-10', 'complete-1-lesson', 2))), false, 'a redone lesson is not paid again');
    });

    it('keeps nothing of a flow that throws, and passes its ValidationError through unchanged', async () => {
      const failure = new ValidationError('activities[0].at', 'is in the future');
      await assert.rejects(
        store.transact('readwrite', async (tx) => {
          await tx.putProfile(newProfile('rolled-back', 1));
          await tx.addAward(award('rolled-back', '2026-03-10', 'complete-1-lesson', 1));
          throw failure;
        }),
        (error) => error === failure,
      );
      assert.equal(await store.transact('readonly', (tx) => tx.getProfile('rolled-back')), undefined);
      assert.deepEqual(await store.transact('readonly', (tx) => tx.allAwards('rolled-back')), []);
    });

    it("lets a host write its own tables in the flow's transaction (sqlTransactionOf): committed or rolled back together", async () => {
      await sql`CREATE TABLE IF NOT EXISTS public.host_xp (user_id text PRIMARY KEY, xp integer NOT NULL)`.execute(store.db);
      const payAndCredit = (userId: string, fail: boolean) =>
        store.transact('readwrite', async (tx) => {
          await tx.addAward(award(userId, '2026-03-10', 'complete-1-lesson', 1));
          await sql`INSERT INTO public.host_xp VALUES (${userId}, 20)`.execute(sqlTransactionOf(tx)!);
          if (fail) throw new Error('the host refused');
        });
      await payAndCredit('credited', false);
      await assert.rejects(payAndCredit('refused', true), /the host refused/);
      const { rows } = await sql<{ user_id: string }>`SELECT user_id FROM public.host_xp ORDER BY user_id`.execute(store.db);
      assert.deepEqual(rows, [{ user_id: 'credited' }]);
      assert.deepEqual(await store.transact('readonly', (tx) => tx.allAwards('refused')), []);
      assert.equal(sqlTransactionOf({}), null);
    });

    it('refuses writes in a read-only transaction with a StorageError', async () => {
      await assert.rejects(store.transact('readonly', (tx) => tx.putProfile(newProfile('reader', 1))), (error) => error instanceof StorageError && error.code === 'storage-failed' && /25006/.test(error.message));
    });

    it('serialises read-modify-write of one learner across concurrent transactions (the row lock)', async () => {
      await store.transact('readwrite', (tx) => tx.putProfile(newProfile('counter', 1)));
      const increment = () =>
        store.transact('readwrite', async (tx) => {
          const profile = (await tx.getProfile('counter'))!;
          // Not a storage request: widens the window in which an unlocked update would be lost.
          await new Promise((resolve) => setTimeout(resolve, 20));
          await tx.putProfile({ ...profile, lifetimeXp: profile.lifetimeXp + 1 });
        });
      await Promise.all(Array.from({ length: 6 }, increment));
      assert.equal((await store.transact('readonly', (tx) => tx.getProfile('counter')))!.lifetimeXp, 6);
    });

    // PGlite is one session: its transactions never overlap, so they cannot deadlock.
    if (backend.name === 'postgres') it('reruns the whole flow after a deadlock (40P01), and surfaces it when attempts run out', async () => {
      // Flows never lock two learners; this test's flows do, in opposite orders, so
      // PostgreSQL must break a real deadlock by failing one of them.
      await store.transact('readwrite', async (tx) => {
        await tx.putProfile(newProfile('left', 1));
        await tx.putProfile(newProfile('right', 1));
      });
      const runs = { a: 0, b: 0 };
      const crossing = (target: SqlStore, first: string, second: string, counter: 'a' | 'b') =>
        target.transact('readwrite', async (tx) => {
          runs[counter] += 1;
          const profile = (await tx.getProfile(first))!;
          await new Promise((resolve) => setTimeout(resolve, 200));
          await tx.getProfile(second);
          await tx.putProfile({ ...profile, lifetimeXp: profile.lifetimeXp + 1 });
        });
      await Promise.all([crossing(store, 'left', 'right', 'a'), crossing(store, 'right', 'left', 'b')]);
      assert.equal(runs.a + runs.b, 3, 'one of the two ran again');
      const xp = await store.transact('readonly', async (tx) => [(await tx.getProfile('left'))!.lifetimeXp, (await tx.getProfile('right'))!.lifetimeXp]);
      assert.deepEqual(xp, [1, 1], 'each flow committed once');

      const once = new SqlStore(store.db, store.kind, { maxAttempts: 1 });
      const outcomes = await Promise.allSettled([crossing(once, 'left', 'right', 'a'), crossing(once, 'right', 'left', 'b')]);
      const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      assert.equal(failures.length, 1);
      assert.ok(failures[0]!.reason instanceof StorageError && /40P01/.test(failures[0]!.reason.message), String(failures[0]!.reason));
    });

    it('reads one snapshot in a read-only transaction, with the reads started together', async () => {
      await store.transact('readwrite', (tx) => tx.putProfile(newProfile('snapshot', 7)));
      const [a, b, days] = await store.transact('readonly', (tx) => Promise.all([tx.getProfile('snapshot'), tx.getProfile('snapshot'), tx.allDays('snapshot')]));
      assert.deepEqual(a, b);
      assert.equal(a!.createdAt, 7);
      assert.deepEqual(days, []);
    });

    it('refuses to be used after close with storage-closed', async () => {
      const extra = await backend.open();
      extra.store.close();
      await assert.rejects(extra.store.transact('readonly', (tx) => tx.getProfile('x')), (error) => error instanceof StorageError && error.code === 'storage-closed');
      await extra.dispose();
    });
  });
}

describe('an unreachable PostgreSQL', () => {
  it('is a storage-unavailable StorageError at open, never a fallback', async () => {
    const started = Date.now();
    await assert.rejects(openServerStore({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMs: 2_000 }), (error) => error instanceof StorageError && error.code === 'storage-unavailable');
    assert.ok(Date.now() - started < 5_000);
  });

  it('needs a URL or a data folder', async () => {
    await assert.rejects(openServerStore({}), /databaseUrl .*dataDir/);
  });
});
