/**
 * Export and import of one user's data as plain JSON: a backup a host can offer as a
 * download and restore later. Import validates everything before writing anything,
 * and never merges two histories: it fills an empty user, or replaces one on request.
 */
import { normalizeActivity } from './engine/activity.js';
import { requireDayKey } from './engine/day.js';
import { ValidationError } from './engine/errors.js';
import type { DayStats, LearnerState } from './engine/stats.js';
import type { MissionStreak } from './engine/streak.js';
import { CONCRETE_MIXES } from './engine/generator.js';
import { CATEGORIES, CHECK_NAMES, DIFFICULTIES } from './engine/types.js';
import {
  describe,
  isPlainObject,
  requireArray,
  requireBoolean,
  requireInteger,
  requireObject,
  requireOneOf,
  requireString,
  requireStringArray,
} from './engine/validate.js';
import { normalizeHostCounters } from './engine/stats.js';
import { defaultPreferences, normalizePreferences } from './preferences.js';
import type { ActivityRow, AwardRow, DayRow, MissionRow, ProfileRow } from './store/rows.js';
import type { Tx } from './store/store.js';

export const EXPORT_FORMAT = 'daily-missions-export';
export const EXPORT_VERSION = 1;

export interface UserExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: number;
  userId: string;
  profile: ProfileRow | null;
  days: DayRow[];
  missions: MissionRow[];
  awards: AwardRow[];
  activity: ActivityRow[];
}

export async function exportUser(tx: Tx, userId: string, now: number): Promise<UserExport> {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now,
    userId,
    profile: (await tx.getProfile(userId)) ?? null,
    days: await tx.allDays(userId),
    missions: await tx.allMissions(userId),
    awards: await tx.allAwards(userId),
    activity: (await tx.allActivity(userId)).map(({ userId: owner, day, activity }) => ({ userId: owner, day, activity })),
  };
}

const count = (value: unknown, field: string) => requireInteger(value, field, 0);
const instant = (value: unknown, field: string) => requireInteger(value, field, 0, 253_402_300_799_999);

function dayStats(value: unknown, field: string): DayStats {
  const o = requireObject(value, field);
  return {
    day: requireDayKey(o['day'], `${field}.day`),
    lessonsCompleted: count(o['lessonsCompleted'], `${field}.lessonsCompleted`),
    lessonsMin2Stars: count(o['lessonsMin2Stars'], `${field}.lessonsMin2Stars`),
    lessonsMin3Stars: count(o['lessonsMin3Stars'], `${field}.lessonsMin3Stars`),
    perfectLessons: count(o['perfectLessons'], `${field}.perfectLessons`),
    newSets: requireStringArray(o['newSets'], `${field}.newSets`),
    seconds: requireInteger(Math.round(Number(o['seconds'])), `${field}.seconds`, 0),
    elementsReviewed: requireStringArray(o['elementsReviewed'], `${field}.elementsReviewed`),
    elementsMastered: requireStringArray(o['elementsMastered'], `${field}.elementsMastered`),
    reviewSessions: count(o['reviewSessions'], `${field}.reviewSessions`),
    overdueCleared: requireBoolean(o['overdueCleared'], `${field}.overdueCleared`),
    adaptiveLessonsStarted: count(o['adaptiveLessonsStarted'], `${field}.adaptiveLessonsStarted`),
    clozeExercises: count(o['clozeExercises'], `${field}.clozeExercises`),
    exerciseTypes: requireStringArray(o['exerciseTypes'], `${field}.exerciseTypes`),
    activityCount: count(o['activityCount'], `${field}.activityCount`),
  };
}

const optionalDay = (value: unknown, field: string) => (value === null ? null : requireDayKey(value, field));

function learnerState(value: unknown, field: string): LearnerState {
  const o = requireObject(value, field);
  return {
    lessonsCompleted: count(o['lessonsCompleted'], `${field}.lessonsCompleted`),
    setsStarted: requireStringArray(o['setsStarted'], `${field}.setsStarted`),
    openMistakes: requireStringArray(o['openMistakes'], `${field}.openMistakes`),
    streakStart: optionalDay(o['streakStart'], `${field}.streakStart`),
    streakEnd: optionalDay(o['streakEnd'], `${field}.streakEnd`),
  };
}

function missionStreak(value: unknown, field: string): MissionStreak {
  const o = requireObject(value, field);
  return {
    lastDay: optionalDay(o['lastDay'], `${field}.lastDay`),
    days: count(o['days'], `${field}.days`),
    jokers: requireInteger(o['jokers'], `${field}.jokers`, 0, 1),
    towardJoker: count(o['towardJoker'], `${field}.towardJoker`),
    bridged: requireArray(o['bridged'], `${field}.bridged`).map((d, i) => requireDayKey(d, `${field}.bridged[${i}]`)),
  };
}

function profileRow(value: unknown, userId: string): ProfileRow {
  const o = requireObject(value, 'data.profile');
  return {
    userId,
    learner: learnerState(o['learner'], 'data.profile.learner'),
    missionStreak: missionStreak(o['missionStreak'], 'data.profile.missionStreak'),
    preferences: { ...defaultPreferences(), ...normalizePreferences(o['preferences'], 'data.profile.preferences') },
    createdAt: instant(o['createdAt'], 'data.profile.createdAt'),
    lifetimeXp: count(o['lifetimeXp'], 'data.profile.lifetimeXp'),
  };
}

