/**
 * Accounts in PostgreSQL (node-postgres pool): for several server instances
 * sharing one database, usually the same one as the documents
 * (`PostgresDocumentStore`). Its own tables and its own migration counter
 * (`accounts_schema_migrations`), so the two schemas evolve independently.
 *
 * What must not race between instances is settled in the database: migrations
 * run under a transaction-scoped advisory lock, and creating the first
 * administrator takes another one, so N instances starting at once (each with
 * ADMIN_USERNAME set, or N setup screens submitted together) make one admin.
 */
import pg from 'pg'
import {
  type AccountStore,
  type StoredCredential,
  type StoredGrant,
  type StoredUser,
  UserExistsError,
  type UserPatch,
} from './account-store.js'
import type { AccessLevel, Role } from './roles.js'

/** The slice of the server's structured logger (pino's shape) the store reports to. */
export interface PostgresAccountStoreLogger {
  info(fields: object, message?: string): void
  warn(fields: object, message?: string): void
}

export interface PostgresAccountStoreOptions {
  /** For example postgres://hashiya:secret@db.internal:5432/hashiya */
  connectionString: string
  /** Connections for queries; default 5 (accounts are small, quick lookups). */
  poolSize?: number
  logger?: PostgresAccountStoreLogger
}

/**
 * Each entry migrates from version i to i + 1, recorded as i + 1 in
 * accounts_schema_migrations; never edit a shipped one. Times are BIGINT
 * milliseconds since the epoch, as the contract speaks them. Keys are
 * COLLATE "C" (byte order, as in SQLite).
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT COLLATE "C" PRIMARY KEY,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     active BOOLEAN NOT NULL,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL
   );
   CREATE INDEX users_active_admins ON users (role) WHERE active;
   CREATE TABLE credentials (
     token_hash TEXT COLLATE "C" PRIMARY KEY,
     user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     kind TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL
   );
   CREATE INDEX credentials_by_user ON credentials (user_id);
   CREATE INDEX credentials_by_expiry ON credentials (expires_at);
   CREATE TABLE document_grants (
     document_id TEXT COLLATE "C" NOT NULL,
     user_id TEXT COLLATE "C" NOT NULL,
     level TEXT NOT NULL,
     granted_by TEXT NOT NULL,
     granted_at BIGINT NOT NULL,
     PRIMARY KEY (document_id, user_id)
   );
   CREATE INDEX document_grants_by_user ON document_grants (user_id);`,
]

/** Two-int advisory lock keys: the first int names the kind of lock (see the document store). */
const MIGRATION_LOCK = `hashtext('hashiya.accounts_schema_migrations'), 0`
const FIRST_ADMIN_LOCK = `hashtext('hashiya.first_admin'), 0`

const UNIQUE_VIOLATION = '23505'
const INT8_OID = 20

/** BIGINT arrives as a string; every one this store keeps fits a number exactly. */
function parseSafeInteger(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`integer ${text} does not fit a JavaScript number exactly`)
  }
  return value
}

interface UserRow {
  id: string
  display_name: string
  role: string
  password_hash: string
  active: boolean
  created_at: number
  updated_at: number
}

