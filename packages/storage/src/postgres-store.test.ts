/**
 * The store contract against a throwaway PostgreSQL database, plus what only a
 * shared database server can get wrong: instances racing on one document and on
 * the schema, and connections dropping under the pool.
 *
 * Without a server at HASHIYA_TEST_POSTGRES_URL (default: local, user postgres)
 * these tests are skipped with a warning, except in CI, where they fail.
 */
import {
  createTestDatabase,
  postgresUnavailable,
  TEST_POSTGRES_URL,
  type TestDatabase,
  withConnection,
} from '@hashiya/testing/postgres'
import { skipWithout } from '@hashiya/testing/required'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresDocumentStore, type PostgresStoreOptions } from './postgres-store.js'
import { describeStoreContract } from './store-contract.js'

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const unavailable = await postgresUnavailable()

describe.skipIf(skipWithout(unavailable, 'the PostgreSQL store tests', it))('PostgreSQL', () => {
  let database: TestDatabase
  const open = (options: Partial<PostgresStoreOptions> = {}) =>
    PostgresDocumentStore.open({ connectionString: database.url, ...options })

  beforeAll(async () => {
    database = await createTestDatabase('store')
  })
  afterAll(() => database?.drop())

  describeStoreContract('PostgreSQL', async () => ({
    open: async () => {
      const store = await open()
      await database.query('TRUNCATE documents RESTART IDENTITY CASCADE')
      return store
    },
    reopen: () => open(),
    cleanup: async () => {},
  }))

  it('keeps one gap-free log when two instances append to a document at once', async () => {
    const instances = [await open({ poolSize: 4 }), await open({ poolSize: 4 })]
    try {
      const [first] = instances as [PostgresDocumentStore, PostgresDocumentStore]
      await first.createDocument({
        id: 'contended',
        title: 't',
        initialUpdate: Uint8Array.of(0),
        userId: 'creator',
      })
      const rounds = 20
      const batchSize = 3
      const calls = instances.flatMap((store, writer) =>
        Array.from({ length: rounds }, (_, round) => ({
          store,
          batch: Array.from({ length: batchSize }, (_, position) => ({
            update: Uint8Array.of(writer + 1, round, position),
            userId: `writer${writer + 1}`,
            receivedAt: 1_000 + round,
          })),
        })),
      )
      const lastSeqs = await Promise.all(
        calls.map(({ store, batch }) => store.appendUpdates('contended', batch)),
      )
      const log = await first.readLog('contended')
      const total = 1 + calls.length * batchSize
      expect(log.map((update) => update.seq)).toEqual(
        Array.from({ length: total }, (_, index) => index + 1),
      )
      expect((await first.getDocument('contended'))?.lastSeq).toBe(total)
      // each call's batch sits in one run of seqs ending at the seq it was told
      calls.forEach(({ batch }, call) => {
        const lastSeq = lastSeqs[call] as number
        const stored = log.slice(lastSeq - batchSize, lastSeq)
        expect(stored.map((update) => [...update.update])).toEqual(
          batch.map((update) => [...update.update]),
        )
      })
    } finally {
      await Promise.all(instances.map((store) => store.close()))
    }
  })

  it('migrates once when two instances start at once, and refuses a newer schema', async () => {
    const fresh = await createTestDatabase('migrate')
    try {
      const options = { connectionString: fresh.url }
      const instances = await Promise.all([
        PostgresDocumentStore.open(options),
        PostgresDocumentStore.open(options),
      ])
      const versions = await fresh.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      )
      expect(versions.map((row) => row.version)).toEqual([1])
      // exactly one of them created the schema (and may seed first-start content)
      expect(instances.filter((store) => store.createdSchema)).toHaveLength(1)
      await Promise.all(instances.map((store) => store.close()))
      const again = await PostgresDocumentStore.open(options)
      expect(again.createdSchema).toBe(false)
      await again.close()

      await fresh.query('INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)')
      await expect(PostgresDocumentStore.open(options)).rejects.toThrow(/newer than this server/)
    } finally {
      await fresh.drop()
    }
  })

  it('fails the call whose connection is cut, takes no seq for it, and recovers', async () => {
    const warnings: unknown[] = []
    const store = await open({
      logger: { info() {}, warn: (fields) => warnings.push(fields) },
    })
    const terminateStoreConnections = () =>
      withConnection(TEST_POSTGRES_URL, (client) =>
        client.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = $1 AND application_name = 'hashiya'`,
          [database.name],
        ),
      )
    const update = (receivedAt: number) => [
      { update: Uint8Array.of(receivedAt), userId: 'u', receivedAt },
    ]
    try {
      await store.createDocument({
        id: 'dropped',
        title: 't',
        initialUpdate: Uint8Array.of(0),
        userId: 'u',
      })
      // Hold the document row so the append is mid-flight when its connection is cut.
      await withConnection(database.url, async (blocker) => {
        await blocker.query('BEGIN')
        await blocker.query(`SELECT 1 FROM documents WHERE id = 'dropped' FOR UPDATE`)
        const append = store.appendUpdates('dropped', update(1))
        const appendFailed = expect(append).rejects.toThrow(/terminat/)
        await waitUntil(() =>
          withConnection(TEST_POSTGRES_URL, async (client) => {
            const { rows } = await client.query(
              `SELECT 1 FROM pg_stat_activity
               WHERE datname = $1 AND application_name = 'hashiya' AND wait_event_type = 'Lock'`,
              [database.name],
            )
            return rows.length > 0
          }),
        )
        await terminateStoreConnections()
        await appendFailed
        await blocker.query('ROLLBACK')
      })
      expect(await store.appendUpdates('dropped', update(2))).toBe(2)

      // Idle connections dying is reported, not fatal, and the pool replaces them.
      const warningsBefore = warnings.length
      await terminateStoreConnections()
      await waitUntil(async () => warnings.length > warningsBefore)
      expect(await store.appendUpdates('dropped', update(3))).toBe(3)
      expect((await store.readLog('dropped')).map((stored) => stored.seq)).toEqual([1, 2, 3])
    } finally {
      await store.close()
    }
  })

  it('shares compaction locks between instances', async () => {
    const [first, second] = [await open(), await open()]
    try {
      let release = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      let signalHeld = () => {}
      const holding = new Promise<void>((resolve) => {
        signalHeld = resolve
      })
      const compaction = first.withCompactionLock('shared', async () => {
        signalHeld()
        await held
        return 'first'
      })
      await holding
      expect(await second.withCompactionLock('shared', async () => 'second')).toBeNull()
      release()
      expect(await compaction).toBe('first')
      expect(await second.withCompactionLock('shared', async () => 'second')).toBe('second')
    } finally {
      await Promise.all([first.close(), second.close()])
    }
  })
})
