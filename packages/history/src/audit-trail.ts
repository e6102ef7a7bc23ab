/**
 * Keeps each document's audit trail up to date with its update log.
 *
 * The trail is derived after the fact, off the hot path: a replica of the
 * document is advanced through the logged updates one at a time, and what
 * changed for annotation readers is stored as events attributed to the user and
 * server time the log gives that update. The result depends on the log alone,
 * never on when a pass ran. Progress is stored with the events, so a restart
 * resumes where it stopped and never records an event twice.
 */
import { annotationIdOfAttribute, annotationsMap, readAnnotations } from '@hashiya/annotations'
import { createYDoc } from '@hashiya/document'
import type { AuditEventRecord, DocumentStore, StoredUpdate } from '@hashiya/storage'
import * as Y from 'yjs'
import { type AuditState, diffAnnotations, type TrackedAnnotation } from './audit.js'

interface Replica {
  doc: Y.Doc
  seq: number
  state: AuditState
}

/**
 * Whether a transaction can have changed what annotation readers see. Most
 * keystrokes land in paragraphs that never held an annotation; those skip the
 * full re-read. Conservative: when in doubt, true.
 */
function mayAffectAnnotations(transaction: Y.Transaction, doc: Y.Doc): boolean {
  const annotations = annotationsMap(doc)
  for (const type of transaction.changed.keys()) {
    if (type instanceof Y.XmlText) {
      // with gc off, deleted formatting stays in the item list: a paragraph that
      // ever held an annotation mark is noticed even after its text is gone
      for (let item = type._start; item !== null; item = item.right) {
        if (
          item.content instanceof Y.ContentFormat &&
          annotationIdOfAttribute(item.content.key, { id: 'x' })
        ) {
          return true
        }
      }
      continue
    }
    if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) return true
    // biome-ignore lint/suspicious/noExplicitAny: Yjs types its parents loosely
    for (let current: Y.AbstractType<any> | null = type; current; ) {
      if (current === annotations) return true
      const parent: unknown = current._item?.parent
      current = parent instanceof Y.AbstractType ? parent : null
    }
  }
  return false
}

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
    this.replicas.get(documentId)?.doc.destroy()
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
    const replica = { doc, seq, state: new Map(entries) }
    this.replicas.set(documentId, replica)
    return replica
  }

  private async advance(documentId: string): Promise<void> {
    const replica = await this.replicaOf(documentId)
    const updates = await this.store.readLog(documentId, replica.seq)
    if (updates.length === 0) return
    const records: AuditEventRecord[] = []
    let state = replica.state
    let relevant = false
    let done: StoredUpdate | null = null
    const notice = (transaction: Y.Transaction) => {
      relevant ||= mayAffectAnnotations(transaction, replica.doc)
    }
    const sliceMs = this.options.sliceMs ?? 8
    const share = Math.min(1, Math.max(0.05, this.options.maxShare ?? 0.3))
    let sliceStart = performance.now()
    replica.doc.on('afterTransaction', notice)
    try {
      for (const update of updates) {
        if (performance.now() - sliceStart >= sliceMs) {
          await rest((sliceMs * (1 - share)) / share)
          sliceStart = performance.now()
          // Closed or forgotten meanwhile: keep what is done, stop here.
          if (this.closed || this.replicas.get(documentId) !== replica) break
        }
        relevant = false
        Y.applyUpdate(replica.doc, update.update)
        done = update
        if (!relevant) continue
        const result = diffAnnotations(state, readAnnotations(replica.doc))
        state = result.state
        for (const event of result.events) {
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
    } finally {
      replica.doc.off('afterTransaction', notice)
    }
    if (!done) return
    const seq = done.seq
    await this.store.appendAuditEvents(documentId, records, {
      seq,
      state: JSON.stringify([...state]),
    })
    replica.seq = seq
    replica.state = state
  }
}
