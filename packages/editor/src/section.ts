/**
 * Sections in the editor: invisible runs of blocks (see @hashiya/document's
 * layout). The browser lays out and checks for visibility a few hundred
 * sections rather than thousands of paragraphs, which is what keeps typing in
 * a 100,000-word article fast (BENCHMARKS.md, finding 9).
 *
 * Nothing a reader does should meet a section. Backspace at the start of a
 * section's first block, and Delete at the end of its last, join the two
 * blocks as they would anywhere else: the block's text moves into its
 * neighbour and the block goes, the sections stay. ProseMirror's own join
 * would merge the two sections instead, which shows nothing, takes a second
 * key press, and in Yjs re-creates every block of the merged section.
 */
import { NodeName } from '@hashiya/document'
import { Node } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { type EditorState, TextSelection, type Transaction } from '@tiptap/pm/state'

export type JoinDirection = 'backward' | 'forward'

const isSectionNode = (node: PMNode | null | undefined) => node?.type.name === NodeName.section

/**
 * Joins the textblock at the cursor with the neighbouring one across a
 * section boundary, keeping both sections. False (nothing done) anywhere else,
 * so that the usual join runs.
 */
export function joinAcrossSections(
  state: EditorState,
  dispatch: ((tr: Transaction) => void) | undefined,
  direction: JoinDirection,
): boolean {
  const { selection } = state
  if (!(selection instanceof TextSelection) || !selection.empty) return false
  const $cursor = selection.$from
  const block = $cursor.parent
  if (!block.isTextblock) return false
  const backward = direction === 'backward'
  if (backward ? $cursor.parentOffset !== 0 : $cursor.parentOffset !== block.content.size)
    return false

  const inSection = $cursor.depth === 2 && isSectionNode($cursor.node(1))
  if (!inSection && $cursor.depth !== 1) return false
  if (inSection) {
    const section = $cursor.node(1)
    const index = $cursor.index(1)
    if (backward ? index !== 0 : index !== section.childCount - 1) return false
  }
  const topIndex = $cursor.index(0)
  const neighbour = state.doc.maybeChild(backward ? topIndex - 1 : topIndex + 1)
  if (!neighbour) return false
  // two blocks directly in the body (an article from before sections): the usual join
  if (!inSection && !isSectionNode(neighbour)) return false
  const other = isSectionNode(neighbour)
    ? backward
      ? neighbour.lastChild
      : neighbour.firstChild
    : neighbour
  if (!other?.isTextblock) return false

  const topStart = $cursor.before(1)
  const topEnd = $cursor.after(1)
  let target: number
  let moved: PMNode
  let remove: [number, number]
  if (backward) {
    // the end of the neighbour's text: before its closing token, and its section's
    target = topStart - (isSectionNode(neighbour) ? 2 : 1)
    moved = block
    remove =
      inSection && $cursor.node(1).childCount > 1
        ? [$cursor.before(2), $cursor.after(2)]
        : [topStart, topEnd]
  } else {
    target = $cursor.pos
    moved = other
    remove =
      isSectionNode(neighbour) && neighbour.childCount > 1
        ? [topEnd + 1, topEnd + 1 + other.nodeSize]
        : [topEnd, topEnd + neighbour.nodeSize]
  }
  if (dispatch) {
    // what is removed lies after the target, so the target stays where it is
    const tr = state.tr.delete(remove[0], remove[1]).insert(target, moved.content)
    tr.setSelection(TextSelection.create(tr.doc, target))
    dispatch(tr.scrollIntoView())
  }
  return true
}

export const Section = Node.create({
  name: NodeName.section,
  content: 'block+',
  // before the core keymap, whose Backspace and Delete would join the sections
  priority: 1000,

  // pasted HTML never makes sections: its blocks join the section they land in
  parseHTML() {
    return []
  },

  renderHTML() {
    return ['div', { class: 'article-section' }, 0]
  },

  addKeyboardShortcuts() {
    const join = (direction: JoinDirection) => () =>
      joinAcrossSections(this.editor.state, this.editor.view.dispatch, direction)
    return {
      Backspace: join('backward'),
      Delete: join('forward'),
    }
  },
})
