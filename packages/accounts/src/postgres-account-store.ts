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
import {
  inTransaction,
  migratePostgres,
  openPostgresPool,
  type PostgresConnectionOptions,
  type PostgresLogger,
  warningsToConsole,
} from '@hashiya/storage'
import pg from 'pg'
import {
  type AccountStore,
  type StoredCredential,
  type StoredGrant,
  type StoredUser,
  UserExistsError,
  type UserPatch,
} from './account-store.js'
import type { AccessLevel } from './roles.js'
import {
  CREDENTIAL_COLUMNS,
  GRANT_COLUMNS,
  USER_COLUMNS,
  type UserRow,
  userOf,
} from './shared-sql.js'

/** The slice of the server's structured logger (pino's shape) the store reports to. */
export type PostgresAccountStoreLogger = PostgresLogger

/** `poolSize` defaults to 5 (accounts are small, quick lookups). */
export type PostgresAccountStoreOptions = PostgresConnectionOptions

/**
 * Each entry migrates from version i to i + 1, recorded as i + 1 in
 * accounts_schema_migrations (see migratePostgres); never edit a shipped one.
 * Times are BIGINT milliseconds since the epoch, as the contract speaks them.
 * Keys are COLLATE "C" (byte order, as in SQLite).
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

/** Two-int advisory lock key: the first int names the kind of lock (see the document store). */
const FIRST_ADMIN_LOCK = `hashtext('hashiya.first_admin'), 0`

const UNIQUE_VIOLATION = '23505'
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
    this.pool = openPostgresPool({
      connectionString: options.connectionString,
      applicationName: 'hashiya-accounts',
      max: options.poolSize ?? 5,
      connectionTimeoutMillis: 10_000,
      // A deactivation or a revoked session must not come back after a crash.
      synchronousCommit: true,
      logger: this.logger,
    })
  }

  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, this.logger, work)
  }

  private async query<Row extends pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<Row>> {
    return this.pool.query<Row>(text, values)
  }

  private async migrate(): Promise<void> {
    await migratePostgres(this.pool, {
      table: 'accounts_schema_migrations',
      subject: 'accounts schema',
      migrations: MIGRATIONS,
      logger: this.logger,
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
      `SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE token_hash = $1`,
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
      `SELECT ${GRANT_COLUMNS} FROM document_grants
       WHERE document_id = $1 ORDER BY granted_at, user_id`,
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
