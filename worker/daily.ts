/**
 * The daily flow: assignment, recording, reroll, host stats, celebrations. Each
 * function runs inside one store transaction and touches storage only through `Tx`
 * (IndexedDB requests in the real store), calling the pure engine in between, so
 * assignment and award are each atomic: two tabs asking at the same moment get one
 * set of rows, and a mission is paid once.
 */
import type { Activity } from './engine/activity.js';
import type { DayKey } from './engine/day.js';
import { addDays, dayKey, nextMidnight } from './engine/day.js';
import { selectMissions } from './engine/generator.js';
import { assignMission, evaluateMissions } from './engine/progress.js';
import type { HostCounters } from './engine/stats.js';
import { applyActivity, countersFor, emptyDayStats, emptyLearnerState, mergeCounters } from './engine/stats.js';
import type { StreakView } from './engine/streak.js';
import { emptyMissionStreak, missionStreakOn, recordMissionDay } from './engine/streak.js';
import type { CatalogRules, ConcreteMix, Counters, MissionState } from './engine/types.js';
import { AUTO_MIX_LOOKBACK_DAYS, AUTO_MIX_WINDOW } from './constants.js';
import { defaultPreferences } from './preferences.js';
import { awardIdFor } from './engine/ids.js';
import type { AwardRow, DayRow, MissionRow, Preferences, ProfileRow } from './store/rows.js';
import type { Tx } from './store/store.js';

/** Who and when: every call carries the caller's clock and zone (the worker reads no clock). */
export interface CallContext {
  userId: string;
  now: number;
  timeZone: string;
  /** Preferences given with the call; they override the stored ones for this call. */
  overrides: Partial<Preferences>;
  catalog: CatalogRules;
  /**
   * The caller celebrates what this call completes today (a widget recording): those
   * missions are marked celebrated in the same transaction, so no other widget's claim
   * can take them between the write and the caller's celebration.
   */
  celebrate?: boolean;
}

export interface DayState {
  day: DayKey;
  enabled: boolean;
  missions: MissionRow[];
  mix: ConcreteMix | null;
  rerollsLeft: number;
  nextDayAt: number;
  streak: StreakView;
  preferences: Preferences;
}

export function newProfile(userId: string, now: number): ProfileRow {
  return { userId, learner: emptyLearnerState(), missionStreak: emptyMissionStreak(), preferences: defaultPreferences(), createdAt: now, lifetimeXp: 0 };
}

function newDay(userId: string, day: DayKey): DayRow {
  return { userId, day, stats: emptyDayStats(day), rerolls: 0, assignedCount: 0, completedCount: 0 };
}

/** Stored preferences with this call's overrides on top. */
export function effectivePreferences(profile: ProfileRow, ctx: CallContext): Preferences {
  return { ...defaultPreferences(), ...profile.preferences, ...ctx.overrides };
}

/** The zone of this call: the user's stored zone preference, else the caller's. */
function zoneOf(prefs: Preferences, ctx: CallContext): string {
  return prefs.timeZone || ctx.timeZone;
}

function todayOf(prefs: Preferences, ctx: CallContext): DayKey {
  return dayKey(ctx.now, zoneOf(prefs, ctx));
}

function dayCounters(dayRow: DayRow, profile: ProfileRow) {
  return mergeCounters(countersFor(dayRow.stats, profile.learner), dayRow.host);
}

/** The missions of `day`, assigning them first if the day has none (only ever once per day). */
async function ensureAssigned(tx: Tx, ctx: CallContext, profile: ProfileRow, prefs: Preferences, day: DayKey): Promise<{ dayRow: DayRow; missions: MissionRow[] }> {
  const existing = await tx.getMissions(ctx.userId, day);
  const dayRow = (await tx.getDay(ctx.userId, day)) ?? newDay(ctx.userId, day);
  if (existing.length > 0 || dayRow.assignedAt !== undefined) return { dayRow, missions: existing };

  const basis = await selectionBasis(tx, ctx, profile, prefs, day, dayCounters(dayRow, profile));
  // Only `auto` looks back; it reads at most the window's days.
  const recent = prefs.mix === 'auto' ? (await tx.recentDays(ctx.userId, day, AUTO_MIX_WINDOW, addDays(day, -AUTO_MIX_LOOKBACK_DAYS))).reverse() : [];
  const result = selectMissions(ctx.catalog, {
    ...basis,
    reroll: 0,
    recentDays: recent.map((d) => ({ assigned: d.assignedCount, completed: d.completedCount })),
  });
  const missions = result.templates.map((template, slot) => toRow(ctx, day, slot, 0, assignMission(template)));
  const evaluated = evaluateMissions(missions, basis.counters, ctx.now).missions as MissionRow[];
  for (const row of evaluated) await tx.putMission(row);
  const assigned: DayRow = { ...dayRow, mix: result.mix, assignedAt: ctx.now, assignedCount: evaluated.length, completedCount: 0 };
  await tx.putDay(assigned);
  return { dayRow: assigned, missions: evaluated };
}

