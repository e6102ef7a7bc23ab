import { appendParagraphs, blocksOf, bodyOf, createYDoc } from '@hashiya/document'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  annotationMarkKey,
  annotationsMap,
  createAnnotation,
  deleteAnnotation,
  Field,
  layoutPlainText,
  readAnnotations,
  setRelation,
  updateAnnotation,
} from './index.js'

const P1 = 'قال مدير وكالة ناسا، بيل نيلسون: "أعتقد أنه يجب التحقيق في الأمر".'
const P2 = 'ونفت روسيا وجود محادثات متكررة.'

function article(...paragraphs: string[]): Y.Doc {
  const doc = createYDoc()
  appendParagraphs(doc, paragraphs.length > 0 ? paragraphs : [P1, P2])
  return doc
}

function textNode(doc: Y.Doc, paragraph: number): Y.XmlText {
  return (blocksOf(doc)[paragraph] as Y.XmlElement).get(0) as Y.XmlText
}

/** Where a phrase starts, in code points of the plain text. */
function at(doc: Y.Doc, phrase: string): { start: number; end: number } {
  const text = layoutPlainText(doc).text
  const index = text.indexOf(phrase)
  if (index < 0) throw new Error(`phrase not found: ${phrase}`)
  const start = Array.from(text.slice(0, index)).length
  return { start, end: start + Array.from(phrase).length }
}

function sync(...docs: Y.Doc[]) {
  for (const from of docs) {
    for (const to of docs)
      if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
  }
}

const ann = (doc: Y.Doc) => readAnnotations(doc).annotations

