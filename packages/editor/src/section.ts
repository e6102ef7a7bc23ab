/**
 * Sections in the editor: invisible runs of blocks (see @hashiya/document's
 * layout). The browser lays out and checks for visibility a few hundred
 * sections rather than thousands of paragraphs, which is what keeps typing in
 * a 100,000-word article fast (BENCHMARKS.md, finding 9).
 *
 * Nothing a reader does should meet a section, and no edit should move blocks
 * from one section to another: Yjs cannot move, so y-tiptap would delete the
 * moved blocks and create them again, losing what colleagues type into them
 * meanwhile and crediting their text to whoever moved them. Hence:
 * - Backspace and Delete (every key that joins) across a section boundary
 *   join the two blocks as they would anywhere else, keeping both sections,
 *   where ProseMirror would merge the sections (`joinAcrossSections`);
 * - Enter in an empty block splits the block, never the section; at the end
 *   of a full section's last block it starts a new section;
 * - an edit that merges sections anyway (deleting or typing over a selection
 *   that crosses a boundary, cutting, dropping) is followed by a split where
 *   the second section's remaining blocks begin, so they stay where they are;
 * - pasted and dropped content loses its sections and joins the one it lands in,
 *   except that a long paste comes in new sections where that moves no block
 *   (`inSectionsWhenLong`);
 * - a section left empty (colleagues joining its blocks away at once, Delete
 *   in the last one's only block) goes with the next edit made here, and a
 *   join reaches past it; Backspace in an empty heading at the article's start
 *   does not lift it out.
 */

