/**
 * Schema migrations of the SQL store, on PGlite and real PostgreSQL: from every older
 * version, on a database populated at that version, up to the current one, with the
 * data readable afterwards; a rerun changes nothing; a database newer than the code is
 * refused; a failing step leaves the database at its old version.
 *
 * Each version has a fixture: rows written with that version's SQL, and what the
 * store must read from them once migrated. Version 0 is a host's database before this
 * package arrived: tables of its own, one of them named like ours, that must survive.
 * A new migration adds the fixture of the version it leaves behind.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { migrate, MIGRATIONS, openServerStore, schemaVersion, SCHEMA_VERSION } from '../../server/store/index.js';
import type { SqlStore, Tables } from '../../server/store/index.js';
import { StorageError } from '../../worker/store/store.js';
import { createTestDatabase, POSTGRES_UNAVAILABLE } from '../support/postgres.js';

interface Fixture {
  populate(db: Kysely<Tables>): Promise<void>;
  check(store: SqlStore): Promise<void>;
}

const lesson = { type: 'lesson-completed', lessonId: 'l1', correct: 9, total: 10, at: 1_773_130_000_000 };

const FIXTURES: Record<number, Fixture> = {
  0: {
    async populate(db) {
      await sql`CREATE TABLE public.learners (id integer PRIMARY KEY, name text NOT NULL)`.execute(db);
      await sql`INSERT INTO public.learners VALUES (1, 'host row')`.execute(db);
    },
    async check(store) {
      const { rows } = await sql<{ name: string }>`SELECT name FROM public.learners`.execute(store.db);
      assert.deepEqual(rows, [{ name: 'host row' }], "the host's own table named learners is untouched");
      await store.transact('readwrite', (tx) => tx.addActivity({ userId: 'v0', day: '2026-03-10', activityId: 'a', activity: lesson as never, recordedAt: 1 }));
      assert.equal((await store.transact('readonly', (tx) => tx.allActivity('v0'))).length, 1);
    },
  },
  1: {
    async populate(db) {
      const profile = { learner: { lessonsCompleted: 1, setsStarted: [], openMistakes: [], streakStart: '2026-03-10', streakEnd: '2026-03-10' }, missionStreak: { lastDay: null, days: 0, jokers: 0, towardJoker: 0, bridged: [] }, preferences: { enabled: true, count: 3, mix: 'balanced', timeZone: '', tracks: ['lessons'], rerollsPerDay: 1 }, createdAt: 5, lifetimeXp: 20 };
      await sql`INSERT INTO daily_missions.learners (user_id, profile) VALUES ('v1', ${JSON.stringify(profile)}::jsonb)`.execute(db);
      await sql`INSERT INTO daily_missions.days VALUES ('v1', '2026-03-10', true, ${JSON.stringify({ stats: { day: '2026-03-10', lessonsCompleted: 1 }, rerolls: 0, assignedCount: 3, completedCount: 1, assignedAt: 6 })}::jsonb)`.execute(db);
      await sql`INSERT INTO daily_missions.missions VALUES ('v1', '2026-03-10', 'complete-1-lesson', 0, ${JSON.stringify({ xp: 20, completed: true, xpAwarded: true, celebrated: false })}::jsonb)`.execute(db);
      await sql`INSERT INTO daily_missions.awards VALUES ('v1', '2026-03-10', 'complete-1-lesson', 'award:v1:2026-03-10:complete-1-lesson:v1', 20, 7, NULL, NULL)`.execute(db);
      await sql`INSERT INTO daily_missions.activities VALUES ('v1', 'act-1', '2026-03-10', 7, ${JSON.stringify(lesson)}::jsonb)`.execute(db);
    },
    async check(store) {
      const read = await store.transact('readonly', async (tx) => ({
        profile: await tx.getProfile('v1'),
        days: await tx.allDays('v1'),
        missions: await tx.getMissions('v1', '2026-03-10'),
        awards: await tx.undeliveredAwards('v1'),
        activity: await tx.allActivity('v1'),
      }));
      assert.equal(read.profile?.lifetimeXp, 20);
      assert.equal(read.days[0]?.assignedAt, 6);
      assert.equal(read.missions[0]?.templateId, 'complete-1-lesson');
      assert.deepEqual(read.awards.map((a) => a.awardId), ['award:v1:2026-03-10:complete-1-lesson:v1']);
      assert.deepEqual(read.activity, [{ userId: 'v1', day: '2026-03-10', activityId: 'act-1', activity: lesson, recordedAt: 7 }]);
      assert.equal(await store.transact('readwrite', (tx) => tx.addActivity({ userId: 'v1', day: '2026-03-10', activityId: 'act-1', activity: lesson as never, recordedAt: 8 })), false);
      assert.equal(await store.transact('readwrite', (tx) => tx.addActivity({ userId: 'v1', day: '2026-03-10', activityId: 'act-2', activity: lesson as never, recordedAt: 8 })), true);
      assert.deepEqual((await store.transact('readonly', (tx) => tx.allActivity('v1'))).map((row) => (row as { activityId?: string }).activityId), ['act-1', 'act-2']);
    },
  },
};

interface Target {
  /** A fresh empty database's options for openServerStore. */
  fresh(): Promise<{ options: { databaseUrl?: string; dataDir?: string }; dispose(): Promise<void> }>;
}

