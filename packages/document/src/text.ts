/**
 * Plain text in and out of the Yjs article body.
 *
 * The outside world sees an article as paragraphs of plain text; joined, they are
 * separated by a blank line (`PARAGRAPH_SEPARATOR`). Offsets that later modules
 * hand out are counted in that joined text.
 */
import * as Y from 'yjs'
import { blocksOf, bodyOf, createYDoc, MAX_BLOCK_NESTING, NodeName, sectionsOf } from './layout.js'

export const PARAGRAPH_SEPARATOR = '\n\n'

/**
 * Splits pasted or uploaded text into paragraphs: every non-empty line is one.
 * Text is normalized to NFC here, once, so that the same word typed on different
 * keyboards compares equal; it is never re-normalized later.
 */
export function paragraphsFromText(text: string): string[] {
  return text
    .normalize('NFC')
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
}

/** A top-level block of an article as plain text; a line break in it (Shift+Enter) is "\n". */
export type Block =
  | { type: 'paragraph'; text: string }
  | { type: 'heading'; level: HeadingLevel; text: string }

export type HeadingLevel = 2 | 3

/** The text of a block as Yjs holds it: a line break is an element of its own between texts. */
function blockContent(text: string): (Y.XmlText | Y.XmlElement)[] {
  const content: (Y.XmlText | Y.XmlElement)[] = []
  text.split('\n').forEach((line, index) => {
    if (index > 0) content.push(new Y.XmlElement(NodeName.hardBreak))
    if (line.length > 0) content.push(new Y.XmlText(line))
  })
  return content
}

/** Appends blocks to the end of the body, in new sections, in one transaction. */
export function appendBlocks(doc: Y.Doc, blocks: readonly Block[]): void {
  if (blocks.length === 0) return
  const body = bodyOf(doc)
  doc.transact(() => {
    const elements = blocks.map((block) => {
      const element = new Y.XmlElement(
        block.type === 'heading' ? NodeName.heading : NodeName.paragraph,
      )
      if (block.type === 'heading') element.setAttribute('level', block.level as unknown as string)
      element.insert(0, blockContent(block.text))
      return element
    })
    body.insert(body.length, sectionsOf(elements))
  })
}

/** Appends paragraphs to the end of the body in one transaction. */
export function appendParagraphs(doc: Y.Doc, paragraphs: readonly string[]): void {
  appendBlocks(
    doc,
    paragraphs.map((text) => ({ type: 'paragraph', text })),
  )
}

/** The encoded Yjs update of a fresh document holding these paragraphs. */
export function encodeDocumentFromParagraphs(paragraphs: readonly string[]): Uint8Array {
  const doc = createYDoc()
  appendParagraphs(doc, paragraphs)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

function textOfNode(node: Y.XmlElement | Y.XmlText | Y.XmlHook, depth = 0): string {
  if (node instanceof Y.XmlText) {
    let text = ''
    for (const op of node.toDelta() as { insert?: unknown }[]) {
      if (typeof op.insert === 'string') text += op.insert
    }
    return text
  }
  if (node instanceof Y.XmlElement) {
    if (node.nodeName === NodeName.hardBreak) return '\n'
    if (depth > MAX_BLOCK_NESTING) return ''
    return node
      .toArray()
      .map((child) => textOfNode(child as Y.XmlElement | Y.XmlText, depth + 1))
      .join('')
  }
  return ''
}

/** The article's blocks as plain text, with what kind of block each is. */
export function readBlocks(doc: Y.Doc): Block[] {
  return blocksOf(doc).map((node): Block => {
    const text = textOfNode(node)
    if (node instanceof Y.XmlElement && node.nodeName === NodeName.heading) {
      return { type: 'heading', level: Number(node.getAttribute('level')) === 3 ? 3 : 2, text }
    }
    return { type: 'paragraph', text }
  })
}

/** The article's blocks (paragraphs and headings) as plain text. */
export function readParagraphs(doc: Y.Doc): string[] {
  return blocksOf(doc).map((node) => textOfNode(node))
}

/** The article as one plain string, paragraphs separated by a blank line. */
export function readPlainText(doc: Y.Doc): string {
  return readParagraphs(doc).join(PARAGRAPH_SEPARATOR)
}

/** Paragraphs of a document given only as its encoded state, without keeping it loaded. */
export function readParagraphsFromUpdates(updates: readonly Uint8Array[]): string[] {
  const doc = createYDoc()
  for (const update of updates) Y.applyUpdate(doc, update)
  const paragraphs = readParagraphs(doc)
  doc.destroy()
  return paragraphs
}
