/**
 * The accounts service: sign-in, sessions and tokens, user management and
 * document grants, with a change signal so open connections can follow a
 * revocation or a role change at once.
 *
 * Tokens are 256 random bits handed to the client once; only their SHA-256 is
 * stored, so a copy of the database cannot be used to sign in.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { AccountStore, CredentialKind, StoredGrant, StoredUser } from './account-store.js'
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js'
import {
  type AccessLevel,
  type DocumentPermission,
  documentPermission,
  EVERYONE,
  type Role,
} from './roles.js'

/** Account names: also the id every stored update and audit event carries. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/
const RESERVED_NAMES = new Set(['anonymous', 'cli', 'server', 'system', 'everyone'])

export type AccountErrorCode =
  | 'invalid-credentials'
  | 'setup-closed'
  | 'user-exists'
  | 'user-not-found'
  | 'invalid-input'
  | 'last-admin'

export class AccountError extends Error {
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'AccountError'
  }
}

/** A user as everyone else may see them: never the password hash. */
export interface User {
  id: string
  displayName: string
  role: Role
  active: boolean
  createdAt: number
  updatedAt: number
}

export interface Authenticated {
  user: User
  kind: CredentialKind
  expiresAt: number
}

export interface IssuedCredential {
  token: string
  expiresAt: number
  user: User
}

export interface NewUser {
  id: string
  displayName: string
  role: Role
  password: string
}

export interface UserChanges {
  displayName?: string
  role?: Role
  active?: boolean
  password?: string
}

/** Something that can change what an open connection may do. */
export type AccessChange = { userId: string } | { documentId: string }

export interface AccountsOptions {
  sessionTtlMs: number
  /** Longest lifetime a bearer token may be given. */
  maxTokenTtlMs: number
  now?: () => number
}

const publicUser = ({ passwordHash: _, ...user }: StoredUser): User => user

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url')

export function usernameProblem(id: string): string | null {
  if (!USERNAME_PATTERN.test(id))
    return 'username must be 2–32 lowercase Latin letters, digits, dots, dashes or underscores'
  if (RESERVED_NAMES.has(id)) return `${id} is reserved`
  return null
}

function displayNameProblem(name: string): string | null {
  const trimmed = name.trim()
  if (trimmed.length === 0) return 'display name must not be empty'
  if ([...trimmed].length > 80) return 'display name must be at most 80 characters'
  return null
}

function check(problem: string | null): void {
  if (problem) throw new AccountError('invalid-input', problem)
}

export class Accounts {
  private readonly listeners = new Set<(change: AccessChange) => void>()
  private readonly now: () => number

  constructor(
    private readonly store: AccountStore,
    private readonly options: AccountsOptions,
  ) {
    this.now = options.now ?? Date.now
  }

