/** Stored rows and flow results turned into what crosses to the main thread. */
import type { DayState } from '../daily.js';
import type { AwardRow, MissionRow } from '../store/rows.js';
import type { AwardData, DailyView, MissionData, StorageStatus } from './types.js';

/** A stored row without its storage-only fields. */
export function toMissionData(row: MissionRow): MissionData {
  const { userId: _user, day: _day, reroll: _reroll, assignedAt: _assignedAt, xpAwarded: _xpAwarded, ...data } = row;
  return data;
}

export function toAwardData(row: AwardRow, durable: boolean): AwardData {
  return { awardId: row.awardId, userId: row.userId, day: row.day, templateId: row.templateId, xp: row.xp, awardedAt: row.awardedAt, durable };
}

export function dailyView(userId: string, state: DayState, status: StorageStatus): DailyView {
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
    xpToday: missions.reduce((sum, m) => sum + (m.completed ? m.xp : 0), 0),
    allComplete: missions.length > 0 && missions.every((m) => m.completed),
    preferences: state.preferences,
    status,
  };
}
