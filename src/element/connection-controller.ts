/**
 * The connection of `<daily-missions>` to the missions worker, a Lit reactive
 * controller (https://lit.dev/docs/composition/controllers/): one client per worker URL,
 * kept for a moment after the element leaves the page (a DOM move reconnects at once),
 * the subscription to changes made elsewhere, the host's own catalog, and today's list
 * where the newest request wins.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { connectWidget } from '../client.js';
import type { CallSettings, ConnectOptions, DailyMissions, WidgetClient } from '../client.js';
import type { MissionsErrorDetail } from '../errors.js';

/** How long a released connection waits for the element to come back (a DOM move). */
const RELEASE_DELAY_MS = 1_000;

/** What the connection reads from the element. */
export interface ConnectionHost extends ReactiveControllerHost {
  workerUrl: string | URL | undefined;
  now: () => number;
  server: string | undefined;
  getToken: ConnectOptions['getToken'];
}

export interface ConnectionOptions {
  /** A degraded state the client ran into (storage on memory, worker unavailable). */
  onError(detail: MissionsErrorDetail): void;
  /** The learner's missions changed in another tab or on another client of this page. */
  onChangedElsewhere(): void;
}

export interface ConnectionController extends ReactiveController {
  /** The open client, or null before the first call and after release. */
  readonly client: WidgetClient | null;
  /** The id the worker gave the host's catalog, once registered on this client. */
  readonly catalogId: string | undefined;
  /** The client for the current worker URL, opened on first use or when the URL changed. */
  ensure(): WidgetClient;
  /** Registers the host's compiled catalog (or forgets the last one, for `undefined`). */
  useCatalog(catalog: unknown): Promise<void>;
  /**
   * Today's missions for `userId`, subscribing to their changes. Resolves undefined, and
   * swallows a failure, when a newer load started meanwhile: only the newest answer counts.
   * `settings` is read once the client is open (a new client forgets the catalog id).
   */
  load(userId: string, settings: () => CallSettings): Promise<DailyMissions | undefined>;
}

export function connectionController(host: ConnectionHost, options: ConnectionOptions): ConnectionController {
  let client: WidgetClient | null = null;
  let clientUrl = '';
  let catalogId: string | undefined;
  let releaseTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribe: (() => void) | null = null;
  let subscribedTo = '';
  let loadToken = 0;

  const release = (): void => {
    unsubscribe?.();
    unsubscribe = null;
    client?.close();
    client = null;
    catalogId = undefined;
  };

  const ensure = (): WidgetClient => {
    const { workerUrl, server } = host;
    const url = `${workerUrl ?? ''} ${server ?? ''}`;
    if (client && clientUrl === url) return client;
    release();
    // acknowledge: 'manual': delivered means dispatched, so the element acknowledges after the event.
    const settings: ConnectOptions = { now: () => host.now(), mainThreadFallback: true, acknowledge: 'manual', onError: (detail) => options.onError(detail) };
    if (workerUrl !== undefined) settings.workerUrl = workerUrl;
    // Server mode (docs/architecture.md §11): the token is read from the element at each call.
    if (server) Object.assign(settings, { server, getToken: () => host.getToken?.() });
    clientUrl = url;
    return (client = connectWidget(settings));
  };

  /** Follows changes to this learner's missions made elsewhere (once per client and user). */
  const subscribe = (userId: string): void => {
    if (!client || !userId) return;
    if (unsubscribe && subscribedTo === userId) return;
    unsubscribe?.();
    subscribedTo = userId;
    unsubscribe = client.subscribe(userId, () => options.onChangedElsewhere());
  };

  const connection: ConnectionController = {
    get client() {
      return client;
    },
    get catalogId() {
      return catalogId;
    },
    hostConnected() {
      clearTimeout(releaseTimer);
    },
    hostDisconnected() {
      // A DOM move disconnects and reconnects at once: keep the worker for a moment.
      releaseTimer = setTimeout(release, RELEASE_DELAY_MS);
    },
    ensure,
    async useCatalog(catalog) {
      catalogId = undefined;
      if (catalog) catalogId = await ensure().useCatalog(catalog);
    },
    async load(userId, settings) {
      const token = ++loadToken;
      const open = ensure();
      subscribe(userId);
      try {
        const daily = await open.getDaily(userId, settings());
        return token === loadToken ? daily : undefined;
      } catch (error) {
        if (token === loadToken) throw error;
        return undefined;
      }
    },
  };
  host.addController(connection);
  return connection;
}
