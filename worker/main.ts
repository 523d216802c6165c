/**
 * The missions worker: a module Web Worker that owns IndexedDB and exposes the
 * missions API through Comlink. Every change is announced on a BroadcastChannel so
 * widgets in other tabs refresh.
 */
import * as Comlink from 'comlink';
// Rules only: the worker never shows text, so it does not carry any.
import catalog from '../catalog/templates.yaml?rules';
import { createMissionsApi } from './api.js';
import { announcer, openChangeChannel } from './channel.js';
import type { MissionsChangedMessage } from './engine/vocabulary.js';
import { IndexedDbStore } from './store/indexeddb-store.js';

const channel = openChangeChannel();

const api = createMissionsApi({
  store: new IndexedDbStore(),
  catalog,
  onChange: announcer(channel),
});

// Another tab's worker wrote (each worker posts its own changes; a channel does not
// hear its own messages): drop cached days so reads see that write. Whatever else is
// heard is left to forgetCachedDays, which ignores a user id that is not a string.
if (channel) channel.onmessage = (event: MessageEvent<Partial<MissionsChangedMessage> | null>) => api.forgetCachedDays(event.data?.userId);

Comlink.expose(api);
