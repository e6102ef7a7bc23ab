/**
 * Reading annotations: metadata entries joined with where their marks are,
 * validated, with code-point offsets and quoted text.
 *
 * A live `AnnotationReader` keeps, per block, the block's layout and
 * the marked ranges in it, and per metadata entry its parsed record; a
 * transaction drops only what it touched. Reading after a keystroke therefore
 * walks the block list and the annotations, never the text of unchanged blocks:
 * the editor re-reads on every change and the audit trail on every logged
 * update, so a full walk of a long article each time is what made both slow.
 */
import {
  blockContaining,
  blocksOf,
  bodyOf,
  isSection,
  PARAGRAPH_SEPARATOR,
  parentTypeOf,
} from '@hashiya/document'
import type * as Y from 'yjs'
import { relationTypeFor } from './kinds.js'
import { annotationIdOfAttribute } from './mark.js'
import { codePointLength, SEPARATOR_LENGTH, type TextRun, walkBlock } from './positions.js'
import {
  type AnnotationProblem,
  type AnnotationRecord,
  annotationsMap,
  isProblem,
  parseRecord,
  type Relation,
} from './records.js'

/** An annotation as readers see it: metadata plus where its text is. */
export interface Annotation extends Omit<AnnotationRecord, 'relations'> {
  /** Code-point offsets in the plain text: first marked character to last, end exclusive. */
  start: number
  end: number
  /** The plain text from start to end (blank lines included when it spans blocks). */
  text: string
  /** The marked pieces, when the annotation is interrupted (by unmarked text or a block break). */
  ranges: { start: number; end: number }[]
  /** Only the relations that make sense now: right source kind, target a listed claim. */
  relations: Relation[]
}

export interface AnnotationReading {
  /** Valid annotations that still cover text, in document order. */
  annotations: Annotation[]
  /** Entries and marks every reader ignores, and why. */
  problems: AnnotationProblem[]
}

type Range = { start: number; end: number }

/** Marked code-point ranges per annotation id, merged where they touch. */
export function markedRanges(runs: readonly TextRun[]): Map<string, Range[]> {
  const ranges = new Map<string, Range[]>()
  for (const run of runs) {
    for (const [key, value] of Object.entries(run.attributes)) {
      const id = annotationIdOfAttribute(key, value)
      if (!id) continue
      let list = ranges.get(id)
      if (!list) {
        list = []
        ranges.set(id, list)
      }
      const last = list[list.length - 1]
      if (last && last.end === run.start) last.end = run.end
      else list.push({ start: run.start, end: run.end })
    }
  }
  return ranges
}

/** What the reader keeps of one block: its text and its marks, relative to the block. */
interface BlockReading {
  text: string
  /** Length of `text` in code points. */
  length: number
  marked: Map<string, Range[]>
  /** Slices the block's text by code points; made on first use. */
  slice?: (start: number, end: number) => string
}

/** A block's text and marked ranges, in one walk over its items (no runs, no attribute copies). */
function readBlock(block: Block): BlockReading {
  const parts: string[] = []
  const marked = new Map<string, Range[]>()
  /** Open annotation keys → id; and how many open keys name each id. */
  const openKeys = new Map<string, string>()
  const openCount = new Map<string, number>()
  let offset = 0
  const open = (id: string) => {
    const count = openCount.get(id) ?? 0
    openCount.set(id, count + 1)
    if (count > 0) return
    let ranges = marked.get(id)
    if (!ranges) {
      ranges = []
      marked.set(id, ranges)
    }
    const last = ranges[ranges.length - 1]
    // marks that touch are one range, as are the pieces of a mark split by formatting
    if (last && last.end === offset) last.end = Number.NaN
    else ranges.push({ start: offset, end: Number.NaN })
  }
  const close = (id: string) => {
    const count = (openCount.get(id) ?? 1) - 1
    if (count > 0) {
      openCount.set(id, count)
      return
    }
    openCount.delete(id)
    const ranges = marked.get(id) as Range[]
    const last = ranges[ranges.length - 1] as Range
    if (last.start === offset) ranges.pop()
    else last.end = offset
    if (ranges.length === 0) marked.delete(id)
  }
  const closeAll = () => {
    for (const id of openKeys.values()) close(id)
    openKeys.clear()
  }
  walkBlock(block, {
    enterText: closeAll,
    leaveText: closeAll,
    format(key, value) {
      const previous = openKeys.get(key)
      if (previous !== undefined) {
        openKeys.delete(key)
        close(previous)
      }
      const id = value === null ? null : annotationIdOfAttribute(key, value)
      if (id) {
        openKeys.set(key, id)
        open(id)
      }
    },
    text(piece) {
      parts.push(piece)
      offset += codePointLength(piece)
    },
    lineBreak() {
      parts.push('\n')
      offset += 1
    },
  })
  closeAll()
  return { text: parts.join(''), length: offset, marked }
}

