import {
  appendParagraphs,
  blocksOf,
  bodyOf,
  createYDoc,
  NodeName,
  readParagraphs,
} from '@hashiya/document'
import { Editor } from '@tiptap/core'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { yCursorPluginKey } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { ARTICLE_NODE_NAMES, articleSchemaExtensions } from './index.js'
import { collaborativeEditor, destroyAfterTest, TEST_USER } from './testing/editors.js'

const user = TEST_USER

/** The editor's blocks in order, inside sections or not. */
function blockNodes(editor: Editor): PMNode[] {
  const blocks: PMNode[] = []
  editor.state.doc.descendants((node) => {
    if (node.isTextblock) blocks.push(node)
    return !node.isTextblock
  })
  return blocks
}

const textOf = (editor: Editor) =>
  blockNodes(editor)
    .map((block) => block.textContent)
    .join('\n')

describe('article schema', () => {
  it('has exactly the nodes of an article and one mark, the annotation id', () => {
    const editor = destroyAfterTest(new Editor({ extensions: articleSchemaExtensions() }))
    expect(Object.keys(editor.schema.nodes).sort()).toEqual([...ARTICLE_NODE_NAMES].sort())
    expect(Object.keys(editor.schema.marks)).toEqual(['annotation'])
    const mark = editor.schema.marks.annotation
    expect(Object.keys(mark?.spec.attrs ?? {})).toEqual(['id'])
    expect(mark?.spec.excludes).toBe('')
    expect(mark?.spec.inclusive).toBe(false)
    expect(editor.schema.nodes[NodeName.heading]?.spec.attrs?.level).toBeDefined()
  })
})

