/**
 * daily-missions/client: a headless handle on the missions worker, for pages that
 * record activity without showing the widget (a lesson page), and the element's own
 * connection. Same worker, same database, same events in every tab.
 *
 * ```js
 * import { connectMissions } from 'daily-missions/client';
 * const missions = connectMissions();
 * const { completed } = await missions.record('u1', { type: 'lesson-completed', lessonId: 'l7', correct: 9, total: 10 });
 * ```
 */
import type { ActivityInput } from '../worker/engine/activity.js';
import type { HostCounters } from '../worker/engine/stats.js';
import type { CheckName, CompiledCatalog, Mission } from '../worker/engine/types.js';
import { missionView } from '../worker/engine/mission-view.js';
import type { AwardData, DailyView, MissionData, MissionsApi, RecordResult, RerollResult, StorageStatus } from '../worker/api.js';
import type { UserExport } from '../worker/backup.js';
import type { HistoryDay } from '../worker/daily.js';
import type { Preferences } from '../worker/store/rows.js';
import type { StreakView } from '../worker/engine/streak.js';
import * as Comlink from 'comlink';
import { MissionsError, toMissionsError } from './errors.js';
import { whenIdle } from './idle.js';
import type { MissionsErrorDetail } from './errors.js';
import { loadCatalogText, supportedLanguage } from './i18n/catalog-text.js';
import type { CatalogText } from './i18n/catalog-text.js';
import { CHANNEL_NAME } from '../worker/engine/vocabulary.js';
import type { MissionsChangedMessage } from '../worker/engine/vocabulary.js';
import { DEFAULT_CALL_TIMEOUT_MS, WorkerHandle, defaultWorkerUrl } from './worker-host.js';
import type { RemoteApi } from './worker-host.js';

export { MissionsError } from './errors.js';
export type { MissionsErrorCode, MissionsErrorDetail } from './errors.js';
export type { ActivityInput, AwardData, HostCounters, Mission, Preferences, StorageStatus, StreakView, HistoryDay, UserExport };

/** The BroadcastChannel on which workers announce changes (the one name the worker uses too). */
export { CHANNEL_NAME } from '../worker/engine/vocabulary.js';

