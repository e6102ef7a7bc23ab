/**
 * The WebSocket endpoint against real server processes and stock y-websocket clients.
 */
import { join } from 'node:path'
import { readDemoArticle } from '@hashiya/fixtures'
import { SqliteDocumentStore } from '@hashiya/storage'
import { encodeSyncStep1, encodeSyncUpdate, MessageType } from '@hashiya/sync-protocol'
import {
  adminToken,
  type ServerProcess,
  startServerProcess,
  testAccount,
  waitFor,
} from '@hashiya/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { connectStockClient, type StockClient, typeInto, whenSynced } from './clients.js'

const DEMO = 'demo-musk-putin'
const demoParagraphs = readDemoArticle().paragraphs

const servers: ServerProcess[] = []
const clients: StockClient[] = []

async function server(options: Parameters<typeof startServerProcess>[0] = {}) {
  const started = await startServerProcess(options)
  servers.push(started)
  return started
}

/** A stock client; the test administrator's unless `options.token` says otherwise. */
async function client(
  s: ServerProcess,
  options: Partial<Parameters<typeof connectStockClient>[2]> = {},
) {
  const token = options.token ?? (await adminToken(s.url))
  const created = connectStockClient(s.wsUrl, DEMO, { ...options, token })
  clients.push(created)
  return created
}

/** The sync URL of the demo document with the administrator's token. */
async function syncUrl(s: ServerProcess): Promise<string> {
  return `${s.wsUrl}/sync/${DEMO}?token=${encodeURIComponent(await adminToken(s.url))}`
}

