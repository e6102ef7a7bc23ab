import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, it } from 'vitest'
import { describeAccountStoreContract } from './account-store-contract.js'
import { SqliteAccountStore } from './sqlite-account-store.js'

describeAccountStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashiya-accounts-'))
  const filename = join(dir, 'hashiya.db')
  return {
    open: async () => new SqliteAccountStore({ filename }),
    reopen: async () => new SqliteAccountStore({ filename }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
})

it('refuses a database from a newer accounts schema', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashiya-accounts-'))
  const filename = join(dir, 'hashiya.db')
  try {
    await new SqliteAccountStore({ filename }).close()
    const raw = new Database(filename)
    raw.exec('UPDATE accounts_schema SET version = 99')
    raw.close()
    expect(() => new SqliteAccountStore({ filename })).toThrow(/version 99/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
