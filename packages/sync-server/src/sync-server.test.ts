import { blocksOf, encodeDocumentFromParagraphs, readParagraphs } from '@hashiya/document'
import { type DocumentStore, SqliteDocumentStore, type UpdateToAppend } from '@hashiya/storage'
import {
  encodeAwarenessFrame,
  encodeSyncStep1,
  encodeSyncUpdate,
  MessageType,
  SyncMessageType,
} from '@hashiya/sync-protocol'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type ClientSession, CloseCode, type Logger, SyncServer } from './index.js'

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** An in-process client: a Y.Doc wired to the server through plain function calls. */
class FakeClient {
  readonly doc = new Y.Doc({ gc: false })
  readonly received: Uint8Array[] = []
  closedWith: number | null = null
  session!: ClientSession
  bufferedAmount = 0

  send(frame: Uint8Array): void {
    this.received.push(frame)
    const decoder = decoding.createDecoder(frame)
    if (decoding.readVarUint(decoder) !== MessageType.sync) return
    const type = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (type === SyncMessageType.step2 || type === SyncMessageType.update) {
      Y.applyUpdate(this.doc, payload, 'server')
    }
  }

  close(code: number): void {
    this.closedWith = code
  }

  /** Sends a local edit the way y-websocket does. */
  edit(change: (doc: Y.Doc) => void): void {
    const before = Y.encodeStateVector(this.doc)
    change(this.doc)
    this.session.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(this.doc, before)))
  }
}

async function join(server: SyncServer, documentId: string, userId = 'u'): Promise<FakeClient> {
  const client = new FakeClient()
  client.session = await server.connect(documentId, client, { connectionId: userId, userId })
  client.session.receive(encodeSyncStep1(Y.encodeStateVector(client.doc)))
  return client
}

/** An awareness frame announcing a presence state for each of these client ids. */
function presenceFrame(clientIds: number[], clock = 1): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, clientIds.length)
  for (const id of clientIds) {
    encoding.writeVarUint(encoder, id)
    encoding.writeVarUint(encoder, clock)
    encoding.writeVarString(encoder, JSON.stringify({ user: { name: `n${id}` } }))
  }
  return encodeAwarenessFrame(encoding.toUint8Array(encoder))
}

/** Whether a client that joins now is told about anyone's presence. */
async function presenceShownToNewcomer(server: SyncServer): Promise<boolean> {
  const newcomer = await join(server, 'doc', 'newcomer')
  await settle()
  newcomer.session.close()
  return newcomer.received.some((frame) => frame[0] === MessageType.awareness)
}

const tick = () => new Promise((resolve) => setImmediate(resolve))
async function settle() {
  for (let i = 0; i < 5; i++) await tick()
}

function appendParagraphText(doc: Y.Doc, text: string) {
  const paragraph = blocksOf(doc)[0] as Y.XmlElement
  ;(paragraph.get(0) as Y.XmlText).insert(0, text)
}

