/**
 * Shared by the benchmark page (test/bench/bench.ts) and the quick scaling check in
 * `npm test` (test/browser/scaling.test.ts): seeding years of history through the real
 * API, mounting `<daily-missions>` with a fixed clock, and timing `record()` of one
 * lesson until the element's shadow DOM shows the new progress.
 */
import '../../src/index.js';
import type { DailyMissionsElement } from '../../src/index.js';
import type { ActivityInput, MissionsClient } from '../../src/client.js';
import { BENCH_START, DAY, HOUR, LAST_DAY_UTC, SEED_END, ZONE } from './clock.js';
import { missionsRendered, whenMissionsRendered } from './rendered.js';

export { BENCH_START, SEED_END, ZONE, whenMissionsRendered };

/** Activities per `record()` call while seeding: one transaction each. */
export const SEED_BATCH = 1_000;

const EXERCISES = ['cloze', 'choice', 'match', 'listen', 'speak'];

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The activities of one past day `i` days before the end of the history (20 at most,
 * the same mix as test/browser/five-years.test.ts), between 06:00Z and 10:45Z so all
 * of them fall inside one Berlin day. `perDay` < 20 takes the first ones.
 */
export function activitiesOfDay(dayStartUtc: number, i: number, perDay: number): ActivityInput[] {
  const base = dayStartUtc + 6 * HOUR;
  const at = (k: number) => base + k * 15 * 60_000;
  const setId = `set-${Math.floor(i / 7)}`;
  const day: ActivityInput[] = [];
  for (let k = 0; k < 4; k += 1) day.push({ type: 'lesson-completed', lessonId: `l-${i}-${k}`, setId, correct: 6 + ((i + k) % 5), total: 10, seconds: 300, at: at(k) });
  day.push({ type: 'lesson-started', lessonId: `l-${i}-4`, setId, adaptive: i % 3 === 0, at: at(4) });
  for (let k = 5; k < 13; k += 1) day.push({ type: 'element-reviewed', elementId: `el-${(i * 8 + k) % 3000}`, correct: (i + k) % 5 !== 0, at: at(k) });
  for (let k = 13; k < 15; k += 1) day.push({ type: 'element-mastered', elementId: `el-${(i * 8 + k + 3) % 3000}`, at: at(k) });
  for (let k = 15; k < 17; k += 1) day.push({ type: 'exercise-completed', exerciseType: EXERCISES[(i + k) % EXERCISES.length]!, at: at(k) });
  day.push({ type: 'review-session-completed', at: at(17) });
  day.push({ type: 'study-time', seconds: 600, at: at(18) });
  day.push({ type: 'overdue-cleared', at: at(19) });
  return day.slice(0, perDay);
}

/**
 * `total` activities, `perDay` a day, on the consecutive days that end with
 * 2025-06-30, oldest first (as a real history arrives).
 */
export function historyActivities(total: number, perDay: number): ActivityInput[] {
  if (perDay < 1 || perDay > 20 || total % perDay !== 0) throw new Error(`cannot spread ${total} activities at ${perDay} a day`);
  const days = total / perDay;
  const all: ActivityInput[] = [];
  for (let i = 0; i < days; i += 1) all.push(...activitiesOfDay(LAST_DAY_UTC - (days - 1 - i) * DAY, i, perDay));
  return all;
}

/**
 * Stores the history through the real API: `record()` with batches of SEED_BATCH
 * activities with explicit `at`, the client's clock (its `now`) at SEED_END.
 * Returns the seconds it took.
 */
export async function seedHistory(client: MissionsClient, userId: string, total: number, perDay: number): Promise<number> {
  const all = historyActivities(total, perDay);
  const started = performance.now();
  for (let start = 0; start < all.length; start += SEED_BATCH) {
    const result = await client.record(userId, all.slice(start, start + SEED_BATCH), { timeZone: ZONE });
    if (result.daily.status.storage !== 'indexeddb') throw new Error(`seeding ${userId}: storage fell back to ${result.daily.status.storage}`);
  }
  return (performance.now() - started) / 1000;
}

let lessonCounter = 0;

/** One completed lesson (9 of 10 right, 2 minutes, in a set of its own). */
export function benchLesson(): ActivityInput {
  lessonCounter += 1;
  return { type: 'lesson-completed', lessonId: `bench-lesson-${lessonCounter}`, setId: `bench-set-${lessonCounter}`, correct: 9, total: 10, seconds: 120 };
}

/** A widget and the clock it reads. */
export interface Subject {
  label: string;
  userId: string;
  element: DailyMissionsElement;
  time: number;
}

