/**
 * Interface language: Arabic by default, English on request; the choice is kept
 * in localStorage. The page direction follows the language; the article editor
 * is always right to left (articles are Arabic).
 */
import i18next, { type FormatterModule } from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { KeyValueStore } from '../lib/storage.js'
import ar from './ar.json'
import en from './en.json'

export const LANGUAGES = ['ar', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'ar'
export const LANGUAGE_KEY = 'hashiya.language'

export const resources = {
  ar: { translation: ar },
  en: { translation: en },
} as const

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

export function storedLanguage(store: KeyValueStore): Language {
  const value = store.getItem(LANGUAGE_KEY)
  return isLanguage(value) ? value : DEFAULT_LANGUAGE
}

export function directionOf(language: Language): 'rtl' | 'ltr' {
  return language === 'ar' ? 'rtl' : 'ltr'
}

function applyToDocument(language: Language): void {
  const root = globalThis.document?.documentElement
  if (!root) return
  root.lang = language
  root.dir = directionOf(language)
}

/** Initializes i18next synchronously with the bundled translations. */
export function initI18n(store: KeyValueStore): typeof i18next {
  const language = storedLanguage(store)
  void i18next
    .use(initReactI18next)
    .use(isolatingFormatter)
    .init({
      resources,
      lng: language,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: [...LANGUAGES],
      initAsync: false,
      // React escapes; `alwaysFormat` runs every interpolated value through `isolatingFormatter`.
      interpolation: { escapeValue: false, alwaysFormat: true },
      returnNull: false,
    })
  applyToDocument(language)
  i18next.on('languageChanged', (next) => {
    if (!isLanguage(next)) return
    store.setItem(LANGUAGE_KEY, next)
    applyToDocument(next)
  })
  return i18next
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: (typeof resources)['ar']
  }
}

const FIRST_STRONG_ISOLATE = '\u2068'
const POP_DIRECTIONAL_ISOLATE = '\u2069'

/** Text set apart from the direction of what surrounds it. */
export function isolate(text: string): string {
  return `${FIRST_STRONG_ISOLATE}${text}${POP_DIRECTIONAL_ISOLATE}`
}

/**
 * What React cannot do for us: keep a Latin name's punctuation from
 * reordering inside an Arabic sentence (and the reverse). Every interpolated
 * string becomes a bidi isolate, as <bdi> would make it; numbers (plural
 * counts) pass as they are. The strings use no named formats.
 */
const isolatingFormatter: FormatterModule = {
  type: 'formatter',
  init: () => {},
  add: () => {},
  addCached: () => {},
  // biome-ignore lint/suspicious/noExplicitAny: i18next passes numbers through the same hook
  format: (value: any) => (typeof value === 'string' ? isolate(value) : value),
}
