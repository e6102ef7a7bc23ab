import {
  annotationMarkKey,
  annotationsMap,
  createAnnotation,
  readAnnotations,
  updateAnnotation,
} from '@hashiya/annotations'
import { appendParagraphs, blocksOf, createYDoc, readParagraphs } from '@hashiya/document'
import type { Editor } from '@tiptap/core'
import { TextSelection } from '@tiptap/pm/state'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  articleUndoManager,
  editAnnotation,
  linkAnnotation,
  removeAnnotation,
  setActiveAnnotations,
  tagSelection,
} from '../index.js'
import { collaborativeEditor } from '../testing/editors.js'

const user = { id: 'u-layla', name: 'ليلى', color: '#0369a1' }
function openEditor(doc: Y.Doc): Editor {
  return collaborativeEditor(doc, { user, attached: true }).editor
}

/** Selects `part` of the editor's text, shifted by `startShift`/`endShift` characters. */
function select(editor: Editor, part: string, startShift = 0, endShift = 0): void {
  let from = -1
  editor.state.doc.descendants((node, pos) => {
    if (from < 0 && node.isTextblock && node.textContent.includes(part)) {
      from = pos + 1 + node.textContent.indexOf(part)
    }
    return from < 0
  })
  if (from < 0) throw new Error(`${part} is not in the editor`)
  const selection = TextSelection.create(
    editor.state.doc,
    from + startShift,
    from + part.length + endShift,
  )
  editor.view.dispatch(editor.state.tr.setSelection(selection))
}

function spans(editor: Editor): { id: string | null; kind: string | null; className: string }[] {
  return [...editor.view.dom.querySelectorAll('[data-annotation-id]')].map((element) => ({
    id: element.getAttribute('data-annotation-id'),
    kind: element.getAttribute('data-annotation-kind'),
    className: element.className,
  }))
}

const ARTICLE = ['قالَ الوزيرُ إنَّ الأسعارَ ستنخفضُ قريباً.', 'ونفت الشركة ذلك.']