/**
 * What selection needs about this learner and day, shared by the day's first pick and
 * by rerolls (which differ in the reroll number and in what they keep or replace).
 */
async function selectionBasis(tx: Tx, ctx: CallContext, profile: ProfileRow, prefs: Preferences, day: DayKey, counters: Counters) {
  return {
    userId: ctx.userId,
    day,
    mix: prefs.mix,
    count: prefs.count,
    tracks: prefs.tracks,
    learner: { lessonsCompleted: profile.learner.lessonsCompleted, openMistakes: profile.learner.openMistakes.length },
    counters,
    yesterday: (await tx.getMissions(ctx.userId, addDays(day, -1))).map((m) => m.templateId),
  };
}

/** The day's completion, when this call's awards finished every mission of `day`. */
function dayFinished(day: DayKey, awarded: readonly MissionRow[], missions: readonly MissionRow[]): { day: DayKey; xp: number } | null {
  const finished = awarded.some((m) => m.day === day) && missions.length > 0 && missions.every((m) => m.completed);
  return finished ? { day, xp: missions.reduce((sum, m) => sum + m.xp, 0) } : null;
}

function toRow(ctx: CallContext, day: DayKey, slot: number, reroll: number, mission: MissionState): MissionRow {
  return { ...mission, userId: ctx.userId, day, slot, reroll, assignedAt: ctx.now, xpAwarded: false, celebrated: false };
}

function dayState(ctx: CallContext, profile: ProfileRow, prefs: Preferences, day: DayKey, dayRow: DayRow | undefined, missions: MissionRow[]): DayState {
  return {
    day,
    enabled: prefs.enabled,
    missions,
    mix: dayRow?.mix ?? null,
    rerollsLeft: Math.max(0, prefs.rerollsPerDay - (dayRow?.rerolls ?? 0)),
    nextDayAt: nextMidnight(ctx.now, zoneOf(prefs, ctx)),
    streak: missionStreakOn(profile.missionStreak, day),
    preferences: prefs,
  };
}

async function loadProfile(tx: Tx, ctx: CallContext): Promise<ProfileRow> {
  return (await tx.getProfile(ctx.userId)) ?? newProfile(ctx.userId, ctx.now);
}

/**
 * Today's missions when they are already assigned, from a read-only transaction (the
 * common, warm case: cheaper than a read-write one and never blocked by another tab's
 * writes); null when today still needs its assignment.
 */
export async function readDaily(tx: Tx, ctx: CallContext): Promise<DayState | null> {
  // All three reads go out at once, for the day in the caller's zone; a stored zone
  // preference that names another day costs a second round (rare).
  const guess = dayKey(ctx.now, ctx.overrides.timeZone || ctx.timeZone);
  const [profile, guessedRow, guessedMissions] = await Promise.all([
    tx.getProfile(ctx.userId),
    tx.getDay(ctx.userId, guess),
    tx.getMissions(ctx.userId, guess),
  ]);
  if (!profile) return null;
  const prefs = effectivePreferences(profile, ctx);
  const day = todayOf(prefs, ctx);
  if (!prefs.enabled) return dayState(ctx, profile, prefs, day, undefined, []);
  const [dayRow, missions] =
    day === guess ? [guessedRow, guessedMissions] : await Promise.all([tx.getDay(ctx.userId, day), tx.getMissions(ctx.userId, day)]);
  if (missions.length === 0 && dayRow?.assignedAt === undefined) return null;
  return dayState(ctx, profile, prefs, day, dayRow, missions);
}

