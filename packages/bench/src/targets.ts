/**
 * The three servers every scenario runs against, each started fresh by the
 * benchmark as its own process (so its CPU and memory can be read from /proc):
 *
 * - `ours`: apps/server/dist/main.js with a throwaway DATA_DIR (SQLite, the
 *   default durability: WAL, synchronous=NORMAL, every update appended before it
 *   is broadcast), the limits raised so the load generator is not refused;
 * - `stock`: the stock Yjs WebSocket server on yjs 13 (`@y/websocket-server`
 *   0.1.1, its own `src/server.js` as shipped, on its own `ws` 6), persistence off;
 * - `raw`: relay.js, which forwards frames without any CRDT work (the floor).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodeDocumentFromParagraphs } from '@hashiya/document'
import {
  adminAccount,
  freePort,
  type ServerProcess,
  startServerProcess,
  type TestAccount,
} from '@hashiya/testing'
import { directoryBytes } from './proc.js'

export type TargetName = 'ours' | 'stock' | 'raw'
export const TARGETS: readonly TargetName[] = ['ours', 'stock', 'raw']

export const TARGET_LABELS: Record<TargetName, string> = {
  ours: 'Hashiya (durable SQLite)',
  stock: 'stock @y/websocket-server 0.1.1 (yjs 13, no persistence)',
  raw: 'raw relay (no CRDT)',
}

export interface TargetOptions {
  /** Extra environment for the server process (NODE_OPTIONS for --cpu-prof, LOG_LEVEL…). */
  env?: Record<string, string>
}

export interface Target {
  readonly name: TargetName
  readonly pid: number
  /** The WebSocket URL a client opens for a document. */
  url(documentId: string): string
  /**
   * Creates `count` documents holding these paragraphs and returns their ids.
   * Ours creates them through the REST API (stored, not loaded); the others
   * have no document store: ids are room names, and clients bring the content.
   */
  createDocuments(prefix: string, count: number, paragraphs: readonly string[]): Promise<string[]>
  /** The id of the demo article (ours creates it on first start). */
  demoDocument(): string
  /** Whether clients must bring the document's content (no store on the server). */
  readonly clientsSeed: boolean
  /** Bytes the server keeps on disk. */
  diskBytes(): number
  /** Everything the process wrote to stdout/stderr. */
  output(): string
  /** Stops the server (ours flushes and compacts) and keeps its data. */
  stop(): Promise<void>
  /** Ours only: stop, then start again on the same data (a cold process). */
  restart?(): Promise<Target>
  /** Stops if needed and deletes its data. */
  dispose(): Promise<void>
}

export const DEMO_DOCUMENT_ID = 'demo-musk-putin'

const OUR_ENV = {
  LOG_LEVEL: 'warn',
  CONNECTIONS_PER_MINUTE: '10000000',
  MESSAGES_PER_SECOND: '1000000',
  LOGIN_ATTEMPTS_PER_ADDRESS: '100000',
  TOKEN_TTL_MINUTES: '600',
}

async function runConcurrently<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++
        results[index] = await task(index)
      }
    }),
  )
  return results
}

class OurTarget implements Target {
  readonly name = 'ours'
  readonly clientsSeed = false

  private constructor(
    private readonly server: ServerProcess,
    private readonly admin: TestAccount,
    private readonly dataDir: string,
    private readonly options: TargetOptions,
  ) {}

