/**
 * Who is editing: the `user` field of every client's awareness state.
 *
 * Tiptap's CollaborationCaret publishes the local user under this field and the
 * caret renderer reads remote users from it, so the shape is defined once here.
 * Remote states come from other browsers and are untrusted: read them only
 * through `readCollabUser`.
 */

export interface CollabUser {
  /** Stable random id of the person (kept in their browser), also sent to the server. */
  id: string
  /** Display name, shown on carets and in the presence list. */
  name: string
  /** `#rrggbb`; dark enough for white label text. */
  color: string
}

/** Colours offered to users: distinct hues, each readable with white text (WCAG AA for bold small text). */
export const USER_COLORS = [
  '#b91c1c',
  '#c2410c',
  '#a16207',
  '#15803d',
  '#0f766e',
  '#0369a1',
  '#1d4ed8',
  '#6d28d9',
  '#a21caf',
  '#be185d',
] as const

export const FALLBACK_COLOR = '#475569'

export const MAX_USER_NAME_LENGTH = 40

const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/

export function isUserColor(value: unknown): value is string {
  return typeof value === 'string' && COLOR_PATTERN.test(value)
}

/** A colour safe to put into CSS: the value itself when it is `#rrggbb`, else a neutral grey. */
export function safeColor(value: unknown): string {
  return isUserColor(value) ? value.toLowerCase() : FALLBACK_COLOR
}

/** Trims, collapses whitespace, drops control characters and caps the length of a display name. */
export function cleanUserName(value: unknown): string {
  if (typeof value !== 'string') return ''
  const cleaned = value
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return Array.from(cleaned).slice(0, MAX_USER_NAME_LENGTH).join('')
}

/** The user of an awareness state, or null when the state carries none worth showing. */
export function readCollabUser(state: unknown): CollabUser | null {
  if (typeof state !== 'object' || state === null) return null
  const user = (state as { user?: unknown }).user
  if (typeof user !== 'object' || user === null) return null
  const { id, name, color } = user as Record<string, unknown>
  const cleanName = cleanUserName(name)
  if (typeof id !== 'string' || id.length === 0 || cleanName.length === 0) return null
  return { id: id.slice(0, 64), name: cleanName, color: safeColor(color) }
}
