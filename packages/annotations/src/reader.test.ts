import {
  appendParagraphs,
  blocksOf,
  bodyOf,
  createYDoc,
  NodeName,
  SECTION_SIZE,
} from '@hashiya/document'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  AnnotationReader,
  annotationsMap,
  createAnnotation,
  deleteAnnotation,
  layoutPlainText,
  readAnnotations,
  setRelation,
  updateAnnotation,
} from './index.js'

const PARAGRAPHS = [
  'قال نيلسون إن القصة قد تكون صحيحة.',
  'وأضاف أنه لا يعرف المزيد.',
  'ونفت روسيا ذلك.',
  'وقال فايفر إن الأجهزة تستغل أي فرصة.',
]

function article(): Y.Doc {
  const doc = createYDoc()
  appendParagraphs(doc, PARAGRAPHS)
  return doc
}

function textNode(doc: Y.Doc, paragraph: number): Y.XmlText {
  return (blocksOf(doc)[paragraph] as Y.XmlElement).get(0) as Y.XmlText
}

function rangeOf(doc: Y.Doc, phrase: string): { start: number; end: number } {
  const text = layoutPlainText(doc).text
  const start = Array.from(text.slice(0, text.indexOf(phrase))).length
  return { start, end: start + Array.from(phrase).length }
}

function tag(doc: Y.Doc, phrase: string, kind: 'claim' | 'denial' | 'quote' | 'aside') {
  return createAnnotation(doc, { kind, ...rangeOf(doc, phrase), author: 'leila' })
}