  static async start(options: TargetOptions, dataDir?: string, port?: number): Promise<OurTarget> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'hashiya-bench-'))
    let server: ServerProcess | null = null
    try {
      server = await startServerProcess({
        dataDir: dir,
        ...(port ? { port } : {}),
        env: { ...OUR_ENV, ...options.env },
      })
      const admin = await adminAccount(server.url)
      return new OurTarget(server, admin, dir, options)
    } catch (error) {
      await server?.kill()
      rmSync(dir, { recursive: true, force: true })
      throw error
    }
  }

  get pid(): number {
    return this.server.pid
  }

  url(documentId: string): string {
    return `${this.server.wsUrl}/sync/${documentId}?token=${this.admin.token}`
  }

  demoDocument(): string {
    return DEMO_DOCUMENT_ID
  }

  async createDocuments(
    prefix: string,
    count: number,
    paragraphs: readonly string[],
  ): Promise<string[]> {
    const body = paragraphs.join('\n')
    return runConcurrently(count, 8, async (index) => {
      const response = await fetch(new URL('/api/documents', this.server.url), {
        method: 'POST',
        headers: this.admin.headers,
        body: JSON.stringify({ title: `${prefix} ${index}`, body }),
      })
      if (response.status !== 201) {
        throw new Error(`POST /api/documents → ${response.status}: ${await response.text()}`)
      }
      return ((await response.json()) as { document: { id: string } }).document.id
    })
  }

  diskBytes(): number {
    return directoryBytes(this.dataDir)
  }

  output(): string {
    return this.server.output()
  }

  async stop(): Promise<void> {
    await this.server.stop()
  }

  async restart(): Promise<Target> {
    await this.server.stop()
    return OurTarget.start(this.options, this.dataDir)
  }

  async dispose(): Promise<void> {
    // A clean stop (SIGTERM) lets a profiled server write its profile; a stuck one is killed.
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), 15_000).unref(),
    )
    if ((await Promise.race([this.server.stop(), timeout])) === 'timeout') await this.server.kill()
    rmSync(this.dataDir, { recursive: true, force: true })
  }
}

/** A server we spawn ourselves (stock, raw), ready when it prints `ready`. */
class SpawnedTarget implements Target {
  readonly clientsSeed = true
  private log = ''

  private constructor(
    readonly name: TargetName,
    private readonly child: ChildProcess,
    private readonly port: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.log += chunk.toString('utf8')
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      this.log += chunk.toString('utf8')
    })
  }

  static async start(
    name: TargetName,
    script: string,
    ready: string,
    options: TargetOptions,
  ): Promise<SpawnedTarget> {
    const port = await freePort()
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const target = new SpawnedTarget(name, child, port)
    const deadline = Date.now() + 20_000
    while (!target.log.includes(ready)) {
      if (child.exitCode !== null) throw new Error(`${name} exited: ${target.log}`)
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`${name} did not start: ${target.log}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return target
  }

  get pid(): number {
    return this.child.pid ?? 0
  }

  url(documentId: string): string {
    return `ws://127.0.0.1:${this.port}/${documentId}`
  }

  demoDocument(): string {
    return DEMO_DOCUMENT_ID
  }

  async createDocuments(prefix: string, count: number): Promise<string[]> {
    return Array.from({ length: count }, (_, index) => `${prefix}-${index}`)
  }

  diskBytes(): number {
    return 0
  }

  output(): string {
    return this.log
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGTERM')
    await exited
  }

  async dispose(): Promise<void> {
    await this.stop()
  }
}

const require = createRequire(import.meta.url)

/** The stock server's entry point, as its package ships it. */
export function stockServerScript(): string {
  return join(dirname(require.resolve('@y/websocket-server/package.json')), 'src', 'server.js')
}

export function relayScript(): string {
  return fileURLToPath(new URL('./relay.js', import.meta.url))
}

export async function startTarget(name: TargetName, options: TargetOptions = {}): Promise<Target> {
  switch (name) {
    case 'ours':
      return OurTarget.start(options)
    case 'stock':
      return SpawnedTarget.start(name, stockServerScript(), 'running at', options)
    case 'raw':
      return SpawnedTarget.start(name, relayScript(), 'relay listening', options)
  }
}

const seeds = new Map<string, Uint8Array>()

/**
 * The content clients bring to servers without a store: one encoding per
 * paragraph list, shared by every client, so all agree on the same items.
 */
export function seedFor(key: string, paragraphs: readonly string[]): Uint8Array {
  let seed = seeds.get(key)
  if (!seed) {
    seed = encodeDocumentFromParagraphs(paragraphs)
    seeds.set(key, seed)
  }
  return seed
}
