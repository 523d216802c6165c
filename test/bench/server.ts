/**
 * `npm run bench:server`: load on the real server processes with autocannon. N
 * simulated learners, each with its own bearer token, do what a learner's day does:
 * GET /v1/today, then five POST /v1/activity (one lesson each, with an id). The server
 * runs on the memory store, on PGlite (the embedded default, a data folder in a temp
 * dir) and on PostgreSQL (DATABASE_URL, else a throwaway cluster), with 1 and 2
 * processes on one port where the store can be shared. The floors of the same run go
 * through the same Node adapter: a constant answer, and for each database one
 * single-row INSERT per request through the same store and pool (server-floor.ts), each
 * with three times the requests of a learners' run. After each run every learner's export is
 * checked: 5 activities, 5 counted in the day's stats, each award once, lifetime XP
 * equal to the awards; after an INSERT floor, that each request wrote its row
 * (duplicates and losses are reported, expected 0). Each server first serves a warm-up
 * round of other learners, not measured.
 *
 *   npm run bench:server [-- --learners 1280 --connections 32]
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { createTestDatabase, POSTGRES_UNAVAILABLE } from '../support/postgres.js';
import type { TestDatabase } from '../support/postgres.js';
import { FLOOR_ROWS_PATH } from './server-floor.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'bench-secret-bench-secret-bench-secret!';
const RECORDS_PER_LEARNER = 5;
const REQUESTS_PER_LEARNER = 1 + RECORDS_PER_LEARNER;
/**
 * autocannon notices that a fixed amount is done on its sampling tick (1 s by default),
 * which rounded a two-second floor run up by as much as half; sampled every 50 ms, a
 * run's duration, and so its requests per second, is off by 50 ms at most.
 */
const SAMPLE_MS = 50;

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '1280' },
    connections: { type: 'string', default: '32' },
  },
});
const CONNECTIONS = Number(values.connections);
// Each connection runs whole days (six requests) for learners in turn: a multiple of the connections.
const LEARNERS = Math.ceil(Number(values.learners) / CONNECTIONS) * CONNECTIONS;

type StoreKind = 'memory' | 'pglite' | 'postgres';

interface Target {
  label: string;
  /** What server-cluster.ts serves: the real server, or one of the floors. */
  mode: 'missions' | 'constant' | 'insert';
  /** The store behind it (null: none, the constant floor). */
  store: StoreKind | null;
  /** Process counts to run: 2 only where processes can share the store. */
  processes: number[];
}

interface Row {
  target: string;
  processes: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  duplicates: number | string;
  lost: number | string;
}

interface Checked {
  duplicates: number;
  lost: number;
}

