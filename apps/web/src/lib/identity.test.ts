import { describe, expect, it } from 'vitest'
import {
  hasProfile,
  loadIdentity,
  saveProfile,
  USER_COLOR_KEY,
  USER_ID_KEY,
  USER_NAME_KEY,
} from './identity.js'
import { memoryStore } from './storage.js'

describe('identity', () => {
  it('creates a random id and colour once and keeps them', () => {
    const store = memoryStore()
    const first = loadIdentity(store)
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(first.color).toMatch(/^#[0-9a-f]{6}$/)
    expect(first.name).toBe('')
    expect(hasProfile(first)).toBe(false)
    expect(loadIdentity(store)).toEqual(first)
    expect(store.getItem(USER_ID_KEY)).toBe(first.id)
  })

  it('gives different browsers different ids', () => {
    expect(loadIdentity(memoryStore()).id).not.toBe(loadIdentity(memoryStore()).id)
  })

  it('reads a name set before the page loads (as end-to-end tests do)', () => {
    const store = memoryStore({ [USER_NAME_KEY]: '  سلمى  ' })
    const identity = loadIdentity(store)
    expect(identity.name).toBe('سلمى')
    expect(hasProfile(identity)).toBe(true)
  })

  it('replaces an unusable stored id or colour', () => {
    const store = memoryStore({ [USER_ID_KEY]: 'x', [USER_COLOR_KEY]: 'red' })
    const identity = loadIdentity(store)
    expect(identity.id).not.toBe('x')
    expect(identity.color).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('saves name and colour without changing the id', () => {
    const store = memoryStore()
    const { id } = loadIdentity(store)
    const saved = saveProfile(store, { name: ' Omar\n Said ', color: '#1D4ED8' })
    expect(saved).toEqual({ id, name: 'Omar Said', color: '#1d4ed8' })
    expect(loadIdentity(store)).toEqual(saved)
  })

  it('refuses an empty name or a bad colour', () => {
    const store = memoryStore()
    expect(() => saveProfile(store, { name: '   ', color: '#1d4ed8' })).toThrow()
    expect(() => saveProfile(store, { name: 'Omar', color: 'blue' })).toThrow()
    expect(store.getItem(USER_NAME_KEY)).toBeNull()
  })
})
