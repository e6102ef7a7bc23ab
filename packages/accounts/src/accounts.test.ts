import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AccessChange, AccountError, Accounts } from './accounts.js'
import { hashPassword, verifyPassword } from './passwords.js'
import { documentPermission, EVERYONE } from './roles.js'
import { SqliteAccountStore } from './sqlite-account-store.js'

const PASSWORD = 'correct horse battery'

let dir: string
let clock: number
let accounts: Accounts
let changes: AccessChange[]

function open(): Accounts {
  const opened = new Accounts(new SqliteAccountStore({ filename: join(dir, 'hashiya.db') }), {
    sessionTtlMs: 60_000,
    maxTokenTtlMs: 10_000,
    now: () => clock,
  })
  opened.onChange((change) => changes.push(change))
  return opened
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hashiya-accounts-'))
  clock = 1_000_000
  changes = []
  accounts = open()
})

afterEach(async () => {
  await accounts.close()
  rmSync(dir, { recursive: true, force: true })
})

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'resolved'
  } catch (error) {
    return error instanceof AccountError ? error.code : `other: ${error}`
  }
}

describe('passwords', () => {
  it('hashes with scrypt and a salt, and verifies only the right password', async () => {
    const a = await hashPassword('كلمة سر طويلة جدا')
    const b = await hashPassword('كلمة سر طويلة جدا')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('كلمة سر طويلة جدا', a)).toBe(true)
    expect(await verifyPassword('كلمة سر طويلة جدأ', a)).toBe(false)
    expect(await verifyPassword('x', 'plain-text')).toBe(false)
  })
})

describe('accounts', () => {
  it('creates the first admin once, even when two setups race', async () => {
    expect(await accounts.needsSetup()).toBe(true)
    const results = await Promise.allSettled([
      accounts.createFirstAdmin({ id: 'first', displayName: 'الأول', password: PASSWORD }),
      accounts.createFirstAdmin({ id: 'second', displayName: 'الثاني', password: PASSWORD }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await accounts.needsSetup()).toBe(false)
    expect(
      await codeOf(
        accounts.createFirstAdmin({ id: 'third', displayName: 'x', password: PASSWORD }),
      ),
    ).toBe('setup-closed')
  })

  it('signs in with the right password only, and never reveals which part was wrong', async () => {
    await accounts.createUser({
      id: 'layla',
      displayName: 'ليلى',
      role: 'editor',
      password: PASSWORD,
    })
    const session = await accounts.signIn('layla', PASSWORD)
    expect(session.user).toEqual(expect.objectContaining({ id: 'layla', role: 'editor' }))
    expect(session.user).not.toHaveProperty('passwordHash')
    expect((await accounts.authenticate(session.token))?.user.id).toBe('layla')
    expect(await codeOf(accounts.signIn('layla', 'wrong password!'))).toBe('invalid-credentials')
    expect(await codeOf(accounts.signIn('nobody', PASSWORD))).toBe('invalid-credentials')
  })

  it('rejects bad usernames, short passwords and taken names', async () => {
    const make = (id: string, password = PASSWORD) =>
      codeOf(accounts.createUser({ id, displayName: 'x', role: 'viewer', password }))
    expect(await make('Layla')).toBe('invalid-input')
    expect(await make('a')).toBe('invalid-input')
    expect(await make('cli')).toBe('invalid-input')
    expect(await make('ok-name', 'short')).toBe('invalid-input')
    expect(await make('ok-name')).toBe('resolved')
    expect(await make('ok-name')).toBe('user-exists')
  })

  it('expires sessions and caps token lifetimes', async () => {
    await accounts.createUser({
      id: 'omar',
      displayName: 'عمر',
      role: 'viewer',
      password: PASSWORD,
    })
    const session = await accounts.signIn('omar', PASSWORD)
    const token = await accounts.issueToken('omar', 3_600_000)
    expect(token.expiresAt - clock).toBe(10_000)
    clock += 10_001
    expect(await accounts.authenticate(token.token)).toBeNull()
    expect(await accounts.authenticate(session.token)).not.toBeNull()
    clock += 60_000
    expect(await accounts.authenticate(session.token)).toBeNull()
  })

  it('deactivation and a password reset revoke every session and announce the change', async () => {
    await accounts.createUser({
      id: 'sara',
      displayName: 'سارة',
      role: 'editor',
      password: PASSWORD,
    })
    const one = await accounts.signIn('sara', PASSWORD)
    await accounts.updateUser('sara', { password: 'a brand new password' })
    expect(await accounts.authenticate(one.token)).toBeNull()
    const two = await accounts.signIn('sara', 'a brand new password')
    await accounts.updateUser('sara', { active: false })
    expect(await accounts.authenticate(two.token)).toBeNull()
    expect(await codeOf(accounts.signIn('sara', 'a brand new password'))).toBe(
      'invalid-credentials',
    )
    expect(changes).toEqual([{ userId: 'sara' }, { userId: 'sara' }])
  })

  it('keeps the last active admin', async () => {
    await accounts.createFirstAdmin({ id: 'boss', displayName: 'المدير', password: PASSWORD })
    expect(await codeOf(accounts.updateUser('boss', { role: 'lead' }))).toBe('last-admin')
    expect(await codeOf(accounts.updateUser('boss', { active: false }))).toBe('last-admin')
    await accounts.createUser({ id: 'boss2', displayName: 'ب', role: 'admin', password: PASSWORD })
    expect((await accounts.updateUser('boss', { role: 'lead' })).role).toBe('lead')
  })

  it('survives a restart with users, sessions and grants', async () => {
    await accounts.createUser({
      id: 'huda',
      displayName: 'هدى',
      role: 'editor',
      password: PASSWORD,
    })
    const session = await accounts.signIn('huda', PASSWORD)
    await accounts.share('doc-1', 'huda', 'edit', 'boss')
    await accounts.close()
    accounts = open()
    const again = await accounts.authenticate(session.token)
    if (!again) throw new Error('the session did not survive the restart')
    expect(again.user.id).toBe('huda')
    expect(await accounts.permission(again.user, 'doc-1')).toBe('edit')
    expect(await accounts.permission(again.user, 'doc-2')).toBe('none')
  })
})

describe('document permissions', () => {
  const grants = [
    { userId: 'owner', level: 'owner' as const },
    { userId: 'shared', level: 'edit' as const },
    { userId: 'reader', level: 'read' as const },
  ]
  it.each([
    ['admin', 'anyone', 'manage'],
    ['lead', 'anyone', 'manage'],
    ['editor', 'owner', 'manage'],
    ['editor', 'shared', 'edit'],
    ['editor', 'reader', 'read'],
    ['editor', 'stranger', 'none'],
    ['viewer', 'shared', 'read'],
    ['viewer', 'owner', 'read'],
    ['viewer', 'stranger', 'none'],
  ] as const)('%s %s → %s', (role, id, expected) => {
    expect(documentPermission({ id, role }, grants)).toBe(expected)
  })

  it('a grant to everyone reaches every account, capped by role', () => {
    const everyone = [{ userId: EVERYONE, level: 'edit' as const }]
    expect(documentPermission({ id: 'x', role: 'editor' }, everyone)).toBe('edit')
    expect(documentPermission({ id: 'y', role: 'viewer' }, everyone)).toBe('read')
  })
})
