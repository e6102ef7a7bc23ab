/**
 * Keeps React from walking the whole article before each of its commits.
 *
 * Before every commit react-dom saves the focused element's selection, so it
 * can put it back if its own DOM changes lose it. For a contenteditable it
 * counts the characters up to the caret by walking the element's entire DOM
 * (getSelectionInformation → getModernOffsetsFromPoints, which only stops at
 * the element's end). With the article focused, every render anywhere on the
 * page (the panel after each keystroke, each step of the virtualized list
 * while scrolling) walked every node of the article: ~10 ms at 100,000 words.
 *
 * React never changes the editor's DOM (ProseMirror owns it), so it has no
 * selection there to save. React recognises a contenteditable by the
 * `contentEditable` property reading "true"; on the editor's root that
 * property (only the JavaScript reflection: the attribute, which the browser
 * and ProseMirror use, stays as it is) reads "inherit" instead.
 */

const reflected =
  typeof HTMLElement === 'undefined'
    ? undefined
    : Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'contentEditable')

/** Hides `element`'s editability from React's selection saving; returns the undo. */
export function hideSelectionFromReact(element: HTMLElement): () => void {
  const get = reflected?.get
  const set = reflected?.set
  if (!get || !set) return () => {}
  Object.defineProperty(element, 'contentEditable', {
    configurable: true,
    enumerable: true,
    get(this: HTMLElement) {
      const value = get.call(this) as string
      return value === 'true' ? 'inherit' : value
    },
    set(this: HTMLElement, value: string) {
      set.call(this, value)
    },
  })
  return () => {
    delete (element as { contentEditable?: string }).contentEditable
  }
}
