/**
 * One JSON error shape for the whole API: `{ error: { code, message } }`, with a
 * message a person can act on and never a stack trace.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

export class ApiError extends Error {
  /** Extra response headers, such as `Retry-After` on a 429. */
  headers: Record<string, string> = {}

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export function errorResponse(c: Context, error: ApiError): Response {
  return c.json(
    { error: { code: error.code, message: error.message } },
    error.status,
    error.headers,
  )
}
