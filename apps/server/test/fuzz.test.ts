/**
 * A protocol fuzzer against a real server process: 10,000+ random and mutated
 * y-protocols frames from several accounts, including a viewer and attempts
 * on a document the fuzzer may not open. The server must stay up with bounded
 * memory, refuse every frame that is not a valid message, keep the documents
 * the fuzzer may not change byte-for-byte as they were, and keep serving the
 * editor working alongside.
 *
 * Frames come from fast-check with a fixed seed, so a failure reproduces.
 */
import { readFileSync } from 'node:fs'
import {
  encodeAwarenessFrame,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
} from '@hashiya/sync-protocol'
import {
  adminAccount,
  type ServerProcess,
  startServerProcess,
  type TestAccount,
  testAccount,
  waitFor,
} from '@hashiya/testing'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { connectStockClient, type StockClient, typeInto, whenSynced } from './clients.js'

const DEMO = 'demo-musk-putin'
const SEED = 20261125
const FRAMES = 10_000

let server: ServerProcess
let admin: TestAccount
let editor: StockClient
let privateDocument = ''

beforeAll(async () => {
  // High rate limits so the frames reach the decoder instead of the rate limiter.
  server = await startServerProcess({ env: { MESSAGES_PER_SECOND: '1000000' } })
  admin = await adminAccount(server.url)
  const created = await fetch(new URL('/api/documents', server.url), {
    method: 'POST',
    headers: admin.headers,
    body: JSON.stringify({ title: 'خاص', body: 'وثيقة لا يصل إليها المهاجم.' }),
  })
  privateDocument = ((await created.json()) as { document: { id: string } }).document.id
  const editorAccount = await testAccount(server.url, 'steady-editor', 'editor')
  editor = connectStockClient(server.wsUrl, DEMO, { token: editorAccount.token, name: 'محررة' })
  await whenSynced(editor)
})

afterAll(async () => {
  editor?.destroy()
  await server?.stop()
  server?.cleanup()
})

