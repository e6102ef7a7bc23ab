import { createAnnotation, readAnnotations } from '@hashiya/annotations'
import {
  appendParagraphs,
  bodyOf,
  createYDoc,
  isSection,
  NodeName,
  readParagraphs,
  SECTION_SIZE,
} from '@hashiya/document'
import type { Editor } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { collaborativeEditor } from './testing/editors.js'

function editorOn(doc: Y.Doc): Editor {
  return collaborativeEditor(doc).editor
}

/** Where the text of the article's `index`th block starts (or ends). */
function blockPosition(editor: Editor, index: number, at: 'start' | 'end'): number {
  let seen = 0
  let found = -1
  editor.state.doc.descendants((node, pos) => {
    if (found >= 0) return false
    if (!node.isTextblock) return true
    if (seen++ === index) found = at === 'start' ? pos + 1 : pos + node.nodeSize - 1
    return false
  })
  if (found < 0) throw new Error(`no block ${index}`)
  return found
}

function press(editor: Editor, key: string, modifiers: KeyboardEventInit = {}): boolean {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...modifiers })
  return editor.view.someProp('handleKeyDown', (handle) => handle(editor.view, event)) ?? false
}

const sectionSizes = (doc: Y.Doc) =>
  bodyOf(doc)
    .toArray()
    .map((node) => (isSection(node) ? node.length : -1))

const paragraphs = (count: number) => Array.from({ length: count }, (_, i) => `فقرة${i}`)
const lines = (count: number) => Array.from({ length: count }, (_, i) => `سطر${i}`)

/** A paragraph directly in the body, as articles from before sections hold them. */
function legacy(text: string): Y.XmlElement {
  const paragraph = new Y.XmlElement(NodeName.paragraph)
  paragraph.insert(0, [new Y.XmlText(text)])
  return paragraph
}

