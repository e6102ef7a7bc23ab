/**
 * One open document: its live Y.Doc, its awareness and its connections.
 *
 * Durability before broadcast: every change applied to the doc is queued, and
 * only once the store has committed it is the update sent to any client (the
 * sender included: the y-websocket client counts its edit confirmed when it comes
 * back). A sync-step-2 reply to a joining client waits for the same queue, so no
 * client ever sees state the store might not have.
 */
import { createYDoc } from '@hashiya/document'
import type { DocumentStore, StoredState, UpdateToAppend } from '@hashiya/storage'
import {
  type ClientMessage,
  encodeAwarenessStates,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  isEmptyStateVector,
} from '@hashiya/sync-protocol'
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { type ClientTransport, CloseCode, type ConnectionIdentity, type Logger } from './types.js'

export interface RoomOptions {
  store: DocumentStore
  logger: Logger
  /** Compact the log into a snapshot once this many updates follow the last one. */
  compactAfterUpdates: number
  /** Disconnect a client whose unsent frames exceed this many bytes. */
  maxBufferedBytes: number
  /** Called after each commit, with the sequence number of the last stored update. */
  onStored(documentId: string, lastSeq: number): void
  /** Called when the store fails: the room can no longer promise durability. */
  onStorageFailure(room: Room, error: unknown): void
}

/**
 * Transaction origin for changes made on the server on a user's behalf (the REST
 * API, importers): the update is recorded as theirs.
 */
export class ServerChange {
  constructor(readonly userId: string) {}
}

/** A connected client as the room sees it. */
export class RoomConnection {
  /** Awareness client ids this connection has announced; removed when it leaves. */
  readonly awarenessClients = new Set<number>()
  /** Document updates a read-only connection sent and the room refused. */
  droppedWrites = 0

  constructor(
    readonly transport: ClientTransport,
    readonly identity: ConnectionIdentity,
  ) {}
}

export class Room {
  readonly doc: Y.Doc
  readonly awareness: Awareness
  readonly connections = new Set<RoomConnection>()
  private pending: UpdateToAppend[] = []
  /** Updates applied to the doc but not yet committed and broadcast (queued or in flight). */
  private unconfirmed = 0
  private flushScheduled = false
  /** Resolves when everything applied so far is committed and broadcast. */
  private flushed: Promise<void> = Promise.resolve()
  private lastSeq: number
  private snapshotSeq: number
  private compacting = false
  private fullStateCache: Uint8Array | null = null
  private failed = false
  /** Document updates refused from read-only connections since the room opened. */
  droppedWrites = 0

