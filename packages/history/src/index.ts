/**
 * @hashiya/history: who tagged what and when, derived from the update log.
 */
export {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEvent,
  type AuditState,
  diffAnnotations,
  diffChanges,
  type TrackedAnnotation,
} from './audit.js'
export { AuditTrail, type AuditTrailOptions } from './audit-trail.js'
export type { DerivationRequest, DerivationResult } from './derivation.js'
export { type Deriver, InlineDeriver, WorkerDeriver } from './deriver.js'
export {
  type DocumentDiff,
  diffDocuments,
  type ParagraphDiff,
  type TextChange,
  type TextPiece,
} from './diff.js'
export { restoreDocument } from './restore.js'
export {
  type HistoryPoint,
  listVersions,
  loadDocumentAt,
  MalformedHistoryPointError,
  resolveHistoryPoint,
  UnknownVersionError,
  type VersionInfo,
  type VersionOptions,
} from './versions.js'
