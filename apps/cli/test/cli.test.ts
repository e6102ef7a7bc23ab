/**
 * The `hashiya` command as a user runs it (`pnpm hashiya …` is this same node
 * invocation): against a running server, and directly on that server's data
 * directory while it runs.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type ServerProcess,
  startServerProcess,
  type TestAccount,
  testAccount,
} from '@hashiya/testing'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ENTRY = fileURLToPath(new URL('../src/main.ts', import.meta.url))
const TSX = import.meta.resolve('tsx')

interface Run {
  code: number
  stdout: string
  stderr: string
}

function hashiya(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', TSX, ENTRY, ...args],
      {
        cwd,
        env: { ...process.env, HASHIYA_SERVER: '', HASHIYA_TOKEN: '', DATA_DIR: '', ...env },
        maxBuffer: 64 << 20,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

const PHRASE = 'بوتين طلب من ماسك'

let server: ServerProcess
let work: string
let demoId = ''
/** Exporting needs a lead or an administrator: the CLI runs with this lead's token. */
let archivist: TestAccount

async function api<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, server.url), { headers: archivist.headers })
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

beforeAll(async () => {
  server = await startServerProcess()
  work = mkdtempSync(join(tmpdir(), 'hashiya-cli-'))
  archivist = await testAccount(server.url, 'archivist', 'lead')
  const layla = await testAccount(server.url, 'layla', 'editor')
  const { documents } = await api<{ documents: { id: string }[] }>('/api/documents')
  demoId = documents[0]?.id ?? ''
  const { document } = await api<{ document: { text: string } }>(
    `/api/documents/${demoId}/export?format=json`,
  )
  const start = [...document.text.slice(0, document.text.indexOf(PHRASE))].length
  const created = await fetch(new URL(`/api/documents/${demoId}/annotations`, server.url), {
    method: 'POST',
    headers: layla.headers,
    body: JSON.stringify({
      kind: 'claim',
      start,
      end: start + [...PHRASE].length,
      note: '<b>n</b>',
    }),
  })
  expect(created.status).toBe(201)
})

afterAll(async () => {
  await server?.stop()
  server?.cleanup()
  if (work) rmSync(work, { recursive: true, force: true })
})

describe.each([
  ['a running server', () => ['--server', server.url, '--token', archivist.token]],
  ['the data directory, with the server running', () => ['--data-dir', server.dataDir]],
])('hashiya against %s', (_name, where) => {
  it('lists the documents with their ids', async () => {
    const run = await hashiya(['list', ...where()], work)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(demoId)
    expect(run.stdout).toContain('ماسك')
  })

  it('exports HTML to the named file', async () => {
    const file = join(work, `demo-${where()[0]}.html`)
    const run = await hashiya(['export', demoId, '--format', 'html', '-o', file, ...where()], work)
    expect(run.code, run.stderr).toBe(0)
    const html = readFileSync(file, 'utf8')
    expect(html).toMatch(/<html[^>]*dir="rtl"/)
    expect(html).toContain('بوتين طلب من ماسك')
    expect(html).toContain('&lt;b&gt;n&lt;/b&gt;')
  })

  it('exports several documents into a directory under their own names', async () => {
    const out = mkdtempSync(join(work, 'out-'))
    const run = await hashiya(['export', demoId, demoId, '-f', 'brat', '-o', out, ...where()], work)
    expect(run.code, run.stderr).toBe(0)
    const zipName = run.stderr.match(/→ (.+\.zip) /)?.[1] ?? ''
    const entries = unzipSync(readFileSync(zipName))
    const ann = new TextDecoder().decode(
      Object.entries(entries).find(([name]) => name.endsWith('.ann'))?.[1],
    )
    expect(ann).toMatch(new RegExp(`^T1\\tClaim \\d+ \\d+\\t${PHRASE}$`, 'm'))
  })

  it('exports a past version with --at to standard output', async () => {
    const run = await hashiya(
      ['export', demoId, '-f', 'json', '--at', 's1', '-o', '-', ...where()],
      work,
    )
    expect(run.code, run.stderr).toBe(0)
    const exported = JSON.parse(run.stdout) as {
      annotations: unknown[]
      document: { version: { seq: number } }
    }
    // s1 is the seeded article, before the claim was tagged.
    expect(exported.annotations).toEqual([])
    expect(exported.document.version.seq).toBe(1)
  })

  it('imports a file and the running server serves the new document', async () => {
    const file = join(work, 'تقرير-قصير.md')
    writeFileSync(file, '# عنوان التقرير\n\nقال المتحدث إن **الخبر** غير صحيح.\n')
    const run = await hashiya(['import', file, ...where()], work)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toMatch(/Imported markdown: 2 paragraphs/)
    const [id, title] = run.stdout.trim().split('\t')
    expect(title).toBe('تقرير قصير')
    const { document } = await api<{ document: { paragraphs: unknown[] } }>(`/api/documents/${id}`)
    expect(JSON.stringify(document.paragraphs)).toContain('عنوان التقرير')
    expect(JSON.stringify(document.paragraphs)).toContain('قال المتحدث إن الخبر غير صحيح.')
  })

  it('fails clearly on an unknown document, a bad format and a bad file', async () => {
    const missing = await hashiya(['export', 'no-such-doc', '-o', '-', ...where()], work)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no-such-doc|no document/i)
    expect(missing.stderr).not.toMatch(/\bat .+\.ts:\d+/)

    const format = await hashiya(['export', demoId, '-f', 'pdf', ...where()], work)
    expect(format.code).toBe(2)
    expect(format.stderr).toContain('--format must be one of json, w3c, html')

    const broken = join(work, 'broken.docx')
    writeFileSync(broken, 'not a zip')
    const before = (await hashiya(['list', ...where()], work)).stdout
    const bad = await hashiya(['import', broken, ...where()], work)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/Could not import broken\.docx/)
    expect((await hashiya(['list', ...where()], work)).stdout).toBe(before)
  })
})

