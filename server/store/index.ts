/** The SQL store of `daily-missions/server` (docs/server.md, "Storage"). */
export { openServerStore } from './open.js';
export type { ServerStoreOptions } from './open.js';
export { SqlStore, sqlTransactionOf } from './sql-store.js';
export type { SqlStoreKind, SqlStoreOptions, SqlTx, LedgerTx } from './sql-store.js';
export { migrate, schemaVersion, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export type { Migration, MigrateOptions } from './migrations.js';
export { SCHEMA } from './tables.js';
export type { Tables } from './tables.js';
export { toStorageError, isRetryable } from './errors.js';
export { StorageError } from '../../worker/store/store.js';
