/**
 * The database floor of `npm run bench:server`: one autocommitted single-row INSERT per
 * request through a store's own Kysely and pool, behind the same Node adapter as the
 * server, so a database row of the table can be set beside what one round trip to that
 * database costs in the same process. Bench code only: the product's server has no such
 * route.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { sql } from 'kysely';
import { serveNode } from '../../server/node.js';
import type { SqlStore } from '../../server/store/index.js';

/** Outside the store's schema, so the product's tables stay as the server made them. */
const FLOOR_TABLE = sql.table('bench_insert_floor');
/** GET here answers `{ rows }`, the table's row count, so the bench can check every request wrote one. */
export const FLOOR_ROWS_PATH = '/floor-rows';

const constantBody = JSON.stringify({ status: 'ok' });
/** The answer of both floors: a small constant JSON body. */
export const constantAnswer = () => new Response(constantBody, { headers: { 'content-type': 'application/json' } });

/** Creates the floor's table; run once before the server processes start, so they never race to create it. */
export async function createFloorTable(store: SqlStore): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS ${FLOOR_TABLE} (id text COLLATE "C" PRIMARY KEY, at bigint NOT NULL)`.execute(store.db);
}

/** The floor's fetch handler: a row count on FLOOR_ROWS_PATH, else one INSERT under a random id (unique across handlers and processes). */
export function insertFloorHandler(store: SqlStore): (request: Request) => Promise<Response> {
  return async (request) => {
    try {
      if (new URL(request.url).pathname === FLOOR_ROWS_PATH) {
        const { rows } = await sql<{ rows: number }>`SELECT count(*)::integer AS rows FROM ${FLOOR_TABLE}`.execute(store.db);
        return Response.json({ rows: rows[0]!.rows });
      }
      await sql`INSERT INTO ${FLOOR_TABLE} (id, at) VALUES (${randomUUID()}, ${Date.now()})`.execute(store.db);
      return constantAnswer();
    } catch (error) {
      return Response.json({ error: { code: 'storage-unavailable', message: (error as Error).message } }, { status: 503 });
    }
  };
}

/** Serves the insert floor on `port` until SIGTERM, then closes the store (PGlite writes its folder on close). */
export async function serveInsertFloor(store: SqlStore, port: number): Promise<Server> {
  const server = await serveNode(insertFloorHandler(store), { port });
  process.once('SIGTERM', () => {
    server.close(() => {
      store.close();
      void store.closed.finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  });
  return server;
}
