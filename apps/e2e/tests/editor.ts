/**
 * Driving the article editor the way a person does: open the app, pick a
 * name, open the demo article, select a phrase.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'

export interface OpenedEditor {
  page: Page
  context: BrowserContext
}

/** Opens the app as a new user would: pick a name, then open the demo from the list. */
export async function openDemoAs(
  browser: Browser,
  baseURL: string,
  name: string,
): Promise<OpenedEditor> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1400, height: 900 },
    locale: 'ar',
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => {
    throw new Error(`page error in ${name}'s browser: ${error.message}`)
  })
  await page.goto('/')
  await page.getByTestId('user-name-input').fill(name)
  await page.getByTestId('user-name-save').click()
  await page.getByTestId('document-row').first().click()
  await page.getByTestId('editor').waitFor()
  await expectConnection(page, 'connected')
  return { page, context }
}

export async function expectConnection(page: Page, state: string, timeout = 15_000): Promise<void> {
  await page
    .locator(`[data-testid="connection-status"][data-state="${state}"]`)
    .waitFor({ timeout })
}

/** Puts the caret after the last letter of a block, as a click at its logical end would. */
export async function placeCaretAtEnd(block: Locator): Promise<void> {
  await block.click()
  await block.evaluate((element) => {
    const range = document.createRange()
    range.selectNodeContents(element)
    range.collapse(false)
    const selection = getSelection()
    selection?.removeAllRanges()
    selection?.addRange(range)
  })
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
