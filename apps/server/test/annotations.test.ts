/**
 * The annotations API on a real server, with a stock client editing the same
 * document: what the API writes reaches live editors, and what a faulty client
 * writes is ignored and reported.
 */
import { readAnnotations } from '@hashiya/annotations'
import { type ServerProcess, startServerProcess, testAccounts, waitFor } from '@hashiya/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectStockClient, type StockClient, whenSynced } from './clients.js'

const DEMO = 'demo-musk-putin'
let s: ServerProcess
/** Owns the temporary data directory the restarted server reuses. */
let first: ServerProcess
let live: StockClient
let text: string

/** Accounts on the current server, by name: editors, a lead and a viewer. */
const accounts = testAccounts([
  ['editor-1', 'editor'],
  ['api-user', 'editor'],
  ['lead-1', 'lead'],
  ['onlooker', 'viewer'],
])
const account = accounts.get

beforeAll(async () => {
  s = await startServerProcess()
  first = s
  await accounts.signIn(s.url)
  live = connectStockClient(s.wsUrl, DEMO, { token: account('editor-1').token, userId: 'editor-1' })
  await whenSynced(live)
  text = live.paragraphs().join('\n\n')
})

afterAll(async () => {
  live.destroy()
  await s.stop()
  s.cleanup()
  first.cleanup()
})

