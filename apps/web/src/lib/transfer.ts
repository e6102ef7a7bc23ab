/**
 * Export and import: links to the server's export files, the batch export
 * (a zip downloaded through a blob), and the import upload (XMLHttpRequest, so
 * that the upload's progress can be shown).
 */
import type { TFunction } from 'i18next'
import {
  ApiError,
  type DocumentSummary,
  errorFromBody,
  parseRetryAfter,
  reportSignedOut,
} from './api.js'

/** The formats the server exports, in the order the menus list them. */
export const EXPORT_FORMATS = [
  'json',
  'w3c',
  'html',
  'docx',
  'csv',
  'brat',
  'labelstudio',
  'labelstudio-config',
] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Formats that make sense once per document in a zip (the Label Studio config is one file for all). */
export const BATCH_FORMATS: readonly ExportFormat[] = EXPORT_FORMATS.filter(
  (format) => format !== 'labelstudio-config',
)

const FORMAT_KEYS = {
  json: 'json',
  w3c: 'w3c',
  html: 'html',
  docx: 'docx',
  csv: 'csv',
  brat: 'brat',
  labelstudio: 'labelstudio',
  'labelstudio-config': 'labelstudioConfig',
} as const satisfies Record<ExportFormat, string>

/** The i18n key of a format (`export.formats.<key>.label` / `.description`). */
export function formatKey<F extends ExportFormat>(format: F): (typeof FORMAT_KEYS)[F] {
  return FORMAT_KEYS[format]
}

/** The largest upload the server accepts (MAX_BODY_BYTES' default). */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024

/** `GET /api/documents/:id/export?format=&at=`: a file the browser downloads. */
export function exportUrl(id: string, format: ExportFormat, at?: string | null): string {
  const query = new URLSearchParams({ format })
  if (at) query.set('at', at)
  return `/api/documents/${encodeURIComponent(id)}/export?${query}`
}

/** The file name a `Content-Disposition` header suggests (RFC 6266: `filename*` wins). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header)
  if (extended?.[2]) {
    try {
      return decodeURIComponent(extended[2].trim())
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(header)
  const name = (plain?.[1] ?? plain?.[2] ?? '').trim()
  return name || fallback
}

/** Saves a blob under a name, through a temporary object URL and link. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // after the click has handed the URL to the download
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** `POST /api/export`: several documents in one zip. */
export async function exportDocuments(
  format: ExportFormat,
  ids: readonly string[],
): Promise<{ blob: Blob; filename: string }> {
  let response: Response
  try {
    response = await fetch('/api/export', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/zip, application/json' },
      body: JSON.stringify({ format, ids }),
    })
  } catch {
    throw new ApiError(0, 'network', '')
  }
  if (!response.ok) {
    if (response.status === 401) reportSignedOut()
    let body: unknown
    try {
      body = await response.json()
    } catch {
      body = undefined
    }
    throw errorFromBody(response.status, body, parseRetryAfter(response.headers.get('Retry-After')))
  }
  const blob = await response.blob()
  const filename = filenameFromDisposition(
    response.headers.get('Content-Disposition'),
    `hashiya-export-${format}.zip`,
  )
  return { blob, filename }
}

/** Something an import left out: a code with its values, and the server's English wording. */
export interface DroppedItem {
  code?: string
  params?: Record<string, string | number>
  what: string
  reason: string
}

export interface ImportReport {
  format: string
  paragraphs: number
  annotations: number
  dropped: DroppedItem[]
}

export interface ImportResult {
  document: DocumentSummary
  report: ImportReport
}

export interface ImportInput {
  file: File
  /** The plain text a W3C Web Annotation collection annotates. */
  text?: File | null
  title?: string
}

/**
 * `POST /api/documents/import` (multipart). `onProgress` gets the fraction of
 * the upload sent (0–1). Rejects with an `ApiError` carrying the server's message.
 */
