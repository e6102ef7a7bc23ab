/**
 * Annotation metadata in the Y.Doc: `doc.getMap('annotations')`, one nested
 * Y.Map per annotation id, so that concurrent edits of different fields merge
 * and concurrent edits of the same field converge to one value.
 *
 * Anything can be written there by a faulty or hostile client, so every read
 * goes through `parseRecord`, which rejects rather than guesses.
 */
import * as Y from 'yjs'
import {
  type AnnotationKind,
  isAnnotationKind,
  isRelationType,
  MAX_NOTE_LENGTH,
  MAX_SPEAKER_LENGTH,
  type RelationType,
} from './kinds.js'

export const ANNOTATIONS_FIELD = 'annotations'

/** Field names inside one annotation's Y.Map. */
export const Field = {
  kind: 'kind',
  author: 'author',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  updatedBy: 'updatedBy',
  note: 'note',
  speaker: 'speaker',
  /** Y.Map of target annotation id → relation type. */
  relations: 'relations',
} as const

export interface Relation {
  type: RelationType
  target: string
}

/** The metadata of one annotation, as stored and validated. */
export interface AnnotationRecord {
  id: string
  kind: AnnotationKind
  /** User id of whoever created it. */
  author: string
  /** Milliseconds since the epoch. */
  createdAt: number
  updatedAt: number
  updatedBy: string
  note: string
  speaker: string
  /** Every stored relation, valid or not for the current kinds (readers filter). */
  relations: Relation[]
}

export interface AnnotationProblem {
  annotationId: string
  problem: string
}

export function annotationsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ANNOTATIONS_FIELD)
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function isValidAnnotationId(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id)
}

export function newAnnotationId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12))
  let id = 'a'
  for (const byte of bytes) id += byte.toString(36).padStart(2, '0').slice(-2)
  return id
}

function optionalString(entry: Y.Map<unknown>, field: string, max: number): string | Error {
  const value = entry.get(field)
  if (value === undefined) return ''
  if (typeof value !== 'string') return new Error(`${field} is not a string`)
  if (value.length > max) return new Error(`${field} is longer than ${max} characters`)
  return value
}

/** The most milliseconds from 1970 a JavaScript Date can hold, either way. */
const MAX_TIME = 8.64e15

/** Milliseconds since 1970 that make a valid date (every reader formats it as one). */
function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_TIME
}

/** Validates one stored entry. Returns the record, or the reason it is ignored. */
export function parseRecord(id: string, entry: unknown): AnnotationRecord | AnnotationProblem {
  const problem = (text: string): AnnotationProblem => ({ annotationId: id, problem: text })
  if (!isValidAnnotationId(id)) return problem('invalid id')
  if (!(entry instanceof Y.Map)) return problem('entry is not a map')
  const kind = entry.get(Field.kind)
  if (!isAnnotationKind(kind)) return problem(`unknown kind ${JSON.stringify(kind)}`)
  const author = entry.get(Field.author)
  if (typeof author !== 'string' || author.length === 0) return problem('author is missing')
  const createdAt = entry.get(Field.createdAt)
  if (!isTime(createdAt)) return problem('createdAt is not a time')
  const updatedAtValue = entry.get(Field.updatedAt)
  if (updatedAtValue !== undefined && !isTime(updatedAtValue)) {
    return problem('updatedAt is not a time')
  }
  const updatedByValue = entry.get(Field.updatedBy)
  if (updatedByValue !== undefined && typeof updatedByValue !== 'string') {
    return problem('updatedBy is not a string')
  }
  const note = optionalString(entry, Field.note, MAX_NOTE_LENGTH)
  if (note instanceof Error) return problem(note.message)
  const speaker = optionalString(entry, Field.speaker, MAX_SPEAKER_LENGTH)
  if (speaker instanceof Error) return problem(speaker.message)
  const relations: Relation[] = []
  const storedRelations = entry.get(Field.relations)
  if (storedRelations !== undefined) {
    if (!(storedRelations instanceof Y.Map)) return problem('relations is not a map')
    for (const [target, type] of storedRelations.entries()) {
      if (isValidAnnotationId(target) && isRelationType(type)) relations.push({ type, target })
    }
    relations.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
  }
  return {
    id,
    kind,
    author,
    createdAt,
    updatedAt: typeof updatedAtValue === 'number' ? updatedAtValue : createdAt,
    updatedBy: typeof updatedByValue === 'string' ? updatedByValue : author,
    note,
    speaker,
    relations,
  }
}

export function isProblem(value: AnnotationRecord | AnnotationProblem): value is AnnotationProblem {
  return 'problem' in value
}

/** The Y.Map of one annotation, or null when there is none (or it is not a map). */
export function recordEntry(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  const entry = annotationsMap(doc).get(id)
  return entry instanceof Y.Map ? entry : null
}
