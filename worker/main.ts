/**
 * The missions worker: a module Web Worker that owns IndexedDB and exposes the
 * missions API through Comlink. Every change is announced on a BroadcastChannel so
 * widgets in other tabs refresh.
 */
import * as Comlink from 'comlink';
// Rules only: the worker never shows text, so it does not carry any.
import catalog from '../catalog/templates.yaml?rules';
import { createMissionsApi } from './api.js';
import { CHANNEL_NAME } from './constants.js';
import { IndexedDbStore } from './store/indexeddb-store.js';

const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;

const api = createMissionsApi({
  store: new IndexedDbStore(),
  catalog,
  onChange: (change) => channel?.postMessage({ type: 'missions-changed', ...change }),
});

// Another tab's worker wrote (each worker posts its own changes; a channel does not
// hear its own messages): drop cached days so reads see that write.
if (channel) channel.onmessage = (event: MessageEvent<{ userId?: unknown }>) => api.forgetCachedDays(event.data?.userId);

Comlink.expose(api);
