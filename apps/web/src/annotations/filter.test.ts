import {
  type Annotation,
  AnnotationReader,
  createAnnotation,
  deleteAnnotation,
  layoutPlainText,
  readAnnotations,
} from '@hashiya/annotations'
import { appendParagraphs, blocksOf, createYDoc } from '@hashiya/document'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import {
  applyChanges,
  clip,
  countByKind,
  filterAnnotations,
  NO_FILTER,
  normalizeForSearch,
  reuseUnchanged,
  sameDisplay,
} from './filter.js'

function annotation(patch: Partial<Annotation> & Pick<Annotation, 'id'>): Annotation {
  return {
    kind: 'claim',
    author: 'u1',
    createdAt: 1,
    updatedAt: 1,
    updatedBy: 'u1',
    note: '',
    speaker: '',
    start: 0,
    end: 4,
    text: 'نص',
    ranges: [{ start: 0, end: 4 }],
    relations: [],
    ...patch,
  }
}

describe('search normalization', () => {
  it('ignores harakat, shadda, sukun and the dagger alef', () => {
    expect(normalizeForSearch('وفقًا')).toBe('وفقا')
    expect(normalizeForSearch('إنَّ الأسعارَ')).toBe('ان الاسعار')
    expect(normalizeForSearch('مُسْتَشْفَى')).toBe('مستشفي')
    expect(normalizeForSearch('هٰذا')).toBe('هذا')
  })

  it('ignores tatweel', () => {
    expect(normalizeForSearch('وفـــقا')).toBe('وفقا')
    expect(normalizeForSearch('كـبـيـر')).toBe('كبير')
  })

  it('folds alef forms, alef maqsura and ta marbuta', () => {
    expect(normalizeForSearch('أحمد إبراهيم آمال ٱلله')).toBe('احمد ابراهيم امال الله')
    expect(normalizeForSearch('مستشفى الجامعة')).toBe('مستشفي الجامعه')
  })

  it('folds Latin case, white space and invisible controls', () => {
    expect(normalizeForSearch('  Bill\u200f   NELSON\n')).toBe('bill nelson')
  })

  it('normalizes composed and decomposed forms alike', () => {
    // alef + hamza above as two code points
    expect(normalizeForSearch('\u0627\u0654حمد')).toBe(normalizeForSearch('أحمد'))
  })
})

describe('filtering', () => {
  const list = [
    annotation({ id: 'a', kind: 'quote', text: 'وفقًا لمسؤولين أميركيين', author: 'u1' }),
    annotation({ id: 'b', kind: 'claim', text: 'بوتين طلب من ماسك', author: 'u2' }),
    annotation({ id: 'c', kind: 'denial', text: 'ونفت روسيا', note: 'نفيٌ رسميّ', author: 'u2' }),
    annotation({ id: 'd', kind: 'quote', text: 'قال', speaker: 'بيل نيلسون', author: 'u1' }),
  ]
  const ids = (filter: Partial<typeof NO_FILTER>) =>
    filterAnnotations(list, { ...NO_FILTER, ...filter }).map((a) => a.id)

  it('finds a word with or without its harakat and tatweel', () => {
    for (const query of ['وفقا', 'وفقًا', 'وفـــقا']) expect(ids({ query })).toEqual(['a'])
  })

  it('searches notes and speakers too', () => {
    expect(ids({ query: 'رسمي' })).toEqual(['c'])
    expect(ids({ query: 'نيلسون' })).toEqual(['d'])
  })

  it('filters by kinds and author', () => {
    expect(ids({ kinds: new Set(['quote']) })).toEqual(['a', 'd'])
    expect(ids({ kinds: new Set(['quote', 'denial']), author: 'u2' })).toEqual(['c'])
    expect(ids({})).toEqual(['a', 'b', 'c', 'd'])
  })

  it('counts every kind', () => {
    expect(countByKind(list)).toEqual({ quote: 2, claim: 1, denial: 1, aside: 0 })
  })
})

