import {
  ANNOTATION_KINDS,
  type Annotation,
  type AnnotationKind,
  isAnnotationKind,
  kindHasSpeaker,
  MAX_NOTE_LENGTH,
  MAX_SPEAKER_LENGTH,
  relationTypeFor,
} from '@hashiya/annotations'
import { type MouseEvent, memo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DraftField } from './DraftField.js'
import { clip, sameDisplay } from './filter.js'
import { KindIcon } from './KindIcon.js'

export interface ClaimOption {
  id: string
  label: string
}

/** What an entry can do; one stable object for the whole list. */
export interface EntryActions {
  /** Scroll the article to the annotation and select it. */
  goTo(id: string): void
  /** Select it without scrolling (focus moved into its entry). */
  select(id: string): void
  hover(id: string | null): void
  setKind(id: string, kind: AnnotationKind): void
  setNote(id: string, note: string): void
  setSpeaker(id: string, speaker: string): void
  link(id: string, claimId: string, linked: boolean): void
  togglePicking(id: string): void
  remove(id: string): void
}

interface AnnotationEntryProps {
  annotation: Annotation
  /** Place in the (virtualized) list: index, list length, and offset from the list's top in px. */
  position: number
  setSize: number
  offset: number
  /** Measures the drawn entry (the list's virtualizer). */
  measure: (element: HTMLLIElement | null) => void
  authorName: string
  /** Every claim, in document order (the same array for all entries). */
  claims: readonly ClaimOption[]
  claimLabels: ReadonlyMap<string, string>
  /** Hovered here or in the text. */
  active: boolean
  selected: boolean
  /** "Click the claim in the text" mode is on for this entry. */
  picking: boolean
  actions: EntryActions
  /** Shown as text, without the controls that change it. */
  readOnly: boolean
}

const INTERACTIVE = 'button, input, select, textarea, label, a'

/** Re-render an entry only when what it shows changed (not when its text merely moved). */
function sameEntryProps(a: AnnotationEntryProps, b: AnnotationEntryProps): boolean {
  return (
    sameDisplay(a.annotation, b.annotation) &&
    a.position === b.position &&
    a.setSize === b.setSize &&
    a.offset === b.offset &&
    a.measure === b.measure &&
    a.authorName === b.authorName &&
    a.claims === b.claims &&
    a.claimLabels === b.claimLabels &&
    a.active === b.active &&
    a.selected === b.selected &&
    a.picking === b.picking &&
    a.actions === b.actions &&
    a.readOnly === b.readOnly
  )
}

