/**
 * Behaviour every AccountStore backend must show, directly and through the
 * `Accounts` service; each backend's test file runs it. Kept out of the
 * package's public index and build: it imports vitest.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AccountStore, type StoredUser, UserExistsError } from './account-store.js'
import { type AccessChange, AccountError, Accounts } from './accounts.js'

export interface AccountStoreHarness {
  /** A fresh, empty store. */
  open(): Promise<AccountStore>
  /**
   * The same storage opened again: after a process restart, or as a second
   * instance while the first is still open.
   */
  reopen(): Promise<AccountStore>
  cleanup(): Promise<void>
}

const PASSWORD = 'correct horse battery'

const user = (id: string, overrides: Partial<StoredUser> = {}): StoredUser => ({
  id,
  displayName: id.toUpperCase(),
  role: 'editor',
  passwordHash: `hash-of-${id}`,
  active: true,
  createdAt: 1_000,
  updatedAt: 1_000,
  ...overrides,
})

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'resolved'
  } catch (error) {
    return error instanceof AccountError ? error.code : `other: ${error}`
  }
}

export function describeAccountStoreContract(
  name: string,
  makeHarness: () => Promise<AccountStoreHarness>,
) {
  describe(`${name} account store`, () => {
    let harness: AccountStoreHarness
    let store: AccountStore
    /** Stores opened by a test besides `store`; closed after it. */
    const others: AccountStore[] = []

    beforeEach(async () => {
      harness = await makeHarness()
      store = await harness.open()
    })

    afterEach(async () => {
      await Promise.all(others.splice(0).map((other) => other.close()))
      await store.close()
      await harness.cleanup()
    })

    const another = async () => {
      const opened = await harness.reopen()
      others.push(opened)
      return opened
    }

    it('creates, reads, lists and refuses a taken id', async () => {
      await store.createUser(user('zaid', { displayName: 'زيد', role: 'viewer' }))
      await store.createUser(user('amal'))
      expect(await store.getUser('zaid')).toEqual(
        user('zaid', { displayName: 'زيد', role: 'viewer' }),
      )
      expect(await store.getUser('nobody')).toBeNull()
      expect((await store.listUsers()).map((u) => u.id)).toEqual(['amal', 'zaid'])
      await expect(store.createUser(user('amal'))).rejects.toBeInstanceOf(UserExistsError)
    })

    it('updates only the fields given', async () => {
      await store.createUser(user('huda'))
      const updated = await store.updateUser('huda', { role: 'lead', active: false }, 2_000)
      expect(updated).toEqual(user('huda', { role: 'lead', active: false, updatedAt: 2_000 }))
      expect(await store.getUser('huda')).toEqual(updated)
      expect(
        await store.updateUser('huda', { displayName: 'هدى', passwordHash: 'new' }, 3_000),
      ).toEqual(
        user('huda', {
          role: 'lead',
          active: false,
          displayName: 'هدى',
          passwordHash: 'new',
          updatedAt: 3_000,
        }),
      )
      expect(await store.updateUser('nobody', { role: 'admin' }, 4_000)).toBeNull()
    })

    it('creates the first admin only while no active admin exists', async () => {
      expect(await store.countActiveAdmins()).toBe(0)
      await store.createUser(user('old-admin', { role: 'admin', active: false }))
      expect(await store.countActiveAdmins()).toBe(0)
      expect(await store.createFirstAdmin(user('first', { role: 'admin' }))).toBe(true)
      expect(await store.createFirstAdmin(user('second', { role: 'admin' }))).toBe(false)
      expect(await store.getUser('second')).toBeNull()
      expect(await store.countActiveAdmins()).toBe(1)
    })

    it('creates one first admin when several instances race', async () => {
      const instances = [store, await another(), await another()]
      const results = await Promise.all(
        instances.flatMap((instance, i) =>
          [0, 1].map((j) => instance.createFirstAdmin(user(`admin-${i}-${j}`, { role: 'admin' }))),
        ),
      )
      expect(results.filter(Boolean)).toHaveLength(1)
      expect(await store.countActiveAdmins()).toBe(1)
      expect((await store.listUsers()).filter((u) => u.role === 'admin')).toHaveLength(1)
    })

    it('keeps credentials, revokes them per user and prunes the expired', async () => {
      await store.createUser(user('omar'))
      await store.createUser(user('sara'))
      const credential = (tokenHash: string, userId: string, expiresAt: number) => ({
        tokenHash,
        userId,
        kind: 'session' as const,
        createdAt: 1_000,
        expiresAt,
      })
      await store.saveCredential(credential('a', 'omar', 5_000))
      await store.saveCredential({ ...credential('b', 'omar', 9_000), kind: 'token' })
      await store.saveCredential(credential('c', 'sara', 5_000))
      await store.saveCredential(credential('d', 'sara', 9_000))
      expect(await store.getCredential('b')).toEqual({
        ...credential('b', 'omar', 9_000),
        kind: 'token',
      })
      expect(await store.getCredential('zzz')).toBeNull()
      await store.deleteCredential('a')
      expect(await store.getCredential('a')).toBeNull()
      await store.deleteCredentialsOf('omar')
      expect(await store.getCredential('b')).toBeNull()
      expect(await store.deleteExpiredCredentials(5_000)).toBe(1)
      expect(await store.getCredential('c')).toBeNull()
      expect(await store.getCredential('d')).not.toBeNull()
    })

    it('keeps one grant per user and document, and grants to everyone', async () => {
      const grant = (
        documentId: string,
        userId: string,
        level: 'owner' | 'edit' | 'read',
        at: number,
      ) => ({
        documentId,
        userId,
        level,
        grantedBy: 'boss',
        grantedAt: at,
      })
      await store.setGrant(grant('doc-1', 'omar', 'read', 2))
      await store.setGrant(grant('doc-1', 'amal', 'owner', 1))
      await store.setGrant(grant('doc-1', 'omar', 'edit', 3))
      await store.setGrant(grant('doc-2', '*', 'read', 4))
      await store.setGrant(grant('doc-3', 'amal', 'edit', 5))
      expect(await store.grantsOn('doc-1')).toEqual([
        grant('doc-1', 'amal', 'owner', 1),
        grant('doc-1', 'omar', 'edit', 3),
      ])
      const granted = await store.documentsGrantedTo('omar')
      expect(granted.sort((a, b) => a.documentId.localeCompare(b.documentId))).toEqual([
        { documentId: 'doc-1', level: 'edit' },
        { documentId: 'doc-2', level: 'read' },
      ])
      expect(await store.removeGrant('doc-1', 'omar')).toBe(true)
      expect(await store.removeGrant('doc-1', 'omar')).toBe(false)
      await store.removeGrantsOn('doc-1')
      expect(await store.grantsOn('doc-1')).toEqual([])
      expect(await store.grantsOn('doc-3')).toHaveLength(1)
    })

    describe('through the accounts service', () => {
      let clock: number
      let changes: AccessChange[]
      let accounts: Accounts

      const serve = (over: AccountStore) => {
        const served = new Accounts(over, {
          sessionTtlMs: 60_000,
          maxTokenTtlMs: 10_000,
          now: () => clock,
        })
        served.onChange((change) => changes.push(change))
        return served
      }

      beforeEach(() => {
        clock = 1_000_000
        changes = []
        accounts = serve(store)
      })

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
        expect(await codeOf(accounts.signIn('layla', 'wrong password!'))).toBe(
          'invalid-credentials',
        )
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
        await accounts.createUser({
          id: 'boss2',
          displayName: 'ب',
          role: 'admin',
          password: PASSWORD,
        })
        expect((await accounts.updateUser('boss', { role: 'lead' })).role).toBe('lead')
      })

      it('survives a restart with users, sessions and grants, seen by another instance', async () => {
        await accounts.createUser({
          id: 'huda',
          displayName: 'هدى',
          role: 'editor',
          password: PASSWORD,
        })
        const session = await accounts.signIn('huda', PASSWORD)
        await accounts.share('doc-1', 'huda', 'edit', 'boss')
        // A second instance sees it while the first still runs...
        const elsewhere = serve(await another())
        expect((await elsewhere.authenticate(session.token))?.user.id).toBe('huda')
        // ...and so does the first after a restart.
        await store.close()
        store = await harness.reopen()
        accounts = serve(store)
        const again = await accounts.authenticate(session.token)
        if (!again) throw new Error('the session did not survive the restart')
        expect(again.user.id).toBe('huda')
        expect(await accounts.permission(again.user, 'doc-1')).toBe('edit')
        expect(await accounts.permission(again.user, 'doc-2')).toBe('none')
      })
    })
  })
}
