/**
 * Learner presets: believable histories written through the real worker, the way a
 * learning app would have written them day after day. For each past day the learner
 * opened the app, the seeding client's clock is set to that morning and asks for the
 * day's missions (so the worker assigns them exactly as it would have), then to that
 * evening to record the day's lessons, reviews and the work on some of the missions.
 * Streaks, the learner tier, open mistakes and the `auto` mix all follow from that
 * activity; nothing is written behind the worker's back.
 */
import type { ActivityInput, Family } from '../src/index.js';
import type { CallSettings, MissionsClient } from '../src/client.js';
import { addDays, dayKey } from '../worker/engine/index.js';
import type { CatalogRules, CheckName, DayKey } from '../worker/engine/index.js';
import { activityFor, EXERCISE_TYPES, Ids } from './activities.js';
import { instantAt } from './clock.js';

export type PresetName = 'new' | 'active' | 'veteran';

/** What one preset learner is like. */
export interface Preset {
  label: string;
  /** Past days of history before today (0: a learner who has just signed up). */
  days: number;
  /** Chance that the learner opens the app on a day (the most recent `streakDays` are always active). */
  activeChance: number;
  /** The last days, up to yesterday, on which the learner never missed a day. */
  streakDays: number;
  /** Lessons a day, inclusive range. */
  lessons: [number, number];
  /** Elements reviewed a day, and how many of them are answered wrongly. */
  reviews: [number, number];
  wrong: [number, number];
  /** Elements mastered a day (old mistakes first). */
  mastered: [number, number];
  /** Chance of working through each assigned mission to the end. */
  completion: number;
}

