/**
 * The activity vocabulary hosts feed to `record()` (docs/architecture.md §3), and its validation.
 * Normalizing turns whatever the host passed into a closed, plain shape with an
 * epoch-ms `at`, or throws a ValidationError naming the first bad field.
 */
import { ValidationError } from './errors.js';
import {
  describe,
  optionalString,
  requireBoolean,
  requireInteger,
  requireNumber,
  requireObject,
  requireString,
} from './validate.js';
import { requireInstant } from './day.js';
import { requireActivityId } from './ids.js';

export const ACTIVITY_TYPES = [
  'lesson-started',
  'lesson-completed',
  'element-reviewed',
  'element-mastered',
  'exercise-completed',
  'review-session-completed',
  'overdue-cleared',
  'study-time',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Longest single stretch of study time one activity may report: a whole day. */
export const MAX_ACTIVITY_SECONDS = 86_400;
/** Most questions one lesson may report (a guard against unit mix-ups, not a product limit). */
export const MAX_LESSON_QUESTIONS = 100_000;

/**
 * Activities as hosts write them: `at` optional, epoch ms or a Date; `id` optional,
 * the host's own id for this activity (a lesson attempt id, say): the same id
 * recorded twice counts once. Without one, record() makes one when it is called.
 */
export type ActivityInput = { id?: string } & (
  | { type: 'lesson-started'; lessonId: string; setId?: string; adaptive?: boolean; at?: number | Date }
  | { type: 'lesson-completed'; lessonId: string; setId?: string; correct: number; total: number; seconds?: number; at?: number | Date }
  | { type: 'element-reviewed'; elementId: string; correct: boolean; at?: number | Date }
  | { type: 'element-mastered'; elementId: string; at?: number | Date }
  | { type: 'exercise-completed'; exerciseType: string; at?: number | Date }
  | { type: 'review-session-completed'; at?: number | Date }
  | { type: 'overdue-cleared'; at?: number | Date }
  | { type: 'study-time'; seconds: number; at?: number | Date });

/** A validated activity: same shape, `at` always epoch ms, no extra fields. */
export type Activity = ActivityInput & { at: number };

/** Stars of a completed lesson from its score (docs/architecture.md §3): ≥90% → 3, ≥75% → 2, ≥50% → 1. */
export function starsFor(correct: number, total: number): 0 | 1 | 2 | 3 {
  if (total <= 0) return 0;
  // Compare in integers so 9/10 is exactly 90%, with no floating-point doubt at the thresholds.
  if (correct * 100 >= total * 90) return 3;
  if (correct * 100 >= total * 75) return 2;
  if (correct * 100 >= total * 50) return 1;
  return 0;
}

export function isPerfect(correct: number, total: number): boolean {
  return total > 0 && correct === total;
}

function normalizeAt(value: unknown, field: string, now: number): number {
  if (value === undefined) return now;
  if (value instanceof Date) return requireInstant(value.getTime(), field);
  return requireInstant(value, field);
}

/**
 * Validates one activity. `now` stamps entries without `at` (the main thread is the
 * only reader of the clock, so the caller passes it in). `field` prefixes error paths.
 */
export function normalizeActivity(input: unknown, now: number, field = 'activity'): Activity {
  // Any non-array object is accepted (objects from another frame or a framework proxy
  // fail a prototype check but are perfectly good activities).
  if (typeof input !== 'object' || input === null || Array.isArray(input)) requireObject(input, field);
  const entry = input as Record<string, unknown>;
  const activity = normalizeFields(entry, now, field);
  if (entry['id'] !== undefined) activity.id = requireActivityId(entry['id'], `${field}.id`);
  return activity;
}

function normalizeFields(entry: Record<string, unknown>, now: number, field: string): Activity {
  const at = normalizeAt(entry['at'], `${field}.at`, now);
  const type = entry['type'];
  switch (type) {
    case 'lesson-started': {
      const activity: Activity = { type, lessonId: requireString(entry['lessonId'], `${field}.lessonId`), at };
      const setId = optionalString(entry['setId'], `${field}.setId`);
      if (setId !== undefined) activity.setId = setId;
      if (entry['adaptive'] !== undefined) activity.adaptive = requireBoolean(entry['adaptive'], `${field}.adaptive`);
      return activity;
    }
    case 'lesson-completed': {
      const total = requireInteger(entry['total'], `${field}.total`, 0, MAX_LESSON_QUESTIONS);
      const correct = requireInteger(entry['correct'], `${field}.correct`, 0, MAX_LESSON_QUESTIONS);
      if (correct > total) throw new ValidationError(`${field}.correct`, `must not exceed total (${correct} > ${total})`);
      const activity: Activity = { type, lessonId: requireString(entry['lessonId'], `${field}.lessonId`), correct, total, at };
      const setId = optionalString(entry['setId'], `${field}.setId`);
      if (setId !== undefined) activity.setId = setId;
      if (entry['seconds'] !== undefined) {
        activity.seconds = requireNumber(entry['seconds'], `${field}.seconds`, 0, MAX_ACTIVITY_SECONDS);
      }
      return activity;
    }
    case 'element-reviewed':
      return {
        type,
        elementId: requireString(entry['elementId'], `${field}.elementId`),
        correct: requireBoolean(entry['correct'], `${field}.correct`),
        at,
      };
    case 'element-mastered':
      return { type, elementId: requireString(entry['elementId'], `${field}.elementId`), at };
    case 'exercise-completed':
      return { type, exerciseType: requireString(entry['exerciseType'], `${field}.exerciseType`, 200), at };
    case 'review-session-completed':
    case 'overdue-cleared':
      return { type, at };
    case 'study-time':
      return { type, seconds: requireNumber(entry['seconds'], `${field}.seconds`, 0, MAX_ACTIVITY_SECONDS), at };
    default:
      throw new ValidationError(`${field}.type`, `must be one of ${ACTIVITY_TYPES.join(', ')}, got ${describe(type)}`);
  }
}

/**
 * Validates one activity or a batch. All or nothing: the first bad entry throws and
 * nothing of the batch is returned, so a caller never stores half a batch.
 */
export function normalizeActivities(input: unknown, now: number): Activity[] {
  if (Array.isArray(input)) {
    if (input.length > 10_000) throw new ValidationError('activities', 'must have at most 10000 entries per call');
    return input.map((entry, index) => normalizeActivity(entry, now, `activities[${index}]`));
  }
  return [normalizeActivity(input, now)];
}
