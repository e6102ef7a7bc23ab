/**
 * Behaviour every DocumentStore backend must show; each backend's test file runs it.
 * Kept out of the package's public index: it imports vitest.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DocumentExistsError, DocumentMissingError, type DocumentStore } from './document-store.js'

export interface StoreHarness {
  /** A fresh, empty store. */
  open(): Promise<DocumentStore>
  /** The same storage opened again, as after a process restart. */
  reopen(): Promise<DocumentStore>
  cleanup(): Promise<void>
}

function textUpdate(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc)
  doc.getText('t').insert(doc.getText('t').length, text)
  return Y.encodeStateAsUpdate(doc, before)
}

/** A promise and the function that resolves it, for holding work open until a test lets go. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { opened, open }
}

export function describeStoreContract(name: string, makeHarness: () => Promise<StoreHarness>) {
  describe(`${name} document store`, () => {
    let harness: StoreHarness
    let store: DocumentStore

    beforeEach(async () => {
      harness = await makeHarness()
      store = await harness.open()
    })

    afterEach(async () => {
      await store.close()
      await harness.cleanup()
    })

    it('creates, lists, renames and deletes documents', async () => {
      const doc = new Y.Doc()
      const created = await store.createDocument({
        id: 'doc1',
        title: 'مقال',
        initialUpdate: textUpdate(doc, 'أ'),
        userId: 'u1',
      })
      expect(created).toMatchObject({ id: 'doc1', title: 'مقال' })
      expect(created.size).toBeGreaterThan(0)
      expect((await store.listDocuments()).map((d) => d.id)).toEqual(['doc1'])
      expect((await store.renameDocument('doc1', 'عنوان جديد'))?.title).toBe('عنوان جديد')
      expect(await store.renameDocument('nope', 'x')).toBeNull()
      expect(await store.deleteDocument('doc1')).toBe(true)
      expect(await store.deleteDocument('doc1')).toBe(false)
      expect(await store.getDocument('doc1')).toBeNull()
      expect(await store.loadState('doc1')).toBeNull()
    })

    it('refuses a duplicate id and appends to a missing document', async () => {
      const update = textUpdate(new Y.Doc(), 'x')
      await store.createDocument({ id: 'a', title: 't', initialUpdate: update, userId: 'u' })
      await expect(
        store.createDocument({ id: 'a', title: 't', initialUpdate: update, userId: 'u' }),
      ).rejects.toBeInstanceOf(DocumentExistsError)
      await expect(
        store.appendUpdates('missing', [{ update, userId: 'u', receivedAt: 1 }]),
      ).rejects.toBeInstanceOf(DocumentMissingError)
    })

    it('keeps the log in order with who and when, across a reopen', async () => {
      const doc = new Y.Doc()
      await store.createDocument({
        id: 'd',
        title: 't',
        initialUpdate: textUpdate(doc, 'a'),
        userId: 'u0',
      })
      const last = await store.appendUpdates('d', [
        { update: textUpdate(doc, 'b'), userId: 'u1', receivedAt: 1000 },
        { update: textUpdate(doc, 'c'), userId: 'u2', receivedAt: 2000 },
      ])
      expect(last).toBe(3)
      await store.close()
      store = await harness.reopen()
      const state = await store.loadState('d')
      expect(state?.lastSeq).toBe(3)
      expect(state?.updates.map((u) => [u.seq, u.userId])).toEqual([
        [1, 'u0'],
        [2, 'u1'],
        [3, 'u2'],
      ])
      expect(state?.updates[2]?.receivedAt).toBe(2000)
      const replica = new Y.Doc()
      for (const { update } of state?.updates ?? []) Y.applyUpdate(replica, update)
      expect(replica.getText('t').toString()).toBe('abc')
    })

    it('loads snapshot plus later updates, and keeps the whole log for history', async () => {
      const doc = new Y.Doc()
      await store.createDocument({
        id: 'd',
        title: 't',
        initialUpdate: textUpdate(doc, 'a'),
        userId: 'u',
      })
      await store.appendUpdates('d', [{ update: textUpdate(doc, 'b'), userId: 'u', receivedAt: 1 }])
      await store.writeSnapshot('d', Y.encodeStateAsUpdate(doc), 2)
      await store.appendUpdates('d', [{ update: textUpdate(doc, 'c'), userId: 'u', receivedAt: 2 }])
      // an older snapshot never replaces a newer one
      await store.writeSnapshot('d', new Uint8Array([0, 0]), 1)
      const state = await store.loadState('d')
      expect(state?.snapshotSeq).toBe(2)
      expect(state?.updates.map((u) => u.seq)).toEqual([3])
      const replica = new Y.Doc()
      Y.applyUpdate(replica, state?.snapshot as Uint8Array)
      for (const { update } of state?.updates ?? []) Y.applyUpdate(replica, update)
      expect(replica.getText('t').toString()).toBe('abc')
      expect((await store.readLog('d')).map((u) => u.seq)).toEqual([1, 2, 3])
      expect((await store.readLog('d', 1, 2)).map((u) => u.seq)).toEqual([2])
    })

    it('counts stored bytes and moves updatedAt forward on append', async () => {
      const doc = new Y.Doc()
      const first = textUpdate(doc, 'a')
      const created = await store.createDocument({
        id: 'd',
        title: 't',
        initialUpdate: first,
        userId: 'u',
      })
      expect(created.size).toBe(first.byteLength)
      const second = textUpdate(doc, 'b')
      const later = created.updatedAt.getTime() + 60_000
      await store.appendUpdates('d', [{ update: second, userId: 'u', receivedAt: later }])
      const summary = await store.getDocument('d')
      expect(summary?.size).toBe(first.byteLength + second.byteLength)
      expect(summary?.updatedAt.getTime()).toBe(later)
    })

    it('stores audit events and answers filtered, paginated and counted queries', async () => {
      await store.createDocument({
        id: 'd',
        title: 't',
        initialUpdate: textUpdate(new Y.Doc(), 'a'),
        userId: 'u',
      })
      const hour = 3_600_000
      const event = (seq: number, userId: string, action: string, kind: string) => ({
        seq,
        at: seq * hour,
        userId,
        action,
        annotationId: `a${seq}`,
        kind,
        text: 'نص',
        from: null,
        to: action === 'kind-changed' ? kind : null,
      })
      expect(await store.readAuditProgress('d')).toBeNull()
      await store.appendAuditEvents(
        'd',
        [event(1, 'leila', 'created', 'claim'), event(2, 'sami', 'created', 'quote')],
        { seq: 2, state: '{"a":1}' },
      )
      await store.appendAuditEvents('d', [event(3, 'leila', 'kind-changed', 'denial')], {
        seq: 3,
        state: '{}',
      })
      expect(await store.readAuditProgress('d')).toEqual({ seq: 3, state: '{}' })
      // another instance that derived the same log from an older point: only
      // what is new is recorded, and progress never moves back
      await store.appendAuditEvents(
        'd',
        [event(2, 'sami', 'created', 'quote'), event(3, 'leila', 'kind-changed', 'denial')],
        { seq: 3, state: '{"late":1}' },
      )
      await store.appendAuditEvents('d', [event(1, 'leila', 'created', 'claim')], {
        seq: 1,
        state: '{"older":1}',
      })
      expect(await store.readAuditProgress('d')).toEqual({ seq: 3, state: '{}' })
      const all = await store.queryAuditEvents('d', { limit: 10 })
      expect(all.map((e) => e.seq)).toEqual([3, 2, 1])
      expect(all[0]).toMatchObject({
        userId: 'leila',
        action: 'kind-changed',
        to: 'denial',
        from: null,
      })
      expect(
        (await store.queryAuditEvents('d', { userId: 'leila', limit: 10 })).map((e) => e.seq),
      ).toEqual([3, 1])
      expect(
        (await store.queryAuditEvents('d', { action: 'created', kind: 'quote', limit: 10 })).map(
          (e) => e.seq,
        ),
      ).toEqual([2])
      expect(
        (await store.queryAuditEvents('d', { from: 2 * hour, to: 3 * hour, limit: 10 })).map(
          (e) => e.seq,
        ),
      ).toEqual([2])
      const firstPage = await store.queryAuditEvents('d', { limit: 2 })
      const nextPage = await store.queryAuditEvents('d', { limit: 2, before: firstPage[1]?.id })
      expect([...firstPage, ...nextPage].map((e) => e.seq)).toEqual([3, 2, 1])
      const activity = await store.auditActivity('d', { sizeMs: 2 * hour, offsetMs: 0 }, {})
      expect(activity.byUser).toEqual([
        { userId: 'leila', count: 2 },
        { userId: 'sami', count: 1 },
      ])
      expect(activity.byKind).toEqual([
        { kind: 'claim', count: 1 },
        { kind: 'denial', count: 1 },
        { kind: 'quote', count: 1 },
      ])
      expect(activity.byTime).toEqual([
        { start: 0, count: 1 },
        { start: 2 * hour, count: 2 },
      ])
      // seen from an hour east of UTC, buckets start an hour earlier in UTC
      const east = await store.auditActivity('d', { sizeMs: 2 * hour, offsetMs: hour }, {})
      expect(east.byTime).toEqual([
        { start: hour, count: 2 },
        { start: 3 * hour, count: 1 },
      ])
      await store.deleteDocument('d')
      expect(await store.queryAuditEvents('d', { limit: 10 })).toEqual([])
      expect(await store.readAuditProgress('d')).toBeNull()
    })

    it('keeps named versions and finds pauses in activity and positions in time', async () => {
      const doc = new Y.Doc()
      await store.createDocument({
        id: 'd',
        title: 't',
        initialUpdate: textUpdate(doc, 'a'),
        userId: 'u',
      })
      const minute = 60_000
      // seq 2..6 at minutes 10, 11, 30, 31, 60
      for (const at of [10, 11, 30, 31, 60]) {
        await store.appendUpdates('d', [
          { update: textUpdate(doc, 'x'), userId: 'u', receivedAt: at * minute },
        ])
      }
      const pauses = await store.listPauses('d', 5 * minute, 10)
      expect(pauses.map((p) => p.seq)).toEqual([6, 5, 3])
      expect(pauses[2]?.at).toBe(11 * minute)
      expect((await store.listPauses('d', 5 * minute, 1)).map((p) => p.seq)).toEqual([6])
      expect(await store.seqAtTime('d', 30.5 * minute)).toBe(4)
      expect(await store.seqAtTime('d', 0)).toBe(0)
      expect(await store.timeOfSeq('d', 4)).toBe(30 * minute)
      expect(await store.timeOfSeq('d', 99)).toBeNull()
      const first = await store.createVersion('d', {
        name: 'قبل التحرير',
        seq: 3,
        createdBy: 'lead',
        createdAt: 1,
      })
      const second = await store.createVersion('d', {
        name: 'بعد',
        seq: 6,
        createdBy: 'lead',
        createdAt: 2,
      })
      expect(second.id).toBeGreaterThan(first.id)
      expect((await store.listVersions('d')).map((v) => v.name)).toEqual(['بعد', 'قبل التحرير'])
      await expect(
        store.createVersion('missing', { name: 'x', seq: 1, createdBy: 'u', createdAt: 1 }),
      ).rejects.toThrow()
    })

    it('lets one holder at a time into the compaction lock of a document', async () => {
      const entered = gate()
      const holding = gate()
      let runs = 0
      const compact = () =>
        store.withCompactionLock('d', async () => {
          runs += 1
          entered.open()
          await holding.opened
          return 'compacted'
        })
      const attempts = [compact(), compact()]
      try {
        // the one that lost the race answers at once, while the other still holds the lock
        expect(await Promise.race(attempts)).toBeNull()
        await entered.opened
        expect(runs).toBe(1)
        expect(await store.withCompactionLock('other', async () => 'other')).toBe('other')
      } finally {
        holding.open()
      }
      expect(await Promise.all(attempts)).toEqual(expect.arrayContaining(['compacted', null]))
      expect(await store.withCompactionLock('d', async () => 'again')).toBe('again')
      expect(runs).toBe(1)
    })

    it('releases the compaction lock when the work fails', async () => {
      await expect(
        store.withCompactionLock('d', async () => {
          throw new Error('snapshot failed')
        }),
      ).rejects.toThrow('snapshot failed')
      expect(await store.withCompactionLock('d', async () => 'retried')).toBe('retried')
    })
  })
}
