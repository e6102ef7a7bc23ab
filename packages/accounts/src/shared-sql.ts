/**
 * What the SQL account stores share, kept once so they cannot drift apart: the
 * columns they read and how a user row becomes the contract's type. Aliases are
 * double-quoted, which both SQLite and PostgreSQL read as case-kept names.
 */
import type { StoredUser } from './account-store.js'
import type { Role } from './roles.js'

export const USER_COLUMNS = 'id, display_name, role, password_hash, active, created_at, updated_at'

export interface UserRow {
  id: string
  display_name: string
  role: string
  password_hash: string
  /** BOOLEAN in PostgreSQL, 0 or 1 in SQLite. */
  active: boolean | number
  created_at: number
  updated_at: number
}

export const userOf = (row: UserRow): StoredUser => ({
  id: row.id,
  displayName: row.display_name,
  role: row.role as Role,
  passwordHash: row.password_hash,
  active: row.active === true || row.active === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/** Read as a StoredCredential. */
export const CREDENTIAL_COLUMNS = `token_hash AS "tokenHash", user_id AS "userId", kind,
  created_at AS "createdAt", expires_at AS "expiresAt"`

/** Read as a StoredGrant. */
export const GRANT_COLUMNS = `document_id AS "documentId", user_id AS "userId", level,
  granted_by AS "grantedBy", granted_at AS "grantedAt"`
