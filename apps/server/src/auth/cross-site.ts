/**
 * CSRF protection for cookie-authenticated changes. Hono's `csrf` middleware
 * only looks at form content types; a browser session must not be able to
 * change anything from another site whatever the content type, so every
 * unsafe request carrying the session cookie must come from our own origin
 * (`Sec-Fetch-Site`, else `Origin`, which browsers send on such requests).
 * Requests with neither header and no cookie come from programs (the CLI, a
 * bearer-token client, curl signing in), which another site cannot forge.
 */
import type { MiddlewareHandler } from 'hono'
import { ApiError } from '../api/errors.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function rejectCrossSite(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next()
    const site = c.req.header('sec-fetch-site')
    const origin = c.req.header('origin')
    const host = c.req.header('host')
    const fromBrowser = site !== undefined || origin !== undefined
    const sameOrigin = site
      ? site === 'same-origin'
      : origin !== undefined && URL.canParse(origin) && new URL(origin).host === host
    // A browser says where a request comes from; a cookie without that is refused too.
    const cookie = c.get('auth')?.via === 'cookie'
    if ((fromBrowser && !sameOrigin) || (cookie && !fromBrowser)) {
      throw new ApiError(
        403,
        'cross-site-request',
        'Changes must come from the Hashiya page itself.',
      )
    }
    await next()
  }
}
