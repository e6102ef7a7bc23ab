/**
 * Merging a document's log into a snapshot is work on the whole document
 * (tens to hundreds of milliseconds for a busy article). It runs in a worker
 * thread, so the event loop keeps relaying everyone's updates meanwhile. Run
 * from TypeScript sources (tests), it runs inline.
 */
import { Worker } from 'node:worker_threads'
import { createYDoc } from '@hashiya/document'
import * as Y from 'yjs'

/** The merged state of a snapshot and the updates after it, as one update. */
export function mergeSnapshot(parts: readonly Uint8Array[]): Uint8Array {
  const merged = createYDoc()
  try {
    Y.applyUpdate(merged, Y.mergeUpdates([...parts]))
    return Y.encodeStateAsUpdate(merged)
  } finally {
    merged.destroy()
  }
}

interface Waiting {
  resolve(snapshot: Uint8Array): void
  reject(error: Error): void
}

let worker: Worker | null = null
let nextId = 0
const waiting = new Map<number, Waiting>()

function snapshotWorker(): Worker | null {
  if (!import.meta.url.endsWith('.js')) return null
  if (worker) return worker
  const started = new Worker(new URL('./snapshot-worker.js', import.meta.url))
  started.on('message', (message: { id: number; snapshot?: Uint8Array; error?: string }) => {
    const entry = waiting.get(message.id)
    if (!entry) return
    waiting.delete(message.id)
    if (waiting.size === 0) started.unref()
    if (message.snapshot) entry.resolve(message.snapshot)
    else entry.reject(new Error(message.error ?? 'snapshot worker failed'))
  })
  started.on('error', (error) => {
    worker = null
    for (const entry of waiting.values()) entry.reject(error)
    waiting.clear()
  })
  started.unref()
  worker = started
  return started
}

/** `mergeSnapshot` in the snapshot worker thread (inline when there is none). */
export function mergeSnapshotOffThread(parts: readonly Uint8Array[]): Promise<Uint8Array> {
  const thread = snapshotWorker()
  if (!thread) return Promise.resolve(mergeSnapshot(parts))
  const id = nextId++
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject })
    // Referenced while a merge is pending: shutdown waits for its snapshot.
    thread.ref()
    thread.postMessage({ id, parts })
  })
}
