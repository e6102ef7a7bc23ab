/**
 * The collaboration core: routes client frames to rooms, loads each document
 * once however many clients arrive at the same instant, and unloads it a while
 * after its last client leaves.
 *
 * Transport-agnostic: `connect` takes anything that can send and close, and
 * returns a session the transport feeds incoming frames to.
 */
import { createYDoc } from '@hashiya/document'
import { DocumentMissingError, type DocumentStore } from '@hashiya/storage'
import { decodeClientMessage, ProtocolError, stampAwarenessUpdate } from '@hashiya/sync-protocol'
import * as Y from 'yjs'
import { Room, RoomConnection, type ServerChange } from './room.js'
import {
  type ClientTransport,
  CloseCode,
  type ConnectionIdentity,
  type Fanout,
  type Logger,
  type SyncObserver,
} from './types.js'

export interface SyncServerOptions {
  store: DocumentStore
  logger: Logger
  /** How long a document stays in memory after its last client leaves. */
  unloadAfterMs?: number
  compactAfterUpdates?: number
  maxBufferedBytes?: number
  /**
   * Largest awareness frame a client may send (presence is small; this is a flood
   * guard), and the bytes of presence per second it may send on average.
   */
  maxAwarenessBytes?: number
  /** Awareness client ids one connection may announce. */
  maxAwarenessClients?: number
  /** Sustained frames per second one connection may send... */
  messagesPerSecond?: number
  /** ...and how many it may send at once above that before it is disconnected. */
  messageBurst?: number
  /** After every commit (for derived data such as the audit trail); must not throw. */
  onStored?: (documentId: string, lastSeq: number) => void
  /** After a document leaves memory. */
  onUnloaded?: (documentId: string) => void
  /**
   * Other server instances sharing the store: updates and awareness of the
   * documents held here are exchanged through it. Absent with one instance.
   */
  fanout?: Fanout
  /**
   * With a fan-out: how often each open document checks the store for updates
   * it never received (a message lost while everything looked healthy).
   */
  resyncIntervalMs?: number
  /** With a fan-out: how long a hole in the received log positions may stay open. */
  gapGraceMs?: number
  observer?: SyncObserver
}

/** What a transport holds for one connected client. */
export interface ClientSession {
  /** Feed one binary frame from the client. */
  receive(frame: Uint8Array): void
  /** The transport closed; forget the client. */
  close(): void
}

export class DocumentNotFoundError extends Error {
  constructor(readonly documentId: string) {
    super(`document ${documentId} does not exist`)
    this.name = 'DocumentNotFoundError'
  }
}

