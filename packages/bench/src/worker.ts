/**
 * A load-generator thread: a `LoadGenerator` driven by messages from the main
 * thread (`pool.ts`). Each request carries an id; the answer carries it back.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { setClockBase } from './clock.js'
import { LoadGenerator } from './loadgen.js'
import type { WorkerRequest } from './pool.js'

if (!parentPort) throw new Error('worker.ts runs as a worker thread')
const port = parentPort
setClockBase((workerData as { clockBase: number }).clockBase)
const generator = new LoadGenerator()

async function handle(
  request: WorkerRequest,
): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  switch (request.op) {
    case 'open': {
      const result = await generator.open(request.request)
      return {
        value: result,
        transfer: [result.syncMs.buffer, result.firstFrameMs.buffer] as ArrayBuffer[],
      }
    }
    case 'run':
      await generator.run(request.request)
      return { value: null, transfer: [] }
    case 'append':
      return { value: await generator.append(request.request), transfer: [] }
    case 'report': {
      const report = generator.report()
      return {
        value: report,
        transfer: [report.latencies.buffer, report.acks.buffer] as ArrayBuffer[],
      }
    }
    case 'contents':
      return { value: generator.contents(request.group), transfer: [] }
    case 'close':
      await generator.close()
      return { value: null, transfer: [] }
  }
}

port.on('message', (message: { id: number; request: WorkerRequest }) => {
  handle(message.request).then(
    ({ value, transfer }) => port.postMessage({ id: message.id, value }, transfer),
    (error: unknown) =>
      port.postMessage({
        id: message.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  )
})
