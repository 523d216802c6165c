/**
 * The first-celebration scenario of `npm run bench`, driven from Node (run.mjs calls
 * it): for each run a new browser context (empty HTTP and code caches, empty
 * IndexedDB) and a fresh page of the built package (first-celebration.html). The widget
 * renders for a new learner with sound and confetti on, the page gets a real click (a
 * user gesture, so the chime may play), the learner "reads" for PAUSE_MS, then one
 * record() completes every mission; measured until the confetti canvas is gone:
 *
 * - long tasks (> 50 ms, the page's PerformanceObserver, test/bench/long-tasks.js)
 *   from record() until the confetti is gone: the budget is none;
 * - the longest main-thread task in that window, whatever its length, from a trace
 *   of the toplevel category only (RunTask events of the renderer's main thread);
 * - main-thread time (CDP Performance.getMetrics TaskDuration, main thread only), by
 *   the wall clock and in CPU time, from record() until the view shows the
 *   completions, and until the confetti is gone.
 *
 * Then PROFILED_RUNS more fresh pages with a detailed trace (devtools timeline, V8
 * compile) and a sampling profile: what the busiest tasks of each contained.
 */

/** The learner's pause between the widget's first render and the completing record(). */
export const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 1_000);
const PROFILED_RUNS = 3;
/** How many tasks of a profiled run (those of the most CPU time) are broken down. */
const DETAILED_TASKS = 3;
const LIGHT_CATEGORIES = ['toplevel', 'blink.user_timing'];
const DETAILED_CATEGORIES = [
  'toplevel',
  'blink.user_timing',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'blink',
  'loading',
];
const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The renderer main thread that holds `markName`, and the mark's timestamp (µs). */
function findMark(events, markName) {
  const mark = events.find((e) => e.name === markName && e.cat?.includes('blink.user_timing'));
  if (!mark) throw new Error(`the trace holds no ${markName} mark`);
  return mark;
}

/** Top-level main-thread tasks of the mark's thread between the two marks. */
function tasksBetween(events, start, end) {
  return events.filter((e) => e.ph === 'X' && TASK_NAMES.has(e.name) && e.pid === start.pid && e.tid === start.tid && e.ts + e.dur >= start.ts && e.ts <= end.ts);
}

