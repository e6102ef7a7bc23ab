/**
 * Reading a request safely: ids checked against their pattern, bodies parsed
 * and validated with a schema, every failure an `ApiError` a person can read.
 */
import { isValidDocumentId } from '@hashiya/document'
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { z } from 'zod'
import { ApiError } from './errors.js'

/** Parses the JSON body against `schema`; 400 when it is not JSON, 422 when it does not fit. */
export async function readJson<T>(
  c: Context,
  schema: z.ZodType<T>,
  invalidCode: string,
): Promise<T> {
  const raw = await c.req.text()
  if (raw.trim() === '')
    throw new ApiError(400, 'empty-body', 'The request body is empty; send JSON.')
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw new ApiError(400, 'malformed-json', 'The request body is not valid JSON.')
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const message = parsed.error.issues.map((issue) => issue.message).join('; ')
    throw new ApiError(422, invalidCode, message)
  }
  return parsed.data
}

export function documentIdOf(c: Context): string {
  const id = c.req.param('id') ?? ''
  if (!isValidDocumentId(id)) {
    throw new ApiError(400, 'invalid-id', 'Document ids are 1–64 letters, digits, "-" or "_".')
  }
  return id
}

export function documentNotFound(id: string): ApiError {
  return new ApiError(404, 'document-not-found', `There is no document with id ${id}.`)
}

/** Above this, an oversized upload is cut off rather than read to the end. */
const DRAIN_LIMIT = 32 * 1024 * 1024

/**
 * Refuses bodies over `maxBytes` with a JSON 413. The rest of a moderately
 * oversized body is read and discarded first, so the client gets the 413
 * instead of a connection reset in the middle of its upload.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: async (c) => {
      const declared = Number(c.req.header('content-length') ?? Number.NaN)
      if (Number.isFinite(declared) && declared <= DRAIN_LIMIT) {
        await c.req.raw.body?.pipeTo(new WritableStream()).catch(() => {})
      }
      throw new ApiError(
        413,
        'body-too-large',
        `The request body is larger than ${Math.floor(maxBytes / 1024)} KiB.`,
      )
    },
  })
}
