/**
 * Test support: collaborative editors on a Y.Doc, as the web app makes them,
 * destroyed after each test. Not part of the package's build.
 */
import { Editor } from '@tiptap/core'
import { afterEach } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { ARTICLE_EDITOR_OPTIONS, articleExtensions } from '../index.js'

export const TEST_USER = { id: 'u-1', name: 'ليلى', color: '#0369a1' }

const editors: Editor[] = []

afterEach(() => {
  for (const editor of editors.splice(0)) editor.destroy()
})

/** An editor bound to `doc`, in an element attached to the page when `attached`. */
export function collaborativeEditor(
  doc: Y.Doc,
  options: { user?: typeof TEST_USER; attached?: boolean } = {},
): { editor: Editor; awareness: Awareness } {
  const awareness = new Awareness(doc)
  const element = document.createElement('div')
  if (options.attached) document.body.append(element)
  const editor = new Editor({
    ...ARTICLE_EDITOR_OPTIONS,
    element,
    extensions: articleExtensions({
      document: doc,
      provider: { awareness },
      user: options.user ?? TEST_USER,
    }),
  })
  editors.push(editor)
  return { editor, awareness }
}

/** Editors made here or by the test itself, destroyed after each test. */
export function destroyAfterTest(editor: Editor): Editor {
  editors.push(editor)
  return editor
}
