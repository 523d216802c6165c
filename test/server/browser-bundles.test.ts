/**
 * The database packages (kysely, pg, PGlite) and the server's own code never reach a
 * browser: every file a page can load from the built package (the npm entries, the
 * worker, the CDN build and every chunk they import, statically or lazily) is read,
 * and neither its imports nor the sources in its source map may name them. The size
 * check (test/engine/sizes.test.ts) would catch a big leak; this one names the file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');
const BROWSER_ENTRIES = ['index.js', 'client.js', 'engine.js', 'worker.js', 'cdn/daily-missions.js'];

/** Imports of a built ES module: static, re-exports and dynamic, relative or bare. */
const IMPORTS = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'`]([^"'`]+)["'`]/g;
const DATABASE_PACKAGE = /^(kysely|pg|pg-[a-z-]+|@electric-sql\/pglite)(\/|$)/;
const SERVER_SOURCE = /(^|\/)(server\/|node_modules\/(kysely|pg|pg-[a-z-]+|@electric-sql\/pglite)\/)/;

/** Every file reachable from the browser entries through relative imports. */
function browserFiles(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORTS)) {
      if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!));
    }
  };
  for (const entry of BROWSER_ENTRIES) visit(join(DIST, entry));
  return [...seen];
}

describe('browser files of the built package', () => {
  const files = browserFiles();

  it('are found from every browser entry (npm test builds first)', () => {
    for (const entry of BROWSER_ENTRIES) assert.ok(files.includes(join(DIST, entry)), `dist/${entry} exists`);
    assert.ok(files.length > BROWSER_ENTRIES.length, 'their chunks are followed too');
  });

  it('import no database package', () => {
    const hits = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(IMPORTS)].map((m) => m[1]!).filter((specifier) => DATABASE_PACKAGE.test(specifier)).map((specifier) => `${relative(DIST, file)} imports ${specifier}`),
    );
    assert.deepEqual(hits, []);
  });

  it('hold no code of the server or of a database package (their source maps list none)', () => {
    const hits = files.flatMap((file) => {
      const map = `${file}.map`;
      if (!existsSync(map)) return [];
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
      return sources.filter((source) => SERVER_SOURCE.test(source.replace(/^(\.\.\/)+/, ''))).map((source) => `${relative(DIST, file)} contains ${source}`);
    });
    assert.deepEqual(hits, []);
  });
});
