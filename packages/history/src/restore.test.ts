import {
  createAnnotation,
  deleteAnnotation,
  readAnnotations,
  updateAnnotation,
} from '@hashiya/annotations'
import { appendParagraphs, bodyOf, createYDoc, readParagraphs } from '@hashiya/document'
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
    const firstBlock = bodyOf(live).get(0)

    // things go wrong: text deleted, a tag changed, another removed, one added
    ;((bodyOf(live).get(1) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 10)
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
    expect(bodyOf(live).get(0)).toBe(firstBlock)
    // other replicas converge through the ordinary update path
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(live, Y.encodeStateVector(replica)))
    expect(readParagraphs(replica)).toEqual(readParagraphs(past))
    expect(readAnnotations(replica).annotations).toEqual(pastReading.annotations)
  })
})
