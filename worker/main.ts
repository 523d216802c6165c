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

Comlink.expose(api);
