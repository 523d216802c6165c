/**
 * From activity to the 16 counters of a day (docs/architecture.md §5.3).
 *
 * Two records hold everything evaluation needs, so evaluating today reads a constant
 * amount of data however long the history is:
 * - DayStats: one user's one local day, updated as each activity arrives;
 * - LearnerState: lifetime facts (lessons done, sets ever started, open mistakes,
 *   the latest learning-streak run).
 * `applyActivity` is the single definition of how an activity changes them: the
 * storage layer folds one activity at a time with it, and tests fold whole days.
 */
import type { Activity } from './activity.js';
import { isPerfect, starsFor } from './activity.js';
import type { DayKey } from './day.js';
import { daysBetween, isWeekend } from './day.js';
import { ValidationError } from './errors.js';
import type { CheckName, Counters } from './types.js';
import { CHECK_NAMES } from './types.js';
import { describe, isPlainObject, requireInteger } from './validate.js';

export interface DayStats {
  day: DayKey;
  lessonsCompleted: number;
  lessonsMin2Stars: number;
  lessonsMin3Stars: number;
  perfectLessons: number;
  /** Sets first started on this day (never started before), distinct. */
  newSets: string[];
  /** Seconds actually spent learning this day (lesson durations and study time). */
  seconds: number;
  elementsReviewed: string[];
  elementsMastered: string[];
  reviewSessions: number;
  overdueCleared: boolean;
  adaptiveLessonsStarted: number;
  clozeExercises: number;
  exerciseTypes: string[];
  /** Activities folded into this day, for diagnostics and export. */
  activityCount: number;
}

export interface LearnerState {
  /** Lessons completed over the learner's lifetime (decides the new/active/veteran tier). */
  lessonsCompleted: number;
  /** Every set the learner has ever started. */
  setsStarted: string[];
  /** Elements reviewed incorrectly and not mastered since (most recent last, capped). */
  openMistakes: string[];
  /** The latest run of consecutive local days with a completed lesson. */
  streakStart: DayKey | null;
  streakEnd: DayKey | null;
}

/** Open mistakes kept per learner; only "are there any" matters, the cap keeps the record small. */
export const MAX_OPEN_MISTAKES = 1000;

export function emptyDayStats(day: DayKey): DayStats {
  return {
    day,
    lessonsCompleted: 0,
    lessonsMin2Stars: 0,
    lessonsMin3Stars: 0,
    perfectLessons: 0,
    newSets: [],
    seconds: 0,
    elementsReviewed: [],
    elementsMastered: [],
    reviewSessions: 0,
    overdueCleared: false,
    adaptiveLessonsStarted: 0,
    clozeExercises: 0,
    exerciseTypes: [],
    activityCount: 0,
  };
}

export function emptyLearnerState(): LearnerState {
  return { lessonsCompleted: 0, setsStarted: [], openMistakes: [], streakStart: null, streakEnd: null };
}

function withItem(list: readonly string[], item: string): string[] {
  return list.includes(item) ? [...list] : [...list, item];
}

/** Marks a set as started; it counts as new for the day only the first time ever. */
function startSet(day: DayStats, learner: LearnerState, setId: string | undefined): void {
  if (setId === undefined || learner.setsStarted.includes(setId)) return;
  learner.setsStarted = [...learner.setsStarted, setId];
  day.newSets = withItem(day.newSets, setId);
}

/**
 * Extends the latest learning-streak run with a lesson on `lessonDay`. Lessons on
 * days already in the run change nothing; a lesson older than the run's day before
 * belongs to an earlier, finished run and does not affect the current one.
 */
export function extendLearningStreak(learner: LearnerState, lessonDay: DayKey): void {
  const { streakStart, streakEnd } = learner;
  if (streakStart === null || streakEnd === null) {
    learner.streakStart = lessonDay;
    learner.streakEnd = lessonDay;
    return;
  }
  const afterEnd = daysBetween(streakEnd, lessonDay);
  if (afterEnd === 1) learner.streakEnd = lessonDay;
  else if (afterEnd > 1) {
    learner.streakStart = lessonDay;
    learner.streakEnd = lessonDay;
  } else if (daysBetween(lessonDay, streakStart) === 1) learner.streakStart = lessonDay;
}

/**
 * Folds one validated activity, which happened on local day `day.day`, into that
 * day's stats and the learner's lifetime state. Returns new objects; inputs are untouched.
 */