export function importDocument(
  input: ImportInput,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const form = new FormData()
    form.append('file', input.file, input.file.name)
    if (input.text) form.append('text', input.text, input.text.name)
    if (input.title) form.append('title', input.title)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/documents/import')
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total)
    })
    xhr.addEventListener('load', () => {
      let body: unknown
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = undefined
      }
      if (xhr.status >= 200 && xhr.status < 300 && isImportResult(body)) {
        onProgress(1)
        resolve(body)
      } else if (xhr.status >= 200 && xhr.status < 300) {
        reject(new ApiError(xhr.status, 'bad_response', ''))
      } else {
        if (xhr.status === 401) reportSignedOut()
        reject(
          errorFromBody(xhr.status, body, parseRetryAfter(xhr.getResponseHeader('Retry-After'))),
        )
      }
    })
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', '')))
    xhr.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
    signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(form)
  })
}

function isImportResult(body: unknown): body is ImportResult {
  if (typeof body !== 'object' || body === null) return false
  const { document, report } = body as { document?: unknown; report?: unknown }
  if (typeof document !== 'object' || document === null) return false
  if (typeof (document as { id?: unknown }).id !== 'string') return false
  if (typeof report !== 'object' || report === null) return false
  const r = report as Partial<ImportReport>
  return typeof r.paragraphs === 'number' && typeof r.annotations === 'number'
}

/** The report's `dropped` list, tolerant of a server that leaves it out. */
export function droppedOf(report: ImportReport): DroppedItem[] {
  return Array.isArray(report.dropped) ? report.dropped : []
}

/**
 * An item of the import report in the reader's language, from its code; the
 * server's English words for codes this app does not know (a newer server),
 * and for details only the importer's libraries can word (Word's warnings,
 * the annotation model's refusals).
 */
export function droppedWording(item: DroppedItem, t: TFunction): { what: string; reason: string } {
  const value = (name: string) => String(item.params?.[name] ?? '')
  switch (item.code) {
    case 'element-removed':
      return { what: item.what, reason: t('import.drops.elementRemoved') }
    case 'word-formatting':
      return { what: t('import.drops.wordFormatting'), reason: value('detail') }
    case 'word-comments':
      return {
        what: t('import.drops.wordComments', { number: value('count') }),
        reason: t('import.drops.wordCommentsReason'),
      }
    case 'annotation-invalid':
      return {
        what: t('import.drops.annotation', { text: value('text') }),
        reason: t('import.drops.annotationInvalid', { detail: value('detail') }),
      }
    case 'link-target-missing':
      return {
        what: t('import.drops.link', { id: value('id'), target: value('target') }),
        reason: t('import.drops.linkTargetMissing'),
      }
    case 'links-invalid':
      return { what: t('import.drops.links', { id: value('id') }), reason: value('detail') }
    case 'not-web-annotation':
      return { what: t('import.drops.item'), reason: t('import.drops.notWebAnnotation') }
    case 'unknown-kind':
      return { what: item.what, reason: t('import.drops.unknownKind', { kind: value('kind') }) }
    case 'text-not-found':
      return {
        what: t('import.drops.annotation', { text: value('text') }),
        reason: t('import.drops.textNotFound'),
      }
    default:
      return { what: item.what, reason: item.reason }
  }
}

/**
 * Whether a file's text is a W3C Web Annotation document (which annotates a
 * separate text file): a JSON-LD `@context` naming the anno vocabulary, or
 * annotations with `target.selector`s, and no Hashiya `paragraphs`/`text`.
 */
export function looksLikeW3c(text: string): boolean {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return false
  }
  if (typeof value !== 'object' || value === null) return false
  const json = JSON.stringify((value as { '@context'?: unknown })['@context'] ?? '')
  if (json.includes('w3.org/ns/anno')) return true
  const items = Array.isArray(value)
    ? value
    : ((value as { items?: unknown; first?: { items?: unknown } }).items ??
      (value as { first?: { items?: unknown } }).first?.items)
  return (
    Array.isArray(items) &&
    items.some(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        (item as { type?: unknown }).type === 'Annotation',
    )
  )
}

/** Reads the start of a file and says whether it looks like W3C Web Annotation JSON-LD. */
export async function fileLooksLikeW3c(file: File): Promise<boolean> {
  const name = file.name.toLowerCase()
  if (name.endsWith('.jsonld')) return true
  if (!name.endsWith('.json') || name.endsWith('.hashiya.json')) return false
  if (file.size > MAX_IMPORT_BYTES) return false
  try {
    return looksLikeW3c(await file.text())
  } catch {
    return false
  }
}
