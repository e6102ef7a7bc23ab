/**
 * The REST API and start-up behaviour of a real server process.
 */
import { spawnSync } from 'node:child_process'
import { readDemoArticle } from '@hashiya/fixtures'
import {
  adminAccount,
  SERVER_ENTRY,
  type ServerProcess,
  startServerProcess,
  type TestAccount,
  testAccount,
} from '@hashiya/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

let s: ServerProcess
/** An editor: sees the demo (shared with everyone) and owns what it creates. */
let reporter: TestAccount

beforeAll(async () => {
  s = await startServerProcess({ env: { MAX_BODY_BYTES: String(64 * 1024) } })
  reporter = await testAccount(s.url, 'reporter', 'editor')
})

afterAll(async () => {
  await s.stop()
  s.cleanup()
})

async function api(method: string, path: string, body?: string, account = reporter) {
  const response = await fetch(`${s.url}${path}`, {
    method,
    body,
    headers: account.headers,
  })
  const text = await response.text()
  return { status: response.status, json: text ? JSON.parse(text) : null }
}

describe('documents API', () => {
  it('lists the demo document on first start', async () => {
    const { status, json } = await api('GET', '/api/documents')
    expect(status).toBe(200)
    expect(json.documents).toHaveLength(1)
    expect(json.documents[0]).toMatchObject({
      id: 'demo-musk-putin',
      title: readDemoArticle().title,
      permission: 'edit',
    })
    expect(json.documents[0].size).toBeGreaterThan(1000)
    const demo = await api('GET', '/api/documents/demo-musk-putin')
    expect(demo.json.document.paragraphs).toEqual(readDemoArticle().paragraphs)
  })

  it('creates a document from plain text, one paragraph per non-empty line', async () => {
    const created = await api(
      'POST',
      '/api/documents',
      JSON.stringify({ title: '  خبر عاجل  ', body: 'السطر الأول\r\n\r\n  السطر الثاني  \n\n' }),
    )
    expect(created.status).toBe(201)
    expect(created.json.document.title).toBe('خبر عاجل')
    expect(created.json.document.permission).toBe('manage')
    const id = created.json.document.id as string
    const read = await api('GET', `/api/documents/${id}`)
    expect(read.json.document.paragraphs).toEqual(['السطر الأول', 'السطر الثاني'])
    expect(Date.parse(read.json.document.createdAt)).not.toBeNaN()

    const renamed = await api(
      'PATCH',
      `/api/documents/${id}`,
      JSON.stringify({ title: 'عنوان آخر' }),
    )
    expect(renamed.status).toBe(200)
    expect(renamed.json.document.title).toBe('عنوان آخر')
    const listed = await api('GET', '/api/documents')
    expect(listed.json.documents.map((d: { id: string }) => d.id)).toContain(id)

    expect((await api('DELETE', `/api/documents/${id}`)).status).toBe(204)
    expect((await api('GET', `/api/documents/${id}`)).status).toBe(404)
    expect((await api('DELETE', `/api/documents/${id}`)).status).toBe(404)
  })

  it.each([
    ['malformed JSON', 'POST', '/api/documents', '{"title": "x", ', 400, 'malformed-json'],
    ['an empty body', 'POST', '/api/documents', '', 400, 'empty-body'],
    ['a missing body field', 'POST', '/api/documents', '{"title":"x"}', 422, 'invalid-document'],
    [
      'an empty title',
      'POST',
      '/api/documents',
      '{"title":" ","body":"x"}',
      422,
      'invalid-document',
    ],
    [
      'a title too long',
      'POST',
      '/api/documents',
      JSON.stringify({ title: 'ح'.repeat(201), body: 'x' }),
      422,
      'invalid-document',
    ],
    [
      'text with no line',
      'POST',
      '/api/documents',
      '{"title":"x","body":" \\n\\n "}',
      422,
      'empty-document',
    ],
    ['a JSON array', 'POST', '/api/documents', '[1,2]', 422, 'invalid-document'],
    [
      'an oversized body',
      'POST',
      '/api/documents',
      JSON.stringify({ title: 'x', body: 'ب'.repeat(70_000) }),
      413,
      'body-too-large',
    ],
    ['an unknown id', 'GET', '/api/documents/does-not-exist', undefined, 404, 'document-not-found'],
    ['an invalid id', 'GET', '/api/documents/bad%20id!', undefined, 400, 'invalid-id'],
    [
      'renaming an unknown id',
      'PATCH',
      '/api/documents/nope',
      '{"title":"x"}',
      404,
      'document-not-found',
    ],
    ['an unknown route', 'GET', '/api/nothing-here', undefined, 404, 'not-found'],
  ] as const)(
    'answers %s with a clear JSON error',
    async (_name, method, path, body, status, code) => {
      const { status: actual, json } = await api(method, path, body)
      expect(actual).toBe(status)
      expect(json.error.code).toBe(code)
      expect(json.error.message).toMatch(/\w/)
      expect(JSON.stringify(json)).not.toMatch(/at .*\.js:\d+/)
    },
  )

  it('answers a request without credentials with 401', async () => {
    for (const path of ['/api/documents', '/api/documents/demo-musk-putin', '/api/nothing-here']) {
      const response = await fetch(`${s.url}${path}`)
      expect(response.status, path).toBe(401)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('signed-out')
    }
  })

  it('reports health', async () => {
    const { status, json } = await api('GET', '/healthz')
    expect(status).toBe(200)
    expect(json.status).toBe('ok')
  })

  it('logs one line per request error without document content', () => {
    expect(s.output()).not.toContain('السطر الأول')
  })
})

describe('start-up', () => {
  it('refuses invalid configuration with a message naming the variable', () => {
    const result = spawnSync(process.execPath, [SERVER_ENTRY], {
      env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'loud', DATA_DIR: '/tmp/unused' },
      encoding: 'utf8',
    })
    expect(result.status).toBe(2)
    expect(result.stderr).toContain('Invalid configuration')
    expect(result.stderr).toContain('PORT="eighty": PORT must be a number')
    expect(result.stderr).toContain('LOG_LEVEL="loud"')
  })

  it('does not bring the demo back after users deleted every document', async () => {
    const first = await startServerProcess()
    const deleted = await fetch(`${first.url}/api/documents/demo-musk-putin`, {
      method: 'DELETE',
      headers: (await adminAccount(first.url)).headers,
    })
    expect(deleted.status).toBe(204)
    await first.stop()
    const second = await startServerProcess({ dataDir: first.dataDir })
    const listed = (await (
      await fetch(`${second.url}/api/documents`, {
        headers: (await adminAccount(second.url)).headers,
      })
    ).json()) as {
      documents: unknown[]
    }
    expect(listed.documents).toEqual([])
    await second.stop()
    first.cleanup()
  })
})