function dayRow(value: unknown, userId: string, field: string): DayRow {
  const o = requireObject(value, field);
  const day = requireDayKey(o['day'], `${field}.day`);
  const row: DayRow = {
    userId,
    day,
    stats: dayStats(o['stats'], `${field}.stats`),
    rerolls: count(o['rerolls'], `${field}.rerolls`),
    assignedCount: count(o['assignedCount'], `${field}.assignedCount`),
    completedCount: count(o['completedCount'], `${field}.completedCount`),
  };
  if (o['host'] !== undefined) row.host = normalizeHostCounters(o['host'], `${field}.host`);
  if (o['mix'] !== undefined) row.mix = requireOneOf(o['mix'], `${field}.mix`, CONCRETE_MIXES);
  if (o['assignedAt'] !== undefined) row.assignedAt = instant(o['assignedAt'], `${field}.assignedAt`);
  return row;
}

function missionRow(value: unknown, userId: string, field: string): MissionRow {
  const o = requireObject(value, field);
  const target = requireInteger(o['target'], `${field}.target`, 1);
  const row: MissionRow = {
    userId,
    day: requireDayKey(o['day'], `${field}.day`),
    templateId: requireString(o['templateId'], `${field}.templateId`, 100),
    category: requireOneOf(o['category'], `${field}.category`, CATEGORIES),
    difficulty: requireOneOf(o['difficulty'], `${field}.difficulty`, DIFFICULTIES),
    check: requireOneOf(o['check'], `${field}.check`, CHECK_NAMES),
    icon: requireString(o['icon'], `${field}.icon`, 64),
    target,
    xp: count(o['xp'], `${field}.xp`),
    current: requireInteger(o['current'], `${field}.current`, 0, target),
    completed: requireBoolean(o['completed'], `${field}.completed`),
    slot: requireInteger(o['slot'], `${field}.slot`, 0, 10),
    reroll: count(o['reroll'], `${field}.reroll`),
    assignedAt: instant(o['assignedAt'], `${field}.assignedAt`),
    xpAwarded: requireBoolean(o['xpAwarded'], `${field}.xpAwarded`),
    celebrated: requireBoolean(o['celebrated'], `${field}.celebrated`),
  };
  if (o['completedAt'] !== undefined) row.completedAt = instant(o['completedAt'], `${field}.completedAt`);
  return row;
}

function awardRow(value: unknown, userId: string, field: string): AwardRow {
  const o = requireObject(value, field);
  return {
    userId,
    day: requireDayKey(o['day'], `${field}.day`),
    templateId: requireString(o['templateId'], `${field}.templateId`, 100),
    xp: count(o['xp'], `${field}.xp`),
    awardedAt: instant(o['awardedAt'], `${field}.awardedAt`),
  };
}

function activityRow(value: unknown, userId: string, field: string): ActivityRow {
  const o = requireObject(value, field);
  const activity = normalizeActivity(o['activity'], 0, `${field}.activity`);
  if (!isPlainObject(o['activity']) || o['activity']['at'] === undefined) throw new ValidationError(`${field}.activity.at`, 'is required in an export');
  return { userId, day: requireDayKey(o['day'], `${field}.day`), activity };
}

/** Validates an export in full; rows are re-keyed to `userId`. */
export function validateExport(data: unknown, userId: string): Omit<UserExport, 'format' | 'version'> {
  if (!isPlainObject(data)) throw new ValidationError('data', `must be an export object, got ${describe(data)}`);
  if (data['format'] !== EXPORT_FORMAT) throw new ValidationError('data.format', `must be "${EXPORT_FORMAT}"`);
  if (data['version'] !== EXPORT_VERSION) throw new ValidationError('data.version', `must be ${EXPORT_VERSION}`);
  const list = (name: string) => requireArray(data[name], `data.${name}`, 1_000_000);
  return {
    exportedAt: instant(data['exportedAt'], 'data.exportedAt'),
    userId,
    profile: data['profile'] === null ? null : profileRow(data['profile'], userId),
    days: list('days').map((row, i) => dayRow(row, userId, `data.days[${i}]`)),
    missions: list('missions').map((row, i) => missionRow(row, userId, `data.missions[${i}]`)),
    awards: list('awards').map((row, i) => awardRow(row, userId, `data.awards[${i}]`)),
    activity: list('activity').map((row, i) => activityRow(row, userId, `data.activity[${i}]`)),
  };
}

/**
 * Writes a validated export for `options.userId` (default: the export's own user). A
 * user who already has data is refused unless `replace` is set; then the old data is
 * deleted and the new written in the same transaction.
 */
export async function importUser(tx: Tx, data: unknown, options: { replace: boolean; userId?: string }): Promise<void> {
  const owner = options.userId ?? (isPlainObject(data) && typeof data['userId'] === 'string' ? data['userId'] : '');
  const valid = validateExport(data, requireString(owner, 'userId'));
  const hasData = (await tx.getProfile(valid.userId)) !== undefined || (await tx.allDays(valid.userId)).length > 0;
  if (hasData && !options.replace) {
    throw new ValidationError('replace', 'this user already has data; pass replace: true to overwrite it with the backup');
  }
  if (hasData) await tx.deleteUser(valid.userId);
  if (valid.profile) await tx.putProfile(valid.profile);
  for (const row of valid.days) await tx.putDay(row);
  for (const row of valid.missions) await tx.putMission(row);
  for (const row of valid.awards) await tx.addAward(row);
  for (const row of valid.activity) await tx.addActivity(row);
}