describe('tagging in the editor', () => {
  it('marks whole words and writes the metadata, as the server reads them', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    // from inside الوزيرُ to inside الأسعارَ
    select(editor, 'الوزيرُ إنَّ الأسعارَ', 2, -3)
    const id = tagSelection(editor, { document: doc, kind: 'claim', author: user.id })
    expect(id).toBeTruthy()
    const { annotations, problems } = readAnnotations(doc)
    expect(problems).toEqual([])
    expect(annotations).toHaveLength(1)
    expect(annotations[0]).toMatchObject({
      id,
      kind: 'claim',
      author: user.id,
      text: 'الوزيرُ إنَّ الأسعارَ',
    })
    // stored under the key the annotations package computes for y-tiptap
    const text = (blocksOf(doc)[0] as Y.XmlElement).get(0) as Y.XmlText
    const keys = (text.toDelta() as { attributes?: object }[]).flatMap((op) =>
      Object.keys(op.attributes ?? {}),
    )
    expect(keys).toContain(annotationMarkKey(id as string))
    // drawn with its kind, which the mark itself does not carry
    expect(spans(editor)).toEqual([
      { id, kind: 'claim', className: 'annotation annotation--claim' },
    ])
    // the caret ends after the tagged words
    expect(editor.state.selection.empty).toBe(true)
  })

  it('tags nothing when only spaces are selected', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['كلمة     كلمة'])
    const editor = openEditor(doc)
    select(editor, '   ')
    expect(tagSelection(editor, { document: doc, kind: 'aside', author: user.id })).toBeNull()
    expect(annotationsMap(doc).size).toBe(0)
  })

  it('nests overlapping annotations, each drawn with its own kind', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    select(editor, 'الوزيرُ إنَّ الأسعارَ')
    const claim = tagSelection(editor, { document: doc, kind: 'claim', author: user.id })
    select(editor, 'الأسعارَ ستنخفضُ')
    const aside = tagSelection(editor, { document: doc, kind: 'aside', author: user.id })
    const inner = editor.view.dom.querySelector(`[data-annotation-id="${aside}"]`)
    expect(inner?.textContent).toBeTruthy()
    const overlap = [...editor.view.dom.querySelectorAll(`[data-annotation-id="${aside}"]`)].find(
      (element) => element.parentElement?.closest(`[data-annotation-id="${claim}"]`),
    )
    expect(overlap?.textContent).toBe('الأسعارَ')
    expect(readAnnotations(doc).annotations.map((a) => [a.kind, a.text])).toEqual([
      ['claim', 'الوزيرُ إنَّ الأسعارَ'],
      ['aside', 'الأسعارَ ستنخفضُ'],
    ])
  })

  it('draws kind changes and active annotations without touching the text', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    select(editor, 'ونفت الشركة')
    const id = tagSelection(editor, { document: doc, kind: 'claim', author: user.id }) as string
    const before = editor.state.doc
    // as if a colleague changed the kind
    updateAnnotation(doc, id, { kind: 'denial' }, 'u-sami', 'remote')
    expect(spans(editor)[0]?.className).toBe('annotation annotation--denial')
    expect(spans(editor)[0]?.kind).toBe('denial')
    setActiveAnnotations(editor, [id])
    expect(spans(editor)[0]?.className).toBe('annotation annotation--denial annotation--active')
    setActiveAnnotations(editor, [])
    expect(spans(editor)[0]?.className).toBe('annotation annotation--denial')
    expect(editor.state.doc.eq(before)).toBe(true)
  })

  it('follows entries that become invalid, are replaced or come back (only those are re-read)', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    const id = createAnnotation(doc, { kind: 'quote', start: 5, end: 12, author: 'api' }, 'server')
    const other = createAnnotation(
      doc,
      { kind: 'claim', start: 20, end: 26, author: 'api' },
      'server',
    )
    const entry = annotationsMap(doc).get(id) as Y.Map<unknown>
    // a faulty client writes a kind nobody knows
    doc.transact(() => entry.set('kind', 'rumour'), 'remote')
    expect(spans(editor).find((span) => span.id === id)?.className).toBe('annotation')
    doc.transact(() => entry.set('kind', 'aside'), 'remote')
    expect(spans(editor).find((span) => span.id === id)?.kind).toBe('aside')
    // the whole entry replaced by something that is not an entry
    doc.transact(() => annotationsMap(doc).set(id, 'junk'), 'remote')
    expect(spans(editor).find((span) => span.id === id)?.className).toBe('annotation')
    expect(spans(editor).find((span) => span.id === other)?.kind).toBe('claim')
  })

  it('draws annotations created elsewhere (the REST API)', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    const id = createAnnotation(doc, { kind: 'quote', start: 5, end: 12, author: 'api' }, 'server')
    expect(spans(editor)).toEqual([
      { id, kind: 'quote', className: 'annotation annotation--quote' },
    ])
  })
})

