/**
 * What the worker knows about the learner on the simulated day, read from the
 * learner's export (the same rows the worker evaluates), and why a template cannot be
 * assigned to them right now, in words a designer reads without knowing the engine.
 */
import type { UserExport } from '../src/client.js';
import {
  addDays,
  CHECK_FAMILY,
  countersFor,
  eligibleCategories,
  emptyDayStats,
  emptyLearnerState,
  learningStreakOn,
  mergeCounters,
  missionStreakOn,
  tierOf,
  VETERAN_LESSONS,
  weekdayOf,
} from '../worker/engine/index.js';
import type { Category, Counters, DayKey, Family, LearnerSummary, StreakView, TemplateRule, Tier, UnassignableReason, Weekday } from '../worker/engine/index.js';

export interface LearnerView {
  day: DayKey;
  tier: Tier;
  summary: LearnerSummary;
  categories: Category[];
  /** Today's counters so far (activity and host-pushed counters, as evaluation sees them). */
  counters: Counters;
  /** Templates of yesterday's and today's lists. */
  yesterday: string[];
  today: string[];
  learningStreak: number;
  missionStreak: StreakView;
  lifetimeXp: number;
}

/** The learner on `day`, from their export; a learner without data is a new one. */
export function learnerView(data: UserExport, day: DayKey): LearnerView {
  const learner = data.profile?.learner ?? emptyLearnerState();
  const dayRow = data.days.find((row) => row.day === day);
  const counters = mergeCounters(countersFor(dayRow?.stats ?? emptyDayStats(day), learner), dayRow?.host);
  const summary: LearnerSummary = { lessonsCompleted: learner.lessonsCompleted, openMistakes: learner.openMistakes.length };
  const yesterday = addDays(day, -1);
  const templatesOn = (d: DayKey) => data.missions.filter((m) => m.day === d).map((m) => m.templateId);
  return {
    day,
    tier: tierOf(summary),
    summary,
    categories: eligibleCategories(summary),
    counters,
    yesterday: templatesOn(yesterday),
    today: templatesOn(day),
    learningStreak: learningStreakOn(learner, day),
    missionStreak: data.profile ? missionStreakOn(data.profile.missionStreak, day) : { days: 0, jokers: 0, status: 'none' },
    lifetimeXp: data.profile?.lifetimeXp ?? 0,
  };
}

/** The selection context `unassignableReason` takes, for this learner and these tracks. */
export function selectionContext(view: LearnerView, tracks: readonly Family[]) {
  return { day: view.day, tracks, categories: view.categories, counters: view.counters, yesterday: view.yesterday };
}

const WEEKDAY_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/** Weekdays as people list them, Monday first (the catalog keeps them Sunday first). */
export function inWeekOrder(days: readonly Weekday[]): Weekday[] {
  const order = Object.keys(WEEKDAY_NAMES);
  return [...days].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

function list(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Why a category is closed to this learner, and what opens it. */
function lockedBecause(category: Category, view: LearnerView): string {
  if (view.tier === 'new') {
    if (category === 'streak') return 'Locked for a new learner: streak missions open after the first completed lesson.';
    return `Locked for a new learner: ${category} missions open once the learner has completed a lesson and has an open mistake, or at ${VETERAN_LESSONS} lessons.`;
  }
  return `Locked: ${category} missions open when the learner has an open mistake (an element reviewed wrongly and not mastered since), or at ${VETERAN_LESSONS} lessons (${view.summary.lessonsCompleted} so far).`;
}

/** A human-readable reason for `unassignableReason`'s answer about `template`. */
export function reasonText(reason: UnassignableReason, template: TemplateRule, view: LearnerView): string {
  const counter = view.counters[template.check];
  switch (reason) {
    case 'untracked':
      return `Not tracked: needs the "${CHECK_FAMILY[template.check]}" event family, which the host does not report (see Tracked event families).`;
    case 'not-today':
      return `Only on ${list(inWeekOrder(template.days ?? []).map((d) => WEEKDAY_NAMES[d]))}; today is ${WEEKDAY_NAMES[weekdayOf(view.day)]}.`;
    case 'category-locked':
      return lockedBecause(template.category, view);
    case 'assigned-yesterday':
      return 'Assigned yesterday: no template comes two days running.';
    case 'already-met':
      return `Already met today (${counter} of ${template.target}): it would be done the moment it is given.`;
    case 'out-of-reach-today':
      return `Out of reach today: the learning streak is ${counter} ${counter === 1 ? 'day' : 'days'} and grows by at most one a day, short of ${template.target}.`;
  }
}
