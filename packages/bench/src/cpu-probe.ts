/**
 * Preloaded into our server and the stock server with `--cpu-prof <dir>` (NODE_OPTIONS
 * `--import`, as Node 20 does not take `--cpu-prof` from NODE_OPTIONS): starts
 * the V8 CPU profiler at once and writes a .cpuprofile (Chrome DevTools,
 * speedscope) when the process exits, without touching the server's code.
 */

import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { join } from 'node:path'

const dir = process.env.BENCH_CPU_PROFILE_DIR
if (dir) {
  const session = new Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.setSamplingInterval', { interval: 1000 })
  session.post('Profiler.start')
  let written = false
  // The stock server has no SIGTERM handler, and a process killed by a signal
  // never emits 'exit': give it one, unless the server installs its own (ours
  // does, to store what it holds before exiting).
  setTimeout(() => {
    if (process.listenerCount('SIGTERM') === 0) process.once('SIGTERM', () => process.exit(0))
  }, 1_000).unref()
  process.on('exit', () => {
    if (written) return
    written = true
    // An in-thread session answers synchronously, so this completes before exit.
    session.post('Profiler.stop', (error, result) => {
      if (error) return
      writeFileSync(join(dir, `server-${process.pid}.cpuprofile`), JSON.stringify(result.profile))
    })
  })
}
