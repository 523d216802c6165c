/**
 * The INSERT floor of `npm run bench:server` (test/bench/server-floor.ts): the bench
 * sets each database row beside it and checks duplicates and losses by its row count,
 * so it must write exactly one row per request and count them truly. Run on PGlite,
 * whose one-session pool is the stricter case for concurrent requests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SqlStore } from '../../server/store/index.js';
import { createFloorTable, FLOOR_ROWS_PATH, insertFloorHandler } from '../bench/server-floor.js';
import { openPglite } from './support/stores.js';

const rowCount = async (handler: (request: Request) => Promise<Response>) =>
  ((await (await handler(new Request(`http://localhost${FLOOR_ROWS_PATH}`))).json()) as { rows: number }).rows;

describe('bench:server INSERT floor', () => {
  let store: SqlStore;
  let dispose: () => Promise<void>;
  before(async () => {
    ({ store, dispose } = await openPglite());
    await createFloorTable(store);
    // A second creation (a rerun on the same database) leaves the table as it is.
    await createFloorTable(store);
  });
  after(() => dispose());

  it('writes one row per request, concurrent requests included, and counts them', async () => {
    const handler = insertFloorHandler(store);
    assert.equal(await rowCount(handler), 0);
    const answers = await Promise.all(Array.from({ length: 25 }, () => handler(new Request('http://localhost/'))));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      Array(25).fill(200),
    );
    assert.equal(await rowCount(handler), 25);
    // A second handler (as in a second server process) writes under ids of its own.
    await insertFloorHandler(store)(new Request('http://localhost/'));
    assert.equal(await rowCount(handler), 26);
  });

  it('answers 503 naming the storage when the database is gone, rather than throwing', async () => {
    const handler = insertFloorHandler(store);
    store.close();
    await store.closed;
    const answer = await handler(new Request('http://localhost/'));
    assert.equal(answer.status, 503);
    assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'storage-unavailable');
  });
});
