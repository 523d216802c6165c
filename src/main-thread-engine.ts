/**
 * The missions API on the main thread, on an in-memory store: loaded lazily, only
 * when no worker can be started (CSP without worker-src, an opaque-origin sandbox, a
 * missing worker file). Missions keep working for the life of the page.
 */
import catalog from '../catalog/templates.yaml?rules';
import { createMissionsApi } from '../worker/api.js';
import type { MissionsApi } from '../worker/api.js';
import { announcer, openChangeChannel } from '../worker/channel.js';

export function createMainThreadApi(): MissionsApi {
  return createMissionsApi({
    store: null,
    catalog,
    unavailable: { code: 'worker-unavailable', message: 'No worker could be started; missions are kept in memory on this page.' },
    onChange: announcer(openChangeChannel()),
  });
}
