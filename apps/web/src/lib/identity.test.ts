import { USER_COLORS } from '@hashiya/editor'
import { describe, expect, it } from 'vitest'
import {
  colorPreference,
  defaultColorFor,
  identityOf,
  saveColor,
  USER_COLOR_KEY,
} from './identity.js'
import { memoryStore } from './storage.js'

describe('identity', () => {
  it('takes the id and display name from the account', () => {
    const identity = identityOf(memoryStore(), { id: 'salma', displayName: '  سلمى\n حداد ' })
    expect(identity.id).toBe('salma')
    expect(identity.name).toBe('سلمى حداد')
  })

  it('falls back to the account name when the display name is unusable', () => {
    expect(identityOf(memoryStore(), { id: 'omar', displayName: '\u0000 ' }).name).toBe('omar')
  })

  it('gives each account a stable colour from the palette until one is chosen', () => {
    const store = memoryStore()
    const first = identityOf(store, { id: 'omar', displayName: 'Omar' })
    expect(USER_COLORS).toContain(first.color)
    expect(first.color).toBe(defaultColorFor('omar'))
    expect(identityOf(store, { id: 'omar', displayName: 'Omar' }).color).toBe(first.color)
  })

  it('remembers a chosen colour per account', () => {
    const store = memoryStore()
    saveColor(store, 'omar', '#1D4ED8')
    saveColor(store, 'salma', '#be185d')
    expect(identityOf(store, { id: 'omar', displayName: 'Omar' }).color).toBe('#1d4ed8')
    expect(colorPreference(store, 'salma')).toBe('#be185d')
    expect(colorPreference(store, 'layla')).toBeNull()
  })

  it('refuses a colour that is not #rrggbb', () => {
    const store = memoryStore()
    expect(() => saveColor(store, 'omar', 'blue')).toThrow()
    expect(colorPreference(store, 'omar')).toBeNull()
  })

  it('ignores what the key held before accounts (one colour for the browser)', () => {
    const store = memoryStore({ [USER_COLOR_KEY]: '#1d4ed8' })
    expect(colorPreference(store, 'omar')).toBeNull()
    saveColor(store, 'omar', '#15803d')
    expect(colorPreference(store, 'omar')).toBe('#15803d')
  })
})
