/**
 * What the package ships (dist/, built by `npm run build`, which `npm test` runs
 * first): no YAML parser (catalogs are compiled at build time) and no eval or
 * `new Function` anywhere (hosts with a strict Content-Security-Policy forbid them).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const dist = new URL('../../dist/', import.meta.url);
const shipped = () => {
  assert.ok(existsSync(dist), 'dist/ is missing: run `npm run build` first');
  // Every folder: the CDN build in dist/cdn/ ships too.
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => ({ name, code: readFileSync(new URL(name, dist), 'utf8') }));
};

describe('shipped files', () => {
  it('include the worker and the three entries', () => {
    const names = shipped().map((file) => file.name);
    for (const name of ['index.js', 'client.js', 'engine.js', 'worker.js']) assert.ok(names.includes(name), name);
  });

  it('find the worker with a plain new URL("./worker.js", import.meta.url) that host bundlers copy', () => {
    const finders = shipped().filter(({ code }) => /new URL\(\s*["'`]\.\/worker\.js["'`]\s*,\s*import\.meta\.url\s*\)/.test(code));
    assert.equal(finders.length, 1, 'exactly one chunk locates the worker');
    // A @vite-ignore left in front of it would make a host's vite skip the worker file.
    for (const { name, code } of shipped()) assert.doesNotMatch(code, /@vite-ignore/, `${name} still carries @vite-ignore`);
  });

  it('contain no eval and no new Function', () => {
    for (const { name, code } of shipped()) {
      assert.doesNotMatch(code, /\beval\s*\(/, `${name} calls eval`);
      assert.doesNotMatch(code, /\bnew\s+Function\s*\(/, `${name} uses new Function`);
      assert.doesNotMatch(code, /\bFunction\s*\(\s*['"`]/, `${name} builds a function from a string`);
    }
  });

  it('contain no YAML parser', () => {
    for (const { name, code } of shipped()) {
      // Markers of the yaml package's parser and of js-yaml.
      assert.doesNotMatch(code, /YAMLParseError|YAMLException|Alias resolution is disabled|Implicit keys need to be on a single line/, `${name} contains a YAML parser`);
    }
  });
});
