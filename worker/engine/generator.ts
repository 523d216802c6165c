/**
 * Daily mission selection (docs/architecture.md §5.2): deterministic for (user, day, mix, reroll
 * number), adapted to the learner's history, never assigning what cannot be tracked,
 * is not offered today, was assigned yesterday or is already met.
 */
import alea from 'seedrandom/lib/alea.js';
import type { DayKey } from './day.js';
import { requireDayKey, weekdayOf } from './day.js';
import { ValidationError } from './errors.js';
import type { CatalogRules, Category, CheckName, ConcreteMix, Counters, Difficulty, Family, Mix, TemplateRule } from './types.js';
import { CHECK_DAILY_GAIN, CHECK_FAMILY, CHECK_NAMES, DIFFICULTIES, FAMILIES, MIXES } from './types.js';
import { requireCatalog } from './catalog-cache.js';
import { MAX_MISSIONS, MIN_MISSIONS } from './vocabulary.js';
import { describe, isPlainObject, requireInteger, requireOneOf, requireString, requireStringArray } from './validate.js';

/** Lifetime lessons from which a learner is a veteran and every category opens. */
export const VETERAN_LESSONS = 50;

export type Tier = 'new' | 'active' | 'veteran';

/** What the generator needs to know about the learner's history. */
export interface LearnerSummary {
  /** Lessons completed over the learner's lifetime. */
  lessonsCompleted: number;
  /** Elements reviewed incorrectly and not mastered since. */
  openMistakes: number;
}

export function tierOf(learner: LearnerSummary): Tier {
  if (learner.lessonsCompleted >= VETERAN_LESSONS) return 'veteran';
  return learner.lessonsCompleted > 0 ? 'active' : 'new';
}

/** Categories open to a learner: new → learning + exploration; active → + streak (+ review, mastery with open mistakes); veteran → all. */
export function eligibleCategories(learner: LearnerSummary): Category[] {
  switch (tierOf(learner)) {
    case 'new':
      return ['learning', 'exploration'];
    case 'active':
      return learner.openMistakes > 0
        ? ['learning', 'exploration', 'streak', 'review', 'mastery']
        : ['learning', 'exploration', 'streak'];
    case 'veteran':
      return ['learning', 'review', 'mastery', 'exploration', 'streak'];
  }
}

/** One difficulty per slot; `count` takes the first slots. */
export const MIX_SLOTS: Record<ConcreteMix, readonly Difficulty[]> = {
  balanced: ['easy', 'medium', 'hard'],
  easy: ['easy', 'easy', 'medium'],
  challenging: ['medium', 'hard', 'hard'],
};

/** The mixes a day is assigned with (`auto` resolved): the ones with slots above. */
export const CONCRETE_MIXES = Object.keys(MIX_SLOTS) as ConcreteMix[];

/** Missions assigned and completed on one past day, for the `auto` mix. */
export interface DayOutcome {
  assigned: number;
  completed: number;
}

/** Completion rate from which `auto` raises the mix to challenging, and below which it eases off. */
export const AUTO_CHALLENGING_RATE = 0.8;
export const AUTO_EASY_RATE = 0.4;

/**
 * The `auto` mix from the last 7 assigned days: a learner finishing at least 80% of
 * their missions gets challenging ones, one finishing under 40% easy ones; no
 * history yet means balanced.
 */
export function autoMix(recentDays: readonly DayOutcome[]): ConcreteMix {
  const lastWeek = recentDays.filter((d) => d.assigned > 0).slice(-7);
  const assigned = lastWeek.reduce((sum, d) => sum + d.assigned, 0);
  if (assigned === 0) return 'balanced';
  const rate = lastWeek.reduce((sum, d) => sum + Math.min(d.completed, d.assigned), 0) / assigned;
  if (rate >= AUTO_CHALLENGING_RATE) return 'challenging';
  if (rate < AUTO_EASY_RATE) return 'easy';
  return 'balanced';
}

