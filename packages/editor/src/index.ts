/**
 * @hashiya/editor: the Tiptap configuration of a Hashiya article, for the browser
 * only (the server reads and writes the same Yjs body through @hashiya/document).
 * Styles for carets and selections: `import '@hashiya/editor/styles.css'`.
 */
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
  type ArticleEditorOptions,
  type AwarenessProvider,
  articleExtensions,
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
