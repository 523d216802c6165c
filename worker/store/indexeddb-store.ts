/**
 * The IndexedDB store (idb). One cached connection per worker:
 * - `blocking` (another tab wants a newer version, or a deletion): close at once so it
 *   can proceed; the next call reopens (and learns whether our version still opens);
 * - `terminated` (the browser closed the connection abnormally) and a connection that
 *   turns out closed: drop it and reopen lazily on the next call;
 * - an open that fails or has not settled after OPEN_TIMEOUT_MS rejects with a
 *   StorageError, which the API turns into the in-memory fallback.
 */
import { openDB } from 'idb';
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { DB_NAME, DB_VERSION, INDEX, OPEN_TIMEOUT_MS, STORE } from '../constants.js';
import { upgrade } from './migrations.js';
import type { AwardRow } from './rows.js';
import type { MissionsDB, StoredAward } from './schema.js';
import type { Store, StoreName, Tx, TxMode } from './store.js';
import { StorageError } from './store.js';

const ALL_STORES = Object.values(STORE) as StoreName[];
// Typed as readwrite: a readonly flow simply never calls the writing methods (IndexedDB would refuse them).
type AnyTx = IDBPTransaction<MissionsDB, StoreNames<MissionsDB>[], 'readwrite'>;

/** Maps a DOMException from IndexedDB to the degraded state it means for the widget. */
export function toStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  switch (name) {
    case 'QuotaExceededError':
      return new StorageError('storage-quota', 'The browser has no room left for daily-missions data.', { cause: error });
    case 'VersionError':
      return new StorageError('storage-version', 'A newer version of daily-missions is open in another tab; reload this page to use it.', { cause: error });
    case 'InvalidStateError':
      return new StorageError('storage-closed', 'The missions database was closed.', { cause: error });
    default:
      return new StorageError('storage-failed', `IndexedDB failed: ${name || 'error'}: ${message}`, { cause: error });
  }
}

export interface IndexedDbOptions {
  name?: string;
  openTimeoutMs?: number;
  /** Told when the connection is closed under us (blocking or terminated). */
  onConnectionLost?: (reason: 'blocking' | 'terminated') => void;
}

export class IndexedDbStore implements Store {
  readonly kind = 'indexeddb' as const;
  private connection: Promise<IDBPDatabase<MissionsDB>> | null = null;
  /** Settles when the last transaction asked for has finished (see transact). */
  private queue: Promise<void> = Promise.resolve();
  private readonly name: string;
  private readonly openTimeoutMs: number;
  private readonly onConnectionLost: ((reason: 'blocking' | 'terminated') => void) | undefined;

  constructor(options: IndexedDbOptions = {}) {
    this.name = options.name ?? DB_NAME;
    this.openTimeoutMs = options.openTimeoutMs ?? OPEN_TIMEOUT_MS;
    this.onConnectionLost = options.onConnectionLost;
  }

  /** Opens (or returns) the connection; rejects with a StorageError. */
  open(): Promise<IDBPDatabase<MissionsDB>> {
    this.connection ??= this.openFresh();
    return this.connection;
  }

  private openFresh(): Promise<IDBPDatabase<MissionsDB>> {
    if (typeof indexedDB === 'undefined' || indexedDB === null) {
      return Promise.reject(new StorageError('storage-unavailable', 'IndexedDB is not available in this browser context.'));
    }
    let request: Promise<IDBPDatabase<MissionsDB>> | undefined;
    const opening = new Promise<IDBPDatabase<MissionsDB>>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new StorageError('storage-timeout', `Opening the missions database did not finish within ${this.openTimeoutMs} ms.`));
      }, this.openTimeoutMs);
      const settle = (done: () => void) => {
        clearTimeout(timer);
        done();
      };
      try {
        request = openDB<MissionsDB>(this.name, DB_VERSION, {
          upgrade: (db, oldVersion, _newVersion, tx) => {
            // A failed migration aborts the versionchange transaction: the old data stays as it was.
            upgrade(db, oldVersion, tx).catch(() => {
              tx.done.catch(() => undefined); // the abort below rejects it; the open's error reports it
              tx.abort();
            });
          },
          blocking: () => this.drop('blocking'),
          terminated: () => this.drop('terminated'),
        });
        request.then(
          (db) => settle(() => resolve(db)),
          (error: unknown) => settle(() => reject(toStorageError(error))),
        );
      } catch (error) {
        settle(() => reject(toStorageError(error)));
      }
    });
    opening.catch(() => {
      if (this.connection === opening) this.connection = null;
      // An open that settles after we gave up is closed at once, so it blocks no one.
      request?.then((db) => db.close(), () => undefined);
    });
    return opening;
  }

  /** Closes and forgets the connection; the next call reopens. */
  private drop(reason: 'blocking' | 'terminated'): void {
    const previous = this.connection;
    this.connection = null;
    previous?.then((db) => db.close(), () => undefined);
    this.onConnectionLost?.(reason);
  }

  /**
   * Runs one transaction at a time on this connection. WebKit can wedge a database for good
   * when a worker ends (its tab closed) with a read-only and a read-write transaction in
   * flight together: opens still succeed, every transaction after hangs
   * (https://bugs.webkit.org/show_bug.cgi?id=324094). Transactions on overlapping stores
   * wait for each other inside IndexedDB anyway, so the queue costs little.
   */
  transact<T>(mode: TxMode, flow: (tx: Tx) => Promise<T>, scope: readonly StoreName[] = ALL_STORES): Promise<T> {
    const turn = this.queue.then(() => this.transactNow(mode, flow, scope));
    this.queue = turn.then(settled, settled);
    return turn;
  }

  private async transactNow<T>(mode: TxMode, flow: (tx: Tx) => Promise<T>, scope: readonly StoreName[]): Promise<T> {
    const db = await this.open();
    let tx: AnyTx;
    try {
      tx = db.transaction([...scope], mode) as unknown as AnyTx;
    } catch (error) {
      // The connection was closed under us (InvalidStateError): forget it, report it.
      this.connection = null;
      throw toStorageError(error);
    }
    try {
      const result = await flow(idbTx(tx));
      await tx.done;
      return result;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already finished or aborted.
      }
      tx.done.catch(() => undefined);
      throw error;
    }
  }

  close(): void {
    const previous = this.connection;
    this.connection = null;
    previous?.then((db) => db.close(), () => undefined);
  }
}

