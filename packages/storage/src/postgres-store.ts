/**
 * PostgreSQL backend (node-postgres pool): for several server instances sharing
 * one database, or data that has to live on a managed database server.
 *
 * The instances share nothing but the database, so whatever must not race is
 * settled there: sequence numbers are allocated by updating the document row
 * (whose row lock queues concurrent appends to one document), migrations run
 * under a transaction-scoped advisory lock, and compaction takes a session
 * advisory lock per document. Session locks and session settings need a direct
 * connection or a session-mode pooler, not a transaction-mode one.
 */
import pg, { type PoolClient } from 'pg'
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
  borrowClient,
  inTransaction,
  migratePostgres,
  openPostgresPool,
  type PostgresConnectionOptions,
  type PostgresLogger,
  warningsToConsole,
} from './postgres.js'
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

/** The slice of the server's structured logger (pino's shape) the store reports to. */
export type PostgresStoreLogger = PostgresLogger

/** `poolSize` defaults to 10. Compaction locks hold connections of their own. */
export type PostgresStoreOptions = PostgresConnectionOptions

/**
 * Each entry migrates the schema from version i to i + 1 and is recorded as
 * i + 1 in schema_migrations (see migratePostgres); never edit a shipped one.
 * Times are BIGINT milliseconds since the epoch, exactly the numbers the contract speaks in.
 * Text keys are COLLATE "C": byte order, as in SQLite, and indexes that a
 * change of the operating system's collation library cannot corrupt.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE documents (
     id TEXT COLLATE "C" PRIMARY KEY,
     title TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     created_by TEXT NOT NULL,
     last_seq BIGINT NOT NULL DEFAULT 0,
     log_bytes BIGINT NOT NULL DEFAULT 0,
     snapshot_bytes BIGINT NOT NULL DEFAULT 0
   );
   CREATE TABLE updates (
     doc_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     seq BIGINT NOT NULL,
     data BYTEA NOT NULL,
     user_id TEXT NOT NULL,
     received_at BIGINT NOT NULL,
     PRIMARY KEY (doc_id, seq)
   );
   CREATE INDEX updates_by_time ON updates (doc_id, received_at);
   CREATE TABLE snapshots (
     doc_id TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
     up_to_seq BIGINT NOT NULL,
     data BYTEA NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE TABLE audit_events (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     doc_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     seq BIGINT NOT NULL,
     at BIGINT NOT NULL,
     user_id TEXT COLLATE "C" NOT NULL,
     action TEXT COLLATE "C" NOT NULL,
     annotation_id TEXT NOT NULL,
     kind TEXT COLLATE "C" NOT NULL,
     text TEXT NOT NULL,
     from_value TEXT,
     to_value TEXT
   );
   CREATE INDEX audit_events_by_doc ON audit_events (doc_id, id);
   CREATE INDEX audit_events_by_user ON audit_events (doc_id, user_id, id);
   CREATE INDEX audit_events_by_time ON audit_events (doc_id, at);
   CREATE TABLE audit_progress (
     doc_id TEXT COLLATE "C" PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
     seq BIGINT NOT NULL,
     state TEXT NOT NULL
   );
   CREATE TABLE versions (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     doc_id TEXT COLLATE "C" NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
     name TEXT NOT NULL,
     seq BIGINT NOT NULL,
     created_by TEXT NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE INDEX versions_by_doc ON versions (doc_id, id);`,
]

/**
 * Advisory lock keys in the two-int form: the first int says what kind of thing
 * is locked, so migrations (`hashiya.schema_migrations`, see migratePostgres)
 * and compactions never contend with each other, and are unlikely to meet
 * another application's locks in the same database.
 */
const compactionLock = (idParam: string) => `hashtext('hashiya.compaction'), hashtext(${idParam})`
const auditLock = (idParam: string) => `hashtext('hashiya.audit'), hashtext(${idParam})`

/**
 * Compactions each hold a connection for as long as they run, and the work they
 * do needs the query pool, so they get a small pool of their own: many rooms
 * compacting at once (as on shutdown) wait for a lock connection instead of
 * starving the queries they are waiting on.
 */
const COMPACTION_LOCK_CONNECTIONS = 4

const FOREIGN_KEY_VIOLATION = '23503'

/**
 * One statement, so one transaction: bumping `last_seq` locks the document row,
 * which queues appends from every instance; the batch takes the seqs after the
 * old value, and row, seqs and byte count commit together or not at all, so the
 * log has no gaps. `unnest` sends the whole batch in one round trip.
 */
