/**
 * Pure helpers for the history views: past text split into annotated pieces,
 * user display names and colours, relative times, chart scales.
 */
import type { AnnotationKind } from '@hashiya/annotations'
import { isUserColor } from '@hashiya/editor'
import { defaultColorFor } from '../lib/identity.js'
import type { KeyValueStore } from '../lib/storage.js'

export interface Marked {
  id: string
  kind: AnnotationKind
  ranges: readonly { start: number; end: number }[]
}

export interface Segment {
  text: string
  /** Annotations covering this piece, outermost (longest-starting) first. */
  marks: { id: string; kind: AnnotationKind }[]
}

/** Length in code points (what the server counts). */
export function codePointLength(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}

/**
 * Splits paragraphs (joined by "\n\n" in the server's offsets) into pieces,
 * each covered by the same annotations.
 */
export function segmentParagraphs(
  paragraphs: readonly string[],
  marks: readonly Marked[],
): Segment[][] {
  const out: Segment[][] = []
  let offset = 0
  for (const paragraph of paragraphs) {
    const chars = [...paragraph]
    const start = offset
    const end = offset + chars.length
    const cuts = new Set<number>([start, end])
    const local: { id: string; kind: AnnotationKind; start: number; end: number }[] = []
    for (const mark of marks) {
      for (const range of mark.ranges) {
        const s = Math.max(range.start, start)
        const e = Math.min(range.end, end)
        if (s >= e) continue
        local.push({ id: mark.id, kind: mark.kind, start: s, end: e })
        cuts.add(s)
        cuts.add(e)
      }
    }
    // wider spans outside narrower ones, so nesting looks the same everywhere
    local.sort((a, b) => b.end - b.start - (a.end - a.start) || a.id.localeCompare(b.id))
    const points = [...cuts].sort((a, b) => a - b)
    const segments: Segment[] = []
    for (let i = 0; i < points.length - 1; i++) {
      const s = points[i] as number
      const e = points[i + 1] as number
      const text = chars.slice(s - start, e - start).join('')
      if (!text) continue
      const covering = local
        .filter((m) => m.start <= s && m.end >= e)
        .map(({ id, kind }) => ({ id, kind }))
      const last = segments[segments.length - 1]
      if (last && sameMarks(last.marks, covering)) last.text += text
      else segments.push({ text, marks: covering })
    }
    out.push(segments)
    offset = end + 2
  }
  return out
}

function sameMarks(a: Segment['marks'], b: Segment['marks']): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i]?.id)
}

/**
 * How to show a user id nobody has a name for: an account name (at most 32
 * characters) as it is, a long random id from before accounts shortened.
 */
export function shortId(id: string): string {
  return id.length > 32 ? `${id.slice(0, 6)}…` : id
}

/** A stable colour for a user whose own colour is unknown (the one their account starts with). */
export const colorForId = defaultColorFor

export interface KnownUser {
  name: string
  color: string
}

export const KNOWN_USERS_KEY = 'hashiya.knownUsers'
const MAX_KNOWN = 500

export function readKnownUsers(store: KeyValueStore): Map<string, KnownUser> {
  try {
    const raw = JSON.parse(store.getItem(KNOWN_USERS_KEY) ?? '{}') as unknown
    const map = new Map<string, KnownUser>()
    if (typeof raw !== 'object' || raw === null) return map
    for (const [id, value] of Object.entries(raw)) {
      const { name, color } = (value ?? {}) as { name?: unknown; color?: unknown }
      if (typeof name === 'string' && name) {
        // written by this app, but storage can be edited: only a #rrggbb colour is used in styles
        map.set(id, { name, color: isUserColor(color) ? color.toLowerCase() : colorForId(id) })
      }
    }
    return map
  } catch {
    return new Map()
  }
}

/** Remembers the names seen; returns true when something changed. */
export function rememberUsers(
  store: KeyValueStore,
  known: Map<string, KnownUser>,
  seen: readonly { id: string; name: string; color: string }[],
): boolean {
  let changed = false
  for (const user of seen) {
    if (!user.name) continue
    const before = known.get(user.id)
    if (before?.name === user.name && before.color === user.color) continue
    known.delete(user.id)
    known.set(user.id, { name: user.name, color: user.color })
    changed = true
  }
  if (!changed) return false
  while (known.size > MAX_KNOWN) {
    const oldest = known.keys().next().value
    if (oldest === undefined) break
    known.delete(oldest)
  }
  try {
    store.setItem(KNOWN_USERS_KEY, JSON.stringify(Object.fromEntries(known)))
  } catch {
    // storage full or unavailable: names are only a convenience
  }
  return true
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
]

/** "3 minutes ago" in the UI language. */
export function relativeTime(iso: string, now: number, language: string): string {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return ''
  const diff = ms - now
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size || unit === 'second') {
      return format.format(Math.round(diff / size), unit)
    }
  }
  return ''
}

/** A value for <input type="datetime-local"> → ISO, or undefined when empty/invalid. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined
  const ms = new Date(value).getTime()
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}

/** A "nice" upper bound and tick step for a bar chart's value axis. */
export function niceScale(max: number, ticks = 4): { max: number; step: number } {
  if (max <= 0) return { max: 1, step: 1 }
  const raw = max / ticks
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw
  const whole = Math.max(1, Math.round(step))
  return { max: Math.ceil(max / whole) * whole, step: whole }
}

/** The point in history just before an event (to see what it changed), or at it. */
export function pointOfEvent(event: { seq: number; action: string }): string {
  return event.action === 'deleted' ? `s${Math.max(0, event.seq - 1)}` : `s${event.seq}`
}