describe('sections in the editor', () => {
  it('Backspace at the start of a section joins its first block to the previous block, keeping both sections', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE + 3))
    const editor = editorOn(doc)
    const untouched = (bodyOf(doc).get(1) as Y.XmlElement).get(1)
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE, 'start'))
    expect(press(editor, 'Backspace')).toBe(true)

    const expected = paragraphs(SECTION_SIZE + 3)
    expected.splice(SECTION_SIZE - 1, 2, `فقرة${SECTION_SIZE - 1}فقرة${SECTION_SIZE}`)
    expect(readParagraphs(doc)).toEqual(expected)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE, 2])
    // the rest of the second section is the same Yjs content, not a copy
    expect((bodyOf(doc).get(1) as Y.XmlElement).get(0)).toBe(untouched)
    // the caret sits where the two texts met
    expect(editor.state.selection.from).toBe(
      blockPosition(editor, SECTION_SIZE - 1, 'end') - `فقرة${SECTION_SIZE}`.length,
    )
  })

  it('Delete at the end of a section pulls the next section’s first block in, tags and all', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE + 2))
    const start = readParagraphs(doc).slice(0, SECTION_SIZE).join('\n\n').length + 2
    createAnnotation(doc, { kind: 'claim', start, end: start + 4, author: 'api' }, 'server')
    const editor = editorOn(doc)
    const caret = blockPosition(editor, SECTION_SIZE - 1, 'end')
    editor.commands.setTextSelection(caret)
    expect(press(editor, 'Delete')).toBe(true)

    expect(readParagraphs(doc)[SECTION_SIZE - 1]).toBe(`فقرة${SECTION_SIZE - 1}فقرة${SECTION_SIZE}`)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE, 1])
    expect(editor.state.selection.from).toBe(caret)
    const [claim] = readAnnotations(doc).annotations
    expect(claim?.text).toBe('فقرة')
    expect(claim?.start).toBe(start - 2)
  })

  it('removes a section whose only block joins its neighbour', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE + 1))
    const editor = editorOn(doc)
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE, 'start'))
    expect(press(editor, 'Backspace')).toBe(true)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE])
    expect(readParagraphs(doc)).toHaveLength(SECTION_SIZE)
  })

  it('joins a block written before sections to the section after it', () => {
    const doc = createYDoc()
    bodyOf(doc).insert(0, [legacy('قديمة')])
    appendParagraphs(doc, ['جديدة', 'ثانية'])
    const editor = editorOn(doc)
    editor.commands.setTextSelection(blockPosition(editor, 0, 'end'))
    expect(press(editor, 'Delete')).toBe(true)
    expect(readParagraphs(doc)).toEqual(['قديمةجديدة', 'ثانية'])
    expect(sectionSizes(doc)).toEqual([-1, 1])
  })

  it('leaves joins inside a section, and between blocks outside sections, to the usual commands', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['أولى', 'ثانية'])
    const editor = editorOn(doc)
    editor.commands.setTextSelection(blockPosition(editor, 1, 'start'))
    expect(press(editor, 'Backspace')).toBe(true)
    expect(readParagraphs(doc)).toEqual(['أولىثانية'])
    expect(sectionSizes(doc)).toEqual([1])
  })

  it('starts with the caret in the first paragraph, not in its section', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['أولى', 'ثانية'])
    const editor = editorOn(doc)
    expect(editor.state.selection.$from.parent.isTextblock).toBe(true)
    editor.commands.insertContent('و')
    expect(readParagraphs(doc)).toEqual(['وأولى', 'ثانية'])
  })

  it('Ctrl+Backspace and Ctrl+Delete at a boundary join blocks too', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE + 2))
    const editor = editorOn(doc)
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE, 'start'))
    expect(press(editor, 'Backspace', { ctrlKey: true })).toBe(true)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE, 1])
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE - 1, 'end'))
    expect(press(editor, 'Delete', { ctrlKey: true })).toBe(true)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE])
    expect(readParagraphs(doc)).toHaveLength(SECTION_SIZE)
  })

  it('removes an empty block across a boundary and keeps the heading after it', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE + 1))
    const editor = editorOn(doc)
    // the first section's last block emptied, the second's made a heading
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE, 'start'))
    editor.commands.setHeading({ level: 2 })
    const lastOfFirst = blockPosition(editor, SECTION_SIZE - 1, 'start')
    editor.commands.deleteRange({
      from: lastOfFirst,
      to: lastOfFirst + `فقرة${SECTION_SIZE - 1}`.length,
    })
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE, 'start'))
    expect(press(editor, 'Backspace')).toBe(true)
    expect(readParagraphs(doc).slice(-1)).toEqual([`فقرة${SECTION_SIZE}`])
    expect(readParagraphs(doc)).toHaveLength(SECTION_SIZE)
    const lastBlock = (bodyOf(doc).get(1) as Y.XmlElement).get(0) as Y.XmlElement
    expect(lastBlock.nodeName).toBe(NodeName.heading)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE - 1, 1])
  })

  it('Enter on an empty line adds a block to the section instead of splitting it', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE))
    const editor = editorOn(doc)
    const kept = (bodyOf(doc).get(0) as Y.XmlElement).get(0)
    editor.commands.setTextSelection(blockPosition(editor, 5, 'end'))
    expect(press(editor, 'Enter')).toBe(true)
    expect(press(editor, 'Enter')).toBe(true)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE + 2])
    expect((bodyOf(doc).get(0) as Y.XmlElement).get(0)).toBe(kept)
  })

  it('Enter at the end of a full section starts a new section, moving no block', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE))
    const editor = editorOn(doc)
    const section = bodyOf(doc).get(0) as Y.XmlElement
    const blocks = section.toArray()
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE - 1, 'end'))
    expect(press(editor, 'Enter')).toBe(true)
    editor.commands.insertContent('جديد')
    expect(press(editor, 'Enter')).toBe(true)
    editor.commands.insertContent('تالٍ')
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE, 2])
    expect(bodyOf(doc).get(0)).toBe(section)
    expect(section.toArray()).toEqual(blocks)
    expect(readParagraphs(doc).slice(-3)).toEqual([`فقرة${SECTION_SIZE - 1}`, 'جديد', 'تالٍ'])
  })

  it('Enter elsewhere in a full section, or inside its last block, grows the section', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE))
    const editor = editorOn(doc)
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE - 1, 'start'))
    expect(press(editor, 'Enter')).toBe(true)
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE, 'start') + 2)
    expect(press(editor, 'Enter')).toBe(true)
    editor.commands.setTextSelection(blockPosition(editor, 3, 'end'))
    expect(press(editor, 'Enter')).toBe(true)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE + 3])
  })

  it('deleting or typing over a selection across sections keeps the rest of the later section where it is', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE * 3))
    const editor = editorOn(doc)
    const secondRest = (bodyOf(doc).get(1) as Y.XmlElement).get(3)
    const thirdRest = (bodyOf(doc).get(2) as Y.XmlElement).get(1)

    // from inside block 30 to inside block 34 (the second section's third block), then Backspace
    editor.commands.setTextSelection({
      from: blockPosition(editor, 30, 'start') + 2,
      to: blockPosition(editor, SECTION_SIZE + 2, 'start') + 2,
    })
    expect(press(editor, 'Backspace')).toBe(true)
    expect(sectionSizes(doc)).toEqual([31, SECTION_SIZE - 3, SECTION_SIZE])
    expect((bodyOf(doc).get(1) as Y.XmlElement).get(0)).toBe(secondRest)

    // typed over a selection from the second section into the third
    editor.commands.setTextSelection({
      from: blockPosition(editor, 31 + 2, 'start') + 1,
      to: blockPosition(editor, 31 + SECTION_SIZE - 3, 'start') + 1,
    })
    editor.commands.insertContent('ـ')
    expect(sectionSizes(doc)).toEqual([31, 3, SECTION_SIZE - 1])
    expect((bodyOf(doc).get(2) as Y.XmlElement).get(0)).toBe(thirdRest)
    // block 30's first two letters, then block 34's text from its third
    expect(readParagraphs(doc)[30]).toBe(`فق${'فقرة34'.slice(2)}`)
  })

  it('pastes content copied across sections into the section it lands in', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE * 2))
    const editor = editorOn(doc)
    const copied = editor.state.doc.slice(
      blockPosition(editor, SECTION_SIZE - 2, 'start'),
      blockPosition(editor, SECTION_SIZE + 1, 'end'),
    )
    let sectionsInCopy = 0
    copied.content.forEach((node) => {
      if (node.type.name === NodeName.section) sectionsInCopy++
    })
    expect(sectionsInCopy).toBe(2)
    const pasted = editor.view.someProp('transformPasted', (transform) =>
      transform(copied, editor.view, false),
    )
    let sectionsPasted = 0
    pasted?.content.forEach((node) => {
      if (node.type.name === NodeName.section) sectionsPasted++
    })
    expect(sectionsPasted).toBe(0)
    editor.commands.setTextSelection(blockPosition(editor, 3, 'end'))
    editor.view.dispatch(editor.state.tr.replaceSelection(pasted as NonNullable<typeof pasted>))
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE + 3, SECTION_SIZE])
  })

  it('survives two colleagues joining both blocks of a section away at once', () => {
    const mine = createYDoc()
    appendParagraphs(mine, [...paragraphs(SECTION_SIZE), 'س', 'ص'])
    const theirs = createYDoc()
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine))
    const me = editorOn(mine)
    const them = editorOn(theirs)
    me.commands.setTextSelection(blockPosition(me, SECTION_SIZE, 'start'))
    them.commands.setTextSelection(blockPosition(them, SECTION_SIZE + 1, 'start'))
    expect(press(me, 'Backspace')).toBe(true)
    expect(press(them, 'Backspace')).toBe(true)
    expect(() => {
      Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine, Y.encodeStateVector(theirs)))
      Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(mine)))
    }).not.toThrow()
    expect(readParagraphs(mine)).toEqual(readParagraphs(theirs))
    me.commands.insertContent('ـ')
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine, Y.encodeStateVector(theirs)))
    expect(readParagraphs(mine)).toEqual(readParagraphs(theirs))
  })

  it('Delete in the emptied last block of the last section removes the section, or keeps the article’s only block', () => {
    const doc = createYDoc()
    appendParagraphs(doc, [...paragraphs(SECTION_SIZE), 'أخيرة'])
    const editor = editorOn(doc)
    const start = blockPosition(editor, SECTION_SIZE, 'start')
    editor.commands.deleteRange({ from: start, to: start + 'أخيرة'.length })
    editor.commands.setTextSelection(start)
    expect(press(editor, 'Delete')).toBe(true)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE])
    expect(editor.state.selection.$from.parent.isTextblock).toBe(true)

    const alone = createYDoc()
    appendParagraphs(alone, ['وحيدة'])
    const only = editorOn(alone)
    only.commands.deleteRange({ from: 2, to: 2 + 'وحيدة'.length })
    press(only, 'Delete')
    expect(sectionSizes(alone)).toEqual([1])
    only.commands.insertContent('ب')
    expect(readParagraphs(alone)).toEqual(['ب'])
  })

  it('Backspace in an empty heading at the start of the article makes it a paragraph, in its section', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['عنوان', 'نص'])
    const editor = editorOn(doc)
    editor.commands.setTextSelection(2)
    editor.commands.setHeading({ level: 2 })
    editor.commands.deleteRange({ from: 2, to: 2 + 'عنوان'.length })
    expect(press(editor, 'Backspace')).toBe(true)
    expect(sectionSizes(doc)).toEqual([2])
    expect(((bodyOf(doc).get(0) as Y.XmlElement).get(0) as Y.XmlElement).nodeName).toBe(
      NodeName.paragraph,
    )
  })

  it('leaves the Mac-only join keys to the browser elsewhere', () => {
    expect(navigator.platform).not.toMatch(/Mac|iPhone|iPad/)
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE + 2))
    const editor = editorOn(doc)
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE - 1, 'end'))
    expect(press(editor, 'd', { altKey: true })).toBe(false)
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE, 'start'))
    expect(press(editor, 'h', { ctrlKey: true })).toBe(false)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE, 2])
  })

  it('joins across a section colleagues left empty with one press, and removes that section', () => {
    for (const key of ['Backspace', 'Delete']) {
      const doc = createYDoc()
      appendParagraphs(doc, paragraphs(2 * SECTION_SIZE + 2))
      const editor = editorOn(doc)
      // colleagues joined the middle section's blocks away: it is empty, and not drawn
      ;(bodyOf(doc).get(1) as Y.XmlElement).delete(0, SECTION_SIZE)
      expect(sectionSizes(doc)).toEqual([SECTION_SIZE, 0, 2])
      if (key === 'Backspace') {
        editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE, 'start'))
      } else {
        editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE - 1, 'end'))
      }
      expect(press(editor, key)).toBe(true)
      const joined = `فقرة${SECTION_SIZE - 1}فقرة${2 * SECTION_SIZE}`
      expect(readParagraphs(doc), key).toEqual([
        ...paragraphs(SECTION_SIZE - 1),
        joined,
        `فقرة${2 * SECTION_SIZE + 1}`,
      ])
      expect(sectionSizes(doc), key).toEqual([SECTION_SIZE, 1])
      // the caret stays where the two texts meet
      editor.commands.insertContent('ـ')
      expect(readParagraphs(doc)[SECTION_SIZE - 1], key).toBe(
        `فقرة${SECTION_SIZE - 1}ـفقرة${2 * SECTION_SIZE}`,
      )
    }
  })

  it('joins two blocks written before sections across an empty section between them', () => {
    const doc = createYDoc()
    bodyOf(doc).insert(0, [legacy('قديمة'), new Y.XmlElement(NodeName.section), legacy('أخرى')])
    const editor = editorOn(doc)
    expect(sectionSizes(doc)).toEqual([-1, 0, -1])
    editor.commands.setTextSelection(blockPosition(editor, 1, 'start'))
    expect(press(editor, 'Backspace')).toBe(true)
    expect(readParagraphs(doc)).toEqual(['قديمةأخرى'])
    expect(sectionSizes(doc)).toEqual([-1])
  })

  it('brings a long paste into an article without sections in sections, and a short one as it is', () => {
    const doc = createYDoc()
    bodyOf(doc).insert(0, [legacy('قديمة'), legacy('أخرى')])
    const editor = editorOn(doc)
    editor.commands.setTextSelection(blockPosition(editor, 0, 'end'))
    expect(editor.view.pasteText(lines(2 * SECTION_SIZE + 16).join('\n'))).toBe(true)
    const pasted = lines(2 * SECTION_SIZE + 16)
    expect(readParagraphs(doc)).toEqual([`قديمة${pasted[0]}`, ...pasted.slice(1), 'أخرى'])
    // the first and last pasted lines join the text around the caret; the rest are in sections
    expect(sectionSizes(doc)).toEqual([-1, SECTION_SIZE, SECTION_SIZE, 14, -1, -1])

    const short = createYDoc()
    bodyOf(short).insert(0, [legacy('قديمة')])
    const other = editorOn(short)
    other.commands.setTextSelection(blockPosition(other, 0, 'end'))
    expect(other.view.pasteText(lines(10).join('\n'))).toBe(true)
    expect(sectionSizes(short)).toEqual(Array(10).fill(-1))
  })

  it('brings a long paste at the end of a section in new sections, and keeps one elsewhere in its section', () => {
    const pasted = lines(2 * SECTION_SIZE + 16)

    // a short article, then the long one pasted at its end
    const short = createYDoc()
    appendParagraphs(short, ['عنوان'])
    const editor = editorOn(short)
    editor.commands.setTextSelection(blockPosition(editor, 0, 'end'))
    expect(editor.view.pasteText(pasted.join('\n'))).toBe(true)
    expect(readParagraphs(short)).toEqual([`عنوان${pasted[0]}`, ...pasted.slice(1)])
    expect(sectionSizes(short)).toEqual([1, SECTION_SIZE, SECTION_SIZE, 15])
    editor.commands.insertContent('ـ')
    expect(readParagraphs(short).at(-1)).toBe(`${pasted.at(-1)}ـ`)

    // at the last block of a section that has another after it: the next one stays as it is
    const two = createYDoc()
    appendParagraphs(two, paragraphs(SECTION_SIZE + 2))
    const next = (bodyOf(two).get(1) as Y.XmlElement).get(0)
    const other = editorOn(two)
    other.commands.setTextSelection(blockPosition(other, SECTION_SIZE - 1, 'end'))
    expect(other.view.pasteText(pasted.join('\n'))).toBe(true)
    const before = paragraphs(SECTION_SIZE + 2)
    expect(readParagraphs(two)).toEqual([
      ...before.slice(0, SECTION_SIZE - 1),
      `${before[SECTION_SIZE - 1]}${pasted[0]}`,
      ...pasted.slice(1),
      ...before.slice(SECTION_SIZE),
    ])
    expect(sectionSizes(two)).toEqual([SECTION_SIZE, SECTION_SIZE, SECTION_SIZE, 15, 2])
    expect((bodyOf(two).get(4) as Y.XmlElement).get(0)).toBe(next)

    // in the middle of a section: the paste stays in it
    const middle = createYDoc()
    appendParagraphs(middle, paragraphs(3))
    const third = editorOn(middle)
    third.commands.setTextSelection(blockPosition(third, 0, 'end'))
    expect(third.view.pasteText(pasted.join('\n'))).toBe(true)
    expect(sectionSizes(middle)).toEqual([pasted.length + 2])
  })

  it('leaves a long drop, and a paste over a whole selected block, in the section they land in', () => {
    const html = Array.from({ length: 40 }, (_, i) => `<p>سطر${i}</p>`).join('')
    // a drop lands at the pointer, wherever the caret is (here: the end of the article)
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE + 5))
    const editor = editorOn(doc)
    const later = (bodyOf(doc).get(1) as Y.XmlElement).get(3)
    editor.commands.setTextSelection(blockPosition(editor, SECTION_SIZE + 4, 'end'))
    const view = editor.view as unknown as { posAtCoords: () => { pos: number; inside: number } }
    const at = blockPosition(editor, SECTION_SIZE + 1, 'start') + 2
    view.posAtCoords = () => ({ pos: at, inside: -1 })
    const data = new DataTransfer()
    data.setData('text/html', html)
    data.setData('text/plain', 'سطر')
    const drop = new Event('drop', { bubbles: true, cancelable: true })
    Object.defineProperty(drop, 'dataTransfer', { value: data })
    editor.view.dom.dispatchEvent(drop)
    // the block dropped into is split around the 40 new ones
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE, 5 - 1 + 40])
    expect((bodyOf(doc).get(1) as Y.XmlElement).toArray()).toContain(later)

    // a block selected as a whole inside a section is not a place without sections
    const whole = createYDoc()
    appendParagraphs(whole, paragraphs(6))
    const other = editorOn(whole)
    other.commands.setNodeSelection(blockPosition(other, 2, 'start') - 1)
    other.view.pasteHTML(html)
    // the selected block is replaced by the 40 new ones
    expect(sectionSizes(whole)).toEqual([6 - 1 + 40])
  })

  it('removes a section colleagues left empty with the next edit here', () => {
    const doc = createYDoc()
    appendParagraphs(doc, paragraphs(SECTION_SIZE + 1))
    const editor = editorOn(doc)
    // a colleague's join, as it arrives: the second section's only block gone
    ;(bodyOf(doc).get(1) as Y.XmlElement).delete(0, 1)
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE, 0])
    editor.commands.setTextSelection(blockPosition(editor, 0, 'end'))
    editor.commands.insertContent('ـ')
    expect(sectionSizes(doc)).toEqual([SECTION_SIZE])
  })
})
