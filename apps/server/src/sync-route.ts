/**
 * The WebSocket endpoint `/sync/:id`: adapts a `ws` socket to the sync core.
 *
 * The id and the document's existence are checked before the upgrade, so a
 * stock client pointed at a wrong id gets an HTTP 404 instead of an empty doc.
 */
import { randomUUID } from 'node:crypto'
import { isValidDocumentId } from '@hashiya/document'
import type { DocumentStore } from '@hashiya/storage'
import {
  type ClientSession,
  CloseCode,
  DocumentNotFoundError,
  type Logger,
  type SyncServer,
} from '@hashiya/sync-server'
import { upgradeWebSocket, type WebSocketLike } from '@hono/node-server'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { ApiError } from './api/errors.js'

const USER_ID_PATTERN = /^[A-Za-z0-9_.:@-]{1,128}$/

export const ANONYMOUS_USER = 'anonymous'

/** The user a request claims to be (a display-name era stand-in until accounts). */
export function userIdOf(c: Context): string {
  const claimed = c.req.query('user') ?? c.req.header('x-hashiya-user') ?? ''
  return USER_ID_PATTERN.test(claimed) ? claimed : ANONYMOUS_USER
}

interface SyncRouteOptions {
  store: DocumentStore
  sync: SyncServer
  logger: Logger
}

function checkDocument(store: DocumentStore): MiddlewareHandler {
  return async (c, next) => {
    const id = c.req.param('id') ?? ''
    if (!isValidDocumentId(id)) throw new ApiError(400, 'invalid-id', 'Invalid document id.')
    if (!(await store.getDocument(id))) {
      throw new ApiError(404, 'document-not-found', `There is no document with id ${id}.`)
    }
    await next()
  }
}

export function syncRoutes(options: SyncRouteOptions): Hono {
  const { sync, logger } = options
  const upgrade = upgradeWebSocket((c) => {
    const documentId = c.req.param('id') as string
    const identity = { connectionId: randomUUID(), userId: userIdOf(c) }
    const log = { ...identity, documentId }
    const openedAt = Date.now()
    let session: ClientSession | null = null
    /** Frames that arrive while the document is still loading. */
    let early: Uint8Array[] | null = []
    let closed = false

    return {
      onOpen(_event, ws) {
        const raw = ws.raw as WebSocketLike & { bufferedAmount: number }
        logger.info(log, 'connection opened')
        sync
          .connect(
            documentId,
            {
              send: (frame) => raw.send(frame),
              close: (code, reason) => ws.close(code, reason),
              get bufferedAmount() {
                return raw.bufferedAmount
              },
            },
            identity,
          )
          .then((ready) => {
            if (closed) {
              ready.close()
              return
            }
            session = ready
            for (const frame of early ?? []) ready.receive(frame)
            early = null
          })
          .catch((error: unknown) => {
            if (error instanceof DocumentNotFoundError) {
              ws.close(CloseCode.documentDeleted, 'document not found')
            } else {
              logger.error({ ...log, err: error }, 'could not open document')
              ws.close(CloseCode.internalError, 'could not open document')
            }
          })
      },
      onMessage(event, ws) {
        if (typeof event.data === 'string') {
          logger.warn({ ...log, code: 'text-frame' }, 'malformed frame; closing connection')
          ws.close(CloseCode.unsupportedData, 'binary frames only')
          return
        }
        const frame = new Uint8Array(event.data as ArrayBuffer)
        if (session) session.receive(frame)
        else early?.push(frame)
      },
      onClose(event) {
        closed = true
        session?.close()
        logger.info(
          { ...log, code: event.code, durationMs: Date.now() - openedAt },
          'connection closed',
        )
      },
      onError(event) {
        const { error } = event as Event & { error?: unknown }
        logger.warn(
          { ...log, err: error instanceof Error ? error.message : String(error) },
          'connection error',
        )
      },
    }
  })
  return new Hono().get('/:id', checkDocument(options.store), upgrade)
}
