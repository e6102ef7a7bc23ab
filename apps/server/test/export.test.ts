/**
 * Exports over HTTP: every format of the demo article, a past version, and a
 * batch of documents as one zip.
 */
import { readDemoArticle } from '@hashiya/fixtures'
import {
  type ServerProcess,
  startServerProcess,
  type TestAccount,
  testAccount,
} from '@hashiya/testing'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const DEMO = 'demo-musk-putin'
let s: ServerProcess
/** Exporting is for leads and administrators. */
let exporter: TestAccount
const text = readDemoArticle().paragraphs.join('\n\n')

function range(phrase: string) {
  const index = text.indexOf(phrase)
  const start = Array.from(text.slice(0, index)).length
  return { start, end: start + Array.from(phrase).length }
}

async function post(path: string, body: unknown, account = exporter) {
  const response = await fetch(`${s.url}${path}`, {
    method: 'POST',
    headers: account.headers,
    body: JSON.stringify(body),
  })
  return { status: response.status, json: JSON.parse(await response.text()) }
}

/** A GET as the exporter. */
const get = (path: string, account = exporter) =>
  fetch(`${s.url}${path}`, { headers: account.headers })

beforeAll(async () => {
  s = await startServerProcess()
  exporter = await testAccount(s.url, 'exporter', 'lead', 'منى الحسن')
  await post(`/api/documents/${DEMO}/annotations`, {
    kind: 'claim',
    ...range('بوتين طلب من ماسك عدم توفير خدمة ستارلينك'),
  })
  await post(`/api/documents/${DEMO}/versions`, { name: 'claim only' })
  await post(`/api/documents/${DEMO}/annotations`, {
    kind: 'quote',
    ...range('لا أعرف ما إذا كانت هذه القصة صحيحة'),
    speaker: 'بيل نيلسون',
    note: '<script>alert(1)</script>',
  })
})

afterAll(async () => {
  await s.stop()
  s.cleanup()
})

describe('export API', () => {
  it('serves every format with its type and an Arabic download name', async () => {
    const expected: Record<string, RegExp> = {
      json: /application\/json/,
      w3c: /application\/ld\+json/,
      html: /text\/html/,
      csv: /text\/csv/,
      brat: /application\/zip/,
      labelstudio: /application\/json/,
      'labelstudio-config': /application\/xml/,
    }
    for (const [format, type] of Object.entries(expected)) {
      const response = await get(`/api/documents/${DEMO}/export?format=${format}`)
      expect(response.status, format).toBe(200)
      expect(response.headers.get('content-type')).toMatch(type)
      const disposition = response.headers.get('content-disposition') ?? ''
      expect(disposition).toMatch(/^attachment; filename="[ -~]+"; filename\*=UTF-8''/)
      expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toMatch(
        /[\u0600-\u06ff]|label-studio/,
      )
    }
  })

  it('exports native JSON whose offsets slice the text, and a past version without the later tag', async () => {
    const now = JSON.parse(await (await get(`/api/documents/${DEMO}/export?format=json`)).text())
    expect(now.annotations.map((a: { kind: string }) => a.kind).sort()).toEqual(['claim', 'quote'])
    for (const a of now.annotations) {
      expect(
        Array.from(now.document.text as string)
          .slice(a.start, a.end)
          .join(''),
      ).toBe(a.text)
    }
    const then = JSON.parse(
      await (await get(`/api/documents/${DEMO}/export?format=json&at=v1`)).text(),
    )
    expect(then.annotations.map((a: { kind: string }) => a.kind)).toEqual(['claim'])
    expect(then.document.version.seq).toBeGreaterThan(1)
  })

  it('names who tagged by the display name their account has now', async () => {
    const csv = await (await get(`/api/documents/${DEMO}/export?format=csv`)).text()
    const [header, row] = csv.replace('\uFEFF', '').split('\r\n')
    const columns = header?.split(',') ?? []
    const cells = row?.split(',') ?? []
    expect(cells[columns.indexOf('author')]).toBe('exporter')
    expect(cells[columns.indexOf('author_name')]).toBe('منى الحسن')
    const w3c = JSON.parse(await (await get(`/api/documents/${DEMO}/export?format=w3c`)).text())
    expect(w3c.first.items[0].creator).toMatchObject({ nickname: 'exporter', name: 'منى الحسن' })
  })

  it('keeps a hostile note inert in HTML', async () => {
    const html = await (await get(`/api/documents/${DEMO}/export?format=html`)).text()
    expect(html).not.toMatch(/<script/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('exports several documents as one zip', async () => {
    const other = await post('/api/documents', { title: 'خبر آخر', body: 'سطر واحد' })
    const response = await fetch(`${s.url}/api/export`, {
      method: 'POST',
      headers: exporter.headers,
      body: JSON.stringify({ format: 'csv', ids: [DEMO, other.json.document.id] }),
    })
    expect(response.status).toBe(200)
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()))
    const names = Object.keys(files)
    expect(names).toHaveLength(2)
    expect(names.some((n) => n.startsWith('خبر-آخر'))).toBe(true)
    expect(
      strFromU8(files[names.find((n) => n.includes('ماسك')) as string] as Uint8Array),
    ).toContain('بيل نيلسون')
  })

  it('refuses unknown formats, documents and versions clearly', async () => {
    expect((await get(`/api/documents/${DEMO}/export?format=pdf`)).status).toBe(400)
    expect((await get(`/api/documents/nope/export?format=json`)).status).toBe(404)
    expect((await get(`/api/documents/${DEMO}/export?format=json&at=v77`)).status).toBe(404)
    const batch = await post('/api/export', { format: 'json', ids: [DEMO, 'missing-doc'] })
    expect(batch.status).toBe(404)
    expect((await post('/api/export', { format: 'json', ids: [] })).status).toBe(422)
  })

  it('refuses an editor who may edit the document but not export it', async () => {
    const editor = await testAccount(s.url, 'writer', 'editor')
    expect((await get(`/api/documents/${DEMO}`, editor)).status).toBe(200)
    const single = await get(`/api/documents/${DEMO}/export?format=json`, editor)
    expect(single.status).toBe(403)
    const batch = await post('/api/export', { format: 'json', ids: [DEMO] }, editor)
    expect(batch.status).toBe(403)
    expect(batch.json.error.code).toBe('forbidden')
  })
})
