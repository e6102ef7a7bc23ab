/**
 * Keeps each document's audit trail up to date with its update log.
 *
 * The trail is derived after the fact, off the hot path: a replica of the
 * document is advanced through the logged updates one at a time, and what
 * changed for annotation readers is stored as events attributed to the user and
 * server time the log gives that update. A live `AnnotationReader` on the
 * replica names the annotations each update touched, so only those are compared. The result depends on the log alone,
 * never on when a pass ran. Progress is stored with the events, so a restart
 * resumes where it stopped and never records an event twice.
 */
import { AnnotationReader } from '@hashiya/annotations'
import { createYDoc } from '@hashiya/document'
import type { AuditEventRecord, DocumentStore, StoredUpdate } from '@hashiya/storage'
import * as Y from 'yjs'
import { type AuditState, diffChanges, type TrackedAnnotation } from './audit.js'

interface Replica {
  doc: Y.Doc
  /** Follows the replica: each update costs what it touched, not the number of annotations. */
  reader: AnnotationReader
  /** The last update applied, and the last one whose progress is stored. */
  seq: number
  storedSeq: number
  state: AuditState
}

/**
 * Progress is stored with every pass that found events, and otherwise only
 * every this many updates: typing that touches no annotation costs no write
 * transaction, and a restart re-derives at most this many updates, which yield
 * no events again (the trail depends on the log alone).
 */
const STORE_QUIET_PROGRESS_EVERY = 1_000

export interface AuditTrailOptions {
  /** Gather updates for this long after a commit before deriving (typing bursts become one pass). */
  delayMs?: number
  /**
   * Longest stretch a pass works without yielding to the event loop. The trail
   * shares the thread with the sync core: a pass over a busy document must not
   * hold back everyone's updates while it re-reads annotations.
   */
  sliceMs?: number
  /**
   * Share of wall time passes may use while they have a backlog (0 < share <= 1):
   * after a slice of `sliceMs`, a pass rests `sliceMs * (1 - share) / share`.
   */
  maxShare?: number
  onError?: (documentId: string, error: unknown) => void
}

/** Lets pending I/O (client frames, commits, broadcasts) run before the pass goes on. */
function rest(ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0) setImmediate(resolve)
    else setTimeout(resolve, ms)
  })
}

export class AuditTrail {
  private readonly replicas = new Map<string, Replica>()
  private readonly running = new Map<string, Promise<void>>()
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private closed = false

  constructor(
    private readonly store: DocumentStore,
    private readonly options: AuditTrailOptions = {},
  ) {}

  /** Derives soon: call after every commit; passes are debounced per document. */
  schedule(documentId: string): void {
    if (this.closed || this.timers.has(documentId)) return
    const timer = setTimeout(() => {
      this.timers.delete(documentId)
      this.catchUp(documentId).catch((error: unknown) => this.options.onError?.(documentId, error))
    }, this.options.delayMs ?? 250)
    timer.unref()
    this.timers.set(documentId, timer)
  }

  /** Stops scheduling and waits for running passes. */
  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    await this.idle()
  }

  /**
   * Derives events for every logged update not processed yet. Concurrent calls
   * for the same document share one pass and then run once more.
   */
  catchUp(documentId: string): Promise<void> {
    const previous = this.running.get(documentId) ?? Promise.resolve()
    // A failed earlier pass (storage down) must not fail this one before it starts.
    const next = previous.catch(() => {}).then(() => this.advance(documentId))
    this.running.set(documentId, next)
    const forget = () => {
      if (this.running.get(documentId) === next) this.running.delete(documentId)
    }
    // Both branches handled: a rejected pass is the caller's to see, never unhandled.
    next.then(forget, forget)
    return next
  }

  /** Resolves when no pass is running (failed passes included). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()])
  }

  /** Drops the in-memory replica (e.g. when the document is unloaded); progress stays stored. */
  forget(documentId: string): void {
    const replica = this.replicas.get(documentId)
    replica?.reader.destroy()
    replica?.doc.destroy()
    this.replicas.delete(documentId)
  }

  private async replicaOf(documentId: string): Promise<Replica> {
    const cached = this.replicas.get(documentId)
    if (cached) return cached
    const progress = await this.store.readAuditProgress(documentId)
    const doc = createYDoc()
    const seq = progress?.seq ?? 0
    if (seq > 0) {
      const done = await this.store.readLog(documentId, 0, seq)
      Y.applyUpdate(doc, Y.mergeUpdates(done.map((u) => u.update)))
    }
    const entries = progress ? (JSON.parse(progress.state) as [string, TrackedAnnotation][]) : []
    const reader = new AnnotationReader(doc)
    // what is already applied is in the stored state: only later updates are compared
    reader.readChanges()
    const replica = { doc, reader, seq, storedSeq: seq, state: new Map(entries) }
    this.replicas.set(documentId, replica)
    return replica
  }

  private async advance(documentId: string): Promise<void> {
    const replica = await this.replicaOf(documentId)
    const updates = await this.store.readLog(documentId, replica.seq)
    if (updates.length === 0) return
    const records: AuditEventRecord[] = []
    const { state } = replica
    let done: StoredUpdate | null = null
    const sliceMs = this.options.sliceMs ?? 8
    const share = Math.min(1, Math.max(0.05, this.options.maxShare ?? 0.3))
    let sliceStart = performance.now()
    try {
      for (const update of updates) {
        if (performance.now() - sliceStart >= sliceMs) {
          await rest((sliceMs * (1 - share)) / share)
          sliceStart = performance.now()
          // Closed or forgotten meanwhile: keep what is done, stop here.
          if (this.closed || this.replicas.get(documentId) !== replica) break
        }
        Y.applyUpdate(replica.doc, update.update)
        done = update
        const { changed } = replica.reader.readChanges()
        if (changed.size === 0) continue
        for (const event of diffChanges(state, changed)) {
          records.push({
            seq: update.seq,
            at: update.receivedAt,
            userId: update.userId,
            action: event.action,
            annotationId: event.annotationId,
            kind: event.kind,
            text: event.text,
            from: event.from ?? null,
            to: event.to ?? null,
          })
        }
      }
      if (!done) return
      if (records.length > 0 || done.seq - replica.storedSeq >= STORE_QUIET_PROGRESS_EVERY) {
        await this.store.appendAuditEvents(documentId, records, {
          seq: done.seq,
          state: JSON.stringify([...state]),
        })
        replica.storedSeq = done.seq
      }
      replica.seq = done.seq
    } catch (error) {
      // the replica and its state ran ahead of what is stored: start again from the store
      if (this.replicas.get(documentId) === replica) this.forget(documentId)
      throw error
    }
  }
}