describe('clipping', () => {
  it('keeps short text and cuts long text at a space, never inside a letter', () => {
    expect(clip('  قصير  جداً ', 20)).toBe('قصير جداً')
    expect(clip('كلمة أولى وكلمة ثانية وكلمة ثالثة', 20)).toBe('كلمة أولى وكلمة…')
    // five clusters: قَ ا لَ قَ ا (a letter keeps its fatha)
    expect(clip('قَالَ'.repeat(10), 5)).toBe('قَالَقَا…')
  })

  it('gives what clipping the whole flattened text would, reading only a prefix', () => {
    // the straightforward version: flatten everything, split everything
    const reference = (text: string, max: number) => {
      const flat = text.replace(/\s+/g, ' ').trim()
      const clusters = Array.from(
        new Intl.Segmenter('ar', { granularity: 'grapheme' }).segment(flat),
        (segment) => segment.segment,
      )
      if (clusters.length <= max) return flat
      const cut = clusters.slice(0, max).join('')
      const space = cut.lastIndexOf(' ')
      return `${(space > cut.length * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`
    }
    const pieces = ['قَالَ', ' ', '\n\n', 'ستارلينك', '👩‍👩‍👧', '🇸🇦', 'e\u0301', '\t ', 'ـــ', 'word']
    let seed = 7
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    for (let i = 0; i < 500; i++) {
      let text = ''
      for (let j = random(60); j > 0; j--) text += pieces[random(pieces.length)]
      for (const max of [1, 5, 20, 48])
        expect(clip(text, max), JSON.stringify(text)).toBe(reference(text, max))
    }
    // long text with its trailing space beyond any prefix
    const long = `${'كلمة '.repeat(5000)}${' '.repeat(500)}`
    expect(clip(long, 48)).toBe(reference(long, 48))
    expect(clip(`ab${' '.repeat(300)}`, 2)).toBe('ab')
  })
})

describe('reusing unchanged readings', () => {
  it('keeps the previous objects (and list) when nothing changed', () => {
    const first = [annotation({ id: 'a' }), annotation({ id: 'b' })]
    const again = [annotation({ id: 'a' }), annotation({ id: 'b' })]
    expect(reuseUnchanged(first, again)).toBe(first)
  })

  it('replaces only what changed', () => {
    const first = [annotation({ id: 'a' }), annotation({ id: 'b' })]
    const next = reuseUnchanged(first, [
      annotation({ id: 'a' }),
      annotation({ id: 'b', note: 'x' }),
    ])
    expect(next).not.toBe(first)
    expect(next[0]).toBe(first[0])
    expect(next[1]).not.toBe(first[1])
    const reordered = reuseUnchanged(first, [annotation({ id: 'b' }), annotation({ id: 'a' })])
    expect(reordered.map((a) => a.id)).toEqual(['b', 'a'])
    expect(reordered[0]).toBe(first[1])
  })
})

describe('what an entry shows', () => {
  it('ignores offsets and times, not text, note, kind or links', () => {
    const a = annotation({ id: 'a', text: 'نص' })
    expect(sameDisplay(a, { ...a, start: 40, end: 44, ranges: [{ start: 40, end: 44 }] })).toBe(
      true,
    )
    expect(sameDisplay(a, { ...a, updatedAt: 99 })).toBe(true)
    expect(sameDisplay(a, { ...a, text: 'نصوص' })).toBe(false)
    expect(sameDisplay(a, { ...a, kind: 'aside' })).toBe(false)
    expect(sameDisplay(a, { ...a, relations: [{ type: 'states', target: 'b' }] })).toBe(false)
  })
})

