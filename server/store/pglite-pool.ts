/**
 * PGlite (PostgreSQL compiled to WebAssembly) behind the small pool interface Kysely's
 * own PostgreSQL dialect drives, so the embedded database runs the same dialect, the
 * same query compiler and the same transaction statements as a real server.
 *
 * Written here rather than taken from npm: the PGlite dialects published for Kysely
 * either pin PGlite below 0.5 or bring a code generator and a CLI toolkit with them,
 * and this adapter is one queue around one session.
 *
 * PGlite is one session (one backend, no pool): a transaction holds it from BEGIN to
 * COMMIT, so `connect` hands the session to one caller at a time, in arrival order.
 */
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';

export function pglitePool(database: PGlite): PostgresPool {
  let queue: Promise<void> = Promise.resolve();
  let ended = false;

  const client = (release: () => void): PostgresPoolClient => ({
    async query<R>(sql: string | object, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
      if (typeof sql !== 'string') throw new Error('PGlite: streaming cursors are not supported');
      const result = await database.query<R>(sql, parameters as unknown[]);
      return {
        command: (result as { command?: string }).command?.toUpperCase() as PostgresQueryResult<R>['command'],
        rowCount: result.affectedRows ?? result.rows.length,
        rows: result.rows,
      };
    },
    release,
  }) as PostgresPoolClient;

  return {
    connect() {
      if (ended) return Promise.reject(new Error('PGlite: the database is closed'));
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const turn = queue;
      queue = queue.then(() => released);
      return turn.then(() => client(release));
    },
    async end() {
      ended = true;
      await queue;
      await database.close();
    },
  };
}
