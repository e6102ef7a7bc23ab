/**
 * The server's REST API (relative URLs: the Vite dev server proxies /api, and in
 * production the server serves this app itself). Requests carry the session
 * cookie (same origin only); a 401 from any of them means the session is gone,
 * which `onSignedOut` listeners hear about (the app then shows the sign-in page).
 */
import { type DocumentPermission, isDocumentPermission } from './permissions.js'

export interface DocumentSummary {
  id: string
  title: string
  /** ISO 8601 */
  createdAt: string
  /** ISO 8601 */
  updatedAt: string
  /** Bytes stored on the server. */
  size: number
  /** What the signed-in person may do with it. */
  permission: DocumentPermission
}

export interface DocumentDetail extends DocumentSummary {
  paragraphs: string[]
}

export const MAX_TITLE_LENGTH = 200
export const MAX_BODY_BYTES = 2 * 1024 * 1024

/** A failed request. `message` is the server's, meant for people; it may be empty. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's error code, `network` when there was no answer, `bad_response` when it was unreadable. */
    readonly code: string,
    message: string,
    /** Seconds to wait before trying again (a 429's `Retry-After`), when the server said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (!header) return null
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text)
  const date = Date.parse(text)
  if (!Number.isFinite(date)) return null
  return Math.max(0, Math.ceil((date - now) / 1000))
}

type SignedOutListener = () => void
const signedOutListeners = new Set<SignedOutListener>()

/** Called whenever the server answers 401 to a request made while signed in. */
export function onSignedOut(listener: SignedOutListener): () => void {
  signedOutListeners.add(listener)
  return () => signedOutListeners.delete(listener)
}

/** Tells the app the session is gone (a 401, a WebSocket closed with 4401). */
export function reportSignedOut(): void {
  for (const listener of [...signedOutListeners]) listener()
}

const forbiddenListeners = new Set<() => void>()

/**
 * Called when the server answers 403: the account's role may have changed
 * since the app asked, so what the interface offers may be out of date.
 */
export function onForbidden(listener: () => void): () => void {
  forbiddenListeners.add(listener)
  return () => forbiddenListeners.delete(listener)
}

function reportForbidden(): void {
  for (const listener of [...forbiddenListeners]) listener()
}

/** Reads `{ error: { code, message } }` from a failed response body, tolerating anything else. */
export function errorFromBody(
  status: number,
  body: unknown,
  retryAfter: number | null = null,
): ApiError {
  const error =
    typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown }
    return new ApiError(
      status,
      typeof code === 'string' && code ? code : `http_${status}`,
      typeof message === 'string' ? message : '',
      retryAfter,
    )
  }
  return new ApiError(status, `http_${status}`, '', retryAfter)
}

export interface RequestOptions extends RequestInit {
  /**
   * A 401 is an expected answer (signing in, asking whether signed in): it is
   * thrown but does not report the session as gone.
   */
  signedOutIsAnswer?: boolean
}

/** A JSON request to the API: the session cookie goes along, failures become `ApiError`s. */
export async function request<T>(path: string, init: RequestOptions = {}): Promise<T> {
  const { signedOutIsAnswer = false, ...rest } = init
  let response: Response
  try {
    response = await fetch(path, {
      ...rest,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(rest.body ? { 'Content-Type': 'application/json' } : {}),
        ...rest.headers,
      },
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError(0, 'network', '')
  }
  if (response.status === 401 && !signedOutIsAnswer) reportSignedOut()
  if (response.status === 403) reportForbidden()
  if (response.status === 204) return undefined as T
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'))
  let body: unknown
  try {
    body = await response.json()
  } catch {
    if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, '', retryAfter)
    throw new ApiError(response.status, 'bad_response', '')
  }
  if (!response.ok) throw errorFromBody(response.status, body, retryAfter)
  return body as T
}

/** A document as the server sent it, with a permission the app understands (`fallback` else). */
function withPermission<D extends { permission?: unknown }>(
  document: D,
  fallback: DocumentPermission = 'read',
): D & DocumentSummary {
  return {
    ...document,
    permission: isDocumentPermission(document.permission) ? document.permission : fallback,
  } as D & DocumentSummary
}

const documentPath = (id: string) => `/api/documents/${encodeURIComponent(id)}`

export async function listDocuments(signal?: AbortSignal): Promise<DocumentSummary[]> {
  const { documents } = await request<{ documents: DocumentSummary[] }>('/api/documents', {
    signal,
  })
  return documents.map((document) => withPermission(document))
}

export async function getDocument(id: string, signal?: AbortSignal): Promise<DocumentDetail> {
  const { document } = await request<{ document: DocumentDetail }>(documentPath(id), { signal })
  return withPermission(document)
}

export async function createDocument(input: {
  title: string
  body: string
}): Promise<DocumentSummary> {
  const { document } = await request<{ document: DocumentSummary }>('/api/documents', {
    method: 'POST',
    body: JSON.stringify(input),
  })
  return withPermission(document, 'manage')
}

export async function renameDocument(id: string, title: string): Promise<DocumentSummary> {
  const { document } = await request<{ document: DocumentSummary }>(documentPath(id), {
    method: 'PATCH',
    body: JSON.stringify({ title }),
  })
  return withPermission(document, 'manage')
}

export async function deleteDocument(id: string): Promise<void> {
  await request<void>(documentPath(id), { method: 'DELETE' })
}
