/**
 * Server mode in the worker (docs/architecture.md §11): the widget's data lives on a
 * daily-missions server, and this module is the one place that talks to it. Loaded on
 * the first server-mode call only (worker/api.ts imports it lazily), so local mode never
 * carries it.
 *
 * Offline first:
 * - today's view, as the server last sent it, is kept in IndexedDB: the widget renders
 *   at once on the next load, and offline;
 * - recorded activities go into an outbox in IndexedDB first, each with its id, and are
 *   sent in order whenever a call finds the server again (the server stores each id
 *   once, so a resend after a lost answer is harmless);
 * - while activities wait, the view is a local guess (their progress folded into the
 *   cached view), marked as not confirmed; awards come only from the server's answers.
 *
 * Awards the server wrote wait in an inbox until a call hands them to the main thread
 * (taken out in one transaction, so each is announced once by one page), and their ids
 * are remembered, so an award seen twice (a resend, a claim) is not announced again here.
 */
import { openDB } from 'idb';
import { announcer, openChangeChannel } from './channel.js';
import type { DBSchema, IDBPDatabase } from 'idb';
import type { Activity } from './engine/activity.js';
import { normalizeActivities } from './engine/activity.js';
import { requireActivityId } from './engine/ids.js';
import { dayKey, nextMidnight } from './engine/day.js';
import { awardIdFor } from './engine/ids.js';
import { applyActivity, countersFor, emptyDayStats, emptyLearnerState } from './engine/stats.js';
import type { Counters } from './engine/types.js';
import type { DailyView, MissionData } from './api/types.js';
import { defaultPreferences } from './preferences.js';

/** The day as the server answers it: the worker API's view without the local storage status. */
type DayView = Omit<DailyView, 'status'>;

/** One server-mode call from the main thread. */
export interface ServerCall {
  /** The server's base URL (the element's `server` attribute). */
  server: string;
  /** The element's `user-id`: only a label for the cache (the server decides who the learner is). */
  label: string;
  /** A bearer token from the host's getToken, or null (cookies only). */
  token: string | null;
  timeZone: string;
  count?: number;
  mix?: string;
  /** Activities to record, with their ids (the client gives each one); checked here before queueing. */
  activities?: unknown;
  /** The caller celebrates what this call completes today (a widget recording): claimed before other widgets hear of the change. */
  celebrate?: boolean;
  /** Milliseconds one HTTP request may take before it counts as failed (default 8000). */
  requestTimeoutMs?: number;
}

/** An award the server wrote, as the element announces it. */
export interface ServerAward {
  awardId: string;
  userId: string;
  day: string;
  templateId: string;
  xp: number;
  mission: MissionData;
  /** true when it came from a claim after an uncertain send, not from the answer that wrote it. */
  redelivery: boolean;
}

export interface ServerAnswer {
  /**
   * The view to show: the server's, or the cached one with queued progress guessed in,
   * or (nothing cached yet) a day without missions, not confirmed.
   */
  daily: DayView & { confirmed: boolean; pending: number };
  /** Awards to announce now (each handed out once). */
  awards: ServerAward[];
  /** Set when the day's last mission was completed by what this call sent. */
  allCompleted: { day: string; xp: number } | null;
  /** Activities the server refused for good (a 4xx naming them): which and why. */
  rejected: { id: string; message: string }[];
  /** Why the server could not be used: its missions are the cached ones. */
  problem: { code: 'server-unavailable' | 'unauthenticated'; message: string } | null;
}

interface QueuedActivity {
  key?: number;
  scope: string;
  activity: Activity & { id: string };
  /** How many times it went out without a clear answer. */
  attempts: number;
}

interface ServerDb extends DBSchema {
  views: { key: string; value: { scope: string; view: DayView } };
  outbox: { key: number; value: QueuedActivity; indexes: { scope: string } };
  inbox: { key: string; value: ServerAward & { scope: string } };
  announced: { key: string; value: { awardId: string; at: number } };
}

const DB_NAME = 'daily-missions-server';
/** The server accepts up to 1000 activities per request; smaller batches answer sooner. */
const BATCH = 100;
const DEFAULT_REQUEST_TIMEOUT_MS = 8_000;

/** Same-browser tabs showing this learner hear of what was sent here at once, as in local mode. */
const announce = announcer(openChangeChannel());