/** The block-local text an annotation's marks in this block cover, first mark to last. */
function coveredText(reading: BlockReading, ranges: readonly Range[]): string {
  reading.slice ??= codePointSlicer(reading.text)
  return reading.slice((ranges[0] as Range).start, (ranges[ranges.length - 1] as Range).end)
}

/** Slices by code points; splits the text into code points once, and only if it has astral ones. */
function codePointSlicer(text: string): (start: number, end: number) => string {
  if (!/[\uD800-\uDBFF]/.test(text)) return (start, end) => text.slice(start, end)
  const codePoints = Array.from(text)
  return (start, end) => codePoints.slice(start, end).join('')
}

export function compareDocumentOrder(a: Annotation, b: Annotation): number {
  return a.start - b.start || b.end - a.end || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)
}

// biome-ignore lint/suspicious/noExplicitAny: Yjs types its parents loosely
type YType = Y.AbstractType<any>
type Block = Y.XmlElement | Y.XmlText
type Parsed = AnnotationRecord | AnnotationProblem

/** What changed for readers since the previous `readChanges()`. */
export interface AnnotationChanges {
  /**
   * Every annotation whose reading may differ (metadata, text, relations or
   * whether it is listed): its reading now, or null when it is not listed.
   * Offsets are not compared: text typed before an annotation moves it
   * without changing it.
   */
  changed: Map<string, Annotation | null>
}

export class AnnotationReader {
  /** The body's blocks in order, each laid out, with where it starts. */
  private blocks: Block[] = []
  private blockStarts: number[] = []
  private readonly readings = new Map<Block, BlockReading>()
  private readonly blockIndex = new Map<Block, number>()
  /** Blocks holding each id's marks. */
  private readonly blocksOfId = new Map<string, Set<Block>>()
  /** Every entry, parsed. */
  private readonly records = new Map<string, Parsed>()
  /** Target id → ids whose stored relations name it (their valid relations depend on it). */
  private readonly sourcesOf = new Map<string, Set<string>>()

  private structureChanged = true
  private readonly dirtyBlocks = new Set<YType>()
  private readonly dirtyEntries = new Set<string>()
  private readonly touched = new Set<string>()
  private readonly body: Y.XmlFragment
  private readonly entries: Y.Map<unknown>
  /** Ids marked in more than one block: their text includes whatever lies between. */
  private readonly spanning = new Set<string>()

  /**
   * Follows the document's transactions, so that each read redoes only what
   * they touched; call `destroy()` when done. Current from the moment a
   * transaction's observers run, not inside the transaction.
   */
  constructor(private readonly doc: Y.Doc) {
    this.body = bodyOf(doc)
    this.entries = annotationsMap(doc)
    for (const id of this.entries.keys()) this.dirtyEntries.add(id)
    doc.on('beforeObserverCalls', this.noteChanges)
  }

  destroy(): void {
    this.doc.off('beforeObserverCalls', this.noteChanges)
  }

  /** Remembers which blocks and entries the transaction changed; the work waits for a read. */
  private readonly noteChanges = (transaction: Y.Transaction): void => {
    for (const [type, keys] of transaction.changed) {
      if (type === (this.body as YType) || (isSection(type) && parentTypeOf(type) === this.body)) {
        this.structureChanged = true
        continue
      }
      if (type === (this.entries as YType)) {
        for (const id of keys) if (id !== null) this.dirtyEntries.add(id)
        continue
      }
      const block = blockContaining(this.body, type)
      if (block) {
        this.dirtyBlocks.add(block)
        continue
      }
      let child: YType = type
      for (let parent = parentTypeOf(child); parent; parent = parentTypeOf(child)) {
        if (parent === (this.entries as YType)) {
          const id = child._item?.parentSub
          if (id) this.dirtyEntries.add(id)
          break
        }
        child = parent
      }
    }
  }

  /** Lists `block` under each id it marks. */
  private index(block: Block, ids: Iterable<string>): void {
    for (const id of ids) {
      let blocks = this.blocksOfId.get(id)
      if (!blocks) {
        blocks = new Set()
        this.blocksOfId.set(id, blocks)
      }
      blocks.add(block)
      if (blocks.size > 1) this.spanning.add(id)
      this.touched.add(id)
    }
  }

