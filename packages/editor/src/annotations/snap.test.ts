import { Editor } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import {
  articleSchemaExtensions,
  graphemeEnd,
  graphemeStart,
  snapDocRange,
  snapRange,
} from '../index.js'

/** The range of `part` in `text` (first occurrence), for readable tests. */
function find(text: string, part: string): { from: number; to: number } {
  const from = text.indexOf(part)
  if (from < 0) throw new Error(`${part} not in ${text}`)
  return { from, to: from + part.length }
}

function snapped(text: string, range: { from: number; to: number } | null): string | null {
  return range && text.slice(range.from, range.to)
}

describe('word snapping', () => {
  const text = 'قالَ الوزيرُ إنَّ الأسعارَ ستنخفضُ قريباً.'

  it('grows a selection to the whole words it touches, harakat included', () => {
    // from inside الوزيرُ to inside الأسعارَ
    const from = text.indexOf('الوزيرُ') + 3
    const to = text.indexOf('الأسعارَ') + 2
    expect(snapped(text, snapRange(text, { from, to }, 'word'))).toBe('الوزيرُ إنَّ الأسعارَ')
  })

  it('drops spaces and sentence punctuation at the edges, not inside', () => {
    const range = find(text, ' ستنخفضُ قريباً.')
    expect(snapped(text, snapRange(text, range, 'word'))).toBe('ستنخفضُ قريباً')
    const list = 'نفى، بشدة، الخبر'
    expect(snapped(list, snapRange(list, { from: 0, to: list.length }, 'word'))).toBe(list)
    expect(snapped(list, snapRange(list, find(list, '، بشدة،'), 'word'))).toBe('بشدة')
  })

  it('keeps quotation marks the user selected', () => {
    const quoted = 'قال «لن نتراجع» أمس'
    expect(snapped(quoted, snapRange(quoted, find(quoted, '«لن نتراجع»'), 'word'))).toBe(
      '«لن نتراجع»',
    )
    // starting inside the first word after «: the word, not the mark
    const inside = { from: quoted.indexOf('لن') + 1, to: quoted.indexOf('نتراجع') + 3 }
    expect(snapped(quoted, snapRange(quoted, inside, 'word'))).toBe('لن نتراجع')
  })

  it('treats a word stretched with tatweel as one word', () => {
    const stretched = 'هذا كـبـيـر جداً'
    const from = stretched.indexOf('بـ')
    expect(snapped(stretched, snapRange(stretched, { from, to: from + 1 }, 'word'))).toBe('كـبـيـر')
  })

  it('snaps Latin names and numbers, Western and Arabic-Indic', () => {
    const mixed = 'قال Bill Nelson في 2024 أو ٢٠٢٤ مرة'
    const name = { from: mixed.indexOf('ll'), to: mixed.indexOf('Nel') + 3 }
    expect(snapped(mixed, snapRange(mixed, name, 'word'))).toBe('Bill Nelson')
    const year = { from: mixed.indexOf('024'), to: mixed.indexOf('024') + 2 }
    expect(snapped(mixed, snapRange(mixed, year, 'word'))).toBe('2024')
    const indic = { from: mixed.indexOf('٢٠٢٤') + 1, to: mixed.indexOf('٢٠٢٤') + 2 }
    expect(snapped(mixed, snapRange(mixed, indic, 'word'))).toBe('٢٠٢٤')
  })

  it('keeps emoji whole', () => {
    const emoji = 'رائع 👍🏽 جداً 👨‍👩‍👧 نعم'
    const thumb = emoji.indexOf('👍🏽')
    // from the middle of the thumb (between its surrogates) to the end of جداً
    const range = { from: thumb + 1, to: emoji.indexOf('جداً') + 2 }
    expect(snapped(emoji, snapRange(emoji, range, 'word'))).toBe('👍🏽 جداً')
    const family = emoji.indexOf('👨‍👩‍👧')
    expect(snapped(emoji, snapRange(emoji, { from: family + 3, to: family + 4 }, 'word'))).toBe(
      '👨‍👩‍👧',
    )
  })

  it('takes the word at a caret, preferring the one just typed', () => {
    const from = text.indexOf('الوزيرُ') + 2
    expect(snapped(text, snapRange(text, { from, to: from }, 'word'))).toBe('الوزيرُ')
    const end = text.indexOf('الوزيرُ') + 'الوزيرُ'.length
    expect(snapped(text, snapRange(text, { from: end, to: end }, 'word'))).toBe('الوزيرُ')
    const spaces = 'كلمة   أخرى'
    expect(snapRange(spaces, { from: 5, to: 5 }, 'word')).toBeNull()
  })

  it('finds nothing to tag in spaces and punctuation alone', () => {
    expect(snapRange('كلمة ، كلمة', { from: 4, to: 7 }, 'word')).toBeNull()
    expect(snapRange('', { from: 0, to: 0 }, 'word')).toBeNull()
  })

  it('accepts a backward or out-of-bounds range', () => {
    const range = find(text, 'الوزيرُ')
    expect(snapped(text, snapRange(text, { from: range.to, to: range.from }, 'word'))).toBe(
      'الوزيرُ',
    )
    expect(snapped('نعم', snapRange('نعم', { from: -4, to: 99 }, 'word'))).toBe('نعم')
  })
})

