/**
 * Accounts and hardening against a real server: read-only viewers, access
 * changes reaching open connections, sign-in throttling, the one-time setup,
 * CSRF and CORS, security headers, limits on what one connection may send
 * (also while its document is still loading, on PostgreSQL), and no secrets in
 * the logs.
 */
import { readParagraphs } from '@hashiya/document'
import { encodeAwarenessFrame, encodeSyncStep1, encodeSyncUpdate } from '@hashiya/sync-protocol'
import {
  adminAccount,
  type ServerProcess,
  signInCookie,
  startServerProcess,
  TEST_ADMIN,
  TEST_PASSWORD,
  type TestAccount,
  testAccount,
  waitFor,
} from '@hashiya/testing'
import {
  createTestDatabase,
  postgresUnavailable,
  type TestDatabase,
  withConnection,
} from '@hashiya/testing/postgres'
import { skipWithout } from '@hashiya/testing/required'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { connectStockClient, type StockClient, typeInto, whenSynced } from './clients.js'

const DEMO = 'demo-musk-putin'

let server: ServerProcess
let admin: TestAccount
const clients: StockClient[] = []

beforeAll(async () => {
  server = await startServerProcess({ env: { LOGIN_FAILURES_PER_ACCOUNT: '5' } })
  admin = await adminAccount(server.url)
})

afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await server?.stop()
  server?.cleanup()
})

function stock(account: TestAccount, name = account.id): StockClient {
  const client = connectStockClient(server.wsUrl, DEMO, { token: account.token, name })
  clients.push(client)
  return client
}

interface RawSocket {
  ws: WebSocket
  closed: Promise<{ code: number; reason: string }>
  frames: Uint8Array[]
}

async function rawSocket(
  documentId: string,
  token: string,
  on: ServerProcess = server,
): Promise<RawSocket> {
  const ws = new WebSocket(`${on.wsUrl}/sync/${documentId}?token=${encodeURIComponent(token)}`)
  const frames: Uint8Array[] = []
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)))
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  ws.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
  return { ws, closed, frames }
}

async function api(path: string, account: TestAccount, init: RequestInit = {}) {
  const response = await fetch(new URL(path, server.url), {
    ...init,
    headers: { ...account.headers, ...(init.headers as Record<string, string>) },
  })
  // biome-ignore lint/suspicious/noExplicitAny: responses of many shapes, checked by the assertions
  return { status: response.status, body: (await response.json().catch(() => null)) as any }
}

async function storedText(): Promise<string> {
  const { body } = await api(`/api/documents/${DEMO}`, admin)
  return JSON.stringify(body.document.paragraphs)
}

describe('viewers are read-only', () => {
  it('drops a viewer’s updates: the stored document and other clients are unchanged, presence still works', async () => {
    const viewer = await testAccount(server.url, 'reader', 'viewer', 'قارئ')
    const editor = stock(await testAccount(server.url, 'writer', 'editor'), 'كاتب')
    await whenSynced(editor)
    const before = await storedText()

    // A stock client as the viewer: it syncs, types, and announces itself.
    const viewing = stock(viewer, 'قارئ')
    await whenSynced(viewing)
    typeInto(viewing, 0, ' — كتابة ممنوعة')
    // And a hand-made update frame, as a faulty or hostile client would send.
    const raw = await rawSocket(DEMO, viewer.token)
    const forged = new Y.Doc()
    forged.getText('forged').insert(0, 'should never be stored')
    raw.ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(forged)))

    await waitFor(
      () =>
        [...editor.provider.awareness.getStates().values()].some(
          (state) => (state.user as { name?: string } | undefined)?.name === 'قارئ',
        ),
      'the editor to see the viewer’s presence',
    )
    // The editor's own edit still goes through, after the viewer's attempts.
    typeInto(editor, 1, ' — تعديل مسموح')
    await waitFor(
      async () => (await storedText()).includes('تعديل مسموح'),
      'the editor’s edit stored',
    )
    const after = await storedText()
    expect(after).not.toContain('كتابة ممنوعة')
    expect(after.replace(' — تعديل مسموح', '')).toBe(before)
    expect(readParagraphs(editor.doc).join('\n')).not.toContain('كتابة ممنوعة')
    expect(editor.doc.share.has('forged')).toBe(false)
    // The log line travels through a pipe; it may trail the assertions above.
    await waitFor(
      () => server.output().includes('read-only connection sent a document update; dropped'),
      'the dropped update to be logged',
    )
    raw.ws.close()
  })
})

