/**
 * What the SQL backends share, kept once so they cannot drift apart: the rows
 * they read and how those become the contract's types, the totals an append
 * adds to a document, which audit filters exist, and how pauses in activity are found.
 */
import type {
  AuditQuery,
  DocumentSummary,
  StoredAuditEvent,
  StoredUpdate,
  UpdateToAppend,
} from './document-store.js'

export const DOCUMENT_COLUMNS =
  'id, title, created_at, updated_at, last_seq, log_bytes, snapshot_bytes'

export interface DocumentRow {
  id: string
  title: string
  created_at: number
  updated_at: number
  last_seq: number
  log_bytes: number
  snapshot_bytes: number
}

export const UPDATE_COLUMNS = 'seq, data, user_id, received_at'

export interface UpdateRow {
  seq: number
  data: Buffer
  user_id: string
  received_at: number
}

export const AUDIT_COLUMNS =
  'id, seq, at, user_id, action, annotation_id, kind, text, from_value, to_value'

export interface AuditRow {
  id: number
  seq: number
  at: number
  user_id: string
  action: string
  annotation_id: string
  kind: string
  text: string
  from_value: string | null
  to_value: string | null
}

/** Drivers hand out Buffers; the contract promises plain Uint8Arrays (whose slice copies). */
export function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

export function toSummary(row: DocumentRow): DocumentSummary {
  return {
    id: row.id,
    title: row.title,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    size: row.log_bytes + row.snapshot_bytes,
    lastSeq: row.last_seq,
  }
}

export function toStoredUpdate(row: UpdateRow): StoredUpdate {
  return {
    seq: row.seq,
    update: bytesOf(row.data),
    userId: row.user_id,
    receivedAt: row.received_at,
  }
}

export function toAuditEvent(row: AuditRow): StoredAuditEvent {
  return {
    id: row.id,
    seq: row.seq,
    at: row.at,
    userId: row.user_id,
    action: row.action,
    annotationId: row.annotation_id,
    kind: row.kind,
    text: row.text,
    from: row.from_value,
    to: row.to_value,
  }
}

/** What an append adds to its document row: stored bytes, and the time it was last updated. */
export function batchTotals(updates: readonly UpdateToAppend[]): {
  bytes: number
  latestReceivedAt: number
} {
  let bytes = 0
  let latestReceivedAt = 0
  for (const { update, receivedAt } of updates) {
    bytes += update.byteLength
    latestReceivedAt = Math.max(latestReceivedAt, receivedAt)
  }
  return { bytes, latestReceivedAt }
}

/** Optional audit query fields: the column each one constrains, and how. */
const AUDIT_FILTERS = [
  ['userId', 'user_id', '='],
  ['kind', 'kind', '='],
  ['action', 'action', '='],
  ['from', 'at', '>='],
  ['to', 'at', '<'],
  ['before', 'id', '<'],
] as const satisfies readonly (readonly [keyof AuditQuery, string, string])[]

export interface AuditCondition {
  field: (typeof AUDIT_FILTERS)[number][0]
  column: string
  operator: string
  value: string | number
}

/** The conditions a query sets; each backend renders them with its own placeholders. */
export function auditConditions(query: Omit<AuditQuery, 'limit'>): AuditCondition[] {
  const conditions: AuditCondition[] = []
  for (const [field, column, operator] of AUDIT_FILTERS) {
    const value = query[field]
    if (value !== undefined) conditions.push({ field, column, operator, value })
  }
  return conditions
}

/**
 * Updates followed by at least a gap of silence, and the last update, newest first.
 * Bound values, in order: document id, gap in ms, limit; `placeholder(position)`
 * writes the 1-based position in the backend's syntax.
 */
export function pausesQuery(placeholder: (position: number) => string): string {
  return `SELECT seq, at FROM (
     SELECT seq, received_at AS at,
            LEAD(received_at) OVER (ORDER BY seq) AS next_at
     FROM updates WHERE doc_id = ${placeholder(1)}
   ) AS timeline
   WHERE next_at IS NULL OR next_at - at >= ${placeholder(2)}
   ORDER BY seq DESC LIMIT ${placeholder(3)}`
}
