/**
 * Remote carets and selections drawn without breaking Arabic letter joining.
 *
 * A caret is a ProseMirror widget: an element inserted into the text, often in
 * the middle of a word. Browsers shape text across inline element boundaries
 * only while those elements add no border, margin or padding, and only while the
 * inserted element contributes no characters to the line. So the widget is an
 * empty inline span (no box of its own) whose children are all absolutely
 * positioned (out of flow, invisible to shaping): the line and the name label.
 * Selections are inline decorations that only paint a background.
 */
import type { DecorationAttrs } from '@tiptap/pm/view'
import { cleanUserName, safeColor } from './user.js'

export const CARET_CLASS = 'collab-caret'
export const CARET_LINE_CLASS = 'collab-caret__line'
export const CARET_LABEL_CLASS = 'collab-caret__label'
export const SELECTION_CLASS = 'collab-selection'

/** Builds the DOM of one remote caret (CollaborationCaret's `render`). */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = safeColor(user.color)
  const name = cleanUserName(user.name)

  const caret = document.createElement('span')
  caret.className = CARET_CLASS
  caret.setAttribute('aria-hidden', 'true')
  caret.style.setProperty('--collab-color', color)
  if (typeof user.id === 'string') caret.dataset.userId = user.id

  const line = document.createElement('span')
  line.className = CARET_LINE_CLASS

  const label = document.createElement('span')
  label.className = CARET_LABEL_CLASS
  label.textContent = name
  // A Latin name keeps its own order inside an Arabic line.
  label.dir = 'auto'

  caret.append(line, label)
  return caret
}

/** Attributes of the inline decoration over a remote selection (CollaborationCaret's `selectionRender`). */
export function renderSelection(user: Record<string, unknown>): DecorationAttrs {
  const color = safeColor(user.color)
  // `color` is a checked #rrggbb, so the style string cannot carry anything else.
  return {
    nodeName: 'span',
    class: SELECTION_CLASS,
    style: `background-color: ${color}33`,
  }
}
