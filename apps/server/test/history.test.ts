/**
 * The audit trail of a scripted multi-user session on the demo article, read
 * through the history API, across a restart.
 */

import {
  createAnnotation,
  deleteAnnotation,
  readAnnotations,
  updateAnnotation,
} from '@hashiya/annotations'
import { blocksOf } from '@hashiya/document'
import { type ServerProcess, startServerProcess, testAccounts, waitFor } from '@hashiya/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { connectStockClient, type StockClient, whenSynced } from './clients.js'

const DEMO = 'demo-musk-putin'
let s: ServerProcess
let first: ServerProcess
let leila: StockClient
let sami: StockClient

interface HistoryEvent {
  id: number
  userId: string
  action: string
  kind: string
  annotationId: string
  text: string
  at: string
}

/** Accounts on the current server, by name: editors, a viewer and a lead who reviews history. */
const accounts = testAccounts([
  ['leila', 'editor'],
  ['sami', 'editor'],
  ['omar', 'editor'],
  ['hala', 'editor'],
  ['observer', 'viewer'],
  ['lead', 'lead'],
])
const account = accounts.get

/** A stock client on the demo signed in as `name`. */
function connect(name: string): StockClient {
  return connectStockClient(s.wsUrl, DEMO, { token: account(name).token, userId: name })
}

async function get(path: string, as = 'lead') {
  const response = await fetch(`${s.url}/api/documents/${DEMO}${path}`, {
    headers: account(as).headers,
  })
  return { status: response.status, json: JSON.parse(await response.text()) }
}

function range(client: StockClient, phrase: string) {
  const text = client.paragraphs().join('\n\n')
  const index = text.indexOf(phrase)
  const start = Array.from(text.slice(0, index)).length
  return { start, end: start + Array.from(phrase).length }
}

/** Waits until the other client has everything this one has. */
async function settle() {
  await waitFor(
    () =>
      JSON.stringify(readAnnotations(leila.doc).annotations) ===
      JSON.stringify(readAnnotations(sami.doc).annotations),
    'both clients to agree',
  )
}

/** Compaction every few updates: every history read below runs over compacted documents. */
const COMPACTING = { env: { COMPACT_AFTER_UPDATES: '3' } }

beforeAll(async () => {
  s = await startServerProcess(COMPACTING)
  first = s
  await accounts.signIn(s.url)
  leila = connect('leila')
  sami = connect('sami')
  await Promise.all([whenSynced(leila), whenSynced(sami)])
})

afterAll(async () => {
  leila.destroy()
  sami.destroy()
  await s.stop()
  s.cleanup()
  first.cleanup()
})

