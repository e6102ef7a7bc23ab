import { describe, expect, it } from 'vitest'
import { localCopyAction, localStoreName } from '../collab/localCopy.js'
import { reconnectDelay, samePresence, syncUrl } from '../collab/session.js'
import { ApiError, errorFromBody, MAX_TITLE_LENGTH } from './api.js'
import { connectionLabelKey, connectionState } from './connection.js'
import { formatBytes } from './format.js'
import { memoryStore } from './storage.js'
import { cleanTitle, decodeTextFile, titleFromBody, titleFromFileName, utf8Length } from './text.js'

describe('connection state', () => {
  it('prefers offline, then a refused document, then the provider status', () => {
    expect(connectionState({ status: 'connected', online: false, closed: false })).toBe('offline')
    expect(connectionState({ status: 'connecting', online: true, closed: true })).toBe(
      'disconnected',
    )
    expect(connectionState({ status: 'connecting', online: true, closed: false })).toBe(
      'connecting',
    )
    expect(connectionState({ status: 'connected', online: true, closed: false })).toBe('connected')
  })

  it('says "reconnecting" only after a connection was lost', () => {
    expect(connectionLabelKey('connecting', false)).toBe('connection.connecting')
    expect(connectionLabelKey('connecting', true)).toBe('connection.reconnecting')
    expect(connectionLabelKey('disconnected', true)).toBe('connection.reconnecting')
  })
})

describe('API errors', () => {
  it('reads the server error shape', () => {
    const error = errorFromBody(413, { error: { code: 'too_large', message: 'كبير جداً' } })
    expect(error).toBeInstanceOf(ApiError)
    expect([error.status, error.code, error.message]).toEqual([413, 'too_large', 'كبير جداً'])
  })

  it('tolerates other bodies', () => {
    expect(errorFromBody(502, 'Bad gateway').code).toBe('http_502')
    expect(errorFromBody(404, { error: 'nope' }).message).toBe('')
  })
})

describe('titles and text', () => {
  it('takes a title from the first line, cut at a word', () => {
    expect(titleFromBody('\n\n  عنوان الخبر  \nالنص')).toBe('عنوان الخبر')
    const long = 'كلمة '.repeat(40)
    const title = titleFromBody(long, 20)
    expect(title.endsWith('…')).toBe(true)
    expect(Array.from(title).length).toBeLessThanOrEqual(21)
  })

  it('caps titles at the server limit', () => {
    expect(Array.from(cleanTitle('ب'.repeat(500)))).toHaveLength(MAX_TITLE_LENGTH)
    expect(cleanTitle('  a \n b ')).toBe('a b')
  })

  it('turns file names into titles', () => {
    expect(titleFromFileName('تقرير_الأسبوع.txt')).toBe('تقرير الأسبوع')
    expect(titleFromFileName('notes')).toBe('notes')
  })

  it('decodes UTF-8 files, dropping a BOM and rejecting other encodings', () => {
    const bytes = new TextEncoder().encode('\uFEFFمرحبا')
    expect(decodeTextFile(bytes.buffer as ArrayBuffer)).toBe('مرحبا')
    expect(() => decodeTextFile(new Uint8Array([0xc7, 0xe1]).buffer)).toThrow()
  })

  it('counts bytes, not characters', () => {
    expect(utf8Length('ab')).toBe(2)
    expect(utf8Length('مر')).toBe(4)
  })

  it('formats sizes', () => {
    expect(formatBytes(2048, 'en')).toBe('2 kB')
    expect(formatBytes(2 * 1024 * 1024, 'en')).toBe('2 MB')
  })
})

describe('sync addresses', () => {
  it('uses the page host and a secure socket on https', () => {
    expect(syncUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/sync')
    expect(syncUrl({ protocol: 'https:', host: 'news.example' })).toBe('wss://news.example/sync')
    expect(localStoreName('layla', 'abc_1')).toBe('hashiya:layla:abc_1')
  })
})

describe('offline copy', () => {
  it('is kept offline, for a first visit and for the same server document', () => {
    const store = memoryStore({ 'hashiya.localCopy.layla.d1': '2026-01-01T00:00:00.000Z' })
    expect(localCopyAction(store, 'layla', 'd1', null)).toBe('keep')
    expect(localCopyAction(store, 'layla', 'd2', '2026-05-05T00:00:00.000Z')).toBe('keep')
    expect(localCopyAction(store, 'layla', 'd1', '2026-01-01T00:00:00.000Z')).toBe('keep')
  })

  it('is dropped when the server document was recreated under the same id', () => {
    const store = memoryStore({ 'hashiya.localCopy.layla.demo': '2026-01-01T00:00:00.000Z' })
    expect(localCopyAction(store, 'layla', 'demo', '2026-02-02T00:00:00.000Z')).toBe('clear')
  })
})

describe('reconnection jitter', () => {
  it('waits between half of the backoff step and all of it, so clients do not return in step', () => {
    expect(reconnectDelay(400, 0)).toBe(200)
    expect(reconnectDelay(400, 0.999)).toBe(400)
    const spread = new Set(Array.from({ length: 50 }, (_, i) => reconnectDelay(5000, i / 50)))
    expect(spread.size).toBe(50)
  })
})

describe('presence', () => {
  it('counts a caret moving as no change, and a name, colour or tab as one', () => {
    const entry = { id: 'u1', name: 'ليلى', color: '#0369a1', clientIds: [1], isSelf: true }
    expect(samePresence([entry], [{ ...entry, clientIds: [1] }])).toBe(true)
    expect(samePresence([entry], [{ ...entry, name: 'سامي' }])).toBe(false)
    expect(samePresence([entry], [{ ...entry, color: '#b91c1c' }])).toBe(false)
    expect(samePresence([entry], [{ ...entry, clientIds: [1, 2] }])).toBe(false)
    expect(samePresence([entry], [])).toBe(false)
  })
})
