/**
 * Hashiya's native export: lossless and versioned. Offsets are Unicode code
 * points of `document.text` (paragraphs joined by "\n\n", a line break inside
 * one as "\n"), end exclusive. `document.paragraphs` holds each block's text,
 * `document.blocks` its type (a heading and its level), in the same order.
 * `people` names the account ids in `author` and `updatedBy` that have a display name.
 */
import { type ExportSource, personName } from './source.js'

export const NATIVE_FORMAT = 'hashiya-annotated-document'
export const NATIVE_VERSION = 1

export function toNativeJson(source: ExportSource) {
  return {
    format: NATIVE_FORMAT,
    version: NATIVE_VERSION,
    offsets: 'unicode-code-points',
    exportedAt: source.exportedAt.toISOString(),
    document: {
      id: source.documentId,
      title: source.title,
      version: source.version
        ? { seq: source.version.seq, time: source.version.time.toISOString() }
        : null,
      blocks: source.blocks.map(({ text: _, ...type }) => type),
      paragraphs: source.blocks.map((block) => block.text),
      text: source.text,
    },
    annotations: source.annotations.map((a) => ({
      id: a.id,
      kind: a.kind,
      start: a.start,
      end: a.end,
      text: a.text,
      ranges: a.ranges,
      note: a.note,
      speaker: a.speaker,
      relations: a.relations,
      author: a.author,
      createdAt: new Date(a.createdAt).toISOString(),
      updatedAt: new Date(a.updatedAt).toISOString(),
      updatedBy: a.updatedBy,
    })),
    people: Object.fromEntries(
      [...new Set(source.annotations.flatMap((a) => [a.author, a.updatedBy]))]
        .filter((id) => source.people.has(id))
        .sort()
        .map((id) => [id, personName(source, id)]),
    ),
  }
}
