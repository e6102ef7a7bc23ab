/**
 * @hashiya/storage: where documents are kept. One `DocumentStore` contract,
 * one module per backend: SQLite (embedded, the default) and PostgreSQL
 * (several server instances sharing one database), whose PostgreSQL plumbing
 * (pools, transactions, migrations) other stores on the same database share.
 */
export {
  type AuditActivity,
  type AuditEventRecord,
  type AuditProgress,
  type AuditQuery,
  DocumentExistsError,
  DocumentMissingError,
  type DocumentStore,
  type DocumentSummary,
  type LogPause,
  type NewDocument,
  type StoredAuditEvent,
  type StoredState,
  type StoredUpdate,
  type StoredVersion,
  type TimeBuckets,
  type UpdateToAppend,
} from './document-store.js'
export {
  type BorrowedClient,
  borrowClient,
  inTransaction,
  migratePostgres,
  openPostgresPool,
  type PostgresConnectionOptions,
  type PostgresLogger,
  type PostgresMigrations,
  type PostgresPoolOptions,
  warningsToConsole,
} from './postgres.js'
export {
  PostgresDocumentStore,
  type PostgresStoreLogger,
  type PostgresStoreOptions,
} from './postgres-store.js'
export { SqliteDocumentStore, type SqliteStoreOptions } from './sqlite-store.js'
export { isStorageUnavailable } from './unavailable.js'