describe('collaborative article editor', () => {
  it('shows paragraphs written outside the editor (by the server)', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['الفقرة الأولى', 'الفقرة الثانية'])
    const { editor } = collaborativeEditor(doc)
    expect(textOf(editor)).toBe('الفقرة الأولى\nالفقرة الثانية')
  })

  it('writes typed text into the shared body the server reads', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['قبل'])
    const { editor } = collaborativeEditor(doc)
    editor.commands.setTextSelection(editor.state.doc.content.size - 2)
    editor.commands.insertContent(' وبعد')
    editor.commands.setHeading({ level: 2 })
    expect(readParagraphs(doc)).toEqual(['قبل وبعد'])
    expect((blocksOf(doc)[0] as Y.XmlElement).nodeName).toBe(NodeName.heading)
  })

  it('keeps the rendered document when another plugin is registered later (a menu)', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['الأولى', 'الثانية', 'الثالثة'])
    const { editor } = collaborativeEditor(doc)
    const before = editor.state.doc
    // plugin views are all re-created; rebuilding the document from Yjs then would leave
    // ProseMirror comparing every paragraph deeply on every later keystroke
    editor.registerPlugin(new Plugin({ key: new PluginKey('late-menu'), view: () => ({}) }))
    expect(editor.state.doc).toBe(before)
    // still bound both ways
    appendParagraphs(doc, ['من زميل'])
    expect(textOf(editor)).toBe('الأولى\nالثانية\nالثالثة\nمن زميل')
    editor.commands.setTextSelection(5)
    editor.commands.insertContent('ـ')
    expect(readParagraphs(doc)[0]).toBe('الأـولى')
    editor.commands.undo()
    expect(readParagraphs(doc)[0]).toBe('الأولى')
  })

  it('renders right to left', () => {
    const { editor } = collaborativeEditor(createYDoc())
    expect(editor.view.dom.getAttribute('dir')).toBe('rtl')
  })

  it('publishes the user in awareness and undoes only local changes', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['نص'])
    const { editor, awareness } = collaborativeEditor(doc)
    expect(awareness.getLocalState()?.user).toEqual(user)

    editor.commands.setTextSelection(editor.state.doc.content.size - 2)
    editor.commands.insertContent('ي')
    // a change that arrives from elsewhere (another replica) is not undoable here
    appendParagraphs(doc, ['من زميل'])
    expect(readParagraphs(doc)).toEqual(['نصي', 'من زميل'])

    editor.commands.undo()
    expect(readParagraphs(doc)).toEqual(['نص', 'من زميل'])
    editor.commands.redo()
    expect(readParagraphs(doc)).toEqual(['نصي', 'من زميل'])
  })

  it("redraws carets for colleagues' cursors, not for its own (which moves with every key)", async () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['نص طويل'])
    const { editor, awareness } = collaborativeEditor(doc)
    let redraws = 0
    editor.on('transaction', ({ transaction }) => {
      if (transaction.getMeta(yCursorPluginKey)?.awarenessUpdated) redraws++
    })
    const nextTask = () => new Promise((resolve) => setTimeout(resolve, 5))
    const caret = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(bodyOf(doc), 0))
    awareness.setLocalStateField('cursor', { anchor: caret, head: caret })
    await nextTask()
    expect(redraws).toBe(0)

    const colleague = new Awareness(createYDoc())
    colleague.setLocalStateField('user', { id: 'u-2', name: 'سامي', color: '#b45309' })
    applyAwarenessUpdate(
      awareness,
      encodeAwarenessUpdate(colleague, [colleague.clientID]),
      'remote',
    )
    await nextTask()
    expect(redraws).toBe(1)
    colleague.destroy()
  })

  it("applies a colleague's keystroke to its paragraph only, keeping the others and the caret", () => {
    const mine = createYDoc()
    appendParagraphs(mine, ['الأولى', 'الثانية', 'الثالثة'])
    const theirs = createYDoc()
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine))
    mine.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') Y.applyUpdate(theirs, update, 'remote')
    })
    theirs.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') Y.applyUpdate(mine, update, 'remote')
    })
    const { editor } = collaborativeEditor(mine)
    editor.commands.setTextSelection(4)
    const [first, , third] = blockNodes(editor)

    const secondText = (blocksOf(theirs)[1] as Y.XmlElement).get(0) as Y.XmlText
    secondText.insert(0, 'و')
    expect(readParagraphs(mine)).toEqual(['الأولى', 'والثانية', 'الثالثة'])
    expect(textOf(editor)).toBe('الأولى\nوالثانية\nالثالثة')
    // the paragraphs the colleague did not touch are the very nodes drawn before
    expect(blockNodes(editor)[0]).toBe(first)
    expect(blockNodes(editor)[2]).toBe(third)
    expect(editor.state.selection.from).toBe(4)

    // a paragraph added elsewhere, then typing here: both sides agree
    appendParagraphs(theirs, ['الرابعة'])
    editor.commands.setTextSelection(3)
    editor.commands.insertContent('ـ')
    expect(readParagraphs(theirs)).toEqual(['اـلأولى', 'والثانية', 'الثالثة', 'الرابعة'])
    expect(textOf(editor)).toBe('اـلأولى\nوالثانية\nالثالثة\nالرابعة')
  })

  it('does not compare the article with Yjs again when only the selection moved', () => {
    const doc = createYDoc()
    appendParagraphs(doc, ['الأولى', 'الثانية'])
    const { editor } = collaborativeEditor(doc)
    // the first transaction after opening compares once (nothing was written from here yet)
    editor.commands.setTextSelection(2)
    // y-tiptap lists the body's children whenever it compares the document with Yjs
    const body = bodyOf(doc)
    const toArray = body.toArray
    let comparisons = 0
    body.toArray = function (this: typeof body) {
      comparisons++
      return toArray.call(this)
    }
    editor.commands.setTextSelection(4)
    editor.commands.setTextSelection(6)
    expect(comparisons).toBe(0)
    editor.commands.insertContent('ـ')
    expect(comparisons).toBeGreaterThan(0)
    expect(readParagraphs(doc)[0]).toBe('الأوـلى')
  })
})
