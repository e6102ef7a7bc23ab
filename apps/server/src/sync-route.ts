/**
 * The WebSocket endpoint `/sync/:id`: adapts a `ws` socket to the sync core.
 *
 * Everything is checked before the upgrade, so no document byte reaches a
 * client that should not have it: the connection rate of the address, the
 * credential (session cookie, or `?token=` for clients that cannot send
 * headers, such as the stock y-websocket client), the id and the caller's
 * permission. Callers who may only read are connected read-only.
 *
 * The upgrade itself is ours (`acceptUpgrades`), not @hono/node-server's
 * `upgradeWebSocket`: that helper keeps, for the life of every socket,
 * closures over the upgrade's Hono context (and through it the Request, its
 * headers and the IncomingMessage), an adapter object with a parsed URL, and
 * copies every frame into a new ArrayBuffer. With thousands of idle sockets
 * that was most of the server's memory (BENCHMARKS.md, idle connections). Here
 * the request still goes through the app, so admission is ordinary Hono
 * middleware, and an admitted socket keeps only its `SyncSocket`.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
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
  type ClientTransport,
  CloseCode,
  type ConnectionIdentity,
  DocumentNotFoundError,
  type Logger,
  type SyncServer,
} from '@hashiya/sync-server'
import type { HttpBindings } from '@hono/node-server'
import { Hono, type MiddlewareHandler } from 'hono'
import type { WebSocket, WebSocketServer } from 'ws'
import { ApiError } from './api/errors.js'
import { signedOut } from './auth/context.js'
import { presentedCredential } from './auth/credentials.js'
import type { RequestLimits } from './auth/limits.js'
import type { OpenConnection, OpenConnections } from './auth/open-connections.js'

interface SyncRouteOptions {
  store: DocumentStore
  sync: SyncServer
  logger: Logger
  accounts: Accounts
  limits: RequestLimits
  openConnections: OpenConnections
  maxAwarenessBytes: number
}

/** What every connection of the route shares. */
type RouteParts = Pick<
  SyncRouteOptions,
  'sync' | 'logger' | 'openConnections' | 'maxAwarenessBytes'
>

/**
 * A copy of a string that shares no memory with the one it came from. V8
 * keeps a substring as a slice of its parent and a concatenation as a chain of
 * its pieces: a kept token would keep the whole request URL alive, a kept
 * `randomUUID()` its 14 pieces (~450 bytes), for as long as the socket lives.
 */
function detached(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8')
}

/** The connection of each open socket, for the socket listeners below. */
const connectionOf = new WeakMap<WebSocket, SyncSocket>()

// One set of listener functions for every socket (`this` is the socket), so a
// socket holds no closures of its own.
function onSocketMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  connectionOf.get(this)?.received(data, isBinary)
}
function onSocketClose(this: WebSocket, code: number): void {
  connectionOf.get(this)?.closed(code)
}
function onSocketError(this: WebSocket, error: Error): void {
  connectionOf.get(this)?.failed(error)
}

/**
 * One admitted connection, from its upgrade to its close: the core's transport
 * and identity, and the record re-checked when access changes, all in one
 * object. An idle server holds thousands of these, so it keeps plain fields
 * instead of per-connection closures, copies of the same values and log-field
 * objects, and nothing of the HTTP request.
 */
class SyncSocket implements ClientTransport, ConnectionIdentity, OpenConnection {
  readonly connectionId = detached(randomUUID())
  private readonly openedAt = Date.now()
  /** A private field: never serialized if the object itself is ever logged. */
  readonly #token: string
  /** Set by `attach`, before anything can be sent or closed. */
  private ws!: WebSocket
  private session: ClientSession | null = null
  /** Frames that arrive while the document is still loading. */
  private early: Uint8Array[] | null = null
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

  // ClientTransport (and OpenConnection's close)

  send(frame: Uint8Array): void {
    this.ws.send(frame)
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason)
  }

  terminate(): void {
    this.ws.terminate()
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount
  }

  /** The upgrade completed: join the document. */
  attach(ws: WebSocket): void {
    const { logger, openConnections, sync } = this.route
    this.ws = ws
    this.early = []
    connectionOf.set(ws, this)
    ws.on('message', onSocketMessage)
    ws.on('close', onSocketClose)
    ws.on('error', onSocketError)
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

  received(data: Buffer, isBinary: boolean): void {
    // A listener that throws would take the process down from inside ws.
    try {
      if (!isBinary) {
        this.route.logger.warn(
          { ...this.logFields(), code: 'text-frame' },
          'malformed frame; closing connection',
        )
        this.close(CloseCode.unsupportedData, 'binary frames only')
        return
      }
      // Used as ws hands it over, without a copy: ws never reuses a message's
      // memory, and the core copies whatever it keeps.
      const frame = asAccount(data, this, this.route.maxAwarenessBytes)
      if (this.session) this.session.receive(frame)
      else this.early?.push(frame)
    } catch (error) {
      this.route.logger.error({ ...this.logFields(), err: error }, 'frame handling failed')
    }
  }

  closed(code: number): void {
    connectionOf.delete(this.ws)
    this.isClosed = true
    this.early = null
    try {
      this.session?.close()
    } finally {
      this.route.openConnections.remove(this)
      this.route.logger.info(
        { ...this.logFields(), code, durationMs: Date.now() - this.openedAt },
        'connection closed',
      )
    }
  }

  failed(error: Error): void {
    this.route.logger.warn({ ...this.logFields(), err: error.message }, 'connection error')
  }

  /** Built when a line is logged rather than kept with every connection. */
  private logFields() {
    const { connectionId, userId, readOnly, documentId } = this
    return { connectionId, userId, readOnly, documentId }
  }
}

