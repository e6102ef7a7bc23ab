/**
 * SQLite backend (better-sqlite3, WAL): the embedded default, one file under DATA_DIR.
 *
 * better-sqlite3 is synchronous, so a commit is on disk (in the WAL) before the
 * call returns (for appends, before their promise resolves); `synchronous=NORMAL`
 * survives a crash of the server process, and `FULL` (opt-in) also survives a
 * power cut at the cost of an fsync per commit.
 *
 * Appends are committed in groups: every document's batch handed over in one
 * turn of the event loop goes into one transaction (each in a savepoint of its
 * own, so one failing document fails alone). With a thousand busy documents a
 * commit per document was a fifth of the server's time, and the write-ahead
 * log's checkpoints ran inside those commits.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import {
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
import {
  AUDIT_COLUMNS,
  type AuditRow,
  auditConditions,
  batchTotals,
  bytesOf,
  DOCUMENT_COLUMNS,
  type DocumentRow,
  pausesQuery,
  toAuditEvent,
  toStoredUpdate,
  toSummary,
  UPDATE_COLUMNS,
  type UpdateRow,
} from './shared-sql.js'

export interface SqliteStoreOptions {
  /** Path of the database file, or ':memory:'. */
  filename: string
  synchronous?: 'NORMAL' | 'FULL'
}

