/**
 * The annotation audit trail, derived rather than trusted: compare what readers
 * saw before an update with what they see after it, and name the difference.
 * The server runs this over its own update log, so every event carries the user
 * the log attributes the update to and the server's clock, never a client's word.
 */
import {
  type Annotation,
  type AnnotationKind,
  type AnnotationReading,
  AUDIT_ACTIONS,
  type AuditAction,
  compareDocumentOrder,
  type Relation,
} from '@hashiya/annotations'

export { AUDIT_ACTIONS, type AuditAction }

/** What the trail remembers of one annotation between two updates. */
export interface TrackedAnnotation {
  kind: AnnotationKind
  note: string
  speaker: string
  text: string
  relations: Relation[]
  /** False once it stopped being listed (metadata removed or all its text deleted). */
  listed: boolean
}

export type AuditState = Map<string, TrackedAnnotation>

export interface AuditEvent {
  action: AuditAction
  annotationId: string
  /** The kind after the change (before it, for a deletion). */
  kind: AnnotationKind
  /** The quoted text at that moment (the last text it had, for a deletion). */
  text: string
  /** For changes: the previous and new value (kinds, notes, speakers, texts, relation targets). */
  from?: string
  to?: string
}

function tracked(annotation: Annotation): TrackedAnnotation {
  return {
    kind: annotation.kind,
    note: annotation.note,
    speaker: annotation.speaker,
    text: annotation.text,
    relations: annotation.relations,
    listed: true,
  }
}

const relationKey = (relation: Relation) => `${relation.type}:${relation.target}`

/**
 * The events for the annotations in `changed` (each one's reading now, or null
 * when it is no longer listed), applied to `state` in place. Listed ones come
 * in document order, then those that stopped being listed.
 */
export function diffChanges(
  state: AuditState,
  changed: ReadonlyMap<string, Annotation | null>,
): AuditEvent[] {
  const events: AuditEvent[] = []
  const listed = [...changed.values()].filter((a): a is Annotation => a !== null)
  listed.sort(compareDocumentOrder)
  for (const annotation of listed) {
    const previous = state.get(annotation.id)
    const now = tracked(annotation)
    state.set(annotation.id, now)
    const base = { annotationId: annotation.id, kind: now.kind, text: now.text }
    if (!previous) {
      events.push({ ...base, action: 'created' })
      for (const relation of now.relations) {
        events.push({ ...base, action: 'relation-added', to: relation.target })
      }
      continue
    }
    if (!previous.listed) events.push({ ...base, action: 'restored' })
    if (previous.kind !== now.kind) {
      events.push({ ...base, action: 'kind-changed', from: previous.kind, to: now.kind })
    }
    if (previous.note !== now.note) {
      events.push({ ...base, action: 'note-changed', from: previous.note, to: now.note })
    }
    if (previous.speaker !== now.speaker) {
      events.push({ ...base, action: 'speaker-changed', from: previous.speaker, to: now.speaker })
    }
    if (previous.listed && previous.text !== now.text) {
      events.push({ ...base, action: 'text-changed', from: previous.text, to: now.text })
    }
    const had = new Set(previous.relations.map(relationKey))
    const has = new Set(now.relations.map(relationKey))
    for (const relation of now.relations) {
      if (!had.has(relationKey(relation))) {
        events.push({ ...base, action: 'relation-added', to: relation.target })
      }
    }
    for (const relation of previous.relations) {
      if (!has.has(relationKey(relation))) {
        events.push({ ...base, action: 'relation-removed', from: relation.target })
      }
    }
  }
  for (const [id, annotation] of changed) {
    const previous = state.get(id)
    if (annotation !== null || !previous?.listed) continue
    state.set(id, { ...previous, listed: false, relations: [] })
    events.push({ action: 'deleted', annotationId: id, kind: previous.kind, text: previous.text })
  }
  return events
}

/**
 * The events that turn `before` into the reading `after`, and the state to
 * compare the next reading with. `before` is not modified.
 */
export function diffAnnotations(
  before: AuditState,
  after: AnnotationReading,
): { events: AuditEvent[]; state: AuditState } {
  const changed = new Map<string, Annotation | null>(after.annotations.map((a) => [a.id, a]))
  for (const id of before.keys()) if (!changed.has(id)) changed.set(id, null)
  const state: AuditState = new Map(before)
  return { events: diffChanges(state, changed), state }
}
