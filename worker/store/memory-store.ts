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
  activity: ActivityRow[];
  /** Activity a running transaction appended; moved into `activity` when it commits. */
  added: ActivityRow[];
}

function emptyTables(): Tables {
  return { profiles: new Map(), days: new Map(), missions: new Map(), awards: new Map(), activity: [], added: [] };
}

const sortByDay = <T extends { day: DayKey }>(rows: T[]): T[] => rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));

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
   * the maps (not the rows) is enough, and the activity log is only ever appended to.
   */
  private async runIsolated<T>(flow: (tx: Tx) => Promise<T>): Promise<T> {
    const committed = this.tables;
    const draft: Tables = {
      profiles: new Map(committed.profiles),
      days: new Map(committed.days),
      missions: new Map(committed.missions),
      awards: new Map(committed.awards),
      activity: committed.activity,
      added: [],
    };
    const result = await flow(memoryTx(draft));
    for (const row of draft.added) draft.activity.push(row);
    draft.added = [];
    this.tables = draft;
    return result;
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
    addActivity: async (row) => void t.added.push(clone(row)),
    allActivity: async (userId) => ofUser([...t.activity, ...t.added], userId),
    deleteUser: async (userId) => {
      for (const table of [t.profiles, t.days, t.missions, t.awards] as Map<string, { userId: string }>[]) {
        for (const [id, row] of table) if (row.userId === userId) table.delete(id);
      }
      t.activity = t.activity.filter((row) => row.userId !== userId);
      t.added = t.added.filter((row) => row.userId !== userId);
    },
  };
}
