/**
 * REST routes for documents: list, create from plain text, read, rename, delete.
 * Content changes go through the sync core, never around it.
 */
import {
  encodeDocumentFromParagraphs,
  newDocumentId,
  paragraphsFromText,
  readParagraphs,
} from '@hashiya/document'
import type { AuditTrail } from '@hashiya/history'
import type { DocumentStore, DocumentSummary } from '@hashiya/storage'
import { CloseCode, type Logger, type SyncServer } from '@hashiya/sync-server'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { annotationRoutes } from './annotations.js'
import { ApiError } from './errors.js'
import { exportRoutes } from './export.js'
import { historyRoutes } from './history.js'
import { importRoutes } from './import.js'
import { historyPointToJson, readAt } from './read-at.js'
import { documentIdOf, documentNotFound, limitBody, readJson } from './request.js'

export const MAX_TITLE_LENGTH = 200

const title = z
  .string({ error: 'title must be a string' })
  .trim()
  .min(1, 'title must not be empty')
  .max(MAX_TITLE_LENGTH, `title must be at most ${MAX_TITLE_LENGTH} characters`)

const createBody = z.object({
  title,
  body: z.string({ error: 'body must be a string of plain text' }),
})

const renameBody = z.object({ title })

export interface DocumentRoutesOptions {
  store: DocumentStore
  trail: AuditTrail
  sync: SyncServer
  logger: Logger
  maxBodyBytes: number
  checkpointAfterMs: number
  /** Who is asking; accounts replace this later. */
  userIdOf(c: Context): string
}

function toJson(summary: DocumentSummary) {
  return {
    id: summary.id,
    title: summary.title,
    createdAt: summary.createdAt.toISOString(),
    updatedAt: summary.updatedAt.toISOString(),
    size: summary.size,
  }
}

export function documentRoutes(options: DocumentRoutesOptions): Hono {
  const { store, sync } = options
  const app = new Hono()

  app.use('*', limitBody(options.maxBodyBytes))

  app.route('/import', importRoutes({ store, userIdOf: options.userIdOf, toJson }))

  app.get('/', async (c) => {
    const documents = await store.listDocuments()
    return c.json({ documents: documents.map(toJson) })
  })

  app.post('/', async (c) => {
    const input = await readJson(c, createBody, 'invalid-document')
    const paragraphs = paragraphsFromText(input.body)
    if (paragraphs.length === 0) {
      throw new ApiError(422, 'empty-document', 'body: the text has no non-empty line.')
    }
    const summary = await store.createDocument({
      id: newDocumentId(),
      title: input.title,
      initialUpdate: encodeDocumentFromParagraphs(paragraphs),
      userId: options.userIdOf(c),
    })
    return c.json({ document: toJson(summary) }, 201)
  })

  app.get('/:id', async (c) => {
    const id = documentIdOf(c)
    const summary = await store.getDocument(id)
    if (!summary) throw documentNotFound(id)
    const { value: paragraphs, at } = await readAt(c, options, id, readParagraphs)
    return c.json({ document: { ...toJson(summary), paragraphs, at: historyPointToJson(at) } })
  })

  app.patch('/:id', async (c) => {
    const id = documentIdOf(c)
    const input = await readJson(c, renameBody, 'invalid-document')
    const summary = await store.renameDocument(id, input.title)
    if (!summary) throw documentNotFound(id)
    return c.json({ document: toJson(summary) })
  })

  app.delete('/:id', async (c) => {
    const id = documentIdOf(c)
    if (!(await store.getDocument(id))) throw documentNotFound(id)
    // Deleted first, so a client that reconnects at once finds nothing to reopen.
    await store.deleteDocument(id)
    await sync.closeDocument(id, CloseCode.documentDeleted, 'document deleted')
    options.trail.forget(id)
    return c.body(null, 204)
  })

  app.route('/:id/annotations', annotationRoutes(options))
  app.route('/:id', historyRoutes(options))
  app.route('/:id', exportRoutes(options).single)

  return app
}