describe('presence', () => {
  it('shows the account a connection belongs to, whatever the client claims', async () => {
    const impostor = await testAccount(server.url, 'impostor', 'editor', 'منتحل')
    const watcher = stock(await testAccount(server.url, 'watcher', 'editor'))
    const claiming = stock(impostor)
    claiming.provider.awareness.setLocalStateField('user', {
      id: TEST_ADMIN.username,
      name: 'المدير',
      color: '#c0392b',
    })
    await Promise.all([whenSynced(watcher), whenSynced(claiming)])
    const seen = () =>
      watcher.provider.awareness.getStates().get(claiming.doc.clientID)?.user as
        | { id?: string; name?: string; color?: string }
        | undefined
    await waitFor(() => seen()?.id !== undefined, 'the claimed presence to arrive')
    expect(seen()).toEqual({ id: 'impostor', name: 'منتحل', color: '#c0392b' })
  })
})

describe('access changes reach open connections', () => {
  it('closes a deactivated account’s connections at once with 4401', async () => {
    const account = await testAccount(server.url, 'leaving', 'editor')
    const socket = await rawSocket(DEMO, account.token)
    const changed = await api('/api/users/leaving', admin, {
      method: 'PATCH',
      body: JSON.stringify({ active: false }),
    })
    expect(changed.status).toBe(200)
    expect((await socket.closed).code).toBe(4401)
    expect((await api('/api/documents', account)).status).toBe(401)
  })

  it('closes with 4001 when a role changes, and 4403 when a grant is removed', async () => {
    const owner = await testAccount(server.url, 'owner2', 'editor')
    const created = await api('/api/documents', owner, {
      method: 'POST',
      body: JSON.stringify({ title: 'مسودة', body: 'نص المسودة.' }),
    })
    const documentId = created.body.document.id as string
    const guest = await testAccount(server.url, 'guest', 'viewer')
    await api(`/api/documents/${documentId}/access/guest`, owner, {
      method: 'PUT',
      body: JSON.stringify({ level: 'edit' }),
    })
    const first = await rawSocket(documentId, guest.token)
    await api('/api/users/guest', admin, {
      method: 'PATCH',
      body: JSON.stringify({ role: 'editor' }),
    })
    expect((await first.closed).code).toBe(4001)

    const second = await rawSocket(documentId, guest.token)
    const removed = await api(`/api/documents/${documentId}/access/guest`, owner, {
      method: 'DELETE',
    })
    expect(removed.status).toBe(200)
    expect((await second.closed).code).toBe(4403)
  })

  it('closes a session’s connections when it signs out', async () => {
    const account = await testAccount(server.url, 'signing-out', 'editor')
    const socket = await rawSocket(DEMO, account.token)
    const out = await fetch(new URL('/api/session', server.url), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${account.token}` },
    })
    expect(out.status).toBe(204)
    expect((await socket.closed).code).toBe(4401)
  })
})

describe('signing in', () => {
  const attempt = (username: string, password: string, headers: Record<string, string> = {}) =>
    fetch(new URL('/api/session', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ username, password }),
    })

  it('throttles repeated failures on one account, even with the right password after', async () => {
    await testAccount(server.url, 'target', 'editor')
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await attempt('target', `guess number ${i}`)).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401])
    const blocked = await attempt('target', TEST_PASSWORD)
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(60)
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe(
      'too-many-attempts',
    )
    // Other accounts are not locked out by it.
    expect((await attempt(TEST_ADMIN.username, TEST_ADMIN.password)).status).toBe(200)
  })

  it('sets an HttpOnly, SameSite session cookie and says the same thing for a wrong name or password', async () => {
    const ok = await attempt(TEST_ADMIN.username, TEST_ADMIN.password)
    expect(ok.headers.get('set-cookie')).toMatch(
      /^hashiya_session=hs_[\w-]{40,}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
    )
    const wrongName = (await (await attempt('nobody-here', 'whatever password')).json()) as object
    const wrongPassword = (await (
      await attempt(TEST_ADMIN.username, 'not the password')
    ).json()) as object
    expect(wrongName).toEqual(wrongPassword)
  })

  it('keeps passwords and tokens out of the logs', () => {
    const output = server.output()
    expect(output).not.toContain(TEST_ADMIN.password)
    expect(output).not.toContain(TEST_PASSWORD)
    expect(output).not.toContain(admin.token)
  })
})

describe('requests from other sites', () => {
  it('refuses a cookie-authenticated change from another origin, or with no origin at all', async () => {
    const cookie = await signInCookie(server.url, TEST_ADMIN.username, TEST_ADMIN.password)
    const create = (headers: Record<string, string>) =>
      fetch(new URL('/api/documents', server.url), {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ title: 'من موقع آخر', body: 'نص.' }),
      })
    expect((await create({ origin: 'https://evil.example' })).status).toBe(403)
    expect((await create({ 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect((await create({})).status).toBe(403)
    expect((await create({ origin: server.url })).status).toBe(201)
    expect((await create({ 'sec-fetch-site': 'same-origin' })).status).toBe(201)
  })

  it('answers no CORS preflight and sends the security headers', async () => {
    const preflight = await fetch(new URL('/api/documents', server.url), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    for (const path of ['/', '/api/documents']) {
      const response = await fetch(new URL(path, server.url), { headers: admin.headers })
      const csp = response.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/)
      expect(csp).toContain("frame-ancestors 'none'")
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('referrer-policy')).toBe('same-origin')
    }
  })
})

describe('limits on one connection', () => {
  it('closes a connection that sends an oversized awareness state; others keep working', async () => {
    const bystander = stock(await testAccount(server.url, 'bystander', 'editor'))
    await whenSynced(bystander)
    const noisy = await testAccount(server.url, 'noisy', 'editor')
    const socket = await rawSocket(DEMO, noisy.token)
    const huge = new Uint8Array(200 * 1024)
    socket.ws.send(encodeAwarenessFrame(huge))
    expect((await socket.closed).code).toBe(1008)
    typeInto(bystander, 2, ' — ما زال يعمل')
    await waitFor(
      async () => (await storedText()).includes('ما زال يعمل'),
      'the bystander’s edit stored',
    )
  })

  it('closes a viewer whose presence, each frame under the limits, would flood colleagues', async () => {
    const bystander = stock(await testAccount(server.url, 'listener', 'editor'))
    await whenSynced(bystander)
    const viewer = await testAccount(server.url, 'loud-viewer', 'viewer')
    const socket = await rawSocket(DEMO, viewer.token)
    const doc = new Y.Doc()
    const presence = new Awareness(doc)
    const sendPresence = (count: number) => {
      for (let i = 0; i < count && socket.ws.readyState === WebSocket.OPEN; i++) {
        presence.setLocalState({ pad: `${i}`.padEnd(60_000, 'x') })
        socket.ws.send(encodeAwarenessFrame(encodeAwarenessUpdate(presence, [doc.clientID])))
      }
    }
    // a burst of large presence is allowed...
    sendPresence(3)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(socket.ws.readyState).toBe(WebSocket.OPEN)
    // ...keeping it up is not, though each frame is under the size and frame-rate limits
    sendPresence(40)
    const closed = await socket.closed
    expect(closed.code).toBe(1008)
    expect(closed.reason).toBe('awareness-rate-limited')
    typeInto(bystander, 2, ' — ما زال يقرأ')
    await waitFor(
      async () => (await storedText()).includes('ما زال يقرأ'),
      'the bystander’s edit stored',
    )
  })

  it('closes a connection that floods frames', async () => {
    const flooder = await testAccount(server.url, 'flooder', 'editor')
    const socket = await rawSocket(DEMO, flooder.token)
    const frame = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()))
    for (let i = 0; i < 5_000 && socket.ws.readyState === WebSocket.OPEN; i++) socket.ws.send(frame)
    const closed = await socket.closed
    expect(closed.code).toBe(1008)
    expect(closed.reason).toBe('rate-limited')
  })
})

describe.skipIf(skipWithout(await postgresUnavailable(), 'the early-frame limits', it))(
  'limits while a document loads',
  () => {
    let database: TestDatabase
    let loading: ServerProcess

    beforeAll(async () => {
      database = await createTestDatabase('early_frames')
      loading = await startServerProcess({
        env: { DATABASE_URL: database.url, MAX_FRAME_BYTES: String(64 * 1024) },
      })
    })

    afterAll(async () => {
      await loading?.stop()
      loading?.cleanup()
      await database?.drop()
    })

    /**
     * Runs `work` while the document log cannot be read: a transaction of the
     * test's holds the table, so every document that is not open yet stays loading.
     */
    async function whileLoadsWait<T>(work: () => Promise<T>): Promise<T> {
      return withConnection(database.url, async (client) => {
        await client.query('BEGIN')
        await client.query('LOCK TABLE updates IN ACCESS EXCLUSIVE MODE')
        try {
          return await work()
        } finally {
          await client.query('COMMIT')
        }
      })
    }

    it('closes a client that sends too much before its document opens; a patient one is answered', async () => {
      const account = await adminAccount(loading.url)
      const created = await fetch(new URL('/api/documents', loading.url), {
        method: 'POST',
        headers: { ...account.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'يفتح ببطء', body: 'سطر أول' }),
      })
      expect(created.status).toBe(201)
      const { id } = ((await created.json()) as { document: { id: string } }).document
      const open = (documentId: string) => rawSocket(documentId, account.token, loading)
      const step1 = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()))

      const { patient, chatty, bulky } = await whileLoadsWait(async () => {
        const patient = await open(id)
        patient.ws.send(step1)
        const chatty = await open(id)
        for (let i = 0; i < 300 && chatty.ws.readyState === WebSocket.OPEN; i++)
          chatty.ws.send(step1)
        const bulky = await open(id)
        const half = encodeSyncUpdate(new Uint8Array(40 * 1024))
        bulky.ws.send(half)
        bulky.ws.send(half)
        for (const closing of [chatty, bulky]) {
          expect(await closing.closed).toEqual({
            code: 1013,
            reason: 'too much sent before the document opened',
          })
        }
        // Still loading: the patient client has had nothing back yet.
        expect(patient.frames).toEqual([])
        return { patient, chatty, bulky }
      })

      // Once the document opens, the frame the patient client sent early is answered.
      await waitFor(
        async () => patient.frames.some((frame) => frame[0] === 0 && frame[1] === 1),
        'the sync step 2 answering the early step 1',
      )
      expect(patient.ws.readyState).toBe(WebSocket.OPEN)
      patient.ws.close()
      const warnings = loading
        .output()
        .split('\n')
        .filter((line) => line.includes('too-much-before-open'))
      expect(warnings).toHaveLength(2)
      expect(chatty.frames).toEqual([])
      expect(bulky.frames).toEqual([])
    })
  },
)

describe('sign-in attempts from one address', () => {
  it('are throttled whatever account they try', async () => {
    const limited = await startServerProcess({ env: { LOGIN_ATTEMPTS_PER_ADDRESS: '3' } })
    try {
      const statuses: number[] = []
      for (const username of ['a1', 'b2', 'c3', 'd4']) {
        const response = await fetch(new URL('/api/session', limited.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: 'some password' }),
        })
        statuses.push(response.status)
      }
      expect(statuses).toEqual([401, 401, 401, 429])
    } finally {
      await limited.stop()
      limited.cleanup()
    }
  })

  it('give successful sign-ins their attempt back: a newsroom behind one address signs in', async () => {
    const limited = await startServerProcess({ env: { LOGIN_ATTEMPTS_PER_ADDRESS: '3' } })
    try {
      const signIn = async (password: string) =>
        (
          await fetch(new URL('/api/session', limited.url), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: TEST_ADMIN.username, password }),
          })
        ).status
      // the whole morning shift, from one address, more people than the limit
      const morning: number[] = []
      for (let i = 0; i < 6; i++) morning.push(await signIn(TEST_ADMIN.password))
      expect(morning).toEqual([200, 200, 200, 200, 200, 200])
      // failures still count: three wrong passwords, and the address waits
      const guesses: number[] = []
      for (let i = 0; i < 4; i++) guesses.push(await signIn(`guess ${i}`))
      expect(guesses).toEqual([401, 401, 401, 429])
    } finally {
      await limited.stop()
      limited.cleanup()
    }
  })
})

describe('connection attempts from one address', () => {
  it('are throttled before any authentication work', async () => {
    const limited = await startServerProcess({ env: { CONNECTIONS_PER_MINUTE: '3' } })
    try {
      const statuses: number[] = []
      let retryAfter: string | undefined
      for (let i = 0; i < 5; i++) {
        statuses.push(
          await new Promise<number>((resolve) => {
            const socket = new WebSocket(`${limited.wsUrl}/sync/${DEMO}?token=not-a-token`)
            socket.on('unexpected-response', (_req, res) => {
              retryAfter ??= res.headers['retry-after']
              resolve(res.statusCode ?? 0)
            })
            socket.on('open', () => resolve(101))
            socket.on('error', () => {})
          }),
        )
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429])
      // The refused upgrade carries the app's headers, not only its status.
      expect(Number(retryAfter)).toBeGreaterThan(0)
    } finally {
      await limited.stop()
      limited.cleanup()
    }
  })
})

describe('first start without an administrator', () => {
  it('offers the setup screen once, with the code printed in the terminal only', async () => {
    const fresh = await startServerProcess({ env: { ADMIN_USERNAME: '', ADMIN_PASSWORD: '' } })
    try {
      const setup = async (body: object) =>
        fetch(new URL('/api/setup', fresh.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      expect(await (await fetch(new URL('/api/setup', fresh.url))).json()).toEqual({
        required: true,
      })
      const code = /\/setup\?code=([A-Z0-9-]+)/.exec(fresh.output())?.[1] ?? ''
      expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
      // Printed for the person at the terminal, never in a structured log line.
      const logLines = fresh
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
      expect(logLines.some((line) => line.includes(code))).toBe(false)

      const account = {
        username: 'chief',
        displayName: 'رئيسة التحرير',
        password: 'a long password',
      }
      expect((await setup({ ...account, code: 'AAAA-BBBB-CCCC' })).status).toBe(403)
      const made = await setup({ ...account, code })
      expect(made.status).toBe(201)
      expect(made.headers.get('set-cookie')).toContain('hashiya_session=')
      expect(((await made.json()) as { user: { role: string } }).user.role).toBe('admin')
      expect(await (await fetch(new URL('/api/setup', fresh.url))).json()).toEqual({
        required: false,
      })
      const again = await setup({ ...account, username: 'intruder', code })
      expect(again.status).toBe(403)
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('setup-closed')
    } finally {
      await fresh.stop()
      fresh.cleanup()
    }
  })
})
