/**
 * Where an article lives inside its Y.Doc.
 *
 * Tiptap's Collaboration extension binds the editor to one Y.XmlFragment; every
 * reader and writer outside the browser (server, exporters, tests) must agree on
 * its name and on the node names, so they are defined once here.
 *
 * The body holds sections, each a run of blocks (paragraphs and headings).
 * Sections mean nothing to readers: the article is its blocks in order. They
 * exist for the browser, which then lays out and checks for visibility a few
 * hundred sections instead of thousands of paragraphs on every keystroke.
 * Bodies written before sections hold their blocks directly, and both kinds
 * may mix; everything here reads either.
 */
import * as Y from 'yjs'

/** Name of the XmlFragment that holds the article body (Tiptap's default field). */
export const BODY_FIELD = 'default'

/** ProseMirror node names used in the body. */
export const NodeName = {
  section: 'section',
  paragraph: 'paragraph',
  heading: 'heading',
  hardBreak: 'hardBreak',
} as const

/**
 * Every Hashiya document is created with garbage collection off: version history
 * renders past states from the deleted content that gc would throw away.
 */
export function createYDoc(): Y.Doc {
  return new Y.Doc({ gc: false })
}

export function bodyOf(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(BODY_FIELD)
}

/**
 * How deep inside a block readers look. The schema nests one level (a hard
 * break in a paragraph); only a faulty client writes more, and a few thousand
 * levels would overflow the stack of any recursive walk (Yjs's own toString
 * and clone among them), making the document unreadable.
 */
export const MAX_BLOCK_NESTING = 32

/**
 * How many levels of elements `node` holds (0 for text), walked without
 * recursion and counted no further than `limit` + 1.
 */
export function nestingDepth(node: Y.XmlElement | Y.XmlText, limit = MAX_BLOCK_NESTING): number {
  let deepest = 0
  const pending: [Y.XmlElement, number][] = node instanceof Y.XmlElement ? [[node, 1]] : []
  while (pending.length > 0) {
    const [element, depth] = pending.pop() as [Y.XmlElement, number]
    deepest = Math.max(deepest, depth)
    if (deepest > limit) return deepest
    for (const child of element.toArray()) {
      if (child instanceof Y.XmlElement) pending.push([child, depth + 1])
    }
  }
  return deepest
}

/**
 * Blocks per section when text is added to an article. Enough that a long
 * article has few top-level nodes; few enough that a section is cheap to lay
 * out when one of its paragraphs changes (measured in BENCHMARKS.md).
 */
export const SECTION_SIZE = 32

/** A top-level child of the body or of a section: a block, or (in the body) a section. */
export type BodyNode = Y.XmlElement | Y.XmlText

export function isSection(node: unknown): node is Y.XmlElement {
  return node instanceof Y.XmlElement && node.nodeName === NodeName.section
}

/** The article's blocks in order, inside sections or (older bodies) directly in the body. */
export function blocksOf(doc: Y.Doc): BodyNode[] {
  const blocks: BodyNode[] = []
  for (const node of bodyOf(doc).toArray() as BodyNode[]) {
    if (isSection(node)) blocks.push(...(node.toArray() as BodyNode[]))
    else blocks.push(node)
  }
  return blocks
}

// biome-ignore lint/suspicious/noExplicitAny: Yjs types its parents loosely
type AnyType = Y.AbstractType<any>

/** The type that holds `type`, or null at the top of the document. */
export function parentTypeOf(type: AnyType): AnyType | null {
  const parent: unknown = type._item?.parent
  return parent instanceof Y.AbstractType ? parent : null
}

/**
 * The block that `type` is or lies in, or null when it is the body, a section,
 * or outside the body. Sections and the body are containers: a change to their
 * children is a change to the list of blocks.
 */
export function blockContaining(body: Y.XmlFragment, type: AnyType): BodyNode | null {
  let child: AnyType = type
  for (let parent = parentTypeOf(child); parent; parent = parentTypeOf(child)) {
    if (parent === body) return isSection(child) ? null : (child as BodyNode)
    if (isSection(parent) && parentTypeOf(parent) === body) return child as BodyNode
    child = parent
  }
  return null
}

/** Wraps blocks into new sections of `SECTION_SIZE`. */
export function sectionsOf(blocks: readonly BodyNode[]): Y.XmlElement[] {
  const sections: Y.XmlElement[] = []
  for (let start = 0; start < blocks.length; start += SECTION_SIZE) {
    const section = new Y.XmlElement(NodeName.section)
    section.insert(0, blocks.slice(start, start + SECTION_SIZE))
    sections.push(section)
  }
  return sections
}
