/**
 * Rate limits on what can be guessed or flooded: sign-in attempts (per account
 * and per address) and new connections (per address). In memory per instance
 * (rate-limiter-flexible); a brute force spread over several instances behind
 * a load balancer is slowed per instance.
 */
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import { ApiError } from '../api/errors.js'

export interface LimitSettings {
  /** Failed sign-ins per account per 15 minutes. */
  loginFailuresPerAccount: number
  /** Sign-in (and setup) attempts per address per 15 minutes. */
  loginAttemptsPerAddress: number
  /** WebSocket connection attempts per address per minute. */
  connectionsPerMinute: number
  trustProxy: boolean
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

async function consume(limiter: RateLimiterMemory, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key)
  } catch (error) {
    if (error instanceof RateLimiterRes) throw tooMany(error, what)
    throw error
  }
}

export class RequestLimits {
  private readonly failuresByAccount: RateLimiterMemory
  private readonly attemptsByAddress: RateLimiterMemory
  private readonly connectionsByAddress: RateLimiterMemory

  constructor(readonly settings: LimitSettings) {
    this.failuresByAccount = new RateLimiterMemory({
      points: settings.loginFailuresPerAccount,
      duration: FIFTEEN_MINUTES,
    })
    this.attemptsByAddress = new RateLimiterMemory({
      points: settings.loginAttemptsPerAddress,
      duration: FIFTEEN_MINUTES,
    })
    this.connectionsByAddress = new RateLimiterMemory({
      points: settings.connectionsPerMinute,
      duration: 60,
    })
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

  async signInSucceeded(account: string): Promise<void> {
    await this.failuresByAccount.delete(account)
  }

  async beforeConnection(c: Context): Promise<void> {
    await consume(
      this.connectionsByAddress,
      clientAddress(c, this.settings.trustProxy),
      'connection attempts',
    )
  }
}
