import { readParagraphs } from '@hashiya/document'
import { SqliteDocumentStore } from '@hashiya/storage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  listVersions,
  loadDocumentAt,
  MalformedHistoryPointError,
  resolveHistoryPoint,
} from './index.js'

describe('versions', () => {
  let store: SqliteDocumentStore
  const minute = 60_000
  const seen: string[][] = []

  beforeEach(async () => {
    store = new SqliteDocumentStore({ filename: ':memory:' })
    const doc = new Y.Doc({ gc: false })
    const body = doc.getXmlFragment('default')
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText('أ')
    paragraph.insert(0, [text])
    body.insert(0, [paragraph])
    await store.createDocument({
      id: 'd',
      title: 't',
      initialUpdate: Y.encodeStateAsUpdate(doc),
      userId: 'u',
    })
    seen.length = 0
    seen.push(readParagraphs(doc))
    // seq 2..5: typing at minutes 1, 2, then 20, 21 (a pause after minute 2)
    for (const at of [1, 2, 20, 21]) {
      const before = Y.encodeStateVector(doc)
      text.insert(text.length, String(at))
      await store.appendUpdates('d', [
        { update: Y.encodeStateAsUpdate(doc, before), userId: 'u', receivedAt: at * minute },
      ])
      seen.push(readParagraphs(doc))
    }
  })
  afterEach(async () => store.close())

  it('rebuilds the document exactly as it was after any update', async () => {
    for (let seq = 1; seq <= 5; seq++) {
      const doc = await loadDocumentAt(store, 'd', seq)
      expect(readParagraphs(doc)).toEqual(seen[seq - 1])
      doc.destroy()
    }
  })

  it('lists named versions with automatic checkpoints after pauses', async () => {
    await store.createVersion('d', {
      name: 'مسودة أولى',
      seq: 3,
      createdBy: 'lead',
      createdAt: 5 * minute,
    })
    const versions = await listVersions(store, 'd', { pauseMs: 10 * minute, now: 25 * minute })
    // the last update (minute 21) is not yet followed by a 10-minute pause at minute 25
    // the checkpoint at seq 3 is the named version's state: listed once, by its name
    expect(versions.map((v) => [v.id, v.auto, v.seq])).toEqual([['v1', false, 3]])
    const later = await listVersions(store, 'd', { pauseMs: 10 * minute, now: 40 * minute })
    expect(later.map((v) => v.id)).toEqual(['s5', 'v1'])
  })

  it('resolves version ids, log positions and times, and refuses the rest clearly', async () => {
    await store.createVersion('d', { name: 'x', seq: 2, createdBy: 'lead', createdAt: 0 })
    expect(await resolveHistoryPoint(store, 'd', 'v1')).toEqual({ seq: 2, at: minute })
    expect(await resolveHistoryPoint(store, 'd', 's4')).toEqual({ seq: 4, at: 20 * minute })
    expect((await resolveHistoryPoint(store, 'd', new Date(20.5 * minute).toISOString())).seq).toBe(
      4,
    )
    await expect(resolveHistoryPoint(store, 'd', 'v9')).rejects.toThrow(/no version v9/)
    await expect(resolveHistoryPoint(store, 'd', 's99')).rejects.toThrow(/no position 99/)
    await expect(resolveHistoryPoint(store, 'd', 'yesterday')).rejects.toThrow(
      MalformedHistoryPointError,
    )
    await expect(resolveHistoryPoint(store, 'd', '1960-01-01T00:00:00Z')).rejects.toThrow(
      /did not exist yet/,
    )
  })
})
