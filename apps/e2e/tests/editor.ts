/**
 * Driving the article editor the way a person does: sign in on the login
 * page, open the demo article from the list, select a phrase.
 */
import { createHash } from 'node:crypto'
import { type TestAccount, type TestRole, testAccount } from '@hashiya/testing'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'

export const DEMO_ID = 'demo-musk-putin'

/** Account names the server accepts. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/

export interface OpenedEditor {
  page: Page
  context: BrowserContext
  /** The account signed in in this browser (its id is the username). */
  account: TestAccount
}

export interface OpenAsOptions {
  /** The account name; derived from the display name when not given. */
  username?: string
  /** `editor` by default; history and export need a `lead`. */
  role?: TestRole
}

/**
 * An account name for a display name: the name itself when it is already a
 * valid Latin one, else a stable name derived from it (the same display name
 * gives the same account on one server).
 */
export function usernameFor(displayName: string): string {
  const latin = displayName.trim().toLowerCase()
  if (USERNAME_PATTERN.test(latin)) return latin
  return `u-${createHash('sha256').update(displayName).digest('hex').slice(0, 12)}`
}

/** A fresh browser (own cookies and storage) whose uncaught page errors fail the test. */
export async function newBrowserPage(
  browser: Browser,
  baseURL: string,
  label: string,
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1400, height: 900 },
    locale: 'ar',
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => {
    throw new Error(`page error in ${label}'s browser: ${error.message}`)
  })
  return { page, context }
}

/**
 * Signs in as a person does: opens `path`, is sent to the login page, types
 * the account name and password and submits; resolves once the app has left
 * the login page.
 */
export async function signInThroughLoginPage(
  page: Page,
  username: string,
  password: string,
  path = '/',
): Promise<void> {
  await page.goto(path)
  await page.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 })
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 })
}

/** Clicks a document's title in the list and waits for its editor to connect. */
export async function openFromList(page: Page, documentId: string): Promise<void> {
  await page
    .locator(`[data-testid="document-row"][data-document-id="${documentId}"] a`)
    .first()
    .click()
  await page.getByTestId('editor').waitFor({ timeout: 15_000 })
  await expectConnection(page, 'connected')
}

/**
 * Opens the app as a colleague would: an account created for them (through
 * the API, as an administrator would), signed in on the login page, then the
 * demo article opened from the list.
 */
export async function openDemoAs(
  browser: Browser,
  baseURL: string,
  displayName: string,
  options: OpenAsOptions = {},
): Promise<OpenedEditor> {
  const username = options.username ?? usernameFor(displayName)
  const account = await testAccount(baseURL, username, options.role ?? 'editor', displayName)
  const { page, context } = await newBrowserPage(browser, baseURL, displayName)
  await signInThroughLoginPage(page, account.id, account.password)
  await page.getByTestId('document-list').waitFor({ timeout: 15_000 })
  await openFromList(page, DEMO_ID)
  return { page, context, account }
}

export async function expectConnection(page: Page, state: string, timeout = 15_000): Promise<void> {
  await page
    .locator(`[data-testid="connection-status"][data-state="${state}"]`)
    .waitFor({ timeout })
}

/** Puts the caret after the last letter of a block, as a click at its logical end would. */
export async function placeCaretAtEnd(block: Locator): Promise<void> {
  await placeCaret(block, 'end')
}

/**
 * Puts the caret at a block's logical start or end, as a click there would,
 * and returns once the editor has taken the new selection: the browser tells
 * it in a `selectionchange` event, a task later, and a key pressed before
 * that would act where the click left the caret.
 */
export async function placeCaret(block: Locator, at: 'start' | 'end'): Promise<void> {
  await block.click()
  await block.evaluate(async (element, toStart) => {
    const taken = new Promise<void>((resolve) => {
      document.addEventListener('selectionchange', () => setTimeout(resolve, 0), { once: true })
      // the click may have left the caret there already: then no event comes
      setTimeout(resolve, 500)
    })
    const range = document.createRange()
    range.selectNodeContents(element)
    range.collapse(toStart)
    const selection = getSelection()
    selection?.removeAllRanges()
    selection?.addRange(range)
    await taken
  }, at === 'start')
}

/**
 * Selects the first occurrence of `phrase` in the editor (across span
 * boundaries), as a mouse drag over it would.
 */
export async function selectPhrase(page: Page, phrase: string, occurrence = 0): Promise<void> {
  const found = await page.getByTestId('editor').evaluate(
    (editor, { phrase, occurrence }) => {
      const root = editor.querySelector('[contenteditable="true"]') ?? editor
      // remote carets carry their user's name as text: not part of the article
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) =>
          node.parentElement?.closest('.collab-caret')
            ? NodeFilter.FILTER_REJECT
            : NodeFilter.FILTER_ACCEPT,
      })
      const nodes: Text[] = []
      let text = ''
      const starts: number[] = []
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        starts.push(text.length)
        nodes.push(node as Text)
        text += (node as Text).data
      }
      let index = -1
      for (let i = 0; i <= occurrence; i++) index = text.indexOf(phrase, index + 1)
      if (index < 0) return false
      const locate = (offset: number, preferEnd: boolean) => {
        for (let i = nodes.length - 1; i >= 0; i--) {
          const start = starts[i] as number
          if (offset > start || (!preferEnd && offset === start)) {
            return { node: nodes[i] as Text, offset: offset - start }
          }
        }
        return { node: nodes[0] as Text, offset: 0 }
      }
      const from = locate(index, false)
      const to = locate(index + phrase.length, true)
      const range = document.createRange()
      range.setStart(from.node, from.offset)
      range.setEnd(to.node, to.offset)
      ;(root as HTMLElement).focus()
      const selection = getSelection()
      selection?.removeAllRanges()
      selection?.addRange(range)
      root.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }))
      return true
    },
    { phrase, occurrence },
  )
  if (!found) throw new Error(`phrase not in the editor: ${phrase}`)
}