/** Today's missions, assigned if needed. A disabled user gets none and nothing is written. */
export async function getDaily(tx: Tx, ctx: CallContext): Promise<DayState> {
  const profile = await loadProfile(tx, ctx);
  const prefs = effectivePreferences(profile, ctx);
  const day = todayOf(prefs, ctx);
  if (!prefs.enabled) return dayState(ctx, profile, prefs, day, undefined, []);
  const { dayRow, missions } = await ensureAssigned(tx, ctx, profile, prefs, day);
  if (!(await tx.getProfile(ctx.userId))) await tx.putProfile(profile);
  return dayState(ctx, profile, prefs, day, dayRow, missions);
}

/**
 * Re-evaluates `missions` of `day` and awards the newly completed ones. The award row
 * is added with a unique key in this same transaction; a mission counts as newly
 * completed here only if this transaction wrote its award.
 */
async function evaluateAndAward(tx: Tx, ctx: CallContext, profile: ProfileRow, dayRow: DayRow, missions: MissionRow[], today: DayKey): Promise<{ missions: MissionRow[]; awarded: MissionRow[]; dayRow: DayRow }> {
  if (missions.length === 0) return { missions, awarded: [], dayRow };
  // Only today's: a back-dated activity completing an earlier day is not celebrated today.
  const celebrated = ctx.celebrate === true && dayRow.day === today;
  const { missions: evaluated, newlyCompleted } = evaluateMissions(missions, dayCounters(dayRow, profile), ctx.now);
  const awarded: MissionRow[] = [];
  const rows = evaluated as MissionRow[];
  for (const mission of newlyCompleted as MissionRow[]) {
    const paid = await tx.addAward(awardOf(ctx, mission));
    if (!paid) continue;
    mission.xpAwarded = true;
    if (celebrated) mission.celebrated = true;
    profile.lifetimeXp += mission.xp;
    awarded.push(mission);
  }
  for (let i = 0; i < rows.length; i += 1) if (rows[i] !== missions[i]) await tx.putMission(rows[i]!);
  const completedCount = rows.filter((m) => m.completed).length;
  if (awarded.length > 0) profile.missionStreak = recordMissionDay(profile.missionStreak, dayRow.day);
  const updated = { ...dayRow, completedCount };
  return { missions: rows, awarded, dayRow: updated };
}

/**
 * How long the call that paid an award (or a redelivery that claimed it) has to
 * announce it and record the delivery before another tab may announce it instead.
 */
export const DELIVERY_LEASE_MS = 20_000;

/** The award row for `mission`, completed by this call: undelivered, leased to this call. */
export function awardOf(ctx: CallContext, mission: MissionRow): AwardRow {
  return {
    userId: ctx.userId,
    day: mission.day,
    templateId: mission.templateId,
    awardId: awardIdFor(ctx.userId, mission.day, mission.templateId),
    xp: mission.xp,
    awardedAt: ctx.now,
    leasedUntil: ctx.now + DELIVERY_LEASE_MS,
  };
}

/** Whether an undelivered award may be announced now: its lease (if any) has run out. */
export const isFree = (award: AwardRow, now: number): boolean => (award.leasedUntil ?? 0) <= now;

/**
 * The user's undelivered awards nobody is delivering right now, leased to this call
 * for DELIVERY_LEASE_MS (two tabs starting at once never announce the same award),
 * each with its mission row when that still exists (for the event's `mission`).
 */
export async function claimUndelivered(tx: Tx, ctx: CallContext): Promise<{ award: AwardRow; mission: MissionRow | null }[]> {
  const free = (await tx.undeliveredAwards(ctx.userId)).filter((row) => isFree(row, ctx.now));
  if (free.length === 0) return [];
  const until = ctx.now + DELIVERY_LEASE_MS;
  await tx.leaseAwards(ctx.userId, free.map((row) => row.awardId), until);
  const missionsByDay = new Map<DayKey, MissionRow[]>();
  for (const award of free) if (!missionsByDay.has(award.day)) missionsByDay.set(award.day, await tx.getMissions(ctx.userId, award.day));
  return free.map((award) => ({
    award: { ...award, leasedUntil: until },
    mission: missionsByDay.get(award.day)!.find((m) => m.templateId === award.templateId) ?? null,
  }));
}

/** An activity with its id, as record() stores it. */
export type IdentifiedActivity = Activity & { id: string };

export interface RecordOutcome {
  state: DayState;
  /** Missions whose award this call wrote. */
  completed: MissionRow[];
  /** Ids of this call's activities that were already stored (a retry): not counted again. */
  alreadyRecorded: string[];
  /** Set when this call completed the last open mission of today. */
  allCompleted: { day: DayKey; xp: number } | null;
}

