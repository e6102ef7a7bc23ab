/**
 * Accounts on the server: the one-time setup, signing in and out, the session,
 * passwords, the user directory and administration, and document sharing.
 */
import { request } from './api.js'
import {
  type Abilities,
  type DocumentPermission,
  isRole,
  type Role,
  readAbilities,
} from './permissions.js'

export interface User {
  /** The account name (lowercase Latin); also the id changes are attributed to. */
  id: string
  displayName: string
  role: Role
  active: boolean
  /** Milliseconds since the epoch or ISO 8601, as the server sends it. */
  createdAt: number | string
  updatedAt: number | string
}

/** Who is signed in and what they may do across the newsroom. */
export interface Session {
  user: User
  abilities: Abilities
}

/** An entry of the user directory: everyone sees names; administrators see whole accounts. */
export interface DirectoryUser {
  id: string
  displayName: string
  role?: Role
  active?: boolean
  createdAt?: number | string
  updatedAt?: number | string
}

export const ACCESS_LEVELS = ['owner', 'edit', 'read'] as const
export type AccessLevel = (typeof ACCESS_LEVELS)[number]
/** The levels that can be given (the owner is whoever created the document). */
export type ShareLevel = Exclude<AccessLevel, 'owner'>

/** The grantee meaning "everyone signed in". */
export const EVERYONE = '*'

export interface Grant {
  /** An account id, or `*` for everyone in the newsroom. */
  userId: string
  level: AccessLevel
  grantedBy: string | null
  grantedAt: string | null
}

export interface Access {
  grants: Grant[]
  canShare: boolean
}

function readSession(value: unknown): Session {
  const { user, abilities } = (value ?? {}) as { user?: User; abilities?: unknown }
  if (!user || typeof user.id !== 'string') throw new Error('The server sent no user')
  return {
    user: {
      ...user,
      displayName: typeof user.displayName === 'string' ? user.displayName : user.id,
      role: isRole(user.role) ? user.role : 'viewer',
      active: user.active !== false,
    },
    abilities: readAbilities(abilities),
  }
}

const json = (method: string, body: unknown) => ({ method, body: JSON.stringify(body) })

/** Whether the first administrator still has to be created. */
export async function getSetup(signal?: AbortSignal): Promise<{ required: boolean }> {
  const { required } = await request<{ required?: unknown }>('/api/setup', {
    signal,
    signedOutIsAnswer: true,
  })
  return { required: required === true }
}

export async function completeSetup(input: {
  code: string
  username: string
  displayName: string
  password: string
}): Promise<Session> {
  return readSession(
    await request('/api/setup', { ...json('POST', input), signedOutIsAnswer: true }),
  )
}

export async function signIn(username: string, password: string): Promise<Session> {
  return readSession(
    await request('/api/session', {
      ...json('POST', { username, password }),
      signedOutIsAnswer: true,
    }),
  )
}

/** The current session; rejects with a 401 `ApiError` when signed out. */
export async function getSession(signal?: AbortSignal): Promise<Session> {
  return readSession(await request('/api/session', { signal, signedOutIsAnswer: true }))
}

export async function signOut(): Promise<void> {
  await request<void>('/api/session', { method: 'DELETE', signedOutIsAnswer: true })
}

/** Changes the password; every session of the account ends, this one included. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await request<void>('/api/session/password', json('POST', { currentPassword, newPassword }))
}

export async function listUsers(signal?: AbortSignal): Promise<DirectoryUser[]> {
  const { users } = await request<{ users?: DirectoryUser[] }>('/api/users', { signal })
  return (Array.isArray(users) ? users : []).filter(
    (user): user is DirectoryUser => typeof user?.id === 'string',
  )
}

export async function createUser(input: {
  username: string
  displayName: string
  role: Role
  password: string
}): Promise<User> {
  const { user } = await request<{ user: User }>('/api/users', json('POST', input))
  return user
}

export async function updateUser(
  id: string,
  changes: { displayName?: string; role?: Role; active?: boolean; password?: string },
): Promise<User> {
  const { user } = await request<{ user: User }>(
    `/api/users/${encodeURIComponent(id)}`,
    json('PATCH', changes),
  )
  return user
}

const accessPath = (docId: string) => `/api/documents/${encodeURIComponent(docId)}/access`

export async function getAccess(docId: string, signal?: AbortSignal): Promise<Access> {
  const access = await request<Partial<Access>>(accessPath(docId), { signal })
  return { grants: access.grants ?? [], canShare: access.canShare === true }
}

export async function shareDocument(
  docId: string,
  userId: string,
  level: ShareLevel,
): Promise<Grant[]> {
  const { grants } = await request<{ grants: Grant[] }>(
    `${accessPath(docId)}/${encodeURIComponent(userId)}`,
    json('PUT', { level }),
  )
  return grants
}

export async function unshareDocument(docId: string, userId: string): Promise<Grant[]> {
  const { grants } = await request<{ grants: Grant[] }>(
    `${accessPath(docId)}/${encodeURIComponent(userId)}`,
    { method: 'DELETE' },
  )
  return grants
}

export type { DocumentPermission }
