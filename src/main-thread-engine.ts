/**
 * The missions API on the main thread: loaded lazily, only when no worker can be
 * started (CSP without worker-src, an opaque-origin sandbox, a missing worker file).
 * It runs the same engine on the same IndexedDB database as the worker would, so
 * nothing already paid is paid again; only where IndexedDB itself is unavailable does
 * it keep missions in memory, and then every award says `durable: false`.
 */
import catalog from '../catalog/templates.yaml?rules';
import { createMissionsApi } from '../worker/api.js';
import type { MissionsApi } from '../worker/api.js';
import { announcer, openChangeChannel } from '../worker/channel.js';
import { IndexedDbStore } from '../worker/store/indexeddb-store.js';

export function createMainThreadApi(): MissionsApi {
  const channel = openChangeChannel();
  const store = new IndexedDbStore();
  // A page in the back/forward cache keeps an open connection frozen, and other pages'
  // upgrades and deletions of the database wait on it (src/page-cache.ts says more): closed
  // when the page goes into the cache, opened again by the next call.
  addEventListener('pagehide', (event) => {
    if (event.persisted) store.close();
  });
  const api = createMissionsApi({
    store,
    catalog,
    onChange: announcer(channel),
  });
  // As in worker/main.ts: another tab wrote, so cached days of that learner are stale.
  if (channel) channel.onmessage = (event: MessageEvent<{ userId?: unknown }>) => api.forgetCachedDays(event.data?.userId);
  return api;
}
