/**
 * The history part of the server's REST API: the audit trail, activity counts,
 * versions, the document and its annotations as they were, diffs and restore.
 */
import {
  type Annotation,
  type AnnotationKind,
  AUDIT_ACTIONS,
  type AuditAction,
} from '@hashiya/annotations'
import { request } from './api.js'

export { AUDIT_ACTIONS, type AuditAction }

export interface AuditEvent {
  id: number
  seq: number
  /** ISO 8601 */
  at: string
  userId: string
  action: AuditAction
  annotationId: string
  kind: AnnotationKind
  text: string
  from?: string | null
  to?: string | null
}

export interface HistoryFilter {
  user?: string
  kind?: AnnotationKind
  action?: AuditAction
  /** ISO 8601 */
  from?: string
  /** ISO 8601 */
  to?: string
}

export interface HistoryPage {
  events: AuditEvent[]
  nextCursor: number | null
}

export interface Activity {
  bucket: 'hour' | 'day'
  byUser: { userId: string; count: number }[]
  byKind: { kind: AnnotationKind; count: number }[]
  byTime: { start: string; count: number }[]
}

export interface Version {
  /** `v12` for a named version, `s345` for an automatic checkpoint. */
  id: string
  name: string | null
  auto: boolean
  seq: number
  at: string
  createdBy: string | null
}

export interface DocumentAt {
  title: string
  paragraphs: string[]
  at: { seq: number; time: string }
}

export interface DiffPiece {
  change: 'equal' | 'insert' | 'delete'
  text: string
  userId: string | null
}

export interface DiffParagraph {
  change: 'equal' | 'insert' | 'delete'
  pieces: DiffPiece[]
}

export interface AnnotationChange {
  action: string
  annotationId: string
  kind: AnnotationKind
  text: string
  from?: unknown
  to?: unknown
}

export interface Diff {
  from: { seq: number; time: string }
  to: { seq: number; time: string }
  paragraphs: DiffParagraph[]
  annotations: AnnotationChange[]
}

/** A GET (or a JSON POST) of the history API, through the app's one request function. */
function call<T>(path: string, init: RequestInit = {}, signal?: AbortSignal): Promise<T> {
  return request<T>(path, { ...init, signal })
}

const base = (id: string) => `/api/documents/${encodeURIComponent(id)}`

/** A query string of the defined, non-empty values. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}

export function getHistory(
  docId: string,
  filter: HistoryFilter,
  options: { cursor?: number | null; limit?: number } = {},
  signal?: AbortSignal,
): Promise<HistoryPage> {
  const query = queryString({ ...filter, cursor: options.cursor, limit: options.limit })
  return call<HistoryPage>(`${base(docId)}/history${query}`, {}, signal)
}

export function getActivity(
  docId: string,
  options: { bucket: 'hour' | 'day'; user?: string; kind?: AnnotationKind },
  signal?: AbortSignal,
): Promise<Activity> {
  // days (and hours, in zones off the hour) start at the viewer's midnight, as the chart labels them
  const utcOffset = -new Date().getTimezoneOffset()
  return call<Activity>(
    `${base(docId)}/activity${queryString({ ...options, utcOffset })}`,
    {},
    signal,
  )
}

export async function getVersions(docId: string, signal?: AbortSignal): Promise<Version[]> {
  const { versions } = await call<{ versions: Version[] }>(`${base(docId)}/versions`, {}, signal)
  return versions
}

/** Names the current state (attributed by the server to the signed-in account). */
export async function createVersion(docId: string, name: string): Promise<Version> {
  const { version } = await call<{ version: Version }>(`${base(docId)}/versions`, {
    method: 'POST',
    body: JSON.stringify({ name }),
  })
  return version
}

export async function getDocumentAt(
  docId: string,
  at: string,
  signal?: AbortSignal,
): Promise<DocumentAt> {
  const { document } = await call<{ document: DocumentAt }>(
    `${base(docId)}${queryString({ at })}`,
    {},
    signal,
  )
  return document
}

export async function getAnnotationsAt(
  docId: string,
  at: string,
  signal?: AbortSignal,
): Promise<Annotation[]> {
  const { annotations } = await call<{ annotations: Annotation[] }>(
    `${base(docId)}/annotations${queryString({ at })}`,
    {},
    signal,
  )
  return annotations
}

export function getDiff(
  docId: string,
  from: string,
  to: string | null,
  signal?: AbortSignal,
): Promise<Diff> {
  return call<Diff>(`${base(docId)}/diff${queryString({ from, to })}`, {}, signal)
}

/** Puts the live document back as it was at `at` (attributed to the signed-in account). */
export function restoreVersion(docId: string, at: string): Promise<{ version: Version }> {
  return call<{ version: Version }>(`${base(docId)}/restore`, {
    method: 'POST',
    body: JSON.stringify({ at }),
  })
}
