/**
 * Keeps each document's audit trail up to date with its update log.
 *
 * The trail is derived after the fact, off the hot path: this module reads
 * the log and stores the events; a `Deriver` (a worker thread in the server)
 * advances a replica of the document through the logged updates one at a time
 * and names what changed for annotation readers, attributed to the user and
 * server time the log gives that update. The result depends on the log alone,
 * never on when a pass ran. Progress is stored with the events, so a restart
 * resumes where it stopped and never records an event twice.
 */
import type { DocumentStore, StoredUpdate } from '@hashiya/storage'
import type { DerivationResult } from './derivation.js'
import { type Deriver, startDeriver } from './deriver.js'

/** How far the deriver's replica of a document has come. */
interface ReplicaProgress {
  /** The last update applied, and the last one whose progress is stored. */
  seq: number
  storedSeq: number
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
  /** Where derivation runs: by default a worker thread when running built code. */
  deriver?: Deriver
  onError?: (documentId: string, error: unknown) => void
}

export class AuditTrail {
  /** Documents whose replica the deriver holds. */
  private readonly replicas = new Map<string, ReplicaProgress>()
  private readonly running = new Map<string, Promise<void>>()
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly deriver: Deriver
  private closed = false

  constructor(
    private readonly store: DocumentStore,
    private readonly options: AuditTrailOptions = {},
  ) {
    this.deriver = options.deriver ?? startDeriver()
  }

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
    await this.deriver.close()
  }

  /**
   * Derives events for every logged update not processed yet. Passes for the
   * same document run one after another (a later one finds what is left).
   */
  catchUp(documentId: string): Promise<void> {
    return this.enqueue(documentId, () => this.advance(documentId))
  }

  /**
   * `catchUp` for a document nobody has open (its history is being read): the
   * progress is stored whatever the pass found, and the replica is dropped, so
   * reading it again reads and keeps nothing more.
   */
  catchUpAndRelease(documentId: string): Promise<void> {
    return this.enqueue(documentId, async () => {
      try {
        await this.advance(documentId, true)
      } finally {
        this.forget(documentId)
      }
    })
  }

  private enqueue(documentId: string, pass: () => Promise<void>): Promise<void> {
    const previous = this.running.get(documentId) ?? Promise.resolve()
    // A failed earlier pass (storage down) must not fail this one before it starts.
    const next = previous.catch(() => {}).then(pass)
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

  /** Drops the replica (e.g. when the document is unloaded); progress stays stored. */
  forget(documentId: string): void {
    this.replicas.delete(documentId)
    this.deriver.forget(documentId)
  }

  private async advance(documentId: string, storeProgress = false): Promise<void> {
    // Shutting down: reads answer from what is stored.
    if (this.closed) return
    let replica = this.replicas.get(documentId)
    let start: { seq: number; updates: Uint8Array[]; state: string | null } | undefined
    let updates: StoredUpdate[]
    if (replica) {
      updates = await this.store.readLog(documentId, replica.seq)
      if (updates.length === 0) return
    } else {
      const progress = await this.store.readAuditProgress(documentId)
      const seq = progress?.seq ?? 0
      updates = await this.store.readLog(documentId, seq)
      // Nothing new: the log up to the progress is not read (history reads after a restart).
      if (updates.length === 0) return
      const done = seq > 0 ? await this.store.readLog(documentId, 0, seq) : []
      start = { seq, updates: done.map((u) => u.update), state: progress?.state ?? null }
      replica = { seq, storedSeq: seq }
    }
    this.replicas.set(documentId, replica)
    const request = {
      documentId,
      start,
      updates,
      stateDueAtSeq: storeProgress ? 0 : replica.storedSeq + STORE_QUIET_PROGRESS_EVERY,
    }
    let result: DerivationResult | null
    try {
      result = await this.deriver.derive(request)
      if (!result) {
        if (start) throw new Error('the audit deriver did not start a replica')
        // The deriver lost its replicas (its thread restarted): start this one again.
        this.replicas.delete(documentId)
        return await this.advance(documentId, storeProgress)
      }
      if (result.state !== null) {
        await this.store.appendAuditEvents(documentId, result.records, {
          seq: result.seq,
          state: result.state,
        })
        replica.storedSeq = result.seq
      }
      replica.seq = result.seq
    } catch (error) {
      // The replica may have run ahead of what is stored: start again from the store.
      if (this.replicas.get(documentId) === replica) this.forget(documentId)
      throw error
    }
  }
}
