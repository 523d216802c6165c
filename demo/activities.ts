/**
 * Activity the demo records: the buttons of the "Record activity" panel, and the
 * activity a seeded learner produces to work on a given mission. Between them every
 * check of the catalog can be reached from the page (test/browser/demo-activities.test.ts
 * folds each button through the engine to prove it).
 */
import type { ActivityInput } from '../src/index.js';
import type { CheckName, Family } from '../worker/engine/index.js';

/** Exercise types a learning app might report; the first is the one `use-cloze` counts. */
export const EXERCISE_TYPES = ['cloze', 'matching', 'listening', 'translation', 'speaking', 'multiple-choice'] as const;

const SECONDS_PER_LESSON = 240;

/**
 * Unique ids for lessons, sets and elements. The session part keeps ids of this visit
 * apart from those of earlier visits stored in the same database: a "new set" must be
 * new for the learner, a reviewed element distinct from the ones before.
 */
export class Ids {
  private count = 0;
  /** Elements answered wrongly and not mastered since: "Master" fixes these first. */
  readonly mistakes: string[] = [];
  /** Lessons completed so far, to move a seeded learner through a course set by set. */
  lessonsDone = 0;

  constructor(private readonly session: string = Math.random().toString(36).slice(2, 8)) {}

  next(kind: string): string {
    this.count += 1;
    return `${kind}-${this.session}-${this.count}`;
  }
}

function lesson(ids: Ids, correct: number, total: number, setId = 'basics-1'): ActivityInput {
  return { type: 'lesson-completed', lessonId: ids.next('lesson'), setId, correct, total, seconds: SECONDS_PER_LESSON };
}

function review(ids: Ids, correct: boolean): ActivityInput {
  const elementId = ids.next('word');
  if (!correct) ids.mistakes.push(elementId);
  return { type: 'element-reviewed', elementId, correct };
}

function master(ids: Ids): ActivityInput {
  return { type: 'element-mastered', elementId: ids.mistakes.shift() ?? ids.next('word') };
}

export interface RecordButton {
  /** `data-record` of the button. */
  id: string;
  label: string;
  /** The event family a host would need to report for missions to use this activity. */
  family: Family;
  make(ids: Ids): ActivityInput[];
}

/** The buttons, grouped by family in this order on the page. */
export const RECORD_BUTTONS: readonly RecordButton[] = [
  { id: 'lesson-0', label: 'Lesson, 0 stars (4/10)', family: 'lessons', make: (ids) => [lesson(ids, 4, 10)] },
  { id: 'lesson-1', label: 'Lesson, 1 star (6/10)', family: 'lessons', make: (ids) => [lesson(ids, 6, 10)] },
  { id: 'lesson-2', label: 'Lesson, 2 stars (8/10)', family: 'lessons', make: (ids) => [lesson(ids, 8, 10)] },
  { id: 'lesson-3', label: 'Lesson, 3 stars (9/10)', family: 'lessons', make: (ids) => [lesson(ids, 9, 10)] },
  { id: 'perfect', label: 'Perfect lesson (10/10)', family: 'lessons', make: (ids) => [lesson(ids, 10, 10)] },
  {
    id: 'new-set',
    label: 'Start a new set',
    family: 'lessons',
    make: (ids) => [{ type: 'lesson-started', lessonId: ids.next('lesson'), setId: ids.next('set') }],
  },
  { id: 'study', label: 'Study 5 minutes', family: 'lessons', make: () => [{ type: 'study-time', seconds: 300 }] },
  { id: 'study-15', label: 'Study 15 minutes', family: 'lessons', make: () => [{ type: 'study-time', seconds: 900 }] },
  {
    id: 'review',
    label: 'Review 5 elements (1 wrong)',
    family: 'elements',
    make: (ids) => [true, true, false, true, true].map((correct) => review(ids, correct)),
  },
  { id: 'review-wrong', label: 'Get an element wrong', family: 'elements', make: (ids) => [review(ids, false)] },
  { id: 'master', label: 'Master 1 element', family: 'elements', make: (ids) => [master(ids)] },
  { id: 'master-3', label: 'Master 3 elements', family: 'elements', make: (ids) => [master(ids), master(ids), master(ids)] },
  { id: 'review-session', label: 'Finish a review session', family: 'review-sessions', make: () => [{ type: 'review-session-completed' }] },
  { id: 'overdue', label: 'Clear the overdue queue', family: 'review-queue', make: () => [{ type: 'overdue-cleared' }] },
  {
    id: 'adaptive',
    label: 'Start an adaptive lesson',
    family: 'adaptive',
    make: (ids) => [{ type: 'lesson-started', lessonId: ids.next('lesson'), adaptive: true }],
  },
  ...EXERCISE_TYPES.map(
    (exerciseType): RecordButton => ({
      id: `exercise-${exerciseType}`,
      label: `${exerciseType === 'cloze' ? 'Cloze' : exerciseType[0]!.toUpperCase() + exerciseType.slice(1).replace('-', ' ')} exercise`,
      family: 'exercises',
      make: () => [{ type: 'exercise-completed', exerciseType }],
    }),
  ),
];