  /** Called after a user's role, activity or password changes, or a document's grants. */
  onChange(listener: (change: AccessChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(change: AccessChange): void {
    for (const listener of this.listeners) listener(change)
  }

  async needsSetup(): Promise<boolean> {
    return (await this.store.countActiveAdmins()) === 0
  }

  private async newStoredUser(input: NewUser): Promise<StoredUser> {
    check(usernameProblem(input.id))
    check(displayNameProblem(input.displayName))
    check(passwordProblem(input.password))
    const at = this.now()
    return {
      id: input.id,
      displayName: input.displayName.trim().normalize('NFC'),
      role: input.role,
      passwordHash: await hashPassword(input.password),
      active: true,
      createdAt: at,
      updatedAt: at,
    }
  }

  /** The first admin, from the setup screen or the environment; refused once one exists. */
  async createFirstAdmin(input: Omit<NewUser, 'role'>): Promise<User> {
    const user = await this.newStoredUser({ ...input, role: 'admin' })
    if (!(await this.store.createFirstAdmin(user)))
      throw new AccountError('setup-closed', 'An administrator already exists; sign in instead.')
    return publicUser(user)
  }

  async createUser(input: NewUser): Promise<User> {
    const user = await this.newStoredUser(input)
    try {
      await this.store.createUser(user)
    } catch (error) {
      if ((error as Error).name === 'UserExistsError')
        throw new AccountError('user-exists', `An account named ${input.id} already exists.`)
      throw error
    }
    return publicUser(user)
  }

  async getUser(id: string): Promise<User | null> {
    const user = await this.store.getUser(id)
    return user ? publicUser(user) : null
  }

  async listUsers(): Promise<User[]> {
    return (await this.store.listUsers()).map(publicUser)
  }

  /** Display names by account id, deactivated accounts' too: they still name what they did. */
  async displayNames(): Promise<Map<string, string>> {
    return new Map((await this.store.listUsers()).map((user) => [user.id, user.displayName]))
  }

  /**
   * Changes an account. Deactivating it or setting a new password signs it out
   * everywhere; any change is announced so open connections are re-checked.
   */
  async updateUser(id: string, changes: UserChanges): Promise<User> {
    const current = await this.store.getUser(id)
    if (!current) throw new AccountError('user-not-found', `There is no account named ${id}.`)
    if (changes.displayName !== undefined) check(displayNameProblem(changes.displayName))
    if (changes.password !== undefined) check(passwordProblem(changes.password))
    const losesAdmin =
      current.role === 'admin' &&
      current.active &&
      ((changes.role !== undefined && changes.role !== 'admin') || changes.active === false)
    if (losesAdmin && (await this.store.countActiveAdmins()) <= 1) {
      throw new AccountError('last-admin', 'The last active administrator cannot be removed.')
    }
    const updated = await this.store.updateUser(
      id,
      {
        displayName: changes.displayName?.trim().normalize('NFC'),
        role: changes.role,
        active: changes.active,
        passwordHash:
          changes.password === undefined ? undefined : await hashPassword(changes.password),
      },
      this.now(),
    )
    if (!updated) throw new AccountError('user-not-found', `There is no account named ${id}.`)
    if (changes.active === false || changes.password !== undefined) {
      await this.store.deleteCredentialsOf(id)
    }
    this.emit({ userId: id })
    return publicUser(updated)
  }

  private async issue(
    user: StoredUser,
    kind: CredentialKind,
    ttlMs: number,
  ): Promise<IssuedCredential> {
    // The prefix makes tokens recognizable in a leak scan and never start with "-" (an option).
    const token = `hs_${randomBytes(32).toString('base64url')}`
    const createdAt = this.now()
    const expiresAt = createdAt + ttlMs
    await this.store.saveCredential({
      tokenHash: hashToken(token),
      userId: user.id,
      kind,
      createdAt,
      expiresAt,
    })
    return { token, expiresAt, user: publicUser(user) }
  }

  /** A browser session; the same message whether the name or the password is wrong. */
  async signIn(id: string, password: string): Promise<IssuedCredential> {
    const user = await this.store.getUser(id)
    const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()))
    if (!user || !valid || !user.active) {
      throw new AccountError('invalid-credentials', 'Wrong username or password.')
    }
    return this.issue(user, 'session', this.options.sessionTtlMs)
  }

  /** A bearer token for a non-browser client (a stock y-websocket client, the CLI). */
  async issueToken(userId: string, ttlMs: number): Promise<IssuedCredential> {
    const user = await this.store.getUser(userId)
    if (!user?.active)
      throw new AccountError('user-not-found', `There is no account named ${userId}.`)
    return this.issue(user, 'token', Math.min(Math.max(ttlMs, 1_000), this.options.maxTokenTtlMs))
  }

  async authenticate(token: string): Promise<Authenticated | null> {
    if (token.length === 0 || token.length > 200) return null
    const credential = await this.store.getCredential(hashToken(token))
    if (!credential) return null
    if (credential.expiresAt <= this.now()) {
      await this.store.deleteCredential(credential.tokenHash)
      return null
    }
    const user = await this.store.getUser(credential.userId)
    if (!user?.active) return null
    return { user: publicUser(user), kind: credential.kind, expiresAt: credential.expiresAt }
  }

  /** Ends one session or token; its open connections are re-checked (and closed). */
  async signOut(token: string): Promise<void> {
    const credential = await this.store.getCredential(hashToken(token))
    if (!credential) return
    await this.store.deleteCredential(credential.tokenHash)
    this.emit({ userId: credential.userId })
  }

  async pruneExpired(): Promise<number> {
    return this.store.deleteExpiredCredentials(this.now())
  }

  async grantsOn(documentId: string): Promise<StoredGrant[]> {
    return this.store.grantsOn(documentId)
  }

  async permission(user: User, documentId: string): Promise<DocumentPermission> {
    return documentPermission(user, await this.store.grantsOn(documentId))
  }

  /** Ids of the documents a user may open, or `all` for leads and admins. */
  async readableDocuments(user: User): Promise<Set<string> | 'all'> {
    if (user.role === 'admin' || user.role === 'lead') return 'all'
    return new Set((await this.store.documentsGrantedTo(user.id)).map((g) => g.documentId))
  }

  async share(documentId: string, userId: string, level: AccessLevel, by: string): Promise<void> {
    if (userId !== EVERYONE && !(await this.store.getUser(userId))) {
      throw new AccountError('user-not-found', `There is no account named ${userId}.`)
    }
    await this.store.setGrant({ documentId, userId, level, grantedBy: by, grantedAt: this.now() })
    this.emit({ documentId })
  }

  async unshare(documentId: string, userId: string): Promise<boolean> {
    const removed = await this.store.removeGrant(documentId, userId)
    if (removed) this.emit({ documentId })
    return removed
  }

  async forgetDocument(documentId: string): Promise<void> {
    await this.store.removeGrantsOn(documentId)
  }

  close(): Promise<void> {
    return this.store.close()
  }
}
