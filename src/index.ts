/**
 * daily-missions: defines `<daily-missions>` and exports its class and types.
 * Loading this module twice (two bundles on one page) is harmless: the tag is only
 * defined once.
 */
import { DailyMissionsElement } from './daily-missions.js';

export const TAG_NAME = 'daily-missions';

if (!customElements.get('daily-missions')) customElements.define('daily-missions', DailyMissionsElement);

export { DailyMissionsElement };
export type { Theme, MissionsChangeDetail, MissionCompleteDetail, MissionsAllCompleteDetail } from './daily-missions.js';
export type { Mix } from '../worker/engine/vocabulary.js';
export type { Mission, Category, Family, CheckName, Counters, CompiledCatalog } from '../worker/engine/types.js';
export type { ActivityInput, ActivityType } from '../worker/engine/activity.js';
export type { MissionsErrorCode, MissionsErrorDetail } from './errors.js';
export { MissionsError } from './errors.js';
