/**
 * Reading a document now or as it was: `?at=` (a version id, a log position or
 * an ISO time) rebuilds it from the update log in a throwaway Y.Doc, so viewing
 * history never touches the live document.
 */
import {
  type HistoryPoint,
  loadDocumentAt,
  MalformedHistoryPointError,
  resolveHistoryPoint,
  UnknownVersionError,
} from '@hashiya/history'
import type { DocumentStore } from '@hashiya/storage'
import type { SyncServer } from '@hashiya/sync-server'
import type { Context } from 'hono'
import type * as Y from 'yjs'
import { ApiError } from './errors.js'
import { documentNotFound } from './request.js'

export interface ReadAtResult<T> {
  value: T
  /** The point in history that was read, or null for the live document. */
  at: HistoryPoint | null
}

export async function readAt<T>(
  c: Context,
  parts: { store: DocumentStore; sync: SyncServer },
  documentId: string,
  read: (doc: Y.Doc) => T,
): Promise<ReadAtResult<T>> {
  const at = c.req.query('at')
  if (at === undefined || at === '') {
    const value = await parts.sync.read(documentId, read)
    if (value === null) throw documentNotFound(documentId)
    return { value, at: null }
  }
  // a time or position just passed may name a change applied but not yet stored
  await parts.sync.whenStored(documentId)
  if (!(await parts.store.getDocument(documentId))) throw documentNotFound(documentId)
  const point = await resolvePoint(parts.store, documentId, at)
  const doc = await loadDocumentAt(parts.store, documentId, point.seq)
  try {
    return { value: read(doc), at: point }
  } finally {
    doc.destroy()
  }
}

/**
 * Resolves `at` (a version id, `s<seq>` or an ISO time), or answers 400 when it
 * is none of those and 404 when it names nothing in this document's history.
 */
export async function resolvePoint(
  store: DocumentStore,
  documentId: string,
  at: string,
): Promise<HistoryPoint> {
  try {
    return await resolveHistoryPoint(store, documentId, at)
  } catch (error) {
    if (error instanceof MalformedHistoryPointError)
      throw new ApiError(400, 'invalid-query', error.message)
    if (error instanceof UnknownVersionError)
      throw new ApiError(404, 'version-not-found', error.message)
    throw error
  }
}

export function historyPointToJson(point: HistoryPoint | null) {
  return point ? { seq: point.seq, time: new Date(point.at).toISOString() } : null
}
