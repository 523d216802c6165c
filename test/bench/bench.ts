/**
 * The benchmark page (test/bench/bench.html), driven by test/bench/run.mjs through
 * puppeteer: each scenario is one function on `window.bench` that runs in the page,
 * times with performance.now() and returns raw samples (milliseconds). Statistics,
 * the table and bench/results.json are made in Node.
 *
 * Cold starts run on their own page, test/bench/cold.html, on the built package.
 */
import { connectMissions } from '../../src/client.js';
import { WorkerHandle, defaultWorkerUrl } from '../../src/worker-host.js';
import type { MissionsClient } from '../../src/client.js';
import {
  BENCH_START,
  SEED_END,
  ZONE,
  createWidget,
  measureRecordToRender,
  mountSubject,
  seedHistory,
  sleep,
  whenMissionsRendered,
} from './harness.js';
import { everythingBatch } from '../support/everything-batch.js';
import type { RecordRenderResult, Subject } from './harness.js';

interface LongTaskEntry {
  name: string;
  startTime: number;
  duration: number;
  attribution: { name: string; containerType: string; containerSrc: string }[];
}

declare global {
  interface Window {
    __longTasks: { supported: boolean; take(): LongTaskEntry[] };
    bench: typeof bench;
  }
}

/** Appends a widget for `userId` and times it until its missions render; removes it after. */
async function timeWidgetToMissions(userId: string): Promise<number> {
  const element = createWidget(userId, { time: BENCH_START });
  const t0 = performance.now();
  document.body.append(element);
  const t1 = await whenMissionsRendered(element);
  element.remove();
  return t1 - t0;
}

// ---------------------------------------------------------------------------
// Phases: every long task is attributed to the phase it started in.

interface Phase {
  name: string;
  start: number;
  end: number;
}
const phases: Phase[] = [];

async function inPhase<T>(name: string, run: () => Promise<T>): Promise<T> {
  const phase: Phase = { name, start: performance.now(), end: Number.NaN };
  phases.push(phase);
  try {
    return await run();
  } finally {
    phase.end = performance.now();
  }
}

function phaseOf(time: number): string {
  const phase = phases.find((p) => time >= p.start && (Number.isNaN(p.end) || time <= p.end));
  return phase?.name ?? 'outside any scenario (page load, idle)';
}

// ---------------------------------------------------------------------------
// The page's own connection: seeding, the round trips, and keeping the shared worker up.

const clientClock = { time: SEED_END };
let client: MissionsClient | null = null;
const pageClient = (): MissionsClient => (client ??= connectMissions({ now: () => clientClock.time, timeoutMs: 120_000 }));

// ---------------------------------------------------------------------------
// The floor: a bare postMessage round trip plus one IndexedDB get (floor-worker.ts).

let floorWorker: Worker | null = null;
let floorCall = 0;

async function startFloorWorker(): Promise<Worker> {
  if (floorWorker) return floorWorker;
  const worker = new Worker(new URL('./floor-worker.ts', import.meta.url), { type: 'module', name: 'bench-floor' });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the floor worker did not start')), 20_000);
    worker.addEventListener('message', function ready(event: MessageEvent) {
      if (event.data !== 'ready') return;
      clearTimeout(timer);
      worker.removeEventListener('message', ready);
      resolve();
    });
    worker.addEventListener('error', (event) => reject(new Error(`floor worker: ${event.message}`)));
  });
  floorWorker = worker;
  return worker;
}

function floorRoundTrip(worker: Worker): Promise<number> {
  const id = (floorCall += 1);
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { id?: number; row?: unknown; error?: string };
      if (data?.id !== id) return;
      const t1 = performance.now();
      worker.removeEventListener('message', onMessage);
      if (data.error || !data.row) reject(new Error(`floor get failed: ${data.error ?? 'no row'}`));
      else resolve(t1 - t0);
    };
    worker.addEventListener('message', onMessage);
    const t0 = performance.now();
    worker.postMessage(id);
  });
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await call();
  return performance.now() - t0;
}

