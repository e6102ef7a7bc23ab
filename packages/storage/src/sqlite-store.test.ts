import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, it } from 'vitest'
import { SqliteDocumentStore } from './sqlite-store.js'
import { describeStoreContract } from './store-contract.js'

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashiya-store-'))
  const filename = join(dir, 'hashiya.db')
  return {
    open: async () => new SqliteDocumentStore({ filename }),
    reopen: async () => new SqliteDocumentStore({ filename }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
})

it('uses WAL and refuses a database from a newer schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashiya-store-'))
  const filename = join(dir, 'hashiya.db')
  const store = new SqliteDocumentStore({ filename })
  void store.close()
  const raw = new Database(filename)
  expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
  raw.pragma('user_version = 99')
  raw.close()
  expect(() => new SqliteDocumentStore({ filename })).toThrow(/newer than this server/)
  rmSync(dir, { recursive: true, force: true })
})
