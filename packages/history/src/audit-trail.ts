/**
 * Keeps each document's audit trail up to date with its update log.
 *
 * The trail is derived after the fact, off the hot path: a replica of the
 * document is advanced through the logged updates, one run of consecutive
 * updates by the same user at a time, and what changed for annotations readers
 * is stored as events attributed to that user at the server time of the run's
 * last update. Progress is stored with the events, so a restart resumes where
 * it stopped and never records an event twice.
 */
import { readAnnotations } from '@hashiya/annotations'
import { createYDoc } from '@hashiya/document'
import type { AuditEventRecord, DocumentStore, StoredUpdate } from '@hashiya/storage'
import * as Y from 'yjs'
import { type AuditState, diffAnnotations, type TrackedAnnotation } from './audit.js'

interface Replica {
  doc: Y.Doc
  seq: number
  state: AuditState
}

/** Runs of consecutive updates by one user. */
function runsByUser(updates: readonly StoredUpdate[]): StoredUpdate[][] {
  const runs: StoredUpdate[][] = []
  for (const update of updates) {
    const run = runs[runs.length - 1]
    if (run && run[0]?.userId === update.userId) run.push(update)
    else runs.push([update])
  }
  return runs
}

export class AuditTrail {
  private readonly replicas = new Map<string, Replica>()
  private readonly running = new Map<string, Promise<void>>()

  constructor(private readonly store: DocumentStore) {}

  /**
   * Derives events for every logged update not processed yet. Concurrent calls
   * for the same document share one pass and then run once more.
   */
  catchUp(documentId: string): Promise<void> {
    const previous = this.running.get(documentId) ?? Promise.resolve()
    const next = previous.then(() => this.advance(documentId))
    this.running.set(documentId, next)
    void next.finally(() => {
      if (this.running.get(documentId) === next) this.running.delete(documentId)
    })
    return next
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
    for (const run of runsByUser(updates)) {
      Y.applyUpdate(replica.doc, Y.mergeUpdates(run.map((u) => u.update)))
      const last = run[run.length - 1] as StoredUpdate
      const result = diffAnnotations(state, readAnnotations(replica.doc))
      state = result.state
      for (const event of result.events) {
        records.push({
          seq: last.seq,
          at: last.receivedAt,
          userId: last.userId,
          action: event.action,
          annotationId: event.annotationId,
          kind: event.kind,
          text: event.text,
          from: event.from ?? null,
          to: event.to ?? null,
        })
      }
    }
    const seq = (updates[updates.length - 1] as StoredUpdate).seq
    await this.store.appendAuditEvents(documentId, records, {
      seq,
      state: JSON.stringify([...state]),
    })
    replica.seq = seq
    replica.state = state
  }
}
