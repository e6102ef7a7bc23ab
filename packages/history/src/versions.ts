/**
 * Versions: names users give to moments of a document, automatic checkpoints
 * after pauses in activity, and the document rebuilt exactly as it was at any
 * of them. Everything points into the update log by sequence number, so a
 * version costs a row, and any past state can be rebuilt from the log.
 */
import { createYDoc } from '@hashiya/document'
import type { DocumentStore } from '@hashiya/storage'
import * as Y from 'yjs'

export interface VersionInfo {
  /** `v<n>` for a named version, `s<seq>` for an automatic checkpoint. */
  id: string
  name: string | null
  auto: boolean
  seq: number
  /** When the version was taken (named) or the last update before the pause (automatic), ms. */
  at: number
  createdBy: string | null
}

/** A point in a document's history, resolved to a position in its log. */
export interface HistoryPoint {
  seq: number
  /** Server time of the update at `seq`. */
  at: number
}

export class UnknownVersionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnknownVersionError'
  }
}

/** `at` is not a version id, a log position or an ISO time at all. */
export class MalformedHistoryPointError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MalformedHistoryPointError'
  }
}

export interface VersionOptions {
  /** Silence after which the last update counts as an automatic checkpoint. */
  pauseMs: number
  limit?: number
  now?: number
}

/** Named versions and automatic checkpoints, newest first. */
export async function listVersions(
  store: DocumentStore,
  documentId: string,
  options: VersionOptions,
): Promise<VersionInfo[]> {
  const now = options.now ?? Date.now()
  const limit = options.limit ?? 200
  const [named, pauses] = await Promise.all([
    store.listVersions(documentId),
    store.listPauses(documentId, options.pauseMs, limit),
  ])
  const versions: VersionInfo[] = [
    ...named.map((v) => ({
      id: `v${v.id}`,
      name: v.name,
      auto: false,
      seq: v.seq,
      at: v.createdAt,
      createdBy: v.createdBy,
    })),
    ...pauses
      // a checkpoint where a version was named (a restore, say) would be the same state twice
      .filter(
        (pause) => pause.at + options.pauseMs <= now && !named.some((v) => v.seq === pause.seq),
      )
      .map((pause) => ({
        id: `s${pause.seq}`,
        name: null,
        auto: true,
        seq: pause.seq,
        at: pause.at,
        createdBy: null,
      })),
  ]
  return versions.sort((a, b) => b.seq - a.seq || Number(a.auto) - Number(b.auto)).slice(0, limit)
}

/**
 * Resolves `at`: a version id (`v12`), a log position (`s345`), or a time (ISO
 * 8601). Throws `MalformedHistoryPointError` when it is none of those, and
 * `UnknownVersionError` when it names nothing in the history, each with a
 * message a person can act on.
 */
export async function resolveHistoryPoint(
  store: DocumentStore,
  documentId: string,
  at: string,
): Promise<HistoryPoint> {
  let seq: number
  const named = /^v(\d{1,15})$/.exec(at)
  const position = /^s(\d{1,15})$/.exec(at)
  if (named) {
    const version = (await store.listVersions(documentId)).find((v) => v.id === Number(named[1]))
    if (!version) throw new UnknownVersionError(`There is no version ${at}.`)
    seq = version.seq
  } else if (position) {
    seq = Number(position[1])
  } else {
    const time = Date.parse(at)
    if (!/^\d{4}-\d{2}-\d{2}/.test(at) || !Number.isFinite(time)) {
      throw new MalformedHistoryPointError(
        'at must be a version id (v12), a log position (s345) or an ISO time.',
      )
    }
    seq = await store.seqAtTime(documentId, time)
    if (seq === 0) throw new UnknownVersionError(`The document did not exist yet at ${at}.`)
  }
  const time = await store.timeOfSeq(documentId, seq)
  if (time === null) throw new UnknownVersionError(`The document's history has no position ${seq}.`)
  return { seq, at: time }
}

/** The document exactly as it was after update `seq`; the caller destroys it. */
export async function loadDocumentAt(
  store: DocumentStore,
  documentId: string,
  seq: number,
): Promise<Y.Doc> {
  const updates = await store.readLog(documentId, 0, seq)
  const doc = createYDoc()
  if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates.map((u) => u.update)))
  return doc
}