import { NodeName, SECTION_SIZE } from '@hashiya/document'
import { type Editor, isiOS, isMacOS, Node } from '@tiptap/core'
import { isChangeOrigin } from '@tiptap/extension-collaboration'
import { Fragment, type Node as PMNode, type ResolvedPos, Slice } from '@tiptap/pm/model'
import {
  type EditorState,
  Plugin,
  PluginKey,
  TextSelection,
  type Transaction,
} from '@tiptap/pm/state'
import { ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform'

export type JoinDirection = 'backward' | 'forward'

const isSectionNode = (node: PMNode | null | undefined) => node?.type.name === NodeName.section

/** The range a block takes, or its section's when it is the only block there. */
function blockOrSectionRange(doc: PMNode, blockStart: number): [number, number] {
  const $block = doc.resolve(blockStart)
  const block = $block.nodeAfter as PMNode
  if ($block.depth === 1 && isSectionNode($block.parent) && $block.parent.childCount === 1) {
    return [$block.before(1), $block.after(1)]
  }
  return [blockStart, blockStart + block.nodeSize]
}

function isEmptySection(node: PMNode | null): boolean {
  return node !== null && isSectionNode(node) && node.childCount === 0
}

/**
 * Joins the textblock at the cursor with the neighbouring one across a
 * section boundary, keeping both sections. As inside a section, an empty
 * block is simply removed, so the other keeps its type (a heading stays a
 * heading). False (nothing done) anywhere else, so that the usual join runs.
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
  if (backward ? $cursor.parentOffset !== 0 : $cursor.parentOffset !== block.content.size) {
    return false
  }

  const inSection = $cursor.depth === 2 && isSectionNode($cursor.node(1))
  if (!inSection && $cursor.depth !== 1) return false
  if (inSection) {
    const index = $cursor.index(1)
    if (backward ? index !== 0 : index !== $cursor.node(1).childCount - 1) return false
  }
  // Sections colleagues left empty are not drawn: the join reaches past them to the text the
  // writer sees next (and they go with this edit, see removeEmptySections).
  const step = backward ? -1 : 1
  let neighbourIndex = $cursor.index(0) + step
  while (isEmptySection(state.doc.maybeChild(neighbourIndex))) neighbourIndex += step
  const neighbour = state.doc.maybeChild(neighbourIndex)
  if (!neighbour) return inSection && backward && emptyHeadingToParagraph(state, dispatch, $cursor)
  // two adjacent blocks directly in the body (an article from before sections): the usual join
  const adjacent = neighbourIndex === $cursor.index(0) + step
  if (!inSection && !isSectionNode(neighbour) && adjacent) return false
  const other = isSectionNode(neighbour)
    ? backward
      ? neighbour.lastChild
      : neighbour.firstChild
    : neighbour
  if (!other?.isTextblock) return false
  if (!dispatch) return true

  const blockStart = $cursor.before($cursor.depth)
  // where the other block starts: at the near end of the neighbour, inside it if it is a section
  const neighbourStart = $cursor.posAtIndex(neighbourIndex, 0)
  const otherStart = !isSectionNode(neighbour)
    ? neighbourStart
    : backward
      ? neighbourStart + neighbour.nodeSize - 1 - other.nodeSize
      : neighbourStart + 1
  const [first, firstStart, second, secondStart] = backward
    ? [other, otherStart, block, blockStart]
    : [block, blockStart, other, otherStart]

  const tr = state.tr
  if (first.content.size === 0 && second.content.size > 0) {
    // the first block is empty: it goes, and the caret starts the second one
    const [from, to] = blockOrSectionRange(state.doc, firstStart)
    tr.delete(from, to)
    tr.setSelection(TextSelection.create(tr.doc, tr.mapping.map(secondStart) + 1))
  } else {
    // the second block's text moves to the end of the first, and the block goes
    const joinAt = firstStart + first.nodeSize - 1
    const [from, to] = blockOrSectionRange(state.doc, secondStart)
    // what is removed lies after joinAt, so joinAt stays where it is
    tr.delete(from, to).insert(joinAt, second.content)
    tr.setSelection(TextSelection.create(tr.doc, joinAt))
  }
  dispatch(tr.scrollIntoView())
  return true
}

/**
 * Backspace in an empty heading at the very start of the article: the core
 * keymap would lift it out of its section as a paragraph; it becomes a
 * paragraph where it is. (Delete in an empty block at the very end leaves its
 * section empty, which `removeEmptySections` tidies.)
 */
function emptyHeadingToParagraph(
  state: EditorState,
  dispatch: ((tr: Transaction) => void) | undefined,
  $cursor: ResolvedPos,
): boolean {
  const paragraph = state.schema.nodes[NodeName.paragraph]
  if (!paragraph || $cursor.parent.content.size > 0 || $cursor.parent.type === paragraph) {
    return false
  }
  dispatch?.(state.tr.setBlockType($cursor.pos, $cursor.pos, paragraph))
  return true
}

/**
 * Enter in a section: as the core's Enter, without lifting an empty block out
 * of its section. At the end of the last block of a full section (someone
 * writing an article here, at its end) the new block starts a new section, so
 * an article written in the editor gets sections as one that comes through the
 * server has them. Only there: the block is new and empty, so no block moves.
 * Elsewhere (and at the start or middle of that block, where Yjs may keep the
 * old block as the second one) the section grows.
 */
function splitInSection(editor: Editor): boolean {
  const { selection } = editor.state
  const { $from } = selection
  if (!($from.depth >= 2 && isSectionNode($from.node(1)))) return false
  const section = $from.node(1)
  const atEndOfFullSection =
    selection.empty &&
    section.childCount >= SECTION_SIZE &&
    $from.index(1) === section.childCount - 1 &&
    $from.parent.isTextblock &&
    $from.parentOffset === $from.parent.content.size
  const thenNewSection = (tr: Transaction) => {
    if (atEndOfFullSection) startSectionAtCaret(tr)
    return true
  }
  return editor.commands.first(({ commands }) => [
    () => commands.newlineInCode(),
    ({ tr }) => commands.createParagraphNear() && thenNewSection(tr),
    ({ tr }) => commands.splitBlock() && thenNewSection(tr),
  ])
}

/** Splits the section before the caret's block when that block is the section's last. */
function startSectionAtCaret(tr: Transaction): void {
  const { $head } = tr.selection
  if ($head.depth < 2 || !isSectionNode($head.node(1))) return
  const index = $head.index(1)
  if (index === 0 || index !== $head.node(1).childCount - 1) return
  tr.split($head.before(2))
}

/**
 * Where, in the document after `transactions`, sections they merged should
 * part again: after the block that held the end of each replaced range that
 * ran from one section into another, when more of that section followed.
 */
function partingPoints(transactions: readonly Transaction[], doc: PMNode): number[] {
  const points: number[] = []
  transactions.forEach((tr, trIndex) => {
    if (isChangeOrigin(tr)) return
    tr.steps.forEach((step, stepIndex) => {
      if (!(step instanceof ReplaceStep || step instanceof ReplaceAroundStep)) return
      const before = tr.docs[stepIndex] as PMNode
      const { from, to } = step
      const $from = before.resolve(from)
      const $to = before.resolve(to)
      if ($from.depth < 1 || $to.depth < 1 || $from.index(0) === $to.index(0)) return
      if (!isSectionNode($from.node(1)) || !isSectionNode($to.node(1))) return
      const rest = $to.depth >= 2 ? $to.after(2) : $to.pos
      if (rest >= $to.end(1)) return
      let point = tr.mapping.slice(stepIndex).map(rest)
      for (const later of transactions.slice(trIndex + 1)) point = later.mapping.map(point)
      points.push(point)
    })
  })
  return points.filter((point) => {
    const $point: ResolvedPos = doc.resolve(point)
    return (
      $point.depth === 1 &&
      isSectionNode($point.parent) &&
      $point.index(1) > 0 &&
      $point.index(1) < $point.parent.childCount
    )
  })
}

/** Content with its sections taken apart into their blocks. */
function withoutSections(slice: Slice): Slice {
  const { content } = slice
  const blocks: PMNode[] = []
  let found = false
  content.forEach((node) => {
    if (!isSectionNode(node)) blocks.push(node)
    else {
      found = true
      node.forEach((child) => {
        blocks.push(child)
      })
    }
  })
  if (!found) return slice
  return new Slice(
    Fragment.from(blocks),
    isSectionNode(content.firstChild) ? Math.max(0, slice.openStart - 1) : slice.openStart,
    isSectionNode(content.lastChild) ? Math.max(0, slice.openEnd - 1) : slice.openEnd,
  )
}

/**
 * A long paste (more than a section's worth of blocks) comes in new sections
 * of SECTION_SIZE, as articles that come through the server have them, so that
 * typing stays fast as the article grows: in an article without sections (or
 * between blocks written before sections), and at the last block of a section
 * (a paste at the end of a short article, the usual way a long one arrives).
 * The first pasted block joins the text before the caret and the last the text
 * after it, as in any paste. Elsewhere in a section the paste stays in it:
 * new sections there would move the section's later blocks into another one,
 * which Yjs can only do by re-creating them. Not for drops: those land where
 * the pointer is, not at the selection this looks at.
 */
function inSectionsWhenLong(slice: Slice, state: EditorState): Slice {
  const { $from, $to } = state.selection
  const section = state.schema.nodes[NodeName.section]
  const { content } = slice
  if (!section || content.childCount < SECTION_SIZE + 2) return slice
  if (!$from.parent.isTextblock || !$to.parent.isTextblock) return slice
  const flat = $from.depth === 1 && $to.depth === 1
  const atSectionEnd =
    $from.depth === 2 &&
    $from.sameParent($to) &&
    isSectionNode($from.node(1)) &&
    $from.index(1) === $from.node(1).childCount - 1
  if (!flat && !atSectionEnd) return slice
  const blocks: PMNode[] = []
  content.forEach((node) => {
    blocks.push(node)
  })
  if (!blocks.every((node) => node.isBlock && !isSectionNode(node))) return slice
  const [first, ...rest] = blocks as [PMNode, ...PMNode[]]
  // without sections, the last block stays out to join the text after the caret;
  // at a section's end, that text goes into the last new section with it
  const grouped = flat ? rest.slice(0, -1) : rest
  const sections: PMNode[] = []
  for (let i = 0; i < grouped.length; i += SECTION_SIZE) {
    sections.push(section.create(null, grouped.slice(i, i + SECTION_SIZE)))
  }
  if (flat) {
    return new Slice(
      Fragment.from([first, ...sections, rest[rest.length - 1] as PMNode]),
      slice.openStart,
      slice.openEnd,
    )
  }
  // the first block opens into the caret's section, the last section is open at its end
  return new Slice(
    Fragment.from([section.create(null, first), ...sections]),
    slice.openStart + 1,
    slice.openEnd + 1,
  )
}

/** Where the article's empty sections start. */
function emptySections(doc: PMNode): number[] {
  const starts: number[] = []
  doc.forEach((node, offset) => {
    if (isEmptySection(node)) starts.push(offset)
  })
  return starts
}

/**
 * Removes empty sections (left by colleagues joining a section's blocks away
 * at once, or by an edit here), with the next local edit. An article that is
 * nothing but an empty section gets an empty paragraph in it instead, so
 * there is somewhere to type.
 */
function removeEmptySections(tr: Transaction): void {
  const starts = emptySections(tr.doc)
  if (starts.length === 0) return
  let hasText = false
  tr.doc.descendants((node) => {
    if (node.isTextblock) hasText = true
    return !hasText && !node.isTextblock
  })
  const [first, ...rest] = starts
  for (const start of [...(hasText ? starts : rest)].reverse()) tr.delete(start, start + 2)
  if (!hasText && first !== undefined) {
    const paragraph = tr.doc.type.schema.nodes[NodeName.paragraph]
    if (paragraph) {
      tr.insert(first + 1, paragraph.create())
      tr.setSelection(TextSelection.create(tr.doc, first + 2))
    }
  }
}

const sectionKeeper = new PluginKey('hashiyaSections')

export const Section = Node.create({
  name: NodeName.section,
  // concurrent joins can leave a section empty; it must still load (and is not drawn)
  content: 'block*',
  // before the core keymap, whose joins would merge the sections
  priority: 1000,

  // pasted HTML never makes sections of its own (see inSectionsWhenLong for long pastes)
  parseHTML() {
    return []
  },

  renderHTML() {
    return ['div', { class: 'article-section' }, 0]
  },

  addKeyboardShortcuts() {
    // an input rule just applied is undone first, by the core keymap
    const join = (direction: JoinDirection) => () =>
      !this.editor.can().undoInputRule() &&
      joinAcrossSections(this.editor.state, this.editor.view.dispatch, direction)
    const backward = join('backward')
    const forward = join('forward')
    const keys: Record<string, () => boolean> = {
      Enter: () => splitInSection(this.editor),
      Backspace: backward,
      'Mod-Backspace': backward,
      'Shift-Backspace': backward,
      Delete: forward,
      'Mod-Delete': forward,
    }
    // the core keymap's Mac-only joins; elsewhere these keys are the browser's
    if (isMacOS() || isiOS()) {
      Object.assign(keys, {
        'Ctrl-h': backward,
        'Alt-Backspace': backward,
        'Ctrl-d': forward,
        'Ctrl-Alt-Backspace': forward,
        'Alt-Delete': forward,
        'Alt-d': forward,
      })
    }
    return keys
  },

  addProseMirrorPlugins() {
    // set while a drop is being handled
    let dropping = false
    return [
      new Plugin({
        key: sectionKeeper,
        props: {
          handleDOMEvents: {
            // ProseMirror's own drop handling (which calls transformPasted) runs after this
            drop: () => {
              dropping = true
              queueMicrotask(() => {
                dropping = false
              })
              return false
            },
          },
          transformPasted: (slice, view) => {
            const blocks = withoutSections(slice)
            return dropping ? blocks : inSectionsWhenLong(blocks, view.state)
          },
        },
        appendTransaction(transactions, _old, state) {
          if (!transactions.some((tr) => tr.docChanged && !isChangeOrigin(tr))) return null
          const tr = state.tr
          const points = partingPoints(transactions, state.doc)
          for (const point of [...new Set(points)].sort((a, b) => b - a)) tr.split(point)
          removeEmptySections(tr)
          return tr.docChanged ? tr : null
        },
      }),
    ]
  },
})
