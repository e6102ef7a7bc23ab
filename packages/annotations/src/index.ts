/**
 * @hashiya/annotations: claim annotations on a Hashiya article. Spans are
 * `annotation` marks that carry only an id; everything mutable lives in
 * `doc.getMap('annotations')`. Runs without a DOM, in the browser and on the server.
 */
export {
  AnnotationError,
  type AnnotationPatch,
  createAnnotation,
  deleteAnnotation,
  type NewAnnotation,
  setRelation,
  updateAnnotation,
  writeRecord,
} from './annotations.js'
export {
  ANNOTATION_KINDS,
  type AnnotationKind,
  AUDIT_ACTIONS,
  type AuditAction,
  isAnnotationKind,
  kindHasSpeaker,
  MAX_NOTE_LENGTH,
  MAX_SPEAKER_LENGTH,
  RELATION_TYPES,
  type RelationType,
  relationTypeFor,
} from './kinds.js'
export { ANNOTATION_MARK, annotationIdOfAttribute, annotationMarkKey } from './mark.js'
export {
  type BlockLayout,
  codePointLength,
  isGraphemeBoundary,
  layoutBlock,
  layoutPlainText,
  type PlainTextLayout,
  segmentsOfRange,
  type TextRun,
  utf16IndexOf,
} from './positions.js'
export {
  type Annotation,
  type AnnotationChanges,
  AnnotationReader,
  type AnnotationReading,
  compareDocumentOrder,
  readAnnotations,
} from './reader.js'
export {
  ANNOTATIONS_FIELD,
  type AnnotationProblem,
  type AnnotationRecord,
  annotationsMap,
  Field,
  isValidAnnotationId,
  newAnnotationId,
  type Relation,
} from './records.js'
