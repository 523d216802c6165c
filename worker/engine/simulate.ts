/**
 * A what-if run of the generator over consecutive days, for catalog authors: which
 * missions a kind of learner would get each day and how often each template comes up.
 * Shared by the demo's simulator and `daily-missions catalog simulate`, so both show
 * exactly what the worker would assign.
 *
 * The simulated learner does not record activity; each profile says how many lessons
 * they finish a day, whether they keep making mistakes, and how many of their missions
 * they complete (which is what `auto` adapts to). Counters are those of the start of
 * the day, as at the day's first pick.
 */
import type { DayKey } from './day.js';
import { addDays, requireDayKey, weekdayOf } from './day.js';
import { ValidationError } from './errors.js';
import type { DayOutcome, LearnerSummary, Tier, UnassignableReason } from './generator.js';
import { eligibleCategories, generateMissions, tierOf, unassignableReason } from './generator.js';
import type { CatalogRules, ConcreteMix, Family, Mix, Weekday } from './types.js';
import { DEFAULT_TRACKS, FAMILIES, MIXES } from './types.js';
import { DEFAULT_COUNT, DEFAULT_MIX, MAX_MISSIONS, MIN_MISSIONS } from './vocabulary.js';
import { requireCatalog } from './catalog-cache.js';
import { requireInteger, requireOneOf, requireString } from './validate.js';

/** A kind of learner, as the demo's presets and the simulator know them. */
export interface LearnerProfile {
  /** Lifetime lessons on the first simulated day. */
  lessonsCompleted: number;
  /** Lessons finished each simulated day. */
  lessonsPerDay: number;
  /** Whether the learner has mistakes left to fix (opens review and mastery missions early). */
  makesMistakes: boolean;
  /** Share of assigned missions the learner completes, 0..1 (drives the `auto` mix). */
  completionRate: number;
}

export const LEARNER_PROFILES = {
  new: { lessonsCompleted: 0, lessonsPerDay: 1, makesMistakes: false, completionRate: 0.5 },
  'active-with-mistakes': { lessonsCompleted: 12, lessonsPerDay: 2, makesMistakes: true, completionRate: 0.7 },
  veteran: { lessonsCompleted: 400, lessonsPerDay: 3, makesMistakes: true, completionRate: 0.95 },
} as const satisfies Record<string, LearnerProfile>;

export type LearnerProfileName = keyof typeof LEARNER_PROFILES;
export const LEARNER_PROFILE_NAMES = Object.keys(LEARNER_PROFILES) as LearnerProfileName[];

export const MAX_SIMULATED_DAYS = 366;

export interface SimulationOptions {
  profile: LearnerProfileName;
  /** First simulated day. */
  start: DayKey;
  /** Days to simulate (default 30). */
  days?: number;
  mix?: Mix;
  count?: number;
  tracks?: readonly Family[];
  /** Seeds the picks as a real learner id would (default "simulated-learner"). */
  userId?: string;
}

export interface SimulatedDay {
  day: DayKey;
  weekday: Weekday;
  tier: Tier;
  mix: ConcreteMix;
  templates: string[];
  /** Fewer missions than asked for: the catalog ran out of assignable templates. */
  short: boolean;
}

export interface TemplateUsage {
  id: string;
  /** Days the template was assigned. */
  days: number;
  /** Why it was never assigned, on the last simulated day (null when it was assigned or could have been). */
  reason: UnassignableReason | null;
}

export interface Simulation {
  days: SimulatedDay[];
  /** Every template of the catalog in catalog order, with how often it came up. */
  usage: TemplateUsage[];
}

/** Runs the generator day after day for one kind of learner. Throws ValidationError on bad options. */
export function simulateDays(catalogInput: CatalogRules, options: SimulationOptions): Simulation {
  const catalog = requireCatalog(catalogInput);
  const profile: LearnerProfile = LEARNER_PROFILES[requireOneOf(options.profile, 'options.profile', LEARNER_PROFILE_NAMES)];
  const start = requireDayKey(options.start, 'options.start');
  const dayCount = requireInteger(options.days ?? 30, 'options.days', 1, MAX_SIMULATED_DAYS);
  const mix = requireOneOf(options.mix ?? DEFAULT_MIX, 'options.mix', MIXES);
  const count = requireInteger(options.count ?? DEFAULT_COUNT, 'options.count', MIN_MISSIONS, MAX_MISSIONS);
  const tracks = [...(options.tracks ?? DEFAULT_TRACKS)].map((f, i) => requireOneOf(f, `options.tracks[${i}]`, FAMILIES));
  if (tracks.length === 0) throw new ValidationError('options.tracks', 'must name at least one event family');
  const userId = requireString(options.userId ?? 'simulated-learner', 'options.userId');

  const days: SimulatedDay[] = [];
  const recentDays: DayOutcome[] = [];
  let learner: LearnerSummary = { lessonsCompleted: profile.lessonsCompleted, openMistakes: profile.makesMistakes ? 3 : 0 };
  let yesterday: string[] = [];
  let owedCompletions = 0;
  for (let i = 0; i < dayCount; i++) {
    const day = addDays(start, i);
    const result = generateMissions(catalog, { userId, day, mix, count, reroll: 0, tracks, learner, counters: {}, yesterday, recentDays });
    const templates = result.templates.map((t) => t.id);
    days.push({ day, weekday: weekdayOf(day), tier: tierOf(learner), mix: result.mix, templates, short: templates.length < count });
    // Completions spread evenly: a 0.7 learner completes 7 of every 10 missions, in order.
    owedCompletions += templates.length * profile.completionRate;
    const completed = Math.min(templates.length, Math.floor(owedCompletions + 1e-9));
    owedCompletions -= completed;
    recentDays.push({ assigned: templates.length, completed });
    yesterday = templates;
    learner = { ...learner, lessonsCompleted: learner.lessonsCompleted + profile.lessonsPerDay };
  }

  const last = days[days.length - 1]!;
  const lastContext = { day: last.day, tracks, categories: eligibleCategories(learner), counters: {}, yesterday: [] };
  const usage = catalog.templates.map((template) => {
    const assigned = days.filter((d) => d.templates.includes(template.id)).length;
    return { id: template.id, days: assigned, reason: assigned > 0 ? null : unassignableReason(template, lastContext) };
  });
  return { days, usage };
}
