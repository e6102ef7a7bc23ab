import { describe, expect, it } from 'vitest'
import {
  CARET_CLASS,
  CARET_LABEL_CLASS,
  CARET_LINE_CLASS,
  renderCaret,
  renderSelection,
} from './index.js'

describe('renderCaret', () => {
  it('is an empty inline span whose visible parts are its children', () => {
    const caret = renderCaret({ id: 'u', name: 'سارة', color: '#15803D' })
    expect(caret.tagName).toBe('SPAN')
    expect(caret.className).toBe(CARET_CLASS)
    expect(caret.getAttribute('aria-hidden')).toBe('true')
    expect(caret.style.getPropertyValue('--collab-color')).toBe('#15803d')
    // no text of its own in the line: only the label (absolutely positioned) has text
    const textOutsideLabel = [...caret.childNodes]
      .filter((node) => !(node instanceof HTMLElement && node.className === CARET_LABEL_CLASS))
      .map((node) => node.textContent)
      .join('')
    expect(textOutsideLabel).toBe('')
    expect(caret.querySelector(`.${CARET_LINE_CLASS}`)).not.toBeNull()
    expect(caret.querySelector(`.${CARET_LABEL_CLASS}`)?.textContent).toBe('سارة')
  })

  it('never lets a remote name or colour inject markup or styles', () => {
    const caret = renderCaret({ name: '<img src=x onerror=alert(1)>', color: 'red;x:url(y)' })
    expect(caret.querySelector('img')).toBeNull()
    expect(caret.querySelector(`.${CARET_LABEL_CLASS}`)?.textContent).toBe(
      '<img src=x onerror=alert(1)>',
    )
    expect(caret.style.getPropertyValue('--collab-color')).toBe('#475569')
  })
})

describe('renderSelection', () => {
  it('paints a translucent background and nothing else', () => {
    expect(renderSelection({ color: '#0369a1' })).toEqual({
      nodeName: 'span',
      class: 'collab-selection',
      style: 'background-color: #0369a133',
    })
    expect(renderSelection({ color: 'javascript:1' }).style).toBe('background-color: #47556933')
  })
})