/** The store refused a write; the change was not kept. */
export class StorageUnavailableError extends Error {
  constructor(readonly documentId: string) {
    super(`storage is unavailable; the change to ${documentId} was not kept`)
    this.name = 'StorageUnavailableError'
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

const OVER_LIMITS = 'connection over its limits; closing'

/**
 * Presence a connection may send: `maxAwarenessBytes` a second on average, and
 * this many times that at once (a cursor moving is a few hundred bytes a frame).
 */
const AWARENESS_BURST = 4

interface RoomEntry {
  ready: Promise<Room>
  room: Room | null
  unloadTimer: NodeJS.Timeout | null
  /** Set while the room is being flushed and dropped; new clients wait for it. */
  unloading: Promise<void> | null
}

type Defaulted = Required<Omit<SyncServerOptions, 'fanout' | 'observer'>> &
  Pick<SyncServerOptions, 'fanout' | 'observer'>

/** What the sessions of one server share. */
interface SessionHost {
  readonly options: Defaulted
  /** A session left its room: unload the document later if it was the last one. */
  left(documentId: string): void
}

/**
 * One connected client: the room's view of it and the transport's handle on it,
 * in one object. An idle connection holds nothing else in the core, so it keeps
 * its state in fields rather than in closures (each closure and its context
 * costs more than the fields do, times every open socket).
 */
class Session extends RoomConnection implements ClientSession {
  private open = true
  /** A token bucket: a burst of frames is fine (joining, pasting), a flood is not. */
  private allowance: number
  /**
   * Bytes of presence this connection may still send: every frame of it goes to
   * everyone in the document, so a connection under the frame rate and the size
   * cap (even a viewer's) could still send more than colleagues can read, and it
   * is they who would be disconnected as too slow.
   */
  private awarenessAllowance: number
  private lastRefill = Date.now()

  constructor(
    transport: ClientTransport,
    identity: ConnectionIdentity,
    private readonly room: Room,
    private readonly host: SessionHost,
  ) {
    super(transport, identity)
    this.allowance = host.options.messageBurst
    this.awarenessAllowance = AWARENESS_BURST * host.options.maxAwarenessBytes
  }

  receive(frame: Uint8Array): void {
    if (!this.open) return
    const { messagesPerSecond, messageBurst, maxAwarenessBytes, maxAwarenessClients, logger } =
      this.host.options
    const now = Date.now()
    const elapsedSeconds = (now - this.lastRefill) / 1000
    this.allowance = Math.min(messageBurst, this.allowance + elapsedSeconds * messagesPerSecond)
    this.awarenessAllowance = Math.min(
      AWARENESS_BURST * maxAwarenessBytes,
      this.awarenessAllowance + elapsedSeconds * maxAwarenessBytes,
    )
    this.lastRefill = now
    if (this.allowance < 1) {
      this.refuse(CloseCode.policyViolation, 'rate-limited', { code: 'rate-limited' }, OVER_LIMITS)
      return
    }
    this.allowance -= 1
    try {
      let message = decodeClientMessage(frame)
      if (message.type === 'awareness') {
        const bytes = message.update.byteLength
        const over =
          bytes > maxAwarenessBytes
            ? 'awareness-too-large'
            : bytes > this.awarenessAllowance
              ? 'awareness-rate-limited'
              : null
        if (over) {
          this.refuse(CloseCode.policyViolation, over, { code: over, bytes }, OVER_LIMITS)
          return
        }
        this.awarenessAllowance -= bytes
        const { userId, displayName } = this.identity
        if (displayName !== undefined) {
          // a state that is not JSON throws here and is refused below, as the room would
          const update = stampAwarenessUpdate(message.update, { id: userId, name: displayName })
          message = { type: 'awareness', update }
        }
      }
      const dropped = this.droppedWrites
      this.room.receive(this, message)
      if (this.droppedWrites === 1 && dropped === 0) {
        logger.info(this.logFields(), 'read-only connection sent a document update; dropped')
      }
      if ((this.awarenessClients?.size ?? 0) > maxAwarenessClients) {
        this.refuse(
          CloseCode.policyViolation,
          'too-many-awareness-clients',
          { code: 'too-many-awareness-clients' },
          OVER_LIMITS,
        )
      }
    } catch (error) {
      const isProtocol = error instanceof ProtocolError
      this.refuse(
        isProtocol ? CloseCode.unsupportedData : CloseCode.invalidPayload,
        isProtocol ? error.code : 'update-rejected',
        { code: isProtocol ? error.code : 'update-rejected', bytes: frame.byteLength },
        'malformed frame; closing connection',
      )
    }
  }

  close(): void {
    if (!this.open) return
    this.open = false
    this.room.leave(this)
    this.host.left(this.room.documentId)
  }

  private refuse(code: number, reason: string, fields: object, message: string): void {
    this.open = false
    this.host.options.logger.warn({ ...this.logFields(), ...fields }, message)
    this.room.leave(this)
    this.transport.close(code, reason)
    this.host.left(this.room.documentId)
  }

  private logFields(): object {
    const { connectionId, userId } = this.identity
    return { documentId: this.room.documentId, connectionId, userId }
  }
}

export class SyncServer {
  private readonly rooms = new Map<string, RoomEntry>()
  private readonly options: Defaulted
  private closing = false
  private readonly resyncTimer: NodeJS.Timeout | null = null
  /** Shared by every session of this server, so each one holds a reference, not closures. */
  private readonly sessionHost: SessionHost

  constructor(options: SyncServerOptions) {
    this.options = {
      resyncIntervalMs: 10_000,
      gapGraceMs: 1_000,
      unloadAfterMs: 30_000,
      compactAfterUpdates: 1_000,
      maxBufferedBytes: 16 * 1024 * 1024,
      maxAwarenessBytes: 64 * 1024,
      maxAwarenessClients: 16,
      messagesPerSecond: 200,
      messageBurst: 1_000,
      onStored: () => {},
      onUnloaded: () => {},
      ...options,
    }
    this.sessionHost = {
      options: this.options,
      left: (documentId) => this.scheduleUnload(documentId),
    }
    if (this.options.fanout) {
      this.resyncTimer = setInterval(
        () => this.checkForMissedUpdates(),
        this.options.resyncIntervalMs,
      )
      this.resyncTimer.unref()
    }
  }

  /** The safety net under the fan-out: every open document compares itself with the store. */
  private checkForMissedUpdates(): void {
    for (const entry of this.rooms.values()) {
      const room = entry.room
      if (!room || entry.unloading || room.hasFailed) continue
      room.checkStore()
    }
  }

  /** Whether updates from other instances are expected (a fan-out is configured). */
  get clustered(): boolean {
    return this.options.fanout !== undefined
  }

  get loadedDocumentCount(): number {
    return this.rooms.size
  }

  get connectionCount(): number {
    let count = 0
    for (const entry of this.rooms.values()) count += entry.room?.connections.size ?? 0
    return count
  }

  /** Document updates refused from read-only connections, in the documents now open. */
  get droppedWriteCount(): number {
    let count = 0
    for (const entry of this.rooms.values()) count += entry.room?.droppedWrites ?? 0
    return count
  }

  isLoaded(documentId: string): boolean {
    return this.rooms.get(documentId)?.room != null
  }

  /**
   * Attaches a client to a document. Rejects with `DocumentNotFoundError` for an
   * unknown id; the transport should then close with `CloseCode.documentDeleted`.
   */
  async connect(
    documentId: string,
    transport: ClientTransport,
    identity: ConnectionIdentity,
  ): Promise<ClientSession> {
    if (this.closing) throw new Error('server is shutting down')
    const room = await this.openRoom(documentId)
    const session = new Session(transport, identity, room, this.sessionHost)
    const entry = this.rooms.get(documentId)
    if (entry?.unloadTimer) {
      clearTimeout(entry.unloadTimer)
      entry.unloadTimer = null
    }
    room.join(session)
    return session
  }

  private async openRoom(documentId: string): Promise<Room> {
    for (;;) {
      const entry = this.rooms.get(documentId)
      if (!entry) break
      if (entry.unloading) {
        await entry.unloading
        continue
      }
      const room = await entry.ready
      if (!room.hasFailed) return room
      await this.dropRoom(documentId, entry)
    }
    const entry: RoomEntry = {
      ready: this.loadRoom(documentId),
      room: null,
      unloadTimer: null,
      unloading: null,
    }
    this.rooms.set(documentId, entry)
    try {
      entry.room = await entry.ready
    } catch (error) {
      if (this.rooms.get(documentId) === entry) this.rooms.delete(documentId)
      throw error
    }
    return entry.room
  }

  private async loadRoom(documentId: string): Promise<Room> {
    const state = await this.options.store.loadState(documentId)
    if (!state) throw new DocumentNotFoundError(documentId)
    const room = new Room(documentId, state, {
      store: this.options.store,
      logger: this.options.logger,
      compactAfterUpdates: this.options.compactAfterUpdates,
      maxBufferedBytes: this.options.maxBufferedBytes,
      onStored: this.options.onStored,
      onStorageFailure: (failed, error) => this.onStorageFailure(failed, error),
      fanout: this.options.fanout,
      gapGraceMs: this.options.gapGraceMs,
      observer: this.options.observer,
      onRemoteClose: (closed, code, reason) => {
        closed.closeAll(code, reason)
        const entry = this.rooms.get(documentId)
        if (entry?.room !== closed) return
        void this.dropRoom(documentId, entry).then(() => this.options.onUnloaded(documentId))
      },
    })
    // Subscribed after loading: the fan-out calls `resync` once its starting
    // point is fixed, and that reads whatever was stored between the load and
    // that point, so nothing falls between the two.
    this.options.fanout?.subscribe(documentId, room.subscriber)
    this.options.logger.info({ documentId, updates: state.updates.length }, 'document loaded')
    return room
  }

  private onStorageFailure(room: Room, error: unknown): void {
    if (error instanceof DocumentMissingError) {
      // deleted through another instance before its notice reached this room: not a fault
      this.options.logger.info(
        { documentId: room.documentId },
        'document deleted elsewhere; closing its clients',
      )
      room.closeAll(CloseCode.documentDeleted, 'document deleted')
    } else {
      this.options.logger.error(
        { documentId: room.documentId, err: error },
        'storage append failed; closing clients so they resend after reconnecting',
      )
      room.closeAll(CloseCode.tryAgainLater, 'storage unavailable')
    }
    const entry = this.rooms.get(room.documentId)
    if (entry) void this.dropRoom(room.documentId, entry)
  }

  private scheduleUnload(documentId: string): void {
    const entry = this.rooms.get(documentId)
    const room = entry?.room
    if (!entry || !room || room.connections.size > 0 || entry.unloading) return
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer)
    entry.unloadTimer = setTimeout(() => {
      entry.unloadTimer = null
      if (room.connections.size === 0) void this.unload(documentId, entry)
    }, this.options.unloadAfterMs)
    entry.unloadTimer.unref()
  }

  private unload(documentId: string, entry: RoomEntry): Promise<void> {
    entry.unloading ??= (async () => {
      const room = entry.room
      if (room) {
        await room.whenFlushed()
        await room.compact(true)
      }
      await this.dropRoom(documentId, entry)
      this.options.onUnloaded(documentId)
      this.options.logger.info({ documentId }, 'document unloaded')
    })()
    return entry.unloading
  }

  private async dropRoom(documentId: string, entry: RoomEntry): Promise<void> {
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer)
    if (entry.room) this.options.fanout?.unsubscribe(documentId, entry.room.subscriber)
    entry.room?.destroy()
    if (this.rooms.get(documentId) === entry) this.rooms.delete(documentId)
  }

