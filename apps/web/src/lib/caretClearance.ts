/**
 * Keeps the caret out from under the sticky header and formatting toolbar.
 * ProseMirror scrolls the selection into view itself and ignores CSS
 * `scroll-padding`, so its `scrollThreshold` and `scrollMargin` are read from
 * that same padding each time it scrolls (the bars' heights change as the
 * window does). The browser moves the caret itself for the arrow and page
 * keys and lets it go under the bars, so after such a key the page is scrolled
 * by what it takes (typing goes through ProseMirror, and costs nothing here).
 * Only after a key: a colleague's edit that shifts the caret must not move
 * the page.
 */
import { Extension } from '@tiptap/core'
import { Plugin, PluginKey } from '@tiptap/pm/state'

/** Pixels the page keeps clear at the top of the view (`scroll-padding-block-start`). */
function clearanceAbove(): number {
  const padding = Number.parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop)
  return Number.isFinite(padding) ? padding : 0
}

const BELOW = 24

/** Keys whose caret move the browser makes, and ProseMirror does not scroll for. */
const CARET_KEYS = new Set([
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'PageUp',
  'PageDown',
  'Home',
  'End',
])

/** Scrolls the page by what brings a collapsed caret clear of the bars above and the edge below. */
function revealCaret(page: Document): void {
  const selection = page.getSelection()
  if (!selection?.isCollapsed || selection.rangeCount === 0) return
  const range = selection.getRangeAt(0)
  const caret = range.getClientRects()[0] ?? range.getBoundingClientRect()
  if (caret.height === 0) return
  const above = clearanceAbove()
  const below = window.innerHeight - BELOW
  if (caret.top < above) window.scrollBy({ top: caret.top - above })
  else if (caret.bottom > below) window.scrollBy({ top: caret.bottom - below })
}

function margins() {
  return { top: clearanceAbove(), bottom: BELOW, left: 0, right: 0 }
}

export const CaretClearance = Extension.create({
  name: 'caretClearance',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('caretClearance'),
        // getters: ProseMirror reads these props each time it scrolls, never copies them
        props: {
          get scrollThreshold() {
            return margins()
          },
          get scrollMargin() {
            return margins()
          },
          handleDOMEvents: {
            // after the browser has moved the caret, and once it has drawn the move
            keyup: (view, event) => {
              if (CARET_KEYS.has(event.key)) {
                requestAnimationFrame(() => revealCaret(view.dom.ownerDocument))
              }
              return false
            },
          },
        },
      }),
    ]
  },
})
