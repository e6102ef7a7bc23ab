/**
 * The authorization matrix: every API route and the WebSocket, for every role,
 * signed out, and without access to the document, against a real server.
 * Allowed requests must succeed (2xx); denied ones must answer exactly 401
 * (signed out), 403 (signed in, not allowed) or 404 (a document the caller
 * cannot see, indistinguishable from one that does not exist).
 */
import {
  adminAccount,
  type ServerProcess,
  startServerProcess,
  type TestAccount,
  testAccount,
} from '@hashiya/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'

type Principal = 'signedOut' | 'viewer' | 'sharedEditor' | 'stranger' | 'owner' | 'lead' | 'admin'
const PRINCIPALS: Principal[] = [
  'signedOut',
  'viewer',
  'sharedEditor',
  'stranger',
  'owner',
  'lead',
  'admin',
]

let server: ServerProcess
const accounts = new Map<Principal, TestAccount | null>()

interface Route {
  name: string
  method: string
  /** `:doc` is replaced by a document created for the request. */
  path: string
  body?: () => NonNullable<RequestInit['body']>
  json?: unknown
  /** Who may; everyone else gets the status `denied` gives. */
  allowed: Principal[]
}

const EVERY_ACCOUNT: Principal[] = ['viewer', 'sharedEditor', 'stranger', 'owner', 'lead', 'admin']
const READERS: Principal[] = ['viewer', 'sharedEditor', 'owner', 'lead', 'admin']
const EDITORS: Principal[] = ['sharedEditor', 'owner', 'lead', 'admin']
const MANAGERS: Principal[] = ['owner', 'lead', 'admin']
const LEADS: Principal[] = ['lead', 'admin']

const ROUTES: Route[] = [
  { name: 'list documents', method: 'GET', path: '/api/documents', allowed: EVERY_ACCOUNT },
  {
    name: 'create a document',
    method: 'POST',
    path: '/api/documents',
    json: { title: 'جديد', body: 'نص قصير.' },
    allowed: ['sharedEditor', 'stranger', 'owner', 'lead', 'admin'],
  },
  {
    name: 'import a document',
    method: 'POST',
    path: '/api/documents/import',
    body: () => {
      const form = new FormData()
      form.set('file', new Blob(['سطر أول.\n\nسطر ثان.']), 'نص.txt')
      return form
    },
    allowed: ['sharedEditor', 'stranger', 'owner', 'lead', 'admin'],
  },
  { name: 'read a document', method: 'GET', path: '/api/documents/:doc', allowed: READERS },
  {
    name: 'rename a document',
    method: 'PATCH',
    path: '/api/documents/:doc',
    json: { title: 'عنوان آخر' },
    allowed: MANAGERS,
  },
  { name: 'delete a document', method: 'DELETE', path: '/api/documents/:doc', allowed: MANAGERS },
  {
    name: 'read annotations',
    method: 'GET',
    path: '/api/documents/:doc/annotations',
    allowed: READERS,
  },
  {
    name: 'tag a span',
    method: 'POST',
    path: '/api/documents/:doc/annotations',
    json: { kind: 'claim', start: 0, end: 4 },
    allowed: EDITORS,
  },
  { name: 'read a past version', method: 'GET', path: '/api/documents/:doc?at=s1', allowed: LEADS },
  {
    name: 'annotations of a past version',
    method: 'GET',
    path: '/api/documents/:doc/annotations?at=s1',
    allowed: LEADS,
  },
  { name: 'history', method: 'GET', path: '/api/documents/:doc/history', allowed: LEADS },
  { name: 'activity', method: 'GET', path: '/api/documents/:doc/activity', allowed: LEADS },
  { name: 'versions', method: 'GET', path: '/api/documents/:doc/versions', allowed: LEADS },
  {
    name: 'name a version',
    method: 'POST',
    path: '/api/documents/:doc/versions',
    json: { name: 'قبل النشر' },
    allowed: LEADS,
  },
  { name: 'diff', method: 'GET', path: '/api/documents/:doc/diff?from=s1&to=s1', allowed: LEADS },
  {
    name: 'restore',
    method: 'POST',
    path: '/api/documents/:doc/restore',
    json: { at: 's1' },
    allowed: LEADS,
  },
  { name: 'export', method: 'GET', path: '/api/documents/:doc/export?format=json', allowed: LEADS },
  {
    name: 'batch export',
    method: 'POST',
    path: '/api/export',
    json: { format: 'csv', ids: [':doc'] },
    allowed: LEADS,
  },
  { name: 'read sharing', method: 'GET', path: '/api/documents/:doc/access', allowed: READERS },
  {
    name: 'share',
    method: 'PUT',
    path: '/api/documents/:doc/access/stranger',
    json: { level: 'read' },
    allowed: MANAGERS,
  },
  {
    name: 'unshare',
    method: 'DELETE',
    path: '/api/documents/:doc/access/viewer',
    allowed: MANAGERS,
  },
  { name: 'user directory', method: 'GET', path: '/api/users', allowed: EVERY_ACCOUNT },
  {
    name: 'create a user',
    method: 'POST',
    path: '/api/users',
    json: { username: 'newcomer', displayName: 'قادم', role: 'viewer', password: 'long enough pw' },
    allowed: ['admin'],
  },
  {
    name: 'change a user',
    method: 'PATCH',
    path: '/api/users/stranger',
    json: { displayName: 'غريب' },
    allowed: ['admin'],
  },
  { name: 'a bearer token', method: 'POST', path: '/api/tokens', json: {}, allowed: EVERY_ACCOUNT },
  { name: 'who am I', method: 'GET', path: '/api/session', allowed: EVERY_ACCOUNT },
]

