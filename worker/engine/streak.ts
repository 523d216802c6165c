/**
 * The mission streak (docs/architecture.md §5.5): consecutive local days with at least one
 * completed mission. A joker bridges one missed day; it is earned by every 7 days
 * of streak, at most one is held, and it is spent only on a gap that has a streak
 * before it. A missed day never costs anything else: no XP, no progress, no penalty.
 *
 * Like the day stats, the streak is a small state folded one day at a time, so the
 * storage layer keeps it up to date without reading history.
 */
import type { DayKey } from './day.js';
import { addDays, daysBetween } from './day.js';

/** Days of unbroken streak that earn a joker. */
export const DAYS_PER_JOKER = 7;
export const MAX_JOKERS = 1;

export interface MissionStreak {
  /** The last day with a completed mission, or null before the first. */
  lastDay: DayKey | null;
  /** Days in the current run (bridged days are not counted as streak days). */
  days: number;
  /** Jokers held (0 or 1). */
  jokers: number;
  /** Streak days since the last joker was earned or spent, toward the next one. */
  towardJoker: number;
  /** Days a joker bridged, most recent last. */
  bridged: DayKey[];
}

export function emptyMissionStreak(): MissionStreak {
  return { lastDay: null, days: 0, jokers: 0, towardJoker: 0, bridged: [] };
}

/** Counts one more streak day and earns a joker every DAYS_PER_JOKER days while none is held. */
function countDay(streak: MissionStreak, day: DayKey, days: number): MissionStreak {
  let { jokers, towardJoker } = streak;
  towardJoker += 1;
  if (towardJoker >= DAYS_PER_JOKER && jokers < MAX_JOKERS) {
    jokers += 1;
    towardJoker = 0;
  }
  return { ...streak, lastDay: day, days, jokers, towardJoker: Math.min(towardJoker, DAYS_PER_JOKER) };
}

/**
 * Folds a day on which the learner completed a mission. Days must arrive in order;
 * a day at or before `lastDay` changes nothing (it is already counted or belongs to
 * an older run).
 */
export function recordMissionDay(streak: MissionStreak, day: DayKey): MissionStreak {
  if (streak.lastDay === null) return countDay({ ...streak, towardJoker: 0 }, day, 1);
  const gap = daysBetween(streak.lastDay, day);
  if (gap <= 0) return streak;
  if (gap === 1) return countDay(streak, day, streak.days + 1);
  if (gap === 2 && streak.jokers > 0 && streak.days > 0) {
    const bridgedDay = addDays(streak.lastDay, 1);
    const spent = { ...streak, jokers: streak.jokers - 1, towardJoker: 0, bridged: [...streak.bridged, bridgedDay].slice(-30) };
    return countDay(spent, day, streak.days + 1);
  }
  // The run is over; a new one starts. The joker stays with the learner: nothing is taken away.
  return countDay({ ...streak, towardJoker: 0 }, day, 1);
}

export type StreakStatus = 'done-today' | 'alive' | 'needs-joker' | 'none';

/** How the streak stands on `today`, for display. */
export interface StreakView {
  /** Streak days to show: the run that is still alive today, else 0. */
  days: number;
  jokers: number;
  /**
   * done-today: today already counts; alive: yesterday counted, complete a mission
   * today to extend; needs-joker: yesterday was missed and a joker will bridge it
   * when a mission is completed today; none: no live streak (a fresh start).
   */
  status: StreakStatus;
}

export function missionStreakOn(streak: MissionStreak, today: DayKey): StreakView {
  if (streak.lastDay === null) return { days: 0, jokers: streak.jokers, status: 'none' };
  const gap = daysBetween(streak.lastDay, today);
  if (gap <= 0) return { days: streak.days, jokers: streak.jokers, status: 'done-today' };
  if (gap === 1) return { days: streak.days, jokers: streak.jokers, status: 'alive' };
  if (gap === 2 && streak.jokers > 0 && streak.days > 0) return { days: streak.days, jokers: streak.jokers, status: 'needs-joker' };
  return { days: 0, jokers: streak.jokers, status: 'none' };
}

/** The streak of a whole history of mission days (any order, duplicates allowed). */
export function missionStreakFromDays(days: readonly DayKey[]): MissionStreak {
  return [...new Set(days)].sort().reduce(recordMissionDay, emptyMissionStreak());
}
