/**
 * The missions API on the main thread, on an in-memory store: loaded lazily, only
 * when no worker can be started (CSP without worker-src, an opaque-origin sandbox, a
 * missing worker file). Missions keep working for the life of the page.
 */
import catalog from '../catalog/templates.yaml?rules';
import { createMissionsApi } from '../worker/api.js';
import type { MissionsApi } from '../worker/api.js';
import { CHANNEL_NAME } from '../worker/constants.js';

export function createMainThreadApi(): MissionsApi {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
  return createMissionsApi({
    store: null,
    catalog,
    unavailable: { code: 'worker-unavailable', message: 'No worker could be started; missions are kept in memory on this page.' },
    onChange: (change) => channel?.postMessage({ type: 'missions-changed', ...change }),
  });
}