const userOf = (row: UserRow): StoredUser => ({
  id: row.id,
  displayName: row.display_name,
  role: row.role as Role,
  passwordHash: row.password_hash,
  active: row.active,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

const USER_COLUMNS = 'id, display_name, role, password_hash, active, created_at, updated_at'
const INSERT_USER = `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`
const userParameters = (user: StoredUser) => [
  user.id,
  user.displayName,
  user.role,
  user.passwordHash,
  user.active,
  user.createdAt,
  user.updatedAt,
]

const warningsToConsole: PostgresAccountStoreLogger = {
  info() {},
  warn(fields, message) {
    console.warn(message, fields)
  },
}

export class PostgresAccountStore implements AccountStore {
  private readonly pool: pg.Pool
  private readonly logger: PostgresAccountStoreLogger
  private closed = false

  /** Connects and brings the schema up to date; safe for several instances starting at once. */
  static async open(options: PostgresAccountStoreOptions): Promise<PostgresAccountStore> {
    const store = new PostgresAccountStore(options)
    try {
      await store.migrate()
    } catch (error) {
      await store.close()
      throw error
    }
    return store
  }

  private constructor(options: PostgresAccountStoreOptions) {
    this.logger = options.logger ?? warningsToConsole
    const types = new pg.TypeOverrides()
    types.setTypeParser(INT8_OID, parseSafeInteger)
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      application_name: 'hashiya-accounts',
      types,
      keepAlive: true,
      max: options.poolSize ?? 5,
      // A database that cannot hand out a connection within this is treated as down.
      connectionTimeoutMillis: 10_000,
    })
    // An idle connection that dies is reported here and replaced; unheard, the
    // event would take the process down.
    this.pool.on('error', (error) => {
      if (this.closed) return
      this.logger.warn({ err: error }, 'idle PostgreSQL connection failed; the pool replaces it')
    })
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    const onError = (error: Error) =>
      this.logger.warn({ err: error }, 'PostgreSQL connection failed while in use')
    client.on('error', onError)
    let destroy = false
    try {
      await client.query('BEGIN')
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
      client.off('error', onError)
      client.release(destroy)
    }
  }

  private async query<Row extends pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<Row>> {
    return this.pool.query<Row>(text, values)
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      // Held until COMMIT: a second instance starting now waits, then finds nothing to do.
      await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`)
      await client.query(
        `CREATE TABLE IF NOT EXISTS accounts_schema_migrations (
           version INTEGER PRIMARY KEY,
           applied_at BIGINT NOT NULL
         )`,
      )
      const { rows } = await client.query<{ version: number }>(
        'SELECT coalesce(max(version), 0) AS version FROM accounts_schema_migrations',
      )
      const version = rows[0]?.version ?? 0
      if (version > MIGRATIONS.length) {
        throw new Error(
          `the accounts schema is version ${version}; this server knows ${MIGRATIONS.length}`,
        )
      }
      for (let next = version; next < MIGRATIONS.length; next++) {
        await client.query(MIGRATIONS[next] as string)
        await client.query(
          'INSERT INTO accounts_schema_migrations (version, applied_at) VALUES ($1, $2)',
          [next + 1, Date.now()],
        )
      }
      if (version < MIGRATIONS.length) {
        this.logger.info({ from: version, to: MIGRATIONS.length }, 'accounts schema migrated')
      }
    })
  }

  async getUser(id: string): Promise<StoredUser | null> {
    const { rows } = await this.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [
      id,
    ])
    return rows[0] ? userOf(rows[0]) : null
  }

  async listUsers(): Promise<StoredUser[]> {
    const { rows } = await this.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`)
    return rows.map(userOf)
  }

  async createUser(user: StoredUser): Promise<void> {
    await this.query(INSERT_USER, userParameters(user)).catch(rethrowExists(user.id))
  }

  async createFirstAdmin(user: StoredUser): Promise<boolean> {
    return this.transaction(async (client) => {
      // Every instance's first-admin attempt queues here; under READ COMMITTED
      // the count below is taken after the lock, so it sees an admin another
      // instance committed while this one waited.
      await client.query(`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`)
      if ((await countActiveAdmins(client)) > 0) return false
      await client.query(INSERT_USER, userParameters(user)).catch(rethrowExists(user.id))
      return true
    })
  }

  async updateUser(id: string, patch: UserPatch, at: number): Promise<StoredUser | null> {
    // One statement: fields left undefined keep the value the row has at that moment.
    const { rows } = await this.query<UserRow>(
      `UPDATE users SET
         display_name = coalesce($2, display_name),
         role = coalesce($3, role),
         password_hash = coalesce($4, password_hash),
         active = coalesce($5, active),
         updated_at = $6
       WHERE id = $1
       RETURNING ${USER_COLUMNS}`,
      [
        id,
        patch.displayName ?? null,
        patch.role ?? null,
        patch.passwordHash ?? null,
        patch.active ?? null,
        at,
      ],
    )
    return rows[0] ? userOf(rows[0]) : null
  }

  async countActiveAdmins(): Promise<number> {
    return countActiveAdmins(this.pool)
  }

  async saveCredential(credential: StoredCredential): Promise<void> {
    await this.query(
      `INSERT INTO credentials (token_hash, user_id, kind, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [
        credential.tokenHash,
        credential.userId,
        credential.kind,
        credential.createdAt,
        credential.expiresAt,
      ],
    )
  }

  async getCredential(tokenHash: string): Promise<StoredCredential | null> {
    const { rows } = await this.query<StoredCredential>(
      `SELECT token_hash AS "tokenHash", user_id AS "userId", kind, created_at AS "createdAt",
              expires_at AS "expiresAt"
       FROM credentials WHERE token_hash = $1`,
      [tokenHash],
    )
    return rows[0] ?? null
  }

  async deleteCredential(tokenHash: string): Promise<void> {
    await this.query('DELETE FROM credentials WHERE token_hash = $1', [tokenHash])
  }

  async deleteCredentialsOf(userId: string): Promise<void> {
    await this.query('DELETE FROM credentials WHERE user_id = $1', [userId])
  }

  async deleteExpiredCredentials(now: number): Promise<number> {
    const result = await this.query('DELETE FROM credentials WHERE expires_at <= $1', [now])
    return result.rowCount ?? 0
  }

  async grantsOn(documentId: string): Promise<StoredGrant[]> {
    const { rows } = await this.query<StoredGrant>(
      `SELECT document_id AS "documentId", user_id AS "userId", level, granted_by AS "grantedBy",
              granted_at AS "grantedAt"
       FROM document_grants WHERE document_id = $1 ORDER BY granted_at, user_id`,
      [documentId],
    )
    return rows
  }

  async setGrant(grant: StoredGrant): Promise<void> {
    await this.query(
      `INSERT INTO document_grants (document_id, user_id, level, granted_by, granted_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (document_id, user_id)
       DO UPDATE SET level = excluded.level, granted_by = excluded.granted_by,
                     granted_at = excluded.granted_at`,
      [grant.documentId, grant.userId, grant.level, grant.grantedBy, grant.grantedAt],
    )
  }

  async removeGrant(documentId: string, userId: string): Promise<boolean> {
    const result = await this.query(
      'DELETE FROM document_grants WHERE document_id = $1 AND user_id = $2',
      [documentId, userId],
    )
    return (result.rowCount ?? 0) > 0
  }

  async removeGrantsOn(documentId: string): Promise<void> {
    await this.query('DELETE FROM document_grants WHERE document_id = $1', [documentId])
  }

  async documentsGrantedTo(userId: string): Promise<{ documentId: string; level: AccessLevel }[]> {
    const { rows } = await this.query<{ documentId: string; level: AccessLevel }>(
      `SELECT document_id AS "documentId", level FROM document_grants
       WHERE user_id = $1 OR user_id = '*'`,
      [userId],
    )
    return rows
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.pool.end()
  }
}

async function countActiveAdmins(queryable: pg.Pool | pg.PoolClient): Promise<number> {
  const { rows } = await queryable.query<{ n: number }>(
    `SELECT count(*) AS n FROM users WHERE role = 'admin' AND active`,
  )
  return rows[0]?.n ?? 0
}

function rethrowExists(userId: string) {
  return (error: unknown): never => {
    if (error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION) {
      throw new UserExistsError(userId)
    }
    throw error
  }
}