/** One annotation in the panel, edited in place. */
export const AnnotationEntry = memo(function AnnotationEntry({
  annotation,
  position,
  setSize,
  offset,
  measure,
  authorName,
  claims,
  claimLabels,
  active,
  selected,
  picking,
  actions,
  readOnly,
}: AnnotationEntryProps) {
  const { t } = useTranslation()
  const { id, kind } = annotation
  const relationType = relationTypeFor(kind)
  const shortText = clip(annotation.text, 48)
  const linked = new Set(annotation.relations.map((relation) => relation.target))
  const linkable = relationType
    ? claims.filter((claim) => claim.id !== id && !linked.has(claim.id))
    : []

  const onClick = (event: MouseEvent<HTMLLIElement>) => {
    const target = event.target as Element
    if (target.closest(INTERACTIVE)) actions.select(id)
    else actions.goTo(id)
  }

  let className = `annotation-entry annotation-entry--${kind}`
  if (active) className += ' annotation-entry--active'
  if (selected) className += ' annotation-entry--selected'

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a mouse shortcut; keyboard users have the text button below
    <li
      ref={measure}
      className={className}
      style={{ transform: `translateY(${offset}px)` }}
      data-testid="annotation-entry"
      data-annotation-id={id}
      data-kind={kind}
      data-index={position}
      aria-posinset={position + 1}
      aria-setsize={setSize}
      aria-current={selected ? 'true' : undefined}
      onMouseEnter={() => actions.hover(id)}
      onMouseLeave={() => actions.hover(null)}
      onClick={onClick}
    >
      <div className="annotation-entry__head">
        <span className={`annotation-entry__icon kind-color--${kind}`}>
          <KindIcon kind={kind} size={18} />
        </span>
        {readOnly ? (
          <span className="annotation-entry__kind-text" data-testid="annotation-kind">
            {t(`annotations.kinds.${kind}`)}
          </span>
        ) : (
          <select
            className="annotation-entry__kind"
            data-testid="annotation-kind-select"
            aria-label={t('annotations.kindLabel')}
            value={kind}
            onChange={(event) => {
              if (isAnnotationKind(event.target.value)) actions.setKind(id, event.target.value)
            }}
          >
            {ANNOTATION_KINDS.map((option) => (
              <option key={option} value={option}>
                {t(`annotations.kinds.${option}`)}
              </option>
            ))}
          </select>
        )}
        <span className="annotation-entry__author" title={annotation.author} dir="auto">
          {t('annotations.by', { name: authorName })}
        </span>
        {!readOnly && (
          <button
            type="button"
            className="button button--icon annotation-entry__delete"
            data-testid="annotation-delete"
            aria-label={t('annotations.deleteLabel', { text: shortText })}
            title={t('annotations.delete')}
            onClick={() => actions.remove(id)}
          >
            <TrashIcon />
          </button>
        )}
      </div>

      <button
        type="button"
        className="annotation-entry__text"
        title={t('annotations.goTo')}
        lang="ar"
        dir="rtl"
        onClick={(event) => {
          event.stopPropagation()
          actions.goTo(id)
        }}
      >
        {clip(annotation.text, 180)}
      </button>

      {readOnly ? (
        <>
          {kindHasSpeaker(kind) && annotation.speaker && (
            <p className="annotation-entry__field" data-testid="annotation-speaker-text">
              <span className="annotation-entry__field-label">{t('annotations.speaker')}: </span>
              <span dir="auto">{annotation.speaker}</span>
            </p>
          )}
          {annotation.note && (
            <p
              className="annotation-entry__field annotation-entry__field--note"
              data-testid="annotation-note-text"
            >
              <span className="annotation-entry__field-label">{t('annotations.note')}: </span>
              <span dir="auto">{annotation.note}</span>
            </p>
          )}
        </>
      ) : (
        <>
          {kindHasSpeaker(kind) && (
            <DraftField
              value={annotation.speaker}
              onCommit={(speaker) => actions.setSpeaker(id, speaker)}
              label={t('annotations.speaker')}
              placeholder={t('annotations.speakerPlaceholder')}
              maxLength={MAX_SPEAKER_LENGTH}
              className="annotation-entry__speaker"
              testId="annotation-speaker"
            />
          )}
          <DraftField
            value={annotation.note}
            onCommit={(note) => actions.setNote(id, note)}
            label={t('annotations.note')}
            placeholder={t('annotations.notePlaceholder')}
            maxLength={MAX_NOTE_LENGTH}
            multiline
            className="annotation-entry__note"
            testId="annotation-note"
          />
        </>
      )}

      {relationType && (!readOnly || annotation.relations.length > 0) && (
        <div className="annotation-entry__links">
          <span className="annotation-entry__links-label">
            {t(`annotations.relations.${relationType}`)}
          </span>
          {annotation.relations.length > 0 && (
            <ul className="annotation-entry__chips">
              {annotation.relations.map((relation) => {
                const label = claimLabels.get(relation.target) ?? relation.target
                return (
                  <li key={relation.target} className="chip" data-testid="annotation-relation">
                    <KindIcon kind="claim" size={14} />
                    <span className="chip__text" lang="ar">
                      {label}
                    </span>
                    {!readOnly && (
                      <button
                        type="button"
                        className="chip__remove"
                        data-testid="annotation-relation-remove"
                        aria-label={t('annotations.unlink', { text: label })}
                        title={t('annotations.unlink', { text: label })}
                        onClick={() => actions.link(id, relation.target, false)}
                      >
                        <span aria-hidden="true">×</span>
                      </button>
                    )}
                  </li>
                )
              })}
            </ul>
          )}
          {!readOnly && (
            <div className="annotation-entry__link-controls">
              <LinkSelect
                claims={linkable}
                label={t('annotations.linkLabel')}
                placeholder={
                  linkable.length > 0
                    ? t('annotations.linkPlaceholder')
                    : claims.some((claim) => claim.id !== id)
                      ? t('annotations.allLinked')
                      : t('annotations.noClaims')
                }
                onLink={(claimId) => actions.link(id, claimId, true)}
              />
              <button
                type="button"
                className="button button--small annotation-entry__pick"
                data-testid="annotation-pick"
                aria-pressed={picking}
                title={t('annotations.pickTitle')}
                disabled={claims.every((claim) => claim.id === id)}
                onClick={() => actions.togglePicking(id)}
              >
                {picking ? t('annotations.cancelPick') : t('annotations.pick')}
              </button>
            </div>
          )}
        </div>
      )}
    </li>
  )
}, sameEntryProps)

/**
 * The claims a denial or quote can link to. A long article has thousands of
 * claims and each such entry offers them all: the options are only built
 * once the list is about to be used (focus, pointer), not for every entry
 * drawn.
 */
function LinkSelect({
  claims,
  label,
  placeholder,
  onLink,
}: {
  claims: readonly ClaimOption[]
  label: string
  placeholder: string
  onLink: (claimId: string) => void
}) {
  const [filled, setFilled] = useState(false)
  const fill = () => setFilled(true)
  return (
    <select
      className="annotation-entry__link"
      data-testid="annotation-link-select"
      aria-label={label}
      value=""
      disabled={claims.length === 0}
      // before the list opens (the mouse) or takes arrow keys (the keyboard)
      onPointerDown={fill}
      onFocus={fill}
      onChange={(event) => {
        if (event.target.value) onLink(event.target.value)
      }}
    >
      <option value="">{placeholder}</option>
      {filled &&
        claims.map((claim) => (
          <option key={claim.id} value={claim.id}>
            {claim.label}
          </option>
        ))}
    </select>
  )
}

function TrashIcon() {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