export interface ConnectOptions {
  /** Where the worker script is; default: the one shipped next to this module. */
  workerUrl?: string | URL;
  /** Per-call timeout in ms (default 10 s). */
  timeoutMs?: number;
  /** The clock (epoch ms); every call sends it to the worker. Default Date.now. */
  now?: () => number;
  /**
   * When no worker can start (CSP, sandbox, 404), run the same engine on this thread,
   * on IndexedDB (memory only where IndexedDB itself is unavailable), instead of
   * rejecting. The element turns this on.
   */
  mainThreadFallback?: boolean;
  /**
   * Who records that an award was delivered (docs/architecture.md §6). `'on-resolve'`
   * (default): this client, just before record() or pushStats() resolves with it.
   * `'manual'`: the caller, with acknowledgeAwards() after crediting it; until then it
   * stays in undeliveredAwards() and is announced again by the next widget for that user.
   */
  acknowledge?: 'on-resolve' | 'manual';
  /** Told about degraded states (storage on memory, worker unavailable). */
  onError?: (error: MissionsErrorDetail) => void;
  /**
   * Server mode (docs/architecture.md §11): the base URL of a daily-missions server. The
   * worker fetches the missions from it, keeps today's view and an outbox of activities
   * in IndexedDB, and sends them when the server can be reached.
   */
  server?: string | URL;
  /** Server mode: the learner's bearer token, asked before each call and again after a 401. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
}

/** Per-call settings: the widget's attributes, or a lesson page's configuration. */
export interface CallSettings {
  /** IANA zone; default the browser's. */
  timeZone?: string;
  /** Language of titles and descriptions; default `en`. */
  language?: string;
  /** Preferences for this call, over the stored ones (count, mix, tracks, enabled). */
  preferences?: Partial<Preferences>;
  /** A catalog registered with `useCatalog`. */
  catalogId?: string;
  /**
   * record() and pushStats(): the caller celebrates what the call completes today, so
   * those completions are claimed in the call's own transaction and returned in
   * `celebrations`; no other widget's claim can take them first. What `<daily-missions>`
   * sets; a page that shows no widget leaves it out, so the next widget on screen celebrates.
   */
  celebrate?: boolean;
}

/** A mission as the client returns it: the public Mission plus what the widget needs to explain it. */
export type ClientMission = Mission & { slot: number; celebrated: boolean; check: CheckName };

export interface DailyMissions extends Omit<DailyView, 'missions'> {
  missions: ClientMission[];
}

/** A completed mission with its award: whose XP it is and the award's id. */
export type CompletedMission = Mission & { userId: string; awardId: string };

export interface RecordResponse {
  completed: CompletedMission[];
  /** The local day each completed mission belongs to (same order; earlier days for back-dated activity). */
  completedDays: string[];
  /** The award of each completed mission (same order): `awardId` is the key to credit XP under. */
  awards: AwardData[];
  /** Ids of activities of this call already stored by an earlier call (a retry): counted once. */
  alreadyRecorded: string[];
  allCompleted: { day: string; xp: number } | null;
  /** With `celebrate: true`: today's completions of this call, claimed for the caller to celebrate (else empty). */
  celebrations: CompletedMission[];
  daily: DailyMissions;
}

export interface MissionsClient {
  getDaily(userId: string, settings?: CallSettings): Promise<DailyMissions>;
  /**
   * Records one activity or a batch (all stored or, if any entry is invalid, none). Each
   * activity is stored under its `id` (made now when absent): after a timeout or a dead
   * worker the call is retried once on a fresh worker, and an id already stored never
   * counts twice. A rejection means the call may or may not have been stored: retrying
   * with the same ids is always safe.
   */
  record(userId: string, activities: ActivityInput | ActivityInput[], settings?: CallSettings): Promise<RecordResponse>;
  /** The user's awards not yet delivered, oldest first (strict crediting: credit each by awardId, then acknowledge). */
  undeliveredAwards(userId: string, settings?: CallSettings): Promise<AwardData[]>;
  /** Records these awards as delivered: they are not announced again. */
  acknowledgeAwards(userId: string, awardIds: string[], settings?: CallSettings): Promise<void>;
  /**
   * Undelivered awards no one else is announcing, reserved for this caller for a short
   * lease, each with its mission: announce them, then acknowledge them. What the widget
   * does whenever it loads a learner's missions.
   */
  claimAwards(userId: string, settings?: CallSettings): Promise<{ award: AwardData; mission: CompletedMission }[]>;
  pushStats(userId: string, stats: HostCounters, settings?: CallSettings): Promise<RecordResponse>;
  reroll(userId: string, settings?: CallSettings): Promise<Omit<RerollResult, 'daily'> & { daily: DailyMissions }>;
  claimCelebrations(userId: string, settings?: CallSettings & { templateIds?: string[] }): Promise<Mission[]>;
  getPreferences(userId: string, settings?: CallSettings): Promise<Preferences>;
  setPreferences(userId: string, changes: Partial<Preferences>, settings?: CallSettings): Promise<Preferences>;
  history(userId: string, settings?: CallSettings & { limit?: number }): Promise<{ days: HistoryDay[]; streak: StreakView; lifetimeXp: number; status: StorageStatus }>;
  exportData(userId: string, settings?: CallSettings): Promise<UserExport>;
  /**
   * Restores a backup (checked as a whole first). The call's timeout counts from the
   * last progress report, so a large backup takes as long as it needs.
   */
  importData(
    userId: string,
    data: unknown,
    settings?: CallSettings & { replace?: boolean; onProgress?: (progress: { written: number; total: number }) => void },
  ): Promise<{ imported: boolean; status: StorageStatus }>;
  clearUser(userId: string, settings?: CallSettings): Promise<void>;
  /** Registers a compiled catalog with the worker; returns the id to pass as `catalogId`. */
  useCatalog(catalog: unknown): Promise<string>;
  status(): Promise<StorageStatus>;
  /** Calls `listener` whenever this user's missions change in any tab. Returns an unsubscribe function. */
  subscribe(userId: string, listener: (change: { userId: string; day: string }) => void): () => void;
  /** Releases the worker (it stops when no widget or client on the page uses it). */
  close(): void;
}

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function withText(mission: MissionData, text: CatalogText): ClientMission {
  const entry = Object.hasOwn(text, mission.templateId) ? text[mission.templateId]! : { title: mission.templateId, description: '' };
  return { ...missionView(mission, entry), slot: mission.slot, celebrated: mission.celebrated, check: mission.check };
}

/** Exactly the public Mission fields (docs/architecture.md §3): what goes into event details. */
export function publicMission(mission: Mission): Mission {
  return missionView(mission, mission);
}

/** A completed mission in its language, with whose award it is. */
function completedMission(mission: MissionData, text: CatalogText, award: AwardData): CompletedMission {
  return { ...publicMission(withText(mission, text)), userId: award.userId, awardId: award.awardId };
}

/**
 * Checks a host's compiled catalog on this thread, with the same checks and messages as
 * the build, before the worker gets its rules. The checks load only when a host brings
 * its own catalog: neither the entry nor the worker carries them.
 */
async function validateCatalog(catalog: unknown): Promise<CompiledCatalog> {
  const { validateCompiledCatalog } = await import('../worker/engine/catalog.js');
  try {
    return validateCompiledCatalog(catalog);
  } catch (error) {
    throw toMissionsError(error);
  }
}

/** Backend of a client: the worker, or the same API running on this thread. */
type Backend = <T>(label: string, call: (api: RemoteApi | MissionsApi, touch: () => void) => Promise<T>) => Promise<T>;

/** Failures after which the worker is gone and a fresh one may be asked again. */
const RETRIABLE = new Set(['worker-timeout', 'worker-unavailable']);

/** Whether a message heard on the channel announces a change (a stranger's messages are ignored). */
function isMissionsChangedMessage(data: unknown): data is MissionsChangedMessage {
  const message = data as Partial<MissionsChangedMessage> | null | undefined;
  return message?.type === 'missions-changed' && typeof message.userId === 'string' && typeof message.day === 'string';
}

let catalogCounter = 0;

/** What `<daily-missions>` calls on its client (src/element/connection-controller.ts). */
export type WidgetClient = Pick<MissionsClient, 'getDaily' | 'record' | 'pushStats' | 'acknowledgeAwards' | 'claimAwards' | 'reroll' | 'claimCelebrations' | 'useCatalog' | 'subscribe' | 'close'>;

/** The rest: what a host's own pages call (settings, history, backups, strict crediting). */
type AccountMethods = Omit<MissionsClient, keyof WidgetClient>;

type Base = (userId: string, settings?: CallSettings) => { userId: string; now: number; timeZone: string };

/**
 * The account methods of a client, apart from the widget's: the element's entry
 * (src/index.ts) does not carry them, as only connectMissions() builds them.
 */
function accountMethods(backend: Backend, base: Base): AccountMethods {
  return {
    undeliveredAwards: (userId, settings) => backend('undeliveredAwards', (api) => api.undeliveredAwards(base(userId, settings))),
    getPreferences: (userId, settings) => backend('getPreferences', (api) => api.getPreferences(base(userId, settings))),
    setPreferences: (userId, changes, settings) => backend('setPreferences', (api) => api.setPreferences({ ...base(userId, settings), changes })),
    history: (userId, settings = {}) =>
      backend('history', (api) => api.history(settings.limit === undefined ? base(userId, settings) : { ...base(userId, settings), limit: settings.limit })),
    exportData: (userId, settings) => backend('exportData', (api) => api.exportData(base(userId, settings))),
    importData: (userId, data, settings = {}) =>
      backend('importData', (api, touch) => {
        const onProgress = (progress: { written: number; total: number }) => {
          touch();
          settings.onProgress?.(progress);
        };
        // A function crosses to the worker only as a Comlink proxy (marking it changes nothing on this thread).
        return api.importData({ ...base(userId, settings), data, replace: settings.replace === true }, Comlink.proxy(onProgress));
      }),
    clearUser: (userId, settings) => backend('clearUser', (api) => api.clearUser(base(userId, settings))),
    status: () => backend('status', async (api) => api.status()),
  };
}


export function connectMissions(options: ConnectOptions = {}): MissionsClient {
  return openClient<MissionsClient>(options, accountMethods);
}

/** The element's client: connectMissions() without the account methods. */
export function connectWidget(options: ConnectOptions): WidgetClient {
  return openClient<WidgetClient>(options, () => ({}));
}

function openClient<C extends WidgetClient>(options: ConnectOptions, more: (backend: Backend, base: Base) => Omit<C, keyof WidgetClient>): C {
  const url = options.workerUrl === undefined ? defaultWorkerUrl() : new URL(String(options.workerUrl), globalThis.location?.href);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const handle = new WorkerHandle(url);
  const customText = new Map<string, (language: string) => CatalogText>();
  let local: Promise<MissionsApi> | null = null;
  let lastReported = '';

  const report = (detail: MissionsErrorDetail) => {
    // One report per degraded state, however many calls run into it.
    const key = detail.code;
    if (key === lastReported) return;
    lastReported = key;
    options.onError?.(detail);
  };

  /** The engine on this thread, on IndexedDB (or memory without it): loaded only if the worker cannot start. */
  const mainThreadApi = (): Promise<MissionsApi> => {
    local ??= import('./main-thread-engine.js').then((module) => module.createMainThreadApi());
    return local;
  };

  /**
   * The reader of activities into plain data, a lazy chunk: fetched in idle time after the
   * first getDaily (so a widget's first record() fetches nothing), or by the first record().
   */
  let reader: Promise<typeof import('./plain-activity.js')> | null = null;
  const plainReader = () =>
    (reader ??= import('./plain-activity.js').catch((error: unknown) => {
      reader = null; // offline for a moment: the next record() tries again
      throw error;
    }));

  const noTouch = () => {};
  const backend: Backend = async (label, call) => {
    if (local) return call(await local, noTouch);
    try {
      return await handle.call(label, call as (remote: RemoteApi, touch: () => void) => Promise<never>, timeoutMs);
    } catch (error) {
      const failure = toMissionsError(error);
      if (!options.mainThreadFallback || failure.code !== 'worker-unavailable' || handle.started) throw failure;
      report({ code: 'worker-unavailable', message: `${failure.message} Missions run on this page instead.` });
      return call(await mainThreadApi(), noTouch);
    }
  };

  /**
   * A writing call that is safe to repeat (activities carry ids): after a timeout or a
   * dead worker it is sent once more, to the fresh worker the next call starts.
   */
  const retried: Backend = async (label, call) => {
    try {
      return await backend(label, call);
    } catch (error) {
      if (!RETRIABLE.has(toMissionsError(error).code)) throw error;
      return backend(label, call);
    }
  };

  const clock = (): number => {
    try {
      return now();
    } catch (error) {
      throw new MissionsError('clock-failed', `now() threw: ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
  };

  const base = (userId: string, settings: CallSettings = {}) => {
    const call: Record<string, unknown> = { userId, now: clock(), timeZone: settings.timeZone ?? browserZone() };
    if (settings.preferences) call['preferences'] = settings.preferences;
    if (settings.catalogId) call['catalogId'] = settings.catalogId;
    if (settings.celebrate) call['celebrate'] = true;
    return call as { userId: string; now: number; timeZone: string };
  };

  const textFor = (settings: CallSettings = {}): Promise<CatalogText> => {
    const language = supportedLanguage(settings.language);
    const custom = settings.catalogId ? customText.get(settings.catalogId) : undefined;
    return custom ? Promise.resolve(custom(settings.language ?? 'en')) : loadCatalogText(language);
  };

  const noteStatus = (status: StorageStatus) => {
    if (status.error) report({ code: status.error.code as MissionsErrorDetail['code'], message: status.error.message });
    else if (!local) lastReported = ''; // recovered: the next degraded state is reported again
  };

  const localized = (daily: DailyView, text: CatalogText): DailyMissions => ({ ...daily, missions: daily.missions.map((m) => withText(m, text)) });

  const dailyWithText = async (daily: DailyView, settings?: CallSettings): Promise<DailyMissions> => {
    noteStatus(daily.status);
    return localized(daily, await textFor(settings));
  };

  /** A record or pushStats answer in the caller's language (text loaded once for both parts). */
  const recordResponse = async (result: RecordResult, settings?: CallSettings): Promise<RecordResponse> => {
    noteStatus(result.daily.status);
    const text = await textFor(settings);
    const completed = result.completed.map((m, i) => completedMission(m, text, result.awards[i]!));
    const response = {
      completed,
      completedDays: result.completedDays,
      awards: result.awards,
      alreadyRecorded: result.alreadyRecorded,
      allCompleted: result.allCompleted,
      celebrations: completed.filter((_, i) => result.completed[i]!.celebrated),
      daily: localized(result.daily, text),
    };
    if (options.acknowledge !== 'manual' && result.awards.length > 0) {
      // Delivered by resolving: recorded just before the caller gets the answer. If that fails
      // the awards stay undelivered and come again later (at least once, never lost).
      await acknowledge(result.daily.userId, result.awards.map((a) => a.awardId)).catch(() => undefined);
    }
    return response;
  };

  const acknowledge = (userId: string, awardIds: string[], settings?: CallSettings) =>
    retried('acknowledgeAwards', (api) => api.acknowledgeAwards({ ...base(userId, settings), awardIds }));

  const changedElsewhere = new Set<string>();
  const listeners = new Set<{ userId: string; listener: (change: { userId: string; day: string }) => void }>();
  let channel: BroadcastChannel | null = null;
  const ensureChannel = () => {
    if (channel || typeof BroadcastChannel !== 'function') return;
    channel = new BroadcastChannel(CHANNEL_NAME);
    channel.onmessage = (event: MessageEvent) => {
      const data: unknown = event.data;
      if (!isMissionsChangedMessage(data)) return;
      // This page's worker hears the same message, but a getDaily sent from a listener
      // below may reach the worker first: that read must bypass the worker's day cache.
      changedElsewhere.add(data.userId);
      // A snapshot: a listener that unsubscribes and subscribes again must not be called again in this loop.
      for (const entry of [...listeners]) if (entry.userId === data.userId) entry.listener({ userId: data.userId, day: data.day });
    };
  };

  const widget: WidgetClient = {
    async getDaily(userId, settings) {
      const call = changedElsewhere.delete(userId) ? { ...base(userId, settings), fresh: true } : base(userId, settings);
      const daily = await backend('getDaily', (api) => api.getDaily(call));
      if (!reader) whenIdle(() => void plainReader().catch(() => undefined));
      return dailyWithText(daily, settings);
    },
    async record(userId, activities, settings) {
      // Read into plain data (and given ids) once: a retry sends the very same activities.
      const { plainActivities } = await plainReader();
      let plain;
      try {
        plain = plainActivities(activities);
      } catch (error) {
        throw toMissionsError(error);
      }
      const call = { ...base(userId, settings), activities: plain };
      return recordResponse(await retried('record', (api) => api.record(call)), settings);
    },
    async pushStats(userId, stats, settings) {
      // Counters are absolute values for today: sending them twice changes nothing, so a retry is safe too.
      return recordResponse(await retried('pushStats', (api) => api.pushStats({ ...base(userId, settings), stats })), settings);
    },
    acknowledgeAwards: (userId, awardIds, settings) => acknowledge(userId, awardIds, settings),
    async claimAwards(userId, settings) {
      const claimed = await backend('claimAwards', (api) => api.claimUndelivered(base(userId, settings)));
      const text = claimed.length > 0 ? await textFor(settings) : {};
      return claimed.map(({ award, mission }) => ({
        award,
        mission: completedMission(mission, text, award),
      }));
    },
    async reroll(userId, settings) {
      const result = await backend('reroll', (api) => api.reroll(base(userId, settings)));
      return { refused: result.refused, daily: await dailyWithText(result.daily, settings) };
    },
    async claimCelebrations(userId, settings = {}) {
      const call = settings.templateIds ? { ...base(userId, settings), templateIds: settings.templateIds } : base(userId, settings);
      const claimed = await backend('claimCelebrations', (api) => api.claimCelebrations(call));
      const text = await textFor(settings);
      return claimed.map((m) => publicMission(withText(m, text)));
    },
    async useCatalog(catalog) {
      const full = await validateCatalog(catalog);
      catalogCounter += 1;
      const id = `custom-${catalogCounter}`;
      await backend('useCatalog', async (api) => api.useCatalog({ version: 1, templates: full.templates }, id));
      customText.set(id, (language) => {
        const lang = supportedLanguage(language);
        return (Object.hasOwn(full.text, lang) ? full.text[lang] : full.text['en']) ?? {};
      });
      return id;
    },
    subscribe(userId, listener) {
      ensureChannel();
      const entry = { userId, listener };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    close() {
      handle.release();
      channel?.close();
      channel = null;
      listeners.clear();
    },
  };
  const client = { ...widget, ...more(backend, base) } as C;
  if (!options.server) return client;
  // Server mode loads with its first call (src/server-client.ts); close() stays local.
  const own = { ...client };
  const server = import('./server-client.js').then((m) => m.serverClient(own, options, { backend, base, textFor, withText, publicMission, noteStatus, toMissionsError }));
  for (const key of Object.keys(client) as (keyof C)[]) {
    if (key === 'close') continue;
    client[key] = ((...args: never[]) => {
      const answer = server.then((c) => (c[key] as (...a: never[]) => unknown)(...args));
      return key === 'subscribe' ? () => void answer.then((off) => (off as () => void)()) : answer;
    }) as never;
  }
  return client;
}

/** Thrown for calls on a client whose worker could not be reached; re-exported for `instanceof`. */
export const isMissionsError = (error: unknown): error is MissionsError => error instanceof MissionsError;
