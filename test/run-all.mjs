/**
 * `npm test`: every check, in order, with one closing line `N passed, N failed`
 * counting every test of every suite. Stops counting nothing: a suite that crashes
 * before reporting counts as one failure so the total can never look green by accident.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const RESULTS = '.test-results';
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };

function run(label, command, args) {
  console.log(`\n=== ${label}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  return result.status === 0;
}

/** A step that is not a test suite (type checking, the build) counts as one test. */
function step(label, command, args) {
  if (run(label, command, args)) totals.passed += 1;
  else totals.failed += 1;
}

/** Test files of a folder, by name (Node 20's --test takes no globs). */
const testFiles = (folder) => readdirSync(folder).filter((name) => name.endsWith('.test.ts')).sort().map((name) => `${folder}/${name}`);

/** Why tests did not run, from the TAP's `# SKIP reason` directives. */
const skipReasons = new Set();

/**
 * Node's test runner over the engine and the server: spec output on screen, TAP into a
 * file for counting. Suites that need PostgreSQL run on DATABASE_URL or on a throwaway
 * cluster they start from the installed binaries; without either they do not run, and
 * say so with the reason and how to enable them.
 */
function nodeSuite() {
  const tap = `${RESULTS}/node.tap`;
  const ok = run('engine and server tests (node --test)', process.execPath, [
    '--import', 'tsx',
    '--test',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...testFiles('test/engine'),
    ...testFiles('test/server'),
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const pass = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  const fail = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
  // Each skipped test or suite (a suite that needs PostgreSQL where there is none) is one
  // `ok … # SKIP reason` line; Node's own `# skipped` total leaves skipped suites out.
  const skips = [...text.matchAll(/^\s*ok \d+ - .* # SKIP (.+)$/gm)];
  const skipped = skips.length;
  for (const match of skips) skipReasons.add(match[1].trim());
  totals.passed += pass;
  totals.skipped += skipped;
  totals.failed += fail + (!ok && fail === 0 ? 1 : 0);
}

/**
 * Widgets some tests mount without a clock of their own (the framework examples, the
 * packaged app) read the real time, and a run that crossed local midnight would see their
 * day renew halfway through. The two suites take about two and a half minutes together:
 * closer than this to midnight, wait until it has passed.
 */
const SUITES_MARGIN_MS = 4 * 60_000;

function waitPastLocalMidnight() {
  const now = new Date();
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
  const wait = midnight - now.getTime();
  if (wait > SUITES_MARGIN_MS) return;
  console.log(`\nLocal midnight is ${Math.ceil(wait / 1000)} s away: waiting until it has passed before the tests.`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait + 2_000);
}

function browserSuite() {
  const file = `${RESULTS}/browser.json`;
  const ok = run('browser tests (@web/test-runner, headless Chromium)', process.execPath, [
    '--import', 'tsx',
    'node_modules/@web/test-runner/dist/bin.js',
  ]);
  const counts = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { passed: 0, failed: 0 };
  totals.passed += counts.passed;
  totals.failed += counts.failed + (!ok && counts.failed === 0 ? 1 : 0);
}

step('type check', 'npm', ['run', '--silent', 'typecheck']);
step('library build', 'npm', ['run', '--silent', 'build']);
waitPastLocalMidnight();
nodeSuite();
browserSuite();

if (totals.skipped > 0) {
  console.log(`\n${totals.skipped} suites or tests did not run:`);
  for (const reason of skipReasons) console.log(`  - ${reason}`);
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 ? 0 : 1);
