import {
  annotationMarkKey,
  createAnnotation,
  deleteAnnotation,
  updateAnnotation,
} from '@hashiya/annotations'
import { blocksOf, createYDoc, encodeDocumentFromParagraphs } from '@hashiya/document'
import { SqliteDocumentStore } from '@hashiya/storage'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { InlineDeriver, WorkerDeriver } from './deriver.js'
import { AuditTrail } from './index.js'

describe('AuditTrail', () => {
  let store: SqliteDocumentStore
  let editor: Y.Doc
  let clock: number

  beforeEach(async () => {
    store = new SqliteDocumentStore({ filename: ':memory:' })
    const initial = encodeDocumentFromParagraphs([
      'قال نيلسون إن القصة قد تكون صحيحة.',
      'ونفت روسيا ذلك.',
    ])
    await store.createDocument({ id: 'd', title: 't', initialUpdate: initial, userId: 'system' })
    editor = createYDoc()
    Y.applyUpdate(editor, initial)
    clock = 1_000_000
  })
  afterEach(async () => store.close())

  /** Performs a change as `userId` and logs it as the sync server would. */
  async function as(userId: string, change: (doc: Y.Doc) => void) {
    const before = Y.encodeStateVector(editor)
    change(editor)
    clock += 60_000
    await store.appendUpdates('d', [
      { update: Y.encodeStateAsUpdate(editor, before), userId, receivedAt: clock },
    ])
  }

  it('records who did what, when, with the quoted text, and resumes after a restart', async () => {
    let claim = ''
    let denial = ''
    await as('leila', (doc) => {
      claim = createAnnotation(doc, { kind: 'claim', start: 14, end: 33, author: 'leila' })
    })
    await as('sami', (doc) => {
      denial = createAnnotation(doc, { kind: 'denial', start: 36, end: 46, author: 'sami' })
    })
    await as('sami', (doc) => updateAnnotation(doc, denial, { link: [claim] }, 'sami'))
    const trail = new AuditTrail(store)
    await trail.catchUp('d')
    const events = await store.queryAuditEvents('d', { limit: 50 })
    expect(events.map((e) => [e.userId, e.action, e.kind, e.text])).toEqual([
      ['sami', 'relation-added', 'denial', 'ونفت روسيا'],
      ['sami', 'created', 'denial', 'ونفت روسيا'],
      ['leila', 'created', 'claim', 'القصة قد تكون صحيحة'],
    ])
    // each event carries the time of the update that caused it
    expect(events.map((e) => e.at)).toEqual([1_180_000, 1_120_000, 1_060_000])

    await as('leila', (doc) => updateAnnotation(doc, claim, { kind: 'aside' }, 'leila'))
    await as('leila', (doc) => {
      const text = (blocksOf(doc)[0] as Y.XmlElement).get(0) as Y.XmlText
      text.insert(17, 'ــ', { [annotationMarkKey(claim)]: { id: claim } })
    })
    await as('omar', (doc) => deleteAnnotation(doc, denial))
    const restarted = new AuditTrail(store)
    await Promise.all([restarted.catchUp('d'), restarted.catchUp('d')])
    const later = await store.queryAuditEvents('d', { limit: 50 })
    expect(later.slice(0, 4).map((e) => [e.userId, e.action])).toEqual([
      ['omar', 'deleted'],
      ['leila', 'text-changed'],
      ['leila', 'relation-removed'],
      ['leila', 'kind-changed'],
    ])
    expect(later).toHaveLength(7)
    expect(later.find((e) => e.action === 'text-changed')).toMatchObject({
      from: 'القصة قد تكون صحيحة',
      to: 'القــصة قد تكون صحيحة',
    })
  })

  it('stores no progress for typing that touches no annotation; a restart re-derives it without duplicates', async () => {
    const trail = new AuditTrail(store)
    await as('leila', (doc) => {
      createAnnotation(doc, { kind: 'claim', start: 14, end: 33, author: 'leila' })
    })
    await trail.catchUp('d')
    const tagged = (await store.readAuditProgress('d'))?.seq
    expect(tagged).toBeGreaterThan(0)
    // the second paragraph holds no mark
    for (let i = 0; i < 3; i++) {
      await as('sami', (doc) =>
        ((blocksOf(doc)[1] as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'و'),
      )
    }
    await trail.catchUp('d')
    expect((await store.readAuditProgress('d'))?.seq).toBe(tagged)
    await as('sami', (doc) => {
      createAnnotation(doc, { kind: 'denial', start: 36, end: 43, author: 'sami' })
    })
    await new AuditTrail(store).catchUp('d')
    const events = await store.queryAuditEvents('d', { limit: 50 })
    expect(events.map((e) => [e.userId, e.action, e.kind])).toEqual([
      ['sami', 'created', 'denial'],
      ['leila', 'created', 'claim'],
    ])
    const last = (await store.readLog('d')).at(-1)?.seq
    expect((await store.readAuditProgress('d'))?.seq).toBe(last)
    await trail.close()
  })

  it('derives the same trail from scratch as incrementally', async () => {
    const incremental = new AuditTrail(store)
    for (let i = 0; i < 5; i++) {
      await as(`u${i % 2}`, (doc) => {
        const id = createAnnotation(doc, {
          kind: 'quote',
          start: i * 2,
          end: i * 2 + 1,
          author: `u${i % 2}`,
        })
        if (i % 2 === 1) updateAnnotation(doc, id, { note: `n${i}` }, `u${i % 2}`)
      })
      await incremental.catchUp('d')
    }
    const stepwise = (await store.queryAuditEvents('d', { limit: 100 })).map(({ id: _, ...e }) => e)
    const other = new SqliteDocumentStore({ filename: ':memory:' })
    const log = await store.readLog('d')
    await other.createDocument({
      id: 'd',
      title: 't',
      initialUpdate: log[0]?.update as Uint8Array,
      userId: 'system',
    })
    await other.appendUpdates('d', log.slice(1))
    await new AuditTrail(other).catchUp('d')
    const fromScratch = (await other.queryAuditEvents('d', { limit: 100 })).map(
      ({ id: _, ...e }) => e,
    )
    await other.close()
    // runs differ (one catch-up sees consecutive same-user updates together), the events do not
    const key = (e: { action: string; annotationId: string; userId: string }) =>
      `${e.annotationId}:${e.action}:${e.userId}`
    expect(fromScratch.map(key).sort()).toEqual(stepwise.map(key).sort())
  })

  it('derives in its worker thread as it does inline', async () => {
    // The worker as the server runs it: from the build, without the test
    // runner's `source` resolution (tests run the TypeScript sources).
    const worker = new WorkerDeriver(new URL('../dist/derivation-worker.js', import.meta.url), {
      execArgv: [],
    })
    const trail = new AuditTrail(store, { deriver: worker })
    let claim = ''
    await as('leila', (doc) => {
      claim = createAnnotation(doc, { kind: 'claim', start: 14, end: 33, author: 'leila' })
    })
    await trail.catchUp('d')
    await as('sami', (doc) => updateAnnotation(doc, claim, { kind: 'denial' }, 'sami'))
    await trail.catchUp('d')
    await trail.close()
    const events = await store.queryAuditEvents('d', { limit: 50 })
    expect(events.map((e) => [e.userId, e.action, e.kind, e.text])).toEqual([
      ['sami', 'kind-changed', 'denial', 'القصة قد تكون صحيحة'],
      ['leila', 'created', 'claim', 'القصة قد تكون صحيحة'],
    ])
    expect((await store.readAuditProgress('d'))?.seq).toBe((await store.readLog('d')).at(-1)?.seq)
  })

  it('starts a replica again when the deriver lost it, without recording anything twice', async () => {
    const deriver = new InlineDeriver()
    const trail = new AuditTrail(store, { deriver })
    await as('leila', (doc) => {
      createAnnotation(doc, { kind: 'claim', start: 14, end: 33, author: 'leila' })
    })
    await trail.catchUp('d')
    // As if the worker thread had died: the trail still counts on its replica.
    deriver.forget('d')
    await as('sami', (doc) => {
      createAnnotation(doc, { kind: 'denial', start: 36, end: 43, author: 'sami' })
    })
    await trail.catchUp('d')
    const events = await store.queryAuditEvents('d', { limit: 50 })
    expect(events.map((e) => [e.userId, e.action, e.kind])).toEqual([
      ['sami', 'created', 'denial'],
      ['leila', 'created', 'claim'],
    ])
  })

  it('reads no old log when a restarted trail finds nothing new, and derives nothing once closed', async () => {
    await as('leila', (doc) => {
      createAnnotation(doc, { kind: 'claim', start: 14, end: 33, author: 'leila' })
    })
    await new AuditTrail(store).catchUp('d')
    const restarted = new AuditTrail(store)
    const reads = vi.spyOn(store, 'readLog')
    await restarted.catchUp('d')
    // only what follows the stored progress is read: the log before it is not needed yet
    expect(reads.mock.calls).toEqual([['d', (await store.readAuditProgress('d'))?.seq]])
    await restarted.close()
    await as('sami', (doc) => {
      createAnnotation(doc, { kind: 'denial', start: 36, end: 43, author: 'sami' })
    })
    await restarted.catchUp('d')
    expect(await store.queryAuditEvents('d', { limit: 50 })).toHaveLength(1)
  })

  it('derives inline when its worker thread cannot start, after a few tries', async () => {
    const broken = new WorkerDeriver(new URL('./no-such-worker.js', import.meta.url), {
      execArgv: [],
    })
    const trail = new AuditTrail(store, { deriver: broken })
    await as('leila', (doc) => {
      createAnnotation(doc, { kind: 'claim', start: 14, end: 33, author: 'leila' })
    })
    const failures: unknown[] = []
    for (let attempt = 0; attempt < 3; attempt++) {
      await trail.catchUp('d').catch((error: unknown) => failures.push(error))
    }
    expect(failures).toHaveLength(3)
    await trail.catchUp('d')
    await trail.close()
    const events = await store.queryAuditEvents('d', { limit: 50 })
    expect(events.map((e) => [e.userId, e.action, e.kind])).toEqual([['leila', 'created', 'claim']])
  })

  it('keeps nothing for a document read while nobody has it open, and stores how far it read', async () => {
    const deriver = new InlineDeriver()
    const derive = vi.spyOn(deriver, 'derive')
    const forget = vi.spyOn(deriver, 'forget')
    const trail = new AuditTrail(store, { deriver })
    await as('leila', (doc) => {
      createAnnotation(doc, { kind: 'claim', start: 14, end: 33, author: 'leila' })
    })
    await trail.catchUp('d')
    // typing that touches no annotation: a plain pass would not store this progress
    await as('sami', (doc) =>
      ((blocksOf(doc)[1] as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'و'),
    )
    await trail.catchUpAndRelease('d')
    const last = (await store.readLog('d')).at(-1)?.seq
    expect((await store.readAuditProgress('d'))?.seq).toBe(last)
    // the replica is dropped, and reading again derives nothing
    expect(forget).toHaveBeenCalledWith('d')
    expect(derive).toHaveBeenCalledTimes(2)
    await trail.catchUpAndRelease('d')
    expect(derive).toHaveBeenCalledTimes(2)
    expect(await store.queryAuditEvents('d', { limit: 50 })).toHaveLength(1)
  })
})
