/**
 * The missions API: the one object the worker exposes through Comlink (and that the
 * main thread runs itself when no worker can start). Every call validates its
 * arguments (a ValidationError names the field), carries the caller's clock and zone,
 * and answers with the storage status so the widget can say when it is running on
 * memory. The parts, one file each under worker/api/:
 * - types.ts: what crosses to the main thread;
 * - call-context.ts: validating a call's options, and the registered catalogs;
 * - storage-router.ts: IndexedDB while it works, else memory, and the status;
 * - today-cache.ts: today's state kept between calls for the warm getDaily;
 * - views.ts: stored rows turned into answers.
 * The flows themselves are in daily.ts and backup.ts.
 */
import { normalizeActivities } from './engine/activity.js';
import { normalizeHostCounters } from './engine/stats.js';
import type { CatalogRules } from './engine/types.js';
import { requireArray, requireInteger, requireString } from './engine/validate.js';
import type { CallContext, HistoryDay, IdentifiedActivity, RecordOutcome } from './daily.js';
import * as daily from './daily.js';
import { normalizePreferences } from './preferences.js';
import { exportUser, importUser } from './backup.js';
import type { UserExport } from './backup.js';
import type { Preferences } from './store/rows.js';
import type { StoreName, TxMode, Tx } from './store/store.js';
import { DEFAULT_HISTORY_DAYS, MAX_HISTORY_DAYS, STORE } from './constants.js';
import type { StreakView } from './engine/streak.js';
import { newActivityId } from './random-id.js';
import { CatalogRegistry } from './api/call-context.js';
import { StorageRouter } from './api/storage-router.js';
import { TodayCache } from './api/today-cache.js';
import type { ApiOptions, AwardData, CallOptions, PendingAward, DailyView, MissionData, RecordResult, RerollResult, StorageStatus } from './api/types.js';
import { dailyView, missionOfAward, toAwardData, toMissionData } from './api/views.js';
import type * as ServerModeModule from './server-mode.js';

/** The functions of server mode, loaded lazily. */
export type ServerMode = Pick<typeof ServerModeModule, 'serverToday' | 'serverClaim'>;

export type { ApiOptions, AwardData, CallOptions, PendingAward, DailyView, MissionData, RecordResult, RerollResult, StorageStatus } from './api/types.js';


/** The API object's type: the main thread imports this type only. */
export type MissionsApi = ReturnType<typeof createMissionsApi>;