describe('hashiya with accounts', () => {
  it('takes the token from HASHIYA_TOKEN', async () => {
    const run = await hashiya(['export', demoId, '-f', 'json', '-o', '-'], work, {
      HASHIYA_SERVER: server.url,
      HASHIYA_TOKEN: archivist.token,
    })
    expect(run.code, run.stderr).toBe(0)
    expect(JSON.parse(run.stdout).annotations).toHaveLength(1)
  })

  it('says so clearly without a token, with a bad one, or one that may not export', async () => {
    const signedOut = await hashiya(['list', '--server', server.url], work)
    expect(signedOut.code).toBe(1)
    expect(signedOut.stderr).toMatch(/401/)
    expect(signedOut.stderr).toContain('Pass --token (or set HASHIYA_TOKEN)')
    expect(signedOut.stderr).not.toMatch(/\bat .+\.ts:\d+/)

    const bad = await hashiya(['list', '--server', server.url, '--token', 'not-a-token'], work)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/401/)

    const editor = await testAccount(server.url, 'layla', 'editor')
    const listed = await hashiya(['list', '--server', server.url, '--token', editor.token], work)
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toContain(demoId)
    const refused = await hashiya(
      ['export', demoId, '-o', '-', '--server', server.url, '--token', editor.token],
      work,
    )
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/403/)
    expect(refused.stdout).toBe('')
  })

  it('gives a direct import to the --user account, who then owns it on the server', async () => {
    const file = join(work, 'مسودة.txt')
    writeFileSync(file, 'سطر أول.\n\nسطر ثان.\n')
    const run = await hashiya(
      ['import', file, '--data-dir', server.dataDir, '--user', 'layla'],
      work,
    )
    expect(run.code, run.stderr).toBe(0)
    const id = run.stdout.split('\t')[0]
    const editor = await testAccount(server.url, 'layla', 'editor')
    const response = await fetch(new URL('/api/documents', server.url), { headers: editor.headers })
    const { documents } = (await response.json()) as {
      documents: { id: string; permission: string }[]
    }
    expect(documents.find((d) => d.id === id)?.permission).toBe('manage')
  })
})

describe('hashiya without a target', () => {
  it('says where it looked when there is no data directory', async () => {
    const run = await hashiya(['list'], work)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(join(work, 'data'))
  })

  it('says when the server cannot be reached', async () => {
    const run = await hashiya(['list', '--server', 'http://127.0.0.1:9'], work)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/Could not reach the server at http:\/\/127\.0\.0\.1:9/)
  })

  it('prints usage for an unknown command', async () => {
    const run = await hashiya(['publish'], work)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Usage:')
  })
})