/** Each entry migrates the schema from version i to i + 1; never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     last_seq INTEGER NOT NULL DEFAULT 0,
     log_bytes INTEGER NOT NULL DEFAULT 0,
     snapshot_bytes INTEGER NOT NULL DEFAULT 0
   ) STRICT;
   CREATE TABLE updates (
     doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     data BLOB NOT NULL,
     user_id TEXT NOT NULL,
     received_at INTEGER NOT NULL,
     PRIMARY KEY (doc_id, seq)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE snapshots (
     doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
     up_to_seq INTEGER NOT NULL,
     data BLOB NOT NULL,
     created_at INTEGER NOT NULL
   ) STRICT;`,
  `CREATE TABLE audit_events (
     id INTEGER PRIMARY KEY,
     doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     at INTEGER NOT NULL,
     user_id TEXT NOT NULL,
     action TEXT NOT NULL,
     annotation_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     text TEXT NOT NULL,
     from_value TEXT,
     to_value TEXT
   ) STRICT;
   CREATE INDEX audit_events_by_doc ON audit_events (doc_id, id);
   CREATE INDEX audit_events_by_user ON audit_events (doc_id, user_id, id);
   CREATE INDEX audit_events_by_time ON audit_events (doc_id, at);
   CREATE TABLE audit_progress (
     doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     state TEXT NOT NULL
   ) STRICT;`,
  `CREATE TABLE versions (
     id INTEGER PRIMARY KEY,
     doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     seq INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     created_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX versions_by_doc ON versions (doc_id, id);
   CREATE INDEX updates_by_time ON updates (doc_id, received_at);`,
]

interface GroupedAppend {
  id: string
  updates: readonly UpdateToAppend[]
  resolve(lastSeq: number): void
  reject(error: unknown): void
}

export class SqliteDocumentStore implements DocumentStore {
  private readonly db: Database.Database
  private readonly statements
  /** One process owns the file, so an in-process guard is the whole lock. */
  private readonly compacting = new Set<string>()

  constructor(options: SqliteStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true })
    this.db = new Database(options.filename)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`)
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 5000')
    this.migrate()
    this.statements = {
      list: this.db.prepare<[], DocumentRow>(
        `SELECT ${DOCUMENT_COLUMNS} FROM documents ORDER BY updated_at DESC, id`,
      ),
      get: this.db.prepare<[string], DocumentRow>(
        `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = ?`,
      ),
      insert: this.db.prepare(
        `INSERT INTO documents (id, title, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?)`,
      ),
      rename: this.db.prepare(`UPDATE documents SET title = ?, updated_at = ? WHERE id = ?`),
      remove: this.db.prepare(`DELETE FROM documents WHERE id = ?`),
      advance: this.db.prepare<[number, number, number, string], { last_seq: number }>(
        `UPDATE documents SET last_seq = last_seq + ?, log_bytes = log_bytes + ?, updated_at = ?
         WHERE id = ? RETURNING last_seq`,
      ),
      appendUpdate: this.db.prepare(
        `INSERT INTO updates (doc_id, seq, data, user_id, received_at) VALUES (?, ?, ?, ?, ?)`,
      ),
      snapshot: this.db.prepare<[string], { up_to_seq: number; data: Buffer }>(
        `SELECT up_to_seq, data FROM snapshots WHERE doc_id = ?`,
      ),
      writeSnapshot: this.db.prepare(
        `INSERT INTO snapshots (doc_id, up_to_seq, data, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (doc_id) DO UPDATE SET up_to_seq = excluded.up_to_seq,
           data = excluded.data, created_at = excluded.created_at
         WHERE excluded.up_to_seq > snapshots.up_to_seq`,
      ),
      setSnapshotBytes: this.db.prepare(
        `UPDATE documents SET snapshot_bytes = (SELECT length(data) FROM snapshots WHERE doc_id = ?) WHERE id = ?`,
      ),
      insertAuditEvent: this.db.prepare(
        `INSERT INTO audit_events (doc_id, seq, at, user_id, action, annotation_id, kind, text, from_value, to_value)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      writeAuditProgress: this.db.prepare(
        `INSERT INTO audit_progress (doc_id, seq, state) VALUES (?, ?, ?)
         ON CONFLICT (doc_id) DO UPDATE SET seq = excluded.seq, state = excluded.state`,
      ),
      readAuditProgress: this.db.prepare<[string], AuditProgress>(
        `SELECT seq, state FROM audit_progress WHERE doc_id = ?`,
      ),
      insertVersion: this.db.prepare<[string, string, number, string, number], { id: number }>(
        `INSERT INTO versions (doc_id, name, seq, created_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
      ),
      listVersions: this.db.prepare<[string], StoredVersion>(
        `SELECT id, name, seq, created_by AS createdBy, created_at AS createdAt
         FROM versions WHERE doc_id = ? ORDER BY id DESC`,
      ),
      pauses: this.db.prepare<[string, number, number], LogPause>(pausesQuery(() => '?')),
      seqAtTime: this.db.prepare<[string, number], { seq: number | null }>(
        `SELECT max(seq) AS seq FROM updates WHERE doc_id = ? AND received_at <= ?`,
      ),
      timeOfSeq: this.db.prepare<[string, number], { at: number }>(
        `SELECT received_at AS at FROM updates WHERE doc_id = ? AND seq = ?`,
      ),
      log: this.db.prepare<[string, number, number], UpdateRow>(
        `SELECT ${UPDATE_COLUMNS} FROM updates WHERE doc_id = ? AND seq > ? AND seq <= ? ORDER BY seq`,
      ),
    }
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number
    if (version > MIGRATIONS.length) {
      throw new Error(
        `database schema version ${version} is newer than this server understands (${MIGRATIONS.length})`,
      )
    }
    this.db.transaction(() => {
      for (let next = version; next < MIGRATIONS.length; next++) {
        this.db.exec(MIGRATIONS[next] as string)
      }
      this.db.pragma(`user_version = ${MIGRATIONS.length}`)
    })()
  }

  async listDocuments(): Promise<DocumentSummary[]> {
    return this.statements.list.all().map(toSummary)
  }

  async getDocument(id: string): Promise<DocumentSummary | null> {
    const row = this.statements.get.get(id)
    return row ? toSummary(row) : null
  }

  async createDocument(document: NewDocument): Promise<DocumentSummary> {
    const now = Date.now()
    this.db.transaction(() => {
      if (this.statements.get.get(document.id)) throw new DocumentExistsError(document.id)
      this.statements.insert.run(document.id, document.title, now, now, document.userId)
      this.appendInTransaction(document.id, [
        { update: document.initialUpdate, userId: document.userId, receivedAt: now },
      ])
    })()
    return toSummary(this.statements.get.get(document.id) as DocumentRow)
  }

  async renameDocument(id: string, title: string): Promise<DocumentSummary | null> {
    const result = this.statements.rename.run(title, Date.now(), id)
    if (result.changes === 0) return null
    return toSummary(this.statements.get.get(id) as DocumentRow)
  }

  async deleteDocument(id: string): Promise<boolean> {
    return this.statements.remove.run(id).changes > 0
  }

  async loadState(id: string): Promise<StoredState | null> {
    return this.db.transaction(() => {
      const document = this.statements.get.get(id)
      if (!document) return null
      const snapshot = this.statements.snapshot.get(id)
      const snapshotSeq = snapshot?.up_to_seq ?? 0
      const updates = this.statements.log
        .all(id, snapshotSeq, document.last_seq)
        .map(toStoredUpdate)
      return {
        snapshot: snapshot ? bytesOf(snapshot.data) : null,
        snapshotSeq,
        updates,
        lastSeq: document.last_seq,
      }
    })()
  }

  private appendInTransaction(id: string, updates: readonly UpdateToAppend[]): number {
    const { bytes, latestReceivedAt } = batchTotals(updates)
    const advanced = this.statements.advance.get(updates.length, bytes, latestReceivedAt, id)
    if (!advanced) throw new DocumentMissingError(id)
    let seq = advanced.last_seq - updates.length
    for (const { update, userId, receivedAt } of updates) {
      seq += 1
      this.statements.appendUpdate.run(id, seq, update, userId, receivedAt)
    }
    return advanced.last_seq
  }

  async appendUpdates(id: string, updates: readonly UpdateToAppend[]): Promise<number> {
    if (updates.length === 0) {
      const document = this.statements.get.get(id)
      if (!document) throw new DocumentMissingError(id)
      return document.last_seq
    }
    return new Promise((resolve, reject) => {
      this.appendGroup.push({ id, updates, resolve, reject })
      if (this.appendGroup.length === 1) setImmediate(this.commitAppendGroup)
    })
  }

  /** Appends handed over since the last group commit. */
  private appendGroup: GroupedAppend[] = []

  private readonly commitAppendGroup = (): void => {
    const group = this.appendGroup
    this.appendGroup = []
    if (group.length === 0) return
    const outcomes: ({ seq: number } | { error: unknown })[] = []
    try {
      if (group.length === 1) {
        const { id, updates } = group[0] as GroupedAppend
        outcomes.push({ seq: this.db.transaction(() => this.appendInTransaction(id, updates))() })
      } else {
        this.db.transaction(() => {
          for (const { id, updates } of group) {
            try {
              // A transaction inside a transaction is a savepoint: a failure undoes this document's rows only.
              outcomes.push({
                seq: this.db.transaction(() => this.appendInTransaction(id, updates))(),
              })
            } catch (error) {
              // Some failures (disk full, I/O error) make SQLite roll back the whole
              // transaction: then nothing of the group is stored, and all of it fails.
              if (!this.db.inTransaction) throw error
              outcomes.push({ error })
            }
          }
        })()
      }
    } catch (error) {
      for (const append of group) append.reject(error)
      return
    }
    group.forEach((append, index) => {
      const outcome = outcomes[index] as { seq: number } | { error: unknown }
      if ('seq' in outcome) append.resolve(outcome.seq)
      else append.reject(outcome.error)
    })
  }

  async writeSnapshot(id: string, state: Uint8Array, upToSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.statements.writeSnapshot.run(id, upToSeq, state, Date.now())
      this.statements.setSnapshotBytes.run(id, id)
    })()
  }

  async readLog(
    id: string,
    afterSeq = 0,
    upToSeq = Number.MAX_SAFE_INTEGER,
  ): Promise<StoredUpdate[]> {
    return this.statements.log.all(id, afterSeq, upToSeq).map(toStoredUpdate)
  }

  async createVersion(id: string, version: Omit<StoredVersion, 'id'>): Promise<StoredVersion> {
    const row = this.statements.insertVersion.get(
      id,
      version.name,
      version.seq,
      version.createdBy,
      version.createdAt,
    )
    if (!row) throw new DocumentMissingError(id)
    return { id: row.id, ...version }
  }

  async listVersions(id: string): Promise<StoredVersion[]> {
    return this.statements.listVersions.all(id)
  }

  async listPauses(id: string, gapMs: number, limit: number): Promise<LogPause[]> {
    return this.statements.pauses.all(id, gapMs, limit)
  }

  async seqAtTime(id: string, time: number): Promise<number> {
    return this.statements.seqAtTime.get(id, time)?.seq ?? 0
  }

  async timeOfSeq(id: string, seq: number): Promise<number | null> {
    return this.statements.timeOfSeq.get(id, seq)?.at ?? null
  }

  async appendAuditEvents(
    id: string,
    events: readonly AuditEventRecord[],
    progress: AuditProgress,
  ): Promise<void> {
    this.db
      .transaction(() => {
        const recorded = this.statements.readAuditProgress.get(id)?.seq ?? 0
        if (recorded >= progress.seq) return
        for (const event of events) {
          if (event.seq <= recorded) continue
          this.statements.insertAuditEvent.run(
            id,
            event.seq,
            event.at,
            event.userId,
            event.action,
            event.annotationId,
            event.kind,
            event.text,
            event.from,
            event.to,
          )
        }
        this.statements.writeAuditProgress.run(id, progress.seq, progress.state)
      })
      .immediate()
  }

  async readAuditProgress(id: string): Promise<AuditProgress | null> {
    return this.statements.readAuditProgress.get(id) ?? null
  }

  private auditFilter(id: string, query: Omit<AuditQuery, 'limit'>) {
    const clauses = ['doc_id = @id']
    const params: Record<string, string | number> = { id }
    for (const { field, column, operator, value } of auditConditions(query)) {
      clauses.push(`${column} ${operator} @${field}`)
      params[field] = value
    }
    return { where: clauses.join(' AND '), params }
  }

  async queryAuditEvents(id: string, query: AuditQuery): Promise<StoredAuditEvent[]> {
    const { where, params } = this.auditFilter(id, query)
    const rows = this.db
      .prepare<Record<string, string | number>, AuditRow>(
        `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE ${where} ORDER BY id DESC LIMIT @limit`,
      )
      .all({ ...params, limit: query.limit })
    return rows.map(toAuditEvent)
  }

  async auditActivity(
    id: string,
    buckets: TimeBuckets,
    query: Omit<AuditQuery, 'limit' | 'before'>,
  ): Promise<AuditActivity> {
    const { where, params } = this.auditFilter(id, query)
    const count = <T>(select: string, group: string) =>
      this.db
        .prepare<Record<string, string | number>, T>(
          `SELECT ${select}, count(*) AS count FROM audit_events WHERE ${where} GROUP BY ${group} ORDER BY ${group}`,
        )
        .all({ ...params, bucket: buckets.sizeMs, offset: buckets.offsetMs })
    return {
      byUser: count<{ userId: string; count: number }>('user_id AS userId', 'user_id'),
      byKind: count<{ kind: string; count: number }>('kind', 'kind'),
      byTime: count<{ start: number; count: number }>(
        'CAST((at + @offset) / @bucket AS INTEGER) * @bucket - @offset AS start',
        'start',
      ),
    }
  }

  async withCompactionLock<T>(id: string, fn: () => Promise<T>): Promise<T | null> {
    if (this.compacting.has(id)) return null
    this.compacting.add(id)
    try {
      return await fn()
    } finally {
      this.compacting.delete(id)
    }
  }

  async close(): Promise<void> {
    // Appends already handed over are committed, not lost.
    this.commitAppendGroup()
    if (this.db.open) this.db.close()
  }
}