  /**
   * Reads a document: the live doc when it is open (edits not yet compacted
   * included), otherwise a temporary one built from the store. Null when the
   * document does not exist. `read` must not change the doc.
   */
  async read<T>(documentId: string, read: (doc: Y.Doc) => T): Promise<T | null> {
    const entry = this.rooms.get(documentId)
    const room = entry?.room
    if (room && !entry.unloading && !room.hasFailed) {
      // Another instance may have stored a change the fan-out has not delivered yet.
      if (this.clustered) await room.catchUp()
      if (!room.hasFailed && this.rooms.get(documentId) === entry) return read(room.doc)
    }
    const state = await this.options.store.loadState(documentId)
    if (!state) return null
    const doc = createYDoc()
    const updates = state.updates.map((u) => u.update)
    Y.applyUpdate(doc, Y.mergeUpdates(state.snapshot ? [state.snapshot, ...updates] : updates))
    try {
      return read(doc)
    } finally {
      doc.destroy()
    }
  }

  /**
   * Resolves once every change the open document has applied so far is in the
   * store (at once when it is not open). Reads of the store (history, diffs,
   * new versions) then include what clients and `read` already see: a change
   * is applied a turn or two before its commit. Only this instance's changes:
   * another instance's are in the store before they arrive here.
   */
  async whenStored(documentId: string): Promise<void> {
    const room = this.rooms.get(documentId)?.room
    if (room && !room.hasFailed) await room.whenAppliedStored()
  }

