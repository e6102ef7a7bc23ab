/**
 * The storage contract for accounts, sessions and document grants. Secrets are
 * stored only as hashes: password hashes (scrypt) and SHA-256 of session tokens.
 */
import type { AccessLevel, Grant, Role } from './roles.js'

export interface StoredUser {
  id: string
  displayName: string
  role: Role
  passwordHash: string
  active: boolean
  createdAt: number
  updatedAt: number
}

export type UserPatch = Partial<
  Pick<StoredUser, 'displayName' | 'role' | 'passwordHash' | 'active'>
>

/** `session`: a browser's cookie; `token`: a short-lived bearer token for other clients. */
export type CredentialKind = 'session' | 'token'

export interface StoredCredential {
  tokenHash: string
  userId: string
  kind: CredentialKind
  createdAt: number
  expiresAt: number
}

export interface StoredGrant extends Grant {
  documentId: string
  grantedBy: string
  grantedAt: number
}

export interface AccountStore {
  getUser(id: string): Promise<StoredUser | null>
  listUsers(): Promise<StoredUser[]>
  /** Throws `UserExistsError` when the id is taken. */
  createUser(user: StoredUser): Promise<void>
  /**
   * Creates the first admin only if no active admin exists, atomically (two
   * setup requests at once make one admin). False when one already exists.
   */
  createFirstAdmin(user: StoredUser): Promise<boolean>
  updateUser(id: string, patch: UserPatch, at: number): Promise<StoredUser | null>
  countActiveAdmins(): Promise<number>

  saveCredential(credential: StoredCredential): Promise<void>
  getCredential(tokenHash: string): Promise<StoredCredential | null>
  deleteCredential(tokenHash: string): Promise<void>
  /** Revokes every session and token of a user. */
  deleteCredentialsOf(userId: string): Promise<void>
  deleteExpiredCredentials(now: number): Promise<number>

  grantsOn(documentId: string): Promise<StoredGrant[]>
  setGrant(grant: StoredGrant): Promise<void>
  removeGrant(documentId: string, userId: string): Promise<boolean>
  removeGrantsOn(documentId: string): Promise<void>
  /** Documents a user (or everyone) has any grant on. */
  documentsGrantedTo(userId: string): Promise<{ documentId: string; level: AccessLevel }[]>

  close(): Promise<void>
}

export class UserExistsError extends Error {
  constructor(readonly userId: string) {
    super(`an account named ${userId} already exists`)
    this.name = 'UserExistsError'
  }
}
