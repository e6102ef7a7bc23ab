/**
 * What an annotation can say about a span, and which links make sense.
 */

export const ANNOTATION_KINDS = ['quote', 'claim', 'denial', 'aside'] as const
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number]

export function isAnnotationKind(value: unknown): value is AnnotationKind {
  return typeof value === 'string' && (ANNOTATION_KINDS as readonly string[]).includes(value)
}

/**
 * Links between annotations, by id: a denial denies claims; a quote states a claim
 * (the claim the speaker makes).
 */
export const RELATION_TYPES = ['denies', 'states'] as const
export type RelationType = (typeof RELATION_TYPES)[number]

export function isRelationType(value: unknown): value is RelationType {
  return typeof value === 'string' && (RELATION_TYPES as readonly string[]).includes(value)
}

/** The relation a source of this kind may have, or null. Targets are always claims. */
export function relationTypeFor(kind: AnnotationKind): RelationType | null {
  if (kind === 'denial') return 'denies'
  if (kind === 'quote') return 'states'
  return null
}

/** Quotes and denials have someone who said them. */
export function kindHasSpeaker(kind: AnnotationKind): boolean {
  return kind === 'quote' || kind === 'denial'
}

export const MAX_NOTE_LENGTH = 5_000
export const MAX_SPEAKER_LENGTH = 200

/**
 * What the audit trail says happened to an annotation. Defined with the model
 * so the browser (which shows them) and the server (which derives them) share one list.
 */
export const AUDIT_ACTIONS = [
  'created',
  'kind-changed',
  'note-changed',
  'speaker-changed',
  'relation-added',
  'relation-removed',
  'text-changed',
  'deleted',
  'restored',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]