const bench = {
  longTaskSupported: (): boolean => window.__longTasks.supported,

  /** Whether the page is cross-origin isolated, and the smallest step of performance.now() seen. */
  timer(): { crossOriginIsolated: boolean; stepMs: number } {
    let step = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 200; i += 1) {
      const a = performance.now();
      let b = performance.now();
      while (b === a) b = performance.now();
      step = Math.min(step, b - a);
    }
    return { crossOriginIsolated: globalThis.crossOriginIsolated === true, stepMs: step };
  },

  /** Long tasks so far, each with the phase it started in. */
  longTasks(): (LongTaskEntry & { phase: string })[] {
    return window.__longTasks.take().map((entry) => ({ ...entry, phase: phaseOf(entry.startTime) }));
  },

  /**
   * Seeds each user's history through the real API (batches of 1,000 with explicit
   * `at`, clock at the end of the history), then assigns `assign`'s day at the
   * benchmark's "today" so a later cold start only reads.
   */
  seed(users: { userId: string; total: number; perDay: number }[], assign: string[]): Promise<{ userId: string; total: number; seconds: number }[]> {
    return inPhase('seeding', async () => {
      const out: { userId: string; total: number; seconds: number }[] = [];
      clientClock.time = SEED_END;
      for (const user of users) out.push({ userId: user.userId, total: user.total, seconds: await seedHistory(pageClient(), user.userId, user.total, user.perDay) });
      clientClock.time = BENCH_START;
      for (const userId of assign) await pageClient().getDaily(userId, { timeZone: ZONE });
      return out;
    });
  },

  /**
   * A new element on a page whose worker is already running (a second widget, or one
   * a single-page app adds later): the page's own client keeps the worker alive between
   * runs, so each run is one getDaily answered from the worker's day cache, and render.
   */
  newElementWarmWorker(userId: string, runs: number): Promise<number[]> {
    return inPhase('new element, warm worker', async () => {
      await pageClient().status();
      const samples: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        await sleep(30);
        samples.push(await timeWidgetToMissions(userId));
      }
      return samples;
    });
  },

  /**
   * The floor, a warm getDaily (missions already assigned) and the first getDaily of
   * a day (a user nobody has seen: assignment), interleaved run by run (rotating which
   * goes first) so drift hits all three alike.
   */
  roundTrips(warmUser: string, runs: number): Promise<{ floor: number[]; warm: number[]; first: number[]; ping: number[] }> {
    return inPhase('round trips', async () => {
      clientClock.time = BENCH_START;
      const missions = pageClient();
      const settings = { timeZone: ZONE };
      const worker = await startFloorWorker();
      const freshUser = () => `bench-first-${crypto.randomUUID()}`;
      // Diagnostic: Comlink's ping to the same missions worker (no validation, no IndexedDB).
      const handle = new WorkerHandle(defaultWorkerUrl());
      const ping = () => handle.call('ping', (remote) => remote.ping());
      await ping();
      // Warm-up, untimed: connections, JIT, the English text module.
      for (let i = 0; i < 5; i += 1) await floorRoundTrip(worker);
      await missions.getDaily(warmUser, settings);
      await missions.getDaily(warmUser, settings);
      await missions.getDaily(freshUser(), settings);

      const kinds = {
        floor: () => floorRoundTrip(worker),
        warm: () => timed(() => missions.getDaily(warmUser, settings)),
        first: () => timed(() => missions.getDaily(freshUser(), settings)),
        ping: () => timed(ping),
      };
      const order = Object.keys(kinds) as (keyof typeof kinds)[];
      const out = { floor: [] as number[], warm: [] as number[], first: [] as number[], ping: [] as number[] };
      for (let run = 0; run < runs; run += 1) {
        for (let i = 0; i < order.length; i += 1) {
          const kind = order[(i + run) % order.length]!;
          await sleep(2);
          out[kind].push(await kinds[kind]());
        }
      }
      handle.release();
      return out;
    });
  },

  /** record() of one lesson until the element shows the new progress; see harness.ts. */
  recordToRender(users: { label: string; userId: string }[], runs: number): Promise<RecordRenderResult> {
    return inPhase('record to render', async () => {
      const subjects: Subject[] = [];
      for (const user of users) subjects.push(await mountSubject(user.label, user.userId, BENCH_START));
      try {
        return await measureRecordToRender(subjects, runs, 30);
      } finally {
        for (const subject of subjects) subject.element.remove();
      }
    });
  },

  /**
   * Untimed: a widget with confetti on completes its whole day, so the long-task count
   * also covers the lazy confetti chunk loading and the burst. Resolves whether a
   * confetti canvas was drawn (never under prefers-reduced-motion).
   */
  celebration(): Promise<{ confetti: boolean }> {
    return inPhase('celebration (confetti, untimed)', async () => {
      const subject = await mountSubject('confetti', `bench-confetti-${crypto.randomUUID()}`, BENCH_START);
      subject.element.removeAttribute('no-confetti');
      await subject.element.updateComplete;
      const root = subject.element.shadowRoot!;
      await subject.element.record(everythingBatch());
      let confetti = false;
      const started = performance.now();
      while (performance.now() - started < 10_000) {
        const canvas = root.querySelector('canvas.confetti');
        if (canvas) confetti = true;
        else if (confetti) break;
        await sleep(50);
      }
      subject.element.remove();
      return { confetti };
    });
  },

  /** Proves the observer works here: an 80 ms busy loop must show up as one long task. */
  observerSelfTest(): Promise<void> {
    return inPhase('observer self-test', async () => {
      await sleep(20);
      const until = performance.now() + 80;
      while (performance.now() < until) {
        // busy on purpose
      }
      await sleep(100);
    });
  },
};

window.bench = bench;
