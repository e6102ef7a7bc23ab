/**
 * Where the command works: a running server over its HTTP API, or the data
 * directory directly (for an operator on the machine, with or without a server
 * running — SQLite's write-ahead log lets both read and append safely).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { Accounts, SqliteAccountStore } from '@hashiya/accounts'
import { newDocumentId } from '@hashiya/document'
import {
  type ExportedFile,
  type ExportFormat,
  exportDocument,
  exportSourceOf,
} from '@hashiya/export'
import { loadDocumentAt, resolveHistoryPoint, UnknownVersionError } from '@hashiya/history'
import { ImportError, type ImportResult, importDocument } from '@hashiya/import'
import { type DocumentStore, SqliteDocumentStore } from '@hashiya/storage'

/** A failure the user can act on: printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export interface DocumentListing {
  id: string
  title: string
  updatedAt: string
  lastSeq: number
}

export interface ImportedDocument {
  document: { id: string; title: string }
  report: ImportResult['report']
}

export interface ImportFile {
  filename: string
  bytes: Uint8Array
  /** The text a W3C Web Annotation collection annotates. */
  text?: { filename: string; bytes: Uint8Array }
  title?: string
}

export interface Target {
  /** Where this target is, for messages. */
  readonly description: string
  list(): Promise<DocumentListing[]>
  exportDocument(id: string, format: ExportFormat, at?: string): Promise<ExportedFile>
  importFile(file: ImportFile): Promise<ImportedDocument>
  close(): Promise<void>
}

/** The data directory's store, opened only if the server has created it. */
export function openDataDirectory(dataDir: string, userId: string): Target {
  const filename = join(dataDir, 'hashiya.db')
  if (!existsSync(filename)) {
    throw new CliError(
      `No Hashiya data in ${dataDir} (expected ${filename}). Start the server once, pass --data-dir, or use --server.`,
    )
  }
  const store: DocumentStore = new SqliteDocumentStore({ filename })
  // Lifetimes do not matter here: the command never signs anyone in.
  const accounts = new Accounts(new SqliteAccountStore({ filename }), {
    sessionTtlMs: 0,
    maxTokenTtlMs: 0,
  })
  return {
    description: dataDir,
    async list() {
      return (await store.listDocuments()).map((summary) => ({
        id: summary.id,
        title: summary.title,
        updatedAt: summary.updatedAt.toISOString(),
        lastSeq: summary.lastSeq,
      }))
    },
    async exportDocument(id, format, at) {
      const summary = await store.getDocument(id)
      if (!summary) throw new CliError(`There is no document with id ${id} in ${dataDir}.`)
      let point = null
      try {
        point = at ? await resolveHistoryPoint(store, id, at) : null
      } catch (error) {
        if (error instanceof UnknownVersionError) throw new CliError(error.message)
        throw error
      }
      const doc = await loadDocumentAt(store, id, point?.seq ?? summary.lastSeq)
      try {
        const source = exportSourceOf(doc, {
          documentId: id,
          title: summary.title,
          people: await accounts.displayNames(),
        })
        if (point) source.version = { seq: point.seq, time: new Date(point.at) }
        return await exportDocument(source, format)
      } finally {
        doc.destroy()
      }
    },
    async importFile(file) {
      let result: ImportResult
      try {
        result = await importDocument({
          filename: file.filename,
          bytes: file.bytes,
          text: file.text?.bytes,
          title: file.title,
        })
      } catch (error) {
        if (error instanceof ImportError)
          throw new CliError(`Could not import ${file.filename}: ${error.message}.`)
        throw error
      }
      const summary = await store.createDocument({
        id: newDocumentId(),
        title: result.title.slice(0, 200),
        initialUpdate: result.update,
        userId,
      })
      // Like a document made in the browser, it belongs to the account it is attributed to.
      if (await accounts.getUser(userId)) await accounts.share(summary.id, userId, 'owner', userId)
      return { document: { id: summary.id, title: summary.title }, report: result.report }
    },
    close: async () => {
      await accounts.close()
      await store.close()
    },
  }
}

interface ApiErrorBody {
  error?: { code?: string; message?: string }
}

/** The file name a download names in `Content-Disposition` (RFC 6266 `filename*` first). */
export function filenameOf(disposition: string | null, fallback: string): string {
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')
  if (extended?.[1]) return decodeURIComponent(extended[1])
  const plain = /filename="([^"]+)"/i.exec(disposition ?? '')
  return plain?.[1] ?? fallback
}

/** A running server's API; `token` is sent as a bearer token when given. */
export function connectToServer(serverUrl: string, token?: string): Target {
  let base: URL
  try {
    base = new URL(serverUrl)
  } catch {
    throw new CliError(`--server must be a URL such as http://127.0.0.1:8787, not ${serverUrl}.`, 2)
  }
  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers)
    if (token) headers.set('authorization', `Bearer ${token}`)
    let response: Response
    try {
      response = await fetch(new URL(path, base), { ...init, headers })
    } catch (error) {
      const reason =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)
      throw new CliError(`Could not reach the server at ${base.origin}: ${reason}.`)
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as ApiErrorBody
      const hint =
        response.status === 401
          ? ' Pass --token (or set HASHIYA_TOKEN) with a token from POST /api/tokens.'
          : ''
      throw new CliError(
        `The server answered ${response.status}: ${body.error?.message ?? response.statusText}${hint}`,
      )
    }
    return response
  }
  return {
    description: base.origin,
    async list() {
      const body = (await (await request('/api/documents')).json()) as {
        documents: DocumentListing[]
      }
      return body.documents
    },
    async exportDocument(id, format, at) {
      const query = new URLSearchParams({ format })
      if (at) query.set('at', at)
      const response = await request(`/api/documents/${encodeURIComponent(id)}/export?${query}`)
      return {
        filename: filenameOf(response.headers.get('content-disposition'), `${id}.${format}`),
        contentType: response.headers.get('content-type') ?? 'application/octet-stream',
        body: new Uint8Array(await response.arrayBuffer()),
      }
    },
    async importFile(file) {
      const form = new FormData()
      form.set('file', new Blob([file.bytes]), file.filename)
      if (file.text) form.set('text', new Blob([file.text.bytes]), file.text.filename)
      if (file.title) form.set('title', file.title)
      const response = await request('/api/documents/import', { method: 'POST', body: form })
      return (await response.json()) as ImportedDocument
    },
    close: async () => {},
  }
}
