/**
 * The account store contract against a throwaway PostgreSQL database, plus
 * what only a shared database server can get wrong: instances racing on the
 * schema.
 *
 * Without a server at HASHIYA_TEST_POSTGRES_URL (default: local, user postgres)
 * these tests are skipped with a warning, except in CI, where they fail.
 */
import {
  createTestDatabase,
  postgresUnavailable,
  type TestDatabase,
} from '@hashiya/testing/postgres'
import { skipWithout } from '@hashiya/testing/required'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeAccountStoreContract } from './account-store-contract.js'
import { PostgresAccountStore } from './postgres-account-store.js'

const unavailable = await postgresUnavailable()

describe.skipIf(skipWithout(unavailable, 'the PostgreSQL account store tests', it))(
  'PostgreSQL',
  () => {
    let database: TestDatabase
    const open = () => PostgresAccountStore.open({ connectionString: database.url })

    beforeAll(async () => {
      database = await createTestDatabase('accounts')
    })
    afterAll(() => database?.drop())

    describeAccountStoreContract('PostgreSQL', async () => ({
      open: async () => {
        const store = await open()
        await database.query('TRUNCATE users, credentials, document_grants')
        return store
      },
      reopen: open,
      cleanup: async () => {},
    }))

    it('migrates once when instances start at once, and refuses a newer schema', async () => {
      const fresh = await createTestDatabase('accounts_migrate')
      try {
        const options = { connectionString: fresh.url }
        const instances = await Promise.all(
          Array.from({ length: 4 }, () => PostgresAccountStore.open(options)),
        )
        await Promise.all(instances.map((store) => store.close()))
        const versions = await fresh.query<{ version: number }>(
          'SELECT version FROM accounts_schema_migrations ORDER BY version',
        )
        expect(versions.map((row) => row.version)).toEqual([1])
        await fresh.query(
          'INSERT INTO accounts_schema_migrations (version, applied_at) VALUES (99, 0)',
        )
        await expect(PostgresAccountStore.open(options)).rejects.toThrow(/version 99/)
      } finally {
        await fresh.drop()
      }
    })
  },
)
