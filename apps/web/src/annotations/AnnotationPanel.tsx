import {
  ANNOTATION_KINDS,
  type Annotation,
  type AnnotationKind,
  type AnnotationProblem,
} from '@hashiya/annotations'
import type { TFunction } from 'i18next'
import { useId, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ClaimOption, EntryActions } from './AnnotationEntry.js'
import { EntryList } from './EntryList.js'
import {
  type AnnotationFilter,
  clip,
  countByKind,
  filterAnnotations,
  isFiltering,
  NO_FILTER,
} from './filter.js'
import { KindIcon } from './KindIcon.js'

export interface PanelStatus {
  /** Written at render time, so that it follows the interface language. */
  text: (t: TFunction) => string
  tone: 'info' | 'error'
}

interface AnnotationPanelProps {
  annotations: readonly Annotation[]
  problems: readonly AnnotationProblem[]
  /** Display names of the people present, by user id. */
  names: ReadonlyMap<string, string>
  selfId: string
  activeId: string | null
  selectedId: string | null
  /** The entry whose "pick a claim in the text" mode is on. */
  pickingFor: string | null
  status: PanelStatus | null
  actions: EntryActions & { stopPicking(): void }
  /** The account may only read this document: entries are shown, not edited. */
  readOnly?: boolean
}

/**
 * Every annotation of the article in document order, beside it: counts and
 * filters by kind, a filter by author and a search that ignores harakat and
 * tatweel; each entry edited in place. The list itself is virtualized (see
 * EntryList).
 */
