/**
 * The shapes stored per row. The same rows live in IndexedDB and in the in-memory
 * fallback, and go into a user's JSON export.
 */
import type { Activity } from '../engine/activity.js';
import type { DayKey } from '../engine/day.js';
import type { DayStats, HostCounters, LearnerState } from '../engine/stats.js';
import type { MissionStreak } from '../engine/streak.js';
import type { ConcreteMix, Family, MissionState, Mix } from '../engine/types.js';

export interface MissionRow extends MissionState {
  userId: string;
  day: DayKey;
  /** Position in the day's list (0-based). */
  slot: number;
  /** The reroll number whose pick produced this mission (0: the day's first pick). */
  reroll: number;
  assignedAt: number;
  /** Set in the same transaction that writes the award row. */
  xpAwarded: boolean;
  /** A widget has celebrated this completion (separate from `completed`, so late celebrations happen). */
  celebrated: boolean;
}

/** One recorded activity, stored under (userId, activityId): a retry with the same id is not stored twice. (v3) */
export interface ActivityRow {
  userId: string;
  day: DayKey;
  /** The host's id for the activity, or the one made when record() was called (worker/engine/ids.ts). */
  activityId: string;
  activity: Activity;
  /** Epoch ms of the call that stored it (the caller's clock). */
  recordedAt: number;
}

export interface DayRow {
  userId: string;
  day: DayKey;
  stats: DayStats;
  /** Counters the host pushed for this day (docs/architecture.md §5.7). */
  host?: HostCounters;
  /** Set once missions are assigned. */
  mix?: ConcreteMix;
  assignedAt?: number;
  /** Rerolls used today. */
  rerolls: number;
  assignedCount: number;
  completedCount: number;
}

export interface Preferences {
  /** false: nothing is assigned, recorded or awarded for this user. */
  enabled: boolean;
  count: number;
  mix: Mix;
  /** IANA zone; empty string: the caller's zone. */
  timeZone: string;
  tracks: Family[];
  rerollsPerDay: number;
}

export interface ProfileRow {
  userId: string;
  learner: LearnerState;
  missionStreak: MissionStreak;
  preferences: Preferences;
  createdAt: number;
  /** XP awarded by missions over the learner's lifetime. */
  lifetimeXp: number;
}

/**
 * One paid award, under the unique key (userId, day, templateId). Award rows outlive
 * `deleteUser`: they are the ledger of what was paid, so a restore or a cleared user
 * redoing the lesson is never paid the same award again.
 */
export interface AwardRow {
  userId: string;
  day: DayKey;
  templateId: string;
  /** awardIdFor(userId, day, templateId): the host's idempotency key. (v3) */
  awardId: string;
  xp: number;
  awardedAt: number;
  /** When a `mission-complete` event (or a host's acknowledgement) delivered it; unset while undelivered. (v3) */
  deliveredAt?: number;
  /**
   * Until then one caller is delivering it (the call that paid it, or a redelivery that
   * claimed it), so no other tab announces it meanwhile. Past: free to redeliver. (v3)
   */
  leasedUntil?: number;
}

export type { MissionStreak };
