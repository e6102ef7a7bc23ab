/**
 * `snapRange` applied to a ProseMirror document: each end of a selection is
 * snapped within its own textblock, so a selection over several paragraphs
 * grows to whole words at both ends.
 */
import type { Node as PMNode, ResolvedPos } from '@tiptap/pm/model'
import { type SnapMode, snapRange, type TextRange } from './snap.js'

/**
 * A block's text with one character per position: inline leaves (hard breaks)
 * count as a line break, so offsets equal ProseMirror's parent offsets.
 */
function blockText($pos: ResolvedPos): string {
  const parent = $pos.parent
  return parent.textBetween(0, parent.content.size, undefined, '\n')
}

/**
 * The document range a tag over `from`–`to` should cover, or null when it
 * would cover no text. A collapsed range means the word at the caret.
 */
export function snapDocRange(
  doc: PMNode,
  from: number,
  to: number,
  mode: SnapMode,
): TextRange | null {
  const start = Math.max(0, Math.min(from, to))
  const end = Math.min(doc.content.size, Math.max(from, to))
  const $from = doc.resolve(start)
  const $to = doc.resolve(end)
  if (!$from.parent.isTextblock || !$to.parent.isTextblock) return null

  let range: TextRange | null
  if ($from.sameParent($to)) {
    const snapped = snapRange(
      blockText($from),
      { from: $from.parentOffset, to: $to.parentOffset },
      mode,
    )
    range = snapped && { from: $from.start() + snapped.from, to: $from.start() + snapped.to }
  } else {
    const startText = blockText($from)
    // an end of the selection right at a block edge covers nothing in that block
    const head =
      $from.parentOffset < startText.length
        ? snapRange(startText, { from: $from.parentOffset, to: startText.length }, mode)
        : null
    const tail =
      $to.parentOffset > 0
        ? snapRange(blockText($to), { from: 0, to: $to.parentOffset }, mode)
        : null
    range = {
      from: head ? $from.start() + head.from : $from.end(),
      to: tail ? $to.start() + tail.to : $to.start(),
    }
  }
  if (!range || range.from >= range.to) return null
  if (doc.textBetween(range.from, range.to, ' ', ' ').trim() === '') return null
  return range
}
