/**
 * One open document: its live Y.Doc, its awareness and its connections.
 *
 * Durability before broadcast: every change applied to the doc is queued, and
 * only once the store has committed it is the update sent to any client (the
 * sender included: the y-websocket client counts its edit confirmed when it comes
 * back). A sync-step-2 reply to a joining client waits for the same queue, so no
 * client ever sees state the store might not have.
 *
 * With several server instances (a `Fanout`), each stored batch is published
 * with its log positions; other instances apply it with `RemoteChange` as the
 * origin (relayed to their clients, never stored again). Each room tracks which
 * log positions its doc holds; a hole that does not fill, a resubscription or
 * a periodic check makes it read what it lacks from the store's log, so a lost
 * message heals instead of diverging.
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
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness'
import * as Y from 'yjs'
import { mergeSnapshotOffThread } from './snapshot.js'
import {
  type ClientTransport,
  CloseCode,
  type ConnectionIdentity,
  type Fanout,
  type FanoutMessage,
  type FanoutSubscriber,
  type Logger,
  type SyncObserver,
} from './types.js'

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
  /** Other server instances holding the document; absent with a single instance. */
  fanout?: Fanout
  /** Another instance asked every holder of the document to close its clients. */
  onRemoteClose?(room: Room, code: number, reason: string): void
  /** How long a hole in the log positions may stay open before the store is re-read. */
  gapGraceMs?: number
  observer?: SyncObserver
}

/**
 * Transaction origin for changes made on the server on a user's behalf (the REST
 * API, importers): the update is recorded as theirs.
 */
export class ServerChange {
  constructor(readonly userId: string) {}
}

/**
 * Transaction origin for updates another instance (or the store) already has:
 * relayed to this instance's clients, never appended again.
 */
export class RemoteChange {
  static readonly instance = new RemoteChange()
  private constructor() {}
}

/** A connected client as the room sees it. */
export class RoomConnection {
  /**
   * Awareness client ids this connection has announced; removed when it leaves.
   * Created with the first one: even an empty Set costs ~200 bytes, times every
   * connection that never announces presence.
   */
  awarenessClients: Set<number> | null = null
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
  /** Highest log position known to be stored (this instance's appends or others'). */
  private lastSeq: number
  /** Every log position up to this one is in the doc. */
  private heldSeq: number
  /** Positions above `heldSeq` already in the doc (others' updates arrive out of order). */
  private readonly heldAbove = new Set<number>()
  private gapTimer: NodeJS.Timeout | null = null
  private resyncing: Promise<void> | null = null
  private resyncAgain = false
  private snapshotSeq: number
  private compacting = false
  private fullStateCache: Uint8Array | null = null
  private failed = false
  private destroyed = false
  /** Document updates refused from read-only connections since the room opened. */
  droppedWrites = 0
  /** What the fan-out delivers to this room; identity matters for unsubscribing. */
  readonly subscriber: FanoutSubscriber = {
    receive: (message, sentAt) => this.receiveRemote(message, sentAt),
    // messages may have been missed: presence (asked of the others again) and updates or a
    // deletion's notice (sent before this room subscribed, or while the fan-out was away)
    resync: () => {
      this.options.fanout?.publish(this.documentId, { type: 'presence-wanted' })
      this.checkStore()
    },
  }

  constructor(
    readonly documentId: string,
    state: StoredState,
    private readonly options: RoomOptions,
  ) {
    this.doc = createYDoc()
    const stored = state.snapshot
      ? [state.snapshot, ...state.updates.map((u) => u.update)]
      : state.updates.map((u) => u.update)
    if (stored.length > 0) {
      const state = Y.mergeUpdates(stored)
      Y.applyUpdate(this.doc, state)
      // Everything the doc holds, already encoded: the first clients of a cold
      // document (empty state vector) get it without an encoding of the doc
      // (tens of milliseconds for a long article).
      this.fullStateCache = state
    }
    this.lastSeq = state.lastSeq
    this.heldSeq = state.lastSeq
    this.snapshotSeq = state.snapshotSeq
    this.awareness = new Awareness(this.doc)
    // The server is not a collaborator: it announces no presence of its own.
    this.awareness.setLocalState(null)
    this.doc.on('afterTransaction', this.onAfterTransaction)
    this.awareness.on('update', this.onAwarenessUpdate)
  }

  /*
   * How changes reach the store. A client's update is stored and relayed as the
   * bytes it sent: with an 'update' listener Yjs encodes every transaction
   * again, and for a long run of typing that re-encoding (it flattens the
   * merged text item each time) cost more than the rest of applying it. Every
   * other change is encoded by Yjs, with the listener attached only meanwhile.
   */