/**
 * Records a validated batch: assigns today first if needed (so the morning's lessons
 * count), folds each activity into the stats of its own local day, logs it, then
 * evaluates and awards every affected day that has missions.
 */
export async function recordActivities(tx: Tx, ctx: CallContext, activities: IdentifiedActivity[]): Promise<RecordOutcome> {
  const profile = await loadProfile(tx, ctx);
  const prefs = effectivePreferences(profile, ctx);
  const today = todayOf(prefs, ctx);
  if (!prefs.enabled) return { state: dayState(ctx, profile, prefs, today, undefined, []), completed: [], alreadyRecorded: [], allCompleted: null };

  const assignedToday = await ensureAssigned(tx, ctx, profile, prefs, today);
  const days = new Map<DayKey, DayRow>([[today, assignedToday.dayRow]]);
  const zone = zoneOf(prefs, ctx);
  const alreadyRecorded: string[] = [];
  for (const { id, ...activity } of activities) {
    const day = dayKey(activity.at, zone);
    // Folded only when stored now: the same id retried (a timeout, a restarted worker) counts once.
    if (!(await tx.addActivity({ userId: ctx.userId, day, activityId: id, activity, recordedAt: ctx.now }))) {
      alreadyRecorded.push(id);
      continue;
    }
    const dayRow = days.get(day) ?? (await tx.getDay(ctx.userId, day)) ?? newDay(ctx.userId, day);
    const folded = applyActivity(dayRow.stats, profile.learner, activity);
    profile.learner = folded.learner;
    days.set(day, { ...dayRow, stats: folded.day });
  }

  const completed: MissionRow[] = [];
  let todayMissions = assignedToday.missions;
  let todayRow = assignedToday.dayRow;
  for (const [day, dayRow] of days) {
    const missions = day === today ? assignedToday.missions : await tx.getMissions(ctx.userId, day);
    const result = await evaluateAndAward(tx, ctx, profile, dayRow, missions, today);
    completed.push(...result.awarded);
    await tx.putDay(result.dayRow);
    if (day === today) {
      todayMissions = result.missions;
      todayRow = result.dayRow;
    }
  }
  await tx.putProfile(profile);

  return {
    state: dayState(ctx, profile, prefs, today, todayRow, todayMissions),
    completed,
    alreadyRecorded,
    allCompleted: dayFinished(today, completed, todayMissions),
  };
}

/** Host-provided counters for today (docs/architecture.md §5.7), evaluated exactly like recorded activity. */
export async function pushStats(tx: Tx, ctx: CallContext, counters: HostCounters): Promise<RecordOutcome> {
  const profile = await loadProfile(tx, ctx);
  const prefs = effectivePreferences(profile, ctx);
  const today = todayOf(prefs, ctx);
  if (!prefs.enabled) return { state: dayState(ctx, profile, prefs, today, undefined, []), completed: [], alreadyRecorded: [], allCompleted: null };
  const { dayRow, missions } = await ensureAssigned(tx, ctx, profile, prefs, today);
  const withHost: DayRow = { ...dayRow, host: { ...dayRow.host, ...counters } };
  const result = await evaluateAndAward(tx, ctx, profile, withHost, missions, today);
  await tx.putDay(result.dayRow);
  await tx.putProfile(profile);
  return {
    state: dayState(ctx, profile, prefs, today, result.dayRow, result.missions),
    completed: result.awarded,
    alreadyRecorded: [],
    allCompleted: dayFinished(today, result.awarded, result.missions),
  };
}

export type RerollRefusal = 'disabled' | 'limit-reached' | 'nothing-to-reroll';

/**
 * Replaces today's unfinished missions with a fresh pick (docs/architecture.md §5.6). Completed
 * missions stay with their XP; the reroll number enters the seed, so the same
 * missions do not simply come back; awards are keyed per template, so nothing is
 * ever paid twice. Count and difficulty changes take effect here or tomorrow.
 */