export const PRESETS: Record<PresetName, Preset> = {
  new: { label: 'New learner', days: 0, activeChance: 0, streakDays: 0, lessons: [0, 0], reviews: [0, 0], wrong: [0, 0], mastered: [0, 0], completion: 0 },
  // A couple of weeks in, not every day, a few lessons: active tier (under 50 lessons),
  // with mistakes still open, so review and mastery missions unlock.
  active: { label: 'Active with mistakes', days: 14, activeChance: 0.65, streakDays: 2, lessons: [1, 2], reviews: [3, 6], wrong: [1, 2], mastered: [0, 1], completion: 0.6 },
  // Four months of nearly daily learning: veteran tier, an unbroken run of recent days.
  veteran: { label: 'Veteran', days: 120, activeChance: 0.85, streakDays: 45, lessons: [1, 3], reviews: [6, 12], wrong: [0, 2], mastered: [1, 3], completion: 0.9 },
};

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** A small seeded generator (mulberry32): the same user and preset always get the same history. */
export function seededRandom(seed: string): () => number {
  let state = 0x9e3779b9;
  for (let i = 0; i < seed.length; i += 1) state = Math.imul(state ^ seed.charCodeAt(i), 0x85ebca6b) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const between = (random: () => number, [low, high]: [number, number]) => low + Math.floor(random() * (high - low + 1));

/** The days (oldest first) on which the preset learner opens the app. */
export function activeDays(preset: Preset, today: DayKey, random: () => number): DayKey[] {
  const days: DayKey[] = [];
  for (let back = preset.days; back >= 1; back -= 1) {
    if (back <= preset.streakDays || random() < preset.activeChance) days.push(addDays(today, -back));
  }
  return days;
}

/** The everyday part of a day: lessons, reviews with some mistakes, a few elements mastered, and the extras the host tracks. */
export function routine(preset: Preset, tracks: readonly Family[], ids: Ids, random: () => number): ActivityInput[] {
  const batch: ActivityInput[] = [];
  const has = (family: Family) => tracks.includes(family);
  const lessons = between(random, preset.lessons);
  for (let i = 0; i < lessons; i += 1) {
    const total = 10;
    const correct = Math.min(total, 5 + between(random, [0, 5]));
    // Five lessons to a set: every few days the learner moves on to a new one.
    const setId = `course-set-${1 + Math.floor(ids.lessonsDone / 5)}`;
    ids.lessonsDone += 1;
    batch.push({ type: 'lesson-completed', lessonId: ids.next('lesson'), setId, correct, total, seconds: between(random, [180, 480]) });
  }
  if (has('elements')) {
    const wrong = between(random, preset.wrong);
    const reviews = Math.max(wrong, between(random, preset.reviews));
    for (let i = 0; i < reviews; i += 1) {
      const correct = i >= wrong;
      const elementId = ids.next('word');
      if (!correct) ids.mistakes.push(elementId);
      batch.push({ type: 'element-reviewed', elementId, correct });
    }
    const mastered = between(random, preset.mastered);
    // Mistakes of earlier days get fixed; today's stay open until another day.
    for (let i = 0; i < mastered && ids.mistakes.length > wrong; i += 1) batch.push({ type: 'element-mastered', elementId: ids.mistakes.shift()! });
  }
  if (has('review-sessions') && random() < 0.5) batch.push({ type: 'review-session-completed' });
  if (has('review-queue') && random() < 0.3) batch.push({ type: 'overdue-cleared' });
  if (has('adaptive') && random() < 0.3) batch.push({ type: 'lesson-started', lessonId: ids.next('lesson'), adaptive: true });
  if (has('exercises')) {
    const types = between(random, [1, 3]);
    for (let i = 0; i < types; i += 1) batch.push({ type: 'exercise-completed', exerciseType: EXERCISE_TYPES[between(random, [0, EXERCISE_TYPES.length - 1])]! });
  }
  return batch;
}

export interface SeedOptions {
  userId: string;
  preset: PresetName;
  /** The simulated present: history ends the day before. */
  now: number;
  timeZone: string;
  /** Count, mix and tracks the widget uses, so past days were assigned like today's. */
  preferences: NonNullable<CallSettings['preferences']> & { tracks: Family[] };
  /** Rules of the catalog, to know which counter each assigned mission reads. */
  catalog: CatalogRules;
  /** Told after each seeded day. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  days: number;
  activities: number;
  /** Ids of the seeded history, carrying the open mistakes on to the page's buttons. */
  ids: Ids;
}

/**
 * Clears the user and writes the preset's history through `client`, whose clock is
 * `setTime`. The client must read its time from the function that `setTime` moves.
 */
export async function seedHistory(client: MissionsClient, setTime: (instant: number) => void, options: SeedOptions): Promise<SeedResult> {
  const preset = PRESETS[options.preset];
  const settings: CallSettings = { timeZone: options.timeZone, preferences: options.preferences };
  const checks = new Map(options.catalog.templates.map((t) => [t.id, t.check] as const));
  const random = seededRandom(`${options.userId}|${options.preset}`);
  const ids = new Ids(`${options.preset}-${Math.floor(random() * 1e6).toString(36)}`);
  const today = dayKey(options.now, options.timeZone);

  setTime(options.now);
  await client.clearUser(options.userId, settings);

  const days = activeDays(preset, today, random);
  let activities = 0;
  for (const [index, day] of days.entries()) {
    setTime(instantAt(day, 7, 30, options.timeZone));
    const daily = await client.getDaily(options.userId, settings);
    // The learner always finishes at least one mission on a day they open the app
    // (that is what keeps the mission streak going), and others with the preset's chance.
    const batch: ActivityInput[] = [];
    daily.missions.forEach((mission, i) => {
      if (i > 0 && random() >= preset.completion) return;
      const check = checks.get(mission.templateId) as CheckName | undefined;
      if (check) batch.push(...activityFor(check, mission.target, ids));
    });
    // The routine comes last: the mistakes it makes are the day's latest and stay open
    // overnight, as the "active with mistakes" learner needs.
    batch.push(...routine(preset, options.preferences.tracks, ids, random));
    // Spread over the evening, a minute and a half apart, all on this local day.
    const evening = instantAt(day, 18, 0, options.timeZone);
    const stamped = batch.map((activity, i) => ({ ...activity, at: evening + i * 90_000 }));
    setTime(evening + stamped.length * 90_000);
    if (stamped.length > 0) await client.record(options.userId, stamped, settings);
    activities += stamped.length;
    options.onProgress?.(index + 1, days.length);
  }
  setTime(options.now);
  return { days: days.length, activities, ids };
}
