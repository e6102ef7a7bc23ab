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
 * The derivation in a worker thread, started on first use. The thread holds
 * the replicas; if it dies, its replicas go with it and the next request for
 * each document answers null, so the trail starts that replica again.
 */
export class WorkerDeriver implements Deriver {
  private worker: Worker | null = null
  private nextId = 0
  private readonly waiting = new Map<number, Waiting>()

  constructor(
    private readonly script = new URL('./derivation-worker.js', import.meta.url),
    private readonly workerOptions: WorkerOptions = {},
  ) {}

  derive(request: DerivationRequest): Promise<DerivationResult | null> {
    const worker = this.thread()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      // Referenced while a request is pending: shutdown waits for its answer.
      worker.ref()
      worker.postMessage({ id, request } satisfies DeriverMessage)
    })
  }

  forget(documentId: string): void {
    this.worker?.postMessage({ forget: documentId } satisfies DeriverMessage)
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    await worker?.terminate()
  }

  private thread(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(this.script, this.workerOptions)
    const lost = (error: Error) => {
      if (this.worker === worker) this.worker = null
      for (const entry of this.waiting.values()) entry.reject(error)
      this.waiting.clear()
    }
    worker.on('message', (reply: DeriverReply) => {
      const entry = this.waiting.get(reply.id)
      if (!entry) return
      this.waiting.delete(reply.id)
      if (this.waiting.size === 0) worker.unref()
      if ('error' in reply) entry.reject(new Error(reply.error))
      else entry.resolve(reply.result)
    })
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`audit derivation thread exited (${code})`)))
    worker.unref()
    this.worker = worker
    return worker
  }
}

/** The worker thread when running built code, inline from TypeScript sources. */
export function startDeriver(): Deriver {
  return import.meta.url.endsWith('.js') ? new WorkerDeriver() : new InlineDeriver()
}
