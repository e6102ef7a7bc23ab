/**
 * Cross-instance fan-out through Redis Streams: one stream per document
 * (`<prefix>doc:<id>`), appended with XADD (MAXLEN ~ trimming, and an idle
 * expiry so streams of documents nobody edits go away), read by every instance
 * holding the document with a blocking XREAD on a connection of its own.
 *
 * Entries carry the sending instance's id, its clock, the message type and
 * its payload: a stored batch of updates with its log positions, an awareness
 * update, or a close order. Delivery is best effort: a stream trimmed past a
 * slow reader, a Redis restart (streams are not persisted) or a dropped
 * connection lose entries. That is safe because updates are published only
 * once stored, and subscribers heal from the store: every subscription calls
 * `resync` once its starting point is fixed, and again after either connection
 * was lost; rooms also notice holes in the log positions they receive.
 */

import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { Fanout, FanoutMessage, FanoutSubscriber, Logger } from '@hashiya/sync-server'
import { Redis } from 'ioredis'

/** Hooks for metrics; each must be cheap and must not throw. */
export interface FanoutObserver {
  /** One XADD: how long Redis took to answer, and whether it was accepted. */
  published?(durationMs: number, ok: boolean): void
  /**
   * One entry from another instance: `latencyMs` from the sender's publish
   * call to delivery here (sender's and this clock); `lagMs` from Redis
   * accepting it (its entry id) to delivery here (Redis's and this clock).
   */
  delivered?(latencyMs: number, lagMs: number): void
  /** Both connections usable, or not. */
  connectionChanged?(up: boolean): void
}

export interface RedisFanoutOptions {
  /** redis://[:password@]host:port[/db] or rediss:// */
  url: string
  /** Names this instance in its entries, so it skips its own; unique per process. */
  instanceId?: string
  /** Prepended to every key; default `hashiya:`. */
  keyPrefix?: string
  /** Approximate length each document's stream is trimmed to; default 1000. */
  maxLen?: number
  /** A stream nobody appends to for this long is deleted; default one hour. */
  idleExpiryMs?: number
  /** How long one XREAD blocks; default 5000 ms. */
  blockMs?: number
  logger: Logger
  observer?: FanoutObserver
}

interface Subscription {
  documentId: string
  key: string
  subscriber: FanoutSubscriber
  /** Last entry id read; null until the starting point is fixed (or after a disconnection). */
  lastId: string | null
}

const TYPE = { update: 'u', awareness: 'a', closed: 'c', 'presence-wanted': 'p' } as const

export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
}

export class RedisFanout implements Fanout {
  readonly instanceId: string
  private readonly commands: Redis
  private readonly reader: Redis
  private readonly keyPrefix: string
  private readonly maxLen: number
  private readonly idleExpiryMs: number
  private readonly blockMs: number
  private readonly logger: Logger
  private readonly observer: FanoutObserver
  private readonly subscriptions = new Map<string, Subscription>()
  /** Redis's id for the reader connection, to interrupt its blocking read. */
  private readerClientId: number | null = null
  private readerReady = false
  /** Counts reads; non-zero parity tells whether one is in progress. */
  private readSerial = 0
  private reading = false
  private wake: (() => void) | null = null
  private closed = false
  private up = false
  private readonly retryTimer: NodeJS.Timeout
  private readonly loop: Promise<void>

  constructor(options: RedisFanoutOptions) {
    this.instanceId = options.instanceId ?? defaultInstanceId()
    this.keyPrefix = options.keyPrefix ?? 'hashiya:'
    this.maxLen = options.maxLen ?? 1_000
    this.idleExpiryMs = options.idleExpiryMs ?? 3_600_000
    this.blockMs = options.blockMs ?? 5_000
    this.logger = options.logger
    this.observer = options.observer ?? {}
    const common = {
      // Reconnect for ever, backing off to 2 s: Redis coming back is the normal case.
      retryStrategy: (times: number) => Math.min(times * 100, 2_000),
      connectTimeout: 5_000,
      // While disconnected, commands fail at once instead of queueing without
      // bound: a lost publish is healed from the store, a queue of them is memory.
      enableOfflineQueue: false,
      // Commands in flight when the connection drops fail at once too (with 0,
      // ioredis flushes them on every disconnection; otherwise an interrupted
      // blocking read that is not resent would never settle).
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    }
    this.commands = new Redis(options.url, { ...common, connectionName: 'hashiya-fanout' })
    // A read interrupted by a disconnection must fail, not silently resume:
    // whatever was published meanwhile is only recovered by a resync.
    this.reader = new Redis(options.url, { ...common, connectionName: 'hashiya-fanout-reader' })
    for (const [name, connection] of [
      ['commands', this.commands],
      ['reader', this.reader],
    ] as const) {
      connection.on('error', (error: Error) => {
        if (!this.closed) this.logger.debug({ err: error, connection: name }, 'redis error')
      })
      connection.on('close', () => this.onDisconnected(name))
      connection.on('ready', () => this.onReady(name))
    }
    // Subscriptions whose starting point could not be fixed (Redis away) are retried.
    this.retryTimer = setInterval(() => this.establishPending(), 1_000)
    this.retryTimer.unref()
    this.loop = this.readLoop()
  }