async function adminHeaders(s: ServerProcess): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await adminToken(s.url)}` }
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  for (const s of servers.splice(0)) {
    await s.stop()
    s.cleanup()
  }
})

/** A raw socket for sending what no stock client would. */
async function rawSocket(
  url: string,
): Promise<{ ws: WebSocket; closed: Promise<number>; frames: Uint8Array[] }> {
  const ws = new WebSocket(url)
  const frames: Uint8Array[] = []
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)))
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
  ws.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return { ws, closed, frames }
}

describe('sync over WebSocket', () => {
  it('lets two stock clients converge, with awareness', async () => {
    const s = await server()
    // Presence shows the accounts' display names (the server stamps them).
    const alice = await testAccount(s.url, 'alice', 'editor', 'ليلى')
    const bob = await testAccount(s.url, 'bob', 'editor', 'سامي')
    const a = await client(s, { token: alice.token, userId: 'alice', name: 'ليلى' })
    const b = await client(s, { token: bob.token, userId: 'bob', name: 'سامي' })
    await Promise.all([whenSynced(a), whenSynced(b)])
    expect(a.paragraphs()).toEqual(demoParagraphs)
    typeInto(a, 0, ' — تعديل من ليلى')
    typeInto(b, 1, ' — تعديل من سامي')
    await waitFor(
      () =>
        a.paragraphs().join() === b.paragraphs().join() &&
        a.paragraphs()[1]?.endsWith('سامي') === true,
      'both edits on both clients',
    )
    expect(b.paragraphs()[0]).toBe(`${demoParagraphs[0]} — تعديل من ليلى`)
    await waitFor(
      () =>
        [...a.provider.awareness.getStates().values()].some(
          (state) => (state.user as { name?: string } | undefined)?.name === 'سامي',
        ),
      'alice to see bob in awareness',
    )
  })

  it('gives a client that joins later the full state', async () => {
    const s = await server()
    const a = await client(s)
    await whenSynced(a)
    for (let i = 0; i < 20; i++) typeInto(a, i % 3, ` ${i}`)
    const late = await client(s)
    await waitFor(
      () => late.paragraphs().join() === a.paragraphs().join(),
      'late joiner to catch up',
    )
    expect(late.paragraphs()[0]).toContain(' 18')
  })

  it('echoes an update back to its sender once it is stored', async () => {
    const s = await server()
    const { ws, frames } = await rawSocket(await syncUrl(s))
    const doc = new Y.Doc()
    doc.getText('probe').insert(0, 'echo')
    const update = Y.encodeStateAsUpdate(doc)
    ws.send(encodeSyncUpdate(update))
    const expected = Buffer.from(encodeSyncUpdate(update)).toString('hex')
    await waitFor(
      () => frames.some((frame) => Buffer.from(frame).toString('hex') === expected),
      'the update to come back',
    )
    ws.close()
  })

  it('keeps every update across a clean restart', async () => {
    const s = await server()
    const a = await client(s)
    await whenSynced(a)
    typeInto(a, 2, ' قبل إعادة التشغيل')
    const observer = await client(s)
    await waitFor(() => observer.paragraphs()[2]?.endsWith('التشغيل') === true, 'relay')
    expect(await s.stop()).toBe(0)
    expect(s.output()).toContain('"msg":"stopped"')
    const restarted = await server({ dataDir: s.dataDir })
    const fresh = await client(restarted)
    await whenSynced(fresh)
    expect(fresh.paragraphs()[2]).toBe(`${demoParagraphs[2]} قبل إعادة التشغيل`)
  })

  it('loses nothing any client saw relayed when the server is killed with SIGKILL', async () => {
    const s = await server()
    const writer = await client(s, {
      token: (await testAccount(s.url, 'writer')).token,
      userId: 'writer',
    })
    const watcher = await client(s, {
      token: (await testAccount(s.url, 'watcher')).token,
      userId: 'watcher',
    })
    await Promise.all([whenSynced(writer), whenSynced(watcher)])
    for (let i = 0; i < 30; i++) typeInto(writer, 3, ` ك${i}`)
    await waitFor(
      () => watcher.paragraphs()[3]?.endsWith('ك29') === true,
      'watcher to see the last edit',
    )
    const seen = watcher.paragraphs()
    writer.provider.disconnect()
    watcher.provider.disconnect()
    await s.kill()
    const restarted = await server({ dataDir: s.dataDir })
    const fresh = await client(restarted)
    await whenSynced(fresh)
    expect(fresh.paragraphs()).toEqual(seen)
  })

  it('loads a cold document once for 50 clients connecting at the same instant', async () => {
    const s = await server()
    const token = await adminToken(s.url)
    const crowd = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client(s, { token, userId: `u${i}` })),
    )
    await Promise.all(crowd.map((c) => whenSynced(c, 30_000)))
    for (const c of crowd) expect(c.paragraphs()).toEqual(demoParagraphs)
    // logs arrive through a pipe, independently of the sockets
    await waitFor(() => s.output().includes('"msg":"document loaded"'), 'the load to be logged')
    expect(s.output().match(/"msg":"document loaded"/g)).toHaveLength(1)
  })

  it('closes only the socket that sends a malformed frame', async () => {
    const s = await server({ env: { MAX_FRAME_BYTES: String(64 * 1024) } })
    const a = await client(s)
    const b = await client(s)
    await Promise.all([whenSynced(a), whenSynced(b)])
    const url = await syncUrl(s)
    const hostile: [string, Uint8Array | string, number][] = [
      [
        'random bytes',
        new Uint8Array([0, 2, 9, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04]),
        1003,
      ],
      ['truncated varint', new Uint8Array([0x80, 0x80]), 1003],
      ['unknown message type', new Uint8Array([42, 0]), 1003],
      [
        'sync step 1 cut short',
        encodeSyncStep1(Y.encodeStateVector(new Y.Doc())).subarray(0, 2),
        1003,
      ],
      ['text frame', 'hello', 1003],
      ['frame over the payload limit', new Uint8Array(100 * 1024), 1009],
    ]
    for (const [name, frame, code] of hostile) {
      const { ws, closed } = await rawSocket(url)
      ws.send(frame)
      expect(await closed, name).toBe(code)
    }
    typeInto(a, 0, ' ما زال يعمل')
    await waitFor(
      () => b.paragraphs()[0]?.endsWith('يعمل') === true,
      'edits to flow after the attacks',
    )
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true)
    const health = await (await fetch(`${s.url}/healthz`)).json()
    expect(health).toMatchObject({ status: 'ok', connections: 2 })
    await waitFor(
      () => s.output().includes('malformed frame; closing connection'),
      'the refused frames to be logged',
    )
  })

  it('answers an unknown or invalid document id with an HTTP error, not an empty doc', async () => {
    const s = await server()
    const token = encodeURIComponent(await adminToken(s.url))
    for (const [path, status] of [
      [`/sync/no-such-document?token=${token}`, 404],
      [`/sync/bad%20id?token=${token}`, 400],
      [`/sync/${DEMO}`, 401],
      [`/sync/${DEMO}?token=not-a-token`, 401],
    ] as const) {
      const error = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${s.wsUrl}${path}`)
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
        ws.on('error', () => {})
      })
      expect(error).toBe(status)
    }
  })

  it('drops a client that stops answering pings, and only that one', async () => {
    const s = await server({ env: { PING_INTERVAL_MS: '1000', UNLOAD_AFTER_MS: '100' } })
    const alive = await client(s)
    await whenSynced(alive)
    // a peer gone without closing: its socket is open, but nothing answers
    const gone = new WebSocket(await syncUrl(s), { autoPong: false })
    const closed = new Promise<number>((resolve) => gone.on('close', (code) => resolve(code)))
    await new Promise((resolve) => gone.once('open', resolve))
    expect(await closed).toBe(1006)
    await waitFor(
      () => s.output().includes('"msg":"no answer to ping; dropping connection"'),
      'the drop to be logged',
    )
    expect(alive.provider.wsconnected).toBe(true)
    typeInto(alive, 0, ' ما زال هنا')
    await waitFor(async () => {
      const response = await fetch(`${s.url}/api/documents/${DEMO}`, {
        headers: await adminHeaders(s),
      })
      const body = (await response.json()) as { document: { paragraphs: string[] } }
      return body.document.paragraphs[0]?.endsWith(' ما زال هنا') ?? false
    }, 'the live client’s edit stored')
  })

  it('unloads an idle document and compacts it without losing history', async () => {
    const s = await server({ env: { UNLOAD_AFTER_MS: '100', COMPACT_AFTER_UPDATES: '5' } })
    const a = await client(s)
    await whenSynced(a)
    for (let i = 0; i < 12; i++) typeInto(a, 0, `${i}`)
    const expected = `${demoParagraphs[0]}01234567891011`
    const b = await client(s)
    await waitFor(() => b.paragraphs()[0] === expected, 'edits relayed')
    a.destroy()
    b.destroy()
    await waitFor(async () => {
      const health = (await (await fetch(`${s.url}/healthz`)).json()) as { documentsLoaded: number }
      return health.documentsLoaded === 0
    }, 'document to unload')
    const document = (await (
      await fetch(`${s.url}/api/documents/${DEMO}`, { headers: await adminHeaders(s) })
    ).json()) as {
      document: { paragraphs: string[] }
    }
    expect(document.document.paragraphs[0]).toBe(expected)
    const again = await client(s)
    await whenSynced(again)
    expect(again.paragraphs()[0]).toBe(expected)
    await waitFor(
      () => (s.output().match(/"msg":"document loaded"/g)?.length ?? 0) >= 2,
      'the reload to be logged',
    )
    again.destroy()
    await s.stop()
    const store = new SqliteDocumentStore({ filename: join(s.dataDir, 'hashiya.db') })
    const state = await store.loadState(DEMO)
    const log = await store.readLog(DEMO)
    await store.close()
    expect(state?.snapshotSeq).toBeGreaterThan(1)
    // the whole log survives compaction: the seed plus one update per keystroke
    expect(log.map((u) => u.seq)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1))
  })

  it('disconnects clients of a deleted document for good', async () => {
    const s = await server()
    const a = await client(s)
    await whenSynced(a)
    const closed = new Promise<number>((resolve) =>
      a.provider.once('closed', (event: { code: number }) => resolve(event.code)),
    )
    const deleted = await fetch(`${s.url}/api/documents/${DEMO}`, {
      method: 'DELETE',
      headers: await adminHeaders(s),
    })
    expect(deleted.status).toBe(204)
    expect(await closed).toBe(4404)
  })

  it('closes its clients with 1012 when it stops, so they reconnect', async () => {
    const s = await server()
    const { frames, closed } = await rawSocket(await syncUrl(s))
    await waitFor(() => frames.length > 0, 'the first sync frame')
    await s.stop()
    expect(await closed).toBe(1012)
  })

  it('answers a sync URL opened without an upgrade with the web app, like any other page', async () => {
    const s = await server()
    const response = await fetch((await syncUrl(s)).replace(/^ws/, 'http'))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
  })

  it('sends awareness of everyone present to a newcomer', async () => {
    const s = await server()
    const a = await client(s, { name: 'ليلى' })
    await whenSynced(a)
    const { frames, ws } = await rawSocket(await syncUrl(s))
    await waitFor(
      () => frames.some((frame) => frame[0] === MessageType.awareness),
      'awareness frame',
    )
    ws.close()
  })
})
