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
import type { CatalogRules, TemplateRule } from './engine/types.js';
import { awardIdFor, requireActivityId } from './engine/ids.js';
import { evaluateMissions } from './engine/progress.js';
import { countersFor, emptyLearnerState, mergeCounters } from './engine/stats.js';
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
/** 2: activity rows carry activityId and recordedAt, award rows awardId and deliveredAt. Version 1 still imports. */
export const EXPORT_VERSION = 2;
const IMPORTABLE_VERSIONS = [1, 2] as const;

export interface UserExport {
  format: typeof EXPORT_FORMAT;
  version: (typeof IMPORTABLE_VERSIONS)[number];
  exportedAt: number;
  userId: string;
  profile: ProfileRow | null;
  days: DayRow[];
  missions: MissionRow[];
  awards: AwardRow[];
  activity: ActivityRow[];
}

/**
 * The awards a backup carries: those of its own missions. Awards of deleted data stay
 * in the ledger (store.ts) but are no part of a backup. The delivery lease is a
 * moment's bookkeeping, not history.
 */
function exportedAwards(awards: AwardRow[], missions: MissionRow[]): AwardRow[] {
  const own = new Set(missions.map((m) => `${m.day} ${m.templateId}`));
  return awards.filter((a) => own.has(`${a.day} ${a.templateId}`)).map(({ leasedUntil: _lease, ...award }) => award);
}

export async function exportUser(tx: Tx, userId: string, now: number): Promise<UserExport> {
  const missions = await tx.allMissions(userId);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now,
    userId,
    profile: (await tx.getProfile(userId)) ?? null,
    days: await tx.allDays(userId),
    missions,
    awards: exportedAwards(await tx.allAwards(userId), missions),
    activity: await tx.allActivity(userId),
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

/**
 * An imported award is one the backup's own missions earned: a known template, with
 * that template's XP, for a mission of the same day that the backup shows completed.
 * It arrives delivered (it was announced where it was paid), under its own award id.
 */
function awardRow(value: unknown, userId: string, field: string, rules: ImportRules): AwardRow {
  const o = requireObject(value, field);
  const day = requireDayKey(o['day'], `${field}.day`);
  const templateId = requireString(o['templateId'], `${field}.templateId`, 100);
  const template = rules.templates.get(templateId);
  if (!template) throw new ValidationError(`${field}.templateId`, `"${templateId}" is not a template of this catalog`);
  const xp = count(o['xp'], `${field}.xp`);
  if (xp !== template.xp) throw new ValidationError(`${field}.xp`, `must be ${template.xp}, the XP of "${templateId}", got ${xp}`);
  if (!rules.completed.has(`${day} ${templateId}`)) {
    throw new ValidationError(`${field}.templateId`, `no completed (or paid) mission "${templateId}" on ${day} in data.missions earned this award`);
  }
  const awardedAt = instant(o['awardedAt'], `${field}.awardedAt`);
  const deliveredAt = o['deliveredAt'] === undefined ? awardedAt : instant(o['deliveredAt'], `${field}.deliveredAt`);
  return { userId, day, templateId, awardId: awardIdFor(userId, day, templateId), xp, awardedAt, deliveredAt };
}

function activityRow(value: unknown, userId: string, field: string, index: number): ActivityRow {
  const o = requireObject(value, field);
  const { id: _none, ...activity } = normalizeActivity(o['activity'], 0, `${field}.activity`);
  if (!isPlainObject(o['activity']) || o['activity']['at'] === undefined) throw new ValidationError(`${field}.activity.at`, 'is required in an export');
  // A version-1 export has no ids: each row gets one from its place in the backup.
  const activityId = o['activityId'] === undefined ? `import:${index}` : requireActivityId(o['activityId'], `${field}.activityId`);
  const recordedAt = o['recordedAt'] === undefined ? activity.at : instant(o['recordedAt'], `${field}.recordedAt`);
  return { userId, day: requireDayKey(o['day'], `${field}.day`), activityId, activity, recordedAt };
}

/** What an import is checked against: the catalog of the call, and the missions the backup shows completed. */
interface ImportRules {
  templates: Map<string, TemplateRule>;
  /** `${day} ${templateId}` of each mission the backup shows completed or paid. */
  completed: Set<string>;
}

/**
 * Counters of a day may not complete a mission the backup shows open: restored, they
 * would pay XP nobody earned at the next evaluation.
 */
function checkOpenMissions(days: DayRow[], missions: MissionRow[], profile: ProfileRow | null): void {
  const learner = profile?.learner ?? emptyLearnerState();
  days.forEach((day, i) => {
    const open = missions.filter((m) => m.day === day.day && !m.completed);
    if (open.length === 0) return;
    const counters = mergeCounters(countersFor(day.stats, learner), day.host);
    const { newlyCompleted } = evaluateMissions(open, counters, 0);
    if (newlyCompleted.length > 0) {
      throw new ValidationError(`data.days[${i}]`, `its counters complete "${newlyCompleted[0]!.templateId}", which data.missions shows open on ${day.day}`);
    }
  });
}

/** Validates an export in full against `catalog`; rows are re-keyed to `userId`. */
export function validateExport(data: unknown, userId: string, catalog: CatalogRules): Omit<UserExport, 'format' | 'version'> {
  if (!isPlainObject(data)) throw new ValidationError('data', `must be an export object, got ${describe(data)}`);
  if (data['format'] !== EXPORT_FORMAT) throw new ValidationError('data.format', `must be "${EXPORT_FORMAT}"`);
  if (!IMPORTABLE_VERSIONS.includes(data['version'] as 1)) throw new ValidationError('data.version', `must be ${IMPORTABLE_VERSIONS.join(' or ')}`);
  const list = (name: string) => requireArray(data[name], `data.${name}`, 1_000_000);
  const profile = data['profile'] === null ? null : profileRow(data['profile'], userId);
  const days = list('days').map((row, i) => dayRow(row, userId, `data.days[${i}]`));
  const missions = list('missions').map((row, i) => missionRow(row, userId, `data.missions[${i}]`));
  checkOpenMissions(days, missions, profile);
  const rules: ImportRules = {
    templates: new Map(catalog.templates.map((t) => [t.id, t])),
    // Paid but no longer completed: a mission an older version reset after paying it.
    completed: new Set(missions.filter((m) => m.completed || m.xpAwarded).map((m) => `${m.day} ${m.templateId}`)),
  };
  return {
    exportedAt: instant(data['exportedAt'], 'data.exportedAt'),
    userId,
    profile,
    days,
    missions,
    awards: list('awards').map((row, i) => awardRow(row, userId, `data.awards[${i}]`, rules)),
    activity: uniqueIds(list('activity').map((row, i) => activityRow(row, userId, `data.activity[${i}]`, i))),
  };
}

/** A backup holds each activity id once (it is the activity's key). */
function uniqueIds(rows: ActivityRow[]): ActivityRow[] {
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (seen.has(row.activityId)) throw new ValidationError(`data.activity[${i}].activityId`, `"${row.activityId}" appears twice`);
    seen.add(row.activityId);
  });
  return rows;
}

