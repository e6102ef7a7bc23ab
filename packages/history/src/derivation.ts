/**
 * The audit trail's derivation: replicas of documents advanced through logged
 * updates, and the annotation events each update caused.
 *
 * Pure work on documents, with no storage: the trail reads the log and stores
 * the events, and this part runs wherever the trail puts it (a worker thread in
 * the server, so that re-reading annotations never holds back the sync core's
 * event loop). A live `AnnotationReader` on each replica names the annotations
 * an update touched, so only those are compared. The result depends on the log
 * alone, never on when a pass ran.
 */
import { AnnotationReader } from '@hashiya/annotations'
import { createYDoc } from '@hashiya/document'
import type { AuditEventRecord, StoredUpdate } from '@hashiya/storage'
import * as Y from 'yjs'
import { type AuditState, diffChanges, type TrackedAnnotation } from './audit.js'

export interface DerivationRequest {
  documentId: string
  /**
   * Where to start a replica (the deriver holds none, or must drop the one it
   * holds): the logged updates up to `seq` and the tracked state stored with them.
   */
  start?: { seq: number; updates: Uint8Array[]; state: string | null }
  /** Logged updates after the replica's last one, in log order. */
  updates: StoredUpdate[]
  /**
   * When a pass finds no events, its tracked state is returned only once its
   * last update reaches this log position (quiet typing costs no state copy).
   */
  stateDueAtSeq: number
}

export interface DerivationResult {
  records: AuditEventRecord[]
  /** The last update applied (the replica's position now). */
  seq: number
  /** The tracked state after that update, as stored progress; null when not due. */
  state: string | null
}

interface Replica {
  doc: Y.Doc
  reader: AnnotationReader
  seq: number
  state: AuditState
}

export class AuditDerivation {
  private readonly replicas = new Map<string, Replica>()

  /**
   * Applies the request's updates to the document's replica and returns the
   * events they caused; null when there is no replica and no `start` to make
   * one (the deriver was restarted: the trail asks again with a start). A
   * failing update drops the replica: its state ran ahead of what is stored.
   */
  derive(request: DerivationRequest): DerivationResult | null {
    const { documentId } = request
    if (request.start) {
      this.forget(documentId)
      this.replicas.set(documentId, startReplica(request.start))
    }
    const replica = this.replicas.get(documentId)
    if (!replica) return null
    const records: AuditEventRecord[] = []
    try {
      for (const update of request.updates) {
        if (update.seq <= replica.seq) continue
        Y.applyUpdate(replica.doc, update.update)
        replica.seq = update.seq
        const { changed } = replica.reader.readChanges()
        if (changed.size === 0) continue
        for (const event of diffChanges(replica.state, changed)) {
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
    } catch (error) {
      this.forget(documentId)
      throw error
    }
    const due = records.length > 0 || replica.seq >= request.stateDueAtSeq
    return {
      records,
      seq: replica.seq,
      state: due ? JSON.stringify([...replica.state]) : null,
    }
  }

  /** Drops a document's replica (unloaded or deleted). */
  forget(documentId: string): void {
    const replica = this.replicas.get(documentId)
    if (!replica) return
    replica.reader.destroy()
    replica.doc.destroy()
    this.replicas.delete(documentId)
  }
}

function startReplica(start: NonNullable<DerivationRequest['start']>): Replica {
  const doc = createYDoc()
  if (start.updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(start.updates))
  const reader = new AnnotationReader(doc)
  // What is already applied is in the stored state: only later updates are compared.
  reader.readChanges()
  const entries = start.state ? (JSON.parse(start.state) as [string, TrackedAnnotation][]) : []
  return { doc, reader, seq: start.seq, state: new Map(entries) }
}
