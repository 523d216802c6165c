/** Stored rows and flow results turned into what crosses to the main thread. */
import type { DayState } from '../daily.js';
import type { CatalogRules } from '../engine/types.js';
import type { AwardRow, MissionRow } from '../store/rows.js';
import type { AwardData, DailyView, MissionData, StorageStatus } from './types.js';

/** A stored row without its storage-only fields. */
export function toMissionData(row: MissionRow): MissionData {
  const { userId: _user, day: _day, reroll: _reroll, assignedAt: _assignedAt, xpAwarded: _xpAwarded, ...data } = row;
  return data;
}

/**
 * The mission of an award whose mission row is gone (the learner was cleared, or a
 * backup restored over it): rebuilt from its template, completed, so that a redelivered
 * event still says what was earned.
 */
export function missionOfAward(award: AwardRow, catalog: CatalogRules): MissionData {
  const template = catalog.templates.find((t) => t.id === award.templateId);
  const target = template?.target ?? 1;
  return {
    templateId: award.templateId,
    category: template?.category ?? 'learning',
    difficulty: template?.difficulty ?? 'easy',
    check: template?.check ?? 'lessons_completed_today',
    icon: template?.icon ?? 'star',
    target,
    xp: award.xp,
    current: target,
    completed: true,
    completedAt: award.awardedAt,
    slot: 0,
    celebrated: true,
  };
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
