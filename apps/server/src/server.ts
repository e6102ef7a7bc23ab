/**
 * Starts and stops a whole Hashiya server: storage, sync core, HTTP and
 * WebSocket on one port.
 *
 * Storage is SQLite in DATA_DIR, or PostgreSQL with DATABASE_URL (documents and
 * accounts, shared by every instance). With REDIS_URL, instances exchange the
 * updates and presence of the documents they hold through Redis Streams.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import {
  type AccessChange,
  AccountError,
  type AccountStore,
  Accounts,
  PostgresAccountStore,
  SqliteAccountStore,
} from '@hashiya/accounts'
import { defaultInstanceId, RedisFanout, RedisSignals } from '@hashiya/fanout'
import { AuditTrail } from '@hashiya/history'
import {
  DocumentExistsError,
  type DocumentStore,
  PostgresDocumentStore,
  SqliteDocumentStore,
} from '@hashiya/storage'
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
import { ServerMetrics } from './metrics.js'
import { operationsRoutes, type ReadinessCheck } from './readiness.js'

interface Storage {
  kind: 'sqlite' | 'postgresql'
  store: DocumentStore
  accountStore: AccountStore
  /** A new database: the one start that may seed the demo document. */
  firstStart: boolean
}

async function openStorage(config: Config, logger: AppLogger): Promise<Storage> {
  if (config.database) {
    const store = await PostgresDocumentStore.open({
      connectionString: config.database.url,
      poolSize: config.database.poolSize,
      logger,
    })
    try {
      const accountStore = await PostgresAccountStore.open({
        connectionString: config.database.url,
        logger,
      })
      // Of N instances starting at once on a new database, exactly one created the schema.
      return { kind: 'postgresql', store, accountStore, firstStart: store.createdSchema }
    } catch (error) {
      await store.close()
      throw error
    }
  }
  const databaseFile = join(config.dataDir, 'hashiya.db')
  const firstStart = !existsSync(databaseFile)
  const store = new SqliteDocumentStore({
    filename: databaseFile,
    synchronous: config.sqliteSynchronous,
  })
  return {
    kind: 'sqlite',
    store,
    accountStore: new SqliteAccountStore({ filename: databaseFile }),
    firstStart,
  }
}

export interface RunningServer {
  url: string
  port: number
  /** Names this process in fan-out entries, logs and metrics. */
  instanceId: string
  /** Set on a first start without ADMIN_USERNAME: the code the setup screen asks for. */
  setupCode: string | null
  /** Stops accepting, flushes every document, closes clients and storage. */
  close(): Promise<void>
}

export async function startServer(config: Config, logger: AppLogger): Promise<RunningServer> {
  const instanceId = config.instanceId ?? defaultInstanceId()
  const { kind, store, accountStore, firstStart } = await openStorage(config, logger)
  const accounts = new Accounts(accountStore, {
    sessionTtlMs: config.sessionTtlMs,
    maxTokenTtlMs: 30 * 24 * 3_600_000,
  })
  if (firstStart && config.demoDocument) {
    try {
      if (await seedDemoDocument(store, accounts)) logger.info({}, 'demo document created')
    } catch (error) {
      // Another instance seeded it first.
      if (!(error instanceof DocumentExistsError)) throw error
    }
  }
  const setup: SetupGate = { code: await firstAdmin(accounts, config, logger) }
  const pruneTimer = setInterval(() => void accounts.pruneExpired(), 3_600_000)
  pruneTimer.unref()
  const trail = new AuditTrail(store, {
    onError: (documentId, error) =>
      logger.error({ documentId, err: error }, 'audit trail derivation failed'),
  })
  const metrics = new ServerMetrics({ instanceId, storage: kind, fanout: config.redis !== null })
  const fanout = config.redis
    ? new RedisFanout({
        url: config.redis.url,
        instanceId,
        keyPrefix: config.redis.keyPrefix,
        maxLen: config.redis.streamMaxLen,
        logger,
        observer: metrics.fanoutObserver,
      })
    : undefined
  const sync = new SyncServer({
    store,
    logger,
    onStored: (documentId) => trail.schedule(documentId),
    onUnloaded: (documentId) => trail.forget(documentId),
    unloadAfterMs: config.unloadAfterMs,
    compactAfterUpdates: config.compactAfterUpdates,
    messagesPerSecond: config.messagesPerSecond,
    maxAwarenessBytes: config.maxAwarenessBytes,
    fanout,
    resyncIntervalMs: config.resyncIntervalMs,
    observer: metrics.syncObserver,
  })
  metrics.watch(sync)
  let draining = false
  const checks: ReadinessCheck[] = [
    {
      name: 'storage',
      check: () => Promise.all([store.getDocument('readyz'), accountStore.getUser('readyz')]),
    },
  ]
  if (fanout) checks.push({ name: 'redis', check: () => fanout.ping() })
  const operations = operationsRoutes({ checks, metrics, logger, draining: () => draining })
  const limits = new RequestLimits({
    loginFailuresPerAccount: config.loginFailuresPerAccount,
    loginAttemptsPerAddress: config.loginAttemptsPerAddress,
    connectionsPerMinute: config.connectionsPerMinute,
    trustProxy: config.trustProxy,
    redis: config.redis,
  })
  const openConnections = new OpenConnections(accounts, logger, {
    heartbeatMs: config.pingIntervalMs,
  })
  // Access changes made on one instance close the connections every instance holds.
  const accessSignals = config.redis
    ? new RedisSignals<AccessChange>({
        url: config.redis.url,
        channel: `${config.redis.keyPrefix}access`,
        instanceId,
        logger,
        onSignal: (change) => void openConnections.recheckAffected(change),
        onMayHaveMissed: () => void openConnections.recheckAll(),
      })
    : null
  if (accessSignals) accounts.onChange((change) => accessSignals.publish(change))
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
    operations,
  })
  // No permessage-deflate (ws's default too, stated so nobody turns it on in
  // passing): a compressing socket keeps its own zlib streams once used, about
  // 300 KB each with zlib's defaults, and Yjs frames are small binary updates.
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.maxFrameBytes,
    perMessageDeflate: false,
    // OpenConnections lists the sockets; ws's own list costs a close listener
    // per socket, and node-server's upgrade does not use it.
    clientTracking: false,
  })

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
    instanceId,
    setupCode: setup.code,
    close: () => {
      closing ??= (async () => {
        // /readyz answers 503 from now on; no new connections are accepted.
        draining = true
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()))
        // Stores what every document received, closes its clients with 1012
        // (they reconnect, to another instance behind a load balancer), compacts.
        await sync.shutdown()
        await trail.close()
        openConnections.terminateAll()
        if ('closeAllConnections' in server) server.closeAllConnections()
        await httpClosed
        clearInterval(pruneTimer)
        openConnections.close()
        await fanout?.close()
        await accessSignals?.close()
        await limits.close()
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
      // Several instances starting at once on one database: another one made it.
      if (error instanceof AccountError && error.code === 'setup-closed') return null
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
