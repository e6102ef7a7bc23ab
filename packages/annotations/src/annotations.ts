/**
 * Reading and changing annotations: the operations every surface (editor,
 * REST API, importers) shares. Each change is one Yjs transaction, so it is one
 * update on the wire and one step for the user's undo.
 */
import * as Y from 'yjs'
import {
  type AnnotationKind,
  isAnnotationKind,
  MAX_NOTE_LENGTH,
  MAX_SPEAKER_LENGTH,
  relationTypeFor,
} from './kinds.js'
import { annotationIdOfAttribute, annotationMarkKey } from './mark.js'
import { isGraphemeBoundary, layoutPlainText, segmentsOfRange } from './positions.js'
import { markedRanges } from './reader.js'
import {
  annotationsMap,
  Field,
  isValidAnnotationId,
  newAnnotationId,
  recordEntry,
} from './records.js'

export class AnnotationError extends Error {
  constructor(
    readonly code:
      | 'invalid-kind'
      | 'invalid-range'
      | 'empty-range'
      | 'not-found'
      | 'invalid-relation'
      | 'too-long',
    message: string,
  ) {
    super(message)
    this.name = 'AnnotationError'
  }
}

export interface NewAnnotation {
  kind: AnnotationKind
  start: number
  end: number
  author: string
  note?: string
  speaker?: string
  id?: string
  now?: number
}

function checkText(field: 'note' | 'speaker', value: string | undefined): void {
  const max = field === 'note' ? MAX_NOTE_LENGTH : MAX_SPEAKER_LENGTH
  if (value !== undefined && value.length > max) {
    throw new AnnotationError('too-long', `${field} must be at most ${max} characters`)
  }
}

/** Writes a new metadata entry; the caller marks the text (or already has). */
export function writeRecord(
  doc: Y.Doc,
  input: Omit<NewAnnotation, 'start' | 'end'> & { id: string },
  origin?: unknown,
): void {
  if (!isAnnotationKind(input.kind)) {
    throw new AnnotationError('invalid-kind', `kind must be one of quote, claim, denial, aside`)
  }
  checkText('note', input.note)
  checkText('speaker', input.speaker)
  const now = input.now ?? Date.now()
  doc.transact(() => {
    const entry = new Y.Map<unknown>()
    entry.set(Field.kind, input.kind)
    entry.set(Field.author, input.author)
    entry.set(Field.createdAt, now)
    entry.set(Field.updatedAt, now)
    entry.set(Field.updatedBy, input.author)
    entry.set(Field.note, input.note ?? '')
    entry.set(Field.speaker, input.speaker ?? '')
    entry.set(Field.relations, new Y.Map<unknown>())
    annotationsMap(doc).set(input.id, entry)
  }, origin)
}

/**
 * Tags a code-point range: marks its text (as the editor's mark would be stored)
 * and writes the metadata, in one transaction. Returns the new id.
 */
export function createAnnotation(doc: Y.Doc, input: NewAnnotation, origin?: unknown): string {
  const { start, end } = input
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0) {
    throw new AnnotationError('invalid-range', 'start and end must be whole, non-negative numbers')
  }
  if (end <= start) throw new AnnotationError('empty-range', 'end must be greater than start')
  const layout = layoutPlainText(doc)
  const length = layout.runs.length > 0 ? (layout.runs[layout.runs.length - 1]?.end as number) : 0
  if (end > length) {
    throw new AnnotationError('invalid-range', `end ${end} is past the end of the text (${length})`)
  }
  if (!isGraphemeBoundary(layout.text, start) || !isGraphemeBoundary(layout.text, end)) {
    throw new AnnotationError(
      'invalid-range',
      'the range would split a letter from its marks (harakat); widen it to whole letters',
    )
  }
  const segments = segmentsOfRange(layout, start, end)
  if (segments.length === 0) {
    throw new AnnotationError('empty-range', 'the range covers no text, only paragraph breaks')
  }
  const id = input.id ?? newAnnotationId()
  if (!isValidAnnotationId(id)) throw new AnnotationError('invalid-range', 'invalid annotation id')
  const key = annotationMarkKey(id)
  doc.transact(() => {
    for (const segment of segments) {
      segment.yText.format(segment.index, segment.length, { [key]: { id } })
    }
    writeRecord(doc, { ...input, id }, origin)
  }, origin)
  return id
}

