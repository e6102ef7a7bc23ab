/**
 * The operations endpoints a load balancer and Prometheus talk to:
 *
 * - `GET /readyz`: 200 when the storage (documents and accounts) and, with
 *   several instances, Redis answer within a short timeout; else 503 naming
 *   what failed. 503 as soon as shutdown begins, so traffic moves elsewhere.
 *   (`/healthz` stays "the process is alive".)
 * - `GET /metrics`: Prometheus text format.
 */
import type { Logger } from '@hashiya/sync-server'
import { Hono } from 'hono'
import type { ServerMetrics } from './metrics.js'

export interface ReadinessCheck {
  name: 'storage' | 'redis'
  /** Resolves when the dependency answers; rejects (or takes too long) when not. */
  check(): Promise<unknown>
}

export interface OperationsOptions {
  checks: ReadinessCheck[]
  metrics: ServerMetrics
  /** True once shutdown has begun. */
  draining(): boolean
  logger: Logger
  timeoutMs?: number
}

async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

export function operationsRoutes(options: OperationsOptions): Hono {
  const timeoutMs = options.timeoutMs ?? 2_000
  const app = new Hono()
  app.get('/readyz', async (c) => {
    c.header('cache-control', 'no-store')
    if (options.draining()) return c.json({ status: 'draining', failed: [], checks: {} }, 503)
    const results = await Promise.all(
      options.checks.map(async ({ name, check }) => {
        try {
          await within(check(), timeoutMs)
          return [name, 'ok'] as const
        } catch (error) {
          // The details (addresses, driver messages) go to the log, not to the caller.
          options.logger.warn({ check: name, err: error }, 'readiness check failed')
          return [name, 'failed'] as const
        }
      }),
    )
    const failed = results.filter(([, result]) => result !== 'ok').map(([name]) => name)
    return c.json(
      {
        status: failed.length === 0 ? 'ready' : 'unavailable',
        failed,
        checks: Object.fromEntries(results),
      },
      failed.length === 0 ? 200 : 503,
    )
  })
  app.get('/metrics', async (c) => {
    const { body, contentType } = await options.metrics.render()
    c.header('content-type', contentType)
    c.header('cache-control', 'no-store')
    return c.body(body)
  })
  return app
}
