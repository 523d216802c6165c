/**
 * Ordered, versioned schema migrations of the SQL store (docs/server.md, "Migrations").
 *
 * The database records its version in one row of `schema_version`. `migrate` locks that
 * row (SELECT ... FOR UPDATE) and runs every newer step in the same transaction, so
 * instances starting together migrate once: the others wait on the row, then find the
 * work done. PostgreSQL runs DDL inside transactions, so a failing step leaves the
 * database at its old version. Kysely's own Migrator is not used: on PostgreSQL it
 * serialises instances with an advisory lock, which distributed engines lack.
 *
 * Rules for a new step: append it with the next version, never edit a shipped one,
 * keep it portable (no sequences as keys, primary keys leading with user_id), and add
 * its populated fixture to test/server/migrations.test.ts.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { StorageError } from '../../worker/store/store.js';
import { SCHEMA, table } from './tables.js';
import type { Tables } from './tables.js';

export interface Migration {
  version: number;
  /** What the step adds, for the log and the docs. */
  name: string;
  up(db: Kysely<Tables>): Promise<void>;
}


export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'learners (the per-learner lock row and profile), days, missions, the award ledger, activities',
    async up(db) {
      await sql`CREATE TABLE ${table('learners')} (
        user_id text COLLATE "C" PRIMARY KEY,
        profile jsonb
      )`.execute(db);
      await sql`CREATE TABLE ${table('days')} (
        user_id text COLLATE "C" NOT NULL,
        day text COLLATE "C" NOT NULL,
        assigned boolean NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (user_id, day)
      )`.execute(db);
      await sql`CREATE TABLE ${table('missions')} (
        user_id text COLLATE "C" NOT NULL,
        day text COLLATE "C" NOT NULL,
        template_id text COLLATE "C" NOT NULL,
        slot integer NOT NULL,
        data jsonb NOT NULL,
        PRIMARY KEY (user_id, day, template_id)
      )`.execute(db);
      await sql`CREATE TABLE ${table('awards')} (
        user_id text COLLATE "C" NOT NULL,
        day text COLLATE "C" NOT NULL,
        template_id text COLLATE "C" NOT NULL,
        award_id text COLLATE "C" NOT NULL,
        xp integer NOT NULL,
        awarded_at bigint NOT NULL,
        delivered_at bigint,
        leased_until bigint,
        PRIMARY KEY (user_id, day, template_id),
        UNIQUE (user_id, award_id)
      )`.execute(db);
      await sql`CREATE INDEX awards_undelivered ON ${table('awards')} (user_id, awarded_at) WHERE delivered_at IS NULL`.execute(db);
      await sql`CREATE TABLE ${table('activities')} (
        user_id text COLLATE "C" NOT NULL,
        activity_id text COLLATE "C" NOT NULL,
        day text COLLATE "C" NOT NULL,
        recorded_at bigint NOT NULL,
        activity jsonb NOT NULL,
        PRIMARY KEY (user_id, activity_id)
      )`.execute(db);
    },
  },
];

/** The version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

const VERSION_ROW = 'daily-missions';

/**
 * Codes of a lost race between instances creating the same schema object at once
 * (unique_violation on the catalog, duplicate_object for the table's row type,
 * duplicate_schema, duplicate_table): IF NOT EXISTS does not cover a concurrent
 * creation, so try again, and the next round finds the object.
 */
const CREATE_RACE_CODES = new Set(['23505', '42710', '42P06', '42P07']);

/** The schema and the version row, created when missing; safe to run from many instances at once. */
async function ensureVersionTable(db: Kysely<Tables>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(SCHEMA)}`.execute(db);
      await sql`CREATE TABLE IF NOT EXISTS ${table('schema_version')} (id text PRIMARY KEY, version integer NOT NULL)`.execute(db);
      await sql`INSERT INTO ${table('schema_version')} (id, version) VALUES (${VERSION_ROW}, 0) ON CONFLICT (id) DO NOTHING`.execute(db);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 5 || typeof code !== 'string' || !CREATE_RACE_CODES.has(code)) throw error;
    }
  }
}

/** The version recorded in the database (0: none of this package's tables yet). */
export async function schemaVersion(db: Kysely<Tables>): Promise<number> {
  await ensureVersionTable(db);
  const row = await db.withSchema(SCHEMA).selectFrom('schema_version').select('version').where('id', '=', VERSION_ROW).executeTakeFirst();
  return row?.version ?? 0;
}

export interface MigrateOptions {
  /** Stop at this version (default: the newest); tests use it to build older databases. */
  target?: number;
  /** The steps (default: MIGRATIONS); tests add a failing one. */
  migrations?: readonly Migration[];
}

/**
 * Brings the database up to date (or to `options.target`), running each missing step
 * in order inside one transaction. A database newer than this code is refused with a
 * `storage-version` StorageError rather than written by code that does not know its
 * tables.
 */
export async function migrate(db: Kysely<Tables>, options: MigrateOptions = {}): Promise<{ from: number; to: number }> {
  const migrations = options.migrations ?? MIGRATIONS;
  const newest = migrations[migrations.length - 1]?.version ?? 0;
  const target = options.target ?? newest;
  if (target !== 0 && !migrations.some((m) => m.version === target)) throw new RangeError(`no migration has version ${target}`);
  await ensureVersionTable(db);
  return db.transaction().execute(async (trx) => {
    const row = await trx.withSchema(SCHEMA).selectFrom('schema_version').select('version').where('id', '=', VERSION_ROW).forUpdate().executeTakeFirstOrThrow();
    const from = row.version;
    if (from > newest) {
      throw new StorageError('storage-version', `the database schema is at version ${from}, newer than this package's ${newest}: upgrade daily-missions on every instance`);
    }
    for (const migration of migrations) {
      if (migration.version <= from || migration.version > target) continue;
      await migration.up(trx);
      await trx.withSchema(SCHEMA).updateTable('schema_version').set({ version: migration.version }).where('id', '=', VERSION_ROW).execute();
    }
    return { from, to: Math.max(from, target) };
  });
}
