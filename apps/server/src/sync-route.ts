/**
 * The WebSocket endpoint `/sync/:id`: adapts a `ws` socket to the sync core.
 *
 * Everything is checked before the upgrade, so no document byte reaches a
 * client that should not have it: the connection rate of the address, the
 * credential (session cookie, or `?token=` for clients that cannot send
 * headers, such as the stock y-websocket client), the id and the caller's
 * permission. Callers who may only read are connected read-only.
 */
import { randomUUID } from 'node:crypto'
import { type Accounts, atLeast } from '@hashiya/accounts'
import { isValidDocumentId } from '@hashiya/document'
import type { DocumentStore } from '@hashiya/storage'
import {
  decodeClientMessage,
  encodeAwarenessFrame,
  MessageType,
  stampAwarenessUpdate,
} from '@hashiya/sync-protocol'
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
import { signedOut } from './auth/context.js'
import { presentedCredential } from './auth/credentials.js'
import type { RequestLimits } from './auth/limits.js'
import type { OpenConnections } from './auth/open-connections.js'

interface SyncRouteOptions {
  store: DocumentStore
  sync: SyncServer
  logger: Logger
  accounts: Accounts
  limits: RequestLimits
  openConnections: OpenConnections
  maxAwarenessBytes: number
}

interface Admission {
  userId: string
  displayName: string
  token: string
  expiresAt: number
  readOnly: boolean
}

const admissions = new WeakMap<Context, Admission>()

function admit(options: SyncRouteOptions): MiddlewareHandler {
  return async (c, next) => {
    await options.limits.beforeConnection(c)
    const presented = presentedCredential(c, { allowQueryToken: true })
    const auth = presented ? await options.accounts.authenticate(presented.token) : null
    if (!presented || !auth) throw signedOut()
    const id = c.req.param('id') ?? ''
    if (!isValidDocumentId(id)) throw new ApiError(400, 'invalid-id', 'Invalid document id.')
    const permission = await options.accounts.permission(auth.user, id)
    if (permission === 'none' || !(await options.store.getDocument(id))) {
      throw new ApiError(404, 'document-not-found', `There is no document with id ${id}.`)
    }
    admissions.set(c, {
      userId: auth.user.id,
      displayName: auth.user.displayName,
      token: presented.token,
      expiresAt: auth.expiresAt,
      readOnly: !atLeast(permission, 'edit'),
    })
    await next()
  }
}

/**
 * Presence shows the account a connection belongs to, whatever the client
 * claims: awareness frames get the account's id and display name. Anything
 * that does not decode passes unchanged, for the core to refuse.
 */
function asAccount(frame: Uint8Array, admission: Admission, maxAwarenessBytes: number): Uint8Array {
  // Oversized frames go to the core untouched, so its size limit sees them as sent.
  if (frame[0] !== MessageType.awareness || frame.byteLength > maxAwarenessBytes) return frame
  try {
    const message = decodeClientMessage(frame)
    if (message.type !== 'awareness') return frame
    const user = { id: admission.userId, name: admission.displayName }
    return encodeAwarenessFrame(stampAwarenessUpdate(message.update, user))
  } catch {
    return frame
  }
}

export function syncRoutes(options: SyncRouteOptions): Hono {
  const { sync, logger, openConnections } = options
  const upgrade = upgradeWebSocket((c) => {
    const documentId = c.req.param('id') as string
    const admission = admissions.get(c) as Admission
    const identity = {
      connectionId: randomUUID(),
      userId: admission.userId,
      readOnly: admission.readOnly,
    }
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
        openConnections.add({
          ...identity,
          documentId,
          token: admission.token,
          expiresAt: admission.expiresAt,
          close: (code, reason) => ws.close(code, reason),
        })
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
              // Almost always the store being unreachable: a "try again later" the client acts on.
              logger.error({ ...log, err: error }, 'could not open document')
              ws.close(CloseCode.tryAgainLater, 'could not open document')
            }
          })
      },
      onMessage(event, ws) {
        if (typeof event.data === 'string') {
          logger.warn({ ...log, code: 'text-frame' }, 'malformed frame; closing connection')
          ws.close(CloseCode.unsupportedData, 'binary frames only')
          return
        }
        const frame = asAccount(
          new Uint8Array(event.data as ArrayBuffer),
          admission,
          options.maxAwarenessBytes,
        )
        if (session) session.receive(frame)
        else early?.push(frame)
      },
      onClose(event) {
        closed = true
        session?.close()
        openConnections.remove(identity.connectionId)
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
  return new Hono().get('/:id', admit(options), upgrade)
}
