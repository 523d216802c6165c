/**
 * The missions API: the one object the worker exposes through Comlink (and that the
 * main thread runs itself, on a memory store, when no worker can start). Every call
 * validates its arguments (a ValidationError names the field), carries the caller's
 * clock and zone, and answers with the storage status so the widget can say when it
 * is running on memory. Storage faults never reach the caller as errors: the API
 * reopens the database or falls back to an in-memory store and reports it.
 */
import { normalizeActivities } from './engine/activity.js';
import { requireInstant, requireTimeZone } from './engine/day.js';
import { ValidationError } from './engine/errors.js';
import { normalizeHostCounters } from './engine/stats.js';
import type { CatalogRules } from './engine/types.js';
import { describe, isPlainObject, requireInteger, requireString } from './engine/validate.js';
import type { CallContext, DayState, HistoryDay, RecordOutcome, RerollRefusal } from './daily.js';
import * as daily from './daily.js';
import { normalizePreferences } from './preferences.js';
import { exportUser, importUser } from './backup.js';
import type { UserExport } from './backup.js';
import { MemoryStore } from './store/memory-store.js';
import type { Preferences } from './store/rows.js';
import type { DayView, MissionData } from './views.js';
import { toMissionData } from './views.js';
import type { Store, StoreName, TxMode, Tx } from './store/store.js';
import { DEFAULT_HISTORY_DAYS, MAX_HISTORY_DAYS, STORE } from './constants.js';
import { StorageError } from './store/store.js';
import { toStorageError } from './store/indexeddb-store.js';
import type { StreakView } from './engine/streak.js';

/** What every call sends: who, and the caller's clock and zone. */
export interface CallOptions {
  userId: string;
  /** Epoch ms from the caller's clock (the worker reads no clock). */
  now: number;
  /** IANA zone of the caller; a stored timeZone preference wins over it. */
  timeZone: string;
  /** Preferences for this call only (the element's attributes), over the stored ones. */
  preferences?: Partial<Preferences>;
  /** A catalog registered with `useCatalog`; default: the shipped one. */
  catalogId?: string;
}

export interface StorageStatus {
  storage: 'indexeddb' | 'memory';
  /** Set while degraded: why the data is not (or no longer) kept in IndexedDB. */
  error?: { code: string; message: string };
}

export type { MissionData };

/** The day as the worker reports it: views.ts's DayView with the storage status. */
export interface DailyView extends DayView {
  status: StorageStatus;
}

export interface RecordResult {
  /** Missions this call completed (its transaction wrote their awards). */
  completed: MissionData[];
  /** The day of each completed mission, in the same order: an activity dated yesterday completes yesterday's missions. */
  completedDays: string[];
  /** Set when this call completed the day's last open mission. */
  allCompleted: { day: string; xp: number } | null;
  daily: DailyView;
}

export interface RerollResult {
  refused: RerollRefusal | null;
  daily: DailyView;
}

export interface ApiOptions {
  /** The persistent store; the API falls back to memory when it fails. */
  store: Store | null;
  catalog: CatalogRules;
  /** Called after a call changed a user's data (cross-tab notification). */
  onChange?: (change: { userId: string; day: string }) => void;
  /** Why there is no persistent store (for the status), when `store` is null. */
  unavailable?: { code: string; message: string };
}

const DEFAULT_CATALOG_ID = 'default';

/** The API object's type: the main thread imports this type only. */
export type MissionsApi = ReturnType<typeof createMissionsApi>;

