/**
 * What changed between two points of a document's history: its text, piece by
 * piece, with who inserted or deleted each piece, and its annotations.
 *
 * The later document (gc off) still holds every deleted character, so each
 * piece of text is classified by whether it was visible at each point (Yjs
 * snapshots). Authors come from the update log: an inserted piece belongs to
 * whoever sent the update that created its Yjs client id and clock; a deleted
 * piece, to whoever sent the update whose delete set covers it.
 */
import { readAnnotations } from '@hashiya/annotations'
import { bodyOf, isSection, NodeName } from '@hashiya/document'
import type { StoredUpdate } from '@hashiya/storage'
import * as Y from 'yjs'
import { type AuditEvent, diffAnnotations } from './audit.js'

export type TextChange = 'equal' | 'insert' | 'delete'

export interface TextPiece {
  change: TextChange
  text: string
  /** Who inserted (for `insert`) or deleted (for `delete`) it; null for `equal`. */
  userId: string | null
}

export interface ParagraphDiff {
  /** 'insert' when the whole block is new, 'delete' when it is gone, else 'equal'. */
  change: TextChange
  pieces: TextPiece[]
}

export interface DocumentDiff {
  paragraphs: ParagraphDiff[]
  /** How the annotations differ, as audit actions from the earlier to the later state. */
  annotations: AuditEvent[]
}

interface Range {
  client: number
  from: number
  to: number
  userId: string
}

/** Who created which Yjs ids, and who deleted which, in the updates (from, to]. */
function authorship(updates: readonly StoredUpdate[]) {
  const inserted: Range[] = []
  const deleted: Range[] = []
  for (const { update, userId } of updates) {
    const { structs, ds } = Y.decodeUpdate(update)
    for (const struct of structs) {
      inserted.push({
        client: struct.id.client,
        from: struct.id.clock,
        to: struct.id.clock + struct.length,
        userId,
      })
    }
    for (const [client, deletions] of ds.clients) {
      for (const deletion of deletions) {
        deleted.push({ client, from: deletion.clock, to: deletion.clock + deletion.len, userId })
      }
    }
  }
  const find = (ranges: Range[], id: Y.ID): string | null => {
    // the earliest update wins: later diff updates repeat the whole delete set they know
    for (const range of ranges) {
      if (range.client === id.client && id.clock >= range.from && id.clock < range.to)
        return range.userId
    }
    return null
  }
  return {
    insertedBy: (id: Y.ID) => find(inserted, id),
    deletedBy: (id: Y.ID) => find(deleted, id),
  }
}

function visibleIn(snapshot: Y.Snapshot, item: Y.Item): boolean {
  const known = snapshot.sv.get(item.id.client) ?? 0
  return item.id.clock < known && !Y.isDeleted(snapshot.ds, item.id)
}

function classify(item: Y.Item, from: Y.Snapshot, to: Y.Snapshot): TextChange | null {
  const before = visibleIn(from, item)
  const after = visibleIn(to, item)
  if (before && after) return 'equal'
  if (after) return 'insert'
  if (before) return 'delete'
  return null
}

function pushPiece(pieces: TextPiece[], piece: TextPiece): void {
  const last = pieces[pieces.length - 1]
  if (last && last.change === piece.change && last.userId === piece.userId) last.text += piece.text
  else pieces.push(piece)
}

/**
 * Diffs `earlier` against `later`, two documents rebuilt from the same log
 * (`later` at the later point); `updates` are the logged updates between them.
 */
