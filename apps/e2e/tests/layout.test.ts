/**
 * The sticky bars (header, formatting toolbar) never hide what is being
 * edited: the caret moved by the keyboard stays below them, and on a phone,
 * where the header wraps, the toolbar sticks below the header, not under it.
 */
import { type ServerProcess, startServerProcess } from '@hashiya/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, screenshot } from './browser.js'
import { openDemoAs } from './editor.js'

let server: ServerProcess
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  server = await startServerProcess()
  browser = await launchChromium()
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await server?.stop()
  server?.cleanup()
})

async function open(name: string, viewport: { width: number; height: number }): Promise<Page> {
  const { page, context } = await openDemoAs(browser, server.url, name)
  contexts.push(context)
  await page.setViewportSize(viewport)
  return page
}

/** Where the caret and the bottom of the sticky bars are, in the viewport. */
const caretAndBars = (page: Page) =>
  page.evaluate(async () => {
    // the browser reveals a moved caret in its next frame
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    const selection = getSelection()
    const range = selection?.rangeCount ? selection.getRangeAt(0) : null
    const rect = range?.getClientRects()[0] ?? range?.getBoundingClientRect()
    const bottom = (selector: string) =>
      document.querySelector(selector)?.getBoundingClientRect().bottom ?? 0
    return {
      caretTop: rect?.top ?? -1,
      headerBottom: bottom('.app-header'),
      toolbarBottom: bottom('.toolbar'),
      toolbarTop: document.querySelector('.toolbar')?.getBoundingClientRect().top ?? 0,
    }
  })

describe('the sticky bars and what is being edited', () => {
  it('keeps the caret below the header and toolbar while the keyboard moves it up', async () => {
    const page = await open('كريم', { width: 1400, height: 900 })
    const editor = page.getByTestId('editor')
    await page.mouse.wheel(0, 2400)
    const box = await editor.boundingBox()
    if (!box) throw new Error('no editor')
    await page.mouse.click(box.x + box.width / 2, 450)
    const positions: { caretTop: number; toolbarBottom: number }[] = []
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('ArrowUp')
      positions.push(await caretAndBars(page))
    }
    await screenshot(page, 'caret-below-bars')
    const hidden = positions.filter((p) => p.caretTop < p.toolbarBottom)
    expect(hidden).toEqual([])
  })

  it('sticks the toolbar below a header that wraps on a phone', async () => {
    const page = await open('نادية', { width: 390, height: 800 })
    await page.mouse.wheel(0, 1500)
    await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(500)
    const { headerBottom, toolbarTop } = await caretAndBars(page)
    await screenshot(page, 'phone-toolbar-below-header')
    expect(headerBottom).toBeGreaterThan(60)
    expect(toolbarTop).toBeGreaterThanOrEqual(headerBottom)
  })
})
