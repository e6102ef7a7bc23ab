/**
 * Offsets as the outside world counts them: Unicode code points in the
 * document's plain text, blocks joined by a blank line, start inclusive, end
 * exclusive. This module is the only place that counts them; exports, the API
 * and the editor all go through it.
 */
import { blocksOf, MAX_BLOCK_NESTING, NodeName, PARAGRAPH_SEPARATOR } from '@hashiya/document'
import * as Y from 'yjs'

/** A run of text with the same formatting, located both in Yjs and in code points. */
export interface TextRun {
  text: string
  attributes: Record<string, unknown>
  /** The Y.XmlText holding the run, and where the run starts in it (UTF-16 units). */
  yText: Y.XmlText
  yIndex: number
  /** Code-point offset of the run's first character in the plain text. */
  start: number
  end: number
}

export interface PlainTextLayout {
  /** The plain text, blocks joined by `PARAGRAPH_SEPARATOR`. */
  text: string
  runs: TextRun[]
}

export function codePointLength(text: string): number {
  let length = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    // a high surrogate followed by a low one is one code point
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) i++
    }
    length++
  }
  return length
}

/** UTF-16 index of the code point at `codePoints` within `text`. */
export function utf16IndexOf(text: string, codePoints: number): number {
  let index = 0
  for (let counted = 0; counted < codePoints && index < text.length; counted++) {
    const unit = text.charCodeAt(index)
    index += unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length ? 2 : 1
  }
  return index
}

/**
 * What a walk over one block's Yjs items reports, in order. Walking the items
 * directly (rather than `toDelta()`) costs each item once, where a delta
 * copies every attribute into every run: in a paragraph under hundreds of
 * overlapping annotations that is most of the work.
 */
export interface BlockVisitor {
  /** A Y.XmlText begins: formatting starts empty in each. */
  enterText(yText: Y.XmlText): void
  /** A formatting attribute starts here (a value) or ends here (null). */
  format(key: string, value: unknown): void
  /** Visible text at `yIndex` (UTF-16 units, embeds count 1) of the current Y.XmlText. */
  text(piece: string, yIndex: number): void
  /** The current Y.XmlText ends: whatever formatting is open ends with it. */
  leaveText(): void
  /** A hard break, which the plain text shows as a line feed. */
  lineBreak(): void
}

export function walkBlock(block: Y.XmlElement | Y.XmlText, visitor: BlockVisitor): void {
  const visit = (node: Y.XmlElement | Y.XmlText | Y.XmlHook, depth: number) => {
    if (node instanceof Y.XmlText) {
      visitor.enterText(node)
      let yIndex = 0
      for (let item = node._start; item !== null; item = item.right) {
        if (item.deleted) continue
        const content = item.content
        if (content instanceof Y.ContentString) {
          visitor.text(content.str, yIndex)
          yIndex += content.str.length
        } else if (content instanceof Y.ContentFormat) {
          visitor.format(content.key, content.value)
        } else if (item.countable) {
          yIndex += item.length
        }
      }
      visitor.leaveText()
    } else if (node instanceof Y.XmlElement) {
      if (node.nodeName === NodeName.hardBreak) visitor.lineBreak()
      else if (depth <= MAX_BLOCK_NESTING) {
        for (const child of node.toArray()) visit(child as Y.XmlElement | Y.XmlText, depth + 1)
      }
    }
  }
  visit(block, 0)
}

/**
 * One block laid out on its own: its text and runs (text with the
 * same formatting), offsets counted from the block's first character.
 */
export interface BlockLayout {
  text: string
  /** Length of `text` in code points. */
  length: number
  runs: TextRun[]
}

export function layoutBlock(block: Y.XmlElement | Y.XmlText): BlockLayout {
  const runs: TextRun[] = []
  const parts: string[] = []
  let offset = 0
  let yText: Y.XmlText | null = null
  /** Replaced, never changed, when formatting changes: runs compare it by identity. */
  let attributes: Record<string, unknown> = {}
  walkBlock(block, {
    enterText(text) {
      yText = text
      attributes = {}
    },
    format(key, value) {
      attributes = { ...attributes }
      if (value === null) delete attributes[key]
      else attributes[key] = value
    },
    text(piece, yIndex) {
      const length = codePointLength(piece)
      parts.push(piece)
      const last = runs[runs.length - 1]
      if (
        last &&
        last.yText === yText &&
        last.attributes === attributes &&
        // an embed between the pieces ends the run, as in a delta
        last.yIndex + last.text.length === yIndex
      ) {
        last.text += piece
        last.end += length
      } else {
        runs.push({
          text: piece,
          attributes,
          yText: yText as Y.XmlText,
          yIndex,
          start: offset,
          end: offset + length,
        })
      }
      offset += length
    },
    leaveText() {
      yText = null
    },
    lineBreak() {
      parts.push('\n')
      offset += 1
    },
  })
  return { text: parts.join(''), length: offset, runs }
}

/** Code-point length of the separator between two blocks. */
export const SEPARATOR_LENGTH = codePointLength(PARAGRAPH_SEPARATOR)

/** Walks the article body once and lays out every text run with its offsets. */
export function layoutPlainText(doc: Y.Doc): PlainTextLayout {
  const runs: TextRun[] = []
  const parts: string[] = []
  let offset = 0
  blocksOf(doc).forEach((block, index) => {
    if (index > 0) {
      parts.push(PARAGRAPH_SEPARATOR)
      offset += SEPARATOR_LENGTH
    }
    const layout = layoutBlock(block)
    parts.push(layout.text)
    for (const run of layout.runs) {
      runs.push({ ...run, start: run.start + offset, end: run.end + offset })
    }
    offset += layout.length
  })
  return { text: parts.join(''), runs }
}

/** A piece of a code-point range inside one Y.XmlText, in that text's UTF-16 units. */
export interface YTextSegment {
  yText: Y.XmlText
  index: number
  length: number
}

/**
 * The pieces of text that a code-point range covers, one per run it touches.
 * Separators between blocks belong to no run and are skipped.
 */
export function segmentsOfRange(
  layout: PlainTextLayout,
  start: number,
  end: number,
): YTextSegment[] {
  const segments: YTextSegment[] = []
  for (const run of layout.runs) {
    if (run.end <= start || run.start >= end) continue
    const from = utf16IndexOf(run.text, Math.max(start, run.start) - run.start)
    const to = utf16IndexOf(run.text, Math.min(end, run.end) - run.start)
    if (to <= from) continue
    const last = segments[segments.length - 1]
    if (last && last.yText === run.yText && last.index + last.length === run.yIndex + from) {
      last.length += to - from
    } else {
      segments.push({ yText: run.yText, index: run.yIndex + from, length: to - from })
    }
  }
  return segments
}

/** True when `offset` falls between two grapheme clusters (never inside a letter with its harakat). */
export function isGraphemeBoundary(text: string, offset: number): boolean {
  if (offset <= 0) return true
  const index = utf16IndexOf(text, offset)
  if (index >= text.length) return true
  const segmenter = new Intl.Segmenter('ar', { granularity: 'grapheme' })
  const windowStart = Math.max(0, index - 32)
  for (const { index: at } of segmenter.segment(text.slice(windowStart, index + 32))) {
    if (windowStart + at === index) return true
    if (windowStart + at > index) return false
  }
  return false
}
