/**
 * Accounts in the browser: the one-time setup of the first administrator from
 * the link the server prints, wrong passwords and the lock-out after five,
 * an administrator creating an editor and a viewer (the viewer reads the demo
 * live but cannot change it), deactivating an account that has a document
 * open, sharing a document read-only and taking it back, and names, titles,
 * notes and speakers that look like markup staying text everywhere.
 */
import {
  adminAccount,
  type ServerProcess,
  startServerProcess,
  TEST_ADMIN,
  type TestAccount,
  testAccount,
} from '@hashiya/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, screenshot } from './browser.js'
import {
  DEMO_ID,
  expectConnection,
  newBrowserPage,
  openFromList,
  placeCaretAtEnd,
  signInThroughLoginPage,
} from './editor.js'

/** What the Arabic interface says (apps/web/src/i18n/ar.json). */
const AR = {
  invalidCredentials: 'اسم المستخدم أو كلمة المرور غير صحيحة',
  tooMany: 'محاولات كثيرة',
}

let browser: Browser
let server: ServerProcess
let admin: TestAccount
const contexts: BrowserContext[] = []

beforeAll(async () => {
  browser = await launchChromium()
  server = await startServerProcess()
  admin = await adminAccount(server.url)
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await server?.stop()
  server?.cleanup()
})

/** A new browser (own cookies) on `url`. */
async function newPage(url: string, label: string): Promise<Page> {
  const { page, context } = await newBrowserPage(browser, url, label)
  contexts.push(context)
  return page
}

/** The page comes back into view (another tab was in front): what it shows is asked again. */
async function showAgain(page: Page): Promise<void> {
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
}

async function api<T>(
  path: string,
  headers: Record<string, string>,
  init: RequestInit = {},
): Promise<{ status: number; body: T; response: Response; text: string }> {
  const response = await fetch(new URL(path, server.url), { ...init, headers })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: response.status, body: body as T, response, text }
}

/** The demo's paragraphs as the server stores them, read with the administrator's token. */
async function storedParagraphs(id = DEMO_ID): Promise<string[]> {
  const { status, body } = await api<{ document: { paragraphs: string[] } }>(
    `/api/documents/${id}`,
    admin.headers,
  )
  expect(status).toBe(200)
  return body.document.paragraphs
}

const presenceIds = (page: Page) =>
  page
    .getByTestId('presence-user')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-user-id')))