/** A fresh document owned by `owner`, shared for reading with `viewer` and editing with `sharedEditor`. */
async function freshDocument(): Promise<string> {
  const owner = accounts.get('owner') as TestAccount
  const created = await fetch(new URL('/api/documents', server.url), {
    method: 'POST',
    headers: owner.headers,
    body: JSON.stringify({ title: 'وثيقة الاختبار', body: 'قال المتحدث إن الخبر غير صحيح.' }),
  })
  expect(created.status).toBe(201)
  const { document } = (await created.json()) as { document: { id: string } }
  for (const [user, level] of [
    ['viewer', 'read'],
    ['sharedEditor', 'edit'],
  ] as const) {
    const account = accounts.get(user) as TestAccount
    const shared = await fetch(
      new URL(`/api/documents/${document.id}/access/${account.id}`, server.url),
      {
        method: 'PUT',
        headers: owner.headers,
        body: JSON.stringify({ level }),
      },
    )
    expect(shared.status).toBe(200)
  }
  return document.id
}

function expectedDenial(principal: Principal, route: Route): number {
  if (principal === 'signedOut') return 401
  const aboutDocument = route.path.includes(':doc') && !route.path.startsWith('/api/export')
  if (aboutDocument && principal === 'stranger') return 404
  return 403
}

beforeAll(async () => {
  server = await startServerProcess({ env: { DEMO_DOCUMENT: 'false' } })
  accounts.set('signedOut', null)
  accounts.set('admin', await adminAccount(server.url))
  accounts.set('lead', await testAccount(server.url, 'lead', 'lead'))
  accounts.set('owner', await testAccount(server.url, 'owner', 'editor'))
  accounts.set('sharedEditor', await testAccount(server.url, 'shared-editor', 'editor'))
  accounts.set('stranger', await testAccount(server.url, 'stranger', 'editor'))
  accounts.set('viewer', await testAccount(server.url, 'viewer', 'viewer'))
})

afterAll(async () => {
  await server?.stop()
  server?.cleanup()
})

describe('authorization matrix: API', () => {
  const cases = ROUTES.flatMap((route) => PRINCIPALS.map((principal) => ({ route, principal })))
  it.each(cases.map((c) => [c.route.name, c.principal, c] as const))(
    '%s as %s',
    async (_n, _p, { route, principal }) => {
      const mentionsDocument = `${route.path}${JSON.stringify(route.json)}`.includes(':doc')
      const documentId = mentionsDocument ? await freshDocument() : ''
      const account = accounts.get(principal)
      const headers: Record<string, string> = account
        ? { authorization: `Bearer ${account.token}` }
        : {}
      let body: NonNullable<RequestInit['body']> | undefined
      if (route.json !== undefined) {
        headers['content-type'] = 'application/json'
        body = JSON.stringify(route.json).replaceAll(':doc', documentId)
      } else if (route.body) body = route.body()
      const response = await fetch(new URL(route.path.replace(':doc', documentId), server.url), {
        method: route.method,
        headers,
        body,
      })
      const text = await response.text()
      if (route.allowed.includes(principal)) {
        expect(response.status, text).toBeGreaterThanOrEqual(200)
        expect(response.status, text).toBeLessThan(300)
      } else {
        expect(response.status, text).toBe(expectedDenial(principal, route))
        expect(JSON.parse(text)).toEqual({
          error: { code: expect.any(String), message: expect.any(String) },
        })
      }
    },
  )

  it('lists only the documents a caller may open', async () => {
    const documentId = await freshDocument()
    const listed = async (principal: Principal) => {
      const response = await fetch(new URL('/api/documents', server.url), {
        headers: (accounts.get(principal) as TestAccount).headers,
      })
      const { documents } = (await response.json()) as {
        documents: { id: string; permission: string }[]
      }
      return documents.find((d) => d.id === documentId)?.permission ?? 'absent'
    }
    expect(await listed('stranger')).toBe('absent')
    expect(await listed('viewer')).toBe('read')
    expect(await listed('sharedEditor')).toBe('edit')
    expect(await listed('owner')).toBe('manage')
    expect(await listed('lead')).toBe('manage')
  })
})

/** Opens `/sync/:id` and reports the HTTP status of a refused upgrade, or 101. */
function upgradeStatus(documentId: string, token?: string): Promise<number> {
  const query = token ? `?token=${encodeURIComponent(token)}` : ''
  return new Promise((resolve) => {
    const socket = new WebSocket(`${server.wsUrl}/sync/${documentId}${query}`)
    socket.on('open', () => {
      socket.close()
      resolve(101)
    })
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      socket.terminate()
    })
    socket.on('error', () => {})
  })
}

describe('authorization matrix: WebSocket', () => {
  it.each([
    ['signedOut', 401],
    ['stranger', 404],
    ['viewer', 101],
    ['sharedEditor', 101],
    ['owner', 101],
    ['lead', 101],
    ['admin', 101],
  ] as const)('%s → %i', async (principal, expected) => {
    const documentId = await freshDocument()
    const account = accounts.get(principal)
    expect(await upgradeStatus(documentId, account?.token)).toBe(expected)
  })

  it('refuses a made-up token and a document that does not exist', async () => {
    expect(await upgradeStatus(await freshDocument(), 'not-a-real-token')).toBe(401)
    expect(
      await upgradeStatus('no-such-document', (accounts.get('lead') as TestAccount).token),
    ).toBe(404)
  })
})
