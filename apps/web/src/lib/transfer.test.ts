import { describe, expect, it } from 'vitest'
import { exportUrl, filenameFromDisposition, formatKey, looksLikeW3c } from './transfer.js'

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
