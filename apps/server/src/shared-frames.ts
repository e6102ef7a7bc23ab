/**
 * Sends the sync core's frames on `ws` sockets, framing a broadcast once.
 *
 * The core hands the same frame object to every connection of a document in a
 * row (`Room.broadcast`). `ws.send` builds a WebSocket frame header for each
 * socket and writes header and payload as two buffers under cork: with a
 * thousand observers, a thousand headers and `writev` calls per keystroke, the
 * part of the fan-out that was ours alone (BENCHMARKS.md, fan-out). Here the
 * second send of one frame object builds the whole wire frame (ws's own
 * `Sender.frame`, joined with the payload) and every socket from then on gets
 * that one buffer in one write. A frame sent once (a reply to one client) goes
 * through `ws.send` untouched, so nothing is copied for it.
 *
 * Writing beside ws is sound because its sender holds nothing back on these
 * sockets: no compression (perMessageDeflate is off, server.ts), no fragmented
 * messages, no Blob payloads, so it never queues a frame that one written here
 * could overtake. The bytes wait in the socket's writable buffer, which ws's
 * `bufferedAmount` counts, so the core's slow-consumer check still sees them.
 */
import type { Duplex } from 'node:stream'
import { Sender, WebSocket } from 'ws'

declare module 'ws' {
  /** Exported by ws at runtime (its frame builder); left out of its typings. */
  export const Sender: {
    frame(
      data: Buffer,
      options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
    ): Buffer[]
  }
}

/** ws keeps the TCP socket of an open connection here (not in its typings). */
interface WithSocket {
  _socket?: Duplex | null
}

let lastFrame: Uint8Array | null = null
let lastWire: Buffer | null = null

/** Sends one binary frame to `ws`; see the module comment for repeated frames. */
export function sendFrame(ws: WebSocket, frame: Uint8Array): void {
  if (frame === lastFrame) {
    const socket = (ws as unknown as WithSocket)._socket
    if (ws.readyState === WebSocket.OPEN && socket?.writable) {
      lastWire ??= wireFrame(frame)
      socket.write(lastWire)
      return
    }
  } else {
    lastFrame = frame
    lastWire = null
  }
  ws.send(frame)
}

/** The frame exactly as ws would put it on the wire from a server: final, binary, unmasked. */
function wireFrame(frame: Uint8Array): Buffer {
  const payload = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)
  const parts = Sender.frame(payload, {
    fin: true,
    opcode: binaryOpcode,
    mask: false,
    readOnly: false,
    rsv1: false,
  })
  return Buffer.concat(parts)
}

const binaryOpcode = 2
