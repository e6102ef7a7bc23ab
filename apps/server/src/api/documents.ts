/**
 * REST routes for documents: list, create from plain text, read, rename, delete.
 * Content changes go through the sync core, never around it.
 */

import type { Accounts, DocumentPermission } from '@hashiya/accounts'
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
import { currentUser } from '../auth/context.js'
import { authorizeDocument, requireAbility } from '../auth/guards.js'
import { accessRoutes } from './access.js'
import { annotationRoutes } from './annotations.js'
import { ApiError } from './errors.js'
import { exportRoutes } from './export.js'
import { historyRoutes } from './history.js'
import { importRoutes } from './import.js'
import { historyPointToJson, readAt } from './read-at.js'
import { documentIdOf, documentNotFound, readJson } from './request.js'

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
  accounts: Accounts
  trail: AuditTrail
  sync: SyncServer
  logger: Logger
  checkpointAfterMs: number
  /** The account a change is attributed to. */
  userIdOf(c: Context): string
}

function toJson(summary: DocumentSummary, permission: DocumentPermission) {
  return {
    id: summary.id,
    title: summary.title,
    createdAt: summary.createdAt.toISOString(),
    updatedAt: summary.updatedAt.toISOString(),
    size: summary.size,
    permission,
  }
}

export function documentRoutes(options: DocumentRoutesOptions): Hono {
  const { store, sync, accounts } = options
  const app = new Hono()

  /** The creator owns what they create: they may share, rename and delete it. */
  const created = async (c: Context, summary: DocumentSummary) => {
    const userId = options.userIdOf(c)
    await accounts.share(summary.id, userId, 'owner', userId)
    return toJson(summary, await accounts.permission(currentUser(c), summary.id))
  }

  // Registered before the `/:id` policy, which would otherwise read "import" as an id.
  app.use('/import', requireAbility('create-documents'))
  app.route('/import', importRoutes({ store, userIdOf: options.userIdOf, toJson: created }))

  app.get('/', async (c) => {
    const user = currentUser(c)
    const readable = await accounts.readableDocuments(user)
    const documents = (await store.listDocuments()).filter(
      (summary) => readable === 'all' || readable.has(summary.id),
    )
    const listed = await Promise.all(
      documents.map(async (summary) =>
        toJson(summary, await accounts.permission(user, summary.id)),
      ),
    )
    return c.json({ documents: listed })
  })

  app.post('/', requireAbility('create-documents'), async (c) => {
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
    return c.json({ document: await created(c, summary) }, 201)
  })

  app.use('/:id', authorizeDocument(accounts))
  app.use('/:id/*', authorizeDocument(accounts))

  app.get('/:id', async (c) => {
    const id = documentIdOf(c)
    const summary = await store.getDocument(id)
    if (!summary) throw documentNotFound(id)
    const { value: paragraphs, at } = await readAt(c, options, id, readParagraphs)
    return c.json({
      document: {
        ...toJson(summary, c.get('documentPermission')),
        paragraphs,
        at: historyPointToJson(at),
      },
    })
  })

  app.patch('/:id', async (c) => {
    const id = documentIdOf(c)
    const input = await readJson(c, renameBody, 'invalid-document')
    const summary = await store.renameDocument(id, input.title)
    if (!summary) throw documentNotFound(id)
    return c.json({ document: toJson(summary, c.get('documentPermission')) })
  })

  app.delete('/:id', async (c) => {
    const id = documentIdOf(c)
    if (!(await store.getDocument(id))) throw documentNotFound(id)
    // Deleted first, so a client that reconnects at once finds nothing to reopen.
    await store.deleteDocument(id)
    await sync.closeDocument(id, CloseCode.documentDeleted, 'document deleted')
    options.trail.forget(id)
    await accounts.forgetDocument(id)
    return c.body(null, 204)
  })

  app.route('/:id/access', accessRoutes(accounts))
  app.route('/:id/annotations', annotationRoutes(options))
  app.route('/:id', historyRoutes(options))
  app.route('/:id', exportRoutes(options).single)

  return app
}