export function applyActivity(
  dayStats: DayStats,
  learnerState: LearnerState,
  activity: Activity,
): { day: DayStats; learner: LearnerState } {
  const day: DayStats = { ...dayStats, activityCount: dayStats.activityCount + 1 };
  const learner: LearnerState = { ...learnerState };
  switch (activity.type) {
    case 'lesson-started':
      startSet(day, learner, activity.setId);
      if (activity.adaptive === true) day.adaptiveLessonsStarted += 1;
      break;
    case 'lesson-completed': {
      // A completed lesson in a set never seen before also counts as starting that set.
      startSet(day, learner, activity.setId);
      const stars = starsFor(activity.correct, activity.total);
      day.lessonsCompleted += 1;
      if (stars >= 2) day.lessonsMin2Stars += 1;
      if (stars >= 3) day.lessonsMin3Stars += 1;
      if (isPerfect(activity.correct, activity.total)) day.perfectLessons += 1;
      day.seconds += activity.seconds ?? 0;
      learner.lessonsCompleted += 1;
      extendLearningStreak(learner, day.day);
      break;
    }
    case 'element-reviewed':
      day.elementsReviewed = withItem(day.elementsReviewed, activity.elementId);
      if (!activity.correct) {
        const others = learner.openMistakes.filter((id) => id !== activity.elementId);
        learner.openMistakes = [...others, activity.elementId].slice(-MAX_OPEN_MISTAKES);
      }
      break;
    case 'element-mastered':
      day.elementsMastered = withItem(day.elementsMastered, activity.elementId);
      learner.openMistakes = learner.openMistakes.filter((id) => id !== activity.elementId);
      break;
    case 'exercise-completed':
      day.exerciseTypes = withItem(day.exerciseTypes, activity.exerciseType);
      if (activity.exerciseType === 'cloze') day.clozeExercises += 1;
      break;
    case 'review-session-completed':
      day.reviewSessions += 1;
      break;
    case 'overdue-cleared':
      day.overdueCleared = true;
      break;
    case 'study-time':
      day.seconds += activity.seconds;
      break;
  }
  return { day, learner };
}

/**
 * The learning streak as seen on `today`, including today: a run that ended yesterday
 * is still alive (today's lesson may extend it), an older one is over.
 */
export function learningStreakOn(learner: LearnerState, today: DayKey): number {
  if (learner.streakStart === null || learner.streakEnd === null) return 0;
  const sinceEnd = daysBetween(learner.streakEnd, today);
  if (sinceEnd < 0 || sinceEnd > 1) return 0;
  return daysBetween(learner.streakStart, learner.streakEnd) + 1;
}

/** The 16 counters of `day` for this learner. */
export function countersFor(day: DayStats, learner: LearnerState): Counters {
  const lessonToday = day.lessonsCompleted > 0;
  return {
    lessons_completed_today: day.lessonsCompleted,
    lessons_min_2_stars_today: day.lessonsMin2Stars,
    lessons_min_3_stars_today: day.lessonsMin3Stars,
    perfect_lessons_today: day.perfectLessons,
    new_sets_started_today: day.newSets.length,
    minutes_learned_today: Math.floor(day.seconds / 60),
    streak_kept_today: lessonToday ? 1 : 0,
    current_streak_days: learningStreakOn(learner, day.day),
    weekend_learning_today: lessonToday && isWeekend(day.day) ? 1 : 0,
    elements_reviewed_today: day.elementsReviewed.length,
    elements_mastered_today: day.elementsMastered.length,
    review_sessions_completed_today: day.reviewSessions,
    overdue_cleared_today: day.overdueCleared ? 1 : 0,
    adaptive_lessons_started_today: day.adaptiveLessonsStarted,
    cloze_exercises_today: day.clozeExercises,
    exercise_types_used_today: day.exerciseTypes.length,
  };
}

export type HostCounters = Partial<Counters>;

/** Validates counters a host pushes for a day (docs/architecture.md §5.7): known names, whole numbers ≥ 0. */
export function normalizeHostCounters(input: unknown, field = 'stats'): HostCounters {
  if (!isPlainObject(input)) throw new ValidationError(field, `must be an object of counters, got ${describe(input)}`);
  const counters: HostCounters = {};
  for (const key of Object.keys(input)) {
    if (!(CHECK_NAMES as string[]).includes(key)) {
      throw new ValidationError(`${field}.${key}`, `is not a counter; known counters: ${CHECK_NAMES.join(', ')}`);
    }
    counters[key as CheckName] = requireInteger(input[key], `${field}.${key}`, 0);
  }
  return counters;
}

/**
 * Counters from recorded activity combined with counters the host pushed: the larger
 * of the two wins, so a host mixing both never loses progress nor counts twice.
 */
export function mergeCounters(own: Counters, host: HostCounters | undefined): Counters {
  if (!host) return own;
  const merged = { ...own };
  for (const name of CHECK_NAMES) {
    const pushed = host[name];
    if (pushed !== undefined && pushed > merged[name]) merged[name] = pushed;
  }
  return merged;
}