function startCluster(workers: number, mode: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/server-cluster.ts', String(workers), '0', ...mode], {
    cwd: ROOT,
    env: { ...process.env, DAILY_MISSIONS_JWT_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /ready (\d+)/.exec(out)?.[1];
      if (port) {
        child.removeAllListeners('exit');
        resolve({ url: `http://127.0.0.1:${port}`, child });
      }
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

const tokensFor = (prefix: string, count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(`${prefix}-${i}`).setExpirationTime('2h').sign(new TextEncoder().encode(SECRET)),
    ),
  );

/** The learner a connection is on: autocannon's per-connection context, keyed here. */
const learnerOf = (context: object) => (context as { learner: number }).learner;

/** One learner's day per round of six requests on a connection; learners are handed out in order. */
async function learnersDay(url: string, tokens: string[]): Promise<autocannon.Result> {
  let next = 0;
  const authorization = (context: object) => `Bearer ${tokens[learnerOf(context)]}`;
  const record = (n: number): autocannon.Request => ({
    method: 'POST',
    path: '/v1/activity',
    setupRequest: (request, context) => ({
      ...request,
      headers: { ...request.headers, authorization: authorization(context), 'content-type': 'application/json' },
      body: JSON.stringify({ activities: [{ id: `${learnerOf(context)}-${n}`, type: 'lesson-completed', lessonId: `lesson-${n}`, correct: 9, total: 10, seconds: 420 }] }),
    }),
  });
  return autocannon({
    url,
    connections: CONNECTIONS,
    sampleInt: SAMPLE_MS,
    amount: tokens.length * REQUESTS_PER_LEARNER,
    requests: [
      {
        method: 'GET',
        path: '/v1/today?timeZone=Europe/Berlin',
        setupRequest: (request, context) => {
          (context as { learner: number }).learner = next++;
          return { ...request, headers: { ...request.headers, authorization: authorization(context) } };
        },
      },
      ...Array.from({ length: RECORDS_PER_LEARNER }, (_, n) => record(n)),
    ],
  });
}

/**
 * A floor's measured run sends this many times the requests of a learners' run: floors
 * answer several times faster, and a run of a second or two would measure mostly what
 * the shared machine's other jobs did in that second.
 */
const FLOOR_LOAD_FACTOR = 3;

/** `requests` GET / to a floor (a constant answer, or one INSERT). */
function floorLoad(url: string, requests: number): Promise<autocannon.Result> {
  return autocannon({ url: `${url}/`, connections: CONNECTIONS, sampleInt: SAMPLE_MS, amount: requests });
}

/** Every learner's data after the run: duplicates (counted twice) and losses (not counted). */
async function verifyLearners(url: string, tokens: string[]): Promise<Checked> {
  let duplicates = 0;
  let lost = 0;
  for (const token of tokens) {
    const response = await fetch(`${url}/v1/export`, { headers: { authorization: `Bearer ${token}` } });
    const data = (await response.json()) as {
      activity: unknown[];
      days: { stats: { activityCount: number } }[];
      awards: { day: string; templateId: string; xp: number }[];
      profile: { lifetimeXp: number } | null;
    };
    const counted = data.days.reduce((sum, day) => sum + day.stats.activityCount, 0);
    duplicates += Math.max(0, data.activity.length - RECORDS_PER_LEARNER) + Math.max(0, counted - RECORDS_PER_LEARNER);
    lost += Math.max(0, RECORDS_PER_LEARNER - data.activity.length) + Math.max(0, RECORDS_PER_LEARNER - counted);
    const keys = new Set(data.awards.map((a) => `${a.day} ${a.templateId}`));
    duplicates += data.awards.length - keys.size;
    const paid = data.awards.reduce((sum, a) => sum + a.xp, 0);
    if ((data.profile?.lifetimeXp ?? 0) !== paid) duplicates += 1;
  }
  return { duplicates, lost };
}

/** The INSERT floor's table size (it is shared by the runs on one database, so rows are counted before and after). */
async function floorRows(url: string): Promise<number> {
  const response = await fetch(`${url}${FLOOR_ROWS_PATH}`);
  if (!response.ok) throw new Error(`${FLOOR_ROWS_PATH}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { rows: number }).rows;
}

/** Rows the measured run wrote against the requests it sent: one row each, no more, no fewer. */
function checkFloorRows(written: number, sent: number): Checked {
  return { duplicates: Math.max(0, written - sent), lost: Math.max(0, sent - written) };
}

/** The database of the PostgreSQL rows, created on first use and disposed at the end. */
let postgres: Promise<TestDatabase> | null = null;
const postgresDatabase = () => (postgres ??= createTestDatabase());

/** serve options for a store, and what to remove after the run (a PGlite folder). */
async function storeOptions(store: StoreKind): Promise<{ options: string[]; cleanUp: () => void }> {
  switch (store) {
    case 'memory':
      return { options: ['--memory'], cleanUp: () => undefined };
    case 'pglite': {
      const dir = mkdtempSync(join(tmpdir(), 'daily-missions-bench-pglite-'));
      return { options: ['--data', dir], cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
    }
    case 'postgres':
      return { options: ['--database', (await postgresDatabase()).url], cleanUp: () => undefined };
  }
}

async function measure(target: Target, processes: number, row: number): Promise<Row> {
  const store = target.store === null ? { options: [], cleanUp: () => undefined } : await storeOptions(target.store);
  try {
    const { url, child } = await startCluster(processes, [target.mode, ...store.options, '--rate-limit', '0']);
    try {
      let result: autocannon.Result;
      let checked: Checked | null = null;
      if (target.mode === 'missions') {
        // Learners of this row alone (a database serves several rows), and a warm-up round of others (JIT, pools).
        const [tokens, warmUp] = await Promise.all([tokensFor(`r${row}-learner`, LEARNERS), tokensFor(`r${row}-warm-up`, CONNECTIONS * 4)]);
        await learnersDay(url, warmUp);
        result = await learnersDay(url, tokens);
        checked = await verifyLearners(url, tokens);
      } else {
        const requests = LEARNERS * REQUESTS_PER_LEARNER * FLOOR_LOAD_FACTOR;
        await floorLoad(url, CONNECTIONS * 4 * REQUESTS_PER_LEARNER);
        const before = target.mode === 'insert' ? await floorRows(url) : 0;
        result = await floorLoad(url, requests);
        if (target.mode === 'insert') checked = checkFloorRows((await floorRows(url)) - before, requests);
      }
      if (process.env['BENCH_DEBUG']) console.error(result.statusCodeStats);
      return {
        target: target.label,
        processes,
        requests: result.requests.total,
        rps: Math.round(result.requests.total / result.duration),
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
        duplicates: checked?.duplicates ?? '–',
        lost: checked?.lost ?? '–',
      };
    } finally {
      await stop(child);
    }
  } finally {
    store.cleanUp();
  }
}

const targets: Target[] = [
  { label: 'floor: constant answer, same Node adapter', mode: 'constant', store: null, processes: [1, 2] },
  { label: 'missions, memory store (per process: 1 only)', mode: 'missions', store: 'memory', processes: [1] },
  { label: 'floor: one INSERT, PGlite (one process owns it)', mode: 'insert', store: 'pglite', processes: [1] },
  { label: 'missions, PGlite (one process owns it)', mode: 'missions', store: 'pglite', processes: [1] },
  { label: 'floor: one INSERT, PostgreSQL pool', mode: 'insert', store: 'postgres', processes: [1, 2] },
  { label: 'missions, PostgreSQL', mode: 'missions', store: 'postgres', processes: [1, 2] },
];

/** The machine is shared: how busy it was is part of the result. */
const loadAtStart = loadavg()[0]!.toFixed(1);
const rows: Row[] = [];
const notRun: string[] = [];
try {
  for (const target of targets) {
    if (target.store === 'postgres' && POSTGRES_UNAVAILABLE) {
      notRun.push(`${target.label}: not run: ${POSTGRES_UNAVAILABLE}`);
      continue;
    }
    for (const processes of target.processes) {
      console.error(`… ${target.label}, ${processes} process${processes > 1 ? 'es' : ''}`);
      rows.push(await measure(target, processes, rows.length));
    }
  }
} finally {
  if (postgres) await (await postgres).dispose();
}

const where = process.env['DATABASE_URL'] ? 'PostgreSQL on DATABASE_URL' : 'PostgreSQL on a throwaway local cluster';
console.log(
  `\n${LEARNERS} learners × (today + ${RECORDS_PER_LEARNER} records), ${CONNECTIONS} connections, ${where}, Node ${process.versions.node}, ` +
    `load average ${loadAtStart} at the start and ${loadavg()[0]!.toFixed(1)} at the end on ${availableParallelism()} cores\n`,
);
console.log('| target | processes | requests | req/s | p50 ms | p99 ms | errors | non-2xx | duplicates | lost |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.target} | ${r.processes} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.duplicates} | ${r.lost} |`);
}
for (const line of notRun) console.log(`\n${line}`);