const APPEND_SQL = `WITH allocated AS (
    UPDATE documents
    SET last_seq = last_seq + $2::bigint, log_bytes = log_bytes + $3::bigint, updated_at = $4::bigint
    WHERE id = $1::text
    RETURNING ${DOCUMENT_COLUMNS}
  ), appended AS (
    INSERT INTO updates (doc_id, seq, data, user_id, received_at)
    SELECT allocated.id, allocated.last_seq - $2::bigint + batch.position,
           batch.data, batch.user_id, batch.received_at
    FROM allocated,
         unnest($5::bytea[], $6::text[], $7::bigint[])
           WITH ORDINALITY AS batch (data, user_id, received_at, position)
  )
  SELECT ${DOCUMENT_COLUMNS} FROM allocated`

function appendParameters(id: string, updates: readonly UpdateToAppend[]): unknown[] {
  const { bytes, latestReceivedAt } = batchTotals(updates)
  return [
    id,
    updates.length,
    bytes,
    latestReceivedAt,
    updates.map(({ update }) => update),
    updates.map(({ userId }) => userId),
    updates.map(({ receivedAt }) => receivedAt),
  ]
}

export class PostgresDocumentStore implements DocumentStore {
  private readonly pool: pg.Pool
  private readonly lockPool: pg.Pool
  private readonly logger: PostgresStoreLogger
  private closed = false
  private schemaCreated = false

  /**
   * Whether this open created the schema in an empty database. Of several
   * instances starting at once on a new database exactly one sees true (the
   * migration runs under a lock), so it can seed first-start content alone.
   */
  get createdSchema(): boolean {
    return this.schemaCreated
  }

  /** Connects and brings the schema up to date; safe for several instances starting at once. */
  static async open(options: PostgresStoreOptions): Promise<PostgresDocumentStore> {
    const store = new PostgresDocumentStore(options)
    try {
      await store.migrate()
    } catch (error) {
      await store.close()
      throw error
    }
    return store
  }

  private constructor(options: PostgresStoreOptions) {
    this.logger = options.logger ?? warningsToConsole
    const shared = {
      connectionString: options.connectionString,
      applicationName: 'hashiya',
      synchronousCommit: true,
      logger: this.logger,
    }
    this.pool = openPostgresPool({
      ...shared,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
    })
    // No timeout here: compactions queue for a lock connection, which is fine.
    this.lockPool = openPostgresPool({ ...shared, max: COMPACTION_LOCK_CONNECTIONS })
  }

  private async migrate(): Promise<void> {
    const version = await migratePostgres(this.pool, {
      table: 'schema_migrations',
      subject: 'database schema',
      migrations: MIGRATIONS,
      logger: this.logger,
    })
    this.schemaCreated = version === 0
  }

  private transaction<T>(work: (client: PoolClient) => Promise<T>, begin?: string): Promise<T> {
    return inTransaction(this.pool, this.logger, work, begin)
  }

  private async query<Row extends pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<Row[]> {
    return (await this.pool.query<Row>(text, values)).rows
  }