export function createMissionsApi(options: ApiOptions) {
  const catalogs = new Map<string, CatalogRules>([[DEFAULT_CATALOG_ID, options.catalog]]);
  let persistent: Store | null = options.store;
  let memory: MemoryStore | null = persistent ? null : new MemoryStore();
  let degraded: StorageStatus['error'] = persistent ? undefined : (options.unavailable ?? { code: 'storage-unavailable', message: 'IndexedDB is not available.' });

  const status = (): StorageStatus => (degraded ? { storage: memory ? 'memory' : 'indexeddb', error: degraded } : { storage: memory ? 'memory' : 'indexeddb' });

  /**
   * Switches to the in-memory store. On a quota error the database is still readable,
   * so the user's data is carried over and the widget goes on where it was.
   */
  async function fallBack(error: StorageError, userId: string | null): Promise<void> {
    forget(null);
    degraded = { code: error.code, message: error.message };
    const failed = persistent;
    persistent = null;
    memory ??= new MemoryStore();
    if (failed && userId !== null && error.code === 'storage-quota') {
      try {
        const data = await failed.transact('readonly', (tx) => exportUser(tx, userId, 0));
        await memory.transact('readwrite', (tx) => importUser(tx, data, { replace: true }));
      } catch {
        // Unreadable after all: start from empty memory; the status already says why.
      }
    }
    failed?.close();
  }

  /**
   * Today's state per learner and call shape, kept between calls so that a warm
   * getDaily answers without opening a transaction (docs/architecture.md §8: within 2x a bare
   * round trip). An entry holds until the next local midnight. A write for a learner,
   * through this API or announced by another tab's worker (`forgetCachedDays`, wired
   * in main.ts), drops that learner's entries; a read that overlapped such a write is
   * not kept, because the write moved the learner's generation on. A switch to the
   * memory store drops everything.
   */
  const todayCache = new Map<string, { userId: string; state: DayState; from: number }>();
  const generations = new Map<string, number>();
  let epoch = 0;
  const generationOf = (userId: string) => `${epoch}:${generations.get(userId) ?? 0}`;
  const forget = (userId: string | null) => {
    if (userId === null) {
      epoch += 1;
      todayCache.clear();
      return;
    }
    generations.set(userId, (generations.get(userId) ?? 0) + 1);
    for (const [key, entry] of todayCache) if (entry.userId === userId) todayCache.delete(key);
  };
  const cacheKey = (ctx: CallContext, catalogId: unknown) => JSON.stringify([ctx.userId, catalogId ?? null, ctx.timeZone, ctx.overrides]);

  /** Runs a flow; a write drops the learner's cached days before and after it. */
  async function run<T>(mode: TxMode, userId: string, flow: (tx: Tx) => Promise<T>, scope?: readonly StoreName[]): Promise<T> {
    if (mode === 'readonly') return runOnStore(mode, userId, flow, scope);
    forget(userId);
    try {
      return await runOnStore(mode, userId, flow, scope);
    } finally {
      forget(userId);
    }
  }

  /** Runs a flow on the persistent store, reopening once if it was closed, else on memory. */
  async function runOnStore<T>(mode: TxMode, userId: string, flow: (tx: Tx) => Promise<T>, scope?: readonly StoreName[]): Promise<T> {
    if (persistent) {
      try {
        return await persistent.transact(mode, flow, scope);
      } catch (error) {
        if (error instanceof ValidationError) throw error;
        let failure = toStorageError(error);
        if (failure.code === 'storage-closed') {
          try {
            return await persistent.transact(mode, flow);
          } catch (retryError) {
            if (retryError instanceof ValidationError) throw retryError;
            failure = toStorageError(retryError);
          }
        }
        await fallBack(failure, userId);
      }
    }
    return memory!.transact(mode, flow);
  }

  function context(input: unknown, name = 'options'): CallContext {
    if (!isPlainObject(input)) throw new ValidationError(name, `must be an object, got ${describe(input)}`);
    const catalogId = input['catalogId'] === undefined ? DEFAULT_CATALOG_ID : requireString(input['catalogId'], `${name}.catalogId`, 100);
    const catalog = catalogs.get(catalogId);
    if (!catalog) throw new ValidationError(`${name}.catalogId`, `no catalog registered as "${catalogId}"; call useCatalog first`);
    return {
      userId: requireString(input['userId'], `${name}.userId`),
      now: requireInstant(input['now'], `${name}.now`),
      timeZone: requireTimeZone(input['timeZone'], `${name}.timeZone`),
      overrides: normalizePreferences(input['preferences'], `${name}.preferences`),
      catalog,
    };
  }

  // The fields of views.ts's dayView, written out: calling it grew dist/worker.js by 13 B
  // gzip, past its ceiling (test/engine/sizes.test.ts). test/server/api.test.ts checks
  // that both answer the same.
  function view(ctx: CallContext, state: DayState): DailyView {
    const missions = state.missions.map(toMissionData);
    return {
      userId: ctx.userId,
      day: state.day,
      enabled: state.enabled,
      missions,
      mix: state.mix,
      rerollsLeft: state.rerollsLeft,
      nextDayAt: state.nextDayAt,
      streak: state.streak,
      xpToday: missions.reduce((sum, m) => sum + (m.completed ? m.xp : 0), 0),
      allComplete: missions.length > 0 && missions.every((m) => m.completed),
      preferences: state.preferences,
      status: status(),
    };
  }

  function changed(ctx: CallContext, day: string): void {
    options.onChange?.({ userId: ctx.userId, day });
  }

  function recordResult(ctx: CallContext, outcome: RecordOutcome): RecordResult {
    if (outcome.completed.length > 0 || outcome.state.enabled) changed(ctx, outcome.state.day);
    return {
      completed: outcome.completed.map(toMissionData),
      completedDays: outcome.completed.map((m) => m.day),
      allCompleted: outcome.allCompleted,
      daily: view(ctx, outcome.state),
    };
  }

  return {
    /** Answers at once: proves the worker started and its modules loaded. */
    ping(): 'pong' {
      return 'pong';
    },

    /** Another tab's worker changed this learner's data: their next read goes to storage. */
    forgetCachedDays(userId: unknown): void {
      if (typeof userId === 'string') forget(userId);
    },

    /** Where data is kept right now, and why not in IndexedDB when degraded. */
    status(): StorageStatus {
      return status();
    },

    /**
     * Registers a catalog's rules under an id for later calls. The client validates the
     * whole catalog on its side first (validateCompiledCatalog, in a chunk only hosts
     * with their own catalog load), so the worker does not carry the catalog checks.
     */
    useCatalog(rules: CatalogRules, id: unknown): string {
      const catalogId = requireString(id, 'catalogId', 100);
      if (catalogId === DEFAULT_CATALOG_ID) throw new ValidationError('catalogId', `"${DEFAULT_CATALOG_ID}" is the shipped catalog`);
      if (!isPlainObject(rules) || !Array.isArray(rules.templates)) throw new ValidationError('catalog', 'must be the rules of a validated catalog');
      catalogs.set(catalogId, { version: 1, templates: rules.templates });
      return catalogId;
    },

    /** Today's missions for the user, assigned on the first call of the day. */
    async getDaily(options: CallOptions & { fresh?: boolean }): Promise<DailyView> {
      const ctx = context(options);
      const key = cacheKey(ctx, options.catalogId);
      const cached = options.fresh === true ? undefined : todayCache.get(key);
      if (cached && cached.from <= ctx.now && ctx.now < cached.state.nextDayAt) return view(ctx, cached.state);
      const startedAt = generationOf(ctx.userId);
      const state =
        (await run('readonly', ctx.userId, (tx) => daily.readDaily(tx, ctx), [STORE.profiles, STORE.days, STORE.missions])) ??
        (await run('readwrite', ctx.userId, (tx) => daily.getDaily(tx, ctx)));
      if (startedAt === generationOf(ctx.userId)) todayCache.set(key, { userId: ctx.userId, state, from: ctx.now });
      return view(ctx, state);
    },

    /**
     * Records one activity or a batch. The batch is validated first and stored in one
     * transaction: all of it or, on any invalid entry, none of it.
     */
    async record(options: CallOptions & { activities: unknown }): Promise<RecordResult> {
      const ctx = context(options);
      const activities = normalizeActivities(options.activities, ctx.now);
      const outcome = await run('readwrite', ctx.userId, (tx) => daily.recordActivities(tx, ctx, activities));
      return recordResult(ctx, outcome);
    },

    /** Host-provided counters for today, evaluated like recorded activity. */
    async pushStats(options: CallOptions & { stats: unknown }): Promise<RecordResult> {
      const ctx = context(options);
      const counters = normalizeHostCounters(options.stats);
      const outcome = await run('readwrite', ctx.userId, (tx) => daily.pushStats(tx, ctx, counters));
      return recordResult(ctx, outcome);
    },

    /** Replaces today's unfinished missions (docs/architecture.md §5.6). */
    async reroll(options: CallOptions): Promise<RerollResult> {
      const ctx = context(options);
      const result = await run('readwrite', ctx.userId, (tx) => daily.reroll(tx, ctx));
      if (!result.refused) changed(ctx, result.state.day);
      return { refused: result.refused, daily: view(ctx, result.state) };
    },

    /** Marks today's completed, uncelebrated missions celebrated; only one caller gets each. */
    async claimCelebrations(options: CallOptions & { templateIds?: unknown }): Promise<MissionData[]> {
      const ctx = context(options);
      const ids = options.templateIds === undefined ? undefined : (Array.isArray(options.templateIds) ? options.templateIds : [options.templateIds]).map((id, i) => requireString(id, `templateIds[${i}]`, 100));
      const claimed = await run('readwrite', ctx.userId, (tx) => daily.claimCelebrations(tx, ctx, ids));
      return claimed.map(toMissionData);
    },

    async getPreferences(options: CallOptions): Promise<Preferences> {
      const ctx = context(options);
      // daily.getPreferences, written out: calling it grows dist/worker.js by 5 B gzip, past its ceiling.
      return run('readonly', ctx.userId, async (tx) => {
        const profile = (await tx.getProfile(ctx.userId)) ?? daily.newProfile(ctx.userId, ctx.now);
        return daily.effectivePreferences(profile, { ...ctx, overrides: {} });
      });
    },

    /** Stores preferences. Count and mix apply from the next assignment (tomorrow) or a reroll. */
    async setPreferences(options: CallOptions & { changes: unknown }): Promise<Preferences> {
      const ctx = context(options);
      const changes = normalizePreferences(options.changes, 'changes');
      const prefs = await run('readwrite', ctx.userId, (tx) => daily.setPreferences(tx, ctx, changes));
      changed(ctx, '');
      return prefs;
    },

    /** Days with missions among the last `limit` calendar days (default 30), newest first, with the mission streak as of today. */
    async history(options: CallOptions & { limit?: unknown }): Promise<{ days: HistoryDay[]; streak: StreakView; lifetimeXp: number; status: StorageStatus }> {
      const ctx = context(options);
      const limit = options.limit === undefined ? DEFAULT_HISTORY_DAYS : requireInteger(options.limit, 'limit', 1, MAX_HISTORY_DAYS);
      const result = await run('readonly', ctx.userId, (tx) => daily.history(tx, ctx, limit));
      return { ...result, status: status() };
    },

    /** Everything stored for the user, as plain JSON (a backup). */
    async exportData(options: CallOptions): Promise<UserExport> {
      const ctx = context(options);
      return run('readonly', ctx.userId, (tx) => exportUser(tx, ctx.userId, ctx.now));
    },

    /**
     * Restores a backup. Validated in full before anything is written; refused for a
     * user who already has data unless `replace` is true, which swaps the user's data
     * in one transaction (all or nothing).
     */
    async importData(options: CallOptions & { data: unknown; replace?: unknown }): Promise<{ imported: boolean; status: StorageStatus }> {
      const ctx = context(options);
      const replace = options.replace === undefined ? false : options.replace === true;
      await run('readwrite', ctx.userId, (tx) => importUser(tx, options.data, { replace, userId: ctx.userId }));
      changed(ctx, '');
      return { imported: true, status: status() };
    },

    /** Deletes everything stored for the user. */
    async clearUser(options: CallOptions): Promise<void> {
      const ctx = context(options);
      await run('readwrite', ctx.userId, (tx) => tx.deleteUser(ctx.userId));
      changed(ctx, '');
    },
  };
}
