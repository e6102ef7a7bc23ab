/**
 * The storage contract every backend implements.
 *
 * The update log is the source of truth: every update the sync server accepts is
 * appended with who sent it and when, and is never rewritten. Snapshots are a
 * cache of the merged log up to a sequence number, so that loading a document
 * does not replay years of keystrokes; they never replace the log.
 */

export interface DocumentSummary {
  id: string
  title: string
  createdAt: Date
  updatedAt: Date
  /** Bytes stored for the document: its update log plus its latest snapshot. */
  size: number
  /** Sequence number of the last stored update (what every client has been sent). */
  lastSeq: number
}

export interface UpdateToAppend {
  update: Uint8Array
  /** The user the connection that produced the update belongs to. */
  userId: string
  /** Server clock, milliseconds since the epoch. */
  receivedAt: number
}

export interface StoredUpdate extends UpdateToAppend {
  /** Position in the document's log, starting at 1, without gaps. */
  seq: number
}

export interface StoredState {
  /** Merged state of every update up to `snapshotSeq`, or null before the first compaction. */
  snapshot: Uint8Array | null
  snapshotSeq: number
  /** Updates after the snapshot, in log order. */
  updates: StoredUpdate[]
  /** Sequence number of the last update in the log. */
  lastSeq: number
}

export interface NewDocument {
  id: string
  title: string
  /** The document's first update (its initial content); appended as seq 1. */
  initialUpdate: Uint8Array
  userId: string
}

/** One derived annotation audit event, as stored. */
export interface AuditEventRecord {
  /** The update (log seq) that caused it. */
  seq: number
  /** Server time of that update, ms since the epoch. */
  at: number
  userId: string
  action: string
  annotationId: string
  kind: string
  text: string
  from: string | null
  to: string | null
}

export interface StoredAuditEvent extends AuditEventRecord {
  /** Increasing with seq; the pagination cursor. */
  id: number
}

/** How far the audit trail has been derived, and what it remembers to continue. */
export interface AuditProgress {
  seq: number
  /** Opaque JSON the history module needs to continue from `seq`. */
  state: string
}

export interface AuditQuery {
  userId?: string
  kind?: string
  action?: string
  /** Inclusive lower bound on `at`. */
  from?: number
  /** Exclusive upper bound on `at`. */
  to?: number
  /** Only events with an id below this (the previous page's `nextCursor`). */
  before?: number
  limit: number
}

/** How activity is counted over time: buckets of `sizeMs` that start at midnight in the viewer's zone. */
export interface TimeBuckets {
  sizeMs: number
  /** The viewer's offset from UTC (east is positive): a day's bucket starts at their midnight. */
  offsetMs: number
}

export interface AuditActivity {
  byUser: { userId: string; count: number }[]
  byKind: { kind: string; count: number }[]
  /** Bucket start (ms since the epoch, UTC) → count, in time order. */
  byTime: { start: number; count: number }[]
}

/** A version a user named, pointing at a position in the log. */
export interface StoredVersion {
  id: number
  name: string
  seq: number
  createdBy: string
  createdAt: number
}

/** The last update before a pause in activity: an automatic checkpoint. */
export interface LogPause {
  seq: number
  /** Server time of that update. */
  at: number
}

export interface DocumentStore {
  listDocuments(): Promise<DocumentSummary[]>
  getDocument(id: string): Promise<DocumentSummary | null>
  /** Throws `DocumentExistsError` when the id is taken. */
  createDocument(document: NewDocument): Promise<DocumentSummary>
  renameDocument(id: string, title: string): Promise<DocumentSummary | null>
  /** Removes the document, its log and its snapshots. False when there was none. */
  deleteDocument(id: string): Promise<boolean>
  /** Null when the document does not exist. */
  loadState(id: string): Promise<StoredState | null>
  /**
   * Appends updates in one durable transaction and returns the sequence number of
   * the last one. Resolves only once the updates are committed.
   */
  appendUpdates(id: string, updates: readonly UpdateToAppend[]): Promise<number>
  /** Records `state` as the merged log up to and including `upToSeq`. */
  writeSnapshot(id: string, state: Uint8Array, upToSeq: number): Promise<void>
  /** The log itself, for history: updates with seq in (afterSeq, upToSeq]. */
  readLog(id: string, afterSeq?: number, upToSeq?: number): Promise<StoredUpdate[]>
  createVersion(id: string, version: Omit<StoredVersion, 'id'>): Promise<StoredVersion>
  /** Newest first. */
  listVersions(id: string): Promise<StoredVersion[]>
  /**
   * Updates followed by at least `gapMs` of silence, and the last update;
   * newest first, at most `limit`.
   */
  listPauses(id: string, gapMs: number, limit: number): Promise<LogPause[]>
  /** Sequence number of the last update received at or before `time`; 0 if none. */
  seqAtTime(id: string, time: number): Promise<number>
  /** Server time of one logged update, or null. */
  timeOfSeq(id: string, seq: number): Promise<number | null>
  /**
   * Records derived events and the progress reached, in one transaction. Several
   * instances may derive the same document at once (derivation depends on the
   * log alone, so they derive the same events): events at or below the stored
   * progress are already recorded and are skipped, and progress never moves back.
   */
  appendAuditEvents(
    id: string,
    events: readonly AuditEventRecord[],
    progress: AuditProgress,
  ): Promise<void>
  readAuditProgress(id: string): Promise<AuditProgress | null>
  /** Newest first. */
  queryAuditEvents(id: string, query: AuditQuery): Promise<StoredAuditEvent[]>
  auditActivity(
    id: string,
    buckets: TimeBuckets,
    query: Omit<AuditQuery, 'limit' | 'before'>,
  ): Promise<AuditActivity>
  /**
   * Runs `fn` holding the document's compaction lock, so that of several server
   * instances sharing the storage only one compacts a document at a time. Resolves
   * to null without running `fn` when another holder has the lock; the lock is
   * released when `fn` settles. It saves duplicated work, not correctness:
   * `writeSnapshot` never lets an older snapshot replace a newer one anyway.
   */
  withCompactionLock<T>(id: string, fn: () => Promise<T>): Promise<T | null>
  close(): Promise<void>
}

export class DocumentExistsError extends Error {
  constructor(readonly documentId: string) {
    super(`document ${documentId} already exists`)
    this.name = 'DocumentExistsError'
  }
}

export class DocumentMissingError extends Error {
  constructor(readonly documentId: string) {
    super(`document ${documentId} does not exist`)
    this.name = 'DocumentMissingError'
  }
}
