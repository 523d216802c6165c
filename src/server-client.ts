/**
 * Server mode on the main thread (docs/architecture.md §11): what `connectMissions({ server })`
 * and `<daily-missions server>` change. Loaded with the first call of a server-mode
 * client, so local mode never carries it. The worker does the talking (worker/server-mode.ts):
 * this part asks the host for a token before each call (and once more after a refusal),
 * turns the worker's answers into the client's shapes, reports degraded states, and
 * refreshes the learner's missions when the page comes back into view and, while it is
 * visible, at a modest interval, so a change made on another device shows.
 */
import type { ActivityInput } from '../worker/engine/activity.js';
import type { Mission } from '../worker/engine/types.js';
import type { MissionData, MissionsApi, ServerMode } from '../worker/api.js';
import type { ServerAnswer, ServerAward, ServerCall } from '../worker/server-mode.js';
import type { AwardData, CallSettings, CompletedMission, ConnectOptions, DailyMissions, MissionsClient, RecordResponse, WidgetClient } from './client.js';
import type { toMissionsError } from './errors.js';
import type { CatalogText } from './i18n/catalog-text.js';
import type { RemoteApi } from './worker-host.js';

/** How often a visible widget asks the server for changes made on other devices. */
export const SERVER_REFRESH_MS = 30_000;

/** What server mode uses of the client it extends (src/client.ts). */
export interface ClientParts {
  /** A call to the worker (or this page's engine), with its timeout and restart. */
  backend<T>(label: string, call: (api: RemoteApi | MissionsApi) => Promise<T>): Promise<T>;
  base(userId: string, settings?: CallSettings): { userId: string; now: number; timeZone: string };
  textFor(settings?: CallSettings): Promise<CatalogText>;
  withText(mission: MissionData, text: CatalogText): DailyMissions['missions'][number];
  publicMission(mission: Mission): Mission;
  // Handed over rather than imported: an import from the entry's modules would make the
  // bundler split them out of the entry into a shared chunk (measured: +754 B of gzip).
  toMissionsError: typeof toMissionsError;
  /** Reports a degraded status once, and forgets it once the status is clear again. */
  noteStatus(status: DailyMissions['status']): void;
}

/** One server-mode function of the worker, typed (Comlink's types lose the generic). */
function viaServer<K extends keyof ServerMode>(api: RemoteApi | MissionsApi, op: K, ...args: Parameters<ServerMode[K]>): Promise<Awaited<ReturnType<ServerMode[K]>>> {
  return (api.server as unknown as (op: K, ...values: Parameters<ServerMode[K]>) => Promise<Awaited<ReturnType<ServerMode[K]>>>)(op, ...args);
}

