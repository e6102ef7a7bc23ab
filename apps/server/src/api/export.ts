/**
 * Export routes: one document in any format (now or `?at=` a past version), or
 * several documents at once as a zip.
 */
import type { Accounts } from '@hashiya/accounts'
import { isValidDocumentId } from '@hashiya/document'
import { EXPORT_FORMATS, type ExportedFile, exportDocument, exportSourceOf } from '@hashiya/export'
import type { DocumentStore } from '@hashiya/storage'
import type { SyncServer } from '@hashiya/sync-server'
import { strToU8, zipSync } from 'fflate'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { ApiError } from './errors.js'
import { readAt } from './read-at.js'
import { documentIdOf, documentNotFound, readJson } from './request.js'

const format = z.enum(EXPORT_FORMATS, {
  error: `format must be one of ${EXPORT_FORMATS.join(', ')}`,
})

const batchBody = z.strictObject({
  format,
  ids: z
    .array(z.string().refine(isValidDocumentId, 'invalid document id'), {
      error: 'ids must be a list of document ids',
    })
    .min(1, 'ids must not be empty')
    .max(200, 'at most 200 documents at once'),
})

/** `attachment` with an ASCII fallback and the real (Arabic) name per RFC 6266/5987. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

function send(c: Context, file: ExportedFile): Response {
  return c.body(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), 200, {
    'Content-Type': file.contentType,
    'Content-Disposition': contentDisposition(file.filename),
    'X-Content-Type-Options': 'nosniff',
  })
}

export interface ExportRoutesOptions {
  store: DocumentStore
  sync: SyncServer
  /** Names the people in files read by people (Word comments, the web page's list). */
  accounts: Accounts
}

export function exportRoutes(options: ExportRoutesOptions) {
  const { store, accounts } = options

  const exportOne = async (
    c: Context,
    documentId: string,
    chosen: z.infer<typeof format>,
    people: ReadonlyMap<string, string>,
  ) => {
    const summary = await store.getDocument(documentId)
    if (!summary) throw documentNotFound(documentId)
    const { value: source, at } = await readAt(c, options, documentId, (doc) =>
      exportSourceOf(doc, { documentId, title: summary.title, people }),
    )
    if (at) source.version = { seq: at.seq, time: new Date(at.at) }
    return await exportDocument(source, chosen)
  }

  /** Mounted at /api/documents/:id */
  const single = new Hono().get('/export', async (c) => {
    const parsed = format.safeParse(c.req.query('format') ?? 'json')
    if (!parsed.success)
      throw new ApiError(400, 'invalid-format', parsed.error.issues[0]?.message ?? 'bad format')
    return send(c, await exportOne(c, documentIdOf(c), parsed.data, await accounts.displayNames()))
  })

  /** Mounted at /api/export */
  const batch = new Hono().post('/', async (c) => {
    const input = await readJson(c, batchBody, 'invalid-export')
    const files: Record<string, Uint8Array> = {}
    // the directory once for the whole zip, not once per document
    const people = await accounts.displayNames()
    for (const id of new Set(input.ids)) {
      const file = await exportOne(c, id, input.format, people)
      let name = file.filename
      for (let n = 2; name in files; n++) name = `${n}-${file.filename}`
      files[name] = typeof file.body === 'string' ? strToU8(file.body) : file.body
    }
    return send(c, {
      filename: `hashiya-export-${input.format}.zip`,
      contentType: 'application/zip',
      body: zipSync(files),
    })
  })

  return { single, batch }
}
