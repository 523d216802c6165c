/**
 * The BroadcastChannel on which a missions API (the worker's, or the engine's running
 * on the page when no worker starts) tells every tab that a learner's missions changed.
 */
import { CHANNEL_NAME } from './engine/vocabulary.js';
import type { MissionsChangedMessage } from './engine/vocabulary.js';

/** The channel, or null where BroadcastChannel does not exist. */
export function openChangeChannel(): BroadcastChannel | null {
  return typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
}

/** Tells the other tabs (a channel does not hear its own messages) that `userId`'s missions of `day` changed. */
export function announcer(channel: BroadcastChannel | null): (change: { userId: string; day: string }) => void {
  return (change) => channel?.postMessage({ type: 'missions-changed', ...change } satisfies MissionsChangedMessage);
}
