/**
 * The stores the server suites run on: the in-memory store (the reference), PGlite in
 * a temp folder, and real PostgreSQL (test/support/postgres.ts). Each backend opens a
 * fresh, empty store and cleans up after itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openServerStore } from '../../../server/store/index.js';
import type { SqlStore, ServerStoreOptions } from '../../../server/store/index.js';
import { MemoryStore } from '../../../worker/store/memory-store.js';
import type { Store } from '../../../worker/store/store.js';
import { createTestDatabase, POSTGRES_UNAVAILABLE } from '../../support/postgres.js';
import type { TestDatabase } from '../../support/postgres.js';

export interface Backend {
  name: 'memory' | 'pglite' | 'postgres';
  /** Set when this backend cannot run here, with how to enable it. */
  unavailable: string | null;
  /** A fresh, empty store; `dispose` closes it and removes its data. */
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

export async function openPglite(options: Omit<ServerStoreOptions, 'dataDir' | 'databaseUrl'> = {}): Promise<{ store: SqlStore; dataDir: string; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'daily-missions-pglite-'));
  const store = await openServerStore({ ...options, dataDir });
  return {
    store,
    dataDir,
    async dispose() {
      await store.closed;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function openPostgres(options: Omit<ServerStoreOptions, 'dataDir' | 'databaseUrl'> = {}): Promise<{ store: SqlStore; database: TestDatabase; dispose(): Promise<void> }> {
  const database = await createTestDatabase();
  const store = await openServerStore({ ...options, databaseUrl: database.url });
  return {
    store,
    database,
    async dispose() {
      await store.closed;
      await database.dispose();
    },
  };
}

export const BACKENDS: readonly Backend[] = [
  {
    name: 'memory',
    unavailable: null,
    async open() {
      const store = new MemoryStore();
      return { store, dispose: async () => store.close() };
    },
  },
  { name: 'pglite', unavailable: null, open: () => openPglite() },
  { name: 'postgres', unavailable: POSTGRES_UNAVAILABLE, open: () => openPostgres() },
];
