/**
 * @hashiya/editor: the Tiptap configuration of a Hashiya article, for the browser
 * only (the server reads and writes the same Yjs body through @hashiya/document
 * and @hashiya/annotations). Styles for carets, selections and annotation
 * spans: `import '@hashiya/editor/styles.css'`.
 */

/** True for a transaction that brings a change from the Y.Doc (a colleague's edit, an undo). */
export { isChangeOrigin } from '@tiptap/extension-collaboration'
export {
  ANNOTATION_ORIGIN,
  annotationElements,
  articleUndoManager,
  asOneUndoStep,
  editAnnotation,
  linkAnnotation,
  removeAnnotation,
  setActiveAnnotations,
  setPickingMode,
  type TagInput,
  taggableRange,
  taggableText,
  tagSelection,
} from './annotations/actions.js'
export { AnnotationMark } from './annotations/mark.js'
export {
  graphemeEnd,
  graphemeStart,
  type SnapMode,
  snapRange,
  type TextRange,
  wordAt,
} from './annotations/snap.js'
export { snapDocRange } from './annotations/snapDoc.js'
export {
  ACTIVE_ANNOTATION_CLASS,
  ANNOTATION_CLASS,
  ANNOTATION_SHORTCUTS,
  AnnotationView,
  type AnnotationViewEvents,
  type AnnotationViewState,
  annotationIdsAt,
  annotationKindClass,
  annotationViewKey,
  PICKING_CLASS,
  readKinds,
} from './annotations/view.js'
export {
  CARET_CLASS,
  CARET_LABEL_CLASS,
  CARET_LINE_CLASS,
  renderCaret,
  renderSelection,
  SELECTION_CLASS,
} from './caret.js'
export {
  ARTICLE_EDITOR_OPTIONS,
  ArticleCollaboration,
  type ArticleEditorOptions,
  type AwarenessProvider,
  articleExtensions,
  createArticleUndoManager,
} from './collaboration.js'
export { initialsOf, type PresenceEntry, presenceFromStates } from './presence.js'
export {
  ARTICLE_NODE_NAMES,
  type ArticleSchemaOptions,
  articleSchemaExtensions,
  HEADING_LEVELS,
  type HeadingLevel,
} from './schema.js'
export {
  type CollabUser,
  cleanUserName,
  FALLBACK_COLOR,
  isUserColor,
  MAX_USER_NAME_LENGTH,
  readCollabUser,
  safeColor,
  USER_COLORS,
} from './user.js'
