/**
 * daily-missions/client: the headless handle on the missions worker. `connectMissions`
 * lands here with the worker; until then the entry exports the public data types.
 */
export type {
  Mission,
  Category,
  Difficulty,
  Mix,
  Family,
  CheckName,
  Counters,
  CompiledCatalog,
} from '../worker/engine/types.js';
export type { ActivityInput, ActivityType } from '../worker/engine/activity.js';
