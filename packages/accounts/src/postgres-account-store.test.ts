/**
 * The account store contract against a throwaway PostgreSQL database, plus
 * what only a shared database server can get wrong: instances racing on the
 * schema.
 *
 * Without a server at HASHIYA_TEST_POSTGRES_URL (default: local, user postgres)
 * these tests are skipped with a warning, except in CI, where they fail.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeAccountStoreContract } from './account-store-contract.js'
import { PostgresAccountStore } from './postgres-account-store.js'

const SERVER_URL =
  process.env.HASHIYA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

function urlOf(database: string): string {
  const url = new URL(SERVER_URL)
  url.pathname = `/${database}`
  return url.toString()
}

function uniqueDatabaseName(purpose: string): string {
  return `hashiya_test_${purpose}_${process.pid}_${randomBytes(4).toString('hex')}`
}

async function withConnection<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

const createDatabase = (name: string) =>
  withConnection(SERVER_URL, (client) => client.query(`CREATE DATABASE ${name}`))
const dropDatabase = (name: string) =>
  withConnection(SERVER_URL, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  )

const unreachable = await withConnection(SERVER_URL, async () => null).catch(
  (error: Error) => error.message,
)
if (unreachable !== null) {
  if (process.env.CI === 'true') {
    it('reaches the PostgreSQL server (required in CI)', () => {
      throw new Error(`PostgreSQL is not reachable at ${SERVER_URL}: ${unreachable}`)
    })
  } else {
    console.warn(
      `PostgreSQL is not reachable at ${SERVER_URL} (${unreachable}): skipping the PostgreSQL account store tests; with CI=true they fail instead.`,
    )
  }
}

describe.skipIf(unreachable !== null)('PostgreSQL', () => {
  const database = uniqueDatabaseName('accounts')
  const databaseUrl = urlOf(database)
  const open = () => PostgresAccountStore.open({ connectionString: databaseUrl })

  beforeAll(() => createDatabase(database))
  afterAll(() => dropDatabase(database))

  describeAccountStoreContract('PostgreSQL', async () => ({
    open: async () => {
      const store = await open()
      await withConnection(databaseUrl, (client) =>
        client.query('TRUNCATE users, credentials, document_grants'),
      )
      return store
    },
    reopen: open,
    cleanup: async () => {},
  }))

  it('migrates once when instances start at once, and refuses a newer schema', async () => {
    const fresh = uniqueDatabaseName('accounts_migrate')
    await createDatabase(fresh)
    try {
      const options = { connectionString: urlOf(fresh) }
      const instances = await Promise.all(
        Array.from({ length: 4 }, () => PostgresAccountStore.open(options)),
      )
      await Promise.all(instances.map((store) => store.close()))
      const versions = await withConnection(urlOf(fresh), async (client) => {
        const { rows } = await client.query<{ version: number }>(
          'SELECT version FROM accounts_schema_migrations ORDER BY version',
        )
        return rows.map((row) => row.version)
      })
      expect(versions).toEqual([1])
      await withConnection(urlOf(fresh), (client) =>
        client.query('INSERT INTO accounts_schema_migrations (version, applied_at) VALUES (99, 0)'),
      )
      await expect(PostgresAccountStore.open(options)).rejects.toThrow(/version 99/)
    } finally {
      await dropDatabase(fresh)
    }
  })
})
