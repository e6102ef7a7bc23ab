/**
 * Several SyncServers (instances) sharing one store and an in-memory fan-out
 * that can lose or hold messages: live relay, healing from the store, and
 * compaction that is right whatever an instance has received.
 */
import {
  blocksOf,
  createYDoc,
  encodeDocumentFromParagraphs,
  readParagraphs,
} from '@hashiya/document'
import { SqliteDocumentStore } from '@hashiya/storage'
import {
  encodeAwarenessFrame,
  encodeSyncStep1,
  encodeSyncUpdate,
  MessageType,
} from '@hashiya/sync-protocol'
import * as decoding from 'lib0/decoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import {
  type ClientSession,
  CloseCode,
  type Fanout,
  type FanoutMessage,
  type FanoutSubscriber,
  type Logger,
  SyncServer,
  type SyncServerOptions,
} from './index.js'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** Instances joined in one process; delivery is asynchronous, and can be cut or held. */
class MemoryHub {
  private readonly subscribers = new Map<string, Map<string, Set<FanoutSubscriber>>>()
  /** Messages published while cut are lost. */
  cut = false
  /** Messages to an instance whose name is here wait until `release`. */
  readonly holdFor = new Set<string>()
  private held: (() => void)[] = []
  published: { from: string; message: FanoutMessage }[] = []

  join(instance: string): Fanout {
    const mine = new Map<string, Set<FanoutSubscriber>>()
    this.subscribers.set(instance, mine)
    return {
      subscribe: (documentId, subscriber) => {
        const set = mine.get(documentId) ?? new Set()
        mine.set(documentId, set)
        set.add(subscriber)
        setImmediate(() => subscriber.resync())
      },
      unsubscribe: (documentId, subscriber) => {
        mine.get(documentId)?.delete(subscriber)
      },
      publish: (documentId, message) => {
        this.published.push({ from: instance, message })
        if (this.cut) return
        const sentAt = Date.now()
        for (const [other, documents] of this.subscribers) {
          if (other === instance) continue
          const deliver = () => {
            for (const subscriber of documents.get(documentId) ?? []) {
              subscriber.receive(message, sentAt)
            }
          }
          if (this.holdFor.has(other)) this.held.push(deliver)
          else setImmediate(deliver)
        }
      },
    }
  }

  release(): void {
    const held = this.held
    this.held = []
    for (const deliver of held) deliver()
  }

  /** As after the channel was unreachable: every subscription is told to resync. */
  reconnect(instance: string): void {
    for (const set of this.subscribers.get(instance)?.values() ?? []) {
      for (const subscriber of set) subscriber.resync()
    }
  }
}

class FakeClient {
  readonly doc = new Y.Doc({ gc: false })
  readonly awareness = new Awareness(this.doc)
  closedWith: number | null = null
  session!: ClientSession
  bufferedAmount = 0

  send(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame)
    const type = decoding.readVarUint(decoder)
    if (type === MessageType.sync) {
      const syncType = decoding.readVarUint(decoder)
      const payload = decoding.readVarUint8Array(decoder)
      if (syncType !== 0) Y.applyUpdate(this.doc, payload, 'server')
    } else if (type === MessageType.awareness) {
      applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), 'server')
    }
  }

  close(code: number): void {
    this.closedWith = code
  }

  type(text: string): void {
    const before = Y.encodeStateVector(this.doc)
    const paragraph = blocksOf(this.doc)[0] as Y.XmlElement
    ;(paragraph.get(0) as Y.XmlText).insert(0, text)
    this.session.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(this.doc, before)))
  }

  text(): string {
    return readParagraphs(this.doc)[0] ?? ''
  }
}

async function join(server: SyncServer, userId: string): Promise<FakeClient> {
  const client = new FakeClient()
  client.session = await server.connect('doc', client, { connectionId: userId, userId })
  client.session.receive(encodeSyncStep1(Y.encodeStateVector(client.doc)))
  return client
}

