import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
})
