/**
 * The article cut where annotations begin and end: each paragraph becomes
 * segments of text covered by the same set of annotations. Exporters that
 * cannot overlap markup (HTML spans per segment, Word runs) render from this.
 */
import type { Annotation } from '@hashiya/annotations'
import { codePointsOf, type ExportSource } from './source.js'

export interface Segment {
  text: string
  start: number
  end: number
  /** Indexes into `source.annotations` of the annotations covering this segment, in document order. */
  covering: number[]
}

function cutParagraph(
  start: number,
  end: number,
  annotations: readonly Annotation[],
): [number, number][] {
  const cuts = new Set([start, end])
  for (const a of annotations) {
    for (const r of a.ranges) {
      if (r.end <= start || r.start >= end) continue
      cuts.add(Math.max(start, r.start))
      cuts.add(Math.min(end, r.end))
    }
  }
  const sorted = [...cuts].sort((x, y) => x - y)
  return sorted.slice(0, -1).map((from, i) => [from, sorted[i + 1] as number])
}

/** Segments per block (paragraph or heading), in order. */
export function segmentParagraphs(source: ExportSource): Segment[][] {
  const codePoints = codePointsOf(source.text)
  let offset = 0
  return source.blocks.map(({ text }) => {
    const start = offset
    const end = start + codePointsOf(text).length
    offset = end + 2
    return cutParagraph(start, end, source.annotations).map(([from, to]) => ({
      text: codePoints.slice(from, to).join(''),
      start: from,
      end: to,
      covering: source.annotations
        .map((a, index) => (a.ranges.some((r) => r.start <= from && r.end >= to) ? index : -1))
        .filter((index) => index >= 0),
    }))
  })
}
