/**
 * What the cluster tests share: throwaway PostgreSQL databases, a redis-server
 * of their own, a TCP proxy that can cut the database off, stock y-websocket
 * clients that fail over to another instance, and the document as stored.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server, Socket } from 'node:net'
import { readAnnotations } from '@hashiya/annotations'
import { blocksOf, createYDoc, readParagraphs } from '@hashiya/document'
import { RedisFanout } from '@hashiya/fanout'
import { redisServerUnavailable } from '@hashiya/fanout/redis-server'
import { PostgresDocumentStore } from '@hashiya/storage'
import { postgresUnavailable } from '@hashiya/testing/postgres'
import * as Y from 'yjs'
import { connectStockClient, type StockClient } from './clients.js'

export const DEMO = 'demo-musk-putin'

/** Why the cluster tests cannot run here, or null. */
export async function clusterUnavailable(): Promise<string | null> {
  const redis = redisServerUnavailable()
  if (redis) return `redis-server cannot be run (${redis})`
  return postgresUnavailable()
}

/** A unique Redis key prefix per test. */
export function uniqueKeyPrefix(purpose: string): string {
  return `hashiya-test:${purpose}:${process.pid}:${randomBytes(3).toString('hex')}:`
}

/** Deletes every key under a prefix. */
export async function deleteRedisKeys(url: string, keyPrefix: string): Promise<void> {
  const silent = { debug() {}, info() {}, warn() {}, error() {} }
  const fanout = new RedisFanout({ url, keyPrefix, logger: silent })
  try {
    const deadline = Date.now() + 5_000
    while (!fanout.connected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await fanout.deleteKeys()
  } finally {
    await fanout.close()
  }
}

/**
 * A TCP proxy to 127.0.0.1:<target> that can be cut (every connection dropped,
 * new ones refused) and restored on the same port.
 */
export class TcpProxy {
  private server: Server | null = null
  private readonly sockets = new Set<Socket>()
  port = 0

  constructor(private readonly target: number) {}

  async start(): Promise<number> {
    const server = createServer((downstream) => {
      const upstream = new Socket()
      for (const socket of [downstream, upstream]) {
        this.sockets.add(socket)
        socket.on('close', () => this.sockets.delete(socket))
        socket.on('error', () => {
          downstream.destroy()
          upstream.destroy()
        })
      }
      upstream.connect(this.target, '127.0.0.1', () => {
        downstream.pipe(upstream)
        upstream.pipe(downstream)
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
    const address = server.address()
    this.port = typeof address === 'object' && address ? address.port : this.port
    this.server = server
    return this.port
  }

  /** Refuses new connections and drops the open ones, as a database host going away. */
  async cut(): Promise<void> {
    const server = this.server
    this.server = null
    const closed = server ? new Promise((resolve) => server.close(resolve)) : Promise.resolve()
    for (const socket of this.sockets) socket.destroy()
    await closed
  }

  async restore(): Promise<void> {
    await this.start()
  }

  async close(): Promise<void> {
    await this.cut()
  }
}

export interface ClusterClient extends StockClient {
  name: string
  /** Close codes this client's connections ended with. */
  closeCodes: number[]
  /** The text each `type` call added, in order. */
  typed: string[]
  /** Appends `text` to paragraph `index`, recording it. */
  type(index: number, text: string): void
}

/**
 * A stock y-websocket client that fails over: after any close it reconnects to
 * the next instance in `wsUrls` (what a load balancer would do for it).
 */
export function failoverClient(
  wsUrls: string[],
  first: number,
  options: { token: string; name: string },
): ClusterClient {
  let current = first % wsUrls.length
  const client = connectStockClient(wsUrls[current] as string, DEMO, {
    token: options.token,
    userId: options.name,
    name: options.name,
  })
  const closeCodes: number[] = []
  client.provider.on('connection-close', (event) => {
    closeCodes.push(event?.code ?? 0)
    current = (current + 1) % wsUrls.length
    client.provider.serverUrl = `${wsUrls[current]}/sync`
  })
  const typed: string[] = []
  return {
    ...client,
    name: options.name,
    closeCodes,
    typed,
    type(index, text) {
      const paragraph = blocksOf(client.doc)[index] as Y.XmlElement
      const node = paragraph.get(0) as Y.XmlText
      node.insert(node.length, text)
      typed.push(text)
    },
  }
}

/** Every client types a marker into its own paragraph every `everyMs`; call the result to stop. */
export function typeContinuously(clients: ClusterClient[], everyMs: number): () => void {
  let round = 0
  const timer = setInterval(() => {
    round += 1
    for (const [index, client] of clients.entries()) {
      client.type(index, ` ${client.name}#${round}`)
    }
  }, everyMs)
  return () => clearInterval(timer)
}

/** Sorted [client, clock] pairs: equal for two docs holding the same updates. */
export function stateOf(doc: Y.Doc): string {
  return JSON.stringify(
    [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b),
  )
}

export function converged(clients: StockClient[]): boolean {
  const [first, ...rest] = clients
  if (!first) return true
  const state = stateOf(first.doc)
  return rest.every((client) => stateOf(client.doc) === state)
}

/** The demo document exactly as a fresh load from the database would have it. */
export async function storedDocument(databaseUrl: string): Promise<Y.Doc> {
  const store = await PostgresDocumentStore.open({ connectionString: databaseUrl, poolSize: 1 })
  try {
    const state = await store.loadState(DEMO)
    if (!state) throw new Error('the demo document is not stored')
    const doc = createYDoc()
    const updates = state.updates.map((u) => u.update)
    Y.applyUpdate(doc, Y.mergeUpdates(state.snapshot ? [state.snapshot, ...updates] : updates))
    return doc
  } finally {
    await store.close()
  }
}

/** What a reader sees: the paragraphs and the annotations (id, kind, text). */
export function contentOf(doc: Y.Doc) {
  return {
    paragraphs: readParagraphs(doc),
    annotations: readAnnotations(doc)
      .annotations.map((a) => ({ id: a.id, kind: a.kind, text: a.text }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  }
}

/** A whole word of paragraph `index`, as code-point offsets in the document's plain text. */
export function wordRange(doc: Y.Doc, index: number, word: number): { start: number; end: number } {
  const paragraphs = readParagraphs(doc)
  let offset = 0
  for (let i = 0; i < index; i++) offset += [...(paragraphs[i] ?? '')].length + 2
  const chars = [...(paragraphs[index] ?? '')]
  const starts: number[] = []
  chars.forEach((char, i) => {
    if (char !== ' ' && (i === 0 || chars[i - 1] === ' ')) starts.push(i)
  })
  const start = starts[word % starts.length] as number
  let end = start
  while (end < chars.length && chars[end] !== ' ') end++
  return { start: offset + start, end: offset + end }
}
