/**
 * @hashiya/document: the shape of a Hashiya article inside Yjs, and plain text
 * in and out of it. Runs in the browser and on the server (no DOM, no Node APIs).
 */
export { DOCUMENT_ID_PATTERN, isValidDocumentId, newDocumentId } from './id.js'
export {
  BODY_FIELD,
  type BodyNode,
  blockContaining,
  blocksOf,
  bodyOf,
  createYDoc,
  isSection,
  MAX_BLOCK_NESTING,
  NodeName,
  nestingDepth,
  parentTypeOf,
  SECTION_SIZE,
  sectionsOf,
} from './layout.js'
export {
  appendBlocks,
  appendParagraphs,
  type Block,
  encodeDocumentFromParagraphs,
  type HeadingLevel,
  PARAGRAPH_SEPARATOR,
  paragraphsFromText,
  readBlocks,
  readParagraphs,
  readParagraphsFromUpdates,
  readPlainText,
} from './text.js'
