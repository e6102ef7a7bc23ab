/**
 * Signing in and out, the one-time setup of the first administrator, password
 * changes and bearer tokens for non-browser clients.
 */
import { timingSafeEqual } from 'node:crypto'
import {
  AccountError,
  type Accounts,
  MAX_PASSWORD_LENGTH,
  roleCan,
  type User,
} from '@hashiya/accounts'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { currentAuth, currentUser } from '../auth/context.js'
import { type CookiePolicy, clearSessionCookie, setSessionCookie } from '../auth/credentials.js'
import type { RequestLimits } from '../auth/limits.js'
import { ApiError } from './errors.js'
import { readJson } from './request.js'

/** The setup code printed in the terminal on a first start; null once an admin exists. */
export interface SetupGate {
  code: string | null
}

export function abilitiesOf(user: User) {
  return {
    manageUsers: roleCan(user.role, 'manage-users'),
    reviewHistory: roleCan(user.role, 'review-history'),
    export: roleCan(user.role, 'export'),
    createDocuments: roleCan(user.role, 'create-documents'),
  }
}

export const sessionJson = (user: User) => ({ user, abilities: abilitiesOf(user) })

const password = z
  .string({ error: 'password must be a string' })
  .max(MAX_PASSWORD_LENGTH, `password must be at most ${MAX_PASSWORD_LENGTH} characters`)
const username = z.string({ error: 'username must be a string' }).trim().max(64).toLowerCase()

const signInBody = z.strictObject({ username, password })
const setupBody = z.strictObject({
  code: z.string({ error: 'code must be a string' }).trim().max(64),
  username,
  displayName: z.string({ error: 'displayName must be a string' }).max(200),
  password,
})
const passwordBody = z.strictObject({ currentPassword: password, newPassword: password })
const tokenBody = z.strictObject({
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .optional(),
})

export interface SessionRoutesOptions {
  accounts: Accounts
  limits: RequestLimits
  setup: SetupGate
  cookies: CookiePolicy
  /** Default lifetime of a bearer token. */
  tokenTtlMs: number
}

/** Maps the accounts module's errors to HTTP. */
export function accountApiError(error: unknown): unknown {
  if (!(error instanceof AccountError)) return error
  const status = {
    'invalid-credentials': 401,
    'setup-closed': 403,
    'user-exists': 409,
    'user-not-found': 404,
    'invalid-input': 400,
    'last-admin': 409,
  } as const
  return new ApiError(status[error.code], error.code, error.message)
}

const sameCode = (given: string, expected: string) => {
  const a = Buffer.from(given.toUpperCase())
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function sessionRoutes(options: SessionRoutesOptions) {
  const { accounts, limits, setup, cookies } = options

  const signedIn = (
    c: Context,
    issued: { token: string; expiresAt: number; user: User },
    status: 200 | 201,
  ) => {
    setSessionCookie(c, issued.token, issued.expiresAt, cookies)
    return c.json(sessionJson(issued.user), status)
  }

  /** Mounted at /api/setup */
  const setupRoutes = new Hono()
    .get('/', async (c) => c.json({ required: await accounts.needsSetup() }))
    .post('/', async (c) => {
      const input = await readJson(c, setupBody, 'invalid-input')
      await limits.beforeSignIn(c, `setup:${input.username}`)
      if (!setup.code || !(await accounts.needsSetup())) {
        throw new ApiError(403, 'setup-closed', 'An administrator already exists; sign in instead.')
      }
      if (!sameCode(input.code, setup.code)) {
        throw new ApiError(
          403,
          'invalid-setup-code',
          'The setup code does not match the one the server printed.',
        )
      }
      try {
        await accounts.createFirstAdmin({
          id: input.username,
          displayName: input.displayName,
          password: input.password,
        })
        setup.code = null
        await limits.signInSucceeded(c, `setup:${input.username}`)
        return signedIn(c, await accounts.signIn(input.username, input.password), 201)
      } catch (error) {
        throw accountApiError(error)
      }
    })

  /** Mounted at /api/session */
  const session = new Hono()
    .get('/', (c) => c.json(sessionJson(currentUser(c))))
    .post('/', async (c) => {
      const input = await readJson(c, signInBody, 'invalid-input')
      await limits.beforeSignIn(c, input.username)
      try {
        const issued = await accounts.signIn(input.username, input.password)
        await limits.signInSucceeded(c, input.username)
        return signedIn(c, issued, 200)
      } catch (error) {
        if (error instanceof AccountError && error.code === 'invalid-credentials') {
          await limits.signInFailed(input.username)
        }
        throw accountApiError(error)
      }
    })
    .delete('/', async (c) => {
      await accounts.signOut(currentAuth(c).token)
      clearSessionCookie(c)
      return c.body(null, 204)
    })
    .post('/password', async (c) => {
      const user = currentUser(c)
      const input = await readJson(c, passwordBody, 'invalid-input')
      await limits.beforeSignIn(c, user.id)
      try {
        await accounts.signIn(user.id, input.currentPassword)
      } catch (error) {
        if (error instanceof AccountError) await limits.signInFailed(user.id)
        throw new ApiError(403, 'wrong-password', 'The current password is not right.')
      }
      await limits.signInSucceeded(c, user.id)
      try {
        await accounts.updateUser(user.id, { password: input.newPassword })
      } catch (error) {
        throw accountApiError(error)
      }
      clearSessionCookie(c)
      return c.body(null, 204)
    })

  /** Mounted at /api/tokens: a bearer token for the signed-in account. */
  const tokens = new Hono().post('/', async (c) => {
    const input = await readJson(c, tokenBody, 'invalid-input')
    const ttlMs = input.ttlSeconds ? input.ttlSeconds * 1000 : options.tokenTtlMs
    const issued = await accounts.issueToken(currentUser(c).id, ttlMs)
    return c.json({ token: issued.token, expiresAt: new Date(issued.expiresAt).toISOString() }, 201)
  })

  return { setupRoutes, session, tokens }
}