describe('applying changes to the list', () => {
  const at = (spans: Record<string, [number, number]>) => (id: string) => {
    const span = spans[id]
    return span ? { start: span[0], end: span[1] } : null
  }

  it('replaces entries that look different, keeps the rest and the list when nothing shows', () => {
    const first = [annotation({ id: 'a' }), annotation({ id: 'b', start: 9, end: 12 })]
    const spans = at({ a: [0, 4], b: [9, 12] })
    expect(applyChanges(first, new Map(), spans)).toBe(first)
    expect(applyChanges(first, new Map([['a', annotation({ id: 'a', end: 5 })]]), spans)).toBe(
      first,
    )
    const typed = annotation({ id: 'b', start: 9, end: 13, text: 'نصوص' })
    const next = applyChanges(first, new Map([['b', typed]]), spans)
    expect(next).toEqual([first[0], typed])
    expect(next?.[0]).toBe(first[0])
  })

  it('places new and moved entries by where the others are now, not by their stale offsets', () => {
    // the list was read before 20 letters were typed at the start: a is at 20 now, b at 40
    const first = [annotation({ id: 'a', start: 0 }), annotation({ id: 'b', start: 20 })]
    const now = at({ a: [20, 24], b: [40, 44], c: [30, 34] })
    const added = annotation({ id: 'c', start: 30, end: 34 })
    expect(applyChanges(first, new Map([['c', added]]), now)?.map((a) => a.id)).toEqual([
      'a',
      'c',
      'b',
    ])
    const moved = annotation({ id: 'a', start: 50, end: 54 })
    expect(applyChanges(first, new Map([['a', moved]]), now)?.map((a) => a.id)).toEqual(['b', 'a'])
    expect(applyChanges(first, new Map([['a', null]]), now)?.map((a) => a.id)).toEqual(['b'])
    // an entry of the list the reader does not know: read everything
    expect(applyChanges(first, new Map([['c', added]]), at({ c: [30, 34] }))).toBeNull()
  })

  it('keeps what a full reading lists, in its order, through typing, tagging, moving and deleting', () => {
    const doc = createYDoc()
    appendParagraphs(doc, [
      'قال نيلسون إن القصة صحيحة.',
      'ونفت روسيا ذلك تماما.',
      'وأضاف أنه لا يعرف المزيد.',
    ])
    const text = (paragraph: number) =>
      (blocksOf(doc)[paragraph] as Y.XmlElement).get(0) as Y.XmlText
    const tag = (phrase: string) => {
      const plain = layoutPlainText(doc).text
      const start = Array.from(plain.slice(0, plain.indexOf(phrase))).length
      const end = start + Array.from(phrase).length
      return createAnnotation(doc, { kind: 'claim', start, end, author: 'u' })
    }
    const reader = new AnnotationReader(doc)
    let list: readonly Annotation[] = reader.read().annotations
    let fullReadings = 0
    const refresh = () => {
      const applied = applyChanges(list, reader.readChanges().changed, (id) => reader.spanOf(id))
      if (applied) list = applied
      else {
        fullReadings++
        list = reader.read().annotations
      }
      const shown = list.map(({ id, text }) => ({ id, text }))
      expect(shown).toEqual(readAnnotations(doc).annotations.map(({ id, text }) => ({ id, text })))
    }
    const story = tag('القصة صحيحة')
    refresh()
    const denial = tag('روسيا')
    refresh()
    text(0).insert(0, 'و') // before both: reported nowhere, offsets go stale
    refresh()
    tag('نيلسون') // before the first, placed by current positions
    refresh()
    tag('يعرف')
    refresh()
    text(1).insert(6, 'ً') // inside the denial
    refresh()
    // the denial's words moved to the end of the article, in one transaction
    doc.transact(() => {
      const delta = text(1).toDelta() as { insert: string; attributes?: Record<string, unknown> }[]
      const index = delta.findIndex((op) => op.attributes)
      const moved = delta[index] as { insert: string; attributes: Record<string, unknown> }
      const from = delta.slice(0, index).reduce((length, op) => length + op.insert.length, 0)
      text(1).delete(from, moved.insert.length)
      text(2).insert(text(2).length, ` ${moved.insert}`, moved.attributes)
    })
    refresh()
    expect(list.map((a) => a.id).at(-1)).toBe(denial)
    deleteAnnotation(doc, story)
    refresh()
    expect(fullReadings).toBe(0)
  })
})