/** Upgrade requests the route admitted, for `acceptUpgrades` to complete. */
const admitted = new WeakMap<IncomingMessage, SyncSocket>()

function admit(options: SyncRouteOptions): MiddlewareHandler<{ Bindings: HttpBindings }> {
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
    const incoming = c.env?.incoming
    if (!incoming || !asksForWebSocket(incoming)) {
      // A plain GET: nothing to upgrade; whatever comes after the route answers it.
      await next()
      return
    }
    admitted.set(
      incoming,
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
    // Not sent: `acceptUpgrades` completes the handshake instead.
    return c.body(null)
  }
}

function asksForWebSocket(request: IncomingMessage): boolean {
  return request.headers.upgrade?.toLowerCase() === 'websocket'
}

/**
 * Presence shows the account a connection belongs to, whatever the client
 * claims: awareness frames get the account's id and display name. Anything
 * that does not decode passes unchanged, for the core to refuse.
 */
function asAccount(
  frame: Uint8Array,
  account: { userId: string; displayName: string },
  maxAwarenessBytes: number,
): Uint8Array {
  // Oversized frames go to the core untouched, so its size limit sees them as sent.
  if (frame[0] !== MessageType.awareness || frame.byteLength > maxAwarenessBytes) return frame
  try {
    const message = decodeClientMessage(frame)
    if (message.type !== 'awareness') return frame
    const user = { id: account.userId, name: account.displayName }
    return encodeAwarenessFrame(stampAwarenessUpdate(message.update, user))
  } catch {
    return frame
  }
}

export function syncRoutes(options: SyncRouteOptions): Hono<{ Bindings: HttpBindings }> {
  return new Hono<{ Bindings: HttpBindings }>().get('/:id', admit(options))
}

/** Hop-by-hop and handshake headers a refusal must not copy from the app's response. */
const NOT_FORWARDED = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'sec-websocket-accept',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
])

function refuseUpgrade(socket: Duplex, status: number, headers?: Headers): void {
  if (socket.destroyed) return
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'Connection: close',
    'Content-Length: 0',
  ]
  headers?.forEach((value, name) => {
    if (!NOT_FORWARDED.has(name)) lines.push(`${name}: ${value}`)
  })
  socket.end(`${lines.join('\r\n')}\r\n\r\n`)
}

/**
 * The upgrade request as the app sees it: origin-form ("/sync/…") or, as
 * HTTP/1.1 requires servers to accept, absolute-form. An odd Host header
 * becomes "localhost": nothing on this path depends on it.
 */
function upgradeRequest(request: IncomingMessage): Request | null {
  const target = request.url ?? ''
  const absolute = /^https?:\/\//i.test(target)
  if (!absolute && !target.startsWith('/')) return null
  const scheme = (request.socket as TLSSocket).encrypted ? 'https' : 'http'
  const host = request.headers.host ?? ''
  const authority = /^(?:[\w.-]+|\[[\da-f:.]+\])(?::\d{1,5})?$/i.test(host) ? host : 'localhost'
  let url: URL
  try {
    url = new URL(absolute ? target : `${scheme}://${authority}${target}`)
  } catch {
    return null
  }
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (value) headers.append(name, Array.isArray(value) ? (value[0] as string) : value)
  }
  return new Request(url, { headers })
}

/**
 * Completes the server's WebSocket upgrades: each request goes through the
 * app first (`fetch`), and only one the sync route admitted becomes a socket;
 * any other gets the app's status and headers, with no body.
 */
export function acceptUpgrades(
  server: Server,
  fetch: (request: Request, env: HttpBindings) => Response | Promise<Response>,
  wss: WebSocketServer,
  logger: Logger,
): void {
  const ignoreSocketError = () => {}
  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Until ws owns the socket, a reset by the client must not become an uncaught error.
    socket.on('error', ignoreSocketError)
    if (!asksForWebSocket(request)) {
      refuseUpgrade(socket, 400)
      return
    }
    const appRequest = upgradeRequest(request)
    if (!appRequest) {
      refuseUpgrade(socket, 400)
      return
    }
    let response: Response
    try {
      response = await fetch(appRequest, {
        incoming: request,
        outgoing: undefined as unknown as ServerResponse,
      })
    } catch (error) {
      logger.error({ err: error }, 'upgrade request failed')
      refuseUpgrade(socket, 500)
      return
    }
    const connection = admitted.get(request)
    admitted.delete(request)
    if (socket.destroyed) return
    if (!connection) {
      refuseUpgrade(socket, response.status, response.headers)
      return
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      socket.off('error', ignoreSocketError)
      connection.attach(ws)
    })
  }
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(request, socket, head)
  })
  server.on('close', () => wss.close())
}
