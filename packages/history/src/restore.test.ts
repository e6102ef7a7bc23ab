import {
  createAnnotation,
  deleteAnnotation,
  readAnnotations,
  updateAnnotation,
} from '@hashiya/annotations'
import {
  appendParagraphs,
  blocksOf,
  bodyOf,
  createYDoc,
  isSection,
  NodeName,
  readParagraphs,
  SECTION_SIZE,
} from '@hashiya/document'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { restoreDocument } from './index.js'

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = createYDoc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

describe('restoreDocument', () => {
  it('brings back text and annotations as they were, as a new change that syncs', () => {
    const live = createYDoc()
    appendParagraphs(live, ['الأولى', 'قال نيلسون إن القصة صحيحة.', 'الأخيرة'])
    const claim = createAnnotation(live, { kind: 'claim', start: 22, end: 33, author: 'leila' })
    const past = copyOf(live)
    const pastReading = readAnnotations(past)
    const replica = copyOf(live)
    const firstBlock = blocksOf(live)[0]

    // things go wrong: text deleted, a tag changed, another removed, one added
    ;((blocksOf(live)[1] as Y.XmlElement).get(0) as Y.XmlText).delete(0, 10)
    updateAnnotation(live, claim, { kind: 'aside', note: 'خطأ' }, 'sami')
    const extra = createAnnotation(live, { kind: 'quote', start: 0, end: 3, author: 'sami' })
    deleteAnnotation(live, extra)
    createAnnotation(live, { kind: 'denial', start: 26, end: 33, author: 'sami' })

    const updates: Uint8Array[] = []
    live.on('update', (update: Uint8Array) => updates.push(update))
    restoreDocument(live, past, 'restore')
    expect(updates).toHaveLength(1)
    expect(readParagraphs(live)).toEqual(readParagraphs(past))
    expect(readAnnotations(live).annotations).toEqual(pastReading.annotations)
    // untouched blocks keep their identity
    expect(blocksOf(live)[0]).toBe(firstBlock)
    // other replicas converge through the ordinary update path
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(live, Y.encodeStateVector(replica)))
    expect(readParagraphs(replica)).toEqual(readParagraphs(past))
    expect(readAnnotations(replica).annotations).toEqual(pastReading.annotations)
  })

  it('removes a block a faulty client nested thousands of levels deep', () => {
    const live = createYDoc()
    appendParagraphs(live, ['الأولى', 'الأخيرة'])
    const past = copyOf(live)
    const section = bodyOf(live).get(0) as Y.XmlElement
    let innermost = new Y.XmlElement(NodeName.paragraph)
    // one transaction, as a faulty client's single update would be
    live.transact(() => {
      section.insert(1, [innermost])
      for (let level = 0; level < 5000; level++) {
        const deeper = new Y.XmlElement(NodeName.paragraph)
        innermost.insert(0, [deeper])
        innermost = deeper
      }
      innermost.insert(0, [new Y.XmlText('عميق')])
    })
    // readers skip what lies too deep instead of overflowing the stack
    expect(readParagraphs(live)).toEqual(['الأولى', '', 'الأخيرة'])
    expect(readAnnotations(live).annotations).toEqual([])
    restoreDocument(live, past, 'restore')
    expect(readParagraphs(live)).toEqual(['الأولى', 'الأخيرة'])
  })

  it('restores across sections, keeping the blocks that did not change and no empty section', () => {
    const live = createYDoc()
    const many = Array.from({ length: SECTION_SIZE * 3 }, (_, i) => `فقرة ${i}`)
    appendParagraphs(live, many)
    const past = copyOf(live)
    const kept = blocksOf(live)[SECTION_SIZE - 2]
    const keptAfter = blocksOf(live)[SECTION_SIZE * 2 + 1]
    // the end of the first section, all of the second and the start of the third are deleted
    live.transact(() => {
      const [first, , third] = bodyOf(live).toArray() as Y.XmlElement[]
      ;(first as Y.XmlElement).delete(SECTION_SIZE - 1, 1)
      bodyOf(live).delete(1, 1)
      ;(third as Y.XmlElement).delete(0, 1)
    })
    expect(readParagraphs(live)).toHaveLength(SECTION_SIZE * 2 - 2)

    restoreDocument(live, past, 'restore')
    expect(readParagraphs(live)).toEqual(many)
    expect(blocksOf(live)[SECTION_SIZE - 2]).toBe(kept)
    expect(blocksOf(live)[SECTION_SIZE * 2 + 1]).toBe(keptAfter)
    const top = bodyOf(live).toArray()
    expect(top.every((node) => isSection(node) && node.length > 0)).toBe(true)
    // the copies came back as sections of their own where a whole section's worth was missing
    expect(top.length).toBeGreaterThanOrEqual(3)

    // and everything deleted, then restored: sections again
    live.transact(() => bodyOf(live).delete(0, bodyOf(live).length))
    restoreDocument(live, past, 'restore')
    expect(readParagraphs(live)).toEqual(many)
    expect(
      bodyOf(live)
        .toArray()
        .map((node) => (isSection(node) ? node.length : -1)),
    ).toEqual([SECTION_SIZE, SECTION_SIZE, SECTION_SIZE])
  })

  it('restores a long run missing from the middle of a section as sections of at most SECTION_SIZE', () => {
    const many = Array.from({ length: SECTION_SIZE * 30 }, (_, i) => `فقرة ${i}`)
    const past = createYDoc()
    appendParagraphs(past, many)
    // p10 to p900 missing, and what was around them in one section (as a merge leaves it)
    const live = createYDoc()
    appendParagraphs(live, [...many.slice(0, 10), ...many.slice(901)])
    const kept = blocksOf(live)[10]
    restoreDocument(live, past, 'restore')
    expect(readParagraphs(live)).toEqual(many)
    // the longer side of the section stays; the shorter side came along as copies
    expect(blocksOf(live)[901]).toBe(kept)
    const sizes = bodyOf(live)
      .toArray()
      .map((node) => (isSection(node) ? node.length : -1))
    expect(Math.max(...sizes)).toBeLessThanOrEqual(SECTION_SIZE)
    expect(Math.min(...sizes)).toBeGreaterThan(0)
  })

  it('deletes exactly the blocks that differ in a body from before sections', () => {
    const live = createYDoc()
    const body = bodyOf(live)
    const legacy = (text: string) => {
      const paragraph = new Y.XmlElement(NodeName.paragraph)
      paragraph.insert(0, [new Y.XmlText(text)])
      return paragraph
    }
    body.insert(0, [
      legacy('أ'),
      legacy('ب'),
      new Y.XmlElement(NodeName.section),
      legacy('ج'),
      legacy('د'),
    ])
    const past = createYDoc()
    bodyOf(past).insert(0, [legacy('أ'), legacy('د')])
    restoreDocument(live, past, 'restore')
    expect(readParagraphs(live)).toEqual(['أ', 'د'])
  })
})
