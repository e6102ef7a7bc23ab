/**
 * Starts and stops a whole Hashiya server: storage, sync core, HTTP and
 * WebSocket on one port.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { AccountError, Accounts, SqliteAccountStore } from '@hashiya/accounts'
import { AuditTrail } from '@hashiya/history'
import { SqliteDocumentStore } from '@hashiya/storage'
import { SyncServer } from '@hashiya/sync-server'
import { type ServerType, serve } from '@hono/node-server'
import { WebSocketServer } from 'ws'
import type { SetupGate } from './api/session.js'
import { createApp } from './app.js'
import { RequestLimits } from './auth/limits.js'
import { OpenConnections } from './auth/open-connections.js'
import type { Config } from './config.js'
import { seedDemoDocument } from './demo.js'
import type { AppLogger } from './logger.js'

export interface RunningServer {
  url: string
  port: number
  /** Set on a first start without ADMIN_USERNAME: the code the setup screen asks for. */
  setupCode: string | null
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
  const accounts = new Accounts(new SqliteAccountStore({ filename: databaseFile }), {
    sessionTtlMs: config.sessionTtlMs,
    maxTokenTtlMs: 30 * 24 * 3_600_000,
  })
  if (firstStart && config.demoDocument && (await seedDemoDocument(store, accounts))) {
    logger.info({}, 'demo document created')
  }
  const setup: SetupGate = { code: await firstAdmin(accounts, config, logger) }
  const pruneTimer = setInterval(() => void accounts.pruneExpired(), 3_600_000)
  pruneTimer.unref()
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
    messagesPerSecond: config.messagesPerSecond,
    maxAwarenessBytes: config.maxAwarenessBytes,
  })
  const limits = new RequestLimits({
    loginFailuresPerAccount: config.loginFailuresPerAccount,
    loginAttemptsPerAddress: config.loginAttemptsPerAddress,
    connectionsPerMinute: config.connectionsPerMinute,
    trustProxy: config.trustProxy,
  })
  const openConnections = new OpenConnections(accounts, logger)
  const app = createApp({
    config,
    store,
    sync,
    trail,
    logger,
    accounts,
    limits,
    openConnections,
    setup,
  })
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
    setupCode: setup.code,
    close: () => {
      closing ??= (async () => {
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()))
        await sync.shutdown()
        await trail.close()
        for (const client of wss.clients) client.terminate()
        if ('closeAllConnections' in server) server.closeAllConnections()
        await httpClosed
        clearInterval(pruneTimer)
        openConnections.close()
        await accounts.close()
        await store.close()
      })()
      return closing
    },
  }
}

/**
 * The first administrator: from ADMIN_USERNAME/ADMIN_PASSWORD when set, else a
 * one-time setup code for the setup screen (printed, never logged). Null when
 * an administrator already exists.
 */
async function firstAdmin(
  accounts: Accounts,
  config: Config,
  logger: AppLogger,
): Promise<string | null> {
  if (!(await accounts.needsSetup())) return null
  if (config.admin) {
    try {
      await accounts.createFirstAdmin({
        id: config.admin.username,
        displayName: config.admin.displayName,
        password: config.admin.password,
      })
    } catch (error) {
      if (error instanceof AccountError)
        throw new Error(`ADMIN_USERNAME/ADMIN_PASSWORD: ${error.message}`)
      throw error
    }
    logger.info({ userId: config.admin.username }, 'administrator created from the environment')
    return null
  }
  const code = randomBytes(9)
    .toString('base64url')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, 'X')
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`
}