function traceEvents(buffer) {
  const parsed = JSON.parse(new TextDecoder().decode(buffer));
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

function longestTaskIn(events) {
  const start = findMark(events, 'first-celebration:record');
  const end = findMark(events, 'first-celebration:gone');
  const all = tasksBetween(events, start, end).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // A task can be traced twice, nested (RunTask around ThreadControllerImpl::RunTask): keep the outer one.
  const tasks = [];
  for (const task of all) if (!tasks.length || task.ts >= tasks.at(-1).ts + tasks.at(-1).dur) tasks.push(task);
  const longest = tasks.reduce((a, b) => (b.dur > (a?.dur ?? -1) ? b : a), null);
  return { start, end, tasks, longest };
}

/** What one event was about, in a few words (script URL, function, phase). */
function describe(event) {
  const data = event.args?.data ?? event.args ?? {};
  const url = data.url || data.fileName || data.scriptName || data.stackTrace?.[0]?.url || '';
  const file = url ? url.replace(/^.*\/(?=[^/]+$)/, '') : '';
  const fn = data.functionName ? `${data.functionName}()` : '';
  const type = data.type || data.message || '';
  return [event.name, fn, file, type].filter(Boolean).join(' ');
}

/**
 * The events nested in `task` (same thread), as a tree flattened to the first `depth`
 * levels, durations in ms, merged by description; sorted by time spent.
 */
function contents(events, task, depth = 4) {
  const inside = events
    .filter((e) => e.ph === 'X' && e.pid === task.pid && e.tid === task.tid && e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + task.dur && (e.dur ?? 0) > 0)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const lines = new Map();
  const stack = [];
  for (const event of inside) {
    if (TASK_NAMES.has(event.name)) continue; // the same task traced again, nested
    while (stack.length > 0 && event.ts >= stack.at(-1).ts + stack.at(-1).dur) stack.pop();
    if (stack.length < depth) {
      const key = `${'  '.repeat(stack.length)}${describe(event)}`;
      const line = lines.get(key) ?? { what: key, ms: 0, count: 0, order: lines.size };
      line.ms += event.dur / 1000;
      line.count += 1;
      lines.set(key, line);
    }
    stack.push(event);
  }
  return [...lines.values()].sort((a, b) => a.order - b.order).map(({ what, ms, count }) => ({ what, ms: Math.round(ms * 100) / 100, count }));
}

/**
 * Self time per function of a sampling profile inside [fromUs, toUs] (trace clock,
 * which the profiler shares), the top `limit`, in ms.
 */
function profileSelfTimes(profile, fromUs, toUs, limit = 15) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map();
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    time += profile.timeDeltas[i];
    if (time < fromUs || time > toUs) continue;
    const next = i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0;
    const frame = byId.get(profile.samples[i]).callFrame;
    const file = frame.url ? frame.url.replace(/^.*\/(?=[^/]+$)/, '') : '';
    const key = `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
    totals.set(key, (totals.get(key) ?? 0) + next / 1000);
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([what, ms]) => ({ what, ms: Math.round(ms * 100) / 100 }));
}

/**
 * The main-thread CPU time of the traced task that an observed long task was (the one
 * of the most thread time among those overlapping it; the observer's clock is
 * performance.now(), placed on the trace's through the record() mark). null if the
 * trace has no such task.
 */
function cpuOfLongTask(tasks, mark, startMs, durationMs) {
  const from = mark.ts + startMs * 1000;
  const to = from + durationMs * 1000;
  const overlapping = tasks.filter((task) => task.ts < to && task.ts + task.dur > from && task.tdur !== undefined);
  return overlapping.length === 0 ? null : Math.max(...overlapping.map((task) => task.tdur / 1000));
}

/**
 * Main-thread task time so far, in seconds, by the wall clock (puppeteer's own
 * Performance session) and in CPU time (a session of our own with threadTicks, the
 * thread's running time: what the page did, whatever else the machine was doing).
 */
async function taskSeconds(page, cpuSession) {
  const [wall, cpu] = await Promise.all([page.metrics(), cpuSession.send('Performance.getMetrics')]);
  return { wall: wall.TaskDuration, cpu: cpu.metrics.find((metric) => metric.name === 'TaskDuration').value };
}

/**
 * One fresh page: returns the figures of one run. `detailed` adds a detailed trace and
 * a sampling profile and returns what the longest task contained.
 */
export async function oneRun(browser, url, { detailed }) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.firstCelebration === 'object', { timeout: 60_000 });
    const mountMs = await page.evaluate(() => window.firstCelebration.mount());
    await page.click('#gesture');
    if (!(await page.evaluate(() => window.firstCelebration.hasUserGesture()))) throw new Error('the click did not count as a user gesture');
    await sleep(PAUSE_MS);
    await page.evaluate(() => window.__longTasks.take()); // only what follows record() counts
    let profiler = null;
    if (detailed) {
      profiler = await page.createCDPSession();
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.send('Profiler.start');
    }
    const cpuSession = await page.createCDPSession();
    await cpuSession.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.tracing.start({ categories: detailed ? DETAILED_CATEGORIES : LIGHT_CATEGORIES });
    const before = await taskSeconds(page, cpuSession);
    const recorded = await page.evaluate(() => window.firstCelebration.record());
    const atRendered = await taskSeconds(page, cpuSession);
    const gone = await page.evaluate(() => window.firstCelebration.confettiGone(15_000));
    const atGone = await taskSeconds(page, cpuSession);
    const longTasks = await page.evaluate(() => window.__longTasks.take());
    const events = traceEvents(await page.tracing.stop());
    const profile = profiler ? (await profiler.send('Profiler.stop')).profile : null;
    if (!recorded.allComplete) errors.push(`record() completed ${recorded.completed} missions but not the whole day`);
    if (!gone.confetti) errors.push('no confetti was drawn');
    const { tasks, longest, start } = longestTaskIn(events);
    const run = {
      mountMs,
      renderedMs: recorded.renderedMs,
      goneMs: gone.goneMs,
      confetti: gone.confetti,
      longTasks: longTasks
        .filter((t) => t.startTime + t.duration >= recorded.startedAt)
        .map((t) => {
          const startMs = t.startTime - recorded.startedAt;
          return { startMs, duration: t.duration, cpuMs: cpuOfLongTask(tasks, start, startMs, t.duration) };
        }),
      longestTaskMs: longest ? longest.dur / 1000 : 0,
      // Thread time (CPU) of that task: far below its wall time means the machine was
      // busy elsewhere (other processes), not that this page had work to do.
      longestTaskCpuMs: longest?.tdur !== undefined ? longest.tdur / 1000 : null,
      mostCpuTaskMs: tasks.reduce((most, task) => Math.max(most, (task.tdur ?? 0) / 1000), 0),
      tasks: tasks.length,
      mainThreadToRenderedMs: (atRendered.wall - before.wall) * 1000,
      mainThreadToGoneMs: (atGone.wall - before.wall) * 1000,
      mainThreadCpuToRenderedMs: (atRendered.cpu - before.cpu) * 1000,
      mainThreadCpuToGoneMs: (atGone.cpu - before.cpu) * 1000,
      errors,
    };
    if (detailed) {
      const { start } = longestTaskIn(events);
      // By CPU time: on a shared machine the longest by the wall clock is often a short
      // task that waited for a core.
      run.busiestTasks = [...tasks]
        .sort((a, b) => (b.tdur ?? b.dur) - (a.tdur ?? a.dur))
        .slice(0, DETAILED_TASKS)
        .map((task) => ({
          ms: task.dur / 1000,
          cpuMs: task.tdur === undefined ? null : task.tdur / 1000,
          startMs: (task.ts - start.ts) / 1000,
          contents: contents(events, task),
          profile: profile ? profileSelfTimes(profile, task.ts, task.ts + task.dur) : [],
        }));
    }
    return run;
  } finally {
    await context.close();
  }
}

/** `runs` fresh pages measured, then PROFILED_RUNS more with a detailed trace. */
export async function measureFirstCelebration(browser, url, runs, log = () => undefined) {
  const measured = [];
  for (let i = 0; i < runs; i += 1) {
    measured.push(await oneRun(browser, url, { detailed: false }));
    if ((i + 1) % 10 === 0) log(`  ${i + 1} pages`);
  }
  const profiled = [];
  for (let i = 0; i < PROFILED_RUNS; i += 1) profiled.push(await oneRun(browser, url, { detailed: true }));
  return { measured, profiled };
}
