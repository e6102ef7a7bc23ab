/**
 * @hashiya/import: articles in from the formats newsrooms have, normalized to
 * NFC once, with a report of what was kept and what could not be placed.
 */
export { ImportError, importNativeJson, importWebAnnotations } from './annotated.js'
export { blocksFromHtml, blocksFromMarkdown, blocksFromPlainText } from './blocks.js'
export type { DropCode, Dropped } from './dropped.js'
export {
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportInput,
  type ImportResult,
  importDocument,
} from './import.js'