export interface GenerateRequest {
  userId: string;
  day: DayKey;
  mix: Mix;
  /** Missions wanted, 1..3. */
  count: number;
  /** 0 for the day's first pick; each reroll adds one, which changes the seed. */
  reroll: number;
  /** Event families the host reports. */
  tracks: Family[];
  learner: LearnerSummary;
  /** Today's counters at assignment time (already-met templates are skipped). */
  counters: Partial<Counters>;
  /** Template ids assigned yesterday: never assigned again today. */
  yesterday: string[];
  /** For `auto`: outcomes of recent assigned days, oldest first. */
  recentDays?: DayOutcome[];
  /** Missions that stay (completed ones on a reroll): they fill slots and are not picked again. */
  keep?: string[];
  /** Missions being replaced by a reroll: picked again only when nothing else fits. */
  replace?: string[];
}

export interface GenerateResult {
  mix: ConcreteMix;
  /** The new picks, in slot order (kept missions are not repeated here). */
  templates: TemplateRule[];
}

/** The seed string: the only inputs that decide the pick order. */
export function seedFor(userId: string, day: DayKey, mix: ConcreteMix, reroll: number): string {
  return JSON.stringify([userId, day, mix, reroll]);
}

function difficultyDistance(a: Difficulty, b: Difficulty): number {
  return Math.abs(DIFFICULTIES.indexOf(a) - DIFFICULTIES.indexOf(b));
}

export type UnassignableReason =
  | 'untracked'
  | 'not-today'
  | 'category-locked'
  | 'assigned-yesterday'
  | 'already-met'
  | 'out-of-reach-today';

/** Why a template cannot be assigned today, or null when it can (shared with the demo's catalog browser). */
export function unassignableReason(
  template: TemplateRule,
  context: { day: DayKey; tracks: readonly Family[]; categories: readonly Category[]; counters: Partial<Counters>; yesterday: readonly string[] },
): UnassignableReason | null {
  if (!context.tracks.includes(CHECK_FAMILY[template.check])) return 'untracked';
  if (template.days && !template.days.includes(weekdayOf(context.day))) return 'not-today';
  if (!context.categories.includes(template.category)) return 'category-locked';
  if (context.yesterday.includes(template.id)) return 'assigned-yesterday';
  const counter = context.counters[template.check] ?? 0;
  if (counter >= template.target) return 'already-met';
  if (counter + (CHECK_DAILY_GAIN[template.check] ?? Infinity) < template.target) return 'out-of-reach-today';
  return null;
}

/**
 * Picks one template for a difficulty slot: the nearest difficulty first, then,
 * within it, templates measuring something not yet in the set (a different check,
 * then a different category), then a seeded draw in catalog order.
 */
function pickForSlot(slot: Difficulty, pool: TemplateRule[], chosen: TemplateRule[], random: () => number): TemplateRule | undefined {
  const open = pool.filter((t) => !chosen.includes(t));
  if (open.length === 0) return undefined;
  const nearest = Math.min(...open.map((t) => difficultyDistance(t.difficulty, slot)));
  let candidates = open.filter((t) => difficultyDistance(t.difficulty, slot) === nearest);
  const usedChecks = new Set<CheckName>(chosen.map((t) => t.check));
  const usedCategories = new Set<Category>(chosen.map((t) => t.category));
  const freshCheck = candidates.filter((t) => !usedChecks.has(t.check));
  if (freshCheck.length > 0) candidates = freshCheck;
  const freshCategory = candidates.filter((t) => !usedCategories.has(t.category));
  if (freshCategory.length > 0) candidates = freshCategory;
  return candidates[Math.floor(random() * candidates.length)];
}

/** Removes from `slots` the slot a kept mission fills (its own difficulty, else the nearest). */
function removeFilledSlot(slots: Difficulty[], difficulty: Difficulty): void {
  if (slots.length === 0) return;
  let best = 0;
  slots.forEach((slot, i) => {
    if (difficultyDistance(slot, difficulty) < difficultyDistance(slots[best]!, difficulty)) best = i;
  });
  slots.splice(best, 1);
}

/** Selects the day's missions. Throws ValidationError on malformed input, nothing else. */
export function generateMissions(catalogInput: CatalogRules, requestInput: GenerateRequest): GenerateResult {
  return selectMissions(requireCatalog(catalogInput), normalizeRequest(requestInput));
}

/**
 * The selection itself, on inputs already known to be valid: the worker builds its
 * requests from stored rows and holds only catalogs checked at build time or by the
 * client, so it calls this and does not carry the validation code.
 */