  /** Set while a client's update is applied: the transactions it caused, and which changed anything. */
  private clientApply: { transaction: Y.Transaction; changed: boolean }[] | null = null
  /** Set while `withEncodedChanges` runs: the 'update' listener takes every change. */
  private encodingChanges = false

  private readonly onAfterTransaction = (transaction: Y.Transaction) => {
    const changed = integratedAnything(transaction)
    if (changed) this.fullStateCache = null
    if (this.encodingChanges) return
    if (this.clientApply) {
      this.clientApply.push({ transaction, changed })
      return
    }
    // A change made some other way: stored all the same, as the server's.
    if (changed) this.queue(changesOf(this.doc, transaction), 'server')
  }

  /**
   * Applies a client's update. What changed nothing (a reconnecting client's
   * step 2 repeats its whole delete set) is not stored; what Yjs could not
   * integrate yet is, since the log must keep it until what it depends on
   * arrives. Yjs may follow a remote change with a transaction of its own
   * (removing duplicate formatting): that one is stored as the server's.
   */
  private applyClientUpdate(connection: RoomConnection, update: Uint8Array): void {
    const { store } = this.doc
    const pendingBefore = [store.pendingStructs, store.pendingDs]
    const transactions: { transaction: Y.Transaction; changed: boolean }[] = []
    this.clientApply = transactions
    let failure: unknown = null
    try {
      Y.applyUpdate(this.doc, update, connection)
    } catch (error) {
      failure = error
    } finally {
      this.clientApply = null
    }
    const keptPending =
      store.pendingStructs !== pendingBefore[0] || store.pendingDs !== pendingBefore[1]
    for (const { transaction, changed } of transactions) {
      if (transaction.origin !== connection) {
        if (changed) this.queue(changesOf(this.doc, transaction), 'server')
      } else if (failure) {
        // Yjs keeps what it integrated before the bad part: stored and relayed too.
        if (changed) this.queue(changesOf(this.doc, transaction), connection.identity.userId)
      } else if (changed || keptPending) {
        // A copy that owns its bytes: the update is a view into the whole received frame.
        this.queue(update.slice(), connection.identity.userId)
      }
    }
    if (failure) throw failure
  }

  /** Queues an applied change to be stored, then broadcast. */
  private queue(update: Uint8Array, userId: string): void {
    this.options.observer?.updatesReceived?.(1)
    this.pending.push({ update, userId, receivedAt: Date.now() })
    this.unconfirmed += 1
    this.scheduleFlush()
  }

  /**
   * Runs changes not made by a client, with Yjs encoding each transaction's:
   * the server's own are queued as the user's; what is already durable
   * (another instance's, or read back from the store) is only relayed, and
   * only the part this doc lacked.
   */
  private withEncodedChanges<T>(apply: () => T): T {
    this.encodingChanges = true
    this.doc.on('update', this.onEncodedChange)
    try {
      return apply()
    } finally {
      this.doc.off('update', this.onEncodedChange)
      this.encodingChanges = false
    }
  }

  private readonly onEncodedChange = (update: Uint8Array, origin: unknown) => {
    if (origin === RemoteChange.instance) this.broadcastUpdate(update)
    else this.queue(update, origin instanceof ServerChange ? origin.userId : 'server')
  }

  /** Makes a change on a user's behalf (the REST API, importers), stored as theirs. */
  changeAs<T>(userId: string, change: (doc: Y.Doc, origin: ServerChange) => T): T {
    return this.withEncodedChanges(() => change(this.doc, new ServerChange(userId)))
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    const changed = [...added, ...updated, ...removed]
    if (origin instanceof RoomConnection) {
      if (added.length > 0) origin.awarenessClients ??= new Set()
      for (const id of added) origin.awarenessClients?.add(id)
      for (const id of removed) origin.awarenessClients?.delete(id)
    }
    this.broadcast(encodeAwarenessStates(this.awareness, changed))
    // Local presence (and its removal when a client leaves) reaches the other
    // instances; what came from them, or timed out here, does not go back.
    if (this.options.fanout && origin !== RemoteChange.instance && origin !== 'timeout') {
      this.options.fanout.publish(this.documentId, {
        type: 'awareness',
        update: encodeAwarenessUpdate(this.awareness, changed),
      })
    }
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
    const started = performance.now()
    let toSeq: number
    try {
      toSeq = await this.options.store.appendUpdates(this.documentId, batch)
    } catch (error) {
      this.options.observer?.appended?.(performance.now() - started, batch.length, false)
      this.failed = true
      this.options.onStorageFailure(this, error)
      return
    }
    this.options.observer?.appended?.(performance.now() - started, batch.length, true)
    // One append takes consecutive positions ending at the one it returns.
    const fromSeq = toSeq - batch.length + 1
    this.markHeld(fromSeq, toSeq)
    this.unconfirmed -= batch.length
    this.options.onStored(this.documentId, toSeq)
    // One frame per connection for the whole batch, not one per update: with
    // many editors a batch holds dozens of updates, and each frame is a write
    // (a system call) per connection. Clients apply the merged update exactly
    // as they would apply its parts, their own included.
    const update =
      batch.length === 1
        ? (batch[0] as UpdateToAppend).update
        : Y.mergeUpdates(batch.map((u) => u.update))
    this.broadcastUpdate(update)
    this.options.fanout?.publish(this.documentId, { type: 'update', update, fromSeq, toSeq })
    if (this.lastSeq - this.snapshotSeq >= this.options.compactAfterUpdates) {
      setImmediate(() => void this.compact())
    }
  }

