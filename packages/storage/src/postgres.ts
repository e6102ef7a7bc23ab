/**
 * What every PostgreSQL store of Hashiya's does the same way (documents here,
 * accounts in @hashiya/accounts): pools whose idle connections may die without
 * taking the process down, BIGINTs as exact numbers, transactions that destroy
 * a connection left in an unknown state, and numbered schema migrations run
 * once under an advisory lock however many instances start at once.
 */
import pg from 'pg'

/** The slice of the server's structured logger (pino's shape) the stores report to. */
export interface PostgresLogger {
  info(fields: object, message?: string): void
  warn(fields: object, message?: string): void
}

/** What a PostgreSQL store is opened with. */
export interface PostgresConnectionOptions {
  /** For example postgres://hashiya:secret@db.internal:5432/hashiya */
  connectionString: string
  /** Connections for queries; each store has its own default. */
  poolSize?: number
  logger?: PostgresLogger
}

/** Without a logger, warnings still reach someone. */
export const warningsToConsole: PostgresLogger = {
  info() {},
  warn(fields, message) {
    console.warn(message, fields)
  },
}

const INT8_OID = 20

/**
 * BIGINT arrives as a string by default, because not every int8 fits a number.
 * Every one the stores keep (seqs, byte counts, ms times, counts) does, so it
 * is parsed into a number, refusing loudly rather than rounding one that does not.
 */
function parseSafeInteger(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`integer ${text} does not fit a JavaScript number exactly`)
  }
  return value
}

export interface PostgresPoolOptions {
  /** For example postgres://hashiya:secret@db.internal:5432/hashiya */
  connectionString: string
  /** What pg_stat_activity shows for its connections. */
  applicationName: string
  max: number
  /** A database that cannot hand out a connection within this is treated as down; no limit without it. */
  connectionTimeoutMillis?: number
  /**
   * Commit waits for the WAL flush even where the database defaults to
   * asynchronous commit: an acknowledged write must survive a crash. Stronger
   * settings (remote_apply and the like) are left alone.
   */
  synchronousCommit?: boolean
  logger: PostgresLogger
}

/** A pool with BIGINTs parsed into numbers, whose dying idle connections are logged, not fatal. */
export function openPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const types = new pg.TypeOverrides()
  types.setTypeParser(INT8_OID, parseSafeInteger)
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    application_name: options.applicationName,
    types,
    // Notices a dead peer on connections that sit idle holding a lock.
    keepAlive: true,
    max: options.max,
    connectionTimeoutMillis: options.connectionTimeoutMillis,
    onConnect: options.synchronousCommit
      ? (client: pg.ClientBase) =>
          client.query(
            `SELECT set_config('synchronous_commit', 'on', false)
             WHERE current_setting('synchronous_commit') = 'off'`,
          )
      : undefined,
  })
  // An idle connection that dies (server restart, failover, terminated backend)
  // is reported here and dropped by the pool; unheard, the event would crash the
  // process. After end(), connections still on their way out may fail too,
  // unremarkably: end() resolves before their sockets are closed.
  pool.on('error', (error) => {
    if (pool.ending) return
    options.logger.warn({ err: error }, 'idle PostgreSQL connection failed; the pool replaces it')
  })
  return pool
}

export interface BorrowedClient {
  client: pg.PoolClient
  /** A client in an unknown state is destroyed rather than handed to the next caller. */
  giveBack(destroy: boolean): void
}

/**
 * Lends a client for several queries. A client out of the pool has no error
 * listener of its own, and one whose connection drops between queries would
 * otherwise take the process down with an unheard 'error' event.
 */
export async function borrowClient(pool: pg.Pool, logger: PostgresLogger): Promise<BorrowedClient> {
  const client = await pool.connect()
  const onError = (error: Error) =>
    logger.warn({ err: error }, 'PostgreSQL connection failed while in use')
  client.on('error', onError)
  return {
    client,
    giveBack: (destroy) => {
      client.off('error', onError)
      client.release(destroy)
    },
  }
}

/** Runs `work` in one transaction on a borrowed client; a client that cannot roll back is destroyed. */
export async function inTransaction<T>(
  pool: pg.Pool,
  logger: PostgresLogger,
  work: (client: pg.PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  const { client, giveBack } = await borrowClient(pool, logger)
  let destroy = false
  try {
    await client.query(begin)
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    destroy = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    )
    throw error
  } finally {
    giveBack(destroy)
  }
}

export interface PostgresMigrations {
  /** The table counting applied migrations, such as schema_migrations. */
  table: string
  /** What the migrations are of, in messages: 'database schema', 'accounts schema'. */
  subject: string
  /** Entry i migrates the schema from version i to i + 1 and is recorded as i + 1; never edit a shipped one. */
  migrations: readonly string[]
  logger: PostgresLogger
}

/**
 * Brings a schema up to date in one transaction, under an advisory lock named
 * after the table (`hashiya.<table>`, 0): a second instance starting meanwhile
 * waits, then finds nothing to do. Refuses a schema newer than `migrations`.
 * Resolves to the version found, 0 in a database that did not have the schema.
 */
export async function migratePostgres(pool: pg.Pool, options: PostgresMigrations): Promise<number> {
  const { table, subject, migrations, logger } = options
  return inTransaction(pool, logger, async (client) => {
    // Two-int lock key: the first int says what kind of thing is locked.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1), 0)', [`hashiya.${table}`])
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (
         version INTEGER PRIMARY KEY,
         applied_at BIGINT NOT NULL
       )`,
    )
    const { rows } = await client.query<{ version: number }>(
      `SELECT coalesce(max(version), 0) AS version FROM ${table}`,
    )
    const version = rows[0]?.version ?? 0
    if (version > migrations.length) {
      throw new Error(
        `${subject} version ${version} is newer than this server understands (${migrations.length})`,
      )
    }
    for (let next = version; next < migrations.length; next++) {
      await client.query(migrations[next] as string)
      await client.query(`INSERT INTO ${table} (version, applied_at) VALUES ($1, $2)`, [
        next + 1,
        Date.now(),
      ])
    }
    if (version < migrations.length) {
      logger.info({ from: version, to: migrations.length }, `${subject} migrated`)
    }
    return version
  })
}
