/** Shared fixtures for the engine tests: the shipped catalog and small builders. */
import { fileURLToPath } from 'node:url';
import { compileCatalogFile } from '../../../catalog/compile.js';
import type { Activity } from '../../../worker/engine/activity.js';
import type { DayKey } from '../../../worker/engine/day.js';
import type { DayStats, LearnerState } from '../../../worker/engine/stats.js';
import type { CompiledCatalog, TemplateRule } from '../../../worker/engine/types.js';
import { applyActivity, emptyDayStats, emptyLearnerState } from '../../../worker/engine/stats.js';

export const catalogPath = fileURLToPath(new URL('../../../catalog/templates.yaml', import.meta.url));
export const catalog = compileCatalogFile(catalogPath);

/** Noon UTC of a day key: an instant safely inside that day for zones near UTC. */
export function noonUtc(day: DayKey): number {
  return Date.parse(`${day}T12:00:00Z`);
}

/** Folds activities (all on `day`) into fresh or given state, the way the store does one at a time. */
export function foldDay(
  day: DayKey,
  activities: Activity[],
  learner: LearnerState = emptyLearnerState(),
): { day: DayStats; learner: LearnerState } {
  let state = { day: emptyDayStats(day), learner };
  for (const activity of activities) state = applyActivity(state.day, state.learner, activity);
  return state;
}

export const lesson = (correct: number, total: number, extra: Partial<Activity> = {}): Activity =>
  ({ type: 'lesson-completed', lessonId: 'l1', correct, total, at: 0, ...extra }) as Activity;

/** A valid catalog holding only the shipped templates that pass `keep` (text trimmed to match). */
export function catalogWith(keep: (template: TemplateRule) => boolean): CompiledCatalog {
  const templates = catalog.templates.filter(keep);
  const ids = new Set(templates.map((t) => t.id));
  const text = Object.fromEntries(
    Object.entries(catalog.text).map(([lang, byId]) => [lang, Object.fromEntries(Object.entries(byId).filter(([id]) => ids.has(id)))]),
  );
  return { ...catalog, templates, text };
}
