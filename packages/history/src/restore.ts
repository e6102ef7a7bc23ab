/**
 * Bringing a past state back as a new change. History is never rewritten: the
 * live document is edited until it matches the past one, in one transaction,
 * attributed to whoever restores (so the restore shows up in the trail too).
 */
import { annotationsMap } from '@hashiya/annotations'
import { bodyOf } from '@hashiya/document'
import * as Y from 'yjs'

type Block = Y.XmlElement | Y.XmlText

/** Blocks are equal when their XML (text, attributes and formatting) is. */
const blockKey = (block: Block) => block.toString()

/**
 * Makes `live` read like `past`: blocks outside the first and last difference
 * are kept untouched (their Yjs identity, and so any concurrent edit in them,
 * survives); the differing middle is replaced by copies of the past blocks.
 * Annotation metadata is set back entry by entry.
 */
export function restoreDocument(live: Y.Doc, past: Y.Doc, origin: unknown): void {
  const liveBody = bodyOf(live)
  const liveBlocks = liveBody.toArray() as Block[]
  const pastBlocks = bodyOf(past).toArray() as Block[]
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
    const removeCount = liveBlocks.length - prefix - suffix
    if (removeCount > 0) liveBody.delete(prefix, removeCount)
    const copies = pastBlocks
      .slice(prefix, pastBlocks.length - suffix)
      .map((block) => block.clone())
    if (copies.length > 0) liveBody.insert(prefix, copies)

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
