import {
  ANNOTATION_KINDS,
  type Annotation,
  type AnnotationKind,
  isAnnotationKind,
  kindHasSpeaker,
  MAX_NOTE_LENGTH,
  MAX_SPEAKER_LENGTH,
  RELATION_TYPES,
  type RelationType,
  relationTypeFor,
} from '@hashiya/annotations'
import type { TFunction } from 'i18next'
import { type MouseEvent, memo, useState } from 'react'
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

/**
 * The words an entry shows. Translated once for the whole list: looking them
 * up again in every entry drawn was a third of the panel's scrolling time
 * with 10,000 entries.
 */
export interface EntryLabels {
  kinds: Readonly<Record<AnnotationKind, string>>
  relations: Readonly<Record<RelationType, string>>
  kindLabel: string
  delete: string
  goTo: string
  speaker: string
  speakerPlaceholder: string
  note: string
  notePlaceholder: string
  linkLabel: string
  linkPlaceholder: string
  allLinked: string
  noClaims: string
  pick: string
  pickTitle: string
  cancelPick: string
  by(name: string): string
  deleteLabel(text: string): string
  unlink(text: string): string
}

export function entryLabels(t: TFunction): EntryLabels {
  return {
    kinds: Object.fromEntries(
      ANNOTATION_KINDS.map((kind) => [kind, t(`annotations.kinds.${kind}`)]),
    ) as Record<AnnotationKind, string>,
    relations: Object.fromEntries(
      RELATION_TYPES.map((type) => [type, t(`annotations.relations.${type}`)]),
    ) as Record<RelationType, string>,
    kindLabel: t('annotations.kindLabel'),
    delete: t('annotations.delete'),
    goTo: t('annotations.goTo'),
    speaker: t('annotations.speaker'),
    speakerPlaceholder: t('annotations.speakerPlaceholder'),
    note: t('annotations.note'),
    notePlaceholder: t('annotations.notePlaceholder'),
    linkLabel: t('annotations.linkLabel'),
    linkPlaceholder: t('annotations.linkPlaceholder'),
    allLinked: t('annotations.allLinked'),
    noClaims: t('annotations.noClaims'),
    pick: t('annotations.pick'),
    pickTitle: t('annotations.pickTitle'),
    cancelPick: t('annotations.cancelPick'),
    by: (name) => t('annotations.by', { name }),
    deleteLabel: (text) => t('annotations.deleteLabel', { text }),
    unlink: (text) => t('annotations.unlink', { text }),
  }
}

/** What an entry shows and does, apart from its place in the list. */
interface EntryBodyProps {
  annotation: Annotation
  authorName: string
  /** Every claim, in document order (the same array for all entries). */
  claims: readonly ClaimOption[]
  claimLabels: ReadonlyMap<string, string>
  /** "Click the claim in the text" mode is on for this entry. */
  picking: boolean
  actions: EntryActions
  /** Shown as text, without the controls that change it. */
  readOnly: boolean
  labels: EntryLabels
}

interface AnnotationEntryProps extends EntryBodyProps {
  /** Place in the (virtualized) list: index, list length, and offset from the list's top in px. */
  position: number
  setSize: number
  offset: number
  /** Measures the drawn entry (the list's virtualizer). */
  measure: (element: HTMLLIElement | null) => void
  /** Hovered here or in the text. */
  active: boolean
  selected: boolean
}

const INTERACTIVE = 'button, input, select, textarea, label, a'

/**
 * One annotation in the panel, edited in place. The list item itself is
 * cheap and drawn again whenever the list moves (its offset changes as
 * entries above it are measured); its content is drawn again only when what
 * it shows changed.
 */
export function AnnotationEntry({
  position,
  setSize,
  offset,
  measure,
  active,
  selected,
  ...body
}: AnnotationEntryProps) {
  const { annotation, actions } = body
  const { id, kind } = annotation

  const onClick = (event: MouseEvent<HTMLLIElement>) => {
    const target = event.target as Element
    if (target.closest(INTERACTIVE)) actions.select(id)
    else actions.goTo(id)
  }

  let className = `annotation-entry annotation-entry--${kind}`
  if (active) className += ' annotation-entry--active'
  if (selected) className += ' annotation-entry--selected'

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a mouse shortcut; keyboard users have the text button inside
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
      <EntryBody {...body} />
    </li>
  )
}

/** Re-render an entry's content only when what it shows changed (not when its text merely moved). */
function sameBodyProps(a: EntryBodyProps, b: EntryBodyProps): boolean {
  return (
    sameDisplay(a.annotation, b.annotation) &&
    a.authorName === b.authorName &&
    a.claims === b.claims &&
    a.claimLabels === b.claimLabels &&
    a.picking === b.picking &&
    a.actions === b.actions &&
    a.readOnly === b.readOnly &&
    a.labels === b.labels
  )
}

