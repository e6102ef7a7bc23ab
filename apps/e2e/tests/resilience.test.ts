/**
 * The network and the server are not always there: a document opened from the
 * list after the network has gone still opens (its code was fetched ahead),
 * learns its title and rights once the server answers again, and a page left
 * open across a redeploy says so instead of going blank.
 */
import { type ServerProcess, startServerProcess, testAccount } from '@hashiya/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, screenshot } from './browser.js'
import { DEMO_ID, expectConnection, newBrowserPage, signInThroughLoginPage } from './editor.js'

const EDITOR_CODE = /\/assets\/EditorPage-[^/]+\.js$/

let server: ServerProcess
let browser: Browser
const contexts: BrowserContext[] = []
let demoTitle: string

beforeAll(async () => {
  server = await startServerProcess()
  browser = await launchChromium()
  const lead = await testAccount(server.url, 'resilience-lead', 'lead')
  const response = await fetch(`${server.url}/api/documents/${DEMO_ID}`, { headers: lead.headers })
  demoTitle = ((await response.json()) as { document: { title: string } }).document.title
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await server?.stop()
  server?.cleanup()
})

async function signedInList(name: string, beforeSignIn?: (page: Page) => Promise<void>) {
  const account = await testAccount(server.url, name, 'editor')
  const { page, context } = await newBrowserPage(browser, server.url, name)
  contexts.push(context)
  await beforeSignIn?.(page)
  await signInThroughLoginPage(page, account.id, account.password)
  await page.getByTestId('document-list').waitFor({ timeout: 15_000 })
  return page
}

const demoLink = (page: Page) =>
  page.locator(`[data-testid="document-row"][data-document-id="${DEMO_ID}"] a`).first()

describe('when the network or the server goes away', () => {
  it('opens a document from the list offline, and learns its title and rights once back', async () => {
    const page = await signedInList('offline-opener')
    // the list fetches the editor's code ahead, while the person is still choosing
    await expect
      .poll(() =>
        page.evaluate(
          (pattern) =>
            performance
              .getEntriesByType('resource')
              .some((entry) => new RegExp(pattern).test(entry.name)),
          EDITOR_CODE.source,
        ),
      )
      .toBe(true)
    await page.context().setOffline(true)
    await demoLink(page).click()
    await page.getByTestId('editor').waitFor({ timeout: 15_000 })
    // the server could not be asked: no title, and no edits before the rights are known
    expect(await page.getByTestId('document-title').textContent()).not.toBe(demoTitle)
    expect(await page.getByTestId('editor').getAttribute('contenteditable')).toBe('false')
    await page.context().setOffline(false)
    await expectConnection(page, 'connected')
    await expect
      .poll(() => page.getByTestId('document-title').textContent(), { timeout: 15_000 })
      .toBe(demoTitle)
    await page.locator('[data-testid="editor"][contenteditable="true"]').waitFor()
  })

  it('says the app was updated when the editor’s code is gone, and reloads into it', async () => {
    // as after a redeploy: the page knows file names the server no longer has
    const gone = (route: { fulfill: (r: object) => Promise<void> }) =>
      route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not found' })
    const page = await signedInList('stale-page', async (page) => {
      await page.route(EDITOR_CODE, gone)
    })
    await demoLink(page).click()
    const failed = page.getByTestId('editor-failed')
    await failed.waitFor({ timeout: 15_000 })
    expect(await failed.getAttribute('data-reason')).toBe('updated')
    expect(await page.locator('#root').textContent()).not.toBe('')
    await screenshot(page, 'editor-code-gone')
    await page.unroute(EDITOR_CODE, gone)
    await failed.getByRole('button').first().click()
    await page.getByTestId('editor').waitFor({ timeout: 15_000 })
    await expectConnection(page, 'connected')
  })
})
