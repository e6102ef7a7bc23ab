import { describe, expect, it } from 'vitest'
import type { Grant } from './accountsApi.js'
import {
  type Abilities,
  documentCapabilities,
  listCapabilities,
  NO_ABILITIES,
  readAbilities,
  rememberedPermission,
  rememberPermission,
} from './permissions.js'
import { shareCandidates, sortGrants } from './sharing.js'
import { memoryStore } from './storage.js'

const ROLE_ABILITIES = {
  admin: { manageUsers: true, reviewHistory: true, export: true, createDocuments: true },
  lead: { manageUsers: false, reviewHistory: true, export: true, createDocuments: true },
  editor: { manageUsers: false, reviewHistory: false, export: false, createDocuments: true },
  viewer: NO_ABILITIES,
} satisfies Record<string, Abilities>

describe('document capabilities', () => {
  it('make a read permission read-only, whatever the role', () => {
    const caps = documentCapabilities('read', ROLE_ABILITIES.lead)
    expect(caps.edit).toBe(false)
    expect(caps.share).toBe(false)
    expect(caps.rename).toBe(false)
    expect(caps.delete).toBe(false)
    expect(caps.restore).toBe(false)
    // reviewing and exporting come from the role
    expect(caps.history).toBe(true)
    expect(caps.export).toBe(true)
  })

  it('let an editor with edit access type and tag, not share', () => {
    expect(documentCapabilities('edit', ROLE_ABILITIES.editor)).toEqual({
      edit: true,
      share: false,
      rename: false,
      delete: false,
      history: false,
      restore: false,
      saveVersion: false,
      export: false,
    })
  })

  it('let the owner manage, and a lead or admin everything', () => {
    const owner = documentCapabilities('manage', ROLE_ABILITIES.editor)
    expect(owner).toMatchObject({ edit: true, share: true, rename: true, delete: true })
    expect(owner.history).toBe(false)
    expect(Object.values(documentCapabilities('manage', ROLE_ABILITIES.admin)).every(Boolean)).toBe(
      true,
    )
  })

  it('give a viewer nothing but reading', () => {
    expect(Object.values(documentCapabilities('read', ROLE_ABILITIES.viewer)).some(Boolean)).toBe(
      false,
    )
  })
})

describe('list capabilities', () => {
  it('follow the abilities', () => {
    expect(listCapabilities(ROLE_ABILITIES.viewer)).toEqual({
      create: false,
      import: false,
      batchExport: false,
    })
    expect(listCapabilities(ROLE_ABILITIES.editor)).toEqual({
      create: true,
      import: true,
      batchExport: false,
    })
    expect(listCapabilities(ROLE_ABILITIES.lead)).toEqual({
      create: true,
      import: true,
      batchExport: true,
    })
  })
})

describe('abilities from the server', () => {
  it('allow only what is exactly true', () => {
    expect(readAbilities(null)).toEqual(NO_ABILITIES)
    expect(readAbilities({ manageUsers: 'yes', export: true, extra: true })).toEqual({
      ...NO_ABILITIES,
      export: true,
    })
  })
})

describe('remembered permission (for the offline copy)', () => {
  it('is kept per account and document, read-only when unknown', () => {
    const store = memoryStore()
    expect(rememberedPermission(store, 'omar', 'doc1')).toBe('read')
    rememberPermission(store, 'omar', 'doc1', 'edit')
    expect(rememberedPermission(store, 'omar', 'doc1')).toBe('edit')
    expect(rememberedPermission(store, 'salma', 'doc1')).toBe('read')
    rememberPermission(store, 'omar', 'doc1', null)
    expect(rememberedPermission(store, 'omar', 'doc1')).toBe('read')
  })
})

describe('sharing', () => {
  const grant = (userId: string, level: Grant['level']): Grant => ({
    userId,
    level,
    grantedBy: null,
    grantedAt: null,
  })
  const names = new Map([
    ['omar', 'عمر'],
    ['layla', 'ليلى'],
    ['badr', 'بدر'],
  ])
  const nameOf = (id: string) => names.get(id) ?? id

  it('lists the owner, then editors, then readers, everyone before people', () => {
    const sorted = sortGrants(
      [grant('layla', 'read'), grant('*', 'read'), grant('omar', 'edit'), grant('badr', 'owner')],
      nameOf,
    )
    expect(sorted.map((g) => g.userId)).toEqual(['badr', 'omar', '*', 'layla'])
  })

  it('offers active accounts other than the owner and oneself', () => {
    const users = [
      { id: 'omar', displayName: 'عمر' },
      { id: 'layla', displayName: 'ليلى' },
      { id: 'badr', displayName: 'بدر' },
      { id: 'gone', displayName: 'سابق', active: false },
      { id: 'me', displayName: 'أنا' },
    ]
    expect(shareCandidates(users, 'omar', 'me').map((u) => u.id)).toEqual(['badr', 'layla'])
  })
})