export function createMissionsApi(options: ApiOptions) {
  const catalogs = new CatalogRegistry(options.catalog);
  const cache = new TodayCache();
  const storage = new StorageRouter(options.store, options.unavailable, options.catalog, () => cache.forget(null));
  const context = (input: unknown) => catalogs.context(input);

  /** Runs a flow; a write drops the learner's cached days before and after it. */
  async function run<T>(mode: TxMode, userId: string, flow: (tx: Tx) => Promise<T>, scope?: readonly StoreName[]): Promise<T> {
    if (mode === 'readonly') return storage.run(mode, userId, flow, scope);
    cache.forget(userId);
    try {
      return await storage.run(mode, userId, flow, scope);
    } finally {
      cache.forget(userId);
    }
  }

  const view = (ctx: CallContext, state: daily.DayState): DailyView => dailyView(ctx.userId, state, storage.status());
  const changed = (ctx: CallContext, day: string) => options.onChange?.({ userId: ctx.userId, day });

  function recordResult(ctx: CallContext, outcome: RecordOutcome): RecordResult {
    if (outcome.completed.length > 0 || outcome.state.enabled) changed(ctx, outcome.state.day);
    const durable = storage.durable;
    return {
      completed: outcome.completed.map(toMissionData),
      completedDays: outcome.completed.map((m) => m.day),
      awards: outcome.completed.map((m) => toAwardData(daily.awardOf(ctx, m), durable)),
      alreadyRecorded: outcome.alreadyRecorded,
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
      if (typeof userId === 'string') cache.forget(userId);
    },

    /**
     * Server mode (docs/architecture.md §11): `serverToday` (today's missions from the
     * server, after queueing and sending activities) and `serverClaim` (celebrations), from
     * worker/server-mode.ts. Its code loads with the first such call (dist/worker-server.js),
     * so local mode never carries it.
     */
    async server<K extends keyof ServerMode>(op: K, ...args: Parameters<ServerMode[K]>): Promise<Awaited<ReturnType<ServerMode[K]>>> {
      const mode: ServerMode = await import('./server-mode.js');
      return (mode[op] as (...values: unknown[]) => never)(...args);
    },

    /** Where data is kept right now, and why not in IndexedDB when degraded. */
    status(): StorageStatus {
      return storage.status();
    },

    /**
     * Registers a catalog's rules under an id for later calls. The client validates the
     * whole catalog on its side first (validateCompiledCatalog, in a chunk only hosts
     * with their own catalog load), so the worker does not carry the catalog checks.
     */
    useCatalog(rules: CatalogRules, id: unknown): string {
      return catalogs.register(rules, id);
    },

    /** Today's missions for the user, assigned on the first call of the day. */
    async getDaily(options: CallOptions & { fresh?: boolean }): Promise<DailyView> {
      const ctx = context(options);
      const cached = options.fresh === true ? undefined : cache.get(ctx, options.catalogId);
      if (cached) return view(ctx, cached);
      const generation = cache.generationOf(ctx.userId);
      const state =
        (await run('readonly', ctx.userId, (tx) => daily.readDaily(tx, ctx), [STORE.profiles, STORE.days, STORE.missions])) ??
        (await run('readwrite', ctx.userId, (tx) => daily.getDaily(tx, ctx)));
      cache.set(ctx, options.catalogId, state, generation);
      return view(ctx, state);
    },

    /**
     * Records one activity or a batch. The batch is validated first and stored in one
     * transaction: all of it or, on any invalid entry, none of it. Each activity is
     * stored under its id (the caller's, or one made here): an id already stored is
     * not counted again, so a retried call is harmless.
     */
    async record(options: CallOptions & { activities: unknown }): Promise<RecordResult> {
      const ctx = context(options);
      const activities: IdentifiedActivity[] = normalizeActivities(options.activities, ctx.now).map((a) => ({ ...a, id: a.id ?? newActivityId() }));
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

    /**
     * The user's awards that no one has delivered and no one is delivering, leased to
     * this caller (docs/architecture.md §6): it announces them, then acknowledges them.
     */
    async claimUndelivered(options: CallOptions): Promise<PendingAward[]> {
      const ctx = context(options);
      // Nearly always nothing is pending: find that out in a read-only transaction, which never waits for another tab's writes.
      const pending = await run('readonly', ctx.userId, (tx) => tx.undeliveredAwards(ctx.userId), [STORE.awards]);
      if (!pending.some((row) => daily.isFree(row, ctx.now))) return [];
      const claimed = await run('readwrite', ctx.userId, (tx) => daily.claimUndelivered(tx, ctx), [STORE.awards, STORE.missions]);
      return claimed.map(({ award, mission }) => ({
        award: toAwardData(award, storage.durable),
        mission: mission ? toMissionData(mission) : missionOfAward(award, ctx.catalog),
      }));
    },

    /** Every undelivered award of the user, oldest first (the pull API for strict crediting); leases nothing. */
    async undeliveredAwards(options: CallOptions): Promise<AwardData[]> {
      const ctx = context(options);
      const rows = await run('readonly', ctx.userId, (tx) => tx.undeliveredAwards(ctx.userId), [STORE.awards]);
      return rows.map((row) => toAwardData(row, storage.durable));
    },

    /** Records that these awards were delivered (an event dispatched, or the host credited them). */
    async acknowledgeAwards(options: CallOptions & { awardIds: unknown }): Promise<void> {
      const ctx = context(options);
      const ids = requireArray(options.awardIds, 'awardIds', 10_000).map((id, i) => requireString(id, `awardIds[${i}]`, 400));
      if (ids.length === 0) return;
      await run('readwrite', ctx.userId, (tx) => tx.markAwardsDelivered(ctx.userId, ids, ctx.now), [STORE.awards]);
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
      return run('readonly', ctx.userId, (tx) => daily.getPreferences(tx, ctx));
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
      return { ...result, status: storage.status() };
    },

    /** Everything stored for the user, as plain JSON (a backup). */
    async exportData(options: CallOptions): Promise<UserExport> {
      const ctx = context(options);
      return run('readonly', ctx.userId, (tx) => exportUser(tx, ctx.userId, ctx.now));
    },

    /**
     * Restores a backup. Checked as a whole against the call's catalog before anything
     * is written; refused for a user who already has data unless `replace` is true,
     * which swaps the user's data in one transaction (all or nothing). Awards already
     * paid stay paid (backup.ts). `report` hears progress (a Comlink proxy from the
     * client: Comlink carries a function only as a whole argument).
     */
    async importData(
      options: CallOptions & { data: unknown; replace?: unknown },
      report?: (progress: { written: number; total: number }) => unknown,
    ): Promise<{ imported: boolean; status: StorageStatus }> {
      const ctx = context(options);
      const replace = options.replace === undefined ? false : options.replace === true;
      // Not awaited: through Comlink the report is a message, and the transaction waits for nothing but storage.
      const onProgress = typeof report === 'function' ? (progress: { written: number; total: number }) => void Promise.resolve(report(progress)).catch(() => undefined) : undefined;
      await run('readwrite', ctx.userId, (tx) => importUser(tx, options.data, { replace, userId: ctx.userId, catalog: ctx.catalog, ...(onProgress ? { onProgress } : {}) }));
      changed(ctx, '');
      return { imported: true, status: storage.status() };
    },

    /** Deletes the user's data; the ledger of paid awards stays, so nothing is paid twice. */
    async clearUser(options: CallOptions): Promise<void> {
      const ctx = context(options);
      await run('readwrite', ctx.userId, (tx) => tx.deleteUser(ctx.userId));
      changed(ctx, '');
    },
  };
}
