/**
 * Two people in two browsers on the demo article: live Arabic typing with
 * remote carets, presence, and a connection indicator that follows the server.
 */
import { blocksOf, createYDoc, readParagraphs } from '@hashiya/document'
import { type ServerProcess, startServerProcess, testAccount } from '@hashiya/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import { launchChromium, screenshot } from './browser.js'
import {
  expectConnection,
  openDemoAs as openEditor,
  placeCaret,
  placeCaretAtEnd,
} from './editor.js'

let server: ServerProcess
/** The first server owns the temporary data directory that restarts reuse. */
let firstServer: ServerProcess
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  server = await startServerProcess()
  firstServer = server
  browser = await launchChromium()
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await server?.stop()
  server?.cleanup()
  firstServer?.cleanup()
})

async function openDemoAs(name: string, username: string): Promise<Page> {
  const opened = await openEditor(browser, server.url, name, { username })
  contexts.push(opened.context)
  return opened.page
}

describe('two editors on the demo article', () => {
  let leila: Page
  let sami: Page

  it('opens right-to-left with the article', async () => {
    leila = await openDemoAs('ليلى', 'leila')
    expect(await leila.locator('html').getAttribute('dir')).toBe('rtl')
    expect(await leila.locator('html').getAttribute('lang')).toBe('ar')
    const editor = leila.getByTestId('editor')
    await expect.poll(() => editor.textContent()).toContain('بيل نيلسون')
    const direction = await editor.evaluate((element) => getComputedStyle(element).direction)
    expect(direction).toBe('rtl')
    const fonts = await leila.evaluate(async () => {
      await document.fonts.ready
      return [...document.fonts]
        .filter((font) => font.status === 'loaded')
        .map((font) => font.family)
    })
    expect(fonts.join(' ')).toMatch(/Arabic/)
  })

  it('shows Arabic typed by one editor to the other, with her caret and name', async () => {
    sami = await openDemoAs('سامي', 'sami')
    const paragraph = leila.getByTestId('editor').locator('p').nth(2)
    await placeCaretAtEnd(paragraph)
    await leila.keyboard.type(' نص جديد من ليلى')
    await expect.poll(() => paragraph.textContent()).toMatch(/نص جديد من ليلى$/)
    await expect
      .poll(() => sami.getByTestId('editor').textContent(), { timeout: 10_000 })
      .toContain('نص جديد من ليلى')
    const caretLabel = sami.locator('.collab-caret__label', { hasText: 'ليلى' })
    await caretLabel.waitFor({ timeout: 10_000 })
    await expect
      .poll(() => sami.getByTestId('presence-user').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('ليلى')]))
    await screenshot(sami, 'two-editors-sami-sees-leila')
    await screenshot(leila, 'two-editors-leila')
  })

  it('keeps Arabic letters joined around a remote caret', async () => {
    // The caret widget must add no width: the word around it measures the same
    // as the same word rendered without a caret.
    const paragraph = leila.getByTestId('editor').locator('p').nth(3)
    await paragraph.click({ position: { x: 200, y: 8 } })
    const caret = sami.locator('.collab-caret').first()
    await caret.waitFor({ state: 'attached' })
    const box = await caret.boundingBox()
    expect(box?.width ?? 1).toBeLessThanOrEqual(1)
  })

  it('joins two paragraphs across a section boundary with one Backspace, for both editors', async () => {
    // the demo article is longer than one section (32 blocks): its second starts a new one
    const sections = leila.getByTestId('editor').locator('.article-section')
    expect(await sections.count()).toBeGreaterThanOrEqual(2)
    const blocksBefore = await leila.getByTestId('editor').locator('p, h2, h3').count()
    const lastOfFirst = sections.nth(0).locator(':scope > :last-child')
    const firstOfSecond = sections.nth(1).locator(':scope > :first-child')
    const joined = `${await lastOfFirst.textContent()}${await firstOfSecond.textContent()}`
    await firstOfSecond.scrollIntoViewIfNeeded()
    await placeCaret(firstOfSecond, 'start')
    await leila.keyboard.press('Backspace')
    await expect.poll(() => lastOfFirst.textContent()).toBe(joined)
    expect(await sections.count()).toBeGreaterThanOrEqual(2)
    expect(await leila.getByTestId('editor').locator('p, h2, h3').count()).toBe(blocksBefore - 1)
    // the text without colleagues' carets (whose name labels sit inside the paragraph)
    const samisBlock = sami
      .getByTestId('editor')
      .locator('.article-section')
      .nth(0)
      .locator(':scope > :last-child')
    await expect
      .poll(() =>
        samisBlock.evaluate((element) => {
          const copy = element.cloneNode(true) as HTMLElement
          for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove()
          return copy.textContent
        }),
      )
      .toBe(joined)
    await screenshot(leila, 'join-across-sections')
  })

  it('shows the connection going away with the server and coming back', async () => {
    await server.stop()
    await leila.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('[data-testid="connection-status"]')?.dataset.state !==
        'connected',
      undefined,
      { timeout: 20_000 },
    )
    await screenshot(leila, 'connection-lost')
    server = await startServerProcess({ dataDir: server.dataDir, port: server.port })
    await expectConnection(leila, 'connected', 30_000)
    await expectConnection(sami, 'connected', 30_000)
    // the edit made before the restart is still there for both
    await expect.poll(() => sami.getByTestId('editor').textContent()).toContain('نص جديد من ليلى')
  })
})

describe('a stock y-websocket client next to the editor', () => {
  it('edits with a browser user and shows up in her presence list', async () => {
    const page = await openDemoAs('هدى', 'huda')
    // a script signs in with a bearer token; presence shows its account's display name
    const script = await testAccount(server.url, 'stock-script', 'editor', 'Script')
    const doc = createYDoc()
    const provider = new WebsocketProvider(`${server.wsUrl}/sync`, 'demo-musk-putin', doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: script.token },
      disableBc: true,
    })
    provider.awareness.setLocalStateField('user', {
      id: 'stock-script',
      name: 'Script',
      color: '#0369a1',
    })
    try {
      await expect.poll(() => provider.synced, { timeout: 10_000 }).toBe(true)
      const first = blocksOf(doc)[0] as Y.XmlElement
      ;(first.get(0) as Y.XmlText).insert(0, 'من السكربت: ')
      await expect
        .poll(() => page.getByTestId('editor').locator('p').first().textContent(), {
          timeout: 10_000,
        })
        .toMatch(/^من السكربت: /)
      await expect
        .poll(() => page.getByTestId('presence-user').allTextContents(), { timeout: 10_000 })
        .toEqual(expect.arrayContaining([expect.stringContaining('Script')]))
      await placeCaretAtEnd(page.getByTestId('editor').locator('p').nth(1))
      await page.keyboard.type(' ردّ من المتصفح')
      await expect.poll(() => readParagraphs(doc)[1], { timeout: 10_000 }).toMatch(/ردّ من المتصفح$/)
    } finally {
      provider.destroy()
    }
  })
})
