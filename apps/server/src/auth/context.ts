/**
 * Who a request comes from, as the authentication middleware found it. Routes
 * read it through `currentUser`/`userIdOf`, never from headers themselves.
 */
import type { DocumentPermission, User } from '@hashiya/accounts'
import type { Context } from 'hono'
import { ApiError } from '../api/errors.js'

export interface RequestAuth {
  user: User
  /** `cookie`: a browser session (subject to CSRF checks); `bearer`: a token in a header. */
  via: 'cookie' | 'bearer'
  token: string
}

declare module 'hono' {
  interface ContextVariableMap {
    auth: RequestAuth | null
    /** The caller's permission on the document in the path, once checked. */
    documentPermission: DocumentPermission
  }
}

export function signedOut(): ApiError {
  return new ApiError(401, 'signed-out', 'Sign in to continue.')
}

export function forbidden(message = 'You do not have access to this.'): ApiError {
  return new ApiError(403, 'forbidden', message)
}

export function currentAuth(c: Context): RequestAuth {
  const auth = c.get('auth')
  if (!auth) throw signedOut()
  return auth
}

export function currentUser(c: Context): User {
  return currentAuth(c).user
}

/** The account every change made by this request is attributed to. */
export function userIdOf(c: Context): string {
  return currentUser(c).id
}