  /**
   * Changes a document on a user's behalf through the same path as a client's
   * edit: applied to the live doc, stored, then broadcast. Resolves once the
   * change is durable; rejects with `DocumentNotFoundError`, or with whatever
   * `change` throws (in which case nothing was applied, if it checks first).
   */
  async change<T>(
    documentId: string,
    userId: string,
    change: (doc: Y.Doc, origin: ServerChange) => T,
  ): Promise<T> {
    if (this.closing) throw new Error('server is shutting down')
    const room = await this.openRoom(documentId)
    try {
      // Changes computed on a stale doc (offsets, existing ids) would land wrong.
      if (this.clustered) await room.catchUp()
      const result = room.changeAs(userId, change)
      // This change's commit, not the typing that follows it.
      await room.whenAppliedStored()
      if (room.hasFailed) throw new StorageUnavailableError(documentId)
      return result
    } finally {
      this.scheduleUnload(documentId)
    }
  }

  /**
   * Disconnects every client of a document and forgets it (used when it is
   * deleted), on every instance holding it.
   */
  async closeDocument(documentId: string, code: number, reason: string): Promise<void> {
    this.options.fanout?.publish(documentId, { type: 'closed', code, reason })
    const entry = this.rooms.get(documentId)
    if (!entry) return
    const room = await entry.ready.catch(() => null)
    room?.closeAll(code, reason)
    await this.dropRoom(documentId, entry)
  }

  /**
   * Stops accepting clients, stores what every open document has received, then
   * closes its clients with 1012 (y-websocket reconnects, through a load
   * balancer to another instance) and compacts it.
   */
  async shutdown(): Promise<void> {
    this.closing = true
    if (this.resyncTimer) clearInterval(this.resyncTimer)
    await Promise.all(
      [...this.rooms.entries()].map(async ([documentId, entry]) => {
        const room = await entry.ready.catch(() => null)
        // Their edits so far are acknowledged before they go; whatever arrives
        // after the close is resent by the client to the instance it reaches next.
        await Promise.race([room?.whenFlushed(), delay(5_000)])
        room?.closeAll(CloseCode.serviceRestart, 'server restarting')
        await this.unload(documentId, entry)
      }),
    )
  }
}
