/**
 * Progress and completion (docs/architecture.md §5.4): `current = min(counter, target)`,
 * `completed = counter >= target`, and both only ever move forward.
 */
import { templateText } from './catalog.js';
import type { CompiledCatalog, Counters, MissionState, TemplateRule } from './types.js';
import type { Mission } from './types.js';
import { missionView } from './mission-view.js';

export { missionView } from './mission-view.js';

/** A freshly assigned mission for `template`, evaluated against the day's counters so far. */
export function assignMission(template: TemplateRule): MissionState {
  return {
    templateId: template.id,
    category: template.category,
    difficulty: template.difficulty,
    check: template.check,
    icon: template.icon,
    target: template.target,
    xp: template.xp,
    current: 0,
    completed: false,
  };
}

/**
 * Re-evaluates a mission against the day's counters at instant `now`. Never moves
 * backwards: a counter that drops (a host pushing a lower figure) leaves progress
 * where it was, and a completed mission stays completed with its first completedAt.
 */
export function evaluateMission(mission: MissionState, counters: Counters, now: number): MissionState {
  if (mission.completed) return mission;
  const counter = counters[mission.check] ?? 0;
  const current = Math.max(mission.current, Math.min(counter, mission.target));
  if (current >= mission.target) return { ...mission, current: mission.target, completed: true, completedAt: now };
  if (current === mission.current) return mission;
  return { ...mission, current };
}

/** True when `after` is the evaluation that completed `before`. */
export function justCompleted(before: MissionState, after: MissionState): boolean {
  return !before.completed && after.completed;
}

/** XP of the completed missions in a day's list. */
export function earnedXp(missions: readonly MissionState[]): number {
  return missions.reduce((sum, m) => sum + (m.completed ? m.xp : 0), 0);
}

export function allCompleted(missions: readonly MissionState[]): boolean {
  return missions.length > 0 && missions.every((m) => m.completed);
}

/** Evaluates a day's missions; `newlyCompleted` are the ones this evaluation completed. */
export function evaluateMissions(
  missions: readonly MissionState[],
  counters: Counters,
  now: number,
): { missions: MissionState[]; newlyCompleted: MissionState[] } {
  const next = missions.map((mission) => evaluateMission(mission, counters, now));
  return { missions: next, newlyCompleted: next.filter((mission, i) => justCompleted(missions[i]!, mission)) };
}

/** The host-facing form of a mission with text in `language` (English fallback). */
export function describeMission(mission: MissionState, catalog: CompiledCatalog, language: string): Mission {
  return missionView(mission, templateText(catalog, mission.templateId, language));
}
