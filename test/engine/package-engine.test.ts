/**
 * `daily-missions/engine` from a plain Node script, through the package's `exports`
 * (needs `npm run build`, which `npm test` runs first).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('package entry daily-missions/engine', () => {
  it('is built and importable from a plain Node script, without TypeScript tooling', () => {
    assert.ok(existsSync(`${root}dist/engine.js`), 'dist/engine.js is missing: run `npm run build` first');
    const script = `
      import { dayKey, generateMissions, validateCompiledCatalog, ValidationError } from 'daily-missions/engine';
      const day = dayKey(Date.UTC(2025, 2, 9, 3), 'America/New_York');
      let rejected = false;
      try { generateMissions({}, {}); } catch (e) { rejected = e instanceof ValidationError; }
      console.log(JSON.stringify({ day, rejected, validate: typeof validateCompiledCatalog }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(output), { day: '2025-03-08', rejected: true, validate: 'function' });
  });

  it('ships type declarations for each entry', () => {
    for (const file of ['dist/types/worker/engine/index.d.ts', 'dist/types/src/index.d.ts', 'dist/types/src/client.d.ts']) {
      assert.ok(existsSync(`${root}${file}`), `${file} is missing`);
    }
  });
});
