/**
 * Worker threads running the load generator, and the main thread's handle on
 * them. With two cores shared by the server and the generator, two threads let
 * the generator use whatever the server leaves idle; each reports its
 * event-loop utilization so a saturated generator shows in the results.
 */
import { Worker } from 'node:worker_threads'
import { clockBase } from './clock.js'
import type {
  AppendRequest,
  AppendResult,
  OpenRequest,
  OpenResult,
  Report,
  RunRequest,
} from './loadgen.js'

export type WorkerRequest =
  | { op: 'open'; request: OpenRequest }
  | { op: 'run'; request: RunRequest }
  | { op: 'append'; request: AppendRequest }
  | { op: 'report' }
  | { op: 'contents'; group: string }
  | { op: 'close' }

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

export class GeneratorThread {
  private readonly worker: Worker
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(readonly index: number) {
    const url = new URL('./worker.js', import.meta.url)
    this.worker = new Worker(url, { workerData: { clockBase: clockBase() } })
    this.worker.on('message', (message: { id: number; value?: unknown; error?: string }) => {
      const waiting = this.pending.get(message.id)
      if (!waiting) return
      this.pending.delete(message.id)
      if (message.error !== undefined)
        waiting.reject(new Error(`worker ${index}: ${message.error}`))
      else waiting.resolve(message.value)
    })
    this.worker.on('error', (error) => {
      for (const waiting of this.pending.values()) waiting.reject(error)
      this.pending.clear()
    })
  }

  private call<T>(request: WorkerRequest): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.worker.postMessage({ id, request })
    })
  }

  open(request: OpenRequest): Promise<OpenResult> {
    return this.call({ op: 'open', request })
  }

  run(request: RunRequest): Promise<void> {
    return this.call({ op: 'run', request })
  }

  append(request: AppendRequest): Promise<AppendResult> {
    return this.call({ op: 'append', request })
  }

  report(): Promise<Report> {
    return this.call({ op: 'report' })
  }

  contents(group: string): Promise<{ text: string; annotations: number } | null> {
    return this.call({ op: 'contents', group })
  }

  close(): Promise<void> {
    return this.call({ op: 'close' })
  }

  terminate(): Promise<number> {
    return this.worker.terminate()
  }
}

export class GeneratorPool {
  readonly threads: GeneratorThread[]

  constructor(size: number) {
    this.threads = Array.from({ length: size }, (_, index) => new GeneratorThread(index))
  }

  get size(): number {
    return this.threads.length
  }

  thread(index: number): GeneratorThread {
    return this.threads[index % this.threads.length] as GeneratorThread
  }

  async reports(): Promise<Report[]> {
    return Promise.all(this.threads.map((thread) => thread.report()))
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.close()))
  }

  async terminate(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.terminate()))
  }
}