/** `local` in server mode: the widget's methods (and undeliveredAwards) go through the server; the others stay as they are. */
export function serverClient<C extends WidgetClient>(local: C, options: ConnectOptions, parts: ClientParts): C {
  const server = new URL(String(options.server), globalThis.location?.href).href;
  /** Awards the worker handed out on a read (an outbox sent in the background): announced by the next claimAwards. */
  let handedOut: { award: AwardData; mission: CompletedMission }[] = [];

  const token = async (): Promise<string | null> => (options.getToken ? ((await options.getToken()) ?? null) : null);

  const callFor = async (userId: string, settings?: CallSettings): Promise<ServerCall> => {
    const { timeZone } = parts.base(userId, settings);
    const call: ServerCall = { server, label: userId, token: await token(), timeZone };
    if (settings?.celebrate) call.celebrate = true;
    const { count, mix } = settings?.preferences ?? {};
    if (count !== undefined) call.count = count;
    if (mix !== undefined) call.mix = mix;
    return call;
  };

  /** One round through the worker; after a refusal of the credentials, once more with a fresh token. */
  const ask = async (userId: string, settings: CallSettings | undefined, activities?: unknown): Promise<ServerAnswer> => {
    const send = async () => {
      const call: ServerCall & { activities?: unknown } = await callFor(userId, settings);
      if (activities !== undefined) call.activities = activities;
      const { now } = parts.base(userId, settings);
      return parts.backend('serverToday', (api) => viaServer(api, 'serverToday', call, now));
    };
    let answer = await send();
    // A token that expired since the last call: the host gets one chance to give a new one.
    // The activities are queued already, so the second round sends none again.
    if (answer.problem?.code === 'unauthenticated' && options.getToken) {
      activities = undefined;
      answer = await send();
    }
    for (const { id, message } of answer.rejected) options.onError?.({ code: 'activity-rejected', message: `activity ${id}: ${message}`, activityId: id });
    return answer;
  };

  /**
   * The answer's view: the server's, the cached one with queued progress guessed in, or
   * (offline on a first visit) a day without missions yet; never a rejection for being
   * offline, as what was recorded is queued.
   */
  const viewOf = (answer: ServerAnswer, text: CatalogText): DailyMissions => {
    const { confirmed, pending, ...view } = answer.daily;
    const status: DailyMissions['status'] = { storage: 'server', pending, confirmed };
    if (answer.problem) status.error = answer.problem;
    parts.noteStatus(status);
    return { ...view, status, missions: view.missions.map((m) => parts.withText(m, text)) };
  };

  const awardsOf = (awards: ServerAward[], text: CatalogText) =>
    awards.map(({ mission, redelivery: _redelivery, ...rest }) => {
      const award: AwardData = { ...rest, awardedAt: Date.now(), durable: true };
      const completed: CompletedMission = { ...parts.publicMission(parts.withText(mission, text)), userId: award.userId, awardId: award.awardId };
      return { award, mission: completed, redelivery: _redelivery, celebrated: mission.celebrated };
    });

  const client: Partial<MissionsClient> = {
    async getDaily(userId, settings) {
      const answer = await ask(userId, settings);
      const text = await parts.textFor(settings);
      handedOut.push(...awardsOf(answer.awards, text));
      return viewOf(answer, text);
    },
    async record(userId, activities, settings): Promise<RecordResponse> {
      const { plainActivities } = await import('./plain-activity.js');
      let plain;
      try {
        plain = plainActivities(activities as ActivityInput | ActivityInput[]);
      } catch (error) {
        throw parts.toMissionsError(error);
      }
      const answer = await ask(userId, settings, plain);
      const text = await parts.textFor(settings);
      const all = awardsOf(answer.awards, text);
      // Awards the worker reclaimed after an uncertain send come as redeliveries.
      handedOut.push(...all.filter((a) => a.redelivery));
      const fresh = all.filter((a) => !a.redelivery);
      return {
        completed: fresh.map((a) => a.mission),
        completedDays: fresh.map((a) => a.award.day),
        awards: fresh.map((a) => a.award),
        alreadyRecorded: [],
        allCompleted: answer.allCompleted,
        celebrations: fresh.filter((a) => a.celebrated).map((a) => a.mission),
        daily: viewOf(answer, text),
      };
    },
    async claimAwards() {
      const taken = handedOut;
      handedOut = [];
      return taken;
    },
    // The worker marks an award announced when it hands it out.
    acknowledgeAwards: async () => undefined,
    async undeliveredAwards() {
      return handedOut.map((a) => a.award);
    },
    async claimCelebrations(userId, settings = {}) {
      const call = await callFor(userId, settings);
      const claimed = await parts.backend('serverClaim', (api) => viaServer(api, 'serverClaim', call, settings.templateIds));
      const text = await parts.textFor(settings);
      return claimed.map((m) => parts.publicMission(parts.withText(m, text)));
    },
    subscribe(userId, listener) {
      const off = local.subscribe(userId, listener);
      const stopWatching = watch(() => listener({ userId, day: '' }));
      return () => {
        off();
        stopWatching();
      };
    },
  };
  return { ...local, ...client };
}

/**
 * Calls `changed` when the page comes back into view or gets focus, and at an interval
 * while it is visible: another device's lesson shows without a reload. A hidden page
 * asks nothing.
 */
function watch(changed: () => void): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const schedule = () => {
    clearInterval(timer);
    timer = document.visibilityState === 'hidden' ? undefined : setInterval(changed, SERVER_REFRESH_MS);
  };
  const onVisibility = () => {
    schedule();
    if (document.visibilityState !== 'hidden') changed();
  };
  document.addEventListener('visibilitychange', onVisibility);
  addEventListener('focus', changed);
  addEventListener('online', changed);
  schedule();
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    removeEventListener('focus', changed);
    removeEventListener('online', changed);
  };
}
