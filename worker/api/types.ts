/**
 * What crosses between the worker and the main thread: call options and answers. The
 * main thread imports these types only (through worker/api.ts).
 */
import type { RerollRefusal } from '../daily.js';
import type { StreakView } from '../engine/streak.js';
import type { CatalogRules, MissionState } from '../engine/types.js';
import type { Store } from '../store/store.js';
import type { Preferences } from '../store/rows.js';

/** What every call sends: who, and the caller's clock and zone. */
export interface CallOptions {
  userId: string;
  /** Epoch ms from the caller's clock (the worker reads no clock). */
  now: number;
  /** IANA zone of the caller; a stored timeZone preference wins over it. */
  timeZone: string;
  /** Preferences for this call only (the element's attributes), over the stored ones. */
  preferences?: Partial<Preferences>;
  /** A catalog registered with `useCatalog`; default: the shipped one. */
  catalogId?: string;
  /** record() and pushStats(): the caller celebrates what the call completes today (see CallContext.celebrate). */
  celebrate?: boolean;
}

export interface StorageStatus {
  /** Where the missions live: this browser (IndexedDB, or memory when degraded) or a missions server. */
  storage: 'indexeddb' | 'memory' | 'server';
  /** Set while degraded: why the data is not (or no longer) kept in IndexedDB, or why the server could not be used. */
  error?: { code: string; message: string };
  /** Server mode: activities recorded here and not yet accepted by the server. */
  pending?: number;
  /** Server mode: false while what is shown is a local guess (cached, or with unsent activities). */
  confirmed?: boolean;
}

/** A mission as the worker reports it (no text: the main thread adds it in its language). */
export interface MissionData extends MissionState {
  slot: number;
  celebrated: boolean;
}

export interface DailyView {
  userId: string;
  day: string;
  enabled: boolean;
  missions: MissionData[];
  mix: string | null;
  rerollsLeft: number;
  /** Epoch ms of the next local midnight, when the missions renew. */
  nextDayAt: number;
  streak: StreakView;
  xpToday: number;
  allComplete: boolean;
  preferences: Preferences;
  status: StorageStatus;
}

/**
 * One paid award as hosts see it (docs/architecture.md §3). `awardId` is the same in
 * every tab, retry and redelivery: the key a host credits XP under.
 */
export interface AwardData {
  awardId: string;
  userId: string;
  day: string;
  templateId: string;
  xp: number;
  awardedAt: number;
  /** false: kept in memory only (no IndexedDB on this page); it is gone when the page closes. */
  durable: boolean;
}

/** An award being redelivered, with its mission (rebuilt from its template when the row is gone). */
export interface PendingAward {
  award: AwardData;
  mission: MissionData;
}

export interface RecordResult {
  /** Missions this call completed (its transaction wrote their awards). */
  completed: MissionData[];
  /** The day of each completed mission, in the same order: an activity dated yesterday completes yesterday's missions. */
  completedDays: string[];
  /** The award of each completed mission, in the same order. */
  awards: AwardData[];
  /** Ids of activities of this call that were already stored (a retry): they counted the first time only. */
  alreadyRecorded: string[];
  /** Set when this call completed the day's last open mission. */
  allCompleted: { day: string; xp: number } | null;
  daily: DailyView;
}

export interface RerollResult {
  refused: RerollRefusal | null;
  daily: DailyView;
}

export interface ApiOptions {
  /** The persistent store; the API falls back to memory when it fails. */
  store: Store | null;
  catalog: CatalogRules;
  /** Called after a call changed a user's data (cross-tab notification). */
  onChange?: (change: { userId: string; day: string }) => void;
  /** Why there is no persistent store (for the status), when `store` is null. */
  unavailable?: { code: string; message: string };
}
