/**
 * The server's REST API (relative URLs: the Vite dev server proxies /api, and in
 * production the server serves this app itself).
 */

export interface DocumentSummary {
  id: string
  title: string
  /** ISO 8601 */
  createdAt: string
  /** ISO 8601 */
  updatedAt: string
  /** Bytes stored on the server. */
  size: number
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
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Reads `{ error: { code, message } }` from a failed response body, tolerating anything else. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const error =
    typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown }
    return new ApiError(
      status,
      typeof code === 'string' && code ? code : `http_${status}`,
      typeof message === 'string' ? message : '',
    )
  }
  return new ApiError(status, `http_${status}`, '')
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      ...init,
      headers: {
        Accept: 'application/json',
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        ...init.headers,
      },
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError(0, 'network', '')
  }
  if (response.status === 204) return undefined as T
  let body: unknown
  try {
    body = await response.json()
  } catch {
    if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, '')
    throw new ApiError(response.status, 'bad_response', '')
  }
  if (!response.ok) throw errorFromBody(response.status, body)
  return body as T
}

const documentPath = (id: string) => `/api/documents/${encodeURIComponent(id)}`

export async function listDocuments(signal?: AbortSignal): Promise<DocumentSummary[]> {
  const { documents } = await request<{ documents: DocumentSummary[] }>('/api/documents', {
    signal,
  })
  return documents
}

export async function getDocument(id: string, signal?: AbortSignal): Promise<DocumentDetail> {
  const { document } = await request<{ document: DocumentDetail }>(documentPath(id), { signal })
  return document
}

export async function createDocument(input: {
  title: string
  body: string
}): Promise<DocumentSummary> {
  const { document } = await request<{ document: DocumentSummary }>('/api/documents', {
    method: 'POST',
    body: JSON.stringify(input),
  })
  return document
}

export async function renameDocument(id: string, title: string): Promise<DocumentSummary> {
  const { document } = await request<{ document: DocumentSummary }>(documentPath(id), {
    method: 'PATCH',
    body: JSON.stringify({ title }),
  })
  return document
}

export async function deleteDocument(id: string): Promise<void> {
  await request<void>(documentPath(id), { method: 'DELETE' })
}