describe('reading annotations', () => {
  it('gives each annotation its kind, text and code-point offsets', () => {
    const doc = article()
    const id = createAnnotation(doc, {
      kind: 'quote',
      ...at(doc, 'أعتقد أنه يجب التحقيق في الأمر'),
      author: 'u1',
      speaker: 'بيل نيلسون',
    })
    const [quote] = ann(doc)
    expect(quote).toMatchObject({
      id,
      kind: 'quote',
      text: 'أعتقد أنه يجب التحقيق في الأمر',
      author: 'u1',
      speaker: 'بيل نيلسون',
      note: '',
    })
    expect(Array.from(layoutPlainText(doc).text).slice(quote?.start, quote?.end).join('')).toBe(
      quote?.text,
    )
  })

  it('keeps overlapping and nested annotations apart, two of the same kind included', () => {
    const doc = article()
    const outer = createAnnotation(doc, {
      kind: 'claim',
      ...at(doc, 'بيل نيلسون: "أعتقد أنه يجب'),
      author: 'u',
    })
    const inner = createAnnotation(doc, { kind: 'claim', ...at(doc, 'نيلسون'), author: 'u' })
    const overlapping = createAnnotation(doc, {
      kind: 'quote',
      ...at(doc, 'أنه يجب التحقيق'),
      author: 'u',
    })
    const list = ann(doc)
    expect(list.map((a) => a.id)).toEqual([outer, inner, overlapping])
    expect(list.map((a) => a.text)).toEqual([
      'بيل نيلسون: "أعتقد أنه يجب',
      'نيلسون',
      'أنه يجب التحقيق',
    ])
  })

  it('covers several paragraphs, with the blank line between them in its text', () => {
    const doc = article()
    const id = createAnnotation(doc, {
      kind: 'aside',
      ...at(doc, `"أعتقد أنه يجب التحقيق في الأمر".\n\nونفت روسيا`),
      author: 'u',
    })
    const [aside] = ann(doc)
    expect(aside?.id).toBe(id)
    expect(aside?.text).toBe('"أعتقد أنه يجب التحقيق في الأمر".\n\nونفت روسيا')
    expect(aside?.ranges).toHaveLength(2)
  })

  it('counts astral characters, harakat and tatweel as the code points they are', () => {
    const doc = article('😀 قَالَ ــ Musk 2024 𝒳 نفى')
    createAnnotation(doc, { kind: 'denial', ...at(doc, 'نفى'), author: 'u' })
    const [denial] = ann(doc)
    expect(denial?.text).toBe('نفى')
    expect(denial?.start).toBe(Array.from('😀 قَالَ ــ Musk 2024 𝒳 ').length)
  })

  it('grows with text typed inside, not with text typed at either edge', () => {
    const doc = article()
    const id = createAnnotation(doc, { kind: 'claim', ...at(doc, 'بيل نيلسون'), author: 'u' })
    const text = textNode(doc, 0)
    const { start, end } = at(doc, 'بيل نيلسون')
    // what y-tiptap writes: typed text carries the marks ProseMirror gives it
    text.insert(start + 3, ' (السيناتور)', { [annotationMarkKey(id)]: { id } })
    text.insert(start, 'السيد ', {})
    text.insert(end + ' (السيناتور)'.length + 'السيد '.length, ' وحده', {})
    expect(ann(doc)[0]?.text).toBe('بيل (السيناتور) نيلسون')
  })

  it('follows a span split by a new paragraph', () => {
    const doc = article()
    createAnnotation(doc, { kind: 'quote', ...at(doc, 'أعتقد أنه يجب التحقيق'), author: 'u' })
    // Enter in the middle of the span: the paragraph is split as y-tiptap does it
    const [quote] = ann(doc)
    const paragraph = blocksOf(doc)[0] as Y.XmlElement
    const text = paragraph.get(0) as Y.XmlText
    const splitAt = Array.from(P1).indexOf('ي', (quote?.start ?? 0) + 5)
    doc.transact(() => {
      const deltaAfter = sliceDelta(text, splitAt)
      text.delete(splitAt, text.length - splitAt)
      const next = new Y.XmlElement('paragraph')
      const nextText = new Y.XmlText()
      next.insert(0, [nextText])
      ;(paragraph.parent as Y.XmlElement).insert(1, [next])
      nextText.applyDelta(deltaAfter)
    })
    const [split] = ann(doc)
    expect(split?.ranges).toHaveLength(2)
    expect(split?.text.replace('\n\n', '')).toBe('أعتقد أنه يجب التحقيق')
  })

  it('drops an annotation whose text is all deleted, and undo brings it back', () => {
    const doc = article()
    const undo = new Y.UndoManager([bodyOf(doc), annotationsMap(doc)])
    createAnnotation(doc, { kind: 'claim', ...at(doc, 'روسيا'), author: 'u' })
    undo.stopCapturing()
    const { start, end } = at(doc, 'روسيا')
    const offsetInParagraph = start - Array.from(`${P1}\n\n`).length
    textNode(doc, 1).delete(offsetInParagraph, end - start)
    expect(ann(doc)).toEqual([])
    expect(readAnnotations(doc).problems).toEqual([])
    undo.undo()
    expect(ann(doc).map((a) => a.text)).toEqual(['روسيا'])
  })

  it('ignores and reports entries written by a faulty client, without throwing', () => {
    const doc = article()
    const good = createAnnotation(doc, { kind: 'claim', ...at(doc, 'روسيا'), author: 'u' })
    const map = annotationsMap(doc)
    const bad = (fields: Record<string, unknown>) => {
      const entry = new Y.Map<unknown>()
      for (const [k, v] of Object.entries(fields)) entry.set(k, v)
      return entry
    }
    doc.transact(() => {
      map.set('unknownKind', bad({ kind: 'rumour', author: 'x', createdAt: 1 }))
      map.set('noAuthor', bad({ kind: 'claim', createdAt: 1 }))
      map.set('badTime', bad({ kind: 'claim', author: 'x', createdAt: 'yesterday' }))
      // finite, but past what a Date holds: every export would fail to format it
      map.set('farFuture', bad({ kind: 'claim', author: 'x', createdAt: 1e20 }))
      map.set('farUpdate', bad({ kind: 'claim', author: 'x', createdAt: 1, updatedAt: -9e15 }))
      map.set('badNote', bad({ kind: 'claim', author: 'x', createdAt: 1, note: { html: '<b>' } }))
      map.set('badRelations', bad({ kind: 'denial', author: 'x', createdAt: 1, relations: 'all' }))
      map.set('notAMap', 'just a string')
      map.set('bad id with spaces', bad({ kind: 'claim', author: 'x', createdAt: 1 }))
    })
    // marked text whose id has no entry at all
    textNode(doc, 0).format(0, 3, { [annotationMarkKey('ghost')]: { id: 'ghost' } })
    const { annotations, problems } = readAnnotations(doc)
    expect(annotations.map((a) => a.id)).toEqual([good])
    expect(problems.map((p) => p.annotationId).sort()).toEqual(
      [
        'bad id with spaces',
        'badNote',
        'badRelations',
        'badTime',
        'farFuture',
        'farUpdate',
        'ghost',
        'noAuthor',
        'notAMap',
        'unknownKind',
      ].sort(),
    )
    for (const problem of problems) expect(problem.problem).toMatch(/\w/)
  })
})

