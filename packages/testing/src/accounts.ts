/**
 * Accounts for tests against a real server: the administrator the harness
 * starts every server with, and helpers that create accounts and hand out what
 * each kind of client presents (a bearer token for API calls and stock
 * y-websocket clients, a session cookie for browsers).
 */

/** The first administrator every test server is started with (ADMIN_USERNAME/ADMIN_PASSWORD). */
export const TEST_ADMIN = { username: 'admin', password: 'test admin password' } as const

export const TEST_PASSWORD = 'test account password'

export type TestRole = 'admin' | 'lead' | 'editor' | 'viewer'

export interface TestAccount {
  id: string
  password: string
  /** A bearer token (1 hour). */
  token: string
  /** `Authorization` header plus JSON content type, for fetch. */
  headers: Record<string, string>
}

async function call(url: string, path: string, init: RequestInit): Promise<Response> {
  const response = await fetch(new URL(path, url), init)
  if (!response.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${path} → ${response.status}: ${await response.text()}`,
    )
  }
  return response
}

/** Signs in and returns the session cookie (`name=value`). */
export async function signInCookie(
  url: string,
  username: string,
  password: string,
): Promise<string> {
  const response = await call(url, '/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  const cookie = response.headers.get('set-cookie')?.split(';')[0]
  if (!cookie) throw new Error('sign-in set no cookie')
  return cookie
}

/** A bearer token for an existing account. */
export async function bearerToken(
  url: string,
  username: string,
  password: string,
): Promise<string> {
  const cookie = await signInCookie(url, username, password)
  const response = await call(url, '/api/tokens', {
    method: 'POST',
    // Programs present no Origin; with a cookie the server asks for one.
    headers: { 'content-type': 'application/json', cookie, origin: url },
    body: '{}',
  })
  return ((await response.json()) as { token: string }).token
}

const accountHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
})

const adminTokens = new Map<string, Promise<string>>()

/** The test administrator's bearer token on this server (cached). */
export function adminToken(url: string): Promise<string> {
  let token = adminTokens.get(url)
  if (!token) {
    token = bearerToken(url, TEST_ADMIN.username, TEST_ADMIN.password)
    token.catch(() => adminTokens.delete(url))
    adminTokens.set(url, token)
  }
  return token
}

export async function adminAccount(url: string): Promise<TestAccount> {
  const token = await adminToken(url)
  return {
    id: TEST_ADMIN.username,
    password: TEST_ADMIN.password,
    token,
    headers: accountHeaders(token),
  }
}

/**
 * Creates an account (or reuses one of that name created earlier with the same
 * password) and returns its credentials.
 */
export async function testAccount(
  url: string,
  id: string,
  role: TestRole = 'editor',
  displayName = id,
): Promise<TestAccount> {
  const admin = await adminToken(url)
  const created = await fetch(new URL('/api/users', url), {
    method: 'POST',
    headers: accountHeaders(admin),
    body: JSON.stringify({ username: id, displayName, role, password: TEST_PASSWORD }),
  })
  if (!created.ok && created.status !== 409) {
    throw new Error(`creating ${id} → ${created.status}: ${await created.text()}`)
  }
  const token = await bearerToken(url, id, TEST_PASSWORD)
  return { id, password: TEST_PASSWORD, token, headers: accountHeaders(token) }
}

/** A test file's accounts, by name, on whichever server is current. */
export interface TestAccounts {
  /** Creates (or reuses) each account on the server at `url` and signs it in; again after a restart. */
  signIn(url: string): Promise<void>
  /** An account's credentials from the last `signIn`. */
  get(name: string): TestAccount
}

export function testAccounts(
  roles: readonly (readonly [name: string, role: TestRole])[],
): TestAccounts {
  const accounts = new Map<string, TestAccount>()
  return {
    async signIn(url) {
      for (const [name, role] of roles) accounts.set(name, await testAccount(url, name, role))
    },
    get(name) {
      const found = accounts.get(name)
      if (!found) throw new Error(`no test account ${name}`)
      return found
    },
  }
}