  async listDocuments(): Promise<DocumentSummary[]> {
    const rows = await this.query<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM documents ORDER BY updated_at DESC, id`,
    )
    return rows.map(toSummary)
  }

  async getDocument(id: string): Promise<DocumentSummary | null> {
    const [row] = await this.query<DocumentRow>(
      `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = $1`,
      [id],
    )
    return row ? toSummary(row) : null
  }

  async createDocument(document: NewDocument): Promise<DocumentSummary> {
    const now = Date.now()
    return this.transaction(async (client) => {
      const inserted = await client.query(
        `INSERT INTO documents (id, title, created_at, updated_at, created_by)
         VALUES ($1, $2, $3, $3, $4) ON CONFLICT (id) DO NOTHING`,
        [document.id, document.title, now, document.userId],
      )
      if (inserted.rowCount === 0) throw new DocumentExistsError(document.id)
      const { rows } = await client.query<DocumentRow>(
        APPEND_SQL,
        appendParameters(document.id, [
          { update: document.initialUpdate, userId: document.userId, receivedAt: now },
        ]),
      )
      return toSummary(rows[0] as DocumentRow)
    })
  }

  async renameDocument(id: string, title: string): Promise<DocumentSummary | null> {
    const [row] = await this.query<DocumentRow>(
      `UPDATE documents SET title = $1, updated_at = $2 WHERE id = $3 RETURNING ${DOCUMENT_COLUMNS}`,
      [title, Date.now(), id],
    )
    return row ? toSummary(row) : null
  }

  async deleteDocument(id: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM documents WHERE id = $1', [id])
    return (result.rowCount ?? 0) > 0
  }

  async loadState(id: string): Promise<StoredState | null> {
    // One snapshot of the database for both reads, so the updates fetched are
    // exactly those between the snapshot and last_seq as seen together.
    return this.transaction(async (client) => {
      const { rows } = await client.query<{
        last_seq: number
        up_to_seq: number | null
        data: Buffer | null
      }>(
        `SELECT documents.last_seq, snapshots.up_to_seq, snapshots.data
         FROM documents LEFT JOIN snapshots ON snapshots.doc_id = documents.id
         WHERE documents.id = $1`,
        [id],
      )
      const head = rows[0]
      if (!head) return null
      const snapshotSeq = head.up_to_seq ?? 0
      const updates = await client.query<UpdateRow>(
        `SELECT ${UPDATE_COLUMNS} FROM updates WHERE doc_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`,
        [id, snapshotSeq, head.last_seq],
      )
      return {
        snapshot: head.data ? bytesOf(head.data) : null,
        snapshotSeq,
        updates: updates.rows.map(toStoredUpdate),
        lastSeq: head.last_seq,
      }
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY')
  }

  async appendUpdates(id: string, updates: readonly UpdateToAppend[]): Promise<number> {
    if (updates.length === 0) {
      const [row] = await this.query<{ last_seq: number }>(
        'SELECT last_seq FROM documents WHERE id = $1',
        [id],
      )
      if (!row) throw new DocumentMissingError(id)
      return row.last_seq
    }
    // Autocommitted: the query resolves once the transaction has committed.
    const [row] = await this.query<DocumentRow>(APPEND_SQL, appendParameters(id, updates))
    if (!row) throw new DocumentMissingError(id)
    return row.last_seq
  }

  async writeSnapshot(id: string, state: Uint8Array, upToSeq: number): Promise<void> {
    // The byte count moves only when the snapshot is actually replaced.
    await this.query(
      `WITH written AS (
         INSERT INTO snapshots (doc_id, up_to_seq, data, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (doc_id) DO UPDATE SET up_to_seq = excluded.up_to_seq,
           data = excluded.data, created_at = excluded.created_at
         WHERE excluded.up_to_seq > snapshots.up_to_seq
         RETURNING doc_id, octet_length(data) AS bytes
       )
       UPDATE documents SET snapshot_bytes = written.bytes
       FROM written WHERE documents.id = written.doc_id`,
      [id, upToSeq, state, Date.now()],
    ).catch(rethrowMissing(id))
  }

  async readLog(
    id: string,
    afterSeq = 0,
    upToSeq = Number.MAX_SAFE_INTEGER,
  ): Promise<StoredUpdate[]> {
    const rows = await this.query<UpdateRow>(
      `SELECT ${UPDATE_COLUMNS} FROM updates WHERE doc_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`,
      [id, afterSeq, upToSeq],
    )
    return rows.map(toStoredUpdate)
  }

  async createVersion(id: string, version: Omit<StoredVersion, 'id'>): Promise<StoredVersion> {
    const [row] = await this.query<{ id: number }>(
      `INSERT INTO versions (doc_id, name, seq, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [id, version.name, version.seq, version.createdBy, version.createdAt],
    ).catch(rethrowMissing(id))
    if (!row) throw new DocumentMissingError(id)
    return { id: row.id, ...version }
  }

  async listVersions(id: string): Promise<StoredVersion[]> {
    return this.query<StoredVersion>(
      `SELECT id, name, seq, created_by AS "createdBy", created_at AS "createdAt"
       FROM versions WHERE doc_id = $1 ORDER BY id DESC`,
      [id],
    )
  }

  async listPauses(id: string, gapMs: number, limit: number): Promise<LogPause[]> {
    return this.query<LogPause>(
      pausesQuery((position) => `$${position}`),
      [id, gapMs, limit],
    )
  }

  async seqAtTime(id: string, time: number): Promise<number> {
    const [row] = await this.query<{ seq: number | null }>(
      'SELECT max(seq) AS seq FROM updates WHERE doc_id = $1 AND received_at <= $2',
      [id, time],
    )
    return row?.seq ?? 0
  }

  async timeOfSeq(id: string, seq: number): Promise<number | null> {
    const [row] = await this.query<{ at: number }>(
      'SELECT received_at AS at FROM updates WHERE doc_id = $1 AND seq = $2',
      [id, seq],
    )
    return row?.at ?? null
  }

  async appendAuditEvents(
    id: string,
    events: readonly AuditEventRecord[],
    progress: AuditProgress,
  ): Promise<void> {
    await this.transaction(async (client) => {
      // Instances deriving the same document queue here, and each sees what the
      // one before it committed (READ COMMITTED: a new snapshot per statement).
      await client.query(`SELECT pg_advisory_xact_lock(${auditLock('$1')})`, [id])
      const { rows } = await client.query<{ seq: number }>(
        'SELECT seq FROM audit_progress WHERE doc_id = $1',
        [id],
      )
      const recorded = rows[0]?.seq ?? 0
      if (recorded >= progress.seq) return
      const fresh = events.filter((event) => event.seq > recorded)
      if (fresh.length > 0) {
        await client.query(
          `INSERT INTO audit_events
             (doc_id, seq, at, user_id, action, annotation_id, kind, text, from_value, to_value)
           SELECT $1::text, seq, at, user_id, action, annotation_id, kind, text, from_value, to_value
           FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::text[], $10::text[])
             WITH ORDINALITY AS event (seq, at, user_id, action, annotation_id, kind, text,
                                       from_value, to_value, position)
           -- ids follow the order events were derived in
           ORDER BY position`,
          [
            id,
            fresh.map((event) => event.seq),
            fresh.map((event) => event.at),
            fresh.map((event) => event.userId),
            fresh.map((event) => event.action),
            fresh.map((event) => event.annotationId),
            fresh.map((event) => event.kind),
            fresh.map((event) => event.text),
            fresh.map((event) => event.from),
            fresh.map((event) => event.to),
          ],
        )
      }
      await client.query(
        `INSERT INTO audit_progress (doc_id, seq, state) VALUES ($1, $2, $3)
         ON CONFLICT (doc_id) DO UPDATE SET seq = excluded.seq, state = excluded.state`,
        [id, progress.seq, progress.state],
      )
    }).catch(rethrowMissing(id))
  }

  async readAuditProgress(id: string): Promise<AuditProgress | null> {
    const [row] = await this.query<AuditProgress>(
      'SELECT seq, state FROM audit_progress WHERE doc_id = $1',
      [id],
    )
    return row ?? null
  }

  private auditFilter(id: string, query: Omit<AuditQuery, 'limit'>) {
    const values: (string | number)[] = [id]
    const clauses = ['doc_id = $1']
    for (const { column, operator, value } of auditConditions(query)) {
      values.push(value)
      clauses.push(`${column} ${operator} $${values.length}`)
    }
    return { where: clauses.join(' AND '), values }
  }

  async queryAuditEvents(id: string, query: AuditQuery): Promise<StoredAuditEvent[]> {
    const { where, values } = this.auditFilter(id, query)
    const rows = await this.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM audit_events WHERE ${where}
       ORDER BY id DESC LIMIT $${values.length + 1}`,
      [...values, query.limit],
    )
    return rows.map(toAuditEvent)
  }

  async auditActivity(
    id: string,
    buckets: TimeBuckets,
    query: Omit<AuditQuery, 'limit' | 'before'>,
  ): Promise<AuditActivity> {
    const { where, values } = this.auditFilter(id, query)
    const count = <T extends pg.QueryResultRow>(select: string, group: string) =>
      this.query<T>(
        `SELECT ${select}, count(*) AS count FROM audit_events WHERE ${where}
         GROUP BY ${group} ORDER BY ${group}`,
        values,
      )
    const bucket = `$${values.length + 1}::bigint`
    const offset = `$${values.length + 2}::bigint`
    const [byUser, byKind, byTime] = await Promise.all([
      count<{ userId: string; count: number }>('user_id AS "userId"', 'user_id'),
      count<{ kind: string; count: number }>('kind', 'kind'),
      this.query<{ start: number; count: number }>(
        `SELECT ((at + ${offset}) / ${bucket}) * ${bucket} - ${offset} AS start, count(*) AS count
         FROM audit_events WHERE ${where} GROUP BY start ORDER BY start`,
        [...values, buckets.sizeMs, buckets.offsetMs],
      ),
    ])
    return { byUser, byKind, byTime }
  }

  async withCompactionLock<T>(id: string, fn: () => Promise<T>): Promise<T | null> {
    const { client, giveBack } = await borrowClient(this.lockPool, this.logger)
    // Until unlocked, the session holds the lock; if unlocking fails, closing
    // the connection is what releases it, so it must not go back to the pool.
    let destroy = true
    try {
      // A session lock, not a transaction's: it must outlive the queries `fn` makes elsewhere.
      const { rows } = await client.query<{ acquired: boolean }>(
        `SELECT pg_try_advisory_lock(${compactionLock('$1')}) AS acquired`,
        [id],
      )
      if (!rows[0]?.acquired) {
        destroy = false
        return null
      }
      try {
        return await fn()
      } finally {
        // fn's result or error stands either way.
        destroy = await client
          .query(`SELECT pg_advisory_unlock(${compactionLock('$1')})`, [id])
          .then(
            () => false,
            (error: Error) => {
              this.logger.warn(
                { err: error, documentId: id },
                'could not release a compaction lock',
              )
              return true
            },
          )
      }
    } finally {
      giveBack(destroy)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await Promise.all([this.pool.end(), this.lockPool.end()])
  }
}

/** A write naming a document that is not there (or was deleted meanwhile) says so by type. */
function rethrowMissing(id: string) {
  return (error: unknown): never => {
    if (error instanceof pg.DatabaseError && error.code === FOREIGN_KEY_VIOLATION) {
      throw new DocumentMissingError(id)
    }
    throw error
  }
}