export function AnnotationPanel({
  annotations,
  problems,
  names,
  selfId,
  activeId,
  selectedId,
  pickingFor,
  status,
  actions,
  readOnly = false,
}: AnnotationPanelProps) {
  const { t } = useTranslation()
  const headingId = useId()
  const searchId = useId()
  const authorId = useId()
  const [filter, setFilter] = useState<AnnotationFilter>(NO_FILTER)

  const counts = useMemo(() => countByKind(annotations), [annotations])
  const shown = useMemo(() => filterAnnotations(annotations, filter), [annotations, filter])

  // the same objects while the claims look the same, so that entries need not re-render
  const claimsRef = useRef<{ claims: readonly ClaimOption[]; claimLabels: Map<string, string> }>({
    claims: [],
    claimLabels: new Map(),
  })
  const { claims, claimLabels } = useMemo(() => {
    const claimList: ClaimOption[] = annotations
      .filter((annotation) => annotation.kind === 'claim')
      .map((annotation) => ({ id: annotation.id, label: clip(annotation.text, 48) }))
    const previous = claimsRef.current
    const same =
      previous.claims.length === claimList.length &&
      previous.claims.every(
        (claim, index) =>
          claim.id === claimList[index]?.id && claim.label === claimList[index]?.label,
      )
    if (!same) {
      claimsRef.current = {
        claims: claimList,
        claimLabels: new Map(claimList.map((c) => [c.id, c.label])),
      }
    }
    return claimsRef.current
  }, [annotations])

  const nameOf = useMemo(() => {
    const cache = new Map<string, string>()
    return (id: string) => {
      let name = cache.get(id)
      if (name === undefined) {
        const known = names.get(id)
        name = known ? (id === selfId ? t('annotations.you', { name: known }) : known) : id
        cache.set(id, name)
      }
      return name
    }
  }, [names, selfId, t])

  const authors = useMemo(() => {
    const ids = new Set(annotations.map((annotation) => annotation.author))
    if (filter.author) ids.add(filter.author)
    return [...ids]
      .map((id) => ({ id, name: nameOf(id) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'ar'))
  }, [annotations, filter.author, nameOf])

  const toggleKind = (kind: AnnotationKind) =>
    setFilter((current) => {
      const kinds = new Set(current.kinds)
      if (kinds.has(kind)) kinds.delete(kind)
      else kinds.add(kind)
      return { ...current, kinds }
    })

  const pickingSource = pickingFor ? annotations.find((a) => a.id === pickingFor) : undefined

  return (
    <aside className="annotation-panel" data-testid="annotation-panel" aria-labelledby={headingId}>
      <div className="annotation-panel__head">
        <h2 className="annotation-panel__title" id={headingId}>
          {t('annotations.panelTitle')}
          <span className="annotation-panel__total">
            {isFiltering(filter)
              ? t('annotations.shown', { shown: shown.length, total: annotations.length })
              : t('annotations.count', { count: annotations.length })}
          </span>
        </h2>

        <fieldset className="kind-filters">
          <legend className="visually-hidden">{t('annotations.filterKinds')}</legend>
          {ANNOTATION_KINDS.map((kind) => (
            <button
              key={kind}
              type="button"
              className={`kind-filter kind-filter--${kind}`}
              data-testid={`filter-kind-${kind}`}
              aria-pressed={filter.kinds.has(kind)}
              title={t(`annotations.kindHints.${kind}`)}
              onClick={() => toggleKind(kind)}
            >
              <KindIcon kind={kind} size={16} />
              <span className="kind-filter__label">{t(`annotations.kinds.${kind}`)}</span>
              <span className="kind-filter__count" data-testid={`annotation-count-${kind}`}>
                {counts[kind]}
              </span>
            </button>
          ))}
        </fieldset>

        <div className="annotation-panel__filters">
          <div className="annotation-panel__search">
            <label className="visually-hidden" htmlFor={searchId}>
              {t('annotations.search')}
            </label>
            <input
              id={searchId}
              type="search"
              className="input input--compact"
              data-testid="annotation-search"
              placeholder={t('annotations.searchPlaceholder')}
              title={t('annotations.searchHint')}
              dir={filter.query ? 'auto' : undefined}
              value={filter.query}
              onChange={(event) =>
                setFilter((current) => ({ ...current, query: event.target.value }))
              }
            />
          </div>
          <div className="annotation-panel__author">
            <label className="visually-hidden" htmlFor={authorId}>
              {t('annotations.filterAuthor')}
            </label>
            <select
              id={authorId}
              className="input input--compact"
              data-testid="filter-author"
              value={filter.author ?? ''}
              onChange={(event) =>
                setFilter((current) => ({ ...current, author: event.target.value || null }))
              }
            >
              <option value="">{t('annotations.allAuthors')}</option>
              {authors.map((author) => (
                <option key={author.id} value={author.id}>
                  {author.name}
                </option>
              ))}
            </select>
          </div>
        </div>

        {pickingSource && (
          <div className="message message--info annotation-panel__picking" role="status">
            <p>{t('annotations.picking', { text: clip(pickingSource.text, 40) })}</p>
            <button type="button" className="button button--small" onClick={actions.stopPicking}>
              {t('annotations.cancelPick')}
            </button>
          </div>
        )}
        <p
          className={`annotation-panel__status${status?.tone === 'error' ? ' annotation-panel__status--error' : ''}`}
          role="status"
          aria-live="polite"
        >
          {status?.text(t)}
        </p>
      </div>

      {annotations.length === 0 ? (
        <p className="annotation-panel__empty">
          {readOnly ? t('annotations.emptyReadOnly') : t('annotations.empty')}
        </p>
      ) : shown.length === 0 ? (
        <div className="annotation-panel__empty">
          <p>{t('annotations.noMatches')}</p>
          <button
            type="button"
            className="button button--small"
            onClick={() => setFilter(NO_FILTER)}
          >
            {t('annotations.clearFilters')}
          </button>
        </div>
      ) : null}

      <EntryList
        shown={shown}
        nameOf={nameOf}
        claims={claims}
        claimLabels={claimLabels}
        activeId={activeId}
        selectedId={selectedId}
        pickingFor={pickingFor}
        actions={actions}
        readOnly={readOnly}
      />

      {problems.length > 0 && (
        <p
          className="annotation-panel__problems"
          data-testid="annotation-problems"
          data-count={problems.length}
          title={t('annotations.problemsTitle')}
        >
          <span aria-hidden="true">⚠</span> {t('annotations.problems', { count: problems.length })}
        </p>
      )}
    </aside>
  )
}