  private keyOf(documentId: string): string {
    return `${this.keyPrefix}doc:${documentId}`
  }

  /** Both connections are usable. */
  get connected(): boolean {
    return this.commands.status === 'ready' && this.reader.status === 'ready' && this.readerReady
  }

  /** Resolves when Redis answers a PING within `timeoutMs`; rejects otherwise (readiness). */
  async ping(timeoutMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        this.commands.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('redis did not answer in time')), timeoutMs)
        }),
      ])
    } finally {
      clearTimeout(timer)
    }
    if (!this.connected) throw new Error('redis reader connection is not ready')
  }

  private reportConnection(): void {
    const up = this.connected
    if (up === this.up) return
    this.up = up
    this.observer.connectionChanged?.(up)
    if (up) this.logger.info({ instanceId: this.instanceId }, 'fan-out connected to redis')
    else
      this.logger.warn(
        { instanceId: this.instanceId },
        'fan-out lost redis; healing from the store when it returns',
      )
  }

  private onDisconnected(name: 'commands' | 'reader'): void {
    if (name === 'reader') {
      this.readerReady = false
      this.readerClientId = null
      // Whatever is published until the reader is back is not seen: every
      // subscription starts over (new starting point, then a resync).
      for (const subscription of this.subscriptions.values()) subscription.lastId = null
    }
    if (!this.closed) this.reportConnection()
  }

  private onReady(name: 'commands' | 'reader'): void {
    if (this.closed) return
    if (name === 'reader') {
      this.reader.client('ID').then(
        (id) => {
          this.readerClientId = Number(id)
          this.readerReady = true
          this.reportConnection()
          this.establishPending()
          this.wakeReader()
        },
        (error: unknown) =>
          this.logger.warn({ err: error }, 'redis reader could not identify itself'),
      )
    } else {
      this.reportConnection()
      this.establishPending()
      this.wakeReader()
    }
  }

  subscribe(documentId: string, subscriber: FanoutSubscriber): void {
    const subscription: Subscription = {
      documentId,
      key: this.keyOf(documentId),
      subscriber,
      lastId: null,
    }
    this.subscriptions.set(documentId, subscription)
    void this.establish(subscription)
  }

  unsubscribe(documentId: string, subscriber: FanoutSubscriber): void {
    // The read in progress may still name its stream; entries for it are ignored.
    if (this.subscriptions.get(documentId)?.subscriber === subscriber) {
      this.subscriptions.delete(documentId)
    }
  }

  private establishPending(): void {
    if (!this.connected) return
    for (const subscription of this.subscriptions.values()) {
      if (subscription.lastId === null) void this.establish(subscription)
    }
  }

  private readonly establishing = new WeakSet<Subscription>()

  /**
   * Fixes where reading starts (the stream's newest entry now), then asks the
   * subscriber to resync: what was stored before this point is in the store,
   * what is published after it is read. Retried while Redis is away.
   */
  private async establish(subscription: Subscription): Promise<void> {
    if (!this.connected || this.establishing.has(subscription)) return
    this.establishing.add(subscription)
    try {
      const newest = await this.commands.xrevrange(subscription.key, '+', '-', 'COUNT', 1)
      if (this.subscriptions.get(subscription.documentId) !== subscription) return
      if (!this.connected) return
      subscription.lastId = newest[0]?.[0] ?? '0-0'
      this.wakeReader()
      subscription.subscriber.resync()
    } catch (error) {
      this.logger.debug(
        { err: error, documentId: subscription.documentId },
        'fan-out subscription not established yet; retrying',
      )
    } finally {
      this.establishing.delete(subscription)
    }
  }

  /** Makes the reader include new subscriptions now rather than after its current block. */
  private wakeReader(): void {
    if (this.wake) {
      const wake = this.wake
      this.wake = null
      wake()
      return
    }
    if (this.reading) this.unblock(this.readSerial, 5)
  }

  /**
   * CLIENT UNBLOCK goes over the other connection, so it can overtake the XREAD
   * it means to interrupt; while that read is still the current one, try again.
   */
  private unblock(serial: number, attempts: number): void {
    if (this.readerClientId === null || !this.reading || serial !== this.readSerial) return
    this.commands.client('UNBLOCK', this.readerClientId).then(
      (unblocked) => {
        if (Number(unblocked) === 0 && attempts > 1) {
          setTimeout(() => this.unblock(serial, attempts - 1), 10).unref()
        }
      },
      () => {},
    )
  }

  private sleepUntilWoken(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve
    })
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      const reading = [...this.subscriptions.values()].filter((s) => s.lastId !== null)
      if (!this.readerReady || reading.length === 0) {
        await this.sleepUntilWoken()
        continue
      }
      let reply: [Buffer, [Buffer, Buffer[]][]][] | null
      this.reading = true
      this.readSerial += 1
      try {
        reply = (await this.reader.xreadBuffer(
          'COUNT',
          500,
          'BLOCK',
          this.blockMs,
          'STREAMS',
          ...reading.map((s) => s.key),
          ...reading.map((s) => s.lastId as string),
        )) as [Buffer, [Buffer, Buffer[]][]][] | null
      } catch (error) {
        if (this.closed) return
        // Disconnected mid-read: 'ready' starts every subscription over.
        this.logger.debug({ err: error }, 'fan-out read interrupted')
        await new Promise((resolve) => setTimeout(resolve, 100))
        continue
      } finally {
        this.reading = false
      }
      if (!reply) continue
      const byKey = new Map(reading.map((s) => [s.key, s]))
      for (const [key, entries] of reply) {
        const subscription = byKey.get(key.toString())
        if (!subscription) continue
        for (const [id, fields] of entries) {
          // Unsubscribed, or started over after a disconnection, meanwhile.
          if (
            this.subscriptions.get(subscription.documentId) !== subscription ||
            subscription.lastId === null
          ) {
            break
          }
          subscription.lastId = id.toString()
          this.deliver(subscription, subscription.lastId, fields)
        }
      }
    }
  }

  private deliver(subscription: Subscription, id: string, fields: Buffer[]): void {
    const entry = new Map<string, Buffer>()
    for (let i = 0; i + 1 < fields.length; i += 2) {
      entry.set((fields[i] as Buffer).toString(), fields[i + 1] as Buffer)
    }
    if (entry.get('i')?.toString() === this.instanceId) return
    const message = decode(entry)
    if (!message) {
      this.logger.warn(
        { documentId: subscription.documentId, id },
        'unreadable fan-out entry skipped',
      )
      return
    }
    const sentAt = Number(entry.get('s')?.toString() ?? Date.now())
    const now = Date.now()
    this.observer.delivered?.(now - sentAt, now - Number(id.split('-')[0]))
    try {
      subscription.subscriber.receive(message, sentAt)
    } catch (error) {
      // A message the room could not apply is healed like a lost one.
      this.logger.warn(
        { err: error, documentId: subscription.documentId },
        'fan-out message failed',
      )
      subscription.subscriber.resync()
    }
  }

  publish(documentId: string, message: FanoutMessage): void {
    if (this.closed) return
    const key = this.keyOf(documentId)
    const fields: (string | Buffer | number)[] = [
      'i',
      this.instanceId,
      's',
      Date.now(),
      't',
      TYPE[message.type],
    ]
    switch (message.type) {
      case 'update':
        fields.push('f', message.fromSeq, 'l', message.toSeq, 'd', Buffer.from(message.update))
        break
      case 'awareness':
        fields.push('d', Buffer.from(message.update))
        break
      case 'closed':
        fields.push('c', message.code, 'r', message.reason)
        break
      case 'presence-wanted':
        break
    }
    const started = performance.now()
    const failed = (error: unknown) => {
      this.observer.published?.(performance.now() - started, false)
      this.logger.debug(
        { err: error, documentId },
        'fan-out publish failed; others heal from the store',
      )
    }
    try {
      this.commands
        .pipeline()
        .xadd(key, 'MAXLEN', '~', this.maxLen, '*', ...fields)
        .pexpire(key, this.idleExpiryMs)
        .exec()
        .then((results) => {
          const error = results?.find(([failure]) => failure)?.[0]
          if (error) failed(error)
          else this.observer.published?.(performance.now() - started, true)
        }, failed)
    } catch (error) {
      failed(error)
    }
  }

  /** Removes every key under this fan-out's prefix (tests). */
  async deleteKeys(): Promise<number> {
    let deleted = 0
    let cursor = '0'
    do {
      const [next, keys] = await this.commands.scan(
        cursor,
        'MATCH',
        `${this.keyPrefix}*`,
        'COUNT',
        500,
      )
      cursor = next
      if (keys.length > 0) deleted += await this.commands.del(...keys)
    } while (cursor !== '0')
    return deleted
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.retryTimer)
    this.subscriptions.clear()
    this.wake?.()
    this.reader.disconnect()
    // A read that somehow never settles must not hold up shutdown.
    await Promise.race([
      this.loop.catch(() => {}),
      new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
    ])
    await this.commands.quit().catch(() => this.commands.disconnect())
  }
}

function decode(entry: Map<string, Buffer>): FanoutMessage | null {
  const number = (name: string) => {
    const value = Number(entry.get(name)?.toString())
    return Number.isSafeInteger(value) ? value : null
  }
  const data = entry.get('d')
  switch (entry.get('t')?.toString()) {
    case TYPE.update: {
      const fromSeq = number('f')
      const toSeq = number('l')
      if (!data || fromSeq === null || toSeq === null || fromSeq < 1 || toSeq < fromSeq) return null
      return { type: 'update', update: new Uint8Array(data), fromSeq, toSeq }
    }
    case TYPE.awareness:
      return data ? { type: 'awareness', update: new Uint8Array(data) } : null
    case TYPE.closed: {
      const code = number('c')
      return code === null
        ? null
        : { type: 'closed', code, reason: entry.get('r')?.toString() ?? '' }
    }
    case TYPE['presence-wanted']:
      return { type: 'presence-wanted' }
    default:
      return null
  }
}
