/**
 * `POST /api/documents/import` (multipart): a file (and, for W3C Web
 * Annotation, the text it annotates) becomes a new document; the response says
 * what was kept and what could not be placed. Nothing is created on error.
 */
import { newDocumentId } from '@hashiya/document'
import { ImportError, importDocument } from '@hashiya/import'
import type { DocumentStore, DocumentSummary } from '@hashiya/storage'
import { type Context, Hono } from 'hono'
import { ApiError } from './errors.js'

export interface ImportRoutesOptions {
  store: DocumentStore
  userIdOf(c: Context): string
  toJson(c: Context, summary: DocumentSummary): Promise<unknown>
}

async function bytesOf(value: unknown): Promise<Uint8Array | undefined> {
  if (value instanceof File) return new Uint8Array(await value.arrayBuffer())
  return undefined
}

export function importRoutes({ store, userIdOf, toJson }: ImportRoutesOptions): Hono {
  return new Hono().post('/', async (c) => {
    if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data')) {
      throw new ApiError(
        415,
        'unsupported-media-type',
        'Send the file as multipart/form-data (field "file").',
      )
    }
    let form: Record<string, unknown>
    try {
      form = await c.req.parseBody()
    } catch {
      throw new ApiError(
        400,
        'malformed-form',
        'The upload could not be read as multipart/form-data.',
      )
    }
    const file = form.file
    if (!(file instanceof File))
      throw new ApiError(400, 'missing-file', 'Attach the file to import in the "file" field.')
    const title = typeof form.title === 'string' ? form.title.slice(0, 200) : undefined
    let result: Awaited<ReturnType<typeof importDocument>>
    try {
      result = await importDocument({
        filename: file.name,
        bytes: (await bytesOf(file)) as Uint8Array,
        text: await bytesOf(form.text),
        title,
      })
    } catch (error) {
      if (error instanceof ImportError)
        throw new ApiError(422, 'import-failed', `Could not import ${file.name}: ${error.message}.`)
      throw error
    }
    const summary = await store.createDocument({
      id: newDocumentId(),
      title: result.title.slice(0, 200),
      initialUpdate: result.update,
      userId: userIdOf(c),
    })
    return c.json({ document: await toJson(c, summary), report: result.report }, 201)
  })
}
