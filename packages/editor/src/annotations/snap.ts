/**
 * Where a tag may start and end.
 *
 * People drag over Arabic text loosely: they start inside a word, catch the
 * space after it, or stop one letter short. By default a selection grows to
 * whole words (Intl.Segmenter, word granularity) and loses the spaces and
 * sentence punctuation at its edges. In precise mode (a modifier held while
 * releasing the mouse) the selection is kept as made, except that it never
 * starts or ends inside a grapheme cluster: a letter and its harakat (or an
 * emoji and its modifiers) stay together in both modes.
 *
 * Offsets are UTF-16 code units within one block's text, as ProseMirror counts
 * them inside a textblock.
 */

export type SnapMode = 'word' | 'grapheme'

export interface TextRange {
  from: number
  to: number
}

let wordSegmenter: Intl.Segmenter | undefined
let graphemeSegmenter: Intl.Segmenter | undefined

function words(text: string): Intl.Segments {
  wordSegmenter ??= new Intl.Segmenter('ar', { granularity: 'word' })
  return wordSegmenter.segment(text)
}

function graphemes(text: string): Intl.Segments {
  graphemeSegmenter ??= new Intl.Segmenter('ar', { granularity: 'grapheme' })
  return graphemeSegmenter.segment(text)
}

/**
 * Characters a word-snapped tag does not start or end with: white space,
 * invisible direction and joining controls, and punctuation that separates
 * sentences or clauses (Latin and Arabic). Quotation marks and brackets stay:
 * a quote may well include its «».
 */
const EDGE_TRIM = /[\s\u061c\u200b-\u200f\u2066-\u2069\ufeff.,;:!?\u060c\u061b\u061f\u06d4…]/u

/** Start of the grapheme cluster containing `offset` (the offset itself at a boundary). */
export function graphemeStart(text: string, offset: number): number {
  if (offset <= 0) return 0
  if (offset >= text.length) return text.length
  return graphemes(text).containing(offset)?.index ?? offset
}

/** End of the grapheme cluster containing the character before `offset`. */
export function graphemeEnd(text: string, offset: number): number {
  if (offset <= 0) return 0
  if (offset >= text.length) return text.length
  const segment = graphemes(text).containing(offset - 1)
  return segment ? segment.index + segment.segment.length : offset
}

/** The word (letters, digits, with their marks) at a caret, or null when the caret touches none. */
export function wordAt(text: string, offset: number): TextRange | null {
  const segments = words(text)
  const around = offset < text.length ? segments.containing(offset) : undefined
  if (around?.isWordLike && around.index < offset) {
    return { from: around.index, to: around.index + around.segment.length }
  }
  // the word just typed (ending at the caret) before the one about to start there
  const before = offset > 0 ? segments.containing(offset - 1) : undefined
  if (before?.isWordLike) return { from: before.index, to: before.index + before.segment.length }
  if (around?.isWordLike) return { from: around.index, to: around.index + around.segment.length }
  return null
}

function codePointBefore(text: string, offset: number): string {
  const low = text.charCodeAt(offset - 1)
  if (low >= 0xdc00 && low <= 0xdfff && offset >= 2) {
    const high = text.charCodeAt(offset - 2)
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(offset - 2, offset)
  }
  return text.charAt(offset - 1)
}

function codePointAt(text: string, offset: number): string {
  const code = text.codePointAt(offset)
  return code === undefined ? '' : String.fromCodePoint(code)
}

/**
 * The range a tag over `range` covers: grown to whole words and trimmed of
 * spaces and edge punctuation in word mode, only aligned to grapheme clusters
 * in grapheme mode. A collapsed range is the word at the caret (word mode).
 * Null when nothing taggable is left (only spaces, or a caret outside words).
 */
export function snapRange(text: string, range: TextRange, mode: SnapMode): TextRange | null {
  let from = Math.max(0, Math.min(range.from, range.to, text.length))
  let to = Math.min(text.length, Math.max(range.from, range.to, 0))

  if (mode === 'word') {
    if (from === to) return wordAt(text, from)
    const segments = words(text)
    const first = segments.containing(from)
    if (first?.isWordLike) from = first.index
    const last = segments.containing(to - 1)
    if (last?.isWordLike) to = last.index + last.segment.length
    while (from < to) {
      const char = codePointAt(text, from)
      if (!EDGE_TRIM.test(char)) break
      from += char.length
    }
    while (to > from) {
      const char = codePointBefore(text, to)
      if (!EDGE_TRIM.test(char)) break
      to -= char.length
    }
  }

  from = graphemeStart(text, from)
  to = graphemeEnd(text, to)
  return from < to ? { from, to } : null
}
