import { createAnnotation, updateAnnotation } from '@hashiya/annotations'
import {
  appendParagraphs,
  blocksOf,
  bodyOf,
  createYDoc,
  encodeDocumentFromParagraphs,
} from '@hashiya/document'
import { SqliteDocumentStore } from '@hashiya/storage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffDocuments, loadDocumentAt } from './index.js'

describe('diffDocuments', () => {
  let store: SqliteDocumentStore
  let leila: Y.Doc
  let sami: Y.Doc

  beforeEach(async () => {
    store = new SqliteDocumentStore({ filename: ':memory:' })
    const initial = encodeDocumentFromParagraphs(['قال نيلسون إن القصة صحيحة.', 'ونفت روسيا ذلك.'])
    await store.createDocument({ id: 'd', title: 't', initialUpdate: initial, userId: 'system' })
    leila = createYDoc()
    sami = createYDoc()
    Y.applyUpdate(leila, initial)
    Y.applyUpdate(sami, initial)
  })
  afterEach(async () => store.close())

  async function as(userId: string, doc: Y.Doc, change: (doc: Y.Doc) => void) {
    const before = Y.encodeStateVector(doc)
    change(doc)
    const update = Y.encodeStateAsUpdate(doc, before)
    for (const other of [leila, sami]) if (other !== doc) Y.applyUpdate(other, update)
    await store.appendUpdates('d', [{ update, userId, receivedAt: Date.now() }])
  }

  const text = (doc: Y.Doc, paragraph: number) =>
    (blocksOf(doc)[paragraph] as Y.XmlElement).get(0) as Y.XmlText

  it('attributes inserted and deleted text to the users who did it', async () => {
    await as('leila', leila, (doc) => text(doc, 0).insert(11, 'يوم الجمعة '))
    await as('sami', sami, (doc) => text(doc, 1).delete(4, 6)) // " روسيا"
    await as('omar', sami, (doc) => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText('فقرة جديدة')])
      // as Enter at the end leaves it: in the article's section
      ;(bodyOf(doc).get(0) as Y.XmlElement).insert(2, [paragraph])
    })
    const earlier = await loadDocumentAt(store, 'd', 1)
    const later = await loadDocumentAt(store, 'd', 4)
    const diff = diffDocuments(earlier, later, await store.readLog('d', 1, 4))
    expect(diff.paragraphs).toEqual([
      {
        change: 'equal',
        pieces: [
          { change: 'equal', text: 'قال نيلسون ', userId: null },
          { change: 'insert', text: 'يوم الجمعة ', userId: 'leila' },
          { change: 'equal', text: 'إن القصة صحيحة.', userId: null },
        ],
      },
      {
        change: 'equal',
        pieces: [
          { change: 'equal', text: 'ونفت', userId: null },
          { change: 'delete', text: ' روسيا', userId: 'sami' },
          { change: 'equal', text: ' ذلك.', userId: null },
        ],
      },
      { change: 'insert', pieces: [{ change: 'insert', text: 'فقرة جديدة', userId: 'omar' }] },
    ])
    // between later points only the later change shows
    const middle = await loadDocumentAt(store, 'd', 3)
    const tail = diffDocuments(middle, later, await store.readLog('d', 3, 4))
    expect(tail.paragraphs.map((p) => p.change)).toEqual(['equal', 'equal', 'insert'])
    expect(tail.paragraphs[1]?.pieces.map((p) => p.change)).toEqual(['equal'])
  })

  it('lists the blocks of a section added or removed as a whole', async () => {
    await as('omar', sami, (doc) => appendParagraphs(doc, ['أولى مضافة', 'ثانية مضافة']))
    await as('sami', sami, (doc) => bodyOf(doc).delete(0, 1))
    const diff = diffDocuments(
      await loadDocumentAt(store, 'd', 1),
      await loadDocumentAt(store, 'd', 3),
      await store.readLog('d', 1, 3),
    )
    expect(diff.paragraphs).toEqual([
      {
        change: 'delete',
        pieces: [{ change: 'delete', text: 'قال نيلسون إن القصة صحيحة.', userId: 'sami' }],
      },
      { change: 'delete', pieces: [{ change: 'delete', text: 'ونفت روسيا ذلك.', userId: 'sami' }] },
      { change: 'insert', pieces: [{ change: 'insert', text: 'أولى مضافة', userId: 'omar' }] },
      { change: 'insert', pieces: [{ change: 'insert', text: 'ثانية مضافة', userId: 'omar' }] },
    ])
  })

  it('lists annotations added, removed and changed', async () => {
    let claim = ''
    await as('leila', leila, (doc) => {
      claim = createAnnotation(doc, { kind: 'claim', start: 14, end: 25, author: 'leila' })
    })
    const earlier = await loadDocumentAt(store, 'd', 2)
    await as('sami', sami, (doc) => updateAnnotation(doc, claim, { kind: 'aside' }, 'sami'))
    await as('sami', sami, (doc) =>
      createAnnotation(doc, { kind: 'denial', start: 28, end: 38, author: 'sami' }),
    )
    const later = await loadDocumentAt(store, 'd', 4)
    const diff = diffDocuments(earlier, later, await store.readLog('d', 2, 4))
    expect(diff.annotations.map((e) => [e.action, e.kind])).toEqual([
      ['kind-changed', 'aside'],
      ['created', 'denial'],
    ])
  })
})