describe('AnnotationReader', () => {
  it('reads what a reading from scratch reads, after each change', () => {
    const doc = article()
    const reader = new AnnotationReader(doc)
    const claim = tag(doc, 'القصة قد تكون صحيحة', 'claim')
    expect(reader.read()).toEqual(readAnnotations(doc))
    textNode(doc, 0).insert(0, 'و')
    const reading = reader.read()
    expect(reading).toEqual(readAnnotations(doc))
    expect(reading.annotations[0]).toMatchObject({
      id: claim,
      start: 15,
      text: 'القصة قد تكون صحيحة',
    })
    reader.destroy()
  })

  it('follows blocks in several sections and blocks outside sections, as a reading from scratch', () => {
    const doc = createYDoc()
    const legacy = new Y.XmlElement(NodeName.paragraph)
    legacy.insert(0, [new Y.XmlText('فقرة من قبل الأقسام.')])
    bodyOf(doc).insert(0, [legacy])
    appendParagraphs(
      doc,
      Array.from(
        { length: SECTION_SIZE + 4 },
        (_, i) => PARAGRAPHS[i % PARAGRAPHS.length] as string,
      ),
    )
    const reader = new AnnotationReader(doc)
    tag(doc, 'من قبل', 'aside')
    const last = blocksOf(doc).length - 1
    const lastText = textNode(doc, last)
    createAnnotation(doc, { kind: 'quote', ...rangeOf(doc, 'قبل الأقسام'), author: 'leila' })
    expect(reader.read()).toEqual(readAnnotations(doc))

    // typing in the second section's block: that block is read again
    lastText.insert(0, 'ثم ')
    createAnnotation(doc, {
      kind: 'claim',
      start: layoutPlainText(doc).text.length - Array.from(lastText.toString()).length,
      end: layoutPlainText(doc).text.length - Array.from(lastText.toString()).length + 2,
      author: 'leila',
    })
    expect(reader.read()).toEqual(readAnnotations(doc))
    // a block added inside a section, and a section removed: the list of blocks changes
    const second = bodyOf(doc).get(2) as Y.XmlElement
    const added = new Y.XmlElement(NodeName.paragraph)
    added.insert(0, [new Y.XmlText('جديدة')])
    second.insert(0, [added])
    expect(reader.read()).toEqual(readAnnotations(doc))
    textNode(doc, SECTION_SIZE + 1).insert(0, 'و')
    expect(reader.read()).toEqual(readAnnotations(doc))
    bodyOf(doc).delete(1, 1)
    const reading = reader.read()
    expect(reading).toEqual(readAnnotations(doc))
    expect(reading.annotations.map((annotation) => annotation.kind).sort()).toEqual([
      'aside',
      'claim',
      'quote',
    ])
    reader.destroy()
  })

  it('reports nothing for a keystroke far from every annotation', () => {
    const doc = article()
    tag(doc, 'القصة قد تكون صحيحة', 'claim')
    const reader = new AnnotationReader(doc)
    expect(reader.readChanges().changed.size).toBe(1)
    textNode(doc, 3).insert(0, 'و')
    expect(reader.readChanges().changed.size).toBe(0)
    reader.destroy()
  })

  it('reports a denial whose claim stopped being a claim, and again when it is deleted', () => {
    const doc = article()
    const claim = tag(doc, 'القصة قد تكون صحيحة', 'claim')
    const denial = tag(doc, 'ونفت روسيا', 'denial')
    setRelation(doc, denial, claim, true, 'sami')
    const reader = new AnnotationReader(doc)
    expect(reader.readChanges().changed.get(denial)?.relations).toEqual([
      { type: 'denies', target: claim },
    ])
    updateAnnotation(doc, claim, { kind: 'aside' }, 'sami')
    const afterKind = reader.readChanges().changed
    expect([...afterKind.keys()].sort()).toEqual([claim, denial].sort())
    expect(afterKind.get(denial)?.relations).toEqual([])
    updateAnnotation(doc, claim, { kind: 'claim' }, 'sami')
    expect(reader.readChanges().changed.get(denial)?.relations).toHaveLength(1)
    deleteAnnotation(doc, claim)
    const afterDelete = reader.readChanges().changed
    expect(afterDelete.get(claim)).toBeNull()
    expect(afterDelete.get(denial)?.relations).toEqual([])
    reader.destroy()
  })

  it('reports an annotation across paragraphs when text between its marks changes', () => {
    const doc = article()
    const claim = tag(doc, 'القصة قد تكون صحيحة.\n\nوأضاف أنه لا يعرف المزيد.\n\nونفت', 'claim')
    // unmark the middle paragraph: the annotation's marks are in paragraphs 1 and 3 only
    const middle = textNode(doc, 1)
    const key = Object.keys(middle.toDelta()[0].attributes)[0] as string
    middle.format(0, middle.length, { [key]: null })
    const reader = new AnnotationReader(doc)
    reader.readChanges()
    middle.insert(0, 'ثم ')
    const changed = reader.readChanges().changed
    expect(changed.get(claim)?.text).toContain('ثم وأضاف')
    expect(reader.read()).toEqual(readAnnotations(doc))
    reader.destroy()
  })

  it('stops following the document once destroyed', () => {
    const doc = article()
    const reader = new AnnotationReader(doc)
    reader.read()
    reader.destroy()
    tag(doc, 'ونفت روسيا', 'denial')
    expect(reader.read().annotations).toHaveLength(0)
    expect(readAnnotations(doc).annotations).toHaveLength(1)
  })

  it('tells where an annotation is now, and whether a reading lists it as a problem', () => {
    const doc = article()
    const reader = new AnnotationReader(doc)
    const denial = tag(doc, 'ونفت روسيا', 'denial')
    const at = rangeOf(doc, 'ونفت روسيا')
    expect(reader.spanOf(denial)).toEqual(at)
    textNode(doc, 0).insert(0, 'و')
    expect(reader.spanOf(denial)).toEqual({ start: at.start + 1, end: at.end + 1 })
    expect(reader.spanOf('a-missing-id')).toBeNull()
    expect(reader.hasProblem(denial)).toBe(false)
    annotationsMap(doc).set(denial, 'not an entry')
    expect(reader.hasProblem(denial)).toBe(true)
    expect(reader.spanOf(denial)).toBeNull()
    expect(reader.read().problems.map((problem) => problem.annotationId)).toEqual([denial])
    annotationsMap(doc).delete(denial)
    // marked text whose entry is gone is a problem too
    expect(reader.hasProblem(denial)).toBe(true)
    reader.destroy()
  })
})
