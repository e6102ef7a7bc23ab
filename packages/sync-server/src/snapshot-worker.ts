/** The snapshot worker thread (see snapshot.ts). */
import { parentPort } from 'node:worker_threads'
import { mergeSnapshot } from './snapshot.js'

parentPort?.on('message', ({ id, parts }: { id: number; parts: Uint8Array[] }) => {
  try {
    const snapshot = mergeSnapshot(parts)
    parentPort?.postMessage({ id, snapshot }, [snapshot.buffer as ArrayBuffer])
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) })
  }
})
