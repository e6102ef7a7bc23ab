/**
 * Where the audit trail's derivation runs. In the server it is a worker
 * thread: applying every logged update to a replica and re-reading the
 * annotations it touched was over a quarter of the sync core's CPU with 200
 * editors tagging, on the thread that relays everyone's updates. Run from
 * TypeScript sources (tests), it runs inline unless a test starts the worker
 * from the build.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { AuditDerivation, type DerivationRequest, type DerivationResult } from './derivation.js'

export interface Deriver {
  /** See `AuditDerivation.derive`; null when the deriver holds no replica of the document. */
  derive(request: DerivationRequest): Promise<DerivationResult | null>
  forget(documentId: string): void
  close(): Promise<void>
}

/** The derivation on the calling thread. */
export class InlineDeriver implements Deriver {
  private readonly derivation = new AuditDerivation()

  async derive(request: DerivationRequest): Promise<DerivationResult | null> {
    return this.derivation.derive(request)
  }

  forget(documentId: string): void {
    this.derivation.forget(documentId)
  }

  async close(): Promise<void> {}
}

/** What the worker thread answers to one request. */
export type DeriverReply =
  | { id: number; result: DerivationResult | null }
  | { id: number; error: string }

/** What the worker thread is asked. */
export type DeriverMessage = { id: number; request: DerivationRequest } | { forget: string }

interface Waiting {
  resolve(result: DerivationResult | null): void
  reject(error: Error): void
}

/**
 * Threads that die before answering anything, in a row, after which derivation
 * runs inline: a thread that cannot start (a broken install) must not be
 * started again for every pass of every document.
 */
const FAILED_STARTS_BEFORE_INLINE = 3

/**
 * The derivation in a worker thread, started on first use. The thread holds
 * the replicas; if it dies, its replicas go with it and the next request for
 * each document answers null, so the trail starts that replica again.
 */
export class WorkerDeriver implements Deriver {
  private current: { worker: Worker; waiting: Map<number, Waiting> } | null = null
  private nextId = 0
  private closed = false
  private failedStarts = 0
  private inline: InlineDeriver | null = null

  constructor(
    private readonly script = new URL('./derivation-worker.js', import.meta.url),
    private readonly workerOptions: WorkerOptions = {},
  ) {}

  derive(request: DerivationRequest): Promise<DerivationResult | null> {
    if (this.closed) return Promise.reject(new Error('the audit deriver is closed'))
    if (this.inline) return this.inline.derive(request)
    const { worker, waiting } = this.thread()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject })
      // Referenced while a request is pending: shutdown waits for its answer.
      worker.ref()
      worker.postMessage({ id, request } satisfies DeriverMessage)
    })
  }

  forget(documentId: string): void {
    this.inline?.forget(documentId)
    this.current?.worker.postMessage({ forget: documentId } satisfies DeriverMessage)
  }

  async close(): Promise<void> {
    this.closed = true
    const current = this.current
    this.current = null
    await current?.worker.terminate()
  }

  private thread(): { worker: Worker; waiting: Map<number, Waiting> } {
    if (this.current) return this.current
    const worker = new Worker(this.script, this.workerOptions)
    // Each thread answers only its own requests: a dead thread's late 'exit'
    // must not fail what was since sent to its successor.
    const waiting = new Map<number, Waiting>()
    const thread = { worker, waiting }
    let answered = false
    let gone = false
    const lost = (error: Error) => {
      if (this.current === thread) this.current = null
      if (!gone && !answered && !this.closed) {
        this.failedStarts += 1
        if (this.failedStarts >= FAILED_STARTS_BEFORE_INLINE) this.inline ??= new InlineDeriver()
      }
      gone = true
      for (const entry of waiting.values()) entry.reject(error)
      waiting.clear()
    }
    worker.on('message', (reply: DeriverReply) => {
      answered = true
      this.failedStarts = 0
      const entry = waiting.get(reply.id)
      waiting.delete(reply.id)
      if (waiting.size === 0) worker.unref()
      if (!entry) return
      if ('error' in reply) entry.reject(new Error(reply.error))
      else entry.resolve(reply.result)
    })
    worker.on('messageerror', lost)
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`audit derivation thread exited (${code})`)))
    worker.unref()
    this.current = thread
    return thread
  }
}

/** The worker thread when running built code, inline from TypeScript sources. */
export function startDeriver(): Deriver {
  return import.meta.url.endsWith('.js') ? new WorkerDeriver() : new InlineDeriver()
}
