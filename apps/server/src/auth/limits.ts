/**
 * Rate limits on what can be guessed or flooded: sign-in attempts (per account
 * and per address) and new connections (per address), with rate-limiter-flexible.
 *
 * With Redis configured the counts live there, shared by every instance: a
 * brute force spread over the instances behind a load balancer meets one
 * limit, not one per instance. Should Redis be unreachable, each instance
 * counts in its own memory meanwhile (the limiter's insurance), so sign-in
 * stays both possible and throttled.
 */
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { Redis } from 'ioredis'
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible'
import { ApiError } from '../api/errors.js'

export interface LimitSettings {
  /** Failed sign-ins per account per 15 minutes. */
  loginFailuresPerAccount: number
  /**
   * Sign-in (and setup) attempts per address per 15 minutes that did not succeed: each
   * attempt takes a point while the password is checked and a success gives it back, so
   * a newsroom signing in from behind one address is not locked out by its own morning.
   */
  loginAttemptsPerAddress: number
  /** WebSocket connection attempts per address per minute. */
  connectionsPerMinute: number
  trustProxy: boolean
  /** Where the counts are shared between instances; null: this instance's memory. */
  redis: { url: string; keyPrefix: string } | null
}

const FIFTEEN_MINUTES = 15 * 60

export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

function tooMany(res: RateLimiterRes, what: string): ApiError {
  const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000))
  const error = new ApiError(
    429,
    'too-many-attempts',
    `Too many ${what}; try again in ${Math.ceil(seconds / 60)} minute(s).`,
  )
  error.headers = { 'Retry-After': String(seconds) }
  return error
}

async function consume(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key)
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooMany(error, what)
    throw error
  }
}

export class RequestLimits {
  /** The shared store of counts, and the prefix of this deployment's keys in it. */
  private readonly redis: { client: Redis; keyPrefix: string } | null
  private readonly failuresByAccount: RateLimiterAbstract
  private readonly attemptsByAddress: RateLimiterAbstract
  private readonly connectionsByAddress: RateLimiterAbstract

  constructor(readonly settings: LimitSettings) {
    this.redis = settings.redis
      ? {
          client: new Redis(settings.redis.url, {
            connectionName: 'hashiya-limits',
            retryStrategy: (times: number) => Math.min(times * 100, 2_000),
            // Fail at once while disconnected: the memory insurance answers instead.
            enableOfflineQueue: false,
            maxRetriesPerRequest: 0,
          }),
          keyPrefix: settings.redis.keyPrefix,
        }
      : null
    // ioredis reconnects by itself; an error event without a listener would end the process.
    this.redis?.client.on('error', () => {})
    this.failuresByAccount = this.limiter('sign-in-failures', {
      points: settings.loginFailuresPerAccount,
      duration: FIFTEEN_MINUTES,
    })
    this.attemptsByAddress = this.limiter('sign-in-attempts', {
      points: settings.loginAttemptsPerAddress,
      duration: FIFTEEN_MINUTES,
    })
    this.connectionsByAddress = this.limiter('connections', {
      points: settings.connectionsPerMinute,
      duration: 60,
    })
  }

  private limiter(name: string, window: { points: number; duration: number }) {
    const memory = new RateLimiterMemory({ ...window, keyPrefix: name })
    if (!this.redis) return memory
    return new RateLimiterRedis({
      ...window,
      storeClient: this.redis.client,
      keyPrefix: `${this.redis.keyPrefix}limits:${name}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    })
  }

  async close(): Promise<void> {
    const client = this.redis?.client
    await client?.quit().catch(() => client.disconnect())
  }

  /** Before checking a password: throws 429 when this address or account is locked out. */
  async beforeSignIn(c: Context, account: string): Promise<void> {
    await consume(
      this.attemptsByAddress,
      clientAddress(c, this.settings.trustProxy),
      'sign-in attempts',
    )
    const blocked = await this.failuresByAccount.get(account)
    if (blocked && blocked.remainingPoints <= 0)
      throw tooMany(blocked, 'failed sign-ins for this account')
  }

  async signInFailed(account: string): Promise<void> {
    await this.failuresByAccount.penalty(account, 1)
  }

  async signInSucceeded(c: Context, account: string): Promise<void> {
    await this.failuresByAccount.delete(account)
    await this.attemptsByAddress.reward(clientAddress(c, this.settings.trustProxy), 1)
  }

  async beforeConnection(c: Context): Promise<void> {
    await consume(
      this.connectionsByAddress,
      clientAddress(c, this.settings.trustProxy),
      'connection attempts',
    )
  }
}
