/**
 * Accounts in SQLite: the same file as the documents (DATA_DIR/hashiya.db),
 * through its own connection and its own migration counter, so the two
 * schemas evolve independently.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
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

/** Each entry migrates from version i to i + 1; never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL,
     password_hash TEXT NOT NULL,
     active INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE credentials (
     token_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     kind TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX credentials_by_user ON credentials (user_id);
   CREATE TABLE document_grants (
     document_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     level TEXT NOT NULL,
     granted_by TEXT NOT NULL,
     granted_at INTEGER NOT NULL,
     PRIMARY KEY (document_id, user_id)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX document_grants_by_user ON document_grants (user_id);`,
]

export class SqliteAccountStore implements AccountStore {
  private readonly db: Database.Database
  /**
   * Each statement compiled once: every connection's admission reads the
   * credential, the user and the grants, and compiling SQL cost more than
   * running it (thousands of sockets joining at once).
   */
  private readonly prepared = new Map<string, Database.Statement>()

  constructor(options: { filename: string }) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true })
    this.db = new Database(options.filename)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('busy_timeout = 5000')
    this.db.pragma('foreign_keys = ON')
    this.migrate()
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS accounts_schema (version INTEGER NOT NULL) STRICT')
    const row = this.db.prepare('SELECT version FROM accounts_schema').get() as
      | { version: number }
      | undefined
    const current = row?.version ?? 0
    if (current > MIGRATIONS.length) {
      throw new Error(
        `the accounts schema is version ${current}; this server knows ${MIGRATIONS.length}`,
      )
    }
    this.db.transaction(() => {
      for (let version = current; version < MIGRATIONS.length; version++) {
        this.db.exec(MIGRATIONS[version] as string)
      }
      this.db.exec('DELETE FROM accounts_schema')
      this.db.prepare('INSERT INTO accounts_schema (version) VALUES (?)').run(MIGRATIONS.length)
    })()
  }

  private statement(sql: string): Database.Statement {
    let statement = this.prepared.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.prepared.set(sql, statement)
    }
    return statement
  }

  async getUser(id: string): Promise<StoredUser | null> {
    const row = this.statement(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as
      | UserRow
      | undefined
    return row ? userOf(row) : null
  }

  async listUsers(): Promise<StoredUser[]> {
    return (this.statement(`SELECT ${USER_COLUMNS} FROM users ORDER BY id`).all() as UserRow[]).map(
      userOf,
    )
  }

  private insertUser(user: StoredUser): void {
    try {
      this.statement(`INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
        user.id,
        user.displayName,
        user.role,
        user.passwordHash,
        user.active ? 1 : 0,
        user.createdAt,
        user.updatedAt,
      )
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new UserExistsError(user.id)
      throw error
    }
  }

  async createUser(user: StoredUser): Promise<void> {
    this.insertUser(user)
  }

  async createFirstAdmin(user: StoredUser): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (this.activeAdmins() > 0) return false
        this.insertUser(user)
        return true
      })
      .immediate()
  }

  async updateUser(id: string, patch: UserPatch, at: number): Promise<StoredUser | null> {
    const current = await this.getUser(id)
    if (!current) return null
    const defined = Object.fromEntries(
      Object.entries(patch).filter(([, value]) => value !== undefined),
    ) as UserPatch
    const next = { ...current, ...defined, updatedAt: at }
    this.statement(
      `UPDATE users SET display_name = ?, role = ?, password_hash = ?, active = ?, updated_at = ?
         WHERE id = ?`,
    ).run(next.displayName, next.role, next.passwordHash, next.active ? 1 : 0, at, id)
    return next
  }

  private activeAdmins(): number {
    return (
      this.statement(
        `SELECT count(*) AS n FROM users WHERE role = 'admin' AND active = 1`,
      ).get() as { n: number }
    ).n
  }

  async countActiveAdmins(): Promise<number> {
    return this.activeAdmins()
  }

  async saveCredential(credential: StoredCredential): Promise<void> {
    this.statement(
      `INSERT INTO credentials (token_hash, user_id, kind, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)`,
    ).run(
      credential.tokenHash,
      credential.userId,
      credential.kind,
      credential.createdAt,
      credential.expiresAt,
    )
  }

  async getCredential(tokenHash: string): Promise<StoredCredential | null> {
    const row = this.statement(
      `SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE token_hash = ?`,
    ).get(tokenHash) as StoredCredential | undefined
    return row ?? null
  }

  async deleteCredential(tokenHash: string): Promise<void> {
    this.statement('DELETE FROM credentials WHERE token_hash = ?').run(tokenHash)
  }

  async deleteCredentialsOf(userId: string): Promise<void> {
    this.statement('DELETE FROM credentials WHERE user_id = ?').run(userId)
  }

  async deleteExpiredCredentials(now: number): Promise<number> {
    return this.statement('DELETE FROM credentials WHERE expires_at <= ?').run(now).changes
  }

  async grantsOn(documentId: string): Promise<StoredGrant[]> {
    return this.statement(
      `SELECT ${GRANT_COLUMNS} FROM document_grants
         WHERE document_id = ? ORDER BY granted_at, user_id`,
    ).all(documentId) as StoredGrant[]
  }

  async setGrant(grant: StoredGrant): Promise<void> {
    this.statement(
      `INSERT INTO document_grants (document_id, user_id, level, granted_by, granted_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (document_id, user_id)
         DO UPDATE SET level = excluded.level, granted_by = excluded.granted_by,
                       granted_at = excluded.granted_at`,
    ).run(grant.documentId, grant.userId, grant.level, grant.grantedBy, grant.grantedAt)
  }

  async removeGrant(documentId: string, userId: string): Promise<boolean> {
    return (
      this.statement('DELETE FROM document_grants WHERE document_id = ? AND user_id = ?').run(
        documentId,
        userId,
      ).changes > 0
    )
  }

  async removeGrantsOn(documentId: string): Promise<void> {
    this.statement('DELETE FROM document_grants WHERE document_id = ?').run(documentId)
  }

  async documentsGrantedTo(userId: string): Promise<{ documentId: string; level: AccessLevel }[]> {
    return this.statement(
      `SELECT document_id AS documentId, level FROM document_grants
         WHERE user_id = ? OR user_id = '*'`,
    ).all(userId) as { documentId: string; level: AccessLevel }[]
  }

  async close(): Promise<void> {
    this.db.close()
  }
}
