/**
 * The WebSocket endpoint `/sync/:id`: adapts a `ws` socket to the sync core.
 *
 * Everything is checked before the upgrade, so no document byte reaches a
 * client that should not have it: the connection rate of the address, the
 * credential (session cookie, or `?token=` for clients that cannot send
 * headers, such as the stock y-websocket client), the id and the caller's
 * permission. Callers who may only read are connected read-only. A refused
 * upgrade gets the app's status and headers (401, 404, 429 with Retry-After).
 *
 * The upgrade is @hono/node-server's `upgradeWebSocket`, with the ws server
 * handed to `serve` (server.ts). Thousands of idle sockets make what each one
 * keeps the server's memory (BENCHMARKS.md, idle connections), so:
 * - node-server 2.1.9 is patched (patches/@hono__node-server@2.1.9.patch,
 *   registered in pnpm-workspace.yaml): unpatched, the listeners it registers
 *   on every socket close over the upgrade's Hono context, and through it the
 *   Request, its headers and the IncomingMessage, for the life of the socket;
 * - the events object node-server keeps per socket is the connection's
 *   `SyncSocket` itself, which also is the core's transport and identity and
 *   the access record, and holds nothing of the request.
 * What node-server still keeps per socket (its adapter object with a parsed
 * URL, and its listener closures: about 1.5 KB of heap) is the price of using
 * its upgrade rather than completing the handshake ourselves.
 */
import { randomUUID } from 'node:crypto'
import { type Accounts, atLeast } from '@hashiya/accounts'
import { isValidDocumentId } from '@hashiya/document'
import type { DocumentStore } from '@hashiya/storage'
import {
  type ClientSession,
  type ClientTransport,
  CloseCode,
  type ConnectionIdentity,
  DocumentNotFoundError,
  type Logger,
  type SyncServer,
} from '@hashiya/sync-server'
import { upgradeWebSocket } from '@hono/node-server'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import type { WSContext, WSEvents, WSMessageReceive } from 'hono/ws'
import { WebSocket } from 'ws'
import { ApiError } from './api/errors.js'
import { signedOut } from './auth/context.js'
import { presentedCredential } from './auth/credentials.js'
import type { RequestLimits } from './auth/limits.js'
import type { OpenConnection, OpenConnections } from './auth/open-connections.js'
import { sendFrame } from './shared-frames.js'

interface SyncRouteOptions {
  store: DocumentStore
  sync: SyncServer
  logger: Logger
  accounts: Accounts
  limits: RequestLimits
  openConnections: OpenConnections
  /** What one connection may send while its document loads: at most this many bytes. */
  maxEarlyBytes: number
}

/** What every connection of the route shares. */
type RouteParts = Pick<SyncRouteOptions, 'sync' | 'logger' | 'openConnections' | 'maxEarlyBytes'>

/**
 * Frames one connection may send while its document loads. A client that has
 * not seen the document has little to say (its sync step 1, its presence, the
 * keys typed while the page opens), and the core's rate limit only starts once
 * the document is open: without a cap, a client could fill memory meanwhile.
 */
const MAX_EARLY_FRAMES = 256

/**
 * A copy of a string that shares no memory with the one it came from. V8
 * keeps a substring as a slice of its parent and a concatenation as a chain of
 * its pieces: a kept token would keep the whole request URL alive, a kept
 * `randomUUID()` its 14 pieces (~450 bytes), for as long as the socket lives.
 */
function detached(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8')
}

/** Sockets pinged that have not answered yet (see `OpenConnection.heartbeat`). */
const awaitingPong = new WeakSet<WebSocket>()

function answeredPing(this: WebSocket): void {
  awaitingPong.delete(this)
}

/**
 * One admitted connection, from its upgrade to its close: node-server's
 * events object for the socket, the core's transport and identity, and the
 * record re-checked when access changes, all in one object. An idle server
 * holds thousands of these, so it keeps plain fields instead of
 * per-connection closures, copies of the same values and log-field objects,
 * and nothing of the HTTP request.
 */
class SyncSocket implements WSEvents<unknown>, ClientTransport, ConnectionIdentity, OpenConnection {
  readonly connectionId = detached(randomUUID())
  private readonly openedAt = Date.now()
  /** A private field: never serialized if the object itself is ever logged. */
  readonly #token: string
  /** Set by `onOpen`, before anything can be sent or closed. */
  private ws!: WebSocket
  private session: ClientSession | null = null
  /** Frames that arrive while the document is still loading, and their size. */
  private early: Uint8Array[] | null = null
  private earlyBytes = 0
  private isClosed = false

  constructor(
    readonly documentId: string,
    readonly userId: string,
    readonly displayName: string,
    token: string,
    readonly expiresAt: number,
    readonly readOnly: boolean,
    private readonly route: RouteParts,
  ) {
    this.#token = detached(token)
  }

  get token(): string {
    return this.#token
  }

