/**
 * Names and numbers the worker and its storage agree on. The database name, its
 * version and every store and index name live here and nowhere else.
 */
export const DB_NAME = 'daily-missions';
/** Bump together with a new `migrateToVersionN` in migrations.ts. */
export const DB_VERSION = 3;

export const STORE = {
  /** One row per user, day and template: the mission table (progress, completion, xpAwarded, celebrated). */
  missions: 'missions',
  /** The activity log under (userId, activityId) (v3; an auto-increment key before), for export, audits and deduplication. */
  activity: 'activity',
  /** Per user and day: the day's stats, host-pushed counters, mix, rerolls and outcome. */
  days: 'days',
  /** Per user: lifetime learner state, mission streak, preferences. */
  profiles: 'profiles',
  /** Per user, day and template: the XP award. Its unique key makes a second award impossible; kept when a user is deleted. (v2) */
  awards: 'awards',
} as const;

export const INDEX = {
  /** missions and activity by [userId, day]. */
  byUserDay: 'byUserDay',
  /** awards by userId, for export. (v2) */
  byUser: 'byUser',
  /** awards not yet delivered, by userId: a sparse index on `pendingFor`. (v3) */
  byPending: 'byPending',
} as const;

/** An IndexedDB open that has not settled by then is given up for the in-memory store. */
export const OPEN_TIMEOUT_MS = 2_000;
/** Assigned days `auto` looks back on. */
export const AUTO_MIX_WINDOW = 7;
/** How far back (calendar days) `auto` searches for those assigned days. */
export const AUTO_MIX_LOOKBACK_DAYS = 30;
/** Calendar days a history covers unless the caller asks for another number, and the most it may ask for. */
export const DEFAULT_HISTORY_DAYS = 30;
export const MAX_HISTORY_DAYS = 3660;