const settled = (): void => undefined;

/** Keys spanning every row of one user in a [userId, ...] keyed store or index. */
function userRange(userId: string): IDBKeyRange {
  return IDBKeyRange.bound([userId], [userId, []]);
}

/** An award row without the index-only `pendingFor`. */
function awardOf(stored: StoredAward): AwardRow {
  const { pendingFor: _pending, ...row } = stored;
  return row;
}

function idbTx(tx: AnyTx): Tx {
  // Looked up on use: a transaction may span only some stores (the read-only fast path).
  const missions = () => tx.objectStore(STORE.missions);
  const days = () => tx.objectStore(STORE.days);
  const awards = () => tx.objectStore(STORE.awards);
  const activity = () => tx.objectStore(STORE.activity);
  const profiles = () => tx.objectStore(STORE.profiles);
  /** Rewrites the user's undelivered awards named in `awardIds` (few rows: the sparse index). */
  async function updatePending(userId: string, awardIds: readonly string[], change: (row: StoredAward) => StoredAward): Promise<void> {
    const wanted = new Set(awardIds);
    let cursor = await awards().index(INDEX.byPending).openCursor(userId);
    while (cursor) {
      if (wanted.has(cursor.value.awardId)) await cursor.update(change(cursor.value));
      cursor = await cursor.continue();
    }
  }
  return {
    getProfile: (userId) => profiles().get(userId),
    putProfile: async (row) => void (await profiles().put(row)),
    getDay: (userId, day) => days().get([userId, day]),
    putDay: async (row) => void (await days().put(row)),
    async recentDays(userId, before, limit, since) {
      const rows = [];
      let cursor = await days().openCursor(IDBKeyRange.bound([userId, since], [userId, before], false, true), 'prev');
      while (cursor && rows.length < limit) {
        if (cursor.value.assignedAt !== undefined) rows.push(cursor.value);
        cursor = await cursor.continue();
      }
      return rows;
    },
    allDays: (userId) => days().getAll(userRange(userId)),
    async getMissions(userId, day) {
      // A range over the primary key [userId, day, templateId]: cheaper than the index.
      const rows = await missions().getAll(IDBKeyRange.bound([userId, day], [userId, day, []]));
      return rows.sort((a, b) => a.slot - b.slot);
    },
    allMissions: (userId) => missions().getAll(userRange(userId)),
    putMission: async (row) => void (await missions().put(row)),
    deleteMission: (userId, day, templateId) => missions().delete([userId, day, templateId]),
    async addAward(row) {
      // `add`, not `put`: the unique key is the last line of defence against paying twice.
      if ((await awards().getKey([row.userId, row.day, row.templateId])) !== undefined) return false;
      await awards().add(row.deliveredAt === undefined ? { ...row, pendingFor: row.userId } : row);
      return true;
    },
    allAwards: async (userId) => (await awards().index(INDEX.byUser).getAll(userId)).map(awardOf),
    async undeliveredAwards(userId) {
      const rows = (await awards().index(INDEX.byPending).getAll(userId)).map(awardOf);
      return rows.sort((a, b) => a.awardedAt - b.awardedAt || (a.awardId < b.awardId ? -1 : 1));
    },
    markAwardsDelivered: (userId, awardIds, at) => updatePending(userId, awardIds, (row) => awardOf({ ...row, deliveredAt: at })),
    leaseAwards: (userId, awardIds, until) => updatePending(userId, awardIds, (row) => ({ ...row, leasedUntil: until })),
    async addActivity(row) {
      if ((await activity().getKey([row.userId, row.activityId])) !== undefined) return false;
      await activity().add(row);
      return true;
    },
    allActivity: (userId) => activity().index(INDEX.byUserDay).getAll(userRange(userId)),
    async deleteUser(userId) {
      // Award rows stay: they are the ledger of what was paid (worker/store/store.ts).
      await Promise.all([
        missions().delete(userRange(userId)),
        days().delete(userRange(userId)),
        profiles().delete(userId),
        activity().delete(userRange(userId)),
      ]);
    },
  };
}