describe('grapheme snapping (precise mode)', () => {
  it('keeps part of a word but never splits a letter from its harakat', () => {
    const word = 'إنَّ'
    // إ ن ّ َ: ending after ن would leave its shadda and fatha behind
    expect(snapped(word, snapRange(word, { from: 0, to: 2 }, 'grapheme'))).toBe('إنَّ')
    // starting at the shadda moves back to the letter it belongs to
    expect(snapped(word, snapRange(word, { from: 2, to: 4 }, 'grapheme'))).toBe('نَّ')
    expect(snapped('قالَ', snapRange('قالَ', { from: 1, to: 2 }, 'grapheme'))).toBe('ا')
  })

  it('keeps the selection as made otherwise, spaces included', () => {
    const text = 'قال الوزير'
    expect(snapped(text, snapRange(text, { from: 2, to: 6 }, 'grapheme'))).toBe('ل ال')
  })

  it('may split a stretched word at its tatweel', () => {
    const stretched = 'كـبـيـر'
    expect(snapped(stretched, snapRange(stretched, { from: 0, to: 2 }, 'grapheme'))).toBe('كـ')
  })

  it('keeps emoji with modifiers and joiners whole', () => {
    const text = 'أ👍🏽ب👨‍👩‍👧ج'
    const thumb = text.indexOf('👍🏽')
    expect(snapped(text, snapRange(text, { from: thumb + 1, to: thumb + 3 }, 'grapheme'))).toBe(
      '👍🏽',
    )
    const family = text.indexOf('👨‍👩‍👧')
    expect(snapped(text, snapRange(text, { from: family + 2, to: family + 3 }, 'grapheme'))).toBe(
      '👨‍👩‍👧',
    )
  })

  it('has nothing to keep in an empty selection', () => {
    expect(snapRange('نعم', { from: 1, to: 1 }, 'grapheme')).toBeNull()
  })

  it('finds cluster edges', () => {
    expect(graphemeStart('قالَ', 4)).toBe(4)
    expect(graphemeStart('قالَ', 3)).toBe(2)
    expect(graphemeEnd('قالَ', 3)).toBe(4)
    expect(graphemeEnd('قالَ', 0)).toBe(0)
  })
})

describe('snapping in the document', () => {
  const editor = new Editor({
    extensions: articleSchemaExtensions(),
    content: '<p>قالَ الوزيرُ أمس</p><p>إنَّ الأسعارَ ستنخفضُ</p>',
  })
  const { doc } = editor.state
  const positionOf = (part: string, offset = 0) => {
    let found = -1
    doc.descendants((node, pos) => {
      if (found < 0 && node.isText && node.text?.includes(part)) {
        found = pos + (node.text?.indexOf(part) ?? 0) + offset
      }
    })
    return found
  }

  it('snaps each end within its own paragraph', () => {
    const from = positionOf('أمس', 1)
    const to = positionOf('الأسعارَ', 2)
    const range = snapDocRange(doc, from, to, 'word')
    expect(range && doc.textBetween(range.from, range.to, '\n')).toBe('أمس\nإنَّ الأسعارَ')
  })

  it('starts in the next paragraph when the first has only spaces left', () => {
    const endOfFirst = positionOf('أمس') + 'أمس'.length
    const to = positionOf('إنَّ', 4)
    const range = snapDocRange(doc, endOfFirst, to, 'word')
    expect(range && doc.textBetween(range.from, range.to, '\n').trim()).toBe('إنَّ')
  })

  it('tags the word at the caret', () => {
    const caret = positionOf('الوزيرُ', 3)
    const range = snapDocRange(doc, caret, caret, 'word')
    expect(range && doc.textBetween(range.from, range.to)).toBe('الوزيرُ')
  })
})
