/**
 * @hashiya/storage: where documents are kept. One `DocumentStore` contract,
 * one module per backend (SQLite now; PostgreSQL joins behind the same contract).
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
  type UpdateToAppend,
} from './document-store.js'
export { SqliteDocumentStore, type SqliteStoreOptions } from './sqlite-store.js'
