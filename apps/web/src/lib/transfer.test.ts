import i18next, { type TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import { resources } from '../i18n/index.js'
import {
  droppedWording,
  exportUrl,
  filenameFromDisposition,
  formatKey,
  looksLikeW3c,
} from './transfer.js'

describe('export links', () => {
  it('build the export URL, with the point in history when there is one', () => {
    expect(exportUrl('abc', 'json')).toBe('/api/documents/abc/export?format=json')
    expect(exportUrl('abc', 'labelstudio-config', 'v3')).toBe(
      '/api/documents/abc/export?format=labelstudio-config&at=v3',
    )
    expect(exportUrl('abc', 'csv', '2026-01-01T10:00:00Z')).toContain('at=2026-01-01T10%3A00%3A00Z')
  })

  it('turn format names into translation keys', () => {
    expect(formatKey('labelstudio-config')).toBe('labelstudioConfig')
    expect(formatKey('w3c')).toBe('w3c')
  })
})

describe('filenameFromDisposition', () => {
  it('prefers the UTF-8 name', () => {
    const arabic = 'مقال.hashiya.json'
    const header = `attachment; filename="__.hashiya.json"; filename*=UTF-8''${encodeURIComponent(arabic)}`
    expect(filenameFromDisposition(header, 'x')).toBe(arabic)
  })

  it('falls back to the plain name, then to the given one', () => {
    expect(filenameFromDisposition('attachment; filename="a.zip"', 'x')).toBe('a.zip')
    expect(filenameFromDisposition('attachment', 'x.zip')).toBe('x.zip')
    expect(filenameFromDisposition(null, 'x.zip')).toBe('x.zip')
  })
})

describe('looksLikeW3c', () => {
  it('recognises a Web Annotation collection', () => {
    const collection = {
      '@context': ['http://www.w3.org/ns/anno.jsonld'],
      type: 'AnnotationCollection',
      first: { items: [] },
    }
    expect(looksLikeW3c(JSON.stringify(collection))).toBe(true)
    expect(looksLikeW3c(JSON.stringify([{ type: 'Annotation', target: {} }]))).toBe(true)
  })

  it('does not mistake a Hashiya export or plain text for one', () => {
    expect(looksLikeW3c(JSON.stringify({ format: 'hashiya', paragraphs: [] }))).toBe(false)
    expect(looksLikeW3c('نص عادي')).toBe(false)
  })
})

describe('the import report in the reader’s language', () => {
  const arabic = i18next.createInstance()
  void arabic.init({
    resources,
    lng: 'ar',
    initAsync: false,
    interpolation: { escapeValue: false },
  })
  const t = arabic.t as unknown as TFunction

  it('words known codes in Arabic, keeping technical names and the quoted text', () => {
    const missing = droppedWording(
      {
        code: 'text-not-found',
        params: { text: 'نص غائب' },
        what: 'annotation «نص غائب»',
        reason: 'its text is not in the document',
      },
      t,
    )
    expect(missing).toEqual({ what: 'الحاشية «نص غائب»', reason: 'نصها غير موجود في المستند' })
    const script = droppedWording(
      {
        code: 'element-removed',
        params: { element: '<script>', count: 1 },
        what: '<script>',
        reason: 'removed: only paragraph and heading text is imported',
      },
      t,
    )
    expect(script.what).toBe('<script>')
    expect(script.reason).toMatch(/^حُذف/)
  })

  it('shows what a newer server says when it does not know the code', () => {
    const item = { code: 'something-new', what: 'a thing', reason: 'a reason' }
    expect(droppedWording(item, t)).toEqual({ what: 'a thing', reason: 'a reason' })
    expect(droppedWording({ what: 'old server', reason: 'no code' }, t)).toEqual({
      what: 'old server',
      reason: 'no code',
    })
  })
})