describe('changing annotations', () => {
  it('edits fields, and concurrent edits of different fields merge', () => {
    const a = article()
    const id = createAnnotation(a, { kind: 'quote', ...at(a, 'بيل نيلسون'), author: 'u1' })
    const b = article()
    sync(a, b)
    updateAnnotation(a, id, { note: 'مصدر موثوق' }, 'u1')
    updateAnnotation(b, id, { speaker: 'بيل نيلسون' }, 'u2')
    sync(a, b)
    expect(ann(a)[0]).toMatchObject({ note: 'مصدر موثوق', speaker: 'بيل نيلسون' })
    expect(ann(b)).toEqual(ann(a))
  })

  it('converges to one kind when two people change it at once', () => {
    const a = article()
    const id = createAnnotation(a, { kind: 'claim', ...at(a, 'روسيا'), author: 'u' })
    const b = createYDoc()
    const c = createYDoc()
    sync(a, b, c)
    updateAnnotation(a, id, { kind: 'denial' }, 'ua')
    updateAnnotation(b, id, { kind: 'aside' }, 'ub')
    updateAnnotation(c, id, { kind: 'quote' }, 'uc')
    sync(a, b, c)
    const kinds = [a, b, c].map((doc) => ann(doc).map((x) => x.kind))
    expect(kinds[0]).toHaveLength(1)
    expect(kinds[1]).toEqual(kinds[0])
    expect(kinds[2]).toEqual(kinds[0])
  })

  it('keeps both when two people tag the same span at once', () => {
    const a = article()
    const b = createYDoc()
    sync(a, b)
    const range = at(a, 'بيل نيلسون')
    const first = createAnnotation(a, { kind: 'quote', ...range, author: 'ua' })
    const second = createAnnotation(b, { kind: 'quote', ...range, author: 'ub' })
    sync(a, b)
    expect(
      ann(a)
        .map((x) => x.id)
        .sort(),
    ).toEqual([first, second].sort())
    expect(ann(a).every((x) => x.text === 'بيل نيلسون')).toBe(true)
    expect(ann(b)).toEqual(ann(a))
  })

  it('links a denial to a claim, and drops the link from lists when it stops making sense', () => {
    const doc = article()
    const claim = createAnnotation(doc, {
      kind: 'claim',
      ...at(doc, 'أعتقد أنه يجب التحقيق'),
      author: 'u',
    })
    const denial = createAnnotation(doc, { kind: 'denial', ...at(doc, 'ونفت روسيا'), author: 'u' })
    setRelation(doc, denial, claim, true, 'u')
    expect(ann(doc).find((a) => a.id === denial)?.relations).toEqual([
      { type: 'denies', target: claim },
    ])
    updateAnnotation(doc, claim, { kind: 'aside' }, 'u')
    expect(ann(doc).find((a) => a.id === denial)?.relations).toEqual([])
    updateAnnotation(doc, claim, { kind: 'claim' }, 'u')
    expect(ann(doc).find((a) => a.id === denial)?.relations).toHaveLength(1)
    setRelation(doc, denial, claim, false, 'u')
    expect(ann(doc).find((a) => a.id === denial)?.relations).toEqual([])
    expect(() => setRelation(doc, claim, denial, true, 'u')).toThrow(/only a denial/)
  })

  it('deletes marks and metadata together, and undo restores both', () => {
    const doc = article()
    const undo = new Y.UndoManager([bodyOf(doc), annotationsMap(doc)])
    const id = createAnnotation(doc, {
      kind: 'aside',
      ...at(doc, `في الأمر".\n\nونفت`),
      author: 'u',
    })
    undo.stopCapturing()
    deleteAnnotation(doc, id)
    expect(ann(doc)).toEqual([])
    expect(readAnnotations(doc).problems).toEqual([])
    expect(annotationsMap(doc).has(id)).toBe(false)
    undo.undo()
    expect(ann(doc).map((a) => a.id)).toEqual([id])
  })

  it('refuses bad ranges and kinds with a clear error', () => {
    const doc = article('قصير')
    expect(() => createAnnotation(doc, { kind: 'claim', start: 2, end: 2, author: 'u' })).toThrow(
      /greater than start/,
    )
    expect(() => createAnnotation(doc, { kind: 'claim', start: 0, end: 99, author: 'u' })).toThrow(
      /past the end/,
    )
    expect(() => createAnnotation(doc, { kind: 'claim', start: -1, end: 2, author: 'u' })).toThrow(
      /non-negative/,
    )
    expect(() =>
      createAnnotation(doc, { kind: 'rumour' as never, start: 0, end: 2, author: 'u' }),
    ).toThrow(/kind must be/)
    expect(() => updateAnnotation(doc, 'nope', { note: 'x' }, 'u')).toThrow(/no annotation/)
    expect(annotationsMap(doc).size).toBe(0)
  })

  it('never splits a letter from its harakat', () => {
    const doc = article('قَالَ الرئيس')
    // code point 1 is the fatha on ق: starting or ending there would orphan it
    expect(() => createAnnotation(doc, { kind: 'quote', start: 0, end: 1, author: 'u' })).toThrow(
      /harakat/,
    )
    expect(() => createAnnotation(doc, { kind: 'quote', start: 1, end: 4, author: 'u' })).toThrow(
      /harakat/,
    )
    createAnnotation(doc, { kind: 'quote', start: 0, end: 2, author: 'u' })
    expect(ann(doc)[0]?.text).toBe('قَ')
  })

  it('records who changed an annotation last, and when', () => {
    const doc = article()
    const id = createAnnotation(doc, {
      kind: 'claim',
      ...at(doc, 'روسيا'),
      author: 'u1',
      now: 1000,
    })
    updateAnnotation(doc, id, { note: 'n' }, 'u2', undefined, 2000)
    expect(ann(doc)[0]).toMatchObject({
      author: 'u1',
      createdAt: 1000,
      updatedBy: 'u2',
      updatedAt: 2000,
    })
    expect((annotationsMap(doc).get(id) as Y.Map<unknown>).get(Field.kind)).toBe('claim')
  })
})

