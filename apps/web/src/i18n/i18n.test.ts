import { describe, expect, it } from 'vitest'
import { memoryStore } from '../lib/storage.js'
import ar from './ar.json'
import en from './en.json'
import { directionOf, LANGUAGE_KEY, LANGUAGES, resources, storedLanguage } from './index.js'

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/

type Tree = { [key: string]: string | Tree }

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of leaves(value, path)) out.set(k, v)
  }
  return out
}

const tables = { ar: leaves(ar), en: leaves(en) }

function baseKeys(keys: Iterable<string>): Set<string> {
  return new Set([...keys].map((key) => key.replace(PLURAL_SUFFIX, '')))
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1] ?? '').sort()
}

describe('translations', () => {
  it('have the same keys in Arabic and English (plural forms aside)', () => {
    const arKeys = [...baseKeys(tables.ar.keys())].sort()
    const enKeys = [...baseKeys(tables.en.keys())].sort()
    expect(enKeys).toEqual(arKeys)
  })

  it('have every plural form each language needs', () => {
    for (const language of LANGUAGES) {
      const table = tables[language]
      const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories
      const pluralBases = new Set(
        [...table.keys()]
          .filter((key) => PLURAL_SUFFIX.test(key))
          .map((key) => key.replace(PLURAL_SUFFIX, '')),
      )
      for (const base of pluralBases) {
        for (const category of categories) {
          expect(table.has(`${base}_${category}`), `${language}: ${base}_${category}`).toBe(true)
        }
      }
    }
  })

  it('use the same placeholders in both languages', () => {
    for (const [key, arText] of tables.ar) {
      if (PLURAL_SUFFIX.test(key)) continue
      const enText = tables.en.get(key)
      expect(enText, key).toBeDefined()
      expect(placeholders(enText ?? ''), key).toEqual(placeholders(arText))
    }
  })

  it('have no empty strings', () => {
    for (const language of LANGUAGES) {
      for (const [key, text] of tables[language])
        expect(text.trim(), `${language}: ${key}`).not.toBe('')
    }
  })

  it('are all registered', () => {
    expect(Object.keys(resources).sort()).toEqual([...LANGUAGES].sort())
  })
})

describe('language choice', () => {
  it('defaults to Arabic, right to left', () => {
    expect(storedLanguage(memoryStore())).toBe('ar')
    expect(directionOf('ar')).toBe('rtl')
    expect(directionOf('en')).toBe('ltr')
  })

  it('remembers English and ignores unknown values', () => {
    expect(storedLanguage(memoryStore({ [LANGUAGE_KEY]: 'en' }))).toBe('en')
    expect(storedLanguage(memoryStore({ [LANGUAGE_KEY]: 'fr' }))).toBe('ar')
  })
})

describe('interpolated names', () => {
  it('are bidi isolates, so a Latin name keeps its order inside an Arabic sentence', async () => {
    const { initI18n } = await import('./index.js')
    const i18n = initI18n(memoryStore({ 'hashiya.language': 'ar' }))
    await new Promise((resolve) => setTimeout(resolve, 0))
    const line = i18n.t('annotations.by', { name: '"><img src=x>' })
    expect(line).toBe('من إضافة \u2068"><img src=x>\u2069')
    expect(i18n.t('admin.count', { count: 3 })).not.toContain('\u2068')
  })
})