/** Buttons whose activity feeds each check, for the catalog browser's "Complete with" column. */
export const BUTTONS_FOR_CHECK: Record<CheckName, readonly string[]> = {
  lessons_completed_today: ['lesson-0', 'lesson-1', 'lesson-2', 'lesson-3', 'perfect'],
  lessons_min_2_stars_today: ['lesson-2', 'lesson-3', 'perfect'],
  lessons_min_3_stars_today: ['lesson-3', 'perfect'],
  perfect_lessons_today: ['perfect'],
  new_sets_started_today: ['new-set'],
  minutes_learned_today: ['study', 'study-15', 'lesson-3'],
  streak_kept_today: ['lesson-3'],
  current_streak_days: ['lesson-3'],
  weekend_learning_today: ['lesson-3'],
  elements_reviewed_today: ['review', 'review-wrong'],
  elements_mastered_today: ['master', 'master-3'],
  review_sessions_completed_today: ['review-session'],
  overdue_cleared_today: ['overdue'],
  adaptive_lessons_started_today: ['adaptive'],
  cloze_exercises_today: ['exercise-cloze'],
  exercise_types_used_today: EXERCISE_TYPES.map((type) => `exercise-${type}`),
};

/** How to reach a check beyond pressing buttons today (multi-day and weekday checks). */
export const CHECK_HINTS: Partial<Record<CheckName, string>> = {
  current_streak_days: 'a lesson a day: use "Tomorrow" between lessons, or the veteran preset',
  weekend_learning_today: 'a lesson on Saturday or Sunday: use "Next weekend day"',
  minutes_learned_today: 'each lesson adds 4 minutes',
};

/**
 * Activity that raises `check` by `amount` on the day it is recorded: what a learner
 * working on a mission does. Lesson-based checks need lessons; the streak ones need one
 * lesson a day, which is all a day can add.
 */
export function activityFor(check: CheckName, amount: number, ids: Ids): ActivityInput[] {
  const times = (n: number, make: (i: number) => ActivityInput) => Array.from({ length: Math.max(0, n) }, (_, i) => make(i));
  switch (check) {
    case 'lessons_completed_today':
      return times(amount, (i) => lesson(ids, 7 + (i % 3), 10));
    case 'lessons_min_2_stars_today':
      return times(amount, () => lesson(ids, 8, 10));
    case 'lessons_min_3_stars_today':
      return times(amount, () => lesson(ids, 9, 10));
    case 'perfect_lessons_today':
      return times(amount, () => lesson(ids, 12, 12));
    case 'new_sets_started_today':
      return times(amount, () => ({ type: 'lesson-started', lessonId: ids.next('lesson'), setId: ids.next('set') }));
    case 'minutes_learned_today':
      return [{ type: 'study-time', seconds: amount * 60 }];
    case 'streak_kept_today':
    case 'current_streak_days':
    case 'weekend_learning_today':
      return [lesson(ids, 8, 10)];
    case 'elements_reviewed_today':
      return times(amount, () => review(ids, true));
    case 'elements_mastered_today':
      return times(amount, () => master(ids));
    case 'review_sessions_completed_today':
      return times(amount, () => ({ type: 'review-session-completed' }));
    case 'overdue_cleared_today':
      return [{ type: 'overdue-cleared' }];
    case 'adaptive_lessons_started_today':
      return times(amount, () => ({ type: 'lesson-started', lessonId: ids.next('lesson'), adaptive: true }));
    case 'cloze_exercises_today':
      return times(amount, () => ({ type: 'exercise-completed', exerciseType: 'cloze' }));
    case 'exercise_types_used_today':
      return EXERCISE_TYPES.slice(0, Math.min(amount, EXERCISE_TYPES.length)).map((exerciseType) => ({ type: 'exercise-completed', exerciseType }));
  }
}

/** One-line summary of a batch for the log ("2 × lesson-completed, study-time"). */
export function describeBatch(batch: readonly ActivityInput[]): string {
  const counts = new Map<string, number>();
  for (const activity of batch) counts.set(activity.type, (counts.get(activity.type) ?? 0) + 1);
  return [...counts].map(([type, n]) => (n > 1 ? `${n} × ${type}` : type)).join(', ');
}
