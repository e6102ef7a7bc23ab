import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { webApp } from '../src/static.js'

describe('webApp', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('answers client-side routes with the index.html on disk now, after a rebuild too', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'hashiya-web-'))
    dirs.push(dist)
    writeFileSync(join(dist, 'index.html'), '<script src="/assets/index-old.js"></script>')
    const app = webApp(dist)
    expect(await (await app.request('/documents/demo')).text()).toContain('index-old.js')
    writeFileSync(join(dist, 'index.html'), '<script src="/assets/index-new.js"></script>')
    const rebuilt = await app.request('/login')
    expect(rebuilt.status).toBe(200)
    expect(rebuilt.headers.get('cache-control')).toBe('no-cache')
    expect(await rebuilt.text()).toContain('index-new.js')
    rmSync(join(dist, 'index.html'))
    expect((await app.request('/login')).status).toBe(503)
  })

  it('answers a script the build no longer has with 404, not the app page', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'hashiya-web-'))
    dirs.push(dist)
    mkdirSync(join(dist, 'assets'))
    writeFileSync(join(dist, 'index.html'), '<script src="/assets/index-new.js"></script>')
    writeFileSync(join(dist, 'assets', 'EditorPage-new.js'), 'export const x = 1')
    const app = webApp(dist)
    const current = await app.request('/assets/EditorPage-new.js')
    expect(current.status).toBe(200)
    expect(current.headers.get('content-type')).toMatch(/javascript/)
    const old = await app.request('/assets/EditorPage-old.js')
    expect(old.status).toBe(404)
    expect(await old.text()).not.toContain('<script')
  })
})
