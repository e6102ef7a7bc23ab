import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { clip } from '../annotations/filter.js'
import { KindIcon } from '../annotations/KindIcon.js'
import { formatDateTime } from '../lib/format.js'
import { type Diff, getDiff, type Version } from '../lib/historyApi.js'
import type { UserDirectory } from './users.js'
import { versionLabel } from './Versions.js'

interface CompareViewProps {
  docId: string
  versions: readonly Version[]
  from: string
  /** null: the live document. */
  to: string | null
  users: UserDirectory
  onChange(from: string, to: string | null): void
  onExit(): void
}

type State = { status: 'loading' } | { status: 'error' } | { status: 'ready'; diff: Diff }

/** Two points in history side by side as one text: insertions and deletions coloured by who made them. */
export function CompareView({
  docId,
  versions,
  from,
  to,
  users,
  onChange,
  onExit,
}: CompareViewProps) {
  const { t, i18n } = useTranslation()
  const fromId = useId()
  const toId = useId()
  const [state, setState] = useState<State>({ status: 'loading' })

  useEffect(() => {
    const controller = new AbortController()
    setState({ status: 'loading' })
    getDiff(docId, from, to, controller.signal).then(
      (diff) => setState({ status: 'ready', diff }),
      () => {
        if (!controller.signal.aborted) setState({ status: 'error' })
      },
    )
    return () => controller.abort()
  }, [docId, from, to])

  const options = versions.map((v) => ({
    id: v.id,
    label: `${v.auto ? t('history.autoCheckpoint') : versionLabel(v, t, i18n.language, versions)} — ${formatDateTime(v.at, i18n.language)}`,
  }))
  const withCurrent = (id: string | null) =>
    id && !options.some((o) => o.id === id) ? [{ id, label: id }, ...options] : options

  const contributors = new Map<string, { inserted: number; deleted: number }>()
  if (state.status === 'ready') {
    for (const paragraph of state.diff.paragraphs) {
      for (const piece of paragraph.pieces) {
        if (piece.change === 'equal') continue
        const key = piece.userId ?? ''
        const entry = contributors.get(key) ?? { inserted: 0, deleted: 0 }
        if (piece.change === 'insert') entry.inserted += [...piece.text].length
        else entry.deleted += [...piece.text].length
        contributors.set(key, entry)
      }
    }
  }

  return (
    <section className="compare" data-testid="compare-view" aria-label={t('history.compare')}>
      <div className="time-travel__banner compare__bar">
        <div className="compare__pickers">
          <div className="history-filters__field">
            <label htmlFor={fromId}>{t('history.compareFrom')}</label>
            <select
              id={fromId}
              className="input input--compact"
              data-testid="compare-from"
              value={from}
              onChange={(event) => onChange(event.target.value, to)}
            >
              {withCurrent(from).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div className="history-filters__field">
            <label htmlFor={toId}>{t('history.compareTo')}</label>
            <select
              id={toId}
              className="input input--compact"
              data-testid="compare-to"
              value={to ?? ''}
              onChange={(event) => onChange(from, event.target.value || null)}
            >
              <option value="">{t('history.now')}</option>
              {withCurrent(to).map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button
          type="button"
          className="button button--primary button--small"
          data-testid="compare-exit"
          onClick={onExit}
        >
          {t('history.backToLive')}
        </button>
      </div>

      {state.status === 'loading' && <p className="article-loading">{t('history.loading')}</p>}
      {state.status === 'error' && (
        <p className="message message--error" role="alert">
          {t('history.compareFailed')}
        </p>
      )}
      {state.status === 'ready' && (
        <>
          <div className="compare__legend">
            <h3 className="visually-hidden">{t('history.legend')}</h3>
            {contributors.size === 0 ? (
              <p>{t('history.noTextChanges')}</p>
            ) : (
              <ul>
                {[...contributors].map(([userId, counts]) => (
                  <li key={userId} data-testid="diff-legend-user" data-user-id={userId}>
                    <span
                      className="user-swatch"
                      style={{ backgroundColor: users.colorOf(userId || null) }}
                      aria-hidden="true"
                    />
                    {users.nameOf(userId || null)}
                    <span className="compare__counts">
                      {t('history.diffCounts', {
                        inserted: counts.inserted,
                        deleted: counts.deleted,
                      })}
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <p className="compare__key">
              <ins className="diff-piece diff-piece--insert">{t('history.inserted')}</ins>{' '}
              <del className="diff-piece diff-piece--delete">{t('history.deleted')}</del>
            </p>
          </div>
          <div className="article__page">
            <div className="article-body diff-body" lang="ar" dir="rtl">
              {state.diff.paragraphs.map((paragraph, index) => (
                <p
                  // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a read-only text
                  key={index}
                  className={`diff-paragraph diff-paragraph--${paragraph.change}`}
                >
                  {paragraph.pieces.map((piece, i) => {
                    if (piece.change === 'equal') {
                      // biome-ignore lint/suspicious/noArrayIndexKey: pieces never reorder
                      return <span key={i}>{piece.text}</span>
                    }
                    const color = users.colorOf(piece.userId)
                    const title = t(
                      piece.change === 'insert' ? 'history.insertedBy' : 'history.deletedBy',
                      {
                        name: users.nameOf(piece.userId),
                      },
                    )
                    const Tag = piece.change === 'insert' ? 'ins' : 'del'
                    return (
                      <Tag
                        // biome-ignore lint/suspicious/noArrayIndexKey: pieces never reorder
                        key={i}
                        className={`diff-piece diff-piece--${piece.change}`}
                        data-testid={piece.change === 'insert' ? 'diff-insert' : 'diff-delete'}
                        data-user-id={piece.userId ?? ''}
                        title={title}
                        style={{
                          backgroundColor: `${color}${piece.change === 'insert' ? '33' : '1f'}`,
                          textDecorationColor: color,
                        }}
                      >
                        {piece.text}
                      </Tag>
                    )
                  })}
                </p>
              ))}
            </div>
          </div>
          <section className="compare__annotations" aria-label={t('history.annotationChanges')}>
            <h3>{t('history.annotationChanges')}</h3>
            {state.diff.annotations.length === 0 ? (
              <p className="history-empty">{t('history.noAnnotationChanges')}</p>
            ) : (
              <ul>
                {state.diff.annotations.map((change, index) => (
                  <li
                    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
                    key={index}
                    data-testid="diff-annotation"
                    data-action={change.action}
                    className={`kind-color--${change.kind}`}
                  >
                    <KindIcon kind={change.kind} size={14} />{' '}
                    <span className="compare__action">
                      {t(`history.actions.${change.action}`, { defaultValue: change.action })}
                    </span>{' '}
                    <span className="compare__kind">{t(`annotations.kinds.${change.kind}`)}</span>{' '}
                    <span lang="ar" dir="rtl">
                      «{clip(change.text, 60)}»
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  )
}
