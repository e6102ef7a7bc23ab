/**
 * Broadcast frames written beside ws, read back by real ws clients over loopback.
 */
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { sendFrame } from '../src/shared-frames.js'

interface Pair {
  server: WebSocket
  client: WebSocket
  received: Uint8Array[]
}

let wss: WebSocketServer | null = null
let pairs: Pair[] = []

afterEach(async () => {
  for (const { client } of pairs) client.terminate()
  pairs = []
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()))
  wss = null
})

/** ws keeps each connection's TCP socket here (not in its typings). */
function tcpSocket(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket
}

/** `count` open connections, each as the server's socket and its client. */
async function connect(count: number): Promise<Pair[]> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false })
  wss = server
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  for (let i = 0; i < count; i++) {
    const accepted = new Promise<WebSocket>((resolve) => server.once('connection', resolve))
    const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false })
    const received: Uint8Array[] = []
    client.on('message', (data: Buffer, isBinary) => {
      expect(isBinary).toBe(true)
      received.push(new Uint8Array(data))
    })
    await new Promise((resolve) => client.once('open', resolve))
    pairs.push({ server: await accepted, client, received })
  }
  return pairs
}

function bytes(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) % 251)
}

async function receivedAll(pair: Pair, count: number): Promise<void> {
  await vi.waitFor(() => expect(pair.received.length).toBe(count), { timeout: 5_000 })
}

describe('sendFrame', () => {
  it('frames a repeated frame once and every client reads each length form intact and in order', async () => {
    const connected = (await connect(3)) as [Pair, Pair, Pair]
    const sends = connected.map((pair) => vi.spyOn(pair.server, 'send'))
    // 7-bit, 16-bit and 64-bit payload lengths (RFC 6455 §5.2), and a view into a larger buffer.
    const backing = bytes(300, 1)
    const frames = [bytes(40, 2), backing.subarray(17, 217), bytes(70_000, 3)]
    for (const frame of frames) for (const pair of connected) sendFrame(pair.server, frame)
    const reply = bytes(12, 4)
    sendFrame(connected[1].server, reply)

    for (const [index, pair] of connected.entries()) {
      const expected = index === 1 ? [...frames, reply] : frames
      await receivedAll(pair, expected.length)
      expect(pair.received).toEqual(expected)
    }
    // Only the first socket of each broadcast and the one-off reply went through ws.send.
    expect(sends.map((spy) => spy.mock.calls.length)).toEqual([3, 1, 0])
  })

  it('counts what it writes in bufferedAmount, so a slow reader is still seen', async () => {
    const [first, slow] = (await connect(2)) as [Pair, Pair]
    // The slow client stops reading: the kernel's buffers fill, then the socket's own.
    tcpSocket(slow.client).pause()
    const frame = bytes(1 << 20, 5)
    for (let i = 0; i < 32; i++) {
      sendFrame(first.server, frame)
      sendFrame(slow.server, frame)
    }
    expect(slow.server.bufferedAmount).toBeGreaterThan(0)
  })

  it('writes nothing to a socket that is closing and does not throw', async () => {
    const [open, closing] = (await connect(2)) as [Pair, Pair]
    closing.server.close(1000, 'bye')
    // ws has written its close frame: no data frame may follow it on the wire.
    const writes = vi.spyOn(tcpSocket(closing.server), 'write')
    const frame = bytes(40, 6)
    expect(() => {
      sendFrame(open.server, frame)
      sendFrame(closing.server, frame)
    }).not.toThrow()
    await receivedAll(open, 1)
    await vi.waitFor(() => expect(closing.client.readyState).toBe(WebSocket.CLOSED))
    expect(writes).not.toHaveBeenCalled()
    expect(closing.received).toEqual([])
  })
})
