/**
 * The repository stands on its own: no code, test, build step, doc or comment reads or
 * cites a file outside it. The project's design lives in docs/architecture.md and the
 * catalog's reference facts in test/engine/fixtures/catalog-reference.json. CI runs the
 * tests on a copy with nothing beside it (.ci/run); this test names the offending line
 * when a reference to an outside document slips in.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Build output, installed packages and test artefacts are not the project's source. */
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'dist-demo', '.test-results', 'bench']);
const TEXT = /\.(ts|tsx|mts|mjs|js|json|md|html|css|yaml|yml|vue|svelte|sh)$|^run$/;

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIPPED.has(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (TEXT.test(name) && name !== 'package-lock.json') yield full;
  }
}

// Spelled in pieces so that this file does not match itself.
const OUTSIDE_REFERENCES = [['DESIGN', '.md'], ['catalog', '-facts'], ['../', 'shared/']].map((parts) => parts.join(''));

describe('the repository is self-contained', () => {
  it('cites no document outside the repository', () => {
    const hits: string[] = [];
    for (const file of sourceFiles(repoRoot)) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const reference of OUTSIDE_REFERENCES) {
          if (line.includes(reference)) hits.push(`${path.relative(repoRoot, file)}:${i + 1}: ${reference}`);
        }
      });
    }
    assert.deepEqual(hits, []);
  });

  it('keeps its own design document and catalog reference, which the code cites', () => {
    assert.ok(existsSync(path.join(repoRoot, 'docs/architecture.md')), 'docs/architecture.md exists');
    assert.ok(existsSync(path.join(repoRoot, 'test/engine/fixtures/catalog-reference.json')), 'the catalog reference fixture exists');
    const citing = [...sourceFiles(path.join(repoRoot, 'worker'))].filter((file) => readFileSync(file, 'utf8').includes('docs/architecture.md §'));
    assert.ok(citing.length >= 5, `worker code cites docs/architecture.md sections (${citing.length} files do)`);
  });

  it('cites only sections that docs/architecture.md has', () => {
    const architecture = readFileSync(path.join(repoRoot, 'docs/architecture.md'), 'utf8');
    const sections = new Set([...architecture.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((match) => match[1]));
    const unknown: string[] = [];
    for (const file of sourceFiles(repoRoot)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/architecture\.md §(\d+(?:\.\d+)?)/g)) {
        if (!sections.has(match[1]!)) unknown.push(`${path.relative(repoRoot, file)}: §${match[1]}`);
      }
    }
    assert.deepEqual(unknown, []);
  });
});
