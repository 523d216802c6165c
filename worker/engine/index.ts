/**
 * daily-missions/engine: the pure mission engine. No DOM, no IndexedDB, no clock:
 * every function takes the day, the catalog and the stats as arguments, so the same
 * code runs in the worker, in Node and on a server.
 */
export * from './types.js';
export { ValidationError, CatalogError, isValidationError } from './errors.js';
export { compileCatalog, validateCompiledCatalog, validateCatalogRules, templateText } from './catalog.js';
export {
  dayKey,
  nextMidnight,
  msUntilNextDay,
  addDays,
  daysBetween,
  weekdayOf,
  isWeekend,
  isValidTimeZone,
  defaultTimeZoneFor,
} from './day.js';
export type { DayKey } from './day.js';
export { ACTIVITY_TYPES, normalizeActivity, normalizeActivities, starsFor, isPerfect } from './activity.js';
export type { Activity, ActivityInput, ActivityType } from './activity.js';
export {
  applyActivity,
  countersFor,
  emptyDayStats,
  emptyLearnerState,
  learningStreakOn,
  mergeCounters,
  normalizeHostCounters,
} from './stats.js';
export type { DayStats, LearnerState, HostCounters } from './stats.js';
export {
  generateMissions,
  autoMix,
  tierOf,
  eligibleCategories,
  unassignableReason,
  seedFor,
  MIX_SLOTS,
  VETERAN_LESSONS,
} from './generator.js';
export type { GenerateRequest, GenerateResult, LearnerSummary, Tier, DayOutcome, UnassignableReason } from './generator.js';
export { simulateDays, LEARNER_PROFILES, LEARNER_PROFILE_NAMES, MAX_SIMULATED_DAYS } from './simulate.js';
export type { LearnerProfile, LearnerProfileName, SimulationOptions, SimulatedDay, Simulation, TemplateUsage } from './simulate.js';
export { assignMission, evaluateMission, evaluateMissions, describeMission, missionView, earnedXp, allCompleted } from './progress.js';
export {
  emptyMissionStreak,
  recordMissionDay,
  missionStreakOn,
  missionStreakFromDays,
  DAYS_PER_JOKER,
} from './streak.js';
export type { MissionStreak, StreakView, StreakStatus } from './streak.js';
