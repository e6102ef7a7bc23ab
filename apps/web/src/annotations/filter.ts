/**
 * Finding annotations in the panel: a search that ignores how a word happens
 * to be vocalized or stretched, and filters by kind and author. Pure.
 */
import {
  ANNOTATION_KINDS,
  type Annotation,
  type AnnotationKind,
  compareDocumentOrder,
} from '@hashiya/annotations'

/**
 * Arabic text as search sees it: without harakat, Quranic marks, the dagger
 * alef and tatweel; alef forms (أ إ آ ٱ) as ا, ى as ي, ة as ه; Latin letters
 * lower case; runs of white space as one space. Invisible direction and
 * joining controls are dropped.
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640]/g, '')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

export interface AnnotationFilter {
  /** As typed; normalized here. */
  query: string
  /** Kinds to show; empty shows every kind. */
  kinds: ReadonlySet<AnnotationKind>
  /** Author id to show; null shows everyone's. */
  author: string | null
}

export const NO_FILTER: AnnotationFilter = { query: '', kinds: new Set(), author: null }

export function isFiltering(filter: AnnotationFilter): boolean {
  return filter.query.trim() !== '' || filter.kinds.size > 0 || filter.author !== null
}

/** The annotations the filter lets through, in their order. Searches text, note and speaker. */
export function filterAnnotations<T extends Annotation>(
  annotations: readonly T[],
  filter: AnnotationFilter,
): T[] {
  const query = normalizeForSearch(filter.query)
  return annotations.filter((annotation) => {
    if (filter.kinds.size > 0 && !filter.kinds.has(annotation.kind)) return false
    if (filter.author !== null && annotation.author !== filter.author) return false
    if (!query) return true
    return [annotation.text, annotation.note, annotation.speaker].some((field) =>
      normalizeForSearch(field).includes(query),
    )
  })
}

export function countByKind(annotations: readonly Annotation[]): Record<AnnotationKind, number> {
  const counts = Object.fromEntries(ANNOTATION_KINDS.map((kind) => [kind, 0])) as Record<
    AnnotationKind,
    number
  >
  for (const annotation of annotations) counts[annotation.kind] += 1
  return counts
}

/** One segmenter for every clip: building one per call dominated the panel's render time. */
let graphemes: Intl.Segmenter | undefined

/** Clipped texts by `max`, then text; the panel clips every entry and claim on each reading. */
const clipped = new Map<number, Map<string, string>>()
/** Beyond this many texts per length the cache starts over (texts of deleted annotations go). */
const CLIP_CACHE_LIMIT = 20_000

/**
 * The first `count` grapheme clusters of the flattened `text` (white space
 * runs as one space, leading space dropped), and whether there are more.
 * Only a prefix of the text is flattened and segmented, so a long quote costs
 * no more than a short one.
 */
function leadingClusters(text: string, count: number): { clusters: string[]; more: boolean } {
  graphemes ??= new Intl.Segmenter('ar', { granularity: 'grapheme' })
  // trailing space is dropped first, so a prefix's last space is followed by text
  const source = text.trimEnd()
  // a cluster is rarely longer than a few code units; grow the prefix when it is
  for (let prefix = 4 * count + 16; ; prefix *= 2) {
    const whole = prefix >= source.length
    // a boundary between clusters depends only on what precedes it, so the clusters
    // of a prefix are those of the whole text, except perhaps the last one
    const flat = (whole ? source : source.slice(0, prefix)).replace(/\s+/g, ' ').trimStart()
    const clusters: string[] = []
    // one cluster beyond `count` tells that there are more
    for (const { segment } of graphemes.segment(flat)) {
      clusters.push(segment)
      if (clusters.length > count) break
    }
    if (clusters.length > count) return { clusters: clusters.slice(0, count), more: true }
    if (whole) return { clusters, more: false }
  }
}

/** Text shortened to `max` characters (grapheme clusters), at a space when one is near. */
export function clip(text: string, max: number): string {
  let cache = clipped.get(max)
  if (!cache) {
    cache = new Map()
    clipped.set(max, cache)
  }
  const known = cache.get(text)
  if (known !== undefined) return known
  const { clusters, more } = leadingClusters(text, max)
  let result: string
  if (!more) result = clusters.join('')
  else {
    const cut = clusters.join('')
    const space = cut.lastIndexOf(' ')
    result = `${(space > cut.length * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`
  }
  if (cache.size >= CLIP_CACHE_LIMIT) cache.clear()
  cache.set(text, result)
  return result
}

