/**
 * Several server instances as real processes on one PostgreSQL database and a
 * redis-server of their own, with stock y-websocket clients spread across them:
 * convergence, an instance killed mid-edit, Redis restarted mid-edit, and the
 * database cut off mid-edit. Every test uses its own database and Redis key
 * prefix and removes them.
 *
 * Without PostgreSQL at HASHIYA_TEST_POSTGRES_URL (default: local, user
 * postgres) or a redis-server binary these tests are skipped with a warning,
 * except in CI, where they fail.
 */
import { type AnnotationKind, createAnnotation } from '@hashiya/annotations'
import { type RedisServerProcess, startRedisServer } from '@hashiya/fanout/redis-server'
import {
  adminAccount,
  type ServerProcess,
  startServerProcess,
  TEST_PASSWORD,
  testAccount,
  waitFor,
} from '@hashiya/testing'
import { createTestDatabase, TEST_POSTGRES_URL, type TestDatabase } from '@hashiya/testing/postgres'
import { skipWithout } from '@hashiya/testing/required'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { whenSynced } from './clients.js'
import {
  type ClusterClient,
  clusterUnavailable,
  contentOf,
  converged,
  DEMO,
  deleteRedisKeys,
  failoverClient,
  stateOf,
  storedDocument,
  TcpProxy,
  typeContinuously,
  uniqueKeyPrefix,
  wordRange,
} from './cluster-harness.js'

const unavailable = await clusterUnavailable()

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const KINDS: AnnotationKind[] = ['quote', 'claim', 'denial', 'aside']

async function readiness(server: ServerProcess): Promise<{ status: number; failed: string[] }> {
  try {
    const response = await fetch(`${server.url}/readyz`)
    const body = (await response.json()) as { failed: string[] }
    return { status: response.status, failed: body.failed }
  } catch {
    return { status: 0, failed: ['unreachable'] }
  }
}

/** The stored document equals every client's, and holds everything anyone typed. */
async function expectStoredEqualsClients(database: TestDatabase, clients: ClusterClient[]) {
  const stored = await storedDocument(database.url)
  const [first] = clients as [ClusterClient]
  expect(stateOf(stored)).toBe(stateOf(first.doc))
  expect(contentOf(stored)).toEqual(contentOf(first.doc))
  const text = contentOf(stored).paragraphs.join('\n')
  const lost = clients.flatMap((client) => client.typed.filter((t) => !text.includes(t.trim())))
  expect(lost).toEqual([])
  return stored
}

