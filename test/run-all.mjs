/**
 * `npm test`: every check, in order, with one closing line `N passed, N failed`
 * counting every test of every suite. Stops counting nothing: a suite that crashes
 * before reporting counts as one failure so the total can never look green by accident.
 *
 * The browser suite runs in Chromium (from npm). `DM_ENGINES=all` (what CI sets) also runs
 * it in Firefox and WebKit and counts their tests; `--engines-only` (`npm run
 * test:engines`) runs just those two. Before the closing line comes a time budget: each
 * phase's seconds and the minute it ended at, counted from DM_BUDGET_START (epoch seconds,
 * set by .ci/run) or from this script's start. DM_BUDGET_PHASES carries the phases that
 * ran before this script (`label=seconds;label=seconds`, .ci/run's installs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const RESULTS = '.test-results';
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const ENGINES_ONLY = process.argv.includes('--engines-only');
/** DM_ENGINES: `all` (Firefox and WebKit) or a comma-separated list of them, added to Chromium. */
const requestedEngines = process.env.DM_ENGINES === 'all' ? ['firefox', 'webkit'] : (process.env.DM_ENGINES ?? '').split(',').filter((name) => name === 'firefox' || name === 'webkit');
const OTHER_ENGINES = ENGINES_ONLY ? ['firefox', 'webkit'] : requestedEngines;

/** CI's whole budget (90 minutes); a run past this does not land. */
const BUDGET_MINUTES = 90;
/** One browser suite that hangs is stopped here, so the others still run inside the budget. */
const SUITE_TIMEOUT_MS = 25 * 60_000;

const budgetStart = Number(process.env.DM_BUDGET_START) * 1000 || Date.now();
/** The phases before this script, then each of its own: label, seconds, minute it ended at. */
const phases = [];
{
  let ended = 0;
  for (const entry of (process.env.DM_BUDGET_PHASES ?? '').split(';').filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const seconds = Number(entry.slice(at + 1));
    ended += seconds / 60;
    phases.push({ label: entry.slice(0, at), seconds, ended });
  }
}
const totals = { passed: 0, failed: 0, skipped: 0 };

/** Runs one phase, timing it for the budget table; true when it exited 0. */
function run(label, command, args, env = {}) {
  console.log(`\n=== ${label}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0', ...env },
    timeout: SUITE_TIMEOUT_MS,
    killSignal: 'SIGTERM',
  });
  if (result.error?.code === 'ETIMEDOUT') console.log(`\n${label}: stopped after ${SUITE_TIMEOUT_MS / 60_000} minutes`);
  phases.push({ label, seconds: (Date.now() - started) / 1000, ended: (Date.now() - budgetStart) / 60_000 });
  return result.status === 0;
}

function printBudget() {
  console.log(`\n=== time budget (CI allows ${BUDGET_MINUTES} minutes)`);
  for (const { label, seconds, ended } of phases) {
    console.log(`${seconds.toFixed(0).padStart(6)} s  ended at minute ${ended.toFixed(1).padStart(5)}  ${label}`);
  }
  const used = (Date.now() - budgetStart) / 60_000;
  console.log(`${used.toFixed(1)} of ${BUDGET_MINUTES} minutes used (${((100 * used) / BUDGET_MINUTES).toFixed(0)}%)`);
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
 * day renew halfway through. Node's suite and Chromium's take about three minutes together,
 * Firefox's or WebKit's up to four on a loaded machine: closer than the margin to midnight
 * before one of them, wait until it has passed.
 */
const SUITES_MARGIN_MS = 5 * 60_000;
const ENGINE_SUITE_MARGIN_MS = 6 * 60_000;

function waitPastLocalMidnight(marginMs) {
  const now = new Date();
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
  const wait = midnight - now.getTime();
  if (wait > marginMs) return;
  console.log(`\nLocal midnight is ${Math.ceil(wait / 1000)} s away: waiting until it has passed before the tests.`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait + 2_000);
}

const ENGINE_NAMES = { chromium: 'headless Chromium', firefox: 'headless Firefox ESR', webkit: 'WebKitGTK MiniBrowser under Xvfb' };

function browserSuite(engine) {
  const file = `${RESULTS}/browser-${engine}.json`;
  const ok = run(`browser tests (@web/test-runner, ${ENGINE_NAMES[engine]})`, process.execPath, [
    '--import', 'tsx',
    'node_modules/@web/test-runner/dist/bin.js',
  ], { DM_ENGINE: engine });
  const counts = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { passed: 0, failed: 0 };
  totals.passed += counts.passed;
  totals.failed += counts.failed + (!ok && counts.failed === 0 ? 1 : 0);
  totals.skipped += counts.skipped ?? 0;
}

if (!ENGINES_ONLY) {
  step('type check', 'npm', ['run', '--silent', 'typecheck']);
  step('library build', 'npm', ['run', '--silent', 'build']);
  waitPastLocalMidnight(SUITES_MARGIN_MS);
  nodeSuite();
  browserSuite('chromium');
}
for (const engine of OTHER_ENGINES) {
  waitPastLocalMidnight(ENGINE_SUITE_MARGIN_MS);
  browserSuite(engine);
}

printBudget();
if (totals.skipped > 0) {
  console.log(`\n${totals.skipped} suites or tests did not run:`);
  for (const reason of skipReasons) console.log(`  - ${reason}`);
}
// A skipped test is never silent: it shows in the closing line.
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 ? 0 : 1);