const tick = () => new Promise((resolve) => setImmediate(resolve))
async function settle(turns = 8) {
  for (let i = 0; i < turns; i++) await tick()
}
/** Waits until the store's log reaches `seq` (an edit is acknowledged once stored). */
async function storedUpTo(store: SqliteDocumentStore, seq: number) {
  await until(async () => (await store.getDocument('doc'))?.lastSeq === seq, `seq ${seq} stored`)
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The document as the store would load it now, and as its snapshot alone has it. */
async function stored(store: SqliteDocumentStore) {
  const state = await store.loadState('doc')
  if (!state) throw new Error('no document')
  const load = (updates: Uint8Array[]) => {
    const doc = createYDoc()
    if (updates.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(updates))
    return readParagraphs(doc)[0] ?? ''
  }
  return {
    text: load([
      ...(state.snapshot ? [state.snapshot] : []),
      ...state.updates.map((u) => u.update),
    ]),
    snapshotText: state.snapshot ? load([state.snapshot]) : null,
    snapshotSeq: state.snapshotSeq,
    lastSeq: state.lastSeq,
  }
}

describe('several instances through a fan-out', () => {
  let store: SqliteDocumentStore
  let hub: MemoryHub
  const servers: SyncServer[] = []

  const instance = (name: string, options: Partial<SyncServerOptions> = {}) => {
    const server = new SyncServer({ store, logger: silent, fanout: hub.join(name), ...options })
    servers.push(server)
    return server
  }

  beforeEach(async () => {
    store = new SqliteDocumentStore({ filename: ':memory:' })
    hub = new MemoryHub()
    await store.createDocument({
      id: 'doc',
      title: 't',
      initialUpdate: encodeDocumentFromParagraphs(['.']),
      userId: 'system',
    })
  })

  afterEach(async () => {
    hub.release()
    for (const server of servers.splice(0)) await server.shutdown()
    await store.close()
  })

  it('relays stored updates live, and stores each exactly once', async () => {
    const a = instance('a')
    const b = instance('b')
    const alice = await join(a, 'alice')
    const bob = await join(b, 'bob')
    await settle()
    alice.type('A')
    bob.type('B')
    await until(() => alice.text() === bob.text() && alice.text().length === 3, 'convergence')
    const log = await store.readLog('doc')
    expect(log.map((u) => u.userId).sort()).toEqual(['alice', 'bob', 'system'])
    expect((await stored(store)).text).toBe(alice.text())
    // what went through the fan-out was stored first, with its log position
    const updates = hub.published.filter((p) => p.message.type === 'update')
    expect(updates.map((p) => p.message.type === 'update' && p.message.toSeq).sort()).toEqual([
      2, 3,
    ])
  })

  it('relays presence between instances, and its removal when a client leaves', async () => {
    const a = instance('a')
    const b = instance('b')
    const alice = await join(a, 'alice')
    const bob = await join(b, 'bob')
    await settle()
    const presence = new Awareness(new Y.Doc())
    presence.setLocalStateField('user', { name: 'ليلى' })
    alice.session.receive(
      encodeAwarenessFrame(encodeAwarenessUpdate(presence, [presence.clientID])),
    )
    await until(() => bob.awareness.getStates().has(presence.clientID), 'bob to see alice')
    alice.session.close()
    await until(() => !bob.awareness.getStates().has(presence.clientID), 'alice to leave')
  })

  it('shows who is already there to someone opening the document on another instance', async () => {
    const a = instance('a')
    const b = instance('b')
    const alice = await join(a, 'alice')
    const presence = new Awareness(new Y.Doc())
    presence.setLocalStateField('user', { name: 'ليلى' })
    alice.session.receive(
      encodeAwarenessFrame(encodeAwarenessUpdate(presence, [presence.clientID])),
    )
    await settle()
    // b opens the document only now: alice's presence was published before it listened
    expect(b.isLoaded('doc')).toBe(false)
    const bob = await join(b, 'bob')
    // without asking, bob would see her only when her browser renews its presence (15 s)
    await until(() => bob.awareness.getStates().has(presence.clientID), 'bob to see alice')
    expect(bob.awareness.getStates().get(presence.clientID)).toMatchObject({
      user: { name: 'ليلى' },
    })
    presence.destroy()
  })

  it('heals a lost message when the next one shows the hole', async () => {
    const a = instance('a', { gapGraceMs: 20 })
    const b = instance('b', { gapGraceMs: 20 })
    const alice = await join(a, 'alice')
    const bob = await join(b, 'bob')
    await settle()
    hub.cut = true
    alice.type('1')
    await storedUpTo(store, 2)
    await settle()
    hub.cut = false
    alice.type('2')
    await until(() => bob.text() === '21.', 'bob to catch up')
    expect((await store.readLog('doc')).length).toBe(3)
  })

  it('heals a lost last message through the periodic check, and after a reconnect', async () => {
    const a = instance('a')
    const b = instance('b', { resyncIntervalMs: 50 })
    const alice = await join(a, 'alice')
    const bob = await join(b, 'bob')
    await settle()
    hub.cut = true
    alice.type('x')
    await storedUpTo(store, 2)
    await until(() => bob.text() === 'x.', 'the periodic check to find it')
    bob.type('y')
    await storedUpTo(store, 3)
    await settle()
    expect(alice.text()).toBe('x.')
    hub.cut = false
    hub.reconnect('a')
    await until(() => alice.text() === 'yx.', 'a to resync after its reconnect')
  })

  it('compacts from the store, not from a live doc that lacks updates still in flight', async () => {
    const a = instance('a')
    const b = instance('b', { compactAfterUpdates: 2 })
    const alice = await join(a, 'alice')
    const bob = await join(b, 'bob')
    await settle()
    hub.holdFor.add('b')
    alice.type('A') // seq 2, held on its way to b
    await storedUpTo(store, 2)
    bob.type('B') // seq 3 from b, whose doc lacks seq 2: b compacts up to 3
    await storedUpTo(store, 3)
    expect(bob.text()).toBe('B.')
    await until(async () => (await stored(store)).snapshotSeq === 3, 'the compaction')
    const state = await stored(store)
    // the snapshot alone holds seq 2, which b's live doc did not have when it compacted
    expect(state.snapshotText).toContain('A')
    expect(state.snapshotText).toContain('B')
    hub.release()
    await until(() => bob.text() === alice.text() && bob.text().length === 3, 'convergence')
  })

  it('lets API reads and changes on one instance see what another just stored', async () => {
    const a = instance('a')
    const b = instance('b')
    const alice = await join(a, 'alice')
    await join(b, 'bob')
    await settle()
    hub.holdFor.add('b')
    alice.type('A')
    await storedUpTo(store, 2)
    expect(await b.read('doc', (doc) => readParagraphs(doc)[0])).toBe('A.')
  })

  it('closes the clients of every instance when a document is closed on one', async () => {
    const a = instance('a')
    const b = instance('b')
    const alice = await join(a, 'alice')
    const bob = await join(b, 'bob')
    await settle()
    await a.closeDocument('doc', CloseCode.documentDeleted, 'document deleted')
    expect(alice.closedWith).toBe(CloseCode.documentDeleted)
    await until(() => bob.closedWith === CloseCode.documentDeleted, 'bob closed')
    expect(b.isLoaded('doc')).toBe(false)
  })

  it('closes the clients of a document deleted elsewhere whose notice was lost, at the next check', async () => {
    const a = instance('a')
    const b = instance('b')
    await join(a, 'alice')
    const bob = await join(b, 'bob')
    await settle()
    hub.cut = true
    await store.deleteDocument('doc')
    await a.closeDocument('doc', CloseCode.documentDeleted, 'document deleted')
    await settle()
    expect(bob.closedWith).toBeNull()
    // as the fan-out does once it is back (or the periodic check, every RESYNC_INTERVAL_MS)
    hub.reconnect('b')
    await until(() => bob.closedWith === CloseCode.documentDeleted, 'bob closed as deleted')
    expect(b.isLoaded('doc')).toBe(false)
  })

  it('tells a client typing into a document deleted elsewhere that it is deleted, not to retry', async () => {
    const errors: string[] = []
    const b = instance('b', {
      logger: { ...silent, error: (_fields, message) => errors.push(String(message)) },
    })
    const bob = await join(b, 'bob')
    await settle()
    hub.cut = true
    await store.deleteDocument('doc')
    bob.type('x')
    await until(() => bob.closedWith !== null, 'bob closed')
    expect(bob.closedWith).toBe(CloseCode.documentDeleted)
    expect(errors).toEqual([])
  })
})
