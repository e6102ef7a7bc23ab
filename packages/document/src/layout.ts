/**
 * Where an article lives inside its Y.Doc.
 *
 * Tiptap's Collaboration extension binds the editor to one Y.XmlFragment; every
 * reader and writer outside the browser (server, exporters, tests) must agree on
 * its name and on the node names, so they are defined once here.
 */
import * as Y from 'yjs'

/** Name of the XmlFragment that holds the article body (Tiptap's default field). */
export const BODY_FIELD = 'default'

/** ProseMirror node names used in the body. */
export const NodeName = {
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
