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

it('commits the appends of one turn together, and a document that fails fails alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashiya-store-'))
  const filename = join(dir, 'hashiya.db')
  const store = new SqliteDocumentStore({ filename })
  const append = (id: string, ...users: string[]) =>
    store.appendUpdates(
      id,
      users.map((userId, i) => ({ update: new Uint8Array([0, 0]), userId, receivedAt: i })),
    )
  for (const id of ['a', 'b', 'c']) {
    await store.createDocument({
      id,
      title: id,
      initialUpdate: new Uint8Array([0, 0]),
      userId: 'u',
    })
  }
  // A row already at c's third position: c's batch of two fails on its second insert.
  const raw = new Database(filename)
  raw
    .prepare(
      `INSERT INTO updates (doc_id, seq, data, user_id, received_at) VALUES ('c', 3, x'0000', 'x', 0)`,
    )
    .run()
  raw.close()

  const outcomes = await Promise.allSettled([
    append('a', 'leila'),
    append('c', 'sami', 'sami'),
    append('missing', 'omar'),
    append('b', 'omar'),
    append('a', 'rana', 'rana'),
  ])
  expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'failed'))).toEqual([
    2,
    'failed',
    'failed',
    2,
    4,
  ])
  await store.close()
  const reopened = new SqliteDocumentStore({ filename })
  expect((await reopened.readLog('a')).map((u) => [u.seq, u.userId])).toEqual([
    [1, 'u'],
    [2, 'leila'],
    [3, 'rana'],
    [4, 'rana'],
  ])
  // c's first insert was undone with its failure: its log and position are as before.
  expect((await reopened.readLog('c')).map((u) => [u.seq, u.userId])).toEqual([
    [1, 'u'],
    [3, 'x'],
  ])
  expect((await reopened.getDocument('c'))?.lastSeq).toBe(1)
  expect((await reopened.readLog('b')).map((u) => u.userId)).toEqual(['u', 'omar'])
  await reopened.close()
  rmSync(dir, { recursive: true, force: true })
})

it('commits appends already handed over when it closes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hashiya-store-'))
  const filename = join(dir, 'hashiya.db')
  const store = new SqliteDocumentStore({ filename })
  await store.createDocument({
    id: 'a',
    title: 'a',
    initialUpdate: new Uint8Array([0, 0]),
    userId: 'u',
  })
  const appended = store.appendUpdates('a', [
    { update: new Uint8Array([0, 0]), userId: 'v', receivedAt: 1 },
  ])
  await store.close()
  expect(await appended).toBe(2)
  const reopened = new SqliteDocumentStore({ filename })
  expect((await reopened.readLog('a')).map((u) => u.userId)).toEqual(['u', 'v'])
  await reopened.close()
  rmSync(dir, { recursive: true, force: true })
})
