/**
 * Starts and stops a whole Hashiya server: storage, sync core, HTTP and
 * WebSocket on one port.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { AuditTrail } from '@hashiya/history'
import { SqliteDocumentStore } from '@hashiya/storage'
import { SyncServer } from '@hashiya/sync-server'
import { type ServerType, serve } from '@hono/node-server'
import { WebSocketServer } from 'ws'
import { createApp } from './app.js'
import type { Config } from './config.js'
import { seedDemoDocument } from './demo.js'
import type { AppLogger } from './logger.js'

export interface RunningServer {
  url: string
  port: number
  /** Stops accepting, flushes every document, closes clients and storage. */
  close(): Promise<void>
}

export async function startServer(config: Config, logger: AppLogger): Promise<RunningServer> {
  const databaseFile = join(config.dataDir, 'hashiya.db')
  const firstStart = !existsSync(databaseFile)
  const store = new SqliteDocumentStore({
    filename: databaseFile,
    synchronous: config.sqliteSynchronous,
  })
  if (firstStart && config.demoDocument && (await seedDemoDocument(store))) {
    logger.info({}, 'demo document created')
  }
  const trail = new AuditTrail(store, {
    onError: (documentId, error) =>
      logger.error({ documentId, err: error }, 'audit trail derivation failed'),
  })
  const sync = new SyncServer({
    store,
    logger,
    onStored: (documentId) => trail.schedule(documentId),
    onUnloaded: (documentId) => trail.forget(documentId),
    unloadAfterMs: config.unloadAfterMs,
    compactAfterUpdates: config.compactAfterUpdates,
  })
  const app = createApp({ config, store, sync, trail, logger })
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxFrameBytes })

  const server: ServerType = await new Promise((resolve, reject) => {
    const created = serve(
      { fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: wss } },
      () => resolve(created),
    )
    created.once('error', reject)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host}:${port}`

  let closing: Promise<void> | null = null
  return {
    url,
    port,
    close: () => {
      closing ??= (async () => {
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()))
        await sync.shutdown()
        await trail.close()
        for (const client of wss.clients) client.terminate()
        if ('closeAllConnections' in server) server.closeAllConnections()
        await httpClosed
        await store.close()
      })()
      return closing
    },
  }
}
