/**
 * @hashiya/export: annotated articles for people (HTML) and machines (native
 * JSON, W3C Web Annotation, CSV, brat, Label Studio). One module per format, all
 * fed the same `ExportSource` read from the model.
 */
export { BRAT_CONFIG, toBratAnn, toBratZip } from './brat.js'
export { toCsv } from './csv.js'
export { toDocx } from './docx.js'
export {
  EXPORT_FORMATS,
  type ExportedFile,
  type ExportFormat,
  exportDocument,
  fileBaseName,
} from './formats.js'
export { escapeHtml, KIND_LABELS, toHtml } from './html.js'
export { NATIVE_FORMAT, NATIVE_VERSION, toNativeJson } from './json.js'
export { LABEL_STUDIO_CONFIG, toLabelStudioTasks } from './label-studio.js'
export { type Segment, segmentParagraphs } from './segments.js'
export { codePointsOf, type ExportSource, exportSourceOf, utf16Offsets } from './source.js'
export { hashiyaUrn, toWebAnnotations } from './w3c.js'
