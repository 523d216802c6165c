/**
 * Which store a call runs on: the persistent one (IndexedDB) while it works, else an
 * in-memory store, with the status that says why. A storage fault never reaches the
 * caller as an error: a closed connection is reopened once, anything else switches to
 * memory (carrying the user's data over on a quota error, when it is still readable).
 */
import { ValidationError } from '../engine/errors.js';
import type { CatalogRules } from '../engine/types.js';
import { exportUser, importUser } from '../backup.js';
import { toStorageError } from '../store/indexeddb-store.js';
import { MemoryStore } from '../store/memory-store.js';
import type { StorageError, Store, StoreName, Tx, TxMode } from '../store/store.js';
import type { StorageStatus } from './types.js';

export class StorageRouter {
  private persistent: Store | null;
  private memory: MemoryStore | null;
  private degraded: StorageStatus['error'];

  /** `onSwitch` is told when calls move to memory (cached reads must be dropped). */
  constructor(
    store: Store | null,
    unavailable: StorageStatus['error'],
    private readonly catalog: CatalogRules,
    private readonly onSwitch: () => void,
  ) {
    this.persistent = store;
    this.memory = store ? null : new MemoryStore();
    this.degraded = store ? undefined : (unavailable ?? { code: 'storage-unavailable', message: 'IndexedDB is not available.' });
  }

  status(): StorageStatus {
    const storage = this.memory ? 'memory' : 'indexeddb';
    return this.degraded ? { storage, error: this.degraded } : { storage };
  }

  /** Whether what is written now outlives the page (false on the memory store). */
  get durable(): boolean {
    return this.memory === null;
  }

  /** Runs a flow on the persistent store, reopening once if it was closed, else on memory. */
  async run<T>(mode: TxMode, userId: string, flow: (tx: Tx) => Promise<T>, scope?: readonly StoreName[]): Promise<T> {
    if (this.persistent) {
      try {
        return await this.persistent.transact(mode, flow, scope);
      } catch (error) {
        if (error instanceof ValidationError) throw error;
        let failure = toStorageError(error);
        if (failure.code === 'storage-closed') {
          try {
            return await this.persistent.transact(mode, flow);
          } catch (retryError) {
            if (retryError instanceof ValidationError) throw retryError;
            failure = toStorageError(retryError);
          }
        }
        await this.fallBack(failure, userId);
      }
    }
    return this.memory!.transact(mode, flow);
  }

  /**
   * Switches to the in-memory store. On a quota error the database is still readable,
   * so the user's data is carried over and the widget goes on where it was.
   */
  private async fallBack(error: StorageError, userId: string): Promise<void> {
    this.onSwitch();
    this.degraded = { code: error.code, message: error.message };
    const failed = this.persistent;
    this.persistent = null;
    this.memory ??= new MemoryStore();
    if (failed && error.code === 'storage-quota') {
      try {
        const data = await failed.transact('readonly', (tx) => exportUser(tx, userId, 0));
        await this.memory.transact('readwrite', (tx) => importUser(tx, data, { replace: true, catalog: this.catalog }));
      } catch {
        // Unreadable after all: start from empty memory; the status already says why.
      }
    }
    failed?.close();
  }
}