describe('history API', () => {
  let claim = ''
  let denial = ''

  /** What the clients had after each step, and the version named right then. */
  const moments: { versionId: string; paragraphs: string[]; annotations: unknown }[] = []
  async function remember() {
    await settle()
    const response = await fetch(`${s.url}/api/documents/${DEMO}/versions`, {
      method: 'POST',
      headers: account('lead').headers,
      body: JSON.stringify({ name: `step ${moments.length}` }),
    })
    const { version } = JSON.parse(await response.text())
    moments.push({
      versionId: version.id,
      paragraphs: leila.paragraphs(),
      annotations: readAnnotations(leila.doc).annotations.map(({ id, kind, text, start, end }) => ({
        id,
        kind,
        text,
        start,
        end,
      })),
    })
  }

  it('lists exactly what each user did, newest first', async () => {
    claim = createAnnotation(leila.doc, {
      kind: 'claim',
      ...range(leila, 'بوتين طلب من ماسك'),
      author: 'leila',
    })
    await remember()
    denial = createAnnotation(sami.doc, {
      kind: 'denial',
      ...range(sami, 'ونفت روسيا'),
      author: 'sami',
    })
    await remember()
    updateAnnotation(sami.doc, denial, { link: [claim], speaker: 'روسيا' }, 'sami')
    await remember()
    updateAnnotation(leila.doc, claim, { kind: 'quote' }, 'leila')
    await remember()
    deleteAnnotation(sami.doc, denial)
    await remember()

    const { status, json } = await get('/history')
    expect(status).toBe(200)
    const events = json.events as HistoryEvent[]
    expect(
      events.map((e) => [e.userId, e.action, e.annotationId === claim ? 'claim' : 'denial']),
    ).toEqual([
      ['sami', 'deleted', 'denial'],
      ['leila', 'relation-removed', 'denial'],
      ['leila', 'kind-changed', 'claim'],
      ['sami', 'relation-added', 'denial'],
      ['sami', 'speaker-changed', 'denial'],
      ['sami', 'created', 'denial'],
      ['leila', 'created', 'claim'],
    ])
    expect(events.at(-1)?.text).toBe('بوتين طلب من ماسك')
    expect(Date.parse(events[0]?.at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(events.at(-1)?.at ?? ''),
    )
  })

  it('rebuilds the document at each version exactly as the clients had it', async () => {
    expect(moments).toHaveLength(5)
    for (const moment of moments) {
      const document = (await get(`?at=${moment.versionId}`)).json.document
      expect(document.paragraphs).toEqual(moment.paragraphs)
      const annotations = (await get(`/annotations?at=${moment.versionId}`)).json.annotations.map(
        ({ id, kind, text, start, end }: Record<string, unknown>) => ({
          id,
          kind,
          text,
          start,
          end,
        }),
      )
      expect(annotations).toEqual(moment.annotations)
    }
  })

  it('filters by user, kind and action, and pages with a cursor', async () => {
    const bySami = (await get('/history?user=sami')).json.events as HistoryEvent[]
    expect(new Set(bySami.map((e) => e.userId))).toEqual(new Set(['sami']))
    expect(bySami).toHaveLength(4)
    const created = (await get('/history?action=created&kind=denial')).json.events as HistoryEvent[]
    expect(created.map((e) => e.annotationId)).toEqual([denial])
    const page1 = (await get('/history?limit=3')).json
    const page2 = (await get(`/history?limit=3&cursor=${page1.nextCursor}`)).json
    const page3 = (await get(`/history?limit=3&cursor=${page2.nextCursor}`)).json
    expect(page3.nextCursor).toBeNull()
    const all = (await get('/history')).json.events as HistoryEvent[]
    expect([...page1.events, ...page2.events, ...page3.events]).toEqual(all)
    const future = (
      await get(`/history?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)
    ).json
    expect(future.events).toEqual([])
  })

  it('counts activity per user, kind and hour', async () => {
    const { json } = await get('/activity')
    expect(json.bucket).toBe('hour')
    expect(json.byUser).toEqual([
      { userId: 'leila', count: 3 },
      { userId: 'sami', count: 4 },
    ])
    expect(json.byKind.reduce((sum: number, k: { count: number }) => sum + k.count, 0)).toBe(7)
    expect(json.byTime.reduce((sum: number, b: { count: number }) => sum + b.count, 0)).toBe(7)
    // days start at the viewer's midnight: three hours east of UTC, 21:00 UTC
    const east = await get('/activity?bucket=day&utcOffset=180')
    for (const { start } of east.json.byTime) expect(start).toMatch(/T21:00:00\.000Z$/)
    const utc = await get('/activity?bucket=day')
    for (const { start } of utc.json.byTime) expect(start).toMatch(/T00:00:00\.000Z$/)
  })

  it('refuses bad filters with a clear message', async () => {
    for (const query of [
      'kind=rumour',
      'action=exploded',
      'from=yesterday',
      'limit=0',
      'cursor=-4',
      'bucket=week',
      'utcOffset=900',
      'utcOffset=east',
    ]) {
      const path = /^(bucket|utcOffset)/.test(query) ? `/activity?${query}` : `/history?${query}`
      const { status, json } = await get(path)
      expect(status, query).toBe(400)
      expect(json.error.code).toBe('invalid-query')
    }
    const missing = await fetch(`${s.url}/api/documents/missing-doc/history`, {
      headers: account('lead').headers,
    })
    expect(missing.status).toBe(404)
    // History is for leads and administrators: an editor of the document may not read it.
    expect((await get('/history', 'leila')).status).toBe(403)
    expect((await get('/activity', 'leila')).status).toBe(403)
  })

  it('keeps the trail across a restart without recording anything twice', async () => {
    const before = (await get('/history')).json.events
    leila.provider.disconnect()
    sami.provider.disconnect()
    await s.stop()
    s = await startServerProcess({ ...COMPACTING, dataDir: first.dataDir })
    await accounts.signIn(s.url)
    expect((await get('/history')).json.events).toEqual(before)
  })
})

describe('versions and time travel', () => {
  it('names a version, lists it, and reads the document and annotations as they were', async () => {
    const client = connect('omar')
    try {
      await whenSynced(client)
      const named = await fetch(`${s.url}/api/documents/${DEMO}/versions`, {
        method: 'POST',
        headers: account('lead').headers,
        body: JSON.stringify({ name: 'قبل المراجعة' }),
      })
      expect(named.status).toBe(201)
      const version = JSON.parse(await named.text()).version
      expect(version).toMatchObject({
        id: expect.stringMatching(/^v\d+$/),
        name: 'قبل المراجعة',
        createdBy: 'lead',
        auto: false,
      })
      const before = (await get('/annotations')).json.annotations
      const paragraphsBefore = (await get('')).json.document.paragraphs

      const aside = createAnnotation(client.doc, {
        kind: 'aside',
        ...range(client, 'صورة مركبة'),
        author: 'omar',
      })
      const first = blocksOf(client.doc)[0] as Y.XmlElement
      ;(first.get(0) as Y.XmlText).insert(0, 'عاجل: ')
      await waitFor(
        async () => (await get('/annotations')).json.annotations.length === before.length + 1,
        'the tag to be stored',
      )

      const then = (await get(`/annotations?at=${version.id}`)).json
      expect(then.annotations).toEqual(before)
      expect(then.at.seq).toBe(version.seq)
      const thenDocument = (await get(`?at=${version.id}`)).json.document
      expect(thenDocument.paragraphs).toEqual(paragraphsBefore)
      const now = (await get('')).json.document
      expect(now.paragraphs[0]).toMatch(/^عاجل: /)
      expect(now.at).toBeNull()
      expect(
        (await get('/annotations')).json.annotations.map((a: { id: string }) => a.id),
      ).toContain(aside)

      const listed = (await get('/versions')).json.versions
      expect(listed[0]).toMatchObject({ id: version.id, name: 'قبل المراجعة' })
      expect((await get('/annotations?at=v999')).status).toBe(404)
      // not a point at all is a bad request; a point that is not there, not found
      expect((await get('?at=someday')).status).toBe(400)
      const invalid = await fetch(`${s.url}/api/documents/${DEMO}/versions`, {
        method: 'POST',
        headers: account('lead').headers,
        body: '{"name":""}',
      })
      expect(invalid.status).toBe(422)
    } finally {
      client.destroy()
    }
  })
})

describe('diff and restore', () => {
  it('diffs two versions with users, and restores a past one as a recorded change', async () => {
    const writer = connect('hala')
    // A viewer: connected read-only, it still receives every change.
    const observer = connect('observer')
    try {
      await Promise.all([whenSynced(writer), whenSynced(observer)])
      const post = async (path: string, body: unknown, user = 'lead') => {
        const response = await fetch(`${s.url}/api/documents/${DEMO}${path}`, {
          method: 'POST',
          headers: account(user).headers,
          body: JSON.stringify(body),
        })
        return { status: response.status, json: JSON.parse(await response.text()) }
      }
      const base = (await post('/versions', { name: 'الأساس' })).json.version
      const before = (await get('')).json.document.paragraphs as string[]
      const annotationsBefore = (await get('/annotations')).json.annotations

      const second = blocksOf(writer.doc)[2] as Y.XmlElement
      ;(second.get(0) as Y.XmlText).insert(0, 'خطأ فادح ')
      const tag = createAnnotation(writer.doc, {
        kind: 'claim',
        ...range(writer, 'خطأ فادح'),
        author: 'hala',
      })
      await waitFor(
        async () =>
          (await get('/annotations')).json.annotations.some((a: { id: string }) => a.id === tag),
        'stored',
      )

      const diff = (await get(`/diff?from=${base.id}`)).json
      expect(diff.from.seq).toBe(base.seq)
      const changed = diff.paragraphs.filter((p: { pieces: { change: string }[] }) =>
        p.pieces.some((piece) => piece.change !== 'equal'),
      )
      expect(changed).toHaveLength(1)
      expect(changed[0].pieces[0]).toEqual({ change: 'insert', text: 'خطأ فادح ', userId: 'hala' })
      expect(diff.annotations).toEqual([
        expect.objectContaining({ action: 'created', annotationId: tag, kind: 'claim' }),
      ])
      expect((await get('/diff')).status).toBe(400)
      expect((await get('/diff?from=v12345')).status).toBe(404)

      const restored = await post('/restore', { at: base.id })
      expect(restored.status).toBe(201)
      expect(restored.json.version.name).toBe(`restore:${base.id}`)
      expect((await get('')).json.document.paragraphs).toEqual(before)
      expect((await get('/annotations')).json.annotations).toEqual(annotationsBefore)
      // live editors receive the restore like any edit
      await waitFor(() => observer.paragraphs()[2] === before[2], 'the observer to see the restore')
      expect(readAnnotations(observer.doc).annotations.some((a) => a.id === tag)).toBe(false)
      // it is history too: the lead's restore removed hala's tag
      const events = (await get('/history?user=lead')).json.events as HistoryEvent[]
      expect(events).toEqual([expect.objectContaining({ action: 'deleted', annotationId: tag })])
      const versions = (await get('/versions')).json.versions
      expect(versions[0]).toMatchObject({ name: `restore:${base.id}`, createdBy: 'lead' })
      // diffed against the version it restored, nothing is left over
      const back = (await get(`/diff?from=${base.id}&to=${versions[0].id}`)).json
      const pieces = back.paragraphs.flatMap((p: { pieces: { change: string }[] }) => p.pieces)
      expect(pieces.every((piece: { change: string }) => piece.change === 'equal')).toBe(true)
      expect(back.annotations).toEqual([])
      expect((await post('/restore', { at: 'nonsense' })).status).toBe(400)
      expect((await post('/restore', { at: 'v12345' })).status).toBe(404)
      // only a restore is named as one
      const spoof = await post('/versions', { name: `restore:${base.id}` })
      expect(spoof.status).toBe(422)
      expect(spoof.json.error.message).toMatch(/kept for restores/)
      expect((await post('/restore', {})).status).toBe(422)
    } finally {
      writer.destroy()
      observer.destroy()
    }
  })
})