export function selectMissions(catalog: CatalogRules, requestInput: GenerateRequest): GenerateResult {
  const request = { recentDays: [], keep: [], replace: [], ...requestInput };
  const mix: ConcreteMix = request.mix === 'auto' ? autoMix(request.recentDays) : request.mix;
  const random = alea(seedFor(request.userId, request.day, mix, request.reroll));
  const byId = new Map(catalog.templates.map((t) => [t.id, t]));
  const kept = request.keep.map((id) => byId.get(id)).filter((t): t is TemplateRule => t !== undefined);

  const slots = MIX_SLOTS[mix].slice(0, request.count);
  for (const template of kept) removeFilledSlot(slots, template.difficulty);

  const context = {
    day: request.day,
    tracks: request.tracks,
    categories: eligibleCategories(request.learner),
    counters: request.counters,
    yesterday: request.yesterday,
  };
  const assignable = catalog.templates.filter((t) => !request.keep.includes(t.id) && unassignableReason(t, context) === null);
  const fresh = assignable.filter((t) => !request.replace.includes(t.id));

  const chosen: TemplateRule[] = [...kept];
  const picks: TemplateRule[] = [];
  for (const slot of slots) {
    // Reroll asks for a fresh pick; a replaced template comes back only when nothing else fits.
    const pick = pickForSlot(slot, fresh, chosen, random) ?? pickForSlot(slot, assignable, chosen, random);
    if (!pick) break;
    chosen.push(pick);
    picks.push(pick);
  }
  return { mix, templates: picks };
}

type NormalizedRequest = Required<Omit<GenerateRequest, 'counters'>> & { counters: Partial<Counters> };

function normalizeRequest(input: unknown): NormalizedRequest {
  if (!isPlainObject(input)) throw new ValidationError('request', `must be an object, got ${describe(input)}`);
  const learner = input['learner'];
  if (!isPlainObject(learner)) throw new ValidationError('request.learner', `must be an object, got ${describe(learner)}`);
  const counters = input['counters'];
  if (!isPlainObject(counters)) throw new ValidationError('request.counters', `must be an object, got ${describe(counters)}`);
  const normalizedCounters: Partial<Counters> = {};
  for (const name of CHECK_NAMES) {
    if (counters[name] !== undefined) normalizedCounters[name] = requireInteger(counters[name], `request.counters.${name}`, 0);
  }
  const recentDays = input['recentDays'] === undefined ? [] : input['recentDays'];
  if (!Array.isArray(recentDays)) throw new ValidationError('request.recentDays', `must be an array, got ${describe(recentDays)}`);
  return {
    userId: requireString(input['userId'], 'request.userId'),
    day: requireDayKey(input['day'], 'request.day'),
    mix: requireOneOf(input['mix'], 'request.mix', MIXES),
    count: requireInteger(input['count'], 'request.count', MIN_MISSIONS, MAX_MISSIONS),
    reroll: requireInteger(input['reroll'], 'request.reroll', 0, 1_000_000),
    tracks: requireStringArray(input['tracks'], 'request.tracks').map((f, i) => requireOneOf(f, `request.tracks[${i}]`, FAMILIES)),
    learner: {
      lessonsCompleted: requireInteger(learner['lessonsCompleted'], 'request.learner.lessonsCompleted', 0),
      openMistakes: requireInteger(learner['openMistakes'], 'request.learner.openMistakes', 0),
    },
    counters: normalizedCounters,
    yesterday: requireStringArray(input['yesterday'], 'request.yesterday'),
    recentDays: recentDays.map((d: unknown, i) => {
      if (!isPlainObject(d)) throw new ValidationError(`request.recentDays[${i}]`, `must be an object, got ${describe(d)}`);
      return {
        assigned: requireInteger(d['assigned'], `request.recentDays[${i}].assigned`, 0),
        completed: requireInteger(d['completed'], `request.recentDays[${i}].completed`, 0),
      };
    }),
    keep: input['keep'] === undefined ? [] : requireStringArray(input['keep'], 'request.keep'),
    replace: input['replace'] === undefined ? [] : requireStringArray(input['replace'], 'request.replace'),
  };
}