const TARGETS: Array<{ name: string; unavailable: string | null; target: Target }> = [
  {
    name: 'pglite',
    unavailable: null,
    target: {
      async fresh() {
        const dataDir = mkdtempSync(join(tmpdir(), 'daily-missions-migrate-'));
        return { options: { dataDir }, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
      },
    },
  },
  {
    name: 'postgres',
    unavailable: POSTGRES_UNAVAILABLE,
    target: {
      async fresh() {
        const database = await createTestDatabase();
        return { options: { databaseUrl: database.url }, dispose: () => database.dispose() };
      },
    },
  },
];

for (const { name, unavailable, target } of TARGETS) {
  describe(`schema migrations on ${name}`, { skip: unavailable ?? false }, () => {
    let fresh: Awaited<ReturnType<Target['fresh']>>;
    /** One store on the suite's database, opened without migrating: each case sets up its own schema state. */
    let store: SqlStore;
    before(async () => {
      fresh = await target.fresh();
      store = await openServerStore({ ...fresh.options, migrate: false });
    });
    after(async () => {
      await store?.closed;
      await fresh?.dispose();
    });
    /** Back to a database without our schema (version 0) and without the host's table. */
    const reset = async () => {
      await sql`DROP SCHEMA IF EXISTS daily_missions CASCADE`.execute(store.db);
      await sql`DROP TABLE IF EXISTS public.learners`.execute(store.db);
    };

    it('has a fixture for every version older than the current one, and the current one', () => {
      assert.deepEqual(MIGRATIONS.map((m) => m.version), Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1), 'versions are 1, 2, … in order');
      for (let version = 0; version <= SCHEMA_VERSION; version += 1) assert.ok(FIXTURES[version], `fixture for version ${version}`);
    });

    for (let version = 0; version < SCHEMA_VERSION; version += 1) {
      it(`migrates a populated version ${version} database to version ${SCHEMA_VERSION}`, async () => {
        await reset();
        if (version > 0) await migrate(store.db, { target: version });
        await FIXTURES[version]!.populate(store.db);
        assert.equal(await schemaVersion(store.db), version);
        assert.deepEqual(await migrate(store.db), { from: version, to: SCHEMA_VERSION });
        await FIXTURES[version]!.check(store);
      });
    }

    it(`rerunning the migrations on a populated version ${SCHEMA_VERSION} database changes nothing`, async () => {
      await reset();
      await migrate(store.db);
      await FIXTURES[SCHEMA_VERSION]!.populate(store.db);
      assert.deepEqual(await migrate(store.db), { from: SCHEMA_VERSION, to: SCHEMA_VERSION });
      await FIXTURES[SCHEMA_VERSION]!.check(store);
    });

    it('leaves the database at its old version when a step fails', async () => {
      await reset();
      await migrate(store.db);
      const failing = [
        ...MIGRATIONS,
        {
          version: SCHEMA_VERSION + 1,
          name: 'a step that fails halfway',
          async up(db: Kysely<Tables>) {
            await sql`CREATE TABLE daily_missions.half_done (x integer)`.execute(db);
            await sql`SELECT 1 / 0`.execute(db);
          },
        },
      ];
      await assert.rejects(migrate(store.db, { migrations: failing }), /division by zero/);
      assert.equal(await schemaVersion(store.db), SCHEMA_VERSION);
      const { rows } = await sql<{ exists: boolean }>`SELECT to_regclass('daily_missions.half_done') IS NOT NULL AS exists`.execute(store.db);
      assert.deepEqual(rows, [{ exists: false }], 'the half-done step left no table behind');
    });

    // PGlite serves one process through one handle: only PostgreSQL has instances to race.
    if (name === 'postgres') it('instances migrating a fresh database at the same moment all succeed, and it is migrated once', async () => {
      const instances = await Promise.all(Array.from({ length: 8 }, () => openServerStore({ ...fresh.options, migrate: false, maxConnections: 1 })));
      try {
        for (let round = 0; round < 30; round += 1) {
          await reset();
          const results = await Promise.all(instances.map((instance) => migrate(instance.db)));
          assert.equal(results.filter((result) => result.from === 0).length, 1, `round ${round}: one instance ran the steps`);
          assert.ok(results.every((result) => result.to === SCHEMA_VERSION));
        }
      } finally {
        await Promise.all(instances.map((instance) => instance.closed));
      }
    });

    it('refuses to open a database newer than this code, without touching it', async () => {
      await reset();
      await migrate(store.db);
      await sql`UPDATE daily_missions.schema_version SET version = ${SCHEMA_VERSION + 1}`.execute(store.db);
      // PGlite serves one handle per folder: this case reopens it.
      await store.closed;
      await assert.rejects(openServerStore(fresh.options), (error) => error instanceof StorageError && error.code === 'storage-version' && /upgrade daily-missions/.test(error.message));
      store = await openServerStore({ ...fresh.options, migrate: false });
      assert.equal(await schemaVersion(store.db), SCHEMA_VERSION + 1);
    });
  });
}