async function api(method: string, path: string, body?: unknown, user = 'api-user') {
  const response = await fetch(`${s.url}/api/documents/${DEMO}/annotations${path}`, {
    method,
    headers: account(user).headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const raw = await response.text()
  return { status: response.status, json: raw ? JSON.parse(raw) : null }
}

/** Code-point range of a phrase in the demo text. */
function range(phrase: string) {
  const index = text.indexOf(phrase)
  expect(index).toBeGreaterThanOrEqual(0)
  const start = Array.from(text.slice(0, index)).length
  return { start, end: start + Array.from(phrase).length }
}

describe('annotations API', () => {
  let claimId: string
  let denialId: string

  it('creates an annotation from code-point offsets and live editors see it', async () => {
    const created = await api('POST', '', {
      kind: 'claim',
      ...range('بوتين طلب من ماسك عدم توفير خدمة ستارلينك'),
      note: 'ادعاء منسوب لمسؤولين',
    })
    expect(created.status).toBe(201)
    expect(created.json.annotation).toMatchObject({
      kind: 'claim',
      text: 'بوتين طلب من ماسك عدم توفير خدمة ستارلينك',
      author: 'api-user',
      note: 'ادعاء منسوب لمسؤولين',
    })
    claimId = created.json.annotation.id
    await waitFor(
      () => readAnnotations(live.doc).annotations.some((a) => a.id === claimId),
      'the live editor to receive the annotation',
    )
  })

  it('lists annotations in document order with offsets that slice the text', async () => {
    const denial = await api('POST', '', {
      kind: 'denial',
      ...range('ونفت روسيا وجود محادثات'),
      speaker: 'روسيا',
    })
    denialId = denial.json.annotation.id
    const { status, json } = await api('GET', '')
    expect(status).toBe(200)
    expect(json.annotations.map((a: { id: string }) => a.id)).toEqual([claimId, denialId])
    for (const annotation of json.annotations) {
      expect(Array.from(text).slice(annotation.start, annotation.end).join('')).toBe(
        annotation.text,
      )
    }
    expect(json.ignored).toEqual([])
  })

  it('patches kind, note, speaker and links, recording who changed it', async () => {
    const linked = await api(
      'PATCH',
      `/${denialId}`,
      { link: [claimId], note: 'نفي رسمي' },
      'lead-1',
    )
    expect(linked.status).toBe(200)
    expect(linked.json.annotation).toMatchObject({
      relations: [{ type: 'denies', target: claimId }],
      note: 'نفي رسمي',
      updatedBy: 'lead-1',
      author: 'api-user',
    })
    const unlinked = await api('PATCH', `/${denialId}`, { unlink: [claimId], speaker: 'الكرملين' })
    expect(unlinked.json.annotation).toMatchObject({ relations: [], speaker: 'الكرملين' })
    await waitFor(
      () =>
        readAnnotations(live.doc).annotations.find((a) => a.id === denialId)?.speaker ===
        'الكرملين',
      'the live editor to see the new speaker',
    )
  })

  it('deletes an annotation for everyone', async () => {
    const aside = await api('POST', '', { kind: 'aside', ...range('صورة مركبة') })
    const id = aside.json.annotation.id
    expect((await api('DELETE', `/${id}`)).status).toBe(204)
    expect((await api('DELETE', `/${id}`)).status).toBe(404)
    await waitFor(
      () => !readAnnotations(live.doc).annotations.some((a) => a.id === id),
      'the live editor to drop it',
    )
  })

  it.each([
    [
      'an unknown kind',
      'POST',
      '',
      { kind: 'rumour', start: 0, end: 4 },
      422,
      'invalid-annotation',
    ],
    ['an empty range', 'POST', '', { kind: 'claim', start: 5, end: 5 }, 422, 'empty-range'],
    [
      'a range past the text',
      'POST',
      '',
      { kind: 'claim', start: 0, end: 10_000_000 },
      422,
      'invalid-range',
    ],
    [
      'a negative offset',
      'POST',
      '',
      { kind: 'claim', start: -1, end: 4 },
      422,
      'invalid-annotation',
    ],
    [
      'fractional offsets',
      'POST',
      '',
      { kind: 'claim', start: 1.5, end: 4 },
      422,
      'invalid-annotation',
    ],
    [
      'an unknown field',
      'POST',
      '',
      { kind: 'claim', start: 0, end: 4, colour: 'red' },
      422,
      'invalid-annotation',
    ],
    ['malformed JSON', 'POST', '', '{"kind":', 400, 'malformed-json'],
    ['an unknown annotation', 'PATCH', '/nope', { note: 'x' }, 404, 'annotation-not-found'],
    ['an invalid annotation id', 'PATCH', '/bad%20id', { note: 'x' }, 400, 'invalid-id'],
    [
      'a note too long',
      'PATCH',
      '/whatever',
      { note: 'ن'.repeat(5001) },
      422,
      'invalid-annotation',
    ],
  ] as const)('refuses %s', async (_name, method, path, body, status, code) => {
    const { status: actual, json } = await api(method, path, body)
    expect(actual).toBe(status)
    expect(json.error.code).toBe(code)
    expect(json.error.message).toMatch(/\w/)
  })

  it('refuses to link a claim to a claim, changing nothing', async () => {
    const other = await api('POST', '', {
      kind: 'claim',
      ...range('قد تكون مثل هذه المخاوف مبررة'),
    })
    const before = (await api('GET', '')).json
    const refused = await api('PATCH', `/${other.json.annotation.id}`, {
      link: [claimId],
      note: 'x',
    })
    expect(refused.status).toBe(422)
    expect(refused.json.error.code).toBe('invalid-relation')
    expect((await api('GET', '')).json).toEqual(before)
  })

  it('answers 404 for an unknown document', async () => {
    const headers = account('api-user').headers
    const response = await fetch(`${s.url}/api/documents/nothing-here/annotations`, { headers })
    expect(response.status).toBe(404)
    const created = await fetch(`${s.url}/api/documents/nothing-here/annotations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ kind: 'claim', start: 0, end: 1 }),
    })
    expect(created.status).toBe(404)
  })

  it('lets a viewer read annotations but not change them', async () => {
    const before = (await api('GET', '')).json
    expect((await api('GET', '', undefined, 'onlooker')).json).toEqual(before)
    const refused = [
      await api('POST', '', { kind: 'claim', ...range('صورة مركبة') }, 'onlooker'),
      await api('PATCH', `/${claimId}`, { note: 'x' }, 'onlooker'),
      await api('DELETE', `/${claimId}`, undefined, 'onlooker'),
    ]
    expect(refused.map((r) => [r.status, r.json.error.code])).toEqual([
      [403, 'forbidden'],
      [403, 'forbidden'],
      [403, 'forbidden'],
    ])
    expect((await api('GET', '')).json).toEqual(before)
  })

  it('ignores and reports entries a faulty client writes, and keeps serving', async () => {
    const entries = live.doc.getMap('annotations')
    live.doc.transact(() => {
      const bad = new Y.Map<unknown>()
      bad.set('kind', 'rumour')
      bad.set('author', 42)
      entries.set('faulty1', bad)
      entries.set('faulty2', 'not even a map')
    })
    await waitFor(
      async () => (await api('GET', '')).json.ignored.length === 2,
      'the server to see it',
    )
    const { json } = await api('GET', '')
    expect(json.ignored.map((p: { annotationId: string }) => p.annotationId).sort()).toEqual([
      'faulty1',
      'faulty2',
    ])
    expect(json.annotations.map((a: { id: string }) => a.id)).toContain(claimId)
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200)
    await waitFor(
      () => s.output().includes('ignoring invalid annotation entries'),
      'the warning in the log',
    )
  })

  it('keeps API changes across a restart, attributed in the update log', async () => {
    await s.stop()
    s = await startServerProcess({ dataDir: s.dataDir })
    await accounts.signIn(s.url)
    const { json } = await api('GET', '')
    expect(json.annotations.map((a: { id: string }) => a.id)).toContain(denialId)
    expect(json.annotations.find((a: { id: string }) => a.id === denialId).updatedBy).toBe(
      'api-user',
    )
  })
})