describe('the first start of a new server', () => {
  let fresh: ServerProcess | undefined

  afterAll(async () => {
    await fresh?.stop()
    fresh?.cleanup()
  })

  it('creates the administrator from the printed setup link and lands on the list signed in', async () => {
    fresh = await startServerProcess({ env: { ADMIN_USERNAME: '', ADMIN_PASSWORD: '' } })
    const started = fresh
    await expect.poll(() => started.output(), { timeout: 10_000 }).toMatch(/\/setup\?code=/)
    const link = /(https?:\/\/\S+\/setup\?code=([A-Za-z0-9-]+))/.exec(started.output())
    expect(link).not.toBeNull()
    const [, setupUrl = '', code = ''] = link ?? []
    expect(new URL(setupUrl).origin).toBe(started.url)

    // before setup there is no signing in: the app sends everyone to the setup page
    const page = await newPage(started.url, 'first administrator')
    await page.goto('/')
    await page.waitForURL((url) => url.pathname === '/setup', { timeout: 15_000 })

    await page.goto(setupUrl)
    await page.getByTestId('setup-username').waitFor()
    // the printed link fills in the code
    expect(await page.getByTestId('setup-code').inputValue()).toBe(code)
    await page.getByTestId('setup-username').fill('chief')
    await page.getByTestId('setup-display-name').fill('رئيسة التحرير')
    await page.getByTestId('setup-password').fill('a long setup password')
    await page.getByTestId('setup-password-confirm').fill('a long setup password')
    await screenshot(page, 'accounts-setup')
    await page.getByTestId('setup-submit').click()

    await page.waitForURL((url) => url.pathname === '/', { timeout: 15_000 })
    await page.getByTestId('document-list').waitFor()
    await page.locator(`[data-testid="document-row"][data-document-id="${DEMO_ID}"]`).waitFor()
    expect(await page.getByTestId('user-display-name').textContent()).toBe('رئيسة التحرير')
    expect(await page.getByTestId('user-role').getAttribute('data-role')).toBe('admin')
    await page.getByTestId('nav-admin').waitFor()
    await screenshot(page, 'accounts-setup-done')

    // the code worked once: the setup page is closed, the session stays
    await page.goto('/setup')
    await page.waitForURL((url) => url.pathname === '/', { timeout: 15_000 })
    const setup = await fetch(`${started.url}/api/setup`)
    expect(await setup.json()).toEqual({ required: false })
    // the new administrator signs in with the password chosen on the page
    const session = await fetch(`${started.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'chief', password: 'a long setup password' }),
    })
    expect(session.status).toBe(200)
  })
})

describe('signing in with the wrong password', () => {
  it('says so, and after five failures asks to wait even with the right password', async () => {
    const account = await testAccount(server.url, 'nadia', 'editor', 'نادية')
    const page = await newPage(server.url, 'nadia')
    await page.goto('/')
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 15_000 })

    const attempt = async (password: string) => {
      await page.getByTestId('login-username').fill(account.id)
      await page.getByTestId('login-password').fill(password)
      const answered = page.waitForResponse(
        (response) =>
          new URL(response.url()).pathname === '/api/session' &&
          response.request().method() === 'POST',
      )
      await page.getByTestId('login-submit').click()
      const response = await answered
      await page.getByTestId('login-error').waitFor()
      // the button is usable again once the answer is shown
      await expect.poll(() => page.getByTestId('login-submit').isEnabled()).toBe(true)
      return response.status()
    }

    for (let failure = 1; failure <= 5; failure++) {
      expect(await attempt(`wrong password ${failure}`), `failure ${failure}`).toBe(401)
      expect(await page.getByTestId('login-error').textContent()).toContain(AR.invalidCredentials)
      if (failure === 1) await screenshot(page, 'accounts-login-error')
    }
    // locked out now: even the right password is refused for a while
    expect(await attempt(account.password)).toBe(429)
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain(AR.tooMany)
    expect(page.url()).toContain('/login')
    await screenshot(page, 'accounts-login-throttled')
  })
})

describe('accounts made by an administrator', () => {
  const EDITOR = { id: 'dana', name: 'دانة', password: 'dana editor password' }
  const VIEWER = { id: 'wael', name: 'وائل', password: 'wael viewer password' }
  let adminPage: Page
  let viewerPage: Page
  let editorPage: Page

  async function createOnAdminPage(user: typeof EDITOR, role: 'editor' | 'viewer') {
    await adminPage.getByTestId('new-user-username').fill(user.id)
    await adminPage.getByTestId('new-user-display-name').fill(user.name)
    await adminPage.getByTestId('new-user-role').selectOption(role)
    await adminPage.getByTestId('new-user-password').fill(user.password)
    await adminPage.getByTestId('new-user-submit').click()
    const row = adminPage.getByTestId(`user-row-${user.id}`)
    await row.waitFor({ timeout: 10_000 })
    expect(await row.getAttribute('data-role')).toBe(role)
    expect(await row.getAttribute('data-active')).toBe('true')
    expect(await row.textContent()).toContain(user.name)
    expect(await adminPage.getByTestId('new-user-error').count()).toBe(0)
  }

  it('creates an editor and a viewer on the users page', async () => {
    adminPage = await newPage(server.url, 'admin')
    await signInThroughLoginPage(adminPage, TEST_ADMIN.username, TEST_ADMIN.password)
    await adminPage.getByTestId('nav-admin').click()
    await adminPage.waitForURL((url) => url.pathname === '/admin/users')
    await adminPage.getByTestId('user-table').waitFor({ timeout: 10_000 })
    await createOnAdminPage(EDITOR, 'editor')
    await createOnAdminPage(VIEWER, 'viewer')
    // the server has them with those roles
    const { body } = await api<{ users: { id: string; role: string; active: boolean }[] }>(
      '/api/users',
      admin.headers,
    )
    expect(body.users.find((u) => u.id === EDITOR.id)).toMatchObject({
      role: 'editor',
      active: true,
    })
    expect(body.users.find((u) => u.id === VIEWER.id)).toMatchObject({
      role: 'viewer',
      active: true,
    })
    await screenshot(adminPage, 'accounts-admin-users')
  })

  it('renames an account on the users page, and the server has the new name', async () => {
    const rename = async (name: string) => {
      await adminPage.getByTestId(`user-rename-${VIEWER.id}`).click()
      const dialog = adminPage.getByTestId('rename-dialog')
      await dialog.waitFor()
      await adminPage.getByTestId('rename-display-name').fill(name)
      await adminPage.getByTestId('rename-submit').click()
      await dialog.waitFor({ state: 'hidden' })
    }
    // an empty name is refused in the dialog, which stays open
    await adminPage.getByTestId(`user-rename-${VIEWER.id}`).click()
    await adminPage.getByTestId('rename-display-name').fill('   ')
    await adminPage.getByTestId('rename-submit').click()
    await adminPage.getByTestId('rename-error').waitFor()
    await adminPage.keyboard.press('Escape')
    await adminPage.getByTestId('rename-dialog').waitFor({ state: 'hidden' })

    await rename('قارئة الأرشيف')
    const row = adminPage.getByTestId(`user-row-${VIEWER.id}`)
    await adminPage.waitForFunction(
      (id) =>
        document
          .querySelector(`[data-testid="user-row-${id}"]`)
          ?.textContent?.includes('قارئة الأرشيف'),
      VIEWER.id,
    )
    const { body } = await api<{ users: { id: string; displayName: string }[] }>(
      '/api/users',
      admin.headers,
    )
    expect(body.users.find((u) => u.id === VIEWER.id)?.displayName).toBe('قارئة الأرشيف')
    await screenshot(adminPage, 'accounts-admin-renamed')
    // back to the name the next tests expect
    await rename(VIEWER.name)
    await adminPage.waitForFunction(
      ({ id, name }) =>
        document.querySelector(`[data-testid="user-row-${id}"]`)?.textContent?.includes(name),
      { id: VIEWER.id, name: VIEWER.name },
    )
    expect(await row.textContent()).not.toContain('قارئة الأرشيف')

    // a new password set here is the one that signs in; then back to the one the next tests use
    const resetTo = async (password: string) => {
      await adminPage.getByTestId(`user-reset-${VIEWER.id}`).click()
      await adminPage.getByTestId('reset-dialog').waitFor()
      await adminPage.getByTestId('reset-password').fill(password)
      await adminPage.getByTestId('reset-password-confirm').fill(password)
      await adminPage.getByTestId('reset-submit').click()
      await adminPage.getByTestId('reset-dialog').waitFor({ state: 'hidden' })
    }
    await resetTo('wael temporary password')
    const signedIn = await newPage(server.url, 'viewer with a reset password')
    await signInThroughLoginPage(signedIn, VIEWER.id, 'wael temporary password')
    await signedIn.context().close()
    await resetTo(VIEWER.password)
  })

  it('lets the viewer read the demo live without changing it, present for the editor', async () => {
    const before = await storedParagraphs()
    viewerPage = await newPage(server.url, VIEWER.id)
    await signInThroughLoginPage(viewerPage, VIEWER.id, VIEWER.password)
    await openFromList(viewerPage, DEMO_ID)
    await viewerPage.getByTestId('read-only-badge').waitFor()
    expect(await viewerPage.getByTestId('user-role').getAttribute('data-role')).toBe('viewer')

    // typing into the article does nothing, in the page or on the server
    const paragraph = viewerPage.getByTestId('editor').locator('p').nth(2)
    const shown = await paragraph.textContent()
    await paragraph.click()
    await viewerPage.keyboard.type(' كتابة القارئ')
    await viewerPage.keyboard.press('Enter')
    await viewerPage.keyboard.press('Backspace')
    await viewerPage.waitForTimeout(1_000)
    expect(await paragraph.textContent()).toBe(shown)
    expect(await viewerPage.getByTestId('editor').textContent()).not.toContain('كتابة القارئ')
    expect(await storedParagraphs()).toEqual(before)

    // the editor, in a third browser, sees the viewer among those present
    editorPage = await newPage(server.url, EDITOR.id)
    await signInThroughLoginPage(editorPage, EDITOR.id, EDITOR.password)
    await openFromList(editorPage, DEMO_ID)
    expect(await editorPage.getByTestId('read-only-badge').count()).toBe(0)
    await expect
      .poll(() => presenceIds(editorPage), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([VIEWER.id, EDITOR.id]))
    await expect
      .poll(() => editorPage.getByTestId('presence-user').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining(VIEWER.name)]))

    // the editor's typing reaches the server and the viewer; the viewer's never did
    await placeCaretAtEnd(editorPage.getByTestId('editor').locator('p').nth(2))
    await editorPage.keyboard.type(' كتابة المحررة')
    await expect
      .poll(async () => (await storedParagraphs()).join('\n'), { timeout: 10_000 })
      .toContain('كتابة المحررة')
    await expect
      .poll(() => viewerPage.getByTestId('editor').textContent(), { timeout: 10_000 })
      .toContain('كتابة المحررة')
    expect((await storedParagraphs()).join('\n')).not.toContain('كتابة القارئ')
    expect(await editorPage.getByTestId('editor').textContent()).not.toContain('كتابة القارئ')
    await viewerPage.evaluate(() => window.scrollTo(0, 0))
    await viewerPage.getByTestId('read-only-badge').scrollIntoViewIfNeeded()
    await screenshot(viewerPage, 'accounts-viewer-read-only')
    await screenshot(editorPage, 'accounts-editor-sees-viewer')
  })

  it('signs a deactivated editor out of the open document at once', async () => {
    await expectConnection(editorPage, 'connected')
    const row = adminPage.getByTestId(`user-row-${EDITOR.id}`)
    const started = Date.now()
    await adminPage.getByTestId(`user-active-${EDITOR.id}`).uncheck()
    await editorPage.waitForURL((url) => url.pathname === '/login', { timeout: 5_000 })
    const elapsed = Date.now() - started
    // the connection was closed by the deactivation, not by the periodic session check (30 s)
    expect(elapsed).toBeLessThan(5_000)
    const notice = editorPage.getByTestId('login-notice')
    await notice.waitFor()
    expect(await notice.getAttribute('data-reason')).toBe('revoked')
    await expect.poll(() => row.getAttribute('data-active')).toBe('false')
    await screenshot(editorPage, 'accounts-deactivated-login')

    // and cannot sign in again
    await editorPage.getByTestId('login-username').fill(EDITOR.id)
    await editorPage.getByTestId('login-password').fill(EDITOR.password)
    await editorPage.getByTestId('login-submit').click()
    await editorPage.getByTestId('login-error').waitFor()
    expect(editorPage.url()).toContain('/login')
    // the viewer is unaffected
    await expectConnection(viewerPage, 'connected')
    console.info(`deactivation reached the open editor in ${elapsed} ms`)
  })

  it('offers what a changed role allows on an open list once the page is shown again', async () => {
    const setViewerRole = async (role: 'editor' | 'viewer') => {
      const { status } = await api(
        `/api/users/${VIEWER.id}`,
        { ...admin.headers, 'content-type': 'application/json' },
        { method: 'PATCH', body: JSON.stringify({ role }) },
      )
      expect(status).toBe(200)
    }
    const page = await newPage(server.url, VIEWER.id)
    await signInThroughLoginPage(page, VIEWER.id, VIEWER.password)
    await page.getByTestId('document-list').waitFor()
    // a viewer creates nothing
    expect(await page.getByTestId('new-document-title').count()).toBe(0)
    await setViewerRole('editor')
    try {
      await showAgain(page)
      await page.getByTestId('new-document-title').waitFor({ timeout: 10_000 })
      expect(await page.getByTestId('user-role').getAttribute('data-role')).toBe('editor')
    } finally {
      await page.context().close()
      await setViewerRole('viewer')
    }
  })
})

describe('sharing a document', () => {
  let owner: TestAccount
  let reader: TestAccount
  let ownerPage: Page
  let readerPage: Page
  let documentId = ''
  const TITLE = 'مسودة مشتركة'

  it('shows a document shared read-only in the other editor’s list, read-only', async () => {
    owner = await testAccount(server.url, 'rana', 'editor', 'رنا')
    reader = await testAccount(server.url, 'omar', 'editor', 'عمر')

    ownerPage = await newPage(server.url, owner.id)
    await signInThroughLoginPage(ownerPage, owner.id, owner.password)
    await ownerPage.getByTestId('new-document-title').fill(TITLE)
    await ownerPage.getByTestId('new-document-body').fill('فقرة أولى من المسودة.\nفقرة ثانية.')
    await ownerPage.getByTestId('new-document-submit').click()
    await ownerPage.waitForURL((url) => url.pathname.startsWith('/d/'), { timeout: 15_000 })
    documentId = decodeURIComponent(new URL(ownerPage.url()).pathname.split('/').pop() ?? '')
    await ownerPage.getByTestId('editor').waitFor({ timeout: 15_000 })
    await expectConnection(ownerPage, 'connected')

    // before sharing, the other editor does not see it
    readerPage = await newPage(server.url, reader.id)
    await signInThroughLoginPage(readerPage, reader.id, reader.password)
    await readerPage.getByTestId('document-list').waitFor()
    expect(
      await readerPage.locator(`[data-document-id="${documentId}"]`).count(),
      'not shared yet',
    ).toBe(0)

    await ownerPage.getByTestId('share-button').click()
    const dialog = ownerPage.getByTestId('share-dialog')
    await dialog.waitFor()
    await ownerPage
      .locator(`[data-testid="share-grant"][data-user-id="${owner.id}"][data-level="owner"]`)
      .waitFor()
    await ownerPage.getByTestId('share-user').selectOption(reader.id)
    await ownerPage.getByTestId('share-level').selectOption('read')
    await ownerPage.getByTestId('share-add').click()
    await ownerPage
      .locator(`[data-testid="share-grant"][data-user-id="${reader.id}"][data-level="read"]`)
      .waitFor({ timeout: 10_000 })
    expect(await ownerPage.getByTestId('share-error').count()).toBe(0)
    await screenshot(ownerPage, 'accounts-share-dialog')
    const { body } = await api<{ grants: { userId: string; level: string }[] }>(
      `/api/documents/${documentId}/access`,
      owner.headers,
    )
    expect(body.grants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: owner.id, level: 'owner' }),
        expect.objectContaining({ userId: reader.id, level: 'read' }),
      ]),
    )

    // no reload: the list is asked again when its page is shown again
    await showAgain(readerPage)
    const row = readerPage.locator(`[data-testid="document-row"][data-document-id="${documentId}"]`)
    await row.waitFor({ timeout: 10_000 })
    expect(await row.getAttribute('data-permission')).toBe('read')
    await row.getByTestId('document-permission').waitFor()
    expect(await row.textContent()).toContain(TITLE)
    // no renaming or deleting someone else's document
    expect(await row.getByTestId('rename-document').count()).toBe(0)
    expect(await row.getByTestId('delete-document').count()).toBe(0)
    await screenshot(readerPage, 'accounts-shared-list')

    await openFromList(readerPage, documentId)
    await readerPage.getByTestId('read-only-badge').waitFor()
    expect(await readerPage.getByTestId('share-button').count()).toBe(0)
  })

  it('shows “access removed” on the open page when the share is taken back', async () => {
    await ownerPage.getByTestId(`share-remove-${reader.id}`).click()
    await ownerPage
      .locator(`[data-testid="share-grant"][data-user-id="${reader.id}"]`)
      .waitFor({ state: 'detached', timeout: 10_000 })
    await readerPage.getByTestId('access-removed').waitFor({ timeout: 10_000 })
    expect(await readerPage.getByTestId('editor').count()).toBe(0)
    // the article's text is not left on the page
    expect(await readerPage.locator('main').textContent()).not.toContain('فقرة أولى من المسودة')
    await screenshot(readerPage, 'accounts-access-removed')
    await ownerPage.getByTestId('share-close').click()
    // and the document has left the list
    await readerPage.goto('/')
    await readerPage.getByTestId('document-list').waitFor()
    expect(await readerPage.locator(`[data-document-id="${documentId}"]`).count()).toBe(0)
    const denied = await api(`/api/documents/${documentId}`, reader.headers)
    expect(denied.status).toBe(404)
  })
})

describe('names, titles, notes and speakers that look like markup', () => {
  const NAME = '<img src=x onerror="window.__pwned=1">'
  const TITLE = '<script>window.__pwned=2</script>'
  const NOTE = '<svg onload="window.__pwned=3">'
  const SPEAKER = '"><img src=x onerror=window.__pwned=4>'
  const FIRST = 'قال الوزير إن الاتفاق سيوقع غدا.'
  const QUOTED = 'إن الاتفاق سيوقع غدا'

  let lead: TestAccount
  let viewer: TestAccount
  let documentId = ''
  let leadPage: Page
  let adminPage: Page

  /** Fails if anything from the payloads ran or became an element or a handler. */
  async function expectInert(page: Page, where: string): Promise<void> {
    // an onerror or onload would have fired by now
    await page.waitForTimeout(300)
    const found = await page.evaluate(() => {
      const root = document.getElementById('root')
      const handlers = [...document.querySelectorAll('*')].flatMap((element) =>
        [...element.attributes]
          .filter((attribute) => /^on/i.test(attribute.name))
          .map((attribute) => `${element.tagName.toLowerCase()}[${attribute.name}]`),
      )
      return {
        pwned: (window as { __pwned?: unknown }).__pwned ?? null,
        imgX: document.querySelectorAll('img[src="x"]').length,
        svgOnload: document.querySelectorAll('svg[onload]').length,
        scripts: [...document.querySelectorAll('script')].filter((s) =>
          (s.textContent ?? '').includes('__pwned'),
        ).length,
        handlers,
        rendered: (root?.childElementCount ?? 0) > 0,
      }
    })
    expect(found, where).toEqual({
      pwned: null,
      imgX: 0,
      svgOnload: 0,
      scripts: 0,
      handlers: [],
      rendered: true,
    })
  }

  it('creates the account, document and annotation through the API', async () => {
    lead = await testAccount(server.url, 'xss-lead', 'lead', NAME)
    viewer = await testAccount(server.url, 'xss-viewer', 'viewer', 'قارئة')
    const created = await api<{ document: { id: string; title: string } }>(
      '/api/documents',
      lead.headers,
      {
        method: 'POST',
        body: JSON.stringify({ title: TITLE, body: `${FIRST}\nفقرة ثانية للتجربة.` }),
      },
    )
    expect(created.status, created.text).toBe(201)
    expect(created.body.document.title).toBe(TITLE)
    documentId = created.body.document.id
    const start = Array.from(FIRST.slice(0, FIRST.indexOf(QUOTED))).length
    const annotation = await api<{
      annotation: { note: string; speaker: string; author: string; text: string }
    }>(`/api/documents/${documentId}/annotations`, lead.headers, {
      method: 'POST',
      body: JSON.stringify({
        kind: 'quote',
        start,
        end: start + Array.from(QUOTED).length,
        note: NOTE,
        speaker: SPEAKER,
      }),
    })
    expect(annotation.status, annotation.text).toBe(201)
    expect(annotation.body.annotation).toMatchObject({
      note: NOTE,
      speaker: SPEAKER,
      author: lead.id,
      text: QUOTED,
    })
    const shared = await api(`/api/documents/${documentId}/access/${viewer.id}`, lead.headers, {
      method: 'PUT',
      body: JSON.stringify({ level: 'read' }),
    })
    expect(shared.status, shared.text).toBe(200)
  })

  it('keeps them text in the list and the header', async () => {
    leadPage = await newPage(server.url, lead.id)
    await signInThroughLoginPage(leadPage, lead.id, lead.password)
    const row = leadPage.locator(`[data-testid="document-row"][data-document-id="${documentId}"]`)
    await row.waitFor({ timeout: 10_000 })
    expect(await row.locator('a').first().textContent()).toBe(TITLE)
    await expect.poll(() => leadPage.getByTestId('user-display-name').textContent()).toBe(NAME)
    await expectInert(leadPage, 'list')
    await screenshot(leadPage, 'accounts-xss-list')
    // the account menu names the account too
    await leadPage.getByTestId('user-menu').click()
    await leadPage.getByTestId('sign-out').waitFor()
    expect(await leadPage.locator('.user-menu__popup').textContent()).toContain(NAME)
    await expectInert(leadPage, 'account menu')
    await leadPage.keyboard.press('Escape')
    await leadPage.getByTestId('sign-out').waitFor({ state: 'detached' })
  })

  it('keeps them text in the editor: title, panel and presence', async () => {
    await openFromList(leadPage, documentId)
    expect(await leadPage.getByTestId('document-title').textContent()).toBe(TITLE)
    expect(await leadPage.title()).toContain(TITLE)
    const entry = leadPage.getByTestId('annotation-entry').first()
    await entry.waitFor({ timeout: 10_000 })
    expect(await entry.getAttribute('data-kind')).toBe('quote')
    // the author is named by the display name, as text
    expect(await entry.locator('.annotation-entry__author').textContent()).toContain(NAME)
    // a lead edits notes and speakers in fields: the payloads are their values
    expect(await entry.getByTestId('annotation-note').inputValue()).toBe(NOTE)
    expect(await entry.getByTestId('annotation-speaker').inputValue()).toBe(SPEAKER)
    await expect
      .poll(() => leadPage.getByTestId('presence-user').allTextContents())
      .toEqual([expect.stringContaining(NAME)])
    await expectInert(leadPage, 'editor')
    await screenshot(leadPage, 'accounts-xss-editor')

    // a colleague sees the name in the presence list and on the remote caret
    adminPage = await newPage(server.url, 'admin')
    await signInThroughLoginPage(adminPage, TEST_ADMIN.username, TEST_ADMIN.password)
    await openFromList(adminPage, documentId)
    await expect
      .poll(() => adminPage.getByTestId('presence-user').allTextContents(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining(NAME)]))
    await placeCaretAtEnd(leadPage.getByTestId('editor').locator('p').first())
    const caret = adminPage.locator('.collab-caret__label').first()
    await caret.waitFor({ timeout: 10_000 })
    expect(await caret.textContent()).toContain(NAME)
    await expectInert(adminPage, 'colleague’s editor with the caret')
    await expectInert(leadPage, 'editor with a colleague')
    await screenshot(adminPage, 'accounts-xss-caret')
  })

  it('keeps them text in the history a lead reviews', async () => {
    await leadPage.getByTestId('history-tab').click()
    await leadPage.getByTestId('history-panel').waitFor()
    await leadPage.getByTestId('history-section-events').click()
    const event = leadPage.locator(`[data-testid="history-event"][data-user-id="${lead.id}"]`)
    await event.first().waitFor({ timeout: 10_000 })
    expect(await event.first().textContent()).toContain(NAME)
    const option = leadPage.locator(
      `[data-testid="history-filter-user"] option[value="${lead.id}"]`,
    )
    expect(await option.textContent()).toContain(NAME)
    await expectInert(leadPage, 'history timeline')
    await screenshot(leadPage, 'accounts-xss-history')
    await leadPage.getByTestId('history-section-activity').click()
    await leadPage.getByTestId('activity-chart').waitFor()
    await expectInert(leadPage, 'activity chart')
    await leadPage.getByTestId('history-section-versions').click()
    await expectInert(leadPage, 'versions')
  })

  it('keeps them text in the share dialog and on the users page', async () => {
    await leadPage.getByTestId('share-button').click()
    await leadPage.getByTestId('share-dialog').waitFor()
    const ownerGrant = leadPage.locator(
      `[data-testid="share-grant"][data-user-id="${lead.id}"][data-level="owner"]`,
    )
    await ownerGrant.waitFor({ timeout: 10_000 })
    expect(await ownerGrant.textContent()).toContain(NAME)
    expect(await leadPage.getByTestId('share-dialog').textContent()).toContain(TITLE)
    await expectInert(leadPage, 'share dialog')
    await screenshot(leadPage, 'accounts-xss-share')
    await leadPage.getByTestId('share-close').click()

    // the administrator's share dialog offers the lead by name
    await adminPage.getByTestId('share-button').click()
    await adminPage.getByTestId('share-dialog').waitFor()
    await adminPage
      .locator(`[data-testid="share-grant"][data-user-id="${lead.id}"]`)
      .waitFor({ timeout: 10_000 })
    expect(
      await adminPage
        .locator(`[data-testid="share-grant"][data-user-id="${lead.id}"]`)
        .textContent(),
    ).toContain(NAME)
    await expectInert(adminPage, 'administrator’s share dialog')
    await adminPage.getByTestId('share-close').click()

    await adminPage.getByTestId('nav-admin').click()
    const row = adminPage.getByTestId(`user-row-${lead.id}`)
    await row.waitFor({ timeout: 10_000 })
    expect(await row.textContent()).toContain(NAME)
    await row.scrollIntoViewIfNeeded()
    await expectInert(adminPage, 'users page')
    await screenshot(adminPage, 'accounts-xss-admin')
  })

  it('keeps them text for a viewer, whose notes and speakers are plain text', async () => {
    const page = await newPage(server.url, viewer.id)
    await signInThroughLoginPage(page, viewer.id, viewer.password)
    const row = page.locator(`[data-testid="document-row"][data-document-id="${documentId}"]`)
    await row.waitFor({ timeout: 10_000 })
    expect(await row.locator('a').first().textContent()).toBe(TITLE)
    await expectInert(page, 'viewer’s list')
    await openFromList(page, documentId)
    await page.getByTestId('read-only-badge').waitFor()
    const entry = page.getByTestId('annotation-entry').first()
    await entry.waitFor({ timeout: 10_000 })
    expect(await entry.getByTestId('annotation-note-text').textContent()).toContain(NOTE)
    expect(await entry.getByTestId('annotation-speaker-text').textContent()).toContain(SPEAKER)
    expect(await entry.textContent()).toContain(NAME)
    await expect
      .poll(() => page.getByTestId('presence-user').allTextContents(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining(NAME)]))
    await expectInert(page, 'viewer’s editor')
    await screenshot(page, 'accounts-xss-viewer')
  })

  it('escapes them in every export format, and the HTML export runs nothing', async () => {
    const formats = [
      'json',
      'w3c',
      'html',
      'docx',
      'csv',
      'brat',
      'labelstudio',
      'labelstudio-config',
    ]
    const files = new Map<string, { type: string; text: string; bytes: number }>()
    for (const format of formats) {
      const exported = await api(
        `/api/documents/${documentId}/export?format=${format}`,
        lead.headers,
      )
      expect(exported.status, `${format}: ${exported.text.slice(0, 200)}`).toBe(200)
      expect(exported.response.headers.get('x-content-type-options')).toBe('nosniff')
      const type = (exported.response.headers.get('content-type') ?? '').split(';')[0] ?? ''
      // only the HTML export is served as a web page
      if (format !== 'html') expect(type, format).not.toBe('text/html')
      files.set(format, { type, text: exported.text, bytes: exported.text.length })
    }

    const html = files.get('html')?.text ?? ''
    expect(html).not.toMatch(/<img[^>]*src=x/i)
    expect(html).not.toMatch(/<script>window\.__pwned/i)
    expect(html).not.toMatch(/<svg[^>]*onload/i)
    expect(html).toContain('&lt;script&gt;window.__pwned=2&lt;/script&gt;')
    expect(html).toContain('&lt;svg onload=&quot;window.__pwned=3&quot;&gt;')
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=window.__pwned=4&gt;')

    // structured formats keep the text as data, unchanged (their readers must escape it)
    const json = JSON.parse(files.get('json')?.text ?? '{}') as {
      document?: { title?: string }
      annotations?: { note?: string; speaker?: string }[]
    }
    expect(json.document?.title).toBe(TITLE)
    expect(json.annotations?.[0]).toMatchObject({ note: NOTE, speaker: SPEAKER })
    // the Label Studio configuration is XML built from the kinds alone
    const config = files.get('labelstudio-config')?.text ?? ''
    expect(config).not.toContain('__pwned')

    // opened in a browser with scripts allowed, the HTML export runs nothing
    const { page, context } = await newBrowserPage(browser, server.url, 'html export reader')
    contexts.push(context)
    await page.setContent(html, { waitUntil: 'load' })
    await page.waitForTimeout(300)
    const rendered = await page.evaluate(() => ({
      pwned: (window as { __pwned?: unknown }).__pwned ?? null,
      imgX: document.querySelectorAll('img[src="x"]').length,
      svg: document.querySelectorAll('svg[onload]').length,
      handlers: [...document.querySelectorAll('*')].filter((element) =>
        [...element.attributes].some((attribute) => /^on/i.test(attribute.name)),
      ).length,
      title: document.title,
      text: document.body.textContent ?? '',
    }))
    expect(rendered).toMatchObject({ pwned: null, imgX: 0, svg: 0, handlers: 0, title: TITLE })
    expect(rendered.text).toContain(TITLE)
    await screenshot(page, 'accounts-xss-html-export')
    console.info(
      'exports:',
      [...files].map(([format, file]) => `${format} ${file.type} ${file.bytes}`).join(', '),
    )
  })
})
