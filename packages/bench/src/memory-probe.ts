/**
 * Preloaded into a server process by the idle scenario (NODE_OPTIONS
 * `--import`), the same way for all three servers, without touching their code:
 * on SIGUSR2 it runs a full garbage collection and prints the process's memory
 * use as one `BENCH_MEMORY {json}` line on stderr. Memory per idle connection is
 * then what is still held after a collection, not garbage that happens to be
 * waiting for one. With BENCH_HEAP_SNAPSHOT_DIR set it also writes a heap
 * snapshot each time (open two in Chrome DevTools and compare).
 */
import { join } from 'node:path'
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

process.on('SIGUSR2', () => {
  gc()
  gc()
  const usage = process.memoryUsage()
  // For investigations: BENCH_HEAP_SNAPSHOT_DIR also writes a heap snapshot each time.
  const dir = process.env.BENCH_HEAP_SNAPSHOT_DIR
  if (dir) writeHeapSnapshot(join(dir, `heap-${process.pid}-${Date.now()}.heapsnapshot`))
  process.stderr.write(`BENCH_MEMORY ${JSON.stringify(usage)}\n`)
})
