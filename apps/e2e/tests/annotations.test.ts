/**
 * Tagging the demo article together: overlapping spans seen live by both
 * editors, a denial linked to its claim, harakat-blind search, and Arabic
 * letters that stay joined across annotation boundaries.
 */
import { createYDoc } from '@hashiya/document'
import {
  type ServerProcess,
  startServerProcess,
  type TestAccount,
  testAccount,
} from '@hashiya/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { launchChromium, screenshot } from './browser.js'
import { openDemoAs, selectPhrase } from './editor.js'

let server: ServerProcess
let browser: Browser
const contexts: BrowserContext[] = []
let leila: Page
let sami: Page
let leilaAccount: TestAccount

beforeAll(async () => {
  server = await startServerProcess()
  browser = await launchChromium()
  for (const [name, username] of [
    ['ليلى', 'leila'],
    ['سامي', 'sami'],
  ] as const) {
    const opened = await openDemoAs(browser, server.url, name, { username })
    contexts.push(opened.context)
    if (name === 'ليلى') {
      leila = opened.page
      leilaAccount = opened.account
    } else sami = opened.page
  }
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await server?.stop()
  server?.cleanup()
})

async function tag(page: Page, phrase: string, kind: string): Promise<void> {
  await selectPhrase(page, phrase)
  await page.getByTestId('selection-toolbar').waitFor()
  await page.getByTestId(`tag-${kind}`).click()
}

function entries(page: Page) {
  return page.getByTestId('annotation-panel').getByTestId('annotation-entry')
}

async function entryKinds(page: Page): Promise<string[]> {
  return entries(page).evaluateAll((nodes) =>
    nodes.map((node) => node.getAttribute('data-kind') ?? ''),
  )
}