function rssBytes(): number {
  const status = readFileSync(`/proc/${server.pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024
}

async function storedState(documentId: string): Promise<string> {
  const response = await fetch(
    new URL(`/api/documents/${documentId}/export?format=json`, server.url),
    { headers: admin.headers },
  )
  const exported = (await response.json()) as { document: unknown; annotations: unknown }
  return JSON.stringify([exported.document, exported.annotations])
}

/** Valid frames a real client sends, as seeds for mutation. */
function validFrames(): Uint8Array[] {
  const doc = new Y.Doc()
  doc.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')])
  doc.getMap('annotations').set('x', 1)
  const update = Y.encodeStateAsUpdate(doc)
  const awareness = new Awareness(doc)
  awareness.setLocalStateField('user', { id: 'fuzzer', name: 'مهاجم', color: '#000' })
  return [
    encodeSyncStep1(Y.encodeStateVector(doc)),
    encodeSyncStep2(update),
    encodeSyncUpdate(update),
    encodeAwarenessFrame(encodeAwarenessUpdate(awareness, [doc.clientID])),
    encodeQueryAwareness(),
  ]
}

function frameArbitrary(seeds: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const seed = fc.constantFrom(...seeds)
  const mutated = fc
    .tuple(seed, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }))
    .map(([frame, flips]) => {
      const copy = frame.slice()
      for (const [at, value] of flips) copy[at % copy.length] = value
      return copy
    })
  const truncated = fc
    .tuple(seed, fc.nat())
    .map(([frame, cut]) => frame.slice(0, cut % frame.length))
  const extended = fc
    .tuple(seed, fc.uint8Array({ minLength: 1, maxLength: 64 }))
    .map(([frame, tail]) => Uint8Array.of(...frame, ...tail))
  // A message type and sync type followed by a length far beyond the frame.
  const lyingLength = fc
    .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }))
    .map(([type, sub]) => Uint8Array.of(type, sub, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3))
  return fc.oneof(
    { weight: 3, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 512 }) },
    { weight: 4, arbitrary: mutated },
    { weight: 2, arbitrary: truncated },
    { weight: 1, arbitrary: extended },
    { weight: 1, arbitrary: lyingLength },
  )
}

const PROBE = encodeQueryAwareness()
const AWARENESS_MESSAGE = 1

/**
 * Feeds frames to one connection in lock step: each frame is followed by a
 * query-awareness probe, and the next frame goes only once the probe is
 * answered, so every frame is really decoded by the server (not sent after it
 * already hung up). Returns how many frames were consumed: those that passed,
 * plus the one that made the server close the connection; 0 when the upgrade
 * was refused.
 */
function feedConnection(url: string, take: () => Uint8Array | undefined): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url)
    let consumed = 0
    let answered: (() => void) | null = null
    ws.on('error', () => {})
    ws.on('unexpected-response', () => resolve(0))
    ws.on('message', (data: Buffer) => {
      if (data[0] === AWARENESS_MESSAGE) answered?.()
    })
    ws.on('close', () => {
      answered = null
      resolve(consumed)
    })
    ws.on('open', async () => {
      for (;;) {
        const frame = take()
        if (!frame || ws.readyState !== WebSocket.OPEN) break
        consumed += 1
        const reply = new Promise<void>((done) => {
          answered = done
        })
        ws.send(frame)
        ws.send(PROBE)
        await reply
        if (ws.readyState !== WebSocket.OPEN) return
      }
      ws.close()
    })
  })
}

describe('protocol fuzzing', () => {
  it(`survives ${FRAMES} random and mutated frames; other documents and clients are unaffected`, async () => {
    const viewer = await testAccount(server.url, 'fuzz-viewer', 'viewer')
    const outsider = await testAccount(server.url, 'fuzz-outsider', 'editor')
    const demoBefore = await storedState(DEMO)
    const privateBefore = await storedState(privateDocument)

    const frames = fc.sample(frameArbitrary(validFrames()), { numRuns: FRAMES, seed: SEED })
    const targets = [
      `${server.wsUrl}/sync/${DEMO}?token=${viewer.token}`,
      `${server.wsUrl}/sync/${privateDocument}?token=${outsider.token}`,
      `${server.wsUrl}/sync/${privateDocument}?token=not-a-token`,
    ]
    let next = 0
    let connections = 0
    let refusedUpgrades = 0
    let rssAfterWarmUp = 0
    const take = () => {
      if (rssAfterWarmUp === 0 && next >= 2_000) rssAfterWarmUp = rssBytes()
      return frames[next++]
    }
    const lanes = Array.from({ length: 6 }, async (_, lane) => {
      while (next < frames.length) {
        // Most frames go to the document the viewer may read; one lane probes the others.
        const url = targets[lane === 5 ? connections % 3 : 0] as string
        connections += 1
        if ((await feedConnection(url, take)) === 0) refusedUpgrades += 1
      }
    })
    await Promise.all(lanes)
    const rssAtEnd = rssBytes()

    expect(next).toBeGreaterThanOrEqual(FRAMES)
    // Nearly every malformed frame costs its connection: thousands of them.
    expect(connections).toBeGreaterThan(FRAMES / 4)
    expect(refusedUpgrades).toBeGreaterThan(0)
    const health = await fetch(new URL('/healthz', server.url))
    expect(health.status).toBe(200)
    // Memory does not grow with the number of frames thrown at the server.
    expect(rssAtEnd - rssAfterWarmUp).toBeLessThan(96 * 1024 * 1024)
    expect(rssAtEnd).toBeLessThan(512 * 1024 * 1024)

    expect(await storedState(DEMO)).toBe(demoBefore)
    expect(await storedState(privateDocument)).toBe(privateBefore)

    // The editor working alongside still edits, and the server still stores it.
    typeInto(editor, 0, ' — بعد الهجوم')
    await waitFor(
      async () => (await storedState(DEMO)).includes('بعد الهجوم'),
      'edit after fuzzing',
    )
    expect(server.output()).toContain('malformed frame; closing connection')
    expect(server.output()).not.toMatch(/"level":(50|60)/)
    console.info(
      `fuzz: ${FRAMES} frames over ${connections} connections (${refusedUpgrades} refused at upgrade), ` +
        `RSS ${(rssAfterWarmUp / 2 ** 20).toFixed(0)} → ${(rssAtEnd / 2 ** 20).toFixed(0)} MiB, seed ${SEED}`,
    )
  })
})