describe.skipIf(skipWithout(unavailable, 'the cluster tests', it))(
  'several instances on PostgreSQL and Redis',
  () => {
    let redis: RedisServerProcess
    /** Undone after each test, last first. */
    const cleanups: (() => Promise<unknown> | unknown)[] = []

    beforeAll(async () => {
      redis = await startRedisServer()
    })
    afterAll(async () => {
      await redis?.stop()
    })
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })

    async function cluster(
      purpose: string,
      instances: number,
      options: {
        databaseUrl?: (database: TestDatabase) => string
        fanout?: boolean
        env?: Record<string, string>
      } = {},
    ) {
      const database = await createTestDatabase(purpose)
      cleanups.push(() => database.drop())
      const keyPrefix = uniqueKeyPrefix(purpose)
      if (options.fanout !== false) cleanups.push(() => deleteRedisKeys(redis.url, keyPrefix))
      const env: Record<string, string> = {
        DATABASE_URL: options.databaseUrl?.(database) ?? database.url,
        RESYNC_INTERVAL_MS: '1000',
        LOG_LEVEL: 'warn',
        ...options.env,
      }
      if (options.fanout !== false)
        Object.assign(env, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: keyPrefix })
      // All at once on the new database: migrations, the demo document and the
      // first administrator must each happen exactly once.
      const started = await Promise.allSettled(
        Array.from({ length: instances }, () => startServerProcess({ env })),
      )
      const servers = started.flatMap((result) =>
        result.status === 'fulfilled' ? [result.value] : [],
      )
      cleanups.push(async () => {
        for (const server of servers) {
          await server.stop()
          server.cleanup()
        }
      })
      const failure = started.find((result) => result.status === 'rejected')
      if (failure) throw (failure as PromiseRejectedResult).reason
      /** One more instance on the same database and Redis, joining later. */
      const addInstance = async () => {
        const joined = await startServerProcess({ env })
        servers.push(joined)
        return joined
      }
      return { database, servers, addInstance }
    }

    /** Editors created through one instance and used on another (one accounts database). */
    async function spreadClients(
      servers: ServerProcess[],
      count: number,
    ): Promise<ClusterClient[]> {
      const accounts = await Promise.all(
        servers.map((server, i) => testAccount(server.url, `editor-${i}`)),
      )
      const wsUrls = servers.map((server) => server.wsUrl)
      const clients = Array.from({ length: count }, (_, i) =>
        failoverClient(wsUrls, i, {
          token: (accounts[(i + 1) % accounts.length] as { token: string }).token,
          name: `c${i}`,
        }),
      )
      cleanups.push(() => {
        for (const client of clients) client.destroy()
      })
      await Promise.all(clients.map((client) => whenSynced(client, 15_000)))
      return clients
    }

    it('converges clients spread over three instances while they edit and tag, and stores exactly their state', async () => {
      const { database, servers } = await cluster('spread', 3)
      expect(await database.query('SELECT id FROM documents')).toEqual([{ id: DEMO }])
      expect(await database.query(`SELECT id FROM users WHERE role = 'admin'`)).toHaveLength(1)

      const clients = await spreadClients(servers, 6)
      // One tag through the REST API of the third instance, on a word no one types before.
      const editor = await testAccount((servers[0] as ServerProcess).url, 'api-editor')
      const viaApi = await fetch(
        `${(servers[2] as ServerProcess).url}/api/documents/${DEMO}/annotations`,
        {
          method: 'POST',
          headers: editor.headers,
          body: JSON.stringify({
            kind: 'claim',
            ...wordRange((clients[0] as ClusterClient).doc, 0, 3),
          }),
        },
      )
      expect(viaApi.status).toBe(201)

      const stop = typeContinuously(clients, 40)
      for (const [i, client] of clients.entries()) {
        createAnnotation(client.doc, {
          kind: KINDS[i % KINDS.length] as AnnotationKind,
          ...wordRange(client.doc, i, 1),
          author: client.name,
        })
        await sleep(60)
      }
      await sleep(600)
      stop()
      await waitFor(() => converged(clients), 'every client to converge', 15_000)

      const stored = await expectStoredEqualsClients(database, clients)
      expect(contentOf(stored).annotations).toHaveLength(clients.length + 1)
      const metrics = await (await fetch(`${(servers[1] as ServerProcess).url}/metrics`)).text()
      expect(metrics).toMatch(/^hashiya_fanout_updates_applied_total [1-9]/m)
      expect(metrics).toMatch(/^hashiya_store_append_seconds_count\{result="ok"\} [1-9]/m)
      for (const server of servers)
        expect(await readiness(server)).toEqual({ status: 200, failed: [] })
    })

    it('loses nothing any client saw when an instance is killed mid-edit; its clients move on', async () => {
      const { database, servers } = await cluster('kill', 3)
      const clients = await spreadClients(servers, 6)
      const victim = servers[1] as ServerProcess
      const onVictim = clients.filter((client) =>
        client.provider.serverUrl.startsWith(victim.wsUrl),
      )
      expect(onVictim).toHaveLength(2)

      const stop = typeContinuously(clients, 30)
      await sleep(600)
      await victim.kill()
      await sleep(1_200)
      stop()
      await waitFor(() => converged(clients), 'every client to converge', 20_000)

      for (const client of onVictim) {
        expect(client.closeCodes.length).toBeGreaterThan(0)
        expect(client.provider.wsconnected).toBe(true)
        expect(client.provider.serverUrl.startsWith(victim.wsUrl)).toBe(false)
      }
      await expectStoredEqualsClients(database, clients)
    })

    it('heals to one state when Redis restarts while clients edit', async () => {
      const { database, servers } = await cluster('redis', 2)
      const clients = await spreadClients(servers, 4)
      const [first] = servers as [ServerProcess]

      const stop = typeContinuously(clients, 40)
      await sleep(400)
      await redis.stop()
      await waitFor(
        async () => (await readiness(first)).failed.includes('redis'),
        '/readyz to report Redis',
      )
      await sleep(500)
      await redis.restart()
      await waitFor(
        async () => (await readiness(first)).status === 200,
        '/readyz to recover',
        15_000,
      )
      await sleep(400)
      stop()
      await waitFor(() => converged(clients), 'every client to converge', 20_000)
      await expectStoredEqualsClients(database, clients)
      // What the fan-out lost while Redis was away came from the store.
      let healed = 0
      for (const server of servers) {
        const metrics = await (await fetch(`${server.url}/metrics`)).text()
        healed += Number(/^hashiya_resync_updates_total (\d+)/m.exec(metrics)?.[1] ?? 0)
      }
      expect(healed).toBeGreaterThan(0)
    })

    it('brings a new instance joining a busy document to the same state', async () => {
      const { database, servers, addInstance } = await cluster('join', 2)
      const clients = await spreadClients(servers, 4)
      const stop = typeContinuously(clients, 40)
      await sleep(500)
      const joined = await addInstance()
      const newcomer = await testAccount(joined.url, 'newcomer')
      const late = failoverClient([joined.wsUrl], 0, { token: newcomer.token, name: 'late' })
      cleanups.push(() => late.destroy())
      await whenSynced(late, 15_000)
      late.type(0, ' late#1')
      await sleep(500)
      stop()
      const everyone = [...clients, late]
      await waitFor(() => converged(everyone), 'the new instance’s client to converge', 20_000)
      expect(late.paragraphs()[0]).toContain(' late#1')
      expect(clients[1]?.paragraphs()[0]).toContain(' late#1')
      await expectStoredEqualsClients(database, everyone)
    })

    it('heals a client that edited offline while the others went on and its instance unloaded the document', async () => {
      // A full minute in CI, as the issue asks; a few seconds when run by hand.
      const offlineMs = process.env.CI === 'true' ? 60_000 : 3_000
      const { database, servers } = await cluster('offline', 2, {
        env: { UNLOAD_AFTER_MS: '500', COMPACT_AFTER_UPDATES: '5' },
      })
      const [away, present] = (await spreadClients(servers, 2)) as [ClusterClient, ClusterClient]
      away.provider.disconnect()
      const started = Date.now()
      let round = 0
      while (Date.now() - started < offlineMs) {
        round += 1
        away.type(0, ` away#${round}`)
        present.type(1, ` present#${round}`)
        await sleep(250)
      }
      // The two sides really did diverge while apart.
      expect(converged([away, present])).toBe(false)
      away.provider.connect()
      await waitFor(() => converged([away, present]), 'the offline client to heal', 20_000)
      const paragraphs = away.paragraphs()
      expect(paragraphs[0]).toContain(` away#${round}`)
      expect(paragraphs[1]).toContain(` present#${round}`)
      await expectStoredEqualsClients(database, [away, present])
    }, 120_000)

    it('closes a deactivated account’s connections on every instance, not only the one that changed it', async () => {
      const { servers } = await cluster('revoke', 2)
      const [first, second] = servers as [ServerProcess, ServerProcess]
      const leaving = await testAccount(first.url, 'leaving', 'editor')
      const socket = new WebSocket(`${second.wsUrl}/sync/${DEMO}?token=${leaving.token}`)
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
      socket.on('error', () => {})
      await new Promise((resolve) => socket.once('open', resolve))
      const admin = await adminAccount(first.url)
      const response = await fetch(new URL('/api/users/leaving', first.url), {
        method: 'PATCH',
        headers: admin.headers,
        body: JSON.stringify({ active: false }),
      })
      expect(response.status).toBe(200)
      expect(await closed).toBe(4401)
    })

    it('cuts off a deactivated account on every instance while Redis is away, without waiting for it', async () => {
      const { servers } = await cluster('revokedown', 2)
      const [first, second] = servers as [ServerProcess, ServerProcess]
      const leaving = await testAccount(first.url, 'leaving-down', 'editor')
      const admin = await adminAccount(first.url)
      const socket = new WebSocket(`${second.wsUrl}/sync/${DEMO}?token=${leaving.token}`)
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
      socket.on('error', () => {})
      await new Promise((resolve) => socket.once('open', resolve))
      await redis.stop()
      try {
        await waitFor(
          async () => (await readiness(second)).failed.includes('redis'),
          '/readyz to report Redis',
        )
        // the signal to the other instance is lost: it re-checks from the database meanwhile
        const response = await fetch(new URL('/api/users/leaving-down', first.url), {
          method: 'PATCH',
          headers: admin.headers,
          body: JSON.stringify({ active: false }),
        })
        expect(response.status).toBe(200)
        expect(await closed).toBe(4401)
        expect((await readiness(second)).failed).toContain('redis')
      } finally {
        await redis.restart()
        await waitFor(async () => (await readiness(first)).status === 200, '/readyz', 15_000)
      }
    })

    it('shares rate limits between instances through Redis, and counts in memory while Redis is away', async () => {
      const { servers } = await cluster('limits', 2, {
        env: { LOGIN_FAILURES_PER_ACCOUNT: '4', CONNECTIONS_PER_MINUTE: '6' },
      })
      const [first, second] = servers as [ServerProcess, ServerProcess]
      const signIn = async (on: ServerProcess, username: string, password: string) =>
        (
          await fetch(new URL('/api/session', on.url), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username, password }),
          })
        ).status
      const guessed = await testAccount(first.url, 'guessed', 'editor')

      // Two wrong guesses on each instance: four for the account, wherever they were made.
      const guesses = [first, second, first, second]
      const statuses: number[] = []
      for (const [i, on] of guesses.entries())
        statuses.push(await signIn(on, 'guessed', `wrong ${i}`))
      expect(statuses).toEqual([401, 401, 401, 401])
      expect(await signIn(second, 'guessed', TEST_PASSWORD)).toBe(429)
      expect(await signIn(first, 'guessed', TEST_PASSWORD)).toBe(429)

      // Six connection attempts a minute from this address, over both instances.
      const upgrades: number[] = []
      for (let i = 0; i < 8; i++) {
        const on = i % 2 === 0 ? first : second
        const socket = new WebSocket(`${on.wsUrl}/sync/${DEMO}?token=${guessed.token}`)
        socket.on('error', () => {})
        upgrades.push(
          await new Promise<number>((resolve) => {
            socket.once('open', () => resolve(101))
            socket.once('unexpected-response', (_request, response) =>
              resolve(response.statusCode ?? 0),
            )
          }),
        )
        socket.terminate()
      }
      expect(upgrades).toEqual([101, 101, 101, 101, 101, 101, 429, 429])

      // Without Redis each instance counts on its own: sign-in still works, and is still throttled.
      await redis.stop()
      try {
        const away = await testAccount(first.url, 'while-away', 'editor')
        expect(away.token).toBeTruthy()
        const meanwhile: number[] = []
        for (let i = 0; i < 4; i++) meanwhile.push(await signIn(first, 'while-away', `wrong ${i}`))
        expect(meanwhile).toEqual([401, 401, 401, 401])
        expect(await signIn(first, 'while-away', TEST_PASSWORD)).toBe(429)
        expect(await signIn(second, 'while-away', TEST_PASSWORD)).toBe(200)
      } finally {
        await redis.restart()
      }
    })

    it('refuses writes while PostgreSQL is unreachable, with 1013, and recovers when it returns', async () => {
      const proxy = new TcpProxy(Number(new URL(TEST_POSTGRES_URL).port || 5432))
      const port = await proxy.start()
      cleanups.push(() => proxy.close())
      const { database, servers } = await cluster('outage', 1, {
        databaseUrl: (created) => created.urlThrough(port),
        fanout: false,
      })
      const [server] = servers as [ServerProcess]
      const clients = await spreadClients(servers, 2)
      const editor = await testAccount(server.url, 'outage-editor')

      const stop = typeContinuously(clients, 40)
      await sleep(400)
      await proxy.cut()
      // The first append that fails closes the document's clients with "try again later".
      await waitFor(
        () => clients.some((client) => client.closeCodes.includes(1013)),
        'a client to be closed with 1013',
      )
      expect(await readiness(server)).toEqual({ status: 503, failed: ['storage'] })
      const refused = await fetch(`${server.url}/api/documents/${DEMO}/annotations`, {
        method: 'POST',
        headers: editor.headers,
        body: JSON.stringify({ kind: 'claim', start: 0, end: 3 }),
      })
      // whether the sign-in lookup or the change itself hits the outage: try again later
      expect(refused.status).toBe(503)
      expect(refused.headers.get('retry-after')).toBe('5')
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
        'storage-unavailable',
      )
      // Clients keep editing offline, retrying with backoff.
      await sleep(800)
      await proxy.restore()
      await waitFor(
        async () => (await readiness(server)).status === 200,
        'storage to be back',
        15_000,
      )
      await sleep(300)
      stop()
      await waitFor(() => converged(clients), 'every client to converge', 20_000)
      await expectStoredEqualsClients(database, clients)
    })
  },
)