  /** Stops listing `block` under each of these ids. */
  private unindex(block: Block, ids: Iterable<string>): void {
    for (const id of ids) {
      const blocks = this.blocksOfId.get(id)
      blocks?.delete(block)
      if (blocks?.size === 0) this.blocksOfId.delete(id)
      if ((blocks?.size ?? 0) <= 1) this.spanning.delete(id)
      this.touched.add(id)
    }
  }

  private addBlock(block: Block): void {
    const reading = readBlock(block)
    this.readings.set(block, reading)
    this.index(block, reading.marked.keys())
  }

  private dropBlock(block: Block): void {
    const reading = this.readings.get(block)
    if (!reading) return
    this.readings.delete(block)
    this.unindex(block, reading.marked.keys())
  }

  /**
   * Reads a changed block again. Only ids whose marks came or went, or whose
   * covered text changed, count as touched: typing in a paragraph moves every
   * later mark in it without changing what they quote.
   */
  private rereadBlock(block: Block): void {
    const before = this.readings.get(block) as BlockReading
    const after = readBlock(block)
    this.readings.set(block, after)
    const gone = [...before.marked.keys()].filter((id) => !after.marked.has(id))
    const come = [...after.marked.keys()].filter((id) => !before.marked.has(id))
    this.unindex(block, gone)
    this.index(block, come)
    for (const [id, ranges] of after.marked) {
      const previous = before.marked.get(id)
      if (previous && coveredText(before, previous) !== coveredText(after, ranges)) {
        this.touched.add(id)
      }
    }
  }

  private setRecord(id: string): void {
    const previous = this.records.get(id)
    if (previous && !isProblem(previous)) {
      for (const { target } of previous.relations) {
        const sources = this.sourcesOf.get(target)
        sources?.delete(id)
        if (sources?.size === 0) this.sourcesOf.delete(target)
      }
    }
    this.touched.add(id)
    if (!this.entries.has(id)) {
      this.records.delete(id)
      return
    }
    const parsed = parseRecord(id, this.entries.get(id))
    this.records.set(id, parsed)
    if (isProblem(parsed)) return
    for (const { target } of parsed.relations) {
      let sources = this.sourcesOf.get(target)
      if (!sources) {
        sources = new Set()
        this.sourcesOf.set(target, sources)
      }
      sources.add(id)
    }
  }

  /** Brings blocks, marks and records up to date with the document. */
  private refresh(): void {
    let lengthsChanged = this.dirtyBlocks.size > 0
    if (this.structureChanged) {
      const current = blocksOf(this.doc)
      const kept = new Set(current)
      for (const block of this.blocks) if (!kept.has(block)) this.dropBlock(block)
      this.blockIndex.clear()
      current.forEach((block, index) => {
        this.blockIndex.set(block, index)
        if (!this.readings.has(block)) this.addBlock(block)
      })
      this.blocks = current
      this.structureChanged = false
      lengthsChanged = true
    }
    for (const block of this.dirtyBlocks) {
      if (this.readings.has(block as Block)) this.rereadBlock(block as Block)
    }
    this.dirtyBlocks.clear()
    for (const id of this.dirtyEntries) this.setRecord(id)
    this.dirtyEntries.clear()
    if (lengthsChanged) {
      // an edit anywhere between a spanning annotation's blocks can change its text
      for (const id of this.spanning) this.touched.add(id)
      let offset = 0
      this.blockStarts = this.blocks.map((block, index) => {
        if (index > 0) offset += SEPARATOR_LENGTH
        const start = offset
        offset += (this.readings.get(block) as BlockReading).length
        return start
      })
    }
  }

  /** The plain text between two code-point offsets that lie inside blocks. */
  private textBetween(start: number, end: number): string {
    const parts: string[] = []
    for (
      let index = lastAtOrBefore(this.blockStarts, start);
      index < this.blocks.length && (this.blockStarts[index] as number) < end;
      index++
    ) {
      const block = this.readings.get(this.blocks[index] as Block) as BlockReading
      const blockStart = this.blockStarts[index] as number
      block.slice ??= codePointSlicer(block.text)
      parts.push(
        block.slice(
          Math.max(start, blockStart) - blockStart,
          Math.min(end, blockStart + block.length) - blockStart,
        ),
      )
    }
    return parts.join(PARAGRAPH_SEPARATOR)
  }

