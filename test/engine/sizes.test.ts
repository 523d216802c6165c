/**
 * Size check on the built package (npm test builds before these tests run), measured
 * exactly as `npm run bench` reports it (test/support/sizes.ts).
 *
 * The budgets are the measured ceilings (docs/architecture.md §8: entry 19.1 kB, worker
 * 17.3 kB gzip): any growth past them fails the build. The entry includes lit and
 * comlink at the versions of package-lock.json, so a dependency update that grows them
 * fails here too, on purpose. New code paths load lazily; a change that must grow a
 * budget says by how much and why.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureSizes, SIZE_BUDGETS } from '../support/sizes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const report = measureSizes(ROOT);

describe('package sizes (gzip)', () => {
  it(`keeps the main-thread entry within its budget (${SIZE_BUDGETS.mainEntry} B)`, async () => {
    const { mainEntry } = await report;
    assert.ok(mainEntry.gzip <= SIZE_BUDGETS.mainEntry, `main-thread entry is ${mainEntry.gzip} B: ${JSON.stringify(mainEntry.parts)}`);
  });

  it(`keeps the worker within its budget (${SIZE_BUDGETS.worker} B)`, async () => {
    const { worker } = await report;
    assert.ok(worker.gzip <= SIZE_BUDGETS.worker, `dist/worker.js is ${worker.gzip} B`);
  });

  it('keeps confetti, the languages and the catalog checks out of the entry', async () => {
    const { mainEntry, confetti, lazyChunks } = await report;
    assert.ok(confetti, 'a confetti chunk exists');
    const entryInputs = mainEntry.parts.map((p) => p.file).join(' ');
    assert.doesNotMatch(entryInputs, /confetti/);
    assert.ok(lazyChunks.length >= 10, `languages, catalog text and checks load lazily: ${lazyChunks.length} chunks`);
  });

  it('keeps the catalog checks out of the worker (the client checks custom catalogs)', () => {
    const worker = readFileSync(new URL('../../dist/worker.js', import.meta.url), 'utf8');
    assert.ok(!worker.includes('must be a compiled catalog object'), 'catalog validation messages found in dist/worker.js');
    assert.ok(worker.includes('IndexedDB'), 'sanity: this is the worker bundle');
  });
});
