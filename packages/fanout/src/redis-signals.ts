/**
 * Small messages every instance must hear at once, over Redis pub/sub: an
 * account deactivated or a document unshared on one instance must close the
 * connections other instances hold. Pub/sub drops what is sent while an
 * instance is disconnected, so `onMayHaveMissed` tells the owner to re-check
 * everything instead of trusting that nothing happened: on reconnecting, and
 * every few seconds while Redis is away, since a change made meanwhile
 * on another instance (an account cut off urgently) must not wait for Redis.
 */

import type { Logger } from '@hashiya/sync-server'
import { Redis } from 'ioredis'

export interface RedisSignalsOptions<T> {
  url: string
  /** The channel, e.g. `hashiya:access`. */
  channel: string
  instanceId: string
  logger: Logger
  /** A signal from another instance. */
  onSignal(signal: T): void
  /** Signals may have been missed: after a reconnection, and repeatedly while disconnected. */
  onMayHaveMissed(): void
}

/** How often `onMayHaveMissed` runs while Redis is unreachable. */
const RECHECK_WHILE_DOWN_MS = 5_000

interface Envelope<T> {
  from: string
  signal: T
}

export class RedisSignals<T> {
  private readonly publisher: Redis
  private readonly subscriber: Redis
  private closed = false
  private wasReady = false
  private whileDown: ReturnType<typeof setInterval> | null = null

  constructor(private readonly options: RedisSignalsOptions<T>) {
    const common = {
      retryStrategy: (times: number) => Math.min(times * 100, 2_000),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    }
    this.publisher = new Redis(options.url, { ...common, connectionName: 'hashiya-signals' })
    this.subscriber = new Redis(options.url, {
      ...common,
      // Subscribing must survive reconnections; ioredis re-subscribes by itself.
      enableOfflineQueue: true,
      connectionName: 'hashiya-signals-subscriber',
    })
    for (const connection of [this.publisher, this.subscriber]) {
      connection.on('error', (error: Error) => {
        if (!this.closed) options.logger.debug({ err: error }, 'redis signals error')
      })
    }
    this.subscriber.on('ready', () => {
      this.stopRecheckingWhileDown()
      if (this.wasReady && !this.closed) options.onMayHaveMissed()
      this.wasReady = true
    })
    this.subscriber.on('close', () => {
      if (!this.wasReady || this.closed || this.whileDown) return
      this.whileDown = setInterval(() => options.onMayHaveMissed(), RECHECK_WHILE_DOWN_MS)
      this.whileDown.unref()
    })
    this.subscriber.on('message', (_channel: string, raw: string) => this.receive(raw))
    void this.subscriber.subscribe(options.channel).catch((error: unknown) => {
      options.logger.warn({ err: error }, 'could not subscribe to signals; will retry on reconnect')
    })
  }

  private receive(raw: string): void {
    try {
      const envelope = JSON.parse(raw) as Envelope<T>
      if (envelope.from !== this.options.instanceId) this.options.onSignal(envelope.signal)
    } catch (error) {
      this.options.logger.warn({ err: error }, 'ignoring a malformed signal')
    }
  }

  /** Best effort and never throws: a lost signal is healed by `onMayHaveMissed` elsewhere. */
  publish(signal: T): void {
    const envelope: Envelope<T> = { from: this.options.instanceId, signal }
    this.publisher
      .publish(this.options.channel, JSON.stringify(envelope))
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'could not publish a signal')
      })
  }

  private stopRecheckingWhileDown(): void {
    if (this.whileDown) clearInterval(this.whileDown)
    this.whileDown = null
  }

  async close(): Promise<void> {
    this.closed = true
    this.stopRecheckingWhileDown()
    this.subscriber.disconnect()
    this.publisher.disconnect()
  }
}
