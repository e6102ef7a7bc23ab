/**
 * Reading and setting credentials on HTTP requests: the `HttpOnly`,
 * `SameSite=Lax` session cookie browsers carry, or an `Authorization: Bearer`
 * token (and, for WebSockets only, `?token=`, since browsers and the stock
 * y-websocket client cannot set headers on an upgrade).
 */
import type { Accounts } from '@hashiya/accounts'
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { RequestAuth } from './context.js'

export const SESSION_COOKIE = 'hashiya_session'

export interface CookiePolicy {
  /** `auto`: Secure when the request arrived over HTTPS. */
  secure: 'auto' | boolean
  trustProxy: boolean
}

function isHttps(c: Context, policy: CookiePolicy): boolean {
  if (policy.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https')
    return true
  return new URL(c.req.url).protocol === 'https:'
}

export function setSessionCookie(
  c: Context,
  token: string,
  expiresAt: number,
  policy: CookiePolicy,
): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: policy.secure === 'auto' ? isHttps(c, policy) : policy.secure,
    maxAge: Math.max(0, Math.floor((expiresAt - Date.now()) / 1000)),
  })
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' })
}

/** The credential a request presents, header first. */
export function presentedCredential(
  c: Context,
  options: { allowQueryToken: boolean },
): { token: string; via: RequestAuth['via'] } | null {
  const header = c.req.header('authorization')
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (bearer) return { token: bearer, via: 'bearer' }
  if (options.allowQueryToken) {
    const query = c.req.query('token')
    if (query) return { token: query, via: 'bearer' }
  }
  const cookie = getCookie(c, SESSION_COOKIE)
  return cookie ? { token: cookie, via: 'cookie' } : null
}

/** Resolves the request's credential to an account (or null) for everything after it. */
export function authenticate(accounts: Accounts): MiddlewareHandler {
  return async (c, next) => {
    const presented = presentedCredential(c, { allowQueryToken: false })
    const found = presented ? await accounts.authenticate(presented.token) : null
    c.set(
      'auth',
      found && presented ? { user: found.user, via: presented.via, token: presented.token } : null,
    )
    await next()
  }
}
