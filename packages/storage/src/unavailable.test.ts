import Database from 'better-sqlite3'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { isStorageUnavailable } from './index.js'

describe('isStorageUnavailable', () => {
  it('recognizes a database that cannot be reached', async () => {
    // nothing listens on port 1: a real refused connection, as node-postgres reports it
    const client = new pg.Client({ host: '127.0.0.1', port: 1, user: 'postgres' })
    const error = await client.connect().then(
      () => null,
      (failure: unknown) => failure,
    )
    expect(error).toBeInstanceOf(Error)
    expect(isStorageUnavailable(error)).toBe(true)
  })

  it('recognizes lost connections, shutdowns and a busy or failing disk', () => {
    const withCode = (code: string) => Object.assign(new Error('x'), { code })
    expect(isStorageUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isStorageUnavailable(withCode('57P01'))).toBe(true)
    expect(isStorageUnavailable(withCode('08006'))).toBe(true)
    expect(isStorageUnavailable(withCode('SQLITE_BUSY'))).toBe(true)
    expect(isStorageUnavailable(withCode('SQLITE_IOERR_WRITE'))).toBe(true)
    expect(isStorageUnavailable(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true)
  })

  it('leaves bugs and bad data as they are', () => {
    const db = new Database(':memory:')
    let error: unknown = null
    try {
      db.prepare('SELECT * FROM no_such_table').all()
    } catch (failure) {
      error = failure
    }
    db.close()
    expect(error).toBeInstanceOf(Error)
    expect(isStorageUnavailable(error)).toBe(false)
    // unique violation, syntax error
    expect(isStorageUnavailable(Object.assign(new Error('duplicate'), { code: '23505' }))).toBe(
      false,
    )
    expect(isStorageUnavailable(Object.assign(new Error('syntax'), { code: '42601' }))).toBe(false)
    expect(isStorageUnavailable(new TypeError('undefined is not a function'))).toBe(false)
    expect(isStorageUnavailable('a string')).toBe(false)
  })
})