/**
 * Writes a validated export for `options.userId` (default: the export's own user). A
 * user who already has data is refused unless `replace` is set; then the old data is
 * deleted and the new written in the same transaction.
 */
/** Rows written per step of an import; progress is reported after each step. */
const IMPORT_STEP = 2_000;

export interface ImportOptions {
  replace: boolean;
  userId?: string;
  catalog: CatalogRules;
  /** Told after each step of rows written; not awaited (the transaction must not wait on it). */
  onProgress?: (progress: { written: number; total: number }) => void;
}

export async function importUser(tx: Tx, data: unknown, options: ImportOptions): Promise<void> {
  const owner = options.userId ?? (isPlainObject(data) && typeof data['userId'] === 'string' ? data['userId'] : '');
  const valid = validateExport(data, requireString(owner, 'userId'), options.catalog);
  const hasData = (await tx.getProfile(valid.userId)) !== undefined || (await tx.allDays(valid.userId)).length > 0;
  if (hasData && !options.replace) {
    throw new ValidationError('replace', 'this user already has data; pass replace: true to overwrite it with the backup');
  }
  // deleteUser keeps the award rows, and addAward never overwrites one: an award paid
  // before the restore stays paid, so redoing the lesson cannot pay it again.
  if (hasData) await tx.deleteUser(valid.userId);
  if (valid.profile) await tx.putProfile(valid.profile);
  const writes: (() => Promise<unknown>)[] = [
    ...valid.days.map((row) => () => tx.putDay(row)),
    ...valid.missions.map((row) => () => tx.putMission(row)),
    ...valid.awards.map((row) => () => tx.addAward(row)),
    ...valid.activity.map((row) => () => tx.addActivity(row)),
  ];
  // Requests of a step go out together (the keys are unique, checked above), which is
  // several times faster than one round trip per row for a five-year backup.
  for (let done = 0; done < writes.length; ) {
    const step = writes.slice(done, done + IMPORT_STEP);
    await Promise.all(step.map((write) => write()));
    done += step.length;
    options.onProgress?.({ written: done, total: writes.length });
  }
}