  // ClientTransport (and OpenConnection's close), straight on the ws socket:
  // node-server's adapter would add an options object per frame sent.

  send(frame: Uint8Array): void {
    sendFrame(this.ws, frame)
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason)
  }

  terminate(): void {
    this.ws.terminate()
  }

  heartbeat(): boolean {
    const { ws } = this
    if (!ws || ws.readyState !== WebSocket.OPEN) return true
    if (awaitingPong.has(ws)) return false
    awaitingPong.add(ws)
    ws.ping()
    return true
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount
  }

  // WSEvents: node-server calls these as methods of this object.

  /** The upgrade completed: join the document. */
  onOpen(_event: Event, context: WSContext<unknown>): void {
    const { logger, openConnections, sync } = this.route
    this.ws = context.raw as WebSocket
    // one listener function for every socket (a closure each would cost memory per idle connection)
    this.ws.on('pong', answeredPing)
    this.early = []
    logger.info(this.logFields(), 'connection opened')
    openConnections.add(this)
    sync
      .connect(this.documentId, this, this)
      .then((ready) => {
        if (this.isClosed) {
          ready.close()
          return
        }
        this.session = ready
        for (const frame of this.early ?? []) ready.receive(frame)
        this.early = null
      })
      .catch((error: unknown) => {
        if (error instanceof DocumentNotFoundError) {
          this.close(CloseCode.documentDeleted, 'document not found')
        } else {
          // Almost always the store being unreachable: a "try again later" the client acts on.
          logger.error({ ...this.logFields(), err: error }, 'could not open document')
          this.close(CloseCode.tryAgainLater, 'could not open document')
        }
      })
  }

  onMessage(event: { data: WSMessageReceive }): void {
    // node-server hands text frames over as strings, binary ones as ArrayBuffers.
    if (typeof event.data === 'string') {
      this.route.logger.warn(
        { ...this.logFields(), code: 'text-frame' },
        'malformed frame; closing connection',
      )
      this.close(CloseCode.unsupportedData, 'binary frames only')
      return
    }
    const frame = new Uint8Array(event.data as ArrayBuffer)
    if (this.session) this.session.receive(frame)
    else if (this.early) this.holdUntilOpen(this.early, frame)
  }

  /**
   * Keeps a frame for the document once it opens, within the early limits.
   * Over them the client is told to come back: a y-websocket client reconnects
   * by itself and sends again what its document holds, so nothing typed is lost.
   */
  private holdUntilOpen(early: Uint8Array[], frame: Uint8Array): void {
    this.earlyBytes += frame.byteLength
    if (early.length < MAX_EARLY_FRAMES && this.earlyBytes <= this.route.maxEarlyBytes) {
      early.push(frame)
      return
    }
    this.route.logger.warn(
      {
        ...this.logFields(),
        code: 'too-much-before-open',
        frames: early.length + 1,
        bytes: this.earlyBytes,
      },
      'too much sent before the document opened; closing connection',
    )
    // Closed from here on: the document, once open, is left at once.
    this.isClosed = true
    this.early = null
    this.close(CloseCode.tryAgainLater, 'too much sent before the document opened')
  }

  onClose(event: { code: number }): void {
    this.isClosed = true
    this.early = null
    try {
      this.session?.close()
    } finally {
      this.route.openConnections.remove(this)
      this.route.logger.info(
        { ...this.logFields(), code: event.code, durationMs: Date.now() - this.openedAt },
        'connection closed',
      )
    }
  }

  onError(event: Event): void {
    const { error } = event as Event & { error?: unknown }
    this.route.logger.warn(
      { ...this.logFields(), err: error instanceof Error ? error.message : String(error) },
      'connection error',
    )
  }

  /** Built when a line is logged rather than kept with every connection. */
  private logFields() {
    const { connectionId, userId, readOnly, documentId } = this
    return { connectionId, userId, readOnly, documentId }
  }
}

/**
 * Requests the route admitted, for `upgradeWebSocket` to pick up. Keyed by the
 * Hono context, which nothing keeps once the upgrade has been answered.
 */
const admitted = new WeakMap<Context, SyncSocket>()

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
    admitted.set(
      c,
      new SyncSocket(
        detached(id),
        auth.user.id,
        auth.user.displayName,
        presented.token,
        auth.expiresAt,
        !atLeast(permission, 'edit'),
        options,
      ),
    )
    await next()
  }
}

/**
 * The events of an admitted upgrade. Whatever this returns node-server keeps
 * for the life of the socket, so it must not close over `c`.
 */
function eventsOf(c: Context): SyncSocket {
  const connection = admitted.get(c)
  if (!connection) throw new Error('sync upgrade without admission')
  admitted.delete(c)
  return connection
}

export function syncRoutes(options: SyncRouteOptions): Hono {
  // A plain GET (no Upgrade header) falls through to whatever answers after the route.
  return new Hono().get('/:id', admit(options), upgradeWebSocket(eventsOf))
}
