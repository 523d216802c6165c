/**
 * The vocabulary every part of daily-missions shares: the element and the client on
 * the page, the worker, the engine, the catalog CLI (and the server to come). The names,
 * limits and defaults of the public contract (docs/architecture.md §3) are defined here
 * and nowhere else.
 *
 * This module imports nothing and runs nothing when loaded, and every build inlines its
 * constants where they are used (vite.config.ts). It holds only what several sides need:
 * the element's entry and the lazy engine-on-the-page chunk both import it, which puts it
 * in one shared chunk, whole, that loads with the entry. Tables only the engine needs
 * (families, categories, checks) stay in types.ts.
 */

/** Difficulty mixes a host can ask for; `auto` resolves to one of the others from recent history. */
export const MIXES = ['balanced', 'easy', 'challenging', 'auto'] as const;
export type Mix = (typeof MIXES)[number];
/** A mix a day is assigned with: `auto` resolved. */
export type ConcreteMix = Exclude<Mix, 'auto'>;

/** Missions a day: a host may ask for 1 to 3 (the `count` attribute and preference). */
export const MIN_MISSIONS = 1;
export const MAX_MISSIONS = 3;

/**
 * The preferences of a learner who has set none, where the page needs them too (the
 * element tells a changed count or mix from the defaults). The default tracks are in
 * types.ts beside the families; worker/preferences.ts puts the whole default together.
 */
export const DEFAULT_COUNT = MAX_MISSIONS;
export const DEFAULT_MIX: Mix = 'balanced';
/** Rerolls a learner gets per day unless the host changes it. */
export const DEFAULT_REROLLS_PER_DAY = 1;

/** The longest time-zone name accepted (IANA's longest has 30 characters); it also bounds what is stored. */
export const MAX_TIME_ZONE_LENGTH = 64;

/** The last zone found valid: a page or a worker checks the same zone again and again. */
let lastValidZone: string | undefined;

/**
 * True when the runtime knows `timeZone`: an IANA name everywhere, an offset zone such
 * as `+05:45` where the runtime supports it. Asking Intl costs a formatter (about
 * 0.1 ms), so the last valid zone is remembered.
 */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.length > MAX_TIME_ZONE_LENGTH) return false;
  try {
    // An empty or unknown name throws a RangeError.
    if (timeZone !== lastValidZone) new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    return false;
  }
  lastValidZone = timeZone;
  return true;
}

/** The BroadcastChannel on which every worker (or the engine on the page) announces a change to a learner's missions. */
export const CHANNEL_NAME = 'daily-missions';

/**
 * The message on that channel: `userId`'s missions of `day` changed. The client checks
 * what it hears against this shape (src/client.ts); the worker only forgets cached days.
 */
export interface MissionsChangedMessage {
  type: 'missions-changed';
  userId: string;
  day: string;
}

/** Languages every catalog and the widget ship text for (Arabic is written right to left). */
export const LANGUAGES = ['en', 'de', 'es', 'fr', 'el', 'pt', 'tr', 'ja', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];
