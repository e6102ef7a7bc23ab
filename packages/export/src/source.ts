/**
 * What every exporter starts from: the document's text and its annotations as
 * the model reads them, taken once so all formats agree.
 */
import { type Annotation, readAnnotations } from '@hashiya/annotations'
import { type Block, PARAGRAPH_SEPARATOR, readBlocks } from '@hashiya/document'
import type * as Y from 'yjs'

export interface ExportSource {
  documentId: string
  title: string
  /** Paragraphs and headings; a line break inside one (Shift+Enter) is "\n". */
  blocks: Block[]
  /** The blocks' text joined by a blank line: the text all offsets count in. */
  text: string
  /** Valid annotations in document order (code-point offsets). */
  annotations: Annotation[]
  /** When the export was made, and, for a past version, which point it shows. */
  exportedAt: Date
  version: { seq: number; time: Date } | null
  /**
   * Display names by account id, for the people who tagged and edited: files
   * read by people name them as their colleagues know them ("ليلى", not "leila").
   * An id missing here is written as it is.
   */
  people: ReadonlyMap<string, string>
}

export function exportSourceOf(
  doc: Y.Doc,
  meta: {
    documentId: string
    title: string
    version?: ExportSource['version']
    exportedAt?: Date
    people?: ExportSource['people']
  },
): ExportSource {
  const blocks = readBlocks(doc)
  return {
    documentId: meta.documentId,
    title: meta.title,
    blocks,
    text: blocks.map((block) => block.text).join(PARAGRAPH_SEPARATOR),
    annotations: readAnnotations(doc).annotations,
    exportedAt: meta.exportedAt ?? new Date(),
    version: meta.version ?? null,
    people: meta.people ?? new Map(),
  }
}

/** The name a person is shown by in an export: their display name, or else their account id. */
export function personName(source: ExportSource, id: string): string {
  const name = source.people.get(id)?.trim()
  return name ? name : id
}

/** Code points of a string, computed once per export for slicing by code-point offsets. */
export function codePointsOf(text: string): string[] {
  return Array.from(text)
}

/**
 * For each code-point offset, the matching UTF-16 offset (JavaScript string
 * units, as Label Studio counts): one pass, then constant-time lookups.
 */
export function utf16Offsets(codePoints: readonly string[]): Uint32Array {
  const offsets = new Uint32Array(codePoints.length + 1)
  for (let i = 0; i < codePoints.length; i++) {
    offsets[i + 1] = (offsets[i] as number) + (codePoints[i] as string).length
  }
  return offsets
}
