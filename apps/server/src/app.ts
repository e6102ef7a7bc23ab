/**
 * Assembles the HTTP surface: API, health, WebSocket sync and the web app.
 */
import type { Accounts } from '@hashiya/accounts'
import type { AuditTrail } from '@hashiya/history'
import { type DocumentStore, isStorageUnavailable } from '@hashiya/storage'
import { type Logger, StorageUnavailableError, type SyncServer } from '@hashiya/sync-server'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { documentRoutes } from './api/documents.js'
import { ApiError, errorResponse } from './api/errors.js'
import { exportRoutes } from './api/export.js'
import { limitBody } from './api/request.js'
import { type SetupGate, sessionRoutes } from './api/session.js'
import { userRoutes } from './api/users.js'
import { userIdOf } from './auth/context.js'
import { authenticate } from './auth/credentials.js'
import { rejectCrossSite } from './auth/cross-site.js'
import { requireAbility, requireUser } from './auth/guards.js'
import type { RequestLimits } from './auth/limits.js'
import type { OpenConnections } from './auth/open-connections.js'
import type { Config } from './config.js'
import { securityHeaders } from './security-headers.js'
import { webApp } from './static.js'
import { syncRoutes } from './sync-route.js'

export interface AppParts {
  config: Config
  trail: AuditTrail
  store: DocumentStore
  sync: SyncServer
  logger: Logger
  accounts: Accounts
  limits: RequestLimits
  openConnections: OpenConnections
  setup: SetupGate
  /** `/readyz` and `/metrics` (readiness.ts). */
  operations?: Hono
}

export function createApp(parts: AppParts): Hono {
  const { config, store, sync, trail, logger, accounts } = parts
  const app = new Hono()

  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error)
    // The store (or the accounts database behind sign-in) cannot be reached right now: the
    // request was fine, so "try again later", not a server fault.
    if (error instanceof StorageUnavailableError || isStorageUnavailable(error)) {
      logger.warn(
        { method: c.req.method, path: c.req.path, err: error },
        'storage unavailable; request refused',
      )
      const refused = new ApiError(
        503,
        'storage-unavailable',
        'The server cannot reach its storage right now; nothing was changed. Try again shortly.',
      )
      refused.headers = { 'Retry-After': '5' }
      return errorResponse(c, refused)
    }
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, new ApiError(error.status, 'bad-request', error.message))
    }
    logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed')
    return errorResponse(
      c,
      new ApiError(500, 'internal-error', 'Something went wrong on the server.'),
    )
  })

  app.get('/healthz', (c) =>
    c.json({
      status: 'ok',
      documentsLoaded: sync.loadedDocumentCount,
      connections: sync.connectionCount,
    }),
  )
  if (parts.operations) app.route('/', parts.operations)

  app.use('*', securityHeaders())
  app.use('/api/*', authenticate(accounts))
  app.use('/api/*', rejectCrossSite())
  app.use('/api/*', limitBody(config.maxBodyBytes))

  const session = sessionRoutes({
    accounts,
    limits: parts.limits,
    setup: parts.setup,
    cookies: { secure: config.cookieSecure, trustProxy: config.trustProxy },
    tokenTtlMs: config.tokenTtlMs,
  })
  // Reachable signed out: the setup screen and signing in.
  app.route('/api/setup', session.setupRoutes)
  app.route('/api/session', session.session)
  app.use('/api/*', requireUser())

  app.route('/api/tokens', session.tokens)
  app.route('/api/users', userRoutes(accounts))
  app.route(
    '/api/documents',
    documentRoutes({
      store,
      accounts,
      sync,
      trail,
      logger,
      checkpointAfterMs: config.checkpointAfterMs,
      userIdOf,
    }),
  )
  app.use('/api/export', requireAbility('export'), limitBody(64 * 1024))
  app.route('/api/export', exportRoutes({ store, sync, accounts }).batch)
  app.all('/api/*', (c) =>
    errorResponse(c, new ApiError(404, 'not-found', `No API route ${c.req.method} ${c.req.path}.`)),
  )

  app.route(
    '/sync',
    syncRoutes({
      store,
      sync,
      logger,
      accounts,
      limits: parts.limits,
      openConnections: parts.openConnections,
      maxEarlyBytes: config.maxFrameBytes,
    }),
  )

  app.route('/', webApp(config.webDistDir))
  return app
}
