/**
 * The in-memory store: the fallback when IndexedDB is missing, blocked or failing,
 * and the store of the main-thread engine when no worker can start. Same contract
 * as the IndexedDB store: transactions run one at a time, and a flow that throws
 * leaves nothing behind (writes are staged and applied only when the flow returns).
 * Maps keyed by strings, never plain objects, so no user id can reach a prototype.
 */
import type { DayKey } from '../engine/day.js';
import type { ActivityRow, AwardRow, DayRow, MissionRow, ProfileRow } from './rows.js';
import type { Store, Tx, TxMode } from './store.js';

const key = (...parts: string[]): string => JSON.stringify(parts);

interface Tables {
  profiles: Map<string, ProfileRow>;
  days: Map<string, DayRow>;
  missions: Map<string, MissionRow>;
  awards: Map<string, AwardRow>;
  /** Keyed by (userId, activityId), in the order recorded. */
  activity: Map<string, ActivityRow>;
}

function emptyTables(): Tables {
  return { profiles: new Map(), days: new Map(), missions: new Map(), awards: new Map(), activity: new Map() };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortByDay = <T extends { day: DayKey }>(rows: T[]): T[] => rows.sort((a, b) => compare(a.day, b.day));

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private tables: Tables = emptyTables();
  private queue: Promise<unknown> = Promise.resolve();

  transact<T>(_mode: TxMode, flow: (tx: Tx) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.runIsolated(flow));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    // Nothing to release: the data lives as long as the worker (or page) does.
  }

  /**
   * Runs `flow` against a draft and swaps it in only on success. Rows are cloned on
   * every put and get, so the draft can share them with the committed tables: copying
   * the maps (not the rows) is enough.
   */
  private async runIsolated<T>(flow: (tx: Tx) => Promise<T>): Promise<T> {
    const committed = this.tables;
    const draft: Tables = {
      profiles: new Map(committed.profiles),
      days: new Map(committed.days),
      missions: new Map(committed.missions),
      awards: new Map(committed.awards),
      activity: new Map(committed.activity),
    };
    const result = await flow(memoryTx(draft));
    this.tables = draft;
    return result;
  }
}

function updatePending(t: Tables, userId: string, awardIds: readonly string[], change: (row: AwardRow) => AwardRow): void {
  for (const [id, row] of t.awards) {
    if (row.userId === userId && row.deliveredAt === undefined && awardIds.includes(row.awardId)) t.awards.set(id, change(row));
  }
}

function memoryTx(t: Tables): Tx {
  const clone = structuredClone;
  const ofUser = <T extends { userId: string }>(rows: Iterable<T>, userId: string): T[] =>
    [...rows].filter((row) => row.userId === userId).map((row) => clone(row));
  return {
    getProfile: async (userId) => clone(t.profiles.get(userId)),
    putProfile: async (row) => void t.profiles.set(row.userId, clone(row)),
    getDay: async (userId, day) => clone(t.days.get(key(userId, day))),
    putDay: async (row) => void t.days.set(key(row.userId, row.day), clone(row)),
    recentDays: async (userId, before, limit, since) =>
      sortByDay(ofUser(t.days.values(), userId).filter((row) => row.day >= since && row.day < before && row.assignedAt !== undefined))
        .reverse()
        .slice(0, limit),
    allDays: async (userId) => sortByDay(ofUser(t.days.values(), userId)),
    getMissions: async (userId, day) =>
      ofUser(t.missions.values(), userId).filter((row) => row.day === day).sort((a, b) => a.slot - b.slot),
    allMissions: async (userId) => sortByDay(ofUser(t.missions.values(), userId)),
    putMission: async (row) => void t.missions.set(key(row.userId, row.day, row.templateId), clone(row)),
    deleteMission: async (userId, day, templateId) => void t.missions.delete(key(userId, day, templateId)),
    addAward: async (row) => {
      const id = key(row.userId, row.day, row.templateId);
      if (t.awards.has(id)) return false;
      t.awards.set(id, clone(row));
      return true;
    },
    allAwards: async (userId) => sortByDay(ofUser(t.awards.values(), userId)),
    undeliveredAwards: async (userId) =>
      ofUser(t.awards.values(), userId)
        .filter((row) => row.deliveredAt === undefined)
        .sort((a, b) => a.awardedAt - b.awardedAt || (a.awardId < b.awardId ? -1 : 1)),
    markAwardsDelivered: async (userId, awardIds, at) => updatePending(t, userId, awardIds, (row) => ({ ...row, deliveredAt: at })),
    leaseAwards: async (userId, awardIds, until) => updatePending(t, userId, awardIds, (row) => ({ ...row, leasedUntil: until })),
    addActivity: async (row) => {
      const id = key(row.userId, row.activityId);
      if (t.activity.has(id)) return false;
      t.activity.set(id, clone(row));
      return true;
    },
    // The order of the IndexedDB index: by day, then by activity id.
    allActivity: async (userId) => ofUser(t.activity.values(), userId).sort((a, b) => compare(a.day, b.day) || compare(a.activityId, b.activityId)),
    deleteUser: async (userId) => {
      // Award rows stay: they are the ledger of what was paid (store.ts).
      for (const table of [t.profiles, t.days, t.missions, t.activity] as Map<string, { userId: string }>[]) {
        for (const [id, row] of table) if (row.userId === userId) table.delete(id);
      }
    },
  };
}
