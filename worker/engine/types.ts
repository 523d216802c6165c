/**
 * The engine's types and tables. Everything here is plain, structured-clone-safe data:
 * it crosses the worker boundary, goes into IndexedDB and into DOM event details. The
 * names the element, the worker and the CLI share too (mixes, languages) are
 * defined in vocabulary.ts and re-exported here.
 */

export { LANGUAGES, MIXES } from './vocabulary.js';
export type { ConcreteMix, Language, Mix } from './vocabulary.js';

export const CATEGORIES = ['learning', 'review', 'mastery', 'exploration', 'streak'] as const;
export type Category = (typeof CATEGORIES)[number];

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** Event families a host can report (`tracks`). A check is assignable only when its family is tracked. */
export const FAMILIES = ['lessons', 'elements', 'review-sessions', 'review-queue', 'adaptive', 'exercises'] as const;
export type Family = (typeof FAMILIES)[number];
/** The families tracked when a host says nothing (the default preference). */
export const DEFAULT_TRACKS: readonly Family[] = ['lessons', 'elements'];

/** The 16 counters of a day and the family that feeds each (docs/architecture.md §5.3). */
export const CHECK_FAMILY = {
  lessons_completed_today: 'lessons',
  lessons_min_2_stars_today: 'lessons',
  lessons_min_3_stars_today: 'lessons',
  perfect_lessons_today: 'lessons',
  new_sets_started_today: 'lessons',
  minutes_learned_today: 'lessons',
  streak_kept_today: 'lessons',
  current_streak_days: 'lessons',
  weekend_learning_today: 'lessons',
  elements_reviewed_today: 'elements',
  elements_mastered_today: 'elements',
  review_sessions_completed_today: 'review-sessions',
  overdue_cleared_today: 'review-queue',
  adaptive_lessons_started_today: 'adaptive',
  cloze_exercises_today: 'exercises',
  exercise_types_used_today: 'exercises',
} as const satisfies Record<string, Family>;
export type CheckName = keyof typeof CHECK_FAMILY;
export const CHECK_NAMES = Object.keys(CHECK_FAMILY) as CheckName[];

/**
 * How far a counter can rise within one day, where that is limited: the learning
 * streak grows by one day per day. A template whose target is out of reach today
 * (a 7-day-streak mission for someone on a 2-day streak) is not assigned, since a
 * daily mission that cannot be finished today only disappoints. Unlisted: unlimited.
 */
export const CHECK_DAILY_GAIN: Partial<Record<CheckName, number>> = {
  current_streak_days: 1,
};

/** One value per check: what the day's activity has reached so far. */
export type Counters = Record<CheckName, number>;

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The rule part of a template: everything the generator and evaluator need, no text. */
export interface TemplateRule {
  id: string;
  category: Category;
  difficulty: Difficulty;
  check: CheckName;
  target: number;
  xp: number;
  icon: string;
  /** Weekdays on which the template may be assigned; absent means every day. */
  days?: Weekday[];
}

export interface TemplateText {
  title: string;
  description: string;
}

/** The rule part of a catalog: all that selection and evaluation need (the worker carries only this). */
export interface CatalogRules {
  version: 1;
  templates: TemplateRule[];
}

/**
 * A validated catalog. Rules and text are kept apart so the worker can carry the
 * rules alone and the widget load only the language it shows.
 */
export interface CompiledCatalog extends CatalogRules {
  languages: string[];
  /** text[language][templateId] */
  text: Record<string, Record<string, TemplateText>>;
}

/** One assigned mission as stored and evaluated (no text). */
export interface MissionState {
  templateId: string;
  category: Category;
  difficulty: Difficulty;
  check: CheckName;
  icon: string;
  target: number;
  xp: number;
  current: number;
  completed: boolean;
  /** Epoch ms of the evaluation that completed it. */
  completedAt?: number;
}

/** A mission as hosts see it in event details: plain data, text in the widget's language. */
export interface Mission {
  templateId: string;
  category: Category;
  difficulty: Difficulty;
  icon: string;
  title: string;
  description: string;
  current: number;
  target: number;
  completed: boolean;
  xp: number;
  completedAt?: number;
}