describe('SyncServer', () => {
  let store: SqliteDocumentStore
  beforeEach(async () => {
    store = new SqliteDocumentStore({ filename: ':memory:' })
    await store.createDocument({
      id: 'doc',
      title: 't',
      initialUpdate: encodeDocumentFromParagraphs(['نص']),
      userId: 'system',
    })
  })
  afterEach(async () => store.close())

  it('records who made each update', async () => {
    const server = new SyncServer({ store, logger: silent })
    const alice = await join(server, 'doc', 'alice')
    await settle()
    alice.edit((doc) => appendParagraphText(doc, 'أ'))
    await settle()
    const log = await store.readLog('doc')
    expect(log.map((u) => u.userId)).toEqual(['system', 'alice'])
    await server.shutdown()
  })

  it('says when what an open document applied is in the store', async () => {
    const server = new SyncServer({ store, logger: silent })
    const alice = await join(server, 'doc', 'alice')
    await settle()
    alice.edit((doc) => appendParagraphText(doc, 'أ'))
    // applied (a read sees it) before it is committed
    expect((await server.read('doc', readParagraphs))?.join('')).toContain('أ')
    expect((await store.readLog('doc')).map((u) => u.userId)).toEqual(['system'])
    await server.whenStored('doc')
    expect((await store.readLog('doc')).map((u) => u.userId)).toEqual(['system', 'alice'])
    await server.whenStored('not-open')
    await server.shutdown()
  })

  it('resolves a change once it is stored, while a client goes on typing', async () => {
    const server = new SyncServer({ store, logger: silent })
    const alice = await join(server, 'doc', 'alice')
    await settle()
    let typing = true
    let keys = 0
    const typist = (async () => {
      while (typing && keys < 200) {
        alice.edit((doc) => appendParagraphText(doc, 'ا'))
        keys += 1
        await tick()
      }
    })()
    await tick()
    await server.change('doc', 'lead', (doc, origin) =>
      doc.transact(() => appendParagraphText(doc, 'ب'), origin),
    )
    const keysWhenDone = keys
    typing = false
    await typist
    expect(keysWhenDone).toBeLessThan(200)
    expect((await store.readLog('doc')).map((u) => u.userId)).toContain('lead')
    await server.shutdown()
  })

  it('stores a client update as the bytes it sent, and one that changes nothing not at all', async () => {
    const server = new SyncServer({ store, logger: silent })
    const alice = await join(server, 'doc', 'alice')
    await settle()
    const before = Y.encodeStateVector(alice.doc)
    appendParagraphText(alice.doc, 'أ')
    const update = Y.encodeStateAsUpdate(alice.doc, before)
    alice.session.receive(encodeSyncUpdate(update))
    // the same update again, and a reconnecting client's step 2 (everything it has)
    alice.session.receive(encodeSyncUpdate(update))
    alice.session.receive(encodeSyncUpdate(Y.encodeStateAsUpdate(alice.doc)))
    await settle()
    const log = await store.readLog('doc')
    expect(log.map((u) => u.userId)).toEqual(['system', 'alice'])
    expect(log[1]?.update).toEqual(update)
    await server.shutdown()
  })

  it('stores an update that waits for one it depends on, and loses nothing once that arrives', async () => {
    const server = new SyncServer({ store, logger: silent })
    const alice = await join(server, 'doc', 'alice')
    const bob = await join(server, 'doc', 'bob')
    await settle()
    // alice types twice; the second update reaches the server first
    let before = Y.encodeStateVector(alice.doc)
    appendParagraphText(alice.doc, 'أ')
    const first = Y.encodeStateAsUpdate(alice.doc, before)
    before = Y.encodeStateVector(alice.doc)
    appendParagraphText(alice.doc, 'ب')
    const second = Y.encodeStateAsUpdate(alice.doc, before)
    alice.session.receive(encodeSyncUpdate(second))
    await settle()
    alice.session.receive(encodeSyncUpdate(first))
    await settle()
    expect(readParagraphs(bob.doc)).toEqual(['بأنص'])
    // what the store holds rebuilds the same document
    const reloaded = new Y.Doc({ gc: false })
    Y.applyUpdate(reloaded, Y.mergeUpdates((await store.readLog('doc')).map((u) => u.update)))
    expect(readParagraphs(reloaded)).toEqual(['بأنص'])
    await server.shutdown()
  })

  it('broadcasts nothing until the store has committed it', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const slowStore: DocumentStore = Object.create(store)
    slowStore.appendUpdates = async (id: string, updates: readonly UpdateToAppend[]) => {
      await gate
      return store.appendUpdates(id, updates)
    }
    const server = new SyncServer({ store: slowStore, logger: silent })
    const writer = await join(server, 'doc', 'w')
    const reader = await join(server, 'doc', 'r')
    await settle()
    writer.edit((doc) => appendParagraphText(doc, 'جديد '))
    await settle()
    expect(readParagraphs(reader.doc)).toEqual(['نص'])
    // a client joining now must not be handed the uncommitted edit either
    const late = await join(server, 'doc', 'late')
    await settle()
    expect(readParagraphs(late.doc)).toEqual([])
    release()
    await settle()
    expect(readParagraphs(reader.doc)).toEqual(['جديد نص'])
    expect(readParagraphs(late.doc)).toEqual(['جديد نص'])
    expect(readParagraphs(writer.doc)).toEqual(['جديد نص'])
    await server.shutdown()
  })

  it('sends each client one frame for all the updates stored together, its own included', async () => {
    const server = new SyncServer({ store, logger: silent })
    const alice = await join(server, 'doc', 'alice')
    const sami = await join(server, 'doc', 'sami')
    const reader = await join(server, 'doc', 'reader')
    await settle()
    const before = reader.received.length
    const aliceBefore = alice.received.length
    // both edits arrive in the same I/O turn: one commit, one frame each way
    alice.edit((doc) => appendParagraphText(doc, 'أ'))
    sami.edit((doc) => appendParagraphText(doc, 'ب'))
    await settle()
    expect(reader.received.length - before).toBe(1)
    expect(alice.received.length - aliceBefore).toBe(1)
    expect((await store.readLog('doc')).map((u) => u.userId)).toEqual(['system', 'alice', 'sami'])
    const text = readParagraphs(reader.doc)
    expect(text).toEqual([readParagraphs(alice.doc)[0]])
    expect(readParagraphs(sami.doc)).toEqual(text)
    expect(text[0]).toMatch(/^(أب|بأ)نص$/)
    await server.shutdown()
  })

  it('closes every client with "try again later" when the store fails, and reloads from storage', async () => {
    const failingStore: DocumentStore = Object.create(store)
    let fail = true
    failingStore.appendUpdates = async (id: string, updates: readonly UpdateToAppend[]) => {
      if (fail) throw new Error('disk full')
      return store.appendUpdates(id, updates)
    }
    const server = new SyncServer({ store: failingStore, logger: silent })
    const writer = await join(server, 'doc', 'w')
    const reader = await join(server, 'doc', 'r')
    await settle()
    writer.edit((doc) => appendParagraphText(doc, 'ضائع '))
    await settle()
    expect(writer.closedWith).toBe(CloseCode.tryAgainLater)
    expect(reader.closedWith).toBe(CloseCode.tryAgainLater)
    expect(readParagraphs(reader.doc)).toEqual(['نص'])
    expect(server.isLoaded('doc')).toBe(false)
    fail = false
    const fresh = await join(server, 'doc', 'f')
    await settle()
    expect(readParagraphs(fresh.doc)).toEqual(['نص'])
    await server.shutdown()
  })

  it('drops a consumer whose send buffer grows past the limit', async () => {
    const server = new SyncServer({ store, logger: silent, maxBufferedBytes: 1000 })
    const writer = await join(server, 'doc', 'w')
    const stuck = await join(server, 'doc', 's')
    stuck.session.receive(presenceFrame([42]))
    await settle()
    stuck.bufferedAmount = 5000
    writer.edit((doc) => appendParagraphText(doc, 'x'))
    await settle()
    expect(stuck.closedWith).toBe(CloseCode.tryAgainLater)
    expect(writer.closedWith).toBeNull()
    // its presence does not linger until the awareness timeout
    expect(await presenceShownToNewcomer(server)).toBe(false)
    await server.shutdown()
  })

  it('shows presence as the connection’s account when it has a display name, whatever the client claims', async () => {
    const server = new SyncServer({ store, logger: silent })
    const watcher = await join(server, 'doc', 'watcher')
    const client = new FakeClient()
    client.session = await server.connect('doc', client, {
      connectionId: 'c',
      userId: 'leila',
      displayName: 'ليلى',
    })
    await settle()
    const claimed = encoding.createEncoder()
    encoding.writeVarUint(claimed, 1)
    encoding.writeVarUint(claimed, 77)
    encoding.writeVarUint(claimed, 1)
    encoding.writeVarString(
      claimed,
      JSON.stringify({ user: { id: 'admin', name: 'Admin', color: '#c00' } }),
    )
    const before = watcher.received.length
    client.session.receive(encodeAwarenessFrame(encoding.toUint8Array(claimed)))
    await settle()
    const relayed = watcher.received.slice(before).find((f) => f[0] === MessageType.awareness)
    expect(relayed).toBeDefined()
    const decoder = decoding.createDecoder(relayed as Uint8Array)
    decoding.readVarUint(decoder) // message type
    const update = decoding.createDecoder(decoding.readVarUint8Array(decoder))
    expect(decoding.readVarUint(update)).toBe(1)
    expect(decoding.readVarUint(update)).toBe(77)
    decoding.readVarUint(update) // clock
    expect(JSON.parse(decoding.readVarString(update))).toEqual({
      user: { id: 'leila', name: 'ليلى', color: '#c00' },
    })
    await server.shutdown()
  })

  it('removes a client’s presence when it leaves', async () => {
    const server = new SyncServer({ store, logger: silent })
    const present = await join(server, 'doc', 'present')
    const quiet = await join(server, 'doc', 'quiet')
    await settle()
    present.session.receive(presenceFrame([101]))
    expect(await presenceShownToNewcomer(server)).toBe(true)
    quiet.session.close()
    expect(await presenceShownToNewcomer(server)).toBe(true)
    present.session.close()
    expect(await presenceShownToNewcomer(server)).toBe(false)
    await server.shutdown()
  })

  it('closes a connection that announces too many awareness clients, and drops their presence', async () => {
    const server = new SyncServer({ store, logger: silent, maxAwarenessClients: 2 })
    const crowd = await join(server, 'doc', 'crowd')
    const bystander = await join(server, 'doc', 'bystander')
    await settle()
    crowd.session.receive(presenceFrame([1, 2]))
    // Renewing the same clients does not count them twice.
    crowd.session.receive(presenceFrame([1, 2], 2))
    expect(crowd.closedWith).toBeNull()
    expect(await presenceShownToNewcomer(server)).toBe(true)
    crowd.session.receive(presenceFrame([3]))
    expect(crowd.closedWith).toBe(CloseCode.policyViolation)
    expect(bystander.closedWith).toBeNull()
    expect(await presenceShownToNewcomer(server)).toBe(false)
    await server.shutdown()
  })

  it('rejects an unknown document', async () => {
    const server = new SyncServer({ store, logger: silent })
    await expect(join(server, 'missing')).rejects.toThrow(/does not exist/)
    expect(server.loadedDocumentCount).toBe(0)
  })

  it('flushes and closes clients with a reconnect hint on shutdown', async () => {
    const server = new SyncServer({ store, logger: silent })
    const client = await join(server, 'doc')
    await settle()
    client.edit((doc) => appendParagraphText(doc, 'أخير '))
    await server.shutdown()
    expect(client.closedWith).toBe(CloseCode.serviceRestart)
    const state = await store.loadState('doc')
    expect(state?.snapshotSeq).toBe(2)
  })
})
