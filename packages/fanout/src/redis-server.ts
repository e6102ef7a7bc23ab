/**
 * A throwaway `redis-server` child process on a free port, without persistence,
 * for tests that need to stop and restart Redis (never the machine's own).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { createServer, Socket } from 'node:net'

export interface RedisServerProcess {
  port: number
  url: string
  /** Stops it (SIGKILL: like a crash; nothing is persisted either way). */
  stop(): Promise<void>
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>
}

/** Null when a `redis-server` binary can be run, else why not. */
export function redisServerUnavailable(binary = 'redis-server'): string | null {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  if (probe.error) return probe.error.message
  return probe.status === 0 ? null : `${binary} --version exited with ${probe.status}`
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket()
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.once('error', () => done(false))
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')))
  })
}

export async function startRedisServer(binary = 'redis-server'): Promise<RedisServerProcess> {
  const port = await freePort()
  let child: ChildProcess | null = null
  let output = ''
  const start = async () => {
    output = ''
    const started = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    child = started
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    started.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const deadline = Date.now() + 10_000
    while (!(await answersPing(port))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        started.kill('SIGKILL')
        throw new Error(`redis-server did not start on port ${port}:\n${output}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  const stop = async () => {
    const running = child
    child = null
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    restart: async () => {
      await stop()
      await start()
    },
  }
}