  /** The marked pieces of `id`, absolute, in document order. */
  private rangesOf(id: string): Range[] {
    const blocks = [...(this.blocksOfId.get(id) ?? [])]
    if (blocks.length > 1) {
      blocks.sort((a, b) => (this.blockIndex.get(a) as number) - (this.blockIndex.get(b) as number))
    }
    const ranges: Range[] = []
    for (const block of blocks) {
      const offset = this.blockStarts[this.blockIndex.get(block) as number] as number
      // a block's pieces never touch another block's: a separator lies between
      for (const piece of this.readings.get(block)?.marked.get(id) ?? []) {
        ranges.push({ start: piece.start + offset, end: piece.end + offset })
      }
    }
    return ranges
  }

  /** Whether `id` is listed: a valid entry with marked text. */
  private isListed(id: string): boolean {
    const record = this.records.get(id)
    return record !== undefined && !isProblem(record) && this.blocksOfId.has(id)
  }

  /** The reading of one annotation, relations filtered, or null when it is not listed. */
  private annotationOf(id: string): Annotation | null {
    const record = this.records.get(id)
    if (!record || isProblem(record)) return null
    const ranges = this.rangesOf(id)
    if (ranges.length === 0) return null
    const start = (ranges[0] as Range).start
    const end = (ranges[ranges.length - 1] as Range).end
    const allowed = relationTypeFor(record.kind)
    // spelled out rather than spread: one object shape, several times faster to build
    return {
      id,
      kind: record.kind,
      author: record.author,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      updatedBy: record.updatedBy,
      note: record.note,
      speaker: record.speaker,
      relations: record.relations.filter((relation) => {
        if (relation.type !== allowed || !this.isListed(relation.target)) return false
        return (this.records.get(relation.target) as AnnotationRecord).kind === 'claim'
      }),
      start,
      end,
      text: this.textBetween(start, end),
      ranges,
    }
  }

  /** Every annotation of the document, validated, with offsets; and what was ignored. */
  read(): AnnotationReading {
    this.refresh()
    this.touched.clear()
    const problems: AnnotationProblem[] = []
    for (const id of this.entries.keys()) {
      const record = this.records.get(id)
      if (record && isProblem(record)) problems.push(record)
    }
    const annotations: Annotation[] = []
    const seen = new Set<string>()
    // in order of first mark, so the sort below has little left to do
    for (const block of this.blocks) {
      for (const id of (this.readings.get(block) as BlockReading).marked.keys()) {
        if (seen.has(id)) continue
        seen.add(id)
        if (!this.records.has(id)) {
          problems.push({ annotationId: id, problem: 'marked text has no annotation entry' })
          continue
        }
        const annotation = this.annotationOf(id)
        if (annotation) annotations.push(annotation)
      }
    }
    annotations.sort(compareDocumentOrder)
    return { annotations, problems }
  }

  /**
   * The annotations whose reading may have changed since the previous
   * `readChanges()` (or `read()`): what the document's transactions touched,
   * plus those whose relations point at them. Costs what was touched, not
   * the size of the document.
   */
  readChanges(): AnnotationChanges {
    this.refresh()
    const ids = new Set(this.touched)
    for (const id of this.touched)
      for (const source of this.sourcesOf.get(id) ?? []) ids.add(source)
    this.touched.clear()
    const changed = new Map<string, Annotation | null>()
    for (const id of ids) changed.set(id, this.annotationOf(id))
    return { changed }
  }

  /**
   * Where a listed annotation is now (first marked character to last), or
   * null. With `readChanges()` this keeps an earlier reading in order without
   * reading everything again: the browser's panel places a changed entry
   * among the others by their current positions.
   */
  spanOf(id: string): Range | null {
    this.refresh()
    if (!this.isListed(id)) return null
    const ranges = this.rangesOf(id)
    return { start: (ranges[0] as Range).start, end: (ranges[ranges.length - 1] as Range).end }
  }

  /** Whether a reading lists `id` among its problems (a faulty entry, or marks without one). */
  hasProblem(id: string): boolean {
    this.refresh()
    const record = this.records.get(id)
    return record ? isProblem(record) : this.blocksOfId.has(id)
  }
}

/** Index of the last element of the ascending `values` that is ≤ `value` (0 if none). */
function lastAtOrBefore(values: readonly number[], value: number): number {
  let low = 0
  let high = values.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if ((values[middle] as number) <= value) low = middle
    else high = middle - 1
  }
  return low
}

/** Every annotation of the document, read once (for repeated reads keep an `AnnotationReader`). */
export function readAnnotations(doc: Y.Doc): AnnotationReading {
  const reader = new AnnotationReader(doc)
  try {
    return reader.read()
  } finally {
    reader.destroy()
  }
}
