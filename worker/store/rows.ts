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

export interface ActivityRow {
  id?: number;
  userId: string;
  day: DayKey;
  activity: Activity;
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

export interface AwardRow {
  userId: string;
  day: DayKey;
  templateId: string;
  xp: number;
  awardedAt: number;
}

export type { MissionStreak };
