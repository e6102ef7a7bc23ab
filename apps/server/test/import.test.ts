/**
 * Importing over HTTP: a multipart upload becomes a document, with a report;
 * a bad file creates nothing.
 */
import { readDemoArticle } from '@hashiya/fixtures'
import { type ServerProcess, startServerProcess } from '@hashiya/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const DEMO = 'demo-musk-putin'
let s: ServerProcess

beforeAll(async () => {
  s = await startServerProcess({ env: { MAX_BODY_BYTES: String(256 * 1024) } })
})

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
  const response = await fetch(`${s.url}/api/documents/import`, { method: 'POST', body: form })
  return { status: response.status, json: JSON.parse(await response.text()) }
}

const documentCount = async () =>
  (JSON.parse(await (await fetch(`${s.url}/api/documents`)).text()).documents as unknown[]).length

describe('import API', () => {
  it('imports a plain-text article', async () => {
    const { status, json } = await upload({
      file: ['تقرير-عاجل.txt', 'السطر الأول\n\nالسطر الثاني'],
    })
    expect(status).toBe(201)
    expect(json.document.title).toBe('تقرير عاجل')
    expect(json.report).toEqual({ format: 'txt', paragraphs: 2, annotations: 0, dropped: [] })
    const read = JSON.parse(
      await (await fetch(`${s.url}/api/documents/${json.document.id}`)).text(),
    )
    expect(read.document.paragraphs).toEqual(['السطر الأول', 'السطر الثاني'])
  })

  it('round-trips the annotated demo through its native JSON export', async () => {
    const text = readDemoArticle().paragraphs.join('\n\n')
    const phrase = 'بوتين طلب من ماسك عدم توفير خدمة ستارلينك'
    const start = Array.from(text.slice(0, text.indexOf(phrase))).length
    await fetch(`${s.url}/api/documents/${DEMO}/annotations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hashiya-user': 'leila' },
      body: JSON.stringify({
        kind: 'claim',
        start,
        end: start + Array.from(phrase).length,
        note: 'من التقرير',
      }),
    })
    const exported = await (await fetch(`${s.url}/api/documents/${DEMO}/export?format=json`)).text()
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
    const original = JSON.parse(
      await (await fetch(`${s.url}/api/documents/${DEMO}/annotations`)).text(),
    )
    const imported = JSON.parse(
      await (await fetch(`${s.url}/api/documents/${json.document.id}/annotations`)).text(),
    )
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
      body: '{}',
    })
    expect(notMultipart.status).toBe(415)
    expect(await documentCount()).toBe(before)
  })
})
