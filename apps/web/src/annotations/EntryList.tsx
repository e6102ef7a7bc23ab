/**
 * The panel's list of entries, virtualized: only the entries in view, and a
 * few either side, are in the DOM, so that a document with 10,000 annotations
 * opens and scrolls like one with ten. Entries have different heights (a
 * note, links, a read-only view); each is measured once drawn, and its
 * neighbours move with it.
 *
 * What must keep working with most entries absent: the entry holding the
 * focus stays drawn while the list scrolls away from it (typing a note is
 * never lost, Tab goes on from there); the selected entry is scrolled into
 * view when it was chosen in the article; screen readers hear each entry's
 * position in the whole list (aria-posinset / aria-setsize).
 */
import type { Annotation } from '@hashiya/annotations'
import { defaultRangeExtractor, type Range, useVirtualizer } from '@tanstack/react-virtual'
import { type FocusEvent, useCallback, useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import {
  AnnotationEntry,
  type ClaimOption,
  type EntryActions,
  entryLabels,
} from './AnnotationEntry.js'

interface EntryListProps {
  /** The entries to list, in order (already filtered). */
  shown: readonly Annotation[]
  nameOf: (userId: string) => string
  claims: readonly ClaimOption[]
  claimLabels: ReadonlyMap<string, string>
  activeId: string | null
  selectedId: string | null
  pickingFor: string | null
  actions: EntryActions
  readOnly: boolean
}

/** Drawn beyond each end of the visible part, so that scrolling and Tab find entries ready. */
const OVERSCAN = 2

/** Heights (in rem) to assume before an entry has been drawn: what each kind shows, measured. */
function estimatedRem(annotation: Annotation, readOnly: boolean): number {
  if (readOnly) return 6
  // a quote or a denial also has a speaker and links to claims
  return annotation.kind === 'quote' || annotation.kind === 'denial' ? 16.5 : 10
}

function remInPixels(): number {
  const size = Number.parseFloat(getComputedStyle(document.documentElement).fontSize)
  return Number.isFinite(size) && size > 0 ? size : 16
}

export function EntryList({
  shown,
  nameOf,
  claims,
  claimLabels,
  activeId,
  selectedId,
  pickingFor,
  actions,
  readOnly,
}: EntryListProps) {
  const scrollerRef = useRef<HTMLDivElement>(null)
  const rem = useMemo(remInPixels, [])
  const { t } = useTranslation()
  const labels = useMemo(() => entryLabels(t), [t])

  // The list is read again after every few keystrokes (offsets move), but its
  // ids rarely change: the virtualizer lays out all entries anew when its key
  // or size functions change, so they change only with the ids.
  const idsRef = useRef<readonly string[]>([])
  const ids = useMemo(() => {
    const previous = idsRef.current
    const same = previous.length === shown.length && shown.every((a, i) => a.id === previous[i])
    idsRef.current = same ? previous : shown.map((a) => a.id)
    return idsRef.current
  }, [shown])
  const shownRef = useRef(shown)
  shownRef.current = shown

  // the entry with the focus in it, by id (its index moves when entries come and go)
  const focusedId = useRef<string | null>(null)
  const indexById = useMemo(() => new Map(ids.map((id, index) => [id, index])), [ids])
  const indexOf = useRef(indexById)
  indexOf.current = indexById

  const getItemKey = useCallback((index: number) => ids[index] ?? index, [ids])
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new estimate only for a new list of ids
  const estimateSize = useCallback(
    (index: number) => {
      const annotation = shownRef.current[index]
      return (annotation ? estimatedRem(annotation, readOnly) : 10) * rem
    },
    [ids, readOnly, rem],
  )

  const rangeExtractor = useCallback((range: Range) => {
    const indexes = defaultRangeExtractor(range)
    const focused = focusedId.current === null ? undefined : indexOf.current.get(focusedId.current)
    if (focused === undefined || indexes.includes(focused)) return indexes
    // drawn where it belongs, out of view, so that the focus stays in it
    return [...indexes, focused].sort((a, b) => a - b)
  }, [])

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize,
    getItemKey,
    rangeExtractor,
    overscan: OVERSCAN,
    gap: 0.4 * rem,
    paddingStart: 0.5 * rem,
    paddingEnd: 0.5 * rem,
    scrollPaddingStart: 0.5 * rem,
    scrollPaddingEnd: 0.5 * rem,
  })

  // Keep the selected entry in view when it was chosen in the article, once:
  // later the list is the reader's to scroll. A new tag is selected before
  // its entry is listed (the panel reads after the next paint), so the scroll
  // waits for the entry.
  const toReveal = useRef<string | null>(null)
  useEffect(() => {
    toReveal.current = selectedId
  }, [selectedId])
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the selection or the listed ids change
  useEffect(() => {
    const id = toReveal.current
    const index = id === null ? undefined : indexById.get(id)
    if (index === undefined) return
    toReveal.current = null
    virtualizer.scrollToIndex(index, { align: 'auto' })
  }, [selectedId, indexById])

  const onFocus = (event: FocusEvent<HTMLOListElement>) => {
    const entry = (event.target as Element).closest<HTMLElement>('[data-annotation-id]')
    focusedId.current = entry?.dataset.annotationId ?? null
  }
  const onBlur = (event: FocusEvent<HTMLOListElement>) => {
    const next = event.relatedTarget as Node | null
    if (!next || !event.currentTarget.contains(next)) focusedId.current = null
  }

  if (shown.length === 0) return null
  const items = virtualizer.getVirtualItems()
  return (
    <div className="annotation-list" ref={scrollerRef}>
      <ol
        className="annotation-list__items"
        style={{ blockSize: virtualizer.getTotalSize() }}
        onFocus={onFocus}
        onBlur={onBlur}
      >
        {items.map((item) => {
          const annotation = shown[item.index] as Annotation
          return (
            <AnnotationEntry
              key={annotation.id}
              annotation={annotation}
              position={item.index}
              setSize={shown.length}
              offset={item.start}
              measure={virtualizer.measureElement}
              authorName={nameOf(annotation.author)}
              claims={claims}
              claimLabels={claimLabels}
              active={activeId === annotation.id}
              selected={selectedId === annotation.id}
              picking={pickingFor === annotation.id}
              actions={actions}
              readOnly={readOnly}
              labels={labels}
            />
          )
        })}
      </ol>
    </div>
  )
}