describe('tagging the demo article together', () => {
  it('shows both of two overlapping tags to both editors, live', async () => {
    await tag(leila, 'بوتين طلب من ماسك عدم توفير خدمة ستارلينك', 'claim')
    // a click on the toolbar leaves the keyboard in the text, the caret right after the
    // tag, so the next keys typed land there instead of nowhere
    const caret = await leila.evaluate(() => {
      const selection = document.getSelection()
      const node = selection?.anchorNode
      const before = node?.textContent?.slice(0, selection?.anchorOffset) ?? ''
      return {
        inEditor: document.activeElement?.closest('[data-testid="editor"]') !== null,
        collapsed: selection?.isCollapsed ?? false,
        after: before.endsWith('ستارلينك') || before === '',
      }
    })
    expect(caret).toEqual({ inEditor: true, collapsed: true, after: true })
    await tag(sami, 'عدم توفير خدمة ستارلينك، وهي شركة تابعة', 'aside')
    for (const page of [leila, sami]) {
      await expect.poll(() => entryKinds(page), { timeout: 10_000 }).toEqual(['claim', 'aside'])
      // the overlap "عدم توفير خدمة ستارلينك" sits inside two spans
      const layers = await page.getByTestId('editor').evaluate((editor) => {
        const spans = [...editor.querySelectorAll('[data-annotation-id]')]
        const ids = new Set(spans.map((span) => span.getAttribute('data-annotation-id')))
        const nested = spans.some(
          (span) =>
            span.textContent?.includes('خدمة') &&
            span.parentElement?.closest('[data-annotation-id]'),
        )
        const kinds = new Set(
          [...editor.querySelectorAll('[class*="annotation--"]')].flatMap((el) =>
            [...el.classList].filter((c) => /^annotation--(quote|claim|denial|aside)$/.test(c)),
          ),
        )
        return { ids: ids.size, nested, kinds: [...kinds].sort() }
      })
      expect(layers.ids).toBe(2)
      expect(layers.kinds).toEqual(['annotation--aside', 'annotation--claim'])
    }
    await screenshot(sami, 'annotations-overlapping')
  })

  it('links a denial to the claim it denies', async () => {
    await tag(leila, 'ونفت روسيا وجود محادثات متكررة', 'denial')
    const denial = leila.locator('[data-testid="annotation-entry"][data-kind="denial"]')
    await denial.first().waitFor()
    const select = denial.first().getByTestId('annotation-link-select')
    // the claims are listed once the list is about to be used (focus, pointer), not
    // for every entry drawn: a long article has thousands of them
    await select.focus()
    const claimOption = await select
      .locator('option')
      .evaluateAll((options) =>
        options.map((o) => (o as HTMLOptionElement).value).find((value) => value !== ''),
      )
    expect(claimOption).toBeTruthy()
    await select.selectOption(claimOption as string)
    const chip = sami
      .locator('[data-testid="annotation-entry"][data-kind="denial"]')
      .getByTestId('annotation-relation')
    await expect.poll(() => chip.count(), { timeout: 10_000 }).toBe(1)
    expect(await chip.textContent()).toContain('بوتين طلب')
    // the article's only claim is linked now: the list has nothing left to offer
    await expect.poll(() => select.isDisabled(), { timeout: 10_000 }).toBe(true)
    expect(await select.locator('option').first().textContent()).toBe('كل الادعاءات مربوطة')
    const api = (await (
      await fetch(`${server.url}/api/documents/demo-musk-putin/annotations`, {
        headers: leilaAccount.headers,
      })
    ).json()) as {
      annotations: { id: string; kind: string; relations: { type: string; target: string }[] }[]
    }
    const claim = api.annotations.find((a) => a.kind === 'claim')
    const storedDenial = api.annotations.find((a) => a.kind === 'denial')
    expect(storedDenial?.relations).toEqual([{ type: 'denies', target: claim?.id }])
    await screenshot(sami, 'annotations-denial-linked')
  })

  it('finds a word with or without its harakat', async () => {
    await tag(leila, 'وفقًا لمسؤولين أميركيين', 'quote')
    await expect.poll(() => entryKinds(sami), { timeout: 10_000 }).toContain('quote')
    const search = sami.getByTestId('annotation-search')
    for (const query of ['وفقا', 'وفقًا', 'وفـــقا']) {
      await search.fill(query)
      await expect.poll(() => entryKinds(sami)).toEqual(['quote'])
    }
    await search.fill('')
    await expect.poll(() => entries(sami).count()).toBe(4)
  })

  it('keeps Arabic letters joined across annotation boundaries', async () => {
    // A tag that starts and ends inside running text: the letters on either side
    // of each boundary must render with the same advance as untagged text.
    const paragraph = leila.getByTestId('editor').locator('p', { hasText: 'بوتين طلب من ماسك' })
    const widths = await paragraph.evaluate((element) => {
      const measure = (html: string) => {
        const probe = document.createElement('p')
        probe.className = element.className
        probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;width:auto'
        probe.innerHTML = html
        element.parentElement?.appendChild(probe)
        const width = probe.getBoundingClientRect().width
        probe.remove()
        return width
      }
      const tagged = element.cloneNode(true) as HTMLElement
      const plain = element.textContent ?? ''
      return { tagged: measure(tagged.innerHTML), plain: measure(plain.replace(/</g, '&lt;')) }
    })
    // joined and unjoined Arabic differ by many pixels; backgrounds and underlines add none
    expect(Math.abs(widths.tagged - widths.plain)).toBeLessThan(1)
    await paragraph.scrollIntoViewIfNeeded()
    const box = await paragraph.boundingBox()
    expect(box).not.toBeNull()
    if (box) {
      await screenshot(leila, 'annotations-joining', {
        x: box.x,
        y: box.y,
        width: box.width,
        height: Math.min(box.height, 140),
      })
    }
  })

  it('ignores entries a faulty client writes, says so, and keeps working', async () => {
    const faulty = await testAccount(server.url, 'faulty-script', 'editor', 'Faulty script')
    const doc = createYDoc()
    const provider = new WebsocketProvider(`${server.wsUrl}/sync`, 'demo-musk-putin', doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: faulty.token },
      disableBc: true,
    })
    try {
      await expect.poll(() => provider.synced, { timeout: 10_000 }).toBe(true)
      const before = await entries(sami).count()
      doc.transact(() => {
        const junk = new Y.Map<unknown>()
        junk.set('kind', '<img src=x onerror=alert(1)>')
        junk.set('author', { not: 'a string' })
        doc.getMap('annotations').set('junk1', junk)
        doc.getMap('annotations').set('junk2', 42)
      })
      await sami.getByTestId('annotation-problems').waitFor({ timeout: 10_000 })
      expect(await sami.getByTestId('annotation-problems').getAttribute('data-count')).toBe('2')
      expect(await entries(sami).count()).toBe(before)
      // still editable: tagging works after the junk arrived
      await tag(sami, 'تصاريح أمنية عالية المستوى', 'claim')
      await expect.poll(() => entries(leila).count(), { timeout: 10_000 }).toBe(before + 1)
    } finally {
      provider.destroy()
    }
  })

  it('says what a keyboard shortcut tagged, as the toolbar does, for screen readers too', async () => {
    const tagged = () =>
      leila
        .getByTestId('editor')
        .evaluate(
          (editor) =>
            new Set(
              [...editor.querySelectorAll('[data-annotation-id]')].map((span) =>
                span.getAttribute('data-annotation-id'),
              ),
            ).size,
        )
    const before = await tagged()
    await selectPhrase(leila, 'الاتصالات الأجنبية')
    // the editor has taken the selection (its toolbar shows over it); Ctrl+Alt+4: an aside
    await leila.getByTestId('selection-toolbar').waitFor()
    await leila.keyboard.press('Control+Alt+4')
    await expect.poll(tagged, { timeout: 10_000 }).toBe(before + 1)
    const status = leila.locator('.annotation-panel__status[role="status"]')
    await expect.poll(() => status.textContent()).toContain('الاتصالات الأجنبية')
    expect(await status.textContent()).toContain('هامش')
  })
})
