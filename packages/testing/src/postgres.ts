/**
 * Throwaway PostgreSQL databases for tests, on the server at
 * HASHIYA_TEST_POSTGRES_URL (default: local, user postgres). Each database has
 * a unique name, so test files and processes running at once never meet.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const TEST_POSTGRES_URL =
  process.env.HASHIYA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** One connection of its own for `work`, closed afterwards. */
export async function withConnection<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Why there is no PostgreSQL server to test against, or null. */
export async function postgresUnavailable(): Promise<string | null> {
  return withConnection(TEST_POSTGRES_URL, async () => null).catch(
    (error: Error) => `PostgreSQL is not reachable at ${TEST_POSTGRES_URL} (${error.message})`,
  )
}

export interface TestDatabase {
  name: string
  url: string
  /** The URL of the same database through another port (a proxy). */
  urlThrough(port: number): string
  query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>
  drop(): Promise<void>
}

/** A uniquely named, empty database; `drop` removes it even while servers still hold it. */
export async function createTestDatabase(purpose: string): Promise<TestDatabase> {
  const name = `hashiya_test_${purpose}_${process.pid}_${randomBytes(4).toString('hex')}`
  await withConnection(TEST_POSTGRES_URL, (client) => client.query(`CREATE DATABASE ${name}`))
  const at = (port?: number) => {
    const url = new URL(TEST_POSTGRES_URL)
    url.pathname = `/${name}`
    if (port !== undefined) {
      url.hostname = '127.0.0.1'
      url.port = String(port)
    }
    return url.toString()
  }
  return {
    name,
    url: at(),
    urlThrough: (port) => at(port),
    query: (text, values = []) =>
      withConnection(at(), async (client) => (await client.query(text, values)).rows),
    drop: async () => {
      await withConnection(TEST_POSTGRES_URL, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      )
    },
  }
}
