/**
 * Reviewing the history of the demo article: a lead names a version while an
 * editor tags and types, then filters the timeline by the editor, travels back
 * to the named version (read-only, the live document untouched), compares it
 * with now, and looks at the activity chart.
 */
import { type ServerProcess, startServerProcess } from '@hashiya/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, screenshot } from './browser.js'
import { openDemoAs, placeCaretAtEnd, selectPhrase, USERNAME_PATTERN } from './editor.js'

const DOC = 'demo-musk-putin'
const CLAIM = 'بوتين طلب من ماسك عدم توفير خدمة ستارلينك'
const QUOTE = 'وفقًا لمسؤولين أميركيين'
const DENIAL = 'ونفت روسيا وجود محادثات متكررة'
const TYPED = ' إضافة من المحررة'
const MORE = ' وتتابع الكتابة'
const VERSION_NAME = 'قبل المراجعة'

let server: ServerProcess
let browser: Browser
const contexts: BrowserContext[] = []
let lead: Page
let editor: Page
let editorId: string
let leadId: string
/** The lead's bearer token headers, for reading the live document through the API. */
let leadHeaders: Record<string, string>
let versionId: string

beforeAll(async () => {
  server = await startServerProcess()
  browser = await launchChromium()
  // history (and restoring it) is for leads; the editor edits the demo shared with everyone
  const openedLead = await openDemoAs(browser, server.url, 'منى', {
    username: 'muna',
    role: 'lead',
  })
  const openedEditor = await openDemoAs(browser, server.url, 'ليلى', {
    username: 'leila',
    role: 'editor',
  })
  contexts.push(openedLead.context, openedEditor.context)
  lead = openedLead.page
  editor = openedEditor.page
  // an account's id is its username: what the history records as the author
  editorId = openedEditor.account.id
  leadId = openedLead.account.id
  leadHeaders = openedLead.account.headers
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await server?.stop()
  server?.cleanup()
})

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${server.url}/api/documents/${DOC}${path}`, {
    headers: leadHeaders,
  })
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

const liveText = async () =>
  (await api<{ document: { paragraphs: string[] } }>('')).document.paragraphs.join('\n\n')
const liveKinds = async () =>
  (await api<{ annotations: { kind: string }[] }>('/annotations')).annotations
    .map((a) => a.kind)
    .sort()

async function tag(page: Page, phrase: string, kind: string): Promise<void> {
  await selectPhrase(page, phrase)
  await page.getByTestId('selection-toolbar').waitFor()
  await page.getByTestId(`tag-${kind}`).click()
}

async function typeAtEndOfLastParagraph(page: Page, text: string): Promise<void> {
  const paragraph = page.getByTestId('editor').locator('p').last()
  await placeCaretAtEnd(paragraph)
  // as a person would make sure: Ctrl+End puts the editor's own caret at the end of the
  // article, whatever the click and the DOM selection left it at
  await page.keyboard.press('Control+End')
  // and looks before typing: the caret blinking at the end (or presses Ctrl+End again)
  await expect
    .poll(
      async () => {
        const atEnd = await paragraph.evaluate((element) => {
          const selection = getSelection()
          if (!selection?.isCollapsed || !selection.anchorNode) return false
          if (!element.contains(selection.anchorNode)) return false
          const rest = document.createRange()
          rest.selectNodeContents(element)
          rest.setStart(selection.anchorNode, selection.anchorOffset)
          return rest.toString() === ''
        })
        if (!atEnd) await page.keyboard.press('Control+End')
        return atEnd
      },
      { timeout: 5_000 },
    )
    .toBe(true)
  await page.keyboard.type(text)
  // the text is in this editor (so a later miss on the server is a sync failure, not a typing one)
  await expect.poll(() => paragraph.textContent(), { timeout: 5_000 }).toContain(text.trim())
}

describe('reviewing the history of an article', () => {
  it('lists exactly the editor’s events when filtered by her', async () => {
    expect(editorId).toMatch(USERNAME_PATTERN)
    expect(editorId).not.toBe(leadId)
    await tag(editor, CLAIM, 'claim')
    await tag(editor, QUOTE, 'quote')
    await expect.poll(liveKinds, { timeout: 10_000 }).toEqual(['claim', 'quote'])

    // the lead names the state both tags are in
    await lead.getByTestId('history-tab').click()
    await lead.getByTestId('history-panel').waitFor()
    await lead.getByTestId('history-section-versions').click()
    await lead.getByTestId('version-name-input').fill(VERSION_NAME)
    await lead.getByTestId('version-save').click()
    const named = lead.getByTestId('version-item').filter({ hasText: VERSION_NAME })
    await named.waitFor({ timeout: 10_000 })
    versionId = (await named.getAttribute('data-version-id')) ?? ''
    expect(versionId).toMatch(/^v\d+$/)

    // then the editor goes on
    await tag(editor, DENIAL, 'denial')
    await typeAtEndOfLastParagraph(editor, TYPED)
    await expect.poll(liveText, { timeout: 10_000 }).toContain(TYPED.trim())
    await expect.poll(liveKinds, { timeout: 10_000 }).toEqual(['claim', 'denial', 'quote'])

    await lead.getByTestId('history-section-events').click()
    await lead.getByTestId('history-filter-user').selectOption(editorId)
    const events = lead.getByTestId('history-event')
    const userIds = () =>
      events.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-user-id')))
    await expect.poll(userIds, { timeout: 15_000 }).toEqual([editorId, editorId, editorId])
    const actions = await events.evaluateAll((nodes) =>
      nodes.map((n) => n.getAttribute('data-action')),
    )
    expect(actions).toEqual(['created', 'created', 'created'])
    // newest first: the denial was tagged last
    expect(await events.first().textContent()).toContain('ونفت روسيا')
    // the filter is real: the lead has no events of her own
    const leadOption = lead.locator(`[data-testid="history-filter-user"] option[value="${leadId}"]`)
    expect(await leadOption.count()).toBe(0)
    await screenshot(lead, 'history-timeline')
  })

  it('shows the named version read-only while the live document moves on', async () => {
    await lead.getByTestId('history-section-versions').click()
    await lead.locator(`[data-testid="version-item"][data-version-id="${versionId}"]`).click()
    const view = lead.getByTestId('time-travel-view')
    await view.waitFor()
    await expect
      .poll(() => lead.getByTestId('time-travel-banner').textContent())
      .toContain(VERSION_NAME)
    const body = lead.getByTestId('time-travel-body')
    await body.waitFor({ timeout: 10_000 })
    const past = await body.evaluate((element) => {
      const spans = [...element.querySelectorAll('[data-annotation-id]')]
      return {
        ids: new Set(spans.map((s) => s.getAttribute('data-annotation-id'))).size,
        kinds: [...new Set(spans.map((s) => s.getAttribute('data-kind')))].sort(),
        text: element.textContent ?? '',
        editable: element.closest('[contenteditable="true"]') !== null,
      }
    })
    expect(past.ids).toBe(2)
    expect(past.kinds).toEqual(['claim', 'quote'])
    expect(past.text).toContain(CLAIM)
    expect(past.text).not.toContain(TYPED.trim())
    expect(past.editable).toBe(false)
    // the live editor is out of sight, not gone
    expect(await lead.getByTestId('editor').isVisible()).toBe(false)

    // the editor keeps typing in the live document meanwhile
    await typeAtEndOfLastParagraph(editor, MORE)
    await expect.poll(liveText, { timeout: 10_000 }).toContain(`${TYPED.trim()}${MORE}`)
    expect(await liveKinds()).toEqual(['claim', 'denial', 'quote'])
    // the lead's own copy follows too, and the view of the past does not
    await expect
      .poll(() => lead.getByTestId('editor').textContent(), { timeout: 10_000 })
      .toContain(MORE.trim())
    expect(await body.textContent()).not.toContain(MORE.trim())
    await body.locator('[data-kind="claim"]').first().scrollIntoViewIfNeeded()
    await screenshot(lead, 'history-time-travel')
  })

  it('compares the version with now, the insertion attributed to the editor', async () => {
    await lead.getByTestId('time-travel-compare').click()
    await lead.getByTestId('compare-view').waitFor()
    const inserts = lead.locator(`[data-testid="diff-insert"][data-user-id="${editorId}"]`)
    await inserts.first().waitFor({ timeout: 10_000 })
    const inserted = (await inserts.allTextContents()).join('')
    expect(inserted).toContain(TYPED.trim())
    expect(await lead.getByTestId('diff-delete').count()).toBe(0)
    const changes = await lead
      .getByTestId('diff-annotation')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-action')))
    expect(changes).toEqual(['created'])
    // the legend names the editor (she is present)
    await expect
      .poll(() =>
        lead.locator(`[data-testid="diff-legend-user"][data-user-id="${editorId}"]`).textContent(),
      )
      .toContain('ليلى')
    await inserts.first().scrollIntoViewIfNeeded()
    await screenshot(lead, 'history-diff')
  })

  it('draws activity per editor and per kind, and goes back to the live document', async () => {
    await lead.getByTestId('compare-exit').click()
    await lead.getByTestId('editor').waitFor()
    expect(await lead.getByTestId('compare-view').count()).toBe(0)
    await lead.getByTestId('history-section-activity').click()
    const chart = lead.getByTestId('activity-chart')
    await chart.waitFor()
    const bars = chart.locator(`rect[data-user-id="${editorId}"]`)
    await expect.poll(() => bars.count(), { timeout: 10_000 }).toBeGreaterThan(0)
    const height = await bars.first().evaluate((rect) => Number(rect.getAttribute('height')))
    expect(height).toBeGreaterThan(0)
    await screenshot(lead, 'history-chart')
    // in English the chart reads left to right, its labels translated
    await lead.getByTestId('user-menu').click()
    await lead.getByTestId('language-switch').click()
    await expect.poll(() => lead.evaluate(() => document.documentElement.dir)).toBe('ltr')
    await expect.poll(() => chart.textContent()).toContain('Hour')
    await screenshot(lead, 'history-chart-en')
    await lead.getByTestId('user-menu').click()
    await lead.getByTestId('language-switch').click()
    await expect.poll(() => lead.evaluate(() => document.documentElement.dir)).toBe('rtl')
    // the live document was never changed by looking at the past
    expect(await liveKinds()).toEqual(['claim', 'denial', 'quote'])
    expect(await liveText()).toContain(`${TYPED.trim()}${MORE}`)
  })

  it('restores the named version for everyone, after asking', async () => {
    await lead.getByTestId('history-section-versions').click()
    await lead.locator(`[data-testid="version-item"][data-version-id="${versionId}"]`).click()
    await lead.getByTestId('time-travel-body').waitFor({ timeout: 10_000 })
    await lead.getByTestId('restore-version').click()
    await lead.getByTestId('confirm-dialog-confirm').click()
    await lead.getByTestId('editor').waitFor()
    expect(await lead.getByTestId('time-travel-view').count()).toBe(0)
    await expect.poll(liveKinds, { timeout: 10_000 }).toEqual(['claim', 'quote'])
    expect(await liveText()).not.toContain(TYPED.trim())
    // the editor's browser follows through the normal sync path
    await expect
      .poll(() => editor.getByTestId('editor').textContent(), { timeout: 10_000 })
      .not.toContain(TYPED.trim())
  })
})
