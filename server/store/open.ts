/**
 * Opens the server's store: PostgreSQL when a URL is given, else PGlite (PostgreSQL in
 * WebAssembly) in a data folder, so `serve` works with nothing but Node and npm. Both
 * run the same schema and SQL through Kysely's PostgreSQL dialect. The database
 * packages are optional dependencies of the package and loaded here on demand, so the
 * browser entries never see them and a host on PostgreSQL never loads PGlite.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import type { PostgresPool } from 'kysely';
import { StorageError } from '../../worker/store/store.js';
import { toStorageError } from './errors.js';
import { migrate } from './migrations.js';
import { pglitePool } from './pglite-pool.js';
import { SqlStore } from './sql-store.js';
import type { SqlStoreOptions } from './sql-store.js';
import type { Tables } from './tables.js';

export interface ServerStoreOptions extends SqlStoreOptions {
  /** postgres://… (e.g. DATABASE_URL). When set, the store uses PostgreSQL through `pg`. */
  databaseUrl?: string;
  /** PGlite's data folder, used when no databaseUrl is given (created if missing). */
  dataDir?: string;
  /** PostgreSQL pool size per instance (default 10). */
  maxConnections?: number;
  /** How long to wait for a PostgreSQL connection before `storage-timeout` (default 5000 ms). */
  connectionTimeoutMs?: number;
  /** A statement running longer is cancelled, and its transaction fails (default 15000 ms). */
  statementTimeoutMs?: number;
  /** Bring the schema up to date on open (default true). */
  migrate?: boolean;
}

/** int8 (bigint) columns hold epoch milliseconds: safe JavaScript integers, read as numbers (as PGlite does). */
const INT8_OID = 20;

async function postgresPool(options: ServerStoreOptions & { databaseUrl: string }): Promise<PostgresPool> {
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    // A crashed request must not hold a learner's row lock for long.
    idle_in_transaction_session_timeout: Math.max(30_000, (options.statementTimeoutMs ?? 15_000) * 2),
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser },
  });
  // An idle connection the server dropped (restart, failover) is an event, not a crash:
  // the pool replaces it on the next checkout, so the instance recovers by itself.
  pool.on('error', () => undefined);
  // The same for a connection lost while checked out between two statements of a
  // transaction: without a listener Node would treat it as uncaught; with one, the
  // transaction's next statement fails (a StorageError) and the pool drops the client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * PGlite is one process's database: a second process opening the same folder would
 * corrupt it. A lock file holding the owner's pid refuses that plainly; a lock left by
 * a process that no longer runs is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, 'daily-missions.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new StorageError('storage-unavailable', `the data folder ${dir} is in use by process ${owner}${owner === process.pid ? ' (this one: close the other store first)' : ''}; PGlite serves one process (use PostgreSQL for several instances)`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new StorageError('storage-unavailable', `could not lock the data folder ${dir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function pglite(dataDir: string): Promise<PostgresPool> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(dir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const pool = pglitePool(await PGlite.create(join(dir, 'pgdata')));
    return { connect: () => pool.connect(), end: () => pool.end().finally(unlock) };
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * The store for `options`, its schema migrated. An unreachable database is a
 * StorageError (`storage-unavailable`); there is no fallback to memory.
 */
export async function openServerStore(options: ServerStoreOptions): Promise<SqlStore> {
  const { databaseUrl, dataDir } = options;
  if (!databaseUrl && !dataDir) throw new TypeError('openServerStore: give databaseUrl (PostgreSQL) or dataDir (embedded PGlite)');
  let db: Kysely<Tables> | undefined;
  try {
    const pool = databaseUrl ? await postgresPool({ ...options, databaseUrl }) : await pglite(dataDir!);
    db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
    if (options.migrate !== false) await migrate(db);
    return new SqlStore(db, databaseUrl ? 'postgres' : 'pglite', options);
  } catch (error) {
    await db?.destroy().catch(() => undefined);
    throw toStorageError(error);
  }
}
