import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { Schema } from 'prosemirror-model'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ANNOTATION_MARK, annotationIdOfAttribute, annotationMarkKey } from './index.js'

/** The editor's schema as far as marks go: annotations overlap and carry only an id. */
const schema = new Schema({
  nodes: {
    doc: { content: 'paragraph+' },
    paragraph: { content: 'text*' },
    text: {},
  },
  marks: {
    [ANNOTATION_MARK]: { attrs: { id: {} }, excludes: '', inclusive: false },
  },
})

describe('annotation mark key', () => {
  it('is the key y-tiptap stores an overlapping annotation mark under', () => {
    const mark = (id: string) => schema.marks.annotation.create({ id })
    const pmDoc = schema.node('doc', null, [
      schema.node('paragraph', null, [schema.text('قال نيلسون', [mark('one'), mark('two')])]),
    ])
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('default')
    prosemirrorToYXmlFragment(pmDoc, fragment)
    const text = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText
    const keys = Object.keys(
      (text.toDelta() as { attributes: object }[])[0]?.attributes ?? {},
    ).sort()
    expect(keys).toEqual([annotationMarkKey('one'), annotationMarkKey('two')].sort())
  })

  it('round-trips server-written marks into the editor', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('default')
    const paragraph = new Y.XmlElement('paragraph')
    fragment.insert(0, [paragraph])
    const text = new Y.XmlText('نص')
    paragraph.insert(0, [text])
    text.format(0, 2, { [annotationMarkKey('x1')]: { id: 'x1' } })
    const node = yXmlFragmentToProseMirrorRootNode(fragment, schema)
    expect(node.firstChild?.firstChild?.marks.map((m) => m.attrs.id)).toEqual(['x1'])
  })

  it('reads ids only from annotation keys', () => {
    expect(annotationIdOfAttribute(annotationMarkKey('a'), { id: 'a' })).toBe('a')
    expect(annotationIdOfAttribute('annotation', { id: 'b' })).toBe('b')
    expect(annotationIdOfAttribute('bold', { id: 'c' })).toBeNull()
    expect(annotationIdOfAttribute(annotationMarkKey('a'), { id: 5 })).toBeNull()
    expect(annotationIdOfAttribute(annotationMarkKey('a'), null)).toBeNull()
  })
})