  constructor(
    readonly documentId: string,
    state: StoredState,
    private readonly options: RoomOptions,
  ) {
    this.doc = createYDoc()
    const stored = state.snapshot
      ? [state.snapshot, ...state.updates.map((u) => u.update)]
      : state.updates.map((u) => u.update)
    if (stored.length > 0) Y.applyUpdate(this.doc, Y.mergeUpdates(stored))
    this.lastSeq = state.lastSeq
    this.snapshotSeq = state.snapshotSeq
    this.awareness = new Awareness(this.doc)
    // The server is not a collaborator: it announces no presence of its own.
    this.awareness.setLocalState(null)
    this.doc.on('update', this.onDocUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    this.fullStateCache = null
    const userId =
      origin instanceof RoomConnection
        ? origin.identity.userId
        : origin instanceof ServerChange
          ? origin.userId
          : 'server'
    this.pending.push({ update, userId, receivedAt: Date.now() })
    this.unconfirmed += 1
    this.scheduleFlush()
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    const changed = [...added, ...updated, ...removed]
    if (origin instanceof RoomConnection) {
      for (const id of added) origin.awarenessClients.add(id)
      for (const id of removed) origin.awarenessClients.delete(id)
    }
    this.broadcast(encodeAwarenessStates(this.awareness, changed))
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    // setImmediate gathers every frame that arrived in this I/O turn into one commit.
    this.flushed = this.flushed.then(
      () =>
        new Promise<void>((resolve) => {
          setImmediate(() => {
            this.flushScheduled = false
            this.flush().then(resolve, resolve)
          })
        }),
    )
  }

  private async flush(): Promise<void> {
    const batch = this.pending
    if (batch.length === 0 || this.failed) return
    this.pending = []
    try {
      this.lastSeq = await this.options.store.appendUpdates(this.documentId, batch)
    } catch (error) {
      this.failed = true
      this.options.onStorageFailure(this, error)
      return
    }
    this.unconfirmed -= batch.length
    this.options.onStored(this.documentId, this.lastSeq)
    for (const { update } of batch) this.broadcast(encodeSyncUpdate(update))
    if (this.lastSeq - this.snapshotSeq >= this.options.compactAfterUpdates) {
      setImmediate(() => void this.compact())
    }
  }

  /** Waits until every change applied so far is durable and sent. */
  async whenFlushed(): Promise<void> {
    let current: Promise<void>
    do {
      current = this.flushed
      await current
    } while (current !== this.flushed)
  }

  /** Writes the merged state as a snapshot; the log itself is kept. */
  async compact(): Promise<void> {
    if (this.compacting || this.failed || this.lastSeq === this.snapshotSeq) return
    this.compacting = true
    try {
      await this.whenFlushed()
      const upToSeq = this.lastSeq
      const state = Y.encodeStateAsUpdate(this.doc)
      await this.options.store.writeSnapshot(this.documentId, state, upToSeq)
      this.snapshotSeq = upToSeq
      this.options.logger.debug({ documentId: this.documentId, upToSeq }, 'document compacted')
    } catch (error) {
      this.options.logger.error({ documentId: this.documentId, err: error }, 'compaction failed')
    } finally {
      this.compacting = false
    }
  }

  get hasFailed(): boolean {
    return this.failed
  }

  join(connection: RoomConnection): void {
    this.connections.add(connection)
    this.send(connection, encodeSyncStep1(Y.encodeStateVector(this.doc)))
    const states = [...this.awareness.getStates().keys()]
    if (states.length > 0) this.send(connection, encodeAwarenessStates(this.awareness, states))
  }

  leave(connection: RoomConnection): void {
    if (!this.connections.delete(connection)) return
    if (connection.awarenessClients.size > 0) {
      removeAwarenessStates(this.awareness, [...connection.awarenessClients], null)
    }
  }

  /** Applies one decoded client message. Throws when Yjs refuses the update. */
  receive(connection: RoomConnection, message: ClientMessage): void {
    switch (message.type) {
      case 'sync-step1':
        this.replyWithMissingState(connection, message.stateVector)
        return
      case 'sync-step2':
      case 'sync-update':
        if (connection.identity.readOnly) {
          connection.droppedWrites += 1
          this.droppedWrites += 1
          return
        }
        Y.applyUpdate(this.doc, message.update, connection)
        return
      case 'awareness':
        applyAwarenessUpdate(this.awareness, message.update, connection)
        return
      case 'query-awareness':
        this.send(
          connection,
          encodeAwarenessStates(this.awareness, [...this.awareness.getStates().keys()]),
        )
        return
    }
  }

  private replyWithMissingState(connection: RoomConnection, stateVector: Uint8Array): void {
    const reply = () => {
      if (!this.connections.has(connection)) return
      let update: Uint8Array
      if (isEmptyStateVector(stateVector)) {
        // Many clients joining a cold document at once share one full-state encoding.
        this.fullStateCache ??= Y.encodeStateAsUpdate(this.doc)
        update = this.fullStateCache
      } else {
        update = Y.encodeStateAsUpdate(this.doc, stateVector)
      }
      this.send(connection, encodeSyncStep2(update))
    }
    if (this.unconfirmed === 0) reply()
    else void this.whenFlushed().then(reply)
  }

  send(connection: RoomConnection, frame: Uint8Array): void {
    const { transport } = connection
    if (transport.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.logger.warn(
        { documentId: this.documentId, connectionId: connection.identity.connectionId },
        'slow consumer disconnected',
      )
      this.connections.delete(connection)
      transport.close(CloseCode.tryAgainLater, 'too slow to keep up')
      return
    }
    try {
      transport.send(frame)
    } catch (error) {
      this.options.logger.warn(
        { documentId: this.documentId, connectionId: connection.identity.connectionId, err: error },
        'send failed',
      )
    }
  }

  broadcast(frame: Uint8Array): void {
    for (const connection of this.connections) this.send(connection, frame)
  }

  /** Closes every connection (they reconnect by themselves unless told the document is gone). */
  closeAll(code: number, reason: string): void {
    for (const connection of [...this.connections]) {
      this.leave(connection)
      connection.transport.close(code, reason)
    }
  }

  destroy(): void {
    this.doc.off('update', this.onDocUpdate)
    this.awareness.off('update', this.onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }
}
