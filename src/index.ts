/**
 * daily-missions: the package's main entry. The `<daily-missions>` element itself
 * lands here; until then the entry exports the public data types.
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
