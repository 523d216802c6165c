/**
 * What a caller sees of the daily flow's state: missions without their storage-only
 * fields, and today's totals (the engine's earnedXp and allCompleted). Shared by the
 * worker's API and the HTTP server (daily-missions/server), so both answer with the
 * same shapes.
 */
import type { DayState } from './daily.js';
import { allCompleted, earnedXp } from './engine/progress.js';
import type { StreakView } from './engine/streak.js';
import type { MissionState } from './engine/types.js';
import type { MissionRow, Preferences } from './store/rows.js';

/** A mission as a caller gets it (no text: the widget adds it in its language). */
export interface MissionData extends MissionState {
  slot: number;
  celebrated: boolean;
}

export interface DayView {
  userId: string;
  day: string;
  enabled: boolean;
  missions: MissionData[];
  mix: string | null;
  rerollsLeft: number;
  /** Epoch ms of the next local midnight, when the missions renew. */
  nextDayAt: number;
  streak: StreakView;
  xpToday: number;
  allComplete: boolean;
  preferences: Preferences;
}

/** A stored row without its storage-only fields. */
export function toMissionData(row: MissionRow): MissionData {
  const { userId: _user, day: _day, reroll: _reroll, assignedAt: _assignedAt, xpAwarded: _xpAwarded, ...data } = row;
  return data;
}

export function dayView(userId: string, state: DayState): DayView {
  const missions = state.missions.map(toMissionData);
  return {
    userId,
    day: state.day,
    enabled: state.enabled,
    missions,
    mix: state.mix,
    rerollsLeft: state.rerollsLeft,
    nextDayAt: state.nextDayAt,
    streak: state.streak,
    xpToday: earnedXp(missions),
    allComplete: allCompleted(missions),
    preferences: state.preferences,
  };
}
