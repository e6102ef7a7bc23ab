/**
 * Bringing a past state back as a new change. History is never rewritten: the
 * live document is edited until it matches the past one, in one transaction,
 * attributed to whoever restores (so the restore shows up in the trail too).
 */
import { annotationsMap } from '@hashiya/annotations'
import {
  type BodyNode,
  blocksOf,
  bodyOf,
  isSection,
  MAX_BLOCK_NESTING,
  nestingDepth,
  SECTION_SIZE,
  sectionsOf,
} from '@hashiya/document'
import * as Y from 'yjs'

/**
 * Blocks are equal when their XML (text, attributes and formatting) is. A block
 * nested too deeply to serialize (a faulty client's) equals no other, so a
 * restore to before it was written removes it.
 */
const blockKey = (block: BodyNode) =>
  nestingDepth(block) > MAX_BLOCK_NESTING
    ? `\u0000too deep ${block._item?.id.client}:${block._item?.id.clock}`
    : block.toString()

type Container = Y.XmlFragment | Y.XmlElement

const containerOf = (block: BodyNode) => block.parent as Container
const indexIn = (container: Container, node: BodyNode) =>
  (container.toArray() as BodyNode[]).indexOf(node)

/**
 * Inserts `blocks` next to `anchor` (before it, or after it when `after`).
 * Within a section they join it; more than a section's worth come as sections
 * of their own, so that a long restore does not make one huge one. Then the
 * blocks of the anchor's section on the shorter side of the insertion point
 * move with them, as copies (Yjs cannot move), so that the order holds.
 */
function insertBlocks(
  body: Y.XmlFragment,
  anchor: BodyNode | null,
  after: boolean,
  blocks: BodyNode[],
): void {
  if (!anchor) {
    body.insert(body.length, sectionsOf(blocks))
    return
  }
  const container = containerOf(anchor)
  const index = indexIn(container, anchor) + (after ? 1 : 0)
  if (container === body) {
    body.insert(index, sectionsOf(blocks))
    return
  }
  if (blocks.length <= SECTION_SIZE) {
    container.insert(index, blocks)
    return
  }
  const section = container as Y.XmlElement
  const sectionIndex = indexIn(body, section)
  const copies = (from: number, to: number) =>
    (section.slice(from, to) as BodyNode[]).map((block) => block.clone())
  if (index <= section.length - index) {
    const moved = copies(0, index)
    section.delete(0, index)
    body.insert(sectionIndex, sectionsOf([...moved, ...blocks]))
  } else {
    const moved = copies(index, section.length)
    section.delete(index, section.length - index)
    body.insert(sectionIndex + 1, sectionsOf([...blocks, ...moved]))
  }
}

/** The next child of the same parent that is not deleted. */
function nextSibling(node: BodyNode): unknown {
  let item = node._item?.right ?? null
  while (item?.deleted) item = item.right
  return item?.content instanceof Y.ContentType ? item.content.type : null
}

/**
 * Empties a deeply nested block from its innermost elements out: Yjs deletes a
 * type's children recursively, which overflows the stack thousands of levels
 * down, but never descends into what is already deleted.
 */
function emptyFromInside(block: Y.XmlElement): void {
  const elements: Y.XmlElement[] = []
  const pending = [block]
  while (pending.length > 0) {
    const element = pending.pop() as Y.XmlElement
    elements.push(element)
    for (const child of element.toArray()) {
      if (child instanceof Y.XmlElement) pending.push(child)
    }
  }
  for (const element of elements.reverse()) element.delete(0, element.length)
}

/** Deletes blocks (in document order), and the sections this leaves empty. */
function deleteBlocks(body: Y.XmlFragment, blocks: BodyNode[]): void {
  for (const block of blocks) {
    if (block instanceof Y.XmlElement && nestingDepth(block) > MAX_BLOCK_NESTING) {
      emptyFromInside(block)
    }
  }
  for (let start = 0; start < blocks.length; ) {
    let end = start + 1
    while (end < blocks.length && blocks[end] === nextSibling(blocks[end - 1] as BodyNode)) end++
    const container = containerOf(blocks[start] as BodyNode)
    container.delete(indexIn(container, blocks[start] as BodyNode), end - start)
    if (isSection(container) && container.length === 0) body.delete(indexIn(body, container), 1)
    start = end
  }
}

/**
 * Makes `live` read like `past`: blocks outside the first and last difference
 * are kept untouched (their Yjs identity, and so any concurrent edit in them,
 * survives); the differing middle is replaced by copies of the past blocks.
 * Annotation metadata is set back entry by entry.
 */
export function restoreDocument(live: Y.Doc, past: Y.Doc, origin: unknown): void {
  const liveBody = bodyOf(live)
  const liveBlocks = blocksOf(live)
  const pastBlocks = blocksOf(past)
  const liveKeys = liveBlocks.map(blockKey)
  const pastKeys = pastBlocks.map(blockKey)
  let prefix = 0
  while (
    prefix < liveKeys.length &&
    prefix < pastKeys.length &&
    liveKeys[prefix] === pastKeys[prefix]
  )
    prefix++
  let suffix = 0
  while (
    suffix < liveKeys.length - prefix &&
    suffix < pastKeys.length - prefix &&
    liveKeys[liveKeys.length - 1 - suffix] === pastKeys[pastKeys.length - 1 - suffix]
  ) {
    suffix++
  }
  live.transact(() => {
    const removed = liveBlocks.slice(prefix, liveBlocks.length - suffix)
    const copies = pastBlocks
      .slice(prefix, pastBlocks.length - suffix)
      .map((block) => block.clone())
    deleteBlocks(liveBody, removed)
    if (copies.length > 0) {
      // next to a block that stays, which marks the place whatever was deleted around it
      const before = liveBlocks[liveBlocks.length - suffix]
      if (before) insertBlocks(liveBody, before, false, copies)
      else insertBlocks(liveBody, liveBlocks[prefix - 1] ?? null, true, copies)
    }

    const liveEntries = annotationsMap(live)
    const pastEntries = annotationsMap(past)
    for (const id of [...liveEntries.keys()]) {
      if (!pastEntries.has(id)) liveEntries.delete(id)
    }
    for (const [id, entry] of pastEntries.entries()) {
      const current = liveEntries.get(id)
      const same =
        current instanceof Y.AbstractType && entry instanceof Y.AbstractType
          ? JSON.stringify(current.toJSON()) === JSON.stringify(entry.toJSON())
          : current === entry
      if (same) continue
      liveEntries.set(id, entry instanceof Y.AbstractType ? entry.clone() : entry)
    }
  }, origin)
}
