/**
 * The floor: a relay that forwards every frame to the other sockets of the same
 * room (the URL path) and does no CRDT work at all. It answers a client's sync
 * step 1 with an empty step 2, so clients consider themselves synced and
 * proceed; it never holds document state, so a new client gets nothing of what
 * was said before it came. Run as its own process: `PORT=… node relay.js`.
 */
import { createServer } from 'node:http'
import { type WebSocket, WebSocketServer } from 'ws'

const STEP2_EMPTY = Uint8Array.of(0, 1, 2, 0, 0)
const port = Number(process.env.PORT ?? 0)
const host = process.env.HOST ?? '127.0.0.1'
const rooms = new Map<string, Set<WebSocket>>()

const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' })
  response.end('relay')
})
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 })

wss.on('connection', (ws, request) => {
  const name = (request.url ?? '/').split('?')[0] as string
  let room = rooms.get(name)
  if (!room) {
    room = new Set()
    rooms.set(name, room)
  }
  const peers = room
  peers.add(ws)
  ws.on('message', (data: Buffer) => {
    if (data[0] === 0 && data[1] === 0) {
      // sync step 1: "send me what I lack" — the relay has nothing.
      ws.send(STEP2_EMPTY)
      return
    }
    for (const peer of peers) if (peer !== ws) peer.send(data)
  })
  ws.on('close', () => {
    peers.delete(ws)
    if (peers.size === 0) rooms.delete(name)
  })
  ws.on('error', () => ws.terminate())
})

server.listen(port, host, () => {
  const address = server.address()
  const actual = typeof address === 'object' && address ? address.port : port
  process.stdout.write(`relay listening on ${actual}\n`)
})

const stop = () => {
  for (const ws of wss.clients) ws.terminate()
  server.close(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