function sameRanges(
  a: readonly { start: number; end: number }[],
  b: readonly { start: number; end: number }[],
): boolean {
  return (
    a.length === b.length &&
    a.every((range, index) => range.start === b[index]?.start && range.end === b[index]?.end)
  )
}

/**
 * Whether two readings of an annotation look the same in the panel. Offsets
 * and times are not shown: typing earlier in the article moves every later
 * annotation without changing how its entry looks.
 */
export function sameDisplay(a: Annotation, b: Annotation): boolean {
  return (
    a.id === b.id &&
    a.kind === b.kind &&
    a.author === b.author &&
    a.note === b.note &&
    a.speaker === b.speaker &&
    a.text === b.text &&
    a.relations.length === b.relations.length &&
    a.relations.every(
      (relation, index) =>
        relation.type === b.relations[index]?.type &&
        relation.target === b.relations[index]?.target,
    )
  )
}

/** Whether two readings of an annotation are the same in every field. */
export function sameAnnotation(a: Annotation, b: Annotation): boolean {
  return (
    sameDisplay(a, b) &&
    a.createdAt === b.createdAt &&
    a.updatedAt === b.updatedAt &&
    a.updatedBy === b.updatedBy &&
    a.start === b.start &&
    a.end === b.end &&
    sameRanges(a.ranges, b.ranges)
  )
}

/**
 * The new list, reusing the previous objects of annotations that did not
 * change (so memoized rows skip rendering), and the previous list itself when
 * nothing changed at all.
 */
export function reuseUnchanged<T extends Annotation>(
  previous: readonly T[],
  next: T[],
): readonly T[] {
  // most readings list the same ids in the same order: look up by id only when not
  let byId: Map<string, T> | undefined
  let changed = previous.length !== next.length
  const merged = next.map((annotation, index) => {
    let old = previous[index]
    if (old?.id !== annotation.id) {
      byId ??= new Map(previous.map((item) => [item.id, item]))
      old = byId.get(annotation.id)
    }
    if (old && sameAnnotation(old, annotation)) {
      if (previous[index] !== old) changed = true
      return old
    }
    changed = true
    return annotation
  })
  return changed ? merged : previous
}

/**
 * The list after the changes `AnnotationReader.readChanges()` reported,
 * without reading every annotation again: changed entries are taken out and
 * put back where they now are, deleted ones dropped. The list's own offsets may
 * be stale (text typed since the last full reading moves annotations without
 * reporting them), so places are found by binary search over current
 * positions from `spanOf`. An entry that looks the same and stays in place
 * keeps its object, and the list itself is returned when nothing changed.
 * Null when `spanOf` does not know an entry of the list (read everything).
 */
export function applyChanges<T extends Annotation>(
  previous: readonly T[],
  changed: ReadonlyMap<string, T | null>,
  spanOf: (id: string) => Pick<Annotation, 'start' | 'end'> | null,
): readonly T[] | null {
  if (changed.size === 0) return previous
  const before = new Map<string, T>()
  const kept: T[] = []
  for (const annotation of previous) {
    if (changed.has(annotation.id)) before.set(annotation.id, annotation)
    else kept.push(annotation)
  }
  for (const [id, annotation] of changed) {
    if (!annotation) continue
    const old = before.get(id)
    const entry = old && sameDisplay(old, annotation) ? old : annotation
    // current positions of the kept entries, with the tie-breakers that do not move
    let low = 0
    let high = kept.length
    while (low < high) {
      const middle = (low + high) >> 1
      const other = kept[middle] as T
      const span = spanOf(other.id)
      if (!span) return null
      if (compareDocumentOrder({ ...other, ...span }, annotation) < 0) low = middle + 1
      else high = middle
    }
    kept.splice(low, 0, entry)
  }
  const same =
    kept.length === previous.length &&
    kept.every((annotation, index) => annotation === previous[index])
  return same ? previous : kept
}
