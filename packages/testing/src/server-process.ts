/**
 * Runs the built server (`apps/server/dist/main.js`) as a child process, the way
 * a user starts it, so tests can stop it, restart it on the same data, or kill
 * it with SIGKILL mid-session.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_ADMIN } from './accounts.js'

export const SERVER_ENTRY = fileURLToPath(
  new URL('../../../apps/server/dist/main.js', import.meta.url),
)

export interface ServerProcessOptions {
  /** Reuse a data directory (a restart); a fresh temporary one by default. */
  dataDir?: string
  /** Reuse a port (clients reconnect to the same URL after a restart). */
  port?: number
  env?: Record<string, string>
}

export interface ServerProcess {
  /** The child's process id (memory is read from /proc/<pid>). */
  pid: number
  url: string
  wsUrl: string
  port: number
  dataDir: string
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>
  /** SIGKILL: no flush, no goodbye. */
  kill(): Promise<void>
  /** Removes the data directory (only one this harness created). */
  cleanup(): void
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
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

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

export async function startServerProcess(
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hashiya-test-'))
  const port = options.port ?? (await freePort())
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ADMIN_USERNAME: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      // Tests open many connections from one address at once.
      CONNECTIONS_PER_MINUTE: '100000',
      LOGIN_ATTEMPTS_PER_ADDRESS: '100000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8')
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode} before it was ready:\n${output}`)
    }
    try {
      const response = await fetch(`${url}/healthz`)
      if (response.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not become ready on ${url}:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    pid: child.pid ?? 0,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    dataDir,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM')
      return exited(child)
    },
    kill: async () => {
      child.kill('SIGKILL')
      await exited(child)
    },
    cleanup: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
