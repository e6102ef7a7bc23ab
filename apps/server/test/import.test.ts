/**
 * Importing over HTTP: a multipart upload becomes a document, with a report;
 * a bad file creates nothing.
 */
import { readDemoArticle } from '@hashiya/fixtures'
import {
  type ServerProcess,
  startServerProcess,
  type TestAccount,
  testAccount,
} from '@hashiya/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const DEMO = 'demo-musk-putin'
let s: ServerProcess
/** An editor imports (and owns what it imports); a lead exports. */
let leila: TestAccount
let lead: TestAccount

beforeAll(async () => {
  s = await startServerProcess({ env: { MAX_BODY_BYTES: String(256 * 1024) } })
  leila = await testAccount(s.url, 'leila', 'editor')
  lead = await testAccount(s.url, 'lead', 'lead')
})

/** A GET as `account` (leila by default). */
const get = async (path: string, account = leila) =>
  (await fetch(`${s.url}${path}`, { headers: account.headers })).text()

/** Only the bearer token: a multipart upload sets its own content type. */
const authorization = () => ({ authorization: `Bearer ${leila.token}` })

afterAll(async () => {
  await s.stop()
  s.cleanup()
})

async function upload(
  files: Record<string, [string, string | Uint8Array]>,
  fields: Record<string, string> = {},
) {
  const form = new FormData()
  for (const [field, [name, content]] of Object.entries(files))
    form.append(field, new File([content], name))
  for (const [field, value] of Object.entries(fields)) form.append(field, value)
  const response = await fetch(`${s.url}/api/documents/import`, {
    method: 'POST',
    headers: authorization(),
    body: form,
  })
  return { status: response.status, json: JSON.parse(await response.text()) }
}

const documentCount = async () =>
  (JSON.parse(await get('/api/documents')).documents as unknown[]).length

describe('import API', () => {
  it('imports a plain-text article', async () => {
    const { status, json } = await upload({
      file: ['تقرير-عاجل.txt', 'السطر الأول\n\nالسطر الثاني'],
    })
    expect(status).toBe(201)
    expect(json.document.title).toBe('تقرير عاجل')
    expect(json.report).toEqual({ format: 'txt', paragraphs: 2, annotations: 0, dropped: [] })
    expect(json.document.permission).toBe('manage')
    const read = JSON.parse(await get(`/api/documents/${json.document.id}`))
    expect(read.document.paragraphs).toEqual(['السطر الأول', 'السطر الثاني'])
  })

  it('round-trips the annotated demo through its native JSON export', async () => {
    const text = readDemoArticle().paragraphs.join('\n\n')
    const phrase = 'بوتين طلب من ماسك عدم توفير خدمة ستارلينك'
    const start = Array.from(text.slice(0, text.indexOf(phrase))).length
    await fetch(`${s.url}/api/documents/${DEMO}/annotations`, {
      method: 'POST',
      headers: leila.headers,
      body: JSON.stringify({
        kind: 'claim',
        start,
        end: start + Array.from(phrase).length,
        note: 'من التقرير',
      }),
    })
    const exported = await get(`/api/documents/${DEMO}/export?format=json`, lead)
    const { status, json } = await upload(
      { file: ['demo.hashiya.json', exported] },
      { title: 'نسخة مستوردة' },
    )
    expect(status).toBe(201)
    expect(json.document.title).toBe('نسخة مستوردة')
    expect(json.report.annotations).toBe(1)
    const pick = ({
      id,
      kind,
      start,
      end,
      text,
      note,
      author,
      createdAt,
    }: Record<string, unknown>) => ({
      id,
      kind,
      start,
      end,
      text,
      note,
      author,
      createdAt,
    })
    const original = JSON.parse(await get(`/api/documents/${DEMO}/annotations`))
    const imported = JSON.parse(await get(`/api/documents/${json.document.id}/annotations`))
    expect(imported.annotations.map(pick)).toEqual(original.annotations.map(pick))
  })

  it('creates nothing from a bad upload and says why', async () => {
    const before = await documentCount()
    const cases: [Parameters<typeof upload>[0], number, string][] = [
      [
        { file: ['broken.json', '{"format": "hashiya-annotated-document", '] },
        422,
        'import-failed',
      ],
      [{ file: ['fake.docx', 'not a zip at all'] }, 422, 'import-failed'],
      [{ file: ['image.png', 'x'] }, 422, 'import-failed'],
      [{ other: ['a.txt', 'x'] }, 400, 'missing-file'],
      [{ file: ['huge.txt', 'ن'.repeat(300 * 1024)] }, 413, 'body-too-large'],
    ]
    for (const [files, status, code] of cases) {
      const result = await upload(files)
      expect(result.status, code).toBe(status)
      expect(result.json.error.code).toBe(code)
      expect(result.json.error.message).toMatch(/\w/)
    }
    const notMultipart = await fetch(`${s.url}/api/documents/import`, {
      method: 'POST',
      headers: authorization(),
      body: '{}',
    })
    expect(notMultipart.status).toBe(415)
    expect(await documentCount()).toBe(before)
  })

  it('refuses an import from a viewer, who may not create documents', async () => {
    const viewer = await testAccount(s.url, 'reader', 'viewer')
    const form = new FormData()
    form.append('file', new File(['سطر'], 'a.txt'))
    const response = await fetch(`${s.url}/api/documents/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer.token}` },
      body: form,
    })
    expect(response.status).toBe(403)
  })
})