  private broadcastUpdate(update: Uint8Array): void {
    this.broadcast(encodeSyncUpdate(update))
    this.options.observer?.updatesSent?.(this.connections.size)
  }

  /** Records that the updates at these log positions are in the doc. */
  private markHeld(fromSeq: number, toSeq: number): void {
    if (toSeq > this.lastSeq) this.lastSeq = toSeq
    for (let seq = Math.max(fromSeq, this.heldSeq + 1); seq <= toSeq; seq++) {
      this.heldAbove.add(seq)
    }
    while (this.heldAbove.delete(this.heldSeq + 1)) this.heldSeq += 1
    if (this.heldAbove.size === 0) {
      if (this.gapTimer) clearTimeout(this.gapTimer)
      this.gapTimer = null
    } else if (!this.gapTimer && this.options.fanout) {
      // Another instance's batch may simply still be on its way; give it a moment.
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null
        if (this.heldAbove.size > 0) void this.resync()
      }, this.options.gapGraceMs ?? 1_000)
      this.gapTimer.unref()
    }
  }

  /** Every log position up to this one is in the live doc. */
  get heldUpTo(): number {
    return this.heldSeq
  }

  /** Applies a message from another instance. */
  receiveRemote(message: FanoutMessage, sentAt: number): void {
    if (this.failed || this.destroyed) return
    switch (message.type) {
      case 'update': {
        if (message.toSeq > this.heldSeq) {
          this.withEncodedChanges(() =>
            Y.applyUpdate(this.doc, message.update, RemoteChange.instance),
          )
          this.markHeld(message.fromSeq, message.toSeq)
        }
        this.options.observer?.remoteApplied?.(
          message.toSeq - message.fromSeq + 1,
          Date.now() - sentAt,
        )
        return
      }
      case 'awareness':
        applyAwarenessUpdate(this.awareness, message.update, RemoteChange.instance)
        return
      case 'closed':
        this.options.onRemoteClose?.(this, message.code, message.reason)
        return
      case 'presence-wanted': {
        const local = [...this.connections]
          .flatMap((c) => [...(c.awarenessClients ?? [])])
          .filter((id) => this.awareness.meta.has(id))
        if (local.length === 0) return
        this.options.fanout?.publish(this.documentId, {
          type: 'awareness',
          update: encodeAwarenessUpdate(this.awareness, local),
        })
        return
      }
    }
  }

  /**
   * Reads from the store's log every update past the positions the doc holds
   * and applies what it lacks (Yjs skips what it already has; only what is new
   * reaches the clients). The store is the source of truth: whatever the
   * fan-out lost is in the log. Concurrent calls share one pass and run again.
   */
  resync(): Promise<void> {
    if (this.resyncing) {
      this.resyncAgain = true
      return this.resyncing
    }
    this.resyncing = (async () => {
      try {
        do {
          this.resyncAgain = false
          if (this.failed || this.destroyed) return
          const logged = await this.options.store.readLog(this.documentId, this.heldSeq)
          if (this.failed || this.destroyed) return
          const lacking = logged.filter((stored) => !this.heldAbove.has(stored.seq))
          if (lacking.length > 0) {
            this.withEncodedChanges(() =>
              Y.applyUpdate(
                this.doc,
                Y.mergeUpdates(lacking.map((stored) => stored.update)),
                RemoteChange.instance,
              ),
            )
          }
          for (const stored of logged) this.markHeld(stored.seq, stored.seq)
          this.options.observer?.resynced?.(this.documentId, lacking.length)
          if (lacking.length > 0) {
            this.options.logger.debug(
              { documentId: this.documentId, updates: lacking.length, heldUpTo: this.heldSeq },
              'document caught up from the store',
            )
          }
        } while (this.resyncAgain)
      } catch (error) {
        // The next trigger (periodic check, gap, resubscription) tries again.
        this.options.logger.warn(
          { documentId: this.documentId, err: error },
          'could not read missed updates from the store',
        )
      } finally {
        this.resyncing = null
      }
    })()
    return this.resyncing
  }

  /**
   * Brings the doc up to what the store has now (used before API reads and
   * changes, so that a change made through one instance is seen through any
   * other at once), and by the periodic check and the fan-out's resyncs.
   * Closes the room's clients (4404) when the document is no longer stored.
   */
  async catchUp(): Promise<void> {
    const summary = await this.options.store.getDocument(this.documentId)
    if (!summary) {
      // deleted through another instance without this room hearing of it
      if (!this.destroyed) {
        this.options.onRemoteClose?.(this, CloseCode.documentDeleted, 'document deleted')
      }
      return
    }
    if (summary.lastSeq > this.heldSeq) await this.resync()
  }

  /** `catchUp` in the background (the fan-out's resyncs, the periodic check); failures logged. */
  checkStore(): void {
    this.catchUp().catch((error: unknown) =>
      this.options.logger.warn(
        { documentId: this.documentId, err: error },
        'could not check the store for missed updates',
      ),
    )
  }

  /**
   * Resolves once every change applied so far is durable and sent, and not
   * later: each apply chains its flush at once, so the chain as it is now
   * covers them (unlike `whenFlushed`, it does not wait for later typing).
   */
  whenAppliedStored(): Promise<void> {
    return this.flushed
  }

  /** Waits until every change applied so far is durable and sent. */
  async whenFlushed(): Promise<void> {
    let current: Promise<void>
    do {
      current = this.flushed
      await current
    } while (current !== this.flushed)
  }

  /**
   * Writes a snapshot: the merged log up to its last position; the log itself is kept.
   *
   * The snapshot is computed from the store's own state (the last snapshot plus
   * the log after it, read in one consistent view), never from the live doc.
   * With several instances the live doc is not a prefix of the log: it may lack
   * updates other instances appended at positions below ones it holds (still on
   * their way through the fan-out), and may hold some above. A snapshot of it
   * labelled "up to N" could then miss an update at a position <= N, which every
   * later load would skip for good. Merging exactly the rows at positions
   * <= N is correct by construction, whatever this instance has received.
   * It runs under the store's compaction lock, so instances never compact one
   * document at once (and `writeSnapshot` never lets an older one win).
   * Unless `force`d (unload, shutdown), a compaction that finds another
   * instance already compacted recently does nothing.
   */
  async compact(force = false): Promise<void> {
    if (this.compacting || this.failed || this.lastSeq === this.snapshotSeq) return
    this.compacting = true
    try {
      await this.options.store.withCompactionLock(this.documentId, async () => {
        const state = await this.options.store.loadState(this.documentId)
        if (!state || state.lastSeq === state.snapshotSeq) {
          if (state) this.snapshotSeq = state.snapshotSeq
          return
        }
        if (!force && state.lastSeq - state.snapshotSeq < this.options.compactAfterUpdates) {
          this.snapshotSeq = state.snapshotSeq
          return
        }
        const stored = state.updates.map((u) => u.update)
        // Whole-document work: off the event loop (see snapshot.ts).
        const snapshot = await mergeSnapshotOffThread(
          state.snapshot ? [state.snapshot, ...stored] : stored,
        )
        await this.options.store.writeSnapshot(this.documentId, snapshot, state.lastSeq)
        this.snapshotSeq = state.lastSeq
        this.options.logger.debug(
          { documentId: this.documentId, upToSeq: state.lastSeq },
          'document compacted',
        )
      })
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
    this.removePresenceOf(connection)
  }

  private removePresenceOf(connection: RoomConnection): void {
    if (connection.awarenessClients && connection.awarenessClients.size > 0) {
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
        this.applyClientUpdate(connection, message.update)
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
      // its presence goes too (leave() will find it gone), once the broadcast under way is done
      queueMicrotask(() => this.removePresenceOf(connection))
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
    this.destroyed = true
    if (this.gapTimer) clearTimeout(this.gapTimer)
    this.gapTimer = null
    this.doc.off('afterTransaction', this.onAfterTransaction)
    this.awareness.off('update', this.onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }
}

/** Whether a transaction added or deleted anything (a repeated update does neither). */
function integratedAnything(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true
  for (const [client, clock] of transaction.afterState) {
    if (transaction.beforeState.get(client) !== clock) return true
  }
  return false
}

/**
 * An update holding what a transaction added, and every deletion the doc
 * knows (Yjs exports no encoding of one transaction's deletions alone). Only
 * for the rare changes that arrive without bytes of their own.
 */
function changesOf(doc: Y.Doc, transaction: Y.Transaction): Uint8Array {
  return Y.encodeStateAsUpdate(doc, Y.encodeStateVector(transaction.beforeState))
}
