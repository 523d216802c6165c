/**
 * The storage contract the daily flow is written against. A flow runs inside one
 * transaction (`Store.transact`) and touches storage only through `Tx`, whose
 * methods are IndexedDB requests in the real store: the flow awaits nothing else,
 * so the IndexedDB transaction stays alive from its first read to its last write.
 */
import type { DayKey } from '../engine/day.js';
import type { STORE } from '../constants.js';
import type { ActivityRow, AwardRow, DayRow, MissionRow, ProfileRow } from './rows.js';

export interface Tx {
  getProfile(userId: string): Promise<ProfileRow | undefined>;
  putProfile(row: ProfileRow): Promise<void>;
  getDay(userId: string, day: DayKey): Promise<DayRow | undefined>;
  putDay(row: DayRow): Promise<void>;
  /**
   * The user's days with missions assigned in [since, before), newest first, at most
   * `limit`. The window bounds the read: days that only hold back-dated activity are
   * skipped without walking the whole history.
   */
  recentDays(userId: string, before: DayKey, limit: number, since: DayKey): Promise<DayRow[]>;
  /** Every day row of the user (export, history), oldest first. */
  allDays(userId: string): Promise<DayRow[]>;
  getMissions(userId: string, day: DayKey): Promise<MissionRow[]>;
  allMissions(userId: string): Promise<MissionRow[]>;
  putMission(row: MissionRow): Promise<void>;
  deleteMission(userId: string, day: DayKey, templateId: string): Promise<void>;
  /** Writes the award; false when one already exists for that user, day and template. */
  addAward(row: AwardRow): Promise<boolean>;
  allAwards(userId: string): Promise<AwardRow[]>;
  /** The user's awards no event or host has delivered yet, oldest first. */
  undeliveredAwards(userId: string): Promise<AwardRow[]>;
  /** Marks these of the user's awards delivered at `at`; unknown or already delivered ids are ignored. */
  markAwardsDelivered(userId: string, awardIds: readonly string[], at: number): Promise<void>;
  /** Sets `leasedUntil` on these undelivered awards of the user (a redelivery claiming them). */
  leaseAwards(userId: string, awardIds: readonly string[], until: number): Promise<void>;
  /** Stores the activity; false (and nothing written) when (userId, activityId) is already stored. */
  addActivity(row: ActivityRow): Promise<boolean>;
  allActivity(userId: string): Promise<ActivityRow[]>;
  /**
   * Removes the user's data (import with replace, clearing data) but keeps the award
   * rows: the ledger of paid awards, so none can be paid twice (docs/architecture.md §6).
   */
  deleteUser(userId: string): Promise<void>;
}

export type TxMode = 'readonly' | 'readwrite';

/** A store name (worker/constants.ts); a transaction may be limited to some of them. */
export type StoreName = (typeof STORE)[keyof typeof STORE];

export interface Store {
  readonly kind: 'indexeddb' | 'memory' | 'postgres' | 'pglite';
  /**
   * Runs `flow` in one transaction over every store. If `flow` throws, nothing it
   * wrote is kept. `flow` must await only `Tx` methods.
   */
  transact<T>(mode: TxMode, flow: (tx: Tx) => Promise<T>, scope?: readonly StoreName[]): Promise<T>;
  close(): void;
}

/** A storage failure the API turns into a degraded state rather than an error for the host. */
export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

export type StorageErrorCode =
  | 'storage-unavailable'
  | 'storage-timeout'
  | 'storage-quota'
  | 'storage-version'
  | 'storage-closed'
  | 'storage-failed';
