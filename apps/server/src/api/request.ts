/**
 * Reading a request safely: ids checked against their pattern, bodies parsed
 * and validated with a schema, every failure an `ApiError` a person can read.
 */
import { isValidDocumentId } from '@hashiya/document'
import type { Context } from 'hono'
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
