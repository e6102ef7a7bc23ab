import { describe, expect, it } from 'vitest'
import { cleanUserName, initialsOf, presenceFromStates, readCollabUser } from './index.js'

describe('presenceFromStates', () => {
  it('lists each person once, the local user first, skipping states without a user', () => {
    const states = new Map<number, unknown>([
      [1, { user: { id: 'b', name: 'بشير', color: '#b91c1c' } }],
      [2, { user: { id: 'me', name: 'أنا', color: '#0369a1' }, cursor: null }],
      [3, { user: { id: 'b', name: 'بشير', color: '#b91c1c' } }],
      [4, {}],
      [5, null],
      [6, { user: { id: 'a', name: 'Adam', color: 'not-a-colour' } }],
    ])
    const entries = presenceFromStates(states, 2)
    expect(entries.map((entry) => [entry.id, entry.isSelf, entry.clientIds])).toEqual([
      ['me', true, [2]],
      // Arabic collation puts Arabic names before Latin ones
      ['b', false, [1, 3]],
      ['a', false, [6]],
    ])
    expect(entries[2]?.color).toBe('#475569')
  })
})

describe('user fields', () => {
  it('cleans names', () => {
    expect(cleanUserName('  ليلى \n  أحمد\u0000 ')).toBe('ليلى أحمد')
    expect(Array.from(cleanUserName('ب'.repeat(100)))).toHaveLength(40)
    expect(cleanUserName(42)).toBe('')
  })

  it('rejects users without id or name', () => {
    expect(readCollabUser({ user: { id: '', name: 'x' } })).toBeNull()
    expect(readCollabUser({ user: { id: 'x', name: '   ' } })).toBeNull()
    expect(readCollabUser({ user: 'x' })).toBeNull()
  })

  it('makes initials', () => {
    expect(initialsOf('ليلى أحمد')).toBe('لأ')
    expect(initialsOf('عمر الخطيب')).toBe('عخ')
    expect(initialsOf('الحسن علي')).toBe('اع')
    expect(initialsOf('adam smith jones')).toBe('AS')
    expect(initialsOf('')).toBe('')
  })
})
