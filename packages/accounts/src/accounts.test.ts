import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from './passwords.js'
import { documentPermission, EVERYONE } from './roles.js'

// The accounts service over each store: account-store-contract.ts, run by
// sqlite-account-store.test.ts and postgres-account-store.test.ts.

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
