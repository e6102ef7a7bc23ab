import { describe, expect, it } from 'vitest'
import { memoryStore } from '../lib/storage.js'
import {
  KNOWN_USERS_KEY,
  niceScale,
  pointOfEvent,
  readKnownUsers,
  rememberUsers,
  segmentParagraphs,
  shortId,
} from './logic.js'

describe('segmentParagraphs', () => {
  it('cuts paragraphs at annotation edges, counting code points across "\\n\\n"', () => {
    const paragraphs = ['قال 😀 بوتين', 'ونفت روسيا']
    // "بوتين" starts after "قال 😀 " = 6 code points (the emoji is one)
    const out = segmentParagraphs(paragraphs, [
      { id: 'a', kind: 'claim', ranges: [{ start: 6, end: 11 }] },
      { id: 'b', kind: 'denial', ranges: [{ start: 13, end: 17 }] },
    ])
    expect(out[0]).toEqual([
      { text: 'قال 😀 ', marks: [] },
      { text: 'بوتين', marks: [{ id: 'a', kind: 'claim' }] },
    ])
    expect(out[1]).toEqual([
      { text: 'ونفت', marks: [{ id: 'b', kind: 'denial' }] },
      { text: ' روسيا', marks: [] },
    ])
  })

  it('nests overlapping annotations, the longer outside', () => {
    const [first] = segmentParagraphs(
      ['abcdef'],
      [
        { id: 'short', kind: 'aside', ranges: [{ start: 2, end: 4 }] },
        { id: 'long', kind: 'claim', ranges: [{ start: 1, end: 5 }] },
      ],
    )
    expect(first?.map((s) => [s.text, s.marks.map((m) => m.id)])).toEqual([
      ['a', []],
      ['b', ['long']],
      ['cd', ['long', 'short']],
      ['e', ['long']],
      ['f', []],
    ])
  })
})

describe('users and times', () => {
  it('remembers names seen in this browser', () => {
    const store = memoryStore()
    const known = readKnownUsers(store)
    expect(rememberUsers(store, known, [{ id: 'u1', name: 'ليلى', color: '#b91c1c' }])).toBe(true)
    expect(rememberUsers(store, known, [{ id: 'u1', name: 'ليلى', color: '#b91c1c' }])).toBe(false)
    expect(readKnownUsers(store).get('u1')).toEqual({ name: 'ليلى', color: '#b91c1c' })
    store.setItem(KNOWN_USERS_KEY, 'not json')
    expect(readKnownUsers(store).size).toBe(0)
  })

  it('shortens ids, scales axes, points before a deletion', () => {
    expect(shortId('1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toBe('1b4e28…')
    expect(shortId('mohammed.al-khatib')).toBe('mohammed.al-khatib')
    expect(niceScale(7)).toEqual({ max: 8, step: 2 })
    expect(niceScale(0)).toEqual({ max: 1, step: 1 })
    expect(pointOfEvent({ seq: 10, action: 'deleted' })).toBe('s9')
    expect(pointOfEvent({ seq: 10, action: 'created' })).toBe('s10')
  })
})