export async function reroll(tx: Tx, ctx: CallContext): Promise<{ state: DayState; refused: RerollRefusal | null }> {
  const profile = await loadProfile(tx, ctx);
  const prefs = effectivePreferences(profile, ctx);
  const today = todayOf(prefs, ctx);
  if (!prefs.enabled) return { state: dayState(ctx, profile, prefs, today, undefined, []), refused: 'disabled' };
  const { dayRow, missions } = await ensureAssigned(tx, ctx, profile, prefs, today);
  const refuse = (refused: RerollRefusal) => ({ state: dayState(ctx, profile, prefs, today, dayRow, missions), refused });
  if (dayRow.rerolls >= prefs.rerollsPerDay) return refuse('limit-reached');
  const kept = missions.filter((m) => m.completed);
  const replaced = missions.filter((m) => !m.completed);
  if (replaced.length === 0 && kept.length >= prefs.count) return refuse('nothing-to-reroll');

  const number = dayRow.rerolls + 1;
  const basis = await selectionBasis(tx, ctx, profile, prefs, today, dayCounters(dayRow, profile));
  const result = selectMissions(ctx.catalog, {
    ...basis,
    reroll: number,
    keep: kept.map((m) => m.templateId),
    replace: replaced.map((m) => m.templateId),
  });
  for (const mission of replaced) await tx.deleteMission(ctx.userId, today, mission.templateId);
  const keptRows = kept.map((m, slot) => ({ ...m, slot }));
  const fresh = result.templates.map((template, i) => toRow(ctx, today, keptRows.length + i, number, assignMission(template)));
  const evaluated = evaluateMissions(fresh, basis.counters, ctx.now).missions as MissionRow[];
  const all = [...keptRows, ...evaluated];
  for (const row of all) await tx.putMission(row);
  const updated: DayRow = { ...dayRow, rerolls: number, mix: result.mix, assignedCount: all.length, completedCount: kept.length };
  await tx.putDay(updated);
  return { state: dayState(ctx, profile, prefs, today, updated, all), refused: null };
}

/**
 * Marks today's completed, not yet celebrated missions as celebrated and returns them.
 * Whoever claims them celebrates; a second claim gets nothing.
 */
export async function claimCelebrations(tx: Tx, ctx: CallContext, templateIds?: string[]): Promise<MissionRow[]> {
  const profile = await loadProfile(tx, ctx);
  const prefs = effectivePreferences(profile, ctx);
  const today = todayOf(prefs, ctx);
  const missions = await tx.getMissions(ctx.userId, today);
  const claimed = missions.filter((m) => m.completed && !m.celebrated && (!templateIds || templateIds.includes(m.templateId)));
  for (const mission of claimed) await tx.putMission({ ...mission, celebrated: true });
  return claimed.map((m) => ({ ...m, celebrated: true }));
}

/** The stored preferences (defaults for a learner with none), without this call's overrides. */
export async function getPreferences(tx: Tx, ctx: CallContext): Promise<Preferences> {
  return effectivePreferences(await loadProfile(tx, ctx), { ...ctx, overrides: {} });
}

export async function setPreferences(tx: Tx, ctx: CallContext, changes: Partial<Preferences>): Promise<Preferences> {
  const profile = await loadProfile(tx, ctx);
  profile.preferences = { ...defaultPreferences(), ...profile.preferences, ...changes };
  await tx.putProfile(profile);
  return profile.preferences;
}

export interface HistoryDay {
  day: DayKey;
  assigned: number;
  completed: number;
  xp: number;
  templateIds: string[];
}

/** The days with missions among the last `limit` calendar days (today included), newest first, with the mission streak as of today. */
export async function history(tx: Tx, ctx: CallContext, limit: number): Promise<{ days: HistoryDay[]; streak: StreakView; lifetimeXp: number }> {
  const profile = await loadProfile(tx, ctx);
  const prefs = effectivePreferences(profile, ctx);
  const today = todayOf(prefs, ctx);
  const dayRows = await tx.recentDays(ctx.userId, addDays(today, 1), limit, addDays(today, 1 - limit));
  const days: HistoryDay[] = [];
  for (const row of dayRows) {
    const missions = await tx.getMissions(ctx.userId, row.day);
    days.push({
      day: row.day,
      assigned: missions.length,
      completed: missions.filter((m) => m.completed).length,
      xp: missions.reduce((sum, m) => sum + (m.xpAwarded ? m.xp : 0), 0),
      templateIds: missions.map((m) => m.templateId),
    });
  }
  return { days, streak: missionStreakOn(profile.missionStreak, today), lifetimeXp: profile.lifetimeXp };
}