describe('undoing annotation actions', () => {
  it('undoes a tag (mark and metadata) in one step, apart from the typing before it', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    editor.commands.setTextSelection(editor.state.doc.child(0).child(0).nodeSize)
    editor.commands.insertContent(' جداً')
    // tagged right away, well within the undo manager's capture timeout
    select(editor, 'الوزيرُ')
    const id = tagSelection(editor, { document: doc, kind: 'quote', author: user.id })
    expect(readAnnotations(doc).annotations.map((a) => a.id)).toEqual([id])

    editor.commands.undo()
    expect(readAnnotations(doc).annotations).toEqual([])
    expect(annotationsMap(doc).size).toBe(0)
    expect(spans(editor)).toEqual([])
    expect(readParagraphs(doc)[0]).toMatch(/جداً$/)

    editor.commands.redo()
    expect(readAnnotations(doc).annotations.map((a) => [a.id, a.kind, a.text])).toEqual([
      [id, 'quote', 'الوزيرُ'],
    ])
    expect(spans(editor)[0]?.kind).toBe('quote')

    editor.commands.undo()
    editor.commands.undo()
    expect(readParagraphs(doc)).toEqual(ARTICLE)
  })

  it('undoes each edit, link and deletion as its own step', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    select(editor, 'الأسعارَ ستنخفضُ')
    const claim = tagSelection(editor, { document: doc, kind: 'claim', author: user.id }) as string
    select(editor, 'ونفت الشركة ذلك')
    const denial = tagSelection(editor, {
      document: doc,
      kind: 'denial',
      author: user.id,
    }) as string
    editAnnotation(editor, doc, denial, { note: 'مصدر رسمي' }, user.id)
    editAnnotation(editor, doc, denial, { speaker: 'الشركة' }, user.id)
    linkAnnotation(editor, doc, denial, claim, true, user.id)
    removeAnnotation(editor, doc, claim)

    const state = () => {
      const { annotations } = readAnnotations(doc)
      const found = annotations.find((a) => a.id === denial)
      return {
        ids: annotations.map((a) => a.id),
        note: found?.note,
        speaker: found?.speaker,
        relations: found?.relations.length,
      }
    }
    expect(state()).toEqual({ ids: [denial], note: 'مصدر رسمي', speaker: 'الشركة', relations: 0 })
    editor.commands.undo() // the deletion
    expect(state()).toEqual({
      ids: [claim, denial],
      note: 'مصدر رسمي',
      speaker: 'الشركة',
      relations: 1,
    })
    expect(spans(editor).map((span) => span.kind)).toEqual(['claim', 'denial'])
    editor.commands.undo() // the link
    expect(state().relations).toBe(0)
    editor.commands.undo() // the speaker
    expect(state()).toMatchObject({ note: 'مصدر رسمي', speaker: '' })
    editor.commands.undo() // the note
    expect(state()).toMatchObject({ note: '', speaker: '' })
    editor.commands.undo() // the denial
    expect(state().ids).toEqual([claim])
    editor.commands.undo() // the claim
    expect(annotationsMap(doc).size).toBe(0)
    expect(articleUndoManager(editor)?.undoStack).toHaveLength(0)
  })

  it("never undoes a colleague's change", () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    select(editor, 'الوزيرُ')
    const id = tagSelection(editor, { document: doc, kind: 'claim', author: user.id }) as string

    // a colleague's edit arrives through the provider, with the provider as origin
    const colleague = new Y.Doc()
    Y.applyUpdate(colleague, Y.encodeStateAsUpdate(doc))
    updateAnnotation(colleague, id, { note: 'من سامي' }, 'u-sami')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(colleague, Y.encodeStateVector(doc)), 'provider')
    expect(readAnnotations(doc).annotations[0]?.note).toBe('من سامي')

    editor.commands.undo()
    // the tag is gone (its text is unmarked); the colleague's note stays in the entry
    expect(readAnnotations(doc).annotations).toEqual([])
    expect(editor.can().undo()).toBe(false)
  })
})

describe('pasting tagged text', () => {
  const html = (id: string) => `<p><span data-annotation-id="${id}">الأسعارَ</span></p>`

  it('does not tag a copy again, nor keep tags from elsewhere', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    select(editor, 'الأسعارَ')
    const id = tagSelection(editor, { document: doc, kind: 'claim', author: user.id }) as string
    editor.commands.setTextSelection(editor.state.doc.content.size - 2)
    editor.view.pasteHTML(html(id))
    editor.view.pasteHTML(html('aForeignId'))
    expect(readAnnotations(doc).annotations.map((a) => a.ranges.length)).toEqual([1])
    expect(readAnnotations(doc).problems).toEqual([])
    expect(readParagraphs(doc)[1]).toMatch(/الأسعارَالأسعارَ$/)
  })

  it('keeps the tag of text that was cut and pasted back', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ARTICLE)
    const editor = openEditor(doc)
    select(editor, 'الأسعارَ')
    const id = tagSelection(editor, { document: doc, kind: 'claim', author: user.id }) as string
    select(editor, 'الأسعارَ')
    editor.commands.deleteSelection()
    expect(readAnnotations(doc).annotations).toEqual([])
    editor.commands.setTextSelection(editor.state.doc.content.size - 2)
    editor.view.pasteHTML(html(id))
    expect(readAnnotations(doc).annotations.map((a) => [a.id, a.text])).toEqual([[id, 'الأسعارَ']])
  })
})