export interface AnnotationPatch {
  kind?: AnnotationKind
  note?: string
  speaker?: string
  /** Claims to link to (a denial denies them, a quote states them). */
  link?: readonly string[]
  /** Claims to unlink from. */
  unlink?: readonly string[]
}

function relationsOf(entry: Y.Map<unknown>): Y.Map<unknown> {
  const relations = entry.get(Field.relations)
  if (relations instanceof Y.Map) return relations
  const created = new Y.Map<unknown>()
  entry.set(Field.relations, created)
  return created
}

/**
 * Changes one annotation: fields, and links to claims. Everything is checked
 * before anything is written, so a refused patch changes nothing; untouched
 * fields keep concurrent edits by others.
 */
export function updateAnnotation(
  doc: Y.Doc,
  id: string,
  patch: AnnotationPatch,
  by: string,
  origin?: unknown,
  now = Date.now(),
): void {
  const entry = recordEntry(doc, id)
  if (!entry) throw new AnnotationError('not-found', `no annotation ${id}`)
  if (patch.kind !== undefined && !isAnnotationKind(patch.kind)) {
    throw new AnnotationError('invalid-kind', 'kind must be one of quote, claim, denial, aside')
  }
  checkText('note', patch.note)
  checkText('speaker', patch.speaker)
  const link = patch.link ?? []
  if (link.length > 0) {
    const kind = patch.kind ?? entry.get(Field.kind)
    const type = isAnnotationKind(kind) ? relationTypeFor(kind) : null
    for (const targetId of link) {
      const target = recordEntry(doc, targetId)
      if (!target) throw new AnnotationError('not-found', `no annotation ${targetId}`)
      if (!type || target.get(Field.kind) !== 'claim' || targetId === id) {
        throw new AnnotationError(
          'invalid-relation',
          'only a denial (denies) or a quote (states) can link to a claim',
        )
      }
    }
  }
  doc.transact(() => {
    if (patch.kind !== undefined && entry.get(Field.kind) !== patch.kind)
      entry.set(Field.kind, patch.kind)
    if (patch.note !== undefined && entry.get(Field.note) !== patch.note)
      entry.set(Field.note, patch.note)
    if (patch.speaker !== undefined && entry.get(Field.speaker) !== patch.speaker) {
      entry.set(Field.speaker, patch.speaker)
    }
    if (link.length > 0 || (patch.unlink ?? []).length > 0) {
      const relations = relationsOf(entry)
      const kind = entry.get(Field.kind)
      const type = isAnnotationKind(kind) ? relationTypeFor(kind) : null
      for (const targetId of link) relations.set(targetId, type)
      for (const targetId of patch.unlink ?? []) relations.delete(targetId)
    }
    entry.set(Field.updatedAt, now)
    entry.set(Field.updatedBy, by)
  }, origin)
}

/** Adds or removes the link from `sourceId` (a denial or a quote) to a claim. */
export function setRelation(
  doc: Y.Doc,
  sourceId: string,
  targetId: string,
  linked: boolean,
  by: string,
  origin?: unknown,
  now = Date.now(),
): void {
  updateAnnotation(
    doc,
    sourceId,
    linked ? { link: [targetId] } : { unlink: [targetId] },
    by,
    origin,
    now,
  )
}

/** Removes an annotation: its marks everywhere and its metadata, in one transaction. */
export function deleteAnnotation(doc: Y.Doc, id: string, origin?: unknown): void {
  const entry = annotationsMap(doc).get(id)
  const layout = layoutPlainText(doc)
  const marked = markedRanges(layout.runs).get(id) ?? []
  if (entry === undefined && marked.length === 0) {
    throw new AnnotationError('not-found', `no annotation ${id}`)
  }
  doc.transact(() => {
    for (const run of layout.runs) {
      for (const [key, value] of Object.entries(run.attributes)) {
        if (annotationIdOfAttribute(key, value) === id) {
          run.yText.format(run.yIndex, run.text.length, { [key]: null })
        }
      }
    }
    annotationsMap(doc).delete(id)
  }, origin)
}
