/**
 * RedisFanout against a redis-server of its own (started here, on a free port,
 * restarted at will). Without a redis-server binary these tests are skipped
 * with a warning, except in CI, where they fail.
 */
import { randomBytes } from 'node:crypto'
import type { FanoutMessage, FanoutSubscriber, Logger } from '@hashiya/sync-server'
import { skipWithout } from '@hashiya/testing/required'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { RedisFanout, type RedisFanoutOptions } from './redis-fanout.js'
import {
  type RedisServerProcess,
  redisServerUnavailable,
  startRedisServer,
} from './redis-server.js'

const log = (...a: unknown[]) => process.env.DEBUG_FANOUT && console.log(Date.now() % 100000, ...a)
const silent: Logger = {
  debug: (f, m) => log('debug', m, String((f as { err?: unknown }).err ?? '')),
  info: (_, m) => log('info', m),
  warn: (_, m) => log('warn', m),
  error() {},
}

const unavailable = redisServerUnavailable()
const skip = skipWithout(
  unavailable === null ? null : `redis-server cannot be run (${unavailable})`,
  'the Redis fan-out tests',
  it,
)

async function until(condition: () => boolean, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

class Recorder implements FanoutSubscriber {
  readonly messages: FanoutMessage[] = []
  resyncs = 0
  receive(message: FanoutMessage): void {
    this.messages.push(message)
  }
  resync(): void {
    this.resyncs += 1
  }
}

describe.skipIf(skip)('RedisFanout', () => {
  let redis: RedisServerProcess
  const opened: RedisFanout[] = []
  const prefix = `hashiya-test-${process.pid}-${randomBytes(3).toString('hex')}:`

  const fanout = (instanceId: string, options: Partial<RedisFanoutOptions> = {}) => {
    const created = new RedisFanout({
      url: redis.url,
      instanceId,
      keyPrefix: prefix,
      logger: silent,
      ...options,
    })
    opened.push(created)
    return created
  }

  beforeAll(async () => {
    redis = await startRedisServer()
  })
  afterAll(async () => {
    await redis?.stop()
  })
  afterEach(async () => {
    if (opened[0]?.connected) await opened[0].deleteKeys()
    await Promise.all(opened.splice(0).map((f) => f.close()))
  })

  it('delivers other instances’ messages in order, never its own, and resyncs on subscribe', async () => {
    const a = fanout('a')
    const b = fanout('b')
    const onA = new Recorder()
    const onB = new Recorder()
    a.subscribe('doc', onA)
    b.subscribe('doc', onB)
    await until(() => onA.resyncs === 1 && onB.resyncs === 1, 'both subscriptions')
    a.publish('doc', { type: 'update', update: Uint8Array.of(1, 2, 255), fromSeq: 2, toSeq: 3 })
    a.publish('doc', { type: 'awareness', update: Uint8Array.of(9) })
    a.publish('doc', { type: 'closed', code: 4404, reason: 'document deleted' })
    a.publish('doc', { type: 'presence-wanted' })
    a.publish('other', { type: 'awareness', update: Uint8Array.of(7) })
    await until(() => onB.messages.length === 4, 'four messages on b')
    expect(onB.messages).toEqual([
      { type: 'update', update: Uint8Array.of(1, 2, 255), fromSeq: 2, toSeq: 3 },
      { type: 'awareness', update: Uint8Array.of(9) },
      { type: 'closed', code: 4404, reason: 'document deleted' },
      { type: 'presence-wanted' },
    ])
    expect(onA.messages).toEqual([])
  })

  it('picks up a new subscription at once while its reader is blocked on another stream', async () => {
    const a = fanout('a')
    const b = fanout('b', { blockMs: 20_000 })
    const first = new Recorder()
    b.subscribe('first', first)
    await until(() => first.resyncs === 1, 'first subscription')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const second = new Recorder()
    b.subscribe('second', second)
    await until(() => second.resyncs === 1, 'second subscription')
    const started = Date.now()
    a.publish('second', { type: 'awareness', update: Uint8Array.of(1) })
    await until(() => second.messages.length === 1, 'delivery', 3_000)
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it('stops delivering after unsubscribe', async () => {
    const a = fanout('a')
    const b = fanout('b')
    const kept = new Recorder()
    const dropped = new Recorder()
    b.subscribe('kept', kept)
    b.subscribe('dropped', dropped)
    await until(() => kept.resyncs === 1 && dropped.resyncs === 1, 'subscriptions')
    b.unsubscribe('dropped', dropped)
    a.publish('dropped', { type: 'awareness', update: Uint8Array.of(1) })
    a.publish('kept', { type: 'awareness', update: Uint8Array.of(2) })
    await until(() => kept.messages.length === 1, 'kept delivery')
    expect(dropped.messages).toEqual([])
  })

  it('survives a Redis restart: publishes fail meanwhile, subscribers resync, delivery resumes', async () => {
    const failures: boolean[] = []
    const a = fanout('a', { observer: { published: (_, ok) => failures.push(ok) } })
    const b = fanout('b')
    const onB = new Recorder()
    b.subscribe('doc', onB)
    await until(() => onB.resyncs === 1 && a.connected, 'subscription')
    await redis.stop()
    await until(() => !a.connected && !b.connected, 'both to notice')
    a.publish('doc', { type: 'awareness', update: Uint8Array.of(1) })
    await until(() => failures.includes(false), 'the publish to fail')
    await expect(a.ping(500)).rejects.toThrow()
    await redis.restart()
    await until(() => onB.resyncs === 2, 'b to resync after reconnecting', 10_000)
    await until(() => a.connected, 'a to reconnect', 10_000)
    await a.ping()
    a.publish('doc', { type: 'awareness', update: Uint8Array.of(2) })
    await until(() => onB.messages.length === 1, 'delivery after the restart')
    expect(onB.messages).toEqual([{ type: 'awareness', update: Uint8Array.of(2) }])
  })
})