export function diffDocuments(
  earlier: Y.Doc,
  later: Y.Doc,
  updates: readonly StoredUpdate[],
): DocumentDiff {
  const from = Y.snapshot(earlier)
  const to = Y.snapshot(later)
  const who = authorship(updates)
  const paragraphs: ParagraphDiff[] = []

  const visitText = (text: Y.XmlText, pieces: TextPiece[], blockChange: TextChange) => {
    for (let item = text._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentString)) continue
      // inside a block that is new (or gone), only what the later (earlier) reader saw counts
      const change =
        blockChange === 'equal'
          ? classify(item, from, to)
          : visibleIn(blockChange === 'insert' ? to : from, item)
            ? blockChange
            : null
      if (change === null) continue
      const userId =
        change === 'insert'
          ? who.insertedBy(item.id)
          : change === 'delete'
            ? who.deletedBy(item.id)
            : null
      pushPiece(pieces, { change, text: item.content.str, userId })
    }
  }

  const visitBlock = (block: Y.Item) => {
    if (!(block.content instanceof Y.ContentType)) return
    const change = classify(block, from, to)
    if (change === null) return
    const element = block.content.type
    const pieces: TextPiece[] = []
    const walk = (node: Y.XmlElement | Y.XmlText) => {
      if (node instanceof Y.XmlText) visitText(node, pieces, change)
      else if (node.nodeName === NodeName.hardBreak)
        pushPiece(pieces, { change: 'equal', text: '\n', userId: null })
      else {
        for (let child = node._start; child !== null; child = child.right) {
          if (child.content instanceof Y.ContentType)
            walk(child.content.type as Y.XmlElement | Y.XmlText)
        }
      }
    }
    walk(element as Y.XmlElement | Y.XmlText)
    if (change !== 'equal') {
      const userId = change === 'insert' ? who.insertedBy(block.id) : who.deletedBy(block.id)
      for (const piece of pieces) {
        piece.change = change
        piece.userId = userId
      }
    }
    paragraphs.push({ change, pieces: mergePieces(pieces) })
  }

  // sections group blocks for the browser only; gone or new ones still list their blocks
  for (let item = bodyOf(later)._start; item !== null; item = item.right) {
    const type = item.content instanceof Y.ContentType ? item.content.type : null
    if (isSection(type)) {
      for (let block = type._start; block !== null; block = block.right) visitBlock(block)
    } else visitBlock(item)
  }

  const before = diffAnnotations(new Map(), readAnnotations(earlier)).state
  return {
    paragraphs: cancelRetyped(paragraphs),
    annotations: diffAnnotations(before, readAnnotations(later)).events,
  }
}

const plainTextOf = (paragraph: ParagraphDiff) => paragraph.pieces.map((p) => p.text).join('')

/**
 * Text deleted and the same text inserted again (a restore, an undo of a
 * deletion, a paragraph pasted back) is no change to a reader: show it as equal.
 */
function cancelRetyped(paragraphs: ParagraphDiff[]): ParagraphDiff[] {
  const blocks = paragraphs.map((paragraph) => ({
    ...paragraph,
    pieces: cancelRetypedPieces(paragraph.pieces),
  }))
  const result: ParagraphDiff[] = []
  let window: ParagraphDiff[] = []
  const flush = () => {
    const deleted = window.filter((b) => b.change === 'delete')
    for (const block of window) {
      if (block.change === 'delete') {
        const twin = window.find(
          (b) => b.change === 'insert' && plainTextOf(b) === plainTextOf(block),
        )
        if (twin) continue
        result.push(block)
      } else if (block.change === 'insert') {
        const twinIndex = deleted.findIndex((b) => plainTextOf(b) === plainTextOf(block))
        if (twinIndex >= 0) {
          deleted.splice(twinIndex, 1)
          result.push({
            change: 'equal',
            pieces: [{ change: 'equal', text: plainTextOf(block), userId: null }],
          })
        } else {
          result.push(block)
        }
      }
    }
    window = []
  }
  for (const block of blocks) {
    if (block.change === 'equal') {
      flush()
      result.push(block)
    } else {
      window.push(block)
    }
  }
  flush()
  return result
}

function cancelRetypedPieces(pieces: TextPiece[]): TextPiece[] {
  const result: TextPiece[] = []
  for (const piece of pieces) {
    const last = result[result.length - 1]
    const cancels =
      last &&
      last.text === piece.text &&
      ((last.change === 'delete' && piece.change === 'insert') ||
        (last.change === 'insert' && piece.change === 'delete'))
    if (cancels) result[result.length - 1] = { change: 'equal', text: piece.text, userId: null }
    else result.push({ ...piece })
  }
  return mergePieces(result)
}

function mergePieces(pieces: TextPiece[]): TextPiece[] {
  const merged: TextPiece[] = []
  for (const piece of pieces) pushPiece(merged, { ...piece })
  return merged
}
