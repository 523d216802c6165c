/**
 * The host-facing shape of a mission, on its own: the widget's entry imports only
 * this from the engine, so it does not pull in validation or selection code.
 */
import type { Mission, MissionState, TemplateText } from './types.js';

/** The fields of a mission that hosts see, whatever carries them. */
type MissionFields = Pick<MissionState, 'templateId' | 'category' | 'difficulty' | 'icon' | 'target' | 'xp' | 'current' | 'completed' | 'completedAt'>;

/** The plain, host-facing form of a mission (docs/architecture.md §3): the one definition of its shape. */
export function missionView(mission: MissionFields, text: TemplateText): Mission {
  const view: Mission = {
    templateId: mission.templateId,
    category: mission.category,
    difficulty: mission.difficulty,
    icon: mission.icon,
    title: text.title,
    description: text.description,
    current: mission.current,
    target: mission.target,
    completed: mission.completed,
    xp: mission.xp,
  };
  if (mission.completedAt !== undefined) view.completedAt = mission.completedAt;
  return view;
}

