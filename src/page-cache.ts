/**
 * The back/forward cache, for the worker host (worker-host.ts loads this module once its
 * first worker runs, so the entry does not carry it).
 *
 * WebKit keeps a page whose worker runs and whose IndexedDB connection is open in its
 * back/forward cache, frozen. A frozen connection cannot close when another page of the
 * origin asks for a version change or a deletion, so that page waits until the cached one
 * is evicted; and the page shown again came back with a worker it could no longer use.
 * Closing connections on `pagehide` and opening them again on `pageshow` is the pattern
 * browsers recommend:
 * https://web.dev/articles/bfcache#close-open-connections-before-the-user-navigates-away
 *
 * - `pagehide` with `persisted`: every worker stops (its database connection closes with
 *   it), a worker still starting too. Calls still waiting reject as `worker-timeout`,
 *   marked as cut short: a read is sent again once the page is shown; a write may have
 *   been stored, so it stays rejected. No worker starts while the page is cached: calls
 *   made meanwhile wait until it is shown.
 * - `pageshow` with `persisted`: each worker still in use starts again.
 */
import type { MissionsError as MissionsErrorClass } from './errors.js';
import type { Shared, WorkerHandle as WorkerHandleClass } from './worker-host.js';

/**
 * Calls that may be sent again when the cache cut them short, by API method name: the
 * reads, and the claims (a claim that did reach the worker leased or marked what it
 * claimed, so sending it again gets nothing twice; leased awards come back on a later
 * load once their lease ends, so nothing is lost or announced twice).
 */
const RESENDABLE = new Set(['getDaily', 'getPreferences', 'history', 'exportData', 'status', 'undeliveredAwards', 'claimAwards', 'claimCelebrations']);

/** Whether the page's events are watched yet (tests wait for it). */
export let watching = false;

/**
 * Starts watching the page's transitions. The host hands over what this needs rather than
 * this module importing it: a static import of the host's module from a lazy chunk makes
 * bundlers split the entry into more chunks (measured: 400 B more gzip).
 */
export default function watchPageCache(
  shared: Map<string, Shared>,
  WorkerHandle: typeof WorkerHandleClass,
  MissionsError: typeof MissionsErrorClass,
): void {
  if (watching) return;
  watching = true;
  /** Set while the page is cached: resolves when it is shown again. */
  let shown: Promise<void> | undefined;
  let show = () => {};
  const cut = new WeakSet<object>();
  const cutError = (): MissionsErrorClass => {
    const error = new MissionsError('worker-timeout', 'The page went into the back/forward cache before the missions worker answered; the worker starts again when the page is shown.');
    cut.add(error);
    return error;
  };

  const call = WorkerHandle.prototype.call;
  WorkerHandle.prototype.call = async function <T>(this: WorkerHandleClass, label: string, run: Parameters<typeof call<T>>[1], timeoutMs?: number): Promise<T> {
    // Checked again after each wait: the page may have been cached since the call was made.
    do await shown;
    while (shown);
    try {
      return await call.call(this, label, run, timeoutMs) as T;
    } catch (error) {
      if (RESENDABLE.has(label) && cut.has(error as object)) return this.call(label, run, timeoutMs);
      throw error;
    }
  };

  addEventListener('pagehide', (event) => {
    if (!event.persisted) return;
    shown ??= new Promise<void>((resolve) => (show = resolve));
    for (const entry of shared.values()) {
      entry.instance?.die(cutError());
      entry.instance = null;
      // A worker still starting is stopped as soon as its start settles (the next call starts another).
      entry.starting?.then((instance) => instance.die(cutError()), () => undefined);
    }
  });
  addEventListener('pageshow', (event) => {
    if (!event.persisted || !shown) return;
    shown = undefined;
    show();
    // Start again each worker still in use, through a handle of its own for the moment of
    // the ping, so the first call finds it ready. A start that fails here is reported by
    // the next call, which tries again.
    for (const [href, entry] of shared) {
      if (entry.users === 0) continue;
      const handle = new WorkerHandle(new URL(href));
      handle.call('ping', (remote) => remote.ping()).then(() => handle.release(), () => handle.release());
    }
  });
}
