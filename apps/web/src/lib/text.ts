/** Small text helpers for creating documents from pasted or uploaded text. */
import { MAX_TITLE_LENGTH } from './api.js'

const encoder = new TextEncoder()

export function utf8Length(text: string): number {
  return encoder.encode(text).length
}

/** Trims and collapses whitespace; caps at the server's title length (in code points). */
export function cleanTitle(title: string): string {
  const cleaned = title.replace(/\s+/g, ' ').trim()
  return Array.from(cleaned).slice(0, MAX_TITLE_LENGTH).join('')
}

/** A file name without its extension, as a title: `تقرير_الأسبوع.txt` → `تقرير الأسبوع`. */
export function titleFromFileName(fileName: string): string {
  return cleanTitle(fileName.replace(/\.[^.]*$/, '').replace(/[_]+/g, ' '))
}

/** The first non-empty line, shortened at a word boundary, for when no title was given. */
export function titleFromBody(body: string, maxLength = 80): string {
  const firstLine = body.split(/\r\n|\r|\n/).find((line) => line.trim().length > 0) ?? ''
  const line = cleanTitle(firstLine)
  const chars = Array.from(line)
  if (chars.length <= maxLength) return line
  const cut = chars.slice(0, maxLength).join('')
  const lastSpace = cut.lastIndexOf(' ')
  return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut).trim()}…`
}

/** Decodes an uploaded file as UTF-8 text, dropping a byte-order mark. Throws on invalid UTF-8. */
export function decodeTextFile(bytes: ArrayBuffer): string {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  return text.startsWith('\uFEFF') ? text.slice(1) : text
}
