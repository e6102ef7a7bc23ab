/**
 * Export and import from the browser: a tagged demo article downloaded as
 * Hashiya JSON and HTML from the editor's export menu, two documents exported
 * together as a zip from the list, and the JSON imported back as a new
 * document whose annotation panel lists the claim.
 */
import { readFile } from 'node:fs/promises'
import { type ServerProcess, startServerProcess } from '@hashiya/testing'
import type { Browser, BrowserContext, Download, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, screenshot } from './browser.js'
import { openDemoAs, selectPhrase } from './editor.js'

const PHRASE = 'بوتين طلب من ماسك عدم توفير خدمة ستارلينك'

let server: ServerProcess
let browser: Browser
let context: BrowserContext
let page: Page
let demoId = ''
/** The lead's bearer token headers for API calls. */
let headers: Record<string, string> = {}
/** The native export of the tagged demo, as downloaded. */
let nativeExport: { name: string; bytes: Buffer } | null = null

beforeAll(async () => {
  server = await startServerProcess()
  browser = await launchChromium()
  // exporting is for leads
  const opened = await openDemoAs(browser, server.url, 'ليلى', { username: 'leila', role: 'lead' })
  context = opened.context
  page = opened.page
  headers = opened.account.headers
  demoId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '')
})

afterAll(async () => {
  await context?.close()
  await browser?.close()
  await server?.stop()
  server?.cleanup()
})

async function api<T>(path: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(new URL(path, server.url), {
    ...init,
    headers: { ...headers, ...(init?.headers as Record<string, string> | undefined) },
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: response.status, body: body as T }
}

/** Clicks an item of the editor's export menu and waits for the file it downloads. */
async function exportAs(format: string): Promise<Download> {
  await page.getByTestId('export-menu').click()
  const downloading = page.waitForEvent('download')
  await page.getByTestId(`export-${format}`).click()
  return downloading
}

describe('exporting and importing from the browser', () => {
  it('downloads the tagged article as Hashiya JSON and as a web page', async () => {
    await selectPhrase(page, PHRASE)
    await page.getByTestId('selection-toolbar').waitFor()
    await page.getByTestId('tag-claim').click()
    await expect
      .poll(() => page.getByTestId('annotation-entry').count(), { timeout: 10_000 })
      .toBe(1)
    // the export is the server's copy: wait until the tag has reached it
    await expect
      .poll(
        async () =>
          (await api<{ annotations: unknown[] }>(`/api/documents/${demoId}/annotations`)).body
            .annotations.length,
        { timeout: 10_000 },
      )
      .toBe(1)

    await page.getByTestId('export-menu').click()
    await page.getByTestId('export-json').waitFor()
    await expect(page.getByTestId('export-menu').getAttribute('aria-expanded')).resolves.toBe(
      'true',
    )
    await screenshot(page, 'export-menu')
    await page.keyboard.press('Escape')
    await page.getByTestId('export-json').waitFor({ state: 'detached' })

    const json = await exportAs('json')
    expect(json.suggestedFilename()).toMatch(/\.hashiya\.json$/)
    const bytes = await readFile(await json.path())
    const exported = JSON.parse(bytes.toString('utf8')) as {
      annotations: { kind: string; text: string }[]
    }
    expect(exported.annotations).toHaveLength(1)
    expect(exported.annotations[0]).toMatchObject({ kind: 'claim', text: PHRASE })
    nativeExport = { name: json.suggestedFilename(), bytes }

    const html = await exportAs('html')
    expect(html.suggestedFilename()).toMatch(/\.html$/)
    const page_ = (await readFile(await html.path())).toString('utf8')
    expect(page_).toContain('ستارلينك')
  })

  it('exports the version shown when the time-travel view is open', async () => {
    await page.getByTestId('history-tab').click()
    await page.getByTestId('history-panel').waitFor()
    await page.getByTestId('history-section-versions').click()
    await page.getByTestId('version-name-input').fill('قبل التصدير')
    await page.getByTestId('version-save').click()
    const named = page.getByTestId('version-item').filter({ hasText: 'قبل التصدير' })
    await named.waitFor({ timeout: 10_000 })
    const versionId = (await named.getAttribute('data-version-id')) ?? ''
    expect(versionId).toMatch(/^v\d+$/)
    await named.click()
    await page.getByTestId('time-travel-view').waitFor()

    await page.getByTestId('export-menu').click()
    expect(await page.getByTestId('export-point').textContent()).toContain('قبل التصدير')
    expect(await page.getByTestId('export-csv').getAttribute('href')).toBe(
      `/api/documents/${demoId}/export?format=csv&at=${versionId}`,
    )
    await screenshot(page, 'export-menu-past')
    const downloading = page.waitForEvent('download')
    await page.getByTestId('export-json').click()
    const past = JSON.parse((await readFile(await (await downloading).path())).toString('utf8'))
    expect(past.document.version).not.toBeNull()
    expect(past.annotations).toHaveLength(1)

    await page.getByTestId('time-travel-exit').click()
    await page.getByTestId('export-menu').click()
    expect(await page.getByTestId('export-csv').getAttribute('href')).toBe(
      `/api/documents/${demoId}/export?format=csv`,
    )
    await page.keyboard.press('Escape')
  })

  it('exports two selected documents from the list as one zip', async () => {
    const created = await api<{ document: { id: string } }>('/api/documents', {
      method: 'POST',
      body: JSON.stringify({ title: 'مقال ثان', body: 'فقرة أولى.\nفقرة ثانية.' }),
    })
    expect(created.status).toBe(201)
    await page.goto('/')
    await expect.poll(() => page.getByTestId('document-row').count()).toBe(2)
    const boxes = page.getByTestId('document-select')
    await boxes.nth(0).check()
    await boxes.nth(1).check()
    await page.getByTestId('batch-export-format').selectOption('csv')
    const downloading = page.waitForEvent('download')
    await page.getByTestId('batch-export').click()
    const zip = await downloading
    expect(zip.suggestedFilename()).toMatch(/\.zip$/)
    const bytes = await readFile(await zip.path())
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK')
  })

  it('imports the downloaded JSON as a new document with its claim', async () => {
    expect(nativeExport).not.toBeNull()
    const file = nativeExport as { name: string; bytes: Buffer }

    await page.getByTestId('import-open').click()
    await page.getByTestId('import-dialog').waitFor()
    await page.getByTestId('import-file').setInputFiles({
      name: file.name,
      mimeType: 'application/json',
      buffer: file.bytes,
    })
    await page.getByTestId('import-title').fill('مقال مستورد')
    await page.getByTestId('import-chosen').waitFor()
    await screenshot(page, 'import-dialog')
    await page.getByTestId('import-submit').click()
    const report = page.getByTestId('import-report')
    await report.waitFor({ timeout: 15_000 })
    expect(await report.getAttribute('data-annotations')).toBe('1')
    expect(await report.getAttribute('data-dropped')).toBe('0')
    await page.getByTestId('import-dropped').waitFor()
    await screenshot(page, 'import-report')

    // the list behind the dialog has the new document
    await expect.poll(() => page.getByTestId('document-row').count()).toBe(3)

    await page.getByTestId('import-open-document').click()
    await page.getByTestId('editor').waitFor()
    await expect
      .poll(() => page.getByTestId('annotation-entry').count(), { timeout: 10_000 })
      .toBe(1)
    const entry = page.getByTestId('annotation-entry').first()
    expect(await entry.getAttribute('data-kind')).toBe('claim')
    expect(await entry.textContent()).toContain('ستارلينك')
    expect(await page.getByTestId('document-title').textContent()).toContain('مقال مستورد')
  })
})
