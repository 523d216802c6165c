/**
 * `npm run bench:server`: load on the real server processes with autocannon. N
 * simulated learners, each with its own bearer token, do what a learner's day does:
 * GET /v1/today, then five POST /v1/activity (one lesson each, with an id). Every
 * configuration runs 1 and 2 server processes on one port; the floor of the same run
 * is a constant answer through the same Node adapter. After each run every learner's
 * export is checked: 5 activities, 5 counted in the day's stats, each award once,
 * lifetime XP equal to the awards (duplicates and losses are reported, expected 0).
 *
 *   npm run bench:server [-- --learners 300 --connections 32]
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'bench-secret-bench-secret-bench-secret!';
const RECORDS_PER_LEARNER = 5;

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '300' },
    connections: { type: 'string', default: '32' },
  },
});
const CONNECTIONS = Number(values.connections);
// Each connection runs whole days (six requests) for learners in turn: a multiple of the connections.
const LEARNERS = Math.ceil(Number(values.learners) / CONNECTIONS) * CONNECTIONS;

interface Target {
  label: string;
  /** serve options after --port; null: the constant floor. */
  serve: string[] | null;
  /** Whether two processes may share this store (an in-memory store is per process). */
  shared: boolean;
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

const tokens = await Promise.all(
  Array.from({ length: LEARNERS }, (_, i) =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(`learner-${i}`).setExpirationTime('2h').sign(new TextEncoder().encode(SECRET)),
  ),
);

/** One learner's day per round of six requests on a connection; learners are handed out in order. */
async function learnersDay(url: string): Promise<autocannon.Result> {
  let next = 0;
  const authorization = (context: Record<string, unknown>) => `Bearer ${tokens[context['learner'] as number]}`;
  const record = (n: number): autocannon.Request => ({
    method: 'POST',
    path: '/v1/activity',
    setupRequest: (request, context) => ({
      ...request,
      headers: { ...request.headers, authorization: authorization(context), 'content-type': 'application/json' },
      body: JSON.stringify({ activities: [{ id: `${context['learner']}-${n}`, type: 'lesson-completed', lessonId: `lesson-${n}`, correct: 9, total: 10, seconds: 420 }] }),
    }),
  });
  return autocannon({
    url,
    connections: CONNECTIONS,
    amount: LEARNERS * (1 + RECORDS_PER_LEARNER),
    requests: [
      {
        method: 'GET',
        path: '/v1/today?timeZone=Europe/Berlin',
        setupRequest: (request, context) => {
          context['learner'] = next++;
          return { ...request, headers: { ...request.headers, authorization: authorization(context) } };
        },
      },
      ...Array.from({ length: RECORDS_PER_LEARNER }, (_, n) => record(n)),
    ],
  });
}

function constantLoad(url: string): Promise<autocannon.Result> {
  return autocannon({ url: `${url}/`, connections: CONNECTIONS, amount: LEARNERS * (1 + RECORDS_PER_LEARNER) });
}

/** Every learner's data after the run: duplicates (counted twice) and losses (not counted). */
async function verify(url: string): Promise<{ duplicates: number; lost: number }> {
  let duplicates = 0;
  let lost = 0;
  for (let i = 0; i < LEARNERS; i += 1) {
    const response = await fetch(`${url}/v1/export`, { headers: { authorization: `Bearer ${tokens[i]}` } });
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

async function measure(target: Target, processes: number): Promise<Row> {
  const { url, child } = await startCluster(processes, target.serve === null ? ['constant'] : ['missions', ...target.serve]);
  try {
    const result = target.serve === null ? await constantLoad(url) : await learnersDay(url);
    if (process.env['BENCH_DEBUG']) console.error(result.statusCodeStats);
    const checked = target.serve === null ? { duplicates: '–', lost: '–' } : await verify(url);
    return {
      target: target.label,
      processes,
      requests: result.requests.total,
      rps: Math.round(result.requests.total / result.duration),
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      ...checked,
    };
  } finally {
    await stop(child);
  }
}

const targets: Target[] = [
  { label: 'floor: constant answer, same Node adapter', serve: null, shared: true },
  { label: 'missions, memory store', serve: ['--memory', '--rate-limit', '0'], shared: false },
];

const rows: Row[] = [];
for (const target of targets) {
  for (const processes of target.shared ? [1, 2] : [1]) {
    console.error(`… ${target.label}, ${processes} process${processes > 1 ? 'es' : ''}`);
    rows.push(await measure(target, processes));
  }
}

console.log(`\n${LEARNERS} learners × (today + ${RECORDS_PER_LEARNER} records), ${CONNECTIONS} connections, Node ${process.versions.node}\n`);
console.log('| target | processes | requests | req/s | p50 ms | p99 ms | errors | non-2xx | duplicates | lost |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.target} | ${r.processes} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.duplicates} | ${r.lost} |`);
