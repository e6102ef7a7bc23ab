/**
 * Assembles the HTTP surface: API, health, WebSocket sync and the web app.
 */
import type { AuditTrail } from '@hashiya/history'
import type { DocumentStore } from '@hashiya/storage'
import type { Logger, SyncServer } from '@hashiya/sync-server'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { documentRoutes } from './api/documents.js'
import { ApiError, errorResponse } from './api/errors.js'
import { exportRoutes } from './api/export.js'
import { limitBody } from './api/request.js'
import type { Config } from './config.js'
import { webApp } from './static.js'
import { syncRoutes, userIdOf } from './sync-route.js'

export interface AppParts {
  config: Config
  trail: AuditTrail
  store: DocumentStore
  sync: SyncServer
  logger: Logger
}

export function createApp({ config, store, sync, trail, logger }: AppParts): Hono {
  const app = new Hono()

  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error)
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

  app.route(
    '/api/documents',
    documentRoutes({
      store,
      sync,
      trail,
      logger,
      maxBodyBytes: config.maxBodyBytes,
      checkpointAfterMs: config.checkpointAfterMs,
      userIdOf,
    }),
  )
  app.use('/api/export', limitBody(64 * 1024))
  app.route('/api/export', exportRoutes({ store, sync }).batch)
  app.all('/api/*', (c) =>
    errorResponse(c, new ApiError(404, 'not-found', `No API route ${c.req.method} ${c.req.path}.`)),
  )

  app.route('/sync', syncRoutes({ store, sync, logger }))

  app.route('/', webApp(config.webDistDir))
  return app
}