let opened: Promise<IDBPDatabase<ServerDb>> | null = null;
const database = () =>
  (opened ??= openDB<ServerDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('views', { keyPath: 'scope' });
      db.createObjectStore('outbox', { keyPath: 'key', autoIncrement: true }).createIndex('scope', 'scope');
      db.createObjectStore('inbox', { keyPath: 'awardId' });
      db.createObjectStore('announced', { keyPath: 'awardId' });
    },
  }));

/** A request's outcome that is not a usable answer. */
class ServerProblem extends Error {
  constructor(
    readonly kind: 'unreachable' | 'unauthenticated' | 'rejected' | 'too-large',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const scopeOf = (call: ServerCall) => `${call.server}\n${call.label}`;

async function request<T>(call: ServerCall, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const url = new URL(path, call.server.endsWith('/') ? call.server : `${call.server}/`);
  url.searchParams.set('timeZone', call.timeZone);
  if (call.count !== undefined) url.searchParams.set('count', String(call.count));
  if (call.mix !== undefined) url.searchParams.set('difficulty', call.mix);
  const headers: Record<string, string> = {};
  if (call.token) headers['authorization'] = `Bearer ${call.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const init: RequestInit = { method, headers, credentials: 'include', signal: AbortSignal.timeout(call.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) };
  if (body !== undefined) init.body = JSON.stringify(body);
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ServerProblem('unreachable', `the missions server at ${call.server} did not answer (${(error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message})`);
  }
  const data = (await response.json().catch(() => null)) as { error?: { code?: string; field?: string; message?: string } } | null;
  if (response.ok) return data as T;
  const message = data?.error?.message ?? `HTTP ${response.status}`;
  if (response.status === 401 || response.status === 403) throw new ServerProblem('unauthenticated', `the missions server refused the credentials: ${message}`);
  // 429 and 5xx: try again later. Other 4xx: this request is wrong and stays wrong.
  if (response.status === 429 || response.status >= 500) throw new ServerProblem('unreachable', `the missions server answered ${response.status}: ${message}`);
  // Refused before it was read (413): nothing of it was stored, and a smaller one may pass.
  if (response.status === 413) throw new ServerProblem('too-large', `too large for the missions server (${message})`);
  throw new ServerProblem('rejected', message, data?.error?.field);
}

/** What sending the outbox tells the page, besides the view. */
type Sent = Pick<ServerAnswer, 'allCompleted' | 'rejected'>;

interface ActivityAnswer {
  completed: (MissionData & { day: string; awardId: string })[];
  allCompleted: { day: string; xp: number } | null;
  daily: DayView;
}

/** Which queued entry a refusal names: `activities[3].correct` → 3. */
function rejectedIndex(field: string | undefined): number | null {
  const match = /^activities\[(\d+)\]/.exec(field ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Sends the outbox in order, a batch at a time. A batch the server refuses as too large
 * (413) goes again as batches half its size, down to one activity; a lone activity still
 * too large is refused for good. A refusal that names one activity drops that one
 * (reported) and goes on; one that names none drops the batch's first entry, so a
 * poisoned outbox can never block the rest for ever.
 */
async function drain(call: ServerCall, answer: Sent): Promise<{ daily: DayView | null; uncertain: boolean }> {
  const db = await database();
  const scope = scopeOf(call);
  let daily: DayView | null = null;
  let uncertain = false;
  let batch = BATCH;
  for (;;) {
    const queued = (await db.getAllFromIndex('outbox', 'scope', scope)).sort((a, b) => a.key! - b.key!).slice(0, batch);
    if (queued.length === 0) return { daily, uncertain };
    if (queued.some((entry) => entry.attempts > 0)) uncertain = true;
    let result: ActivityAnswer;
    try {
      result = await request<ActivityAnswer>(call, 'POST', 'v1/activity', { activities: queued.map((entry) => entry.activity) });
    } catch (error) {
      if (error instanceof ServerProblem && error.kind === 'too-large' && queued.length > 1) {
        batch = Math.ceil(queued.length / 2);
        continue;
      }
      if (!(error instanceof ServerProblem) || (error.kind !== 'rejected' && error.kind !== 'too-large')) {
        // No clear answer: the server may have stored them; the resend will tell.
        const tx = db.transaction('outbox', 'readwrite');
        await Promise.all(queued.map((entry) => tx.store.put({ ...entry, attempts: entry.attempts + 1 })));
        await tx.done;
        throw error;
      }
      const refused = queued[rejectedIndex(error.field) ?? 0] ?? queued[0]!;
      // The field within the activity (`lessonId`), not its place in this batch.
      const field = error.field?.replace(/^activities\[\d+\]\.?/, '');
      answer.rejected.push({ id: refused.activity.id, message: field ? `${field}: ${error.message}` : error.message });
      await db.delete('outbox', refused.key!);
      continue;
    }
    const tx = db.transaction(['outbox', 'inbox', 'announced'], 'readwrite');
    await Promise.all(queued.map((entry) => tx.objectStore('outbox').delete(entry.key!)));
    for (const mission of result.completed) {
      const { day, awardId, ...rest } = mission;
      if (await tx.objectStore('announced').get(awardId)) continue;
      await tx.objectStore('inbox').put({ scope, awardId, userId: result.daily.userId, day, templateId: mission.templateId, xp: mission.xp, mission: { ...rest, day } as MissionData, redelivery: false });
    }
    await tx.done;
    if (result.allCompleted) answer.allCompleted = result.allCompleted;
    daily = result.daily;
  }
}

/**
 * After a send without a clear answer, the awards that send wrote may never have reached
 * this page: completed missions nobody celebrated are claimed (a claim succeeds once,
 * across every device of the learner) and their awards announced as redeliveries.
 */
async function claimLost(call: ServerCall, daily: DayView): Promise<void> {
  const open = daily.missions.filter((m) => m.completed && !m.celebrated);
  if (open.length === 0) return;
  const db = await database();
  const { claimed } = await request<{ claimed: MissionData[] }>(call, 'POST', 'v1/celebrations/claim', { templateIds: open.map((m) => m.templateId) });
  const tx = db.transaction(['inbox', 'announced'], 'readwrite');
  for (const mission of claimed) {
    const awardId = awardIdFor(daily.userId, daily.day, mission.templateId);
    if (await tx.objectStore('announced').get(awardId)) continue;
    await tx.objectStore('inbox').put({ scope: scopeOf(call), awardId, userId: daily.userId, day: daily.day, templateId: mission.templateId, xp: mission.xp, mission, redelivery: true });
  }
  await tx.done;
}

/**
 * For a caller that celebrates (a widget recording): claims the celebration of today's
 * missions its send completed before any other widget hears of the change, so another
 * widget's sweep of uncelebrated completions cannot take them first. Offline or refused,
 * they stay unclaimed and the next sweep celebrates them.
 */
async function claimOwn(call: ServerCall, daily: DayView): Promise<void> {
  const db = await database();
  const scope = scopeOf(call);
  const own = (await db.getAll('inbox')).filter((a) => a.scope === scope && !a.redelivery && a.day === daily.day && !a.mission.celebrated);
  if (own.length === 0) return;
  const claimed = await serverClaim(call, own.map((a) => a.templateId));
  const tx = db.transaction('inbox', 'readwrite');
  for (const { awardId, templateId } of own) {
    // Another call may have handed it out meanwhile: only what still waits is marked.
    const waiting = await tx.store.get(awardId);
    if (waiting && claimed.some((m) => m.templateId === templateId)) await tx.store.put({ ...waiting, mission: { ...waiting.mission, celebrated: true } });
  }
  await tx.done;
}

/** Counters that add up over a day; the others (a streak, a yes/no) are levels. */
const LEVELS = new Set<string>(['current_streak_days', 'streak_kept_today', 'weekend_learning_today', 'overdue_cleared_today']);

/** The cached view with today's queued activities folded in: a guess, never an award. */
function guess(view: DayView, queued: QueuedActivity[], timeZone: string): DayView {
  const zone = view.preferences.timeZone || timeZone;
  let stats = emptyDayStats(view.day);
  let learner = emptyLearnerState();
  for (const { activity } of queued) {
    if (dayKey(activity.at, zone) !== view.day) continue;
    ({ day: stats, learner } = applyActivity(stats, learner, activity));
  }
  const added: Counters = countersFor(stats, learner);
  const missions = view.missions.map((mission) => {
    if (mission.completed) return mission;
    const more = added[mission.check as keyof Counters] ?? 0;
    const current = Math.min(mission.target, LEVELS.has(mission.check) ? Math.max(mission.current, more) : mission.current + more);
    return { ...mission, current };
  });
  return { ...view, missions };
}

/** A cached view of today; one of an earlier day is no view of today (a new day offline: only the server assigns). */
function currentOrNone(cached: DayView | undefined, call: ServerCall, now: number): DayView | undefined {
  return cached && cached.day === dayKey(now, cached.preferences.timeZone || call.timeZone) ? cached : undefined;
}

/**
 * Today before the server has sent any view of it (a first visit offline, or a new day
 * offline): no missions, as only
 * the server assigns them. What a record() resolves with once its activities are queued,
 * and what the widget shows as "loading, will sync" (src/daily-missions.ts).
 */
function notYetAssigned(call: ServerCall, now: number): DayView {
  return {
    userId: call.label,
    day: dayKey(now, call.timeZone),
    enabled: true,
    missions: [],
    mix: null,
    rerollsLeft: 0,
    nextDayAt: nextMidnight(now, call.timeZone),
    streak: { days: 0, jokers: 0, status: 'none' },
    xpToday: 0,
    allComplete: false,
    preferences: defaultPreferences(),
  };
}

/** Hands out the inbox (once) and remembers what was handed out. */
async function takeAwards(call: ServerCall, now: number): Promise<ServerAward[]> {
  const db = await database();
  const scope = scopeOf(call);
  const tx = db.transaction(['inbox', 'announced'], 'readwrite');
  const waiting = (await tx.objectStore('inbox').getAll()).filter((award) => award.scope === scope);
  for (const award of waiting) {
    await tx.objectStore('inbox').delete(award.awardId);
    await tx.objectStore('announced').put({ awardId: award.awardId, at: now });
  }
  await tx.done;
  return waiting.map(({ scope: _scope, ...award }) => award);
}

/**
 * Today's missions in server mode, after queueing `call.activities` (if any) and sending
 * whatever waits: what the widget shows, the awards to announce, and why the server
 * could not be used, if it could not.
 */
export async function serverToday(call: ServerCall, now: number): Promise<ServerAnswer> {
  const db = await database();
  const scope = scopeOf(call);
  if (call.activities !== undefined) {
    // Checked before anything is queued: a bad batch is refused whole, as in local mode.
    const activities = normalizeActivities(call.activities, now).map((a, i) => ({ ...a, id: requireActivityId(a.id, `activities[${i}].id`) }));
    const tx = db.transaction('outbox', 'readwrite');
    for (const activity of activities) await tx.store.add({ scope, activity, attempts: 0 });
    await tx.done;
  }
  const sent: Sent = { allCompleted: null, rejected: [] };
  let problem: ServerAnswer['problem'] = null;
  let view: DayView | null = null;
  try {
    const drained = await drain(call, sent);
    if (call.celebrate && drained.daily) await claimOwn(call, drained.daily);
    if (drained.daily) announce({ userId: call.label, day: drained.daily.day });
    view = drained.daily ?? (await request<DayView>(call, 'GET', 'v1/today'));
    if (drained.uncertain) await claimLost(call, view);
    await db.put('views', { scope, view });
  } catch (error) {
    if (!(error instanceof ServerProblem)) throw error;
    problem = { code: error.kind === 'unauthenticated' ? 'unauthenticated' : 'server-unavailable', message: error.message };
  }
  const queued = await db.getAllFromIndex('outbox', 'scope', scope);
  const shown = view ?? currentOrNone((await db.get('views', scope))?.view, call, now);
  const daily = shown ? (queued.length > 0 ? guess(shown, queued, call.timeZone) : shown) : notYetAssigned(call, now);
  const awards = await takeAwards(call, now);
  return { ...sent, problem, awards, daily: { ...daily, confirmed: problem === null && queued.length === 0, pending: queued.length } };
}

/** Claims the celebration of today's completed missions (only `templateIds`, when given): each is claimed once, on one device. */
export async function serverClaim(call: ServerCall, templateIds?: string[]): Promise<MissionData[]> {
  try {
    const { claimed } = await request<{ claimed: MissionData[] }>(call, 'POST', 'v1/celebrations/claim', templateIds ? { templateIds } : {});
    return claimed;
  } catch (error) {
    // Offline or signed out: nothing is celebrated now; the claim can happen later.
    if (error instanceof ServerProblem) return [];
    throw error;
  }
}