const EntryBody = memo(function EntryBody({
  annotation,
  authorName,
  claims,
  claimLabels,
  picking,
  actions,
  readOnly,
  labels,
}: EntryBodyProps) {
  const { id, kind } = annotation
  const relationType = relationTypeFor(kind)
  const shortText = clip(annotation.text, 48)
  // the claims still offered for linking are counted here and listed only when the list opens
  const otherClaims = claims.length - (claimLabels.has(id) ? 1 : 0)
  const linked = new Set(annotation.relations.map((relation) => relation.target))
  const linkedClaims = [...linked].filter((target) => target !== id && claimLabels.has(target))
  const linkableCount = relationType ? otherClaims - linkedClaims.length : 0

  return (
    <>
      <div className="annotation-entry__head">
        <span className={`annotation-entry__icon kind-color--${kind}`}>
          <KindIcon kind={kind} size={18} />
        </span>
        {readOnly ? (
          <span className="annotation-entry__kind-text" data-testid="annotation-kind">
            {labels.kinds[kind]}
          </span>
        ) : (
          <select
            className="annotation-entry__kind"
            data-testid="annotation-kind-select"
            aria-label={labels.kindLabel}
            value={kind}
            onChange={(event) => {
              if (isAnnotationKind(event.target.value)) actions.setKind(id, event.target.value)
            }}
          >
            {ANNOTATION_KINDS.map((option) => (
              <option key={option} value={option}>
                {labels.kinds[option]}
              </option>
            ))}
          </select>
        )}
        <span className="annotation-entry__author" title={annotation.author} dir="auto">
          {labels.by(authorName)}
        </span>
        {!readOnly && (
          <button
            type="button"
            className="button button--icon annotation-entry__delete"
            data-testid="annotation-delete"
            aria-label={labels.deleteLabel(shortText)}
            title={labels.delete}
            onClick={() => actions.remove(id)}
          >
            <TrashIcon />
          </button>
        )}
      </div>

      <button
        type="button"
        className="annotation-entry__text"
        title={labels.goTo}
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
              <span className="annotation-entry__field-label">{labels.speaker}: </span>
              <span dir="auto">{annotation.speaker}</span>
            </p>
          )}
          {annotation.note && (
            <p
              className="annotation-entry__field annotation-entry__field--note"
              data-testid="annotation-note-text"
            >
              <span className="annotation-entry__field-label">{labels.note}: </span>
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
              label={labels.speaker}
              placeholder={labels.speakerPlaceholder}
              maxLength={MAX_SPEAKER_LENGTH}
              className="annotation-entry__speaker"
              testId="annotation-speaker"
            />
          )}
          <DraftField
            value={annotation.note}
            onCommit={(note) => actions.setNote(id, note)}
            label={labels.note}
            placeholder={labels.notePlaceholder}
            maxLength={MAX_NOTE_LENGTH}
            multiline
            className="annotation-entry__note"
            testId="annotation-note"
          />
        </>
      )}

      {relationType && (!readOnly || annotation.relations.length > 0) && (
        <div className="annotation-entry__links">
          <span className="annotation-entry__links-label">{labels.relations[relationType]}</span>
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
                        aria-label={labels.unlink(label)}
                        title={labels.unlink(label)}
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
                claims={claims}
                excluded={linked}
                ownId={id}
                count={linkableCount}
                label={labels.linkLabel}
                placeholder={
                  linkableCount > 0
                    ? labels.linkPlaceholder
                    : otherClaims > 0
                      ? labels.allLinked
                      : labels.noClaims
                }
                onLink={(claimId) => actions.link(id, claimId, true)}
              />
              <button
                type="button"
                className="button button--small annotation-entry__pick"
                data-testid="annotation-pick"
                aria-pressed={picking}
                title={labels.pickTitle}
                disabled={otherClaims === 0}
                onClick={() => actions.togglePicking(id)}
              >
                {picking ? labels.cancelPick : labels.pick}
              </button>
            </div>
          )}
        </div>
      )}
    </>
  )
}, sameBodyProps)

/**
 * The claims a denial or quote can link to. A long article has thousands of
 * claims and each such entry offers them all: the options are only picked
 * out and built once the list is about to be used (focus, pointer), not for
 * every entry drawn.
 */
function LinkSelect({
  claims,
  excluded,
  ownId,
  count,
  label,
  placeholder,
  onLink,
}: {
  /** Every claim; those linked already (`excluded`) and the entry's own are left out. */
  claims: readonly ClaimOption[]
  excluded: ReadonlySet<string>
  ownId: string
  count: number
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
      disabled={count === 0}
      // before the list opens (the mouse) or takes arrow keys (the keyboard)
      onPointerDown={fill}
      onFocus={fill}
      onChange={(event) => {
        if (event.target.value) onLink(event.target.value)
      }}
    >
      <option value="">{placeholder}</option>
      {filled &&
        claims.map(
          (claim) =>
            claim.id !== ownId &&
            !excluded.has(claim.id) && (
              <option key={claim.id} value={claim.id}>
                {claim.label}
              </option>
            ),
        )}
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