/** The delta of a Y.XmlText from a UTF-16 index on, keeping attributes. */
function sliceDelta(text: Y.XmlText, from: number) {
  const out: { insert: string; attributes?: Record<string, unknown> }[] = []
  let index = 0
  for (const op of text.toDelta() as { insert: string; attributes?: Record<string, unknown> }[]) {
    const end = index + op.insert.length
    if (end > from) out.push({ ...op, insert: op.insert.slice(Math.max(0, from - index)) })
    index = end
  }
  return out
}

describe('patching', () => {
  it('changes nothing when one of its links is refused', () => {
    const doc = article()
    const claim = createAnnotation(doc, {
      kind: 'claim',
      ...at(doc, 'أعتقد أنه يجب التحقيق'),
      author: 'u',
    })
    const aside = createAnnotation(doc, { kind: 'aside', ...at(doc, 'بيل نيلسون'), author: 'u' })
    const denial = createAnnotation(doc, { kind: 'denial', ...at(doc, 'ونفت روسيا'), author: 'u' })
    const before = JSON.stringify(ann(doc))
    expect(() => updateAnnotation(doc, denial, { note: 'x', link: [claim, aside] }, 'u')).toThrow(
      /only a denial/,
    )
    expect(() => updateAnnotation(doc, denial, { note: 'x', link: ['missing'] }, 'u')).toThrow(
      /no annotation/,
    )
    expect(JSON.stringify(ann(doc))).toBe(before)
    // turning a claim into a denial and linking it in one patch is checked against the new kind
    updateAnnotation(doc, aside, { kind: 'quote', link: [claim] }, 'u')
    expect(ann(doc).find((a) => a.id === aside)?.relations).toEqual([
      { type: 'states', target: claim },
    ])
  })
})