/** Creates (does not append) a `<daily-missions>` in English, Berlin time, on a fixed clock, without confetti. */
export function createWidget(userId: string, clock: { time: number }): DailyMissionsElement {
  const element = document.createElement('daily-missions');
  element.setAttribute('time-zone', ZONE);
  element.setAttribute('lang', 'en');
  element.setAttribute('no-sound', '');
  element.setAttribute('no-confetti', '');
  element.setAttribute('user-id', userId);
  element.now = () => clock.time;
  return element;
}

/** Mounts a widget for `userId` at `time` (on the worker at `workerUrl`, else the package's) and waits for its missions. */
export async function mountSubject(label: string, userId: string, time: number, parent: HTMLElement = document.body, workerUrl?: URL): Promise<Subject> {
  const subject = { label, userId, time } as Subject;
  subject.element = createWidget(userId, subject);
  if (workerUrl) subject.element.workerUrl = workerUrl;
  parent.append(subject.element);
  await whenMissionsRendered(subject.element);
  return subject;
}

/** What the progress bars show: template id and aria-valuenow of each [part=progress]. */
export function progressSnapshot(element: DailyMissionsElement): string {
  const parts: string[] = [];
  for (const mission of element.shadowRoot?.querySelectorAll<HTMLElement>('[part="mission"]') ?? []) {
    parts.push(`${mission.dataset['templateId']}=${mission.querySelector('[part="progress"]')?.getAttribute('aria-valuenow')}`);
  }
  return parts.join(',');
}

/**
 * Lets what a record() started in the background finish before the next timed run:
 * the celebration claim of a completed mission and the reload that the worker's
 * change broadcast triggers.
 */
export async function settle(subject: Subject, ms: number): Promise<void> {
  await sleep(ms);
  await subject.element.updateComplete;
}

/** Moves the subject's clock to the next day and loads (assigns) that day's missions, untimed. */
export async function nextDay(subject: Subject, settleMs: number): Promise<void> {
  subject.time += DAY;
  await subject.element.refresh();
  await subject.element.updateComplete;
  if (!missionsRendered(subject.element)) throw new Error(`${subject.label}: no missions shown after moving to the next day`);
  await settle(subject, settleMs);
}

/**
 * One timed run: record() of one completed lesson until the shadow DOM shows the new
 * progress. Returns the milliseconds, or null when the lesson changed no progress bar
 * (the day's missions are not about lessons); such a run is discarded.
 */
export async function timeRecordToRender(subject: Subject): Promise<number | null> {
  const { element } = subject;
  const before = progressSnapshot(element);
  const t0 = performance.now();
  await element.record(benchLesson());
  await element.updateComplete;
  const changed = progressSnapshot(element) !== before;
  const t1 = performance.now();
  return changed ? t1 - t0 : null;
}

export interface RecordRenderResult {
  /** Milliseconds per subject label, in run order. */
  samples: Record<string, number[]>;
  /** Runs discarded because the day's missions did not count lessons. */
  discarded: Record<string, number>;
}

/**
 * `runs` timed runs per subject, the subjects alternating (rotating order each round)
 * so drift in the machine's speed hits all of them alike. Every run is on a new day
 * for its subject: the day's missions are assigned untimed first, so each timed call
 * is the day's first lesson, the same work for every subject.
 */
export async function measureRecordToRender(subjects: Subject[], runs: number, settleMs = 30): Promise<RecordRenderResult> {
  const samples: Record<string, number[]> = {};
  const discarded: Record<string, number> = {};
  for (const subject of subjects) {
    samples[subject.label] = [];
    discarded[subject.label] = 0;
  }
  // Warm-up, untimed: the first write of each user and the element's first update.
  for (const subject of subjects) {
    await nextDay(subject, settleMs);
    await subject.element.record(benchLesson());
    await settle(subject, settleMs);
  }
  const maxAttempts = runs * 6;
  for (let round = 0; subjects.some((s) => samples[s.label]!.length < runs); round += 1) {
    const order = subjects.map((_, i) => subjects[(i + round) % subjects.length]!);
    for (const subject of order) {
      if (samples[subject.label]!.length >= runs) continue;
      if (samples[subject.label]!.length + discarded[subject.label]! >= maxAttempts) {
        throw new Error(`${subject.label}: ${discarded[subject.label]} runs showed no new progress; is the widget recording at all?`);
      }
      await nextDay(subject, settleMs);
      const ms = await timeRecordToRender(subject);
      if (ms === null) discarded[subject.label]! += 1;
      else samples[subject.label]!.push(ms);
      await settle(subject, settleMs);
    }
  }
  return { samples, discarded };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
