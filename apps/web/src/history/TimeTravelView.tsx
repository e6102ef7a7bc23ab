import type { Annotation } from '@hashiya/annotations'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ConfirmDialog } from '../components/ConfirmDialog.js'
import { formatDateTime } from '../lib/format.js'
import {
  type DocumentAt,
  getAnnotationsAt,
  getDocumentAt,
  restoreVersion,
} from '../lib/historyApi.js'
import { segmentParagraphs } from './logic.js'
import { PastParagraph } from './PastText.js'

interface TimeTravelViewProps {
  docId: string
  /** Putting the live document back as it was here is offered. */
  canRestore: boolean
  /** `v12`, `s345` or an ISO time. */
  at: string
  /** The version's name, when it has one. */
  name: string | null
  onExit(): void
  onCompare(): void
  onRestored(): void
}

type State =
  | { status: 'loading' }
  | { status: 'error' }
  | { status: 'ready'; document: DocumentAt; annotations: Annotation[] }

/**
 * The article as it was at a point in history, read-only: plain HTML built from
 * the server's text and annotation offsets (never through the live editor).
 */
export function TimeTravelView(props: TimeTravelViewProps) {
  const { docId, canRestore, at, name, onExit, onCompare, onRestored } = props
  const { t, i18n } = useTranslation()
  const [state, setState] = useState<State>({ status: 'loading' })
  const [confirming, setConfirming] = useState(false)
  const [restoring, setRestoring] = useState(false)
  const [restoreFailed, setRestoreFailed] = useState(false)

  useEffect(() => {
    const controller = new AbortController()
    setState({ status: 'loading' })
    Promise.all([
      getDocumentAt(docId, at, controller.signal),
      getAnnotationsAt(docId, at, controller.signal),
    ]).then(
      ([document, annotations]) => setState({ status: 'ready', document, annotations }),
      () => {
        if (!controller.signal.aborted) setState({ status: 'error' })
      },
    )
    return () => controller.abort()
  }, [docId, at])

  const segments = useMemo(
    () =>
      state.status === 'ready'
        ? segmentParagraphs(state.document.paragraphs, state.annotations)
        : [],
    [state],
  )

  const when = state.status === 'ready' ? formatDateTime(state.document.at.time, i18n.language) : ''

  const restore = () => {
    setRestoring(true)
    setRestoreFailed(false)
    restoreVersion(docId, at).then(
      () => {
        setRestoring(false)
        setConfirming(false)
        onRestored()
      },
      () => {
        setRestoring(false)
        setConfirming(false)
        setRestoreFailed(true)
      },
    )
  }

  return (
    <section
      className="time-travel"
      data-testid="time-travel-view"
      aria-label={t('history.timeTravel')}
    >
      <div className="time-travel__banner" data-testid="time-travel-banner" role="status">
        <p>
          <strong>{t('history.viewing', { when: when || '…' })}</strong>
          {name && (
            <span className="time-travel__name" dir="auto">
              {' '}
              «{name}»
            </span>
          )}
          <span className="time-travel__readonly"> {t('history.readOnly')}</span>
        </p>
        <div className="time-travel__actions">
          <button
            type="button"
            className="button button--primary button--small"
            data-testid="time-travel-exit"
            onClick={onExit}
          >
            {t('history.backToLive')}
          </button>
          <button
            type="button"
            className="button button--small"
            data-testid="time-travel-compare"
            onClick={onCompare}
          >
            {t('history.compareWithNow')}
          </button>
          {canRestore && (
            <button
              type="button"
              className="button button--danger button--small"
              data-testid="restore-version"
              onClick={() => setConfirming(true)}
              disabled={state.status !== 'ready'}
            >
              {t('history.restore')}
            </button>
          )}
        </div>
      </div>
      {restoreFailed && (
        <p className="message message--error" role="alert">
          {t('history.restoreFailed')}
        </p>
      )}
      {state.status === 'loading' && <p className="article-loading">{t('history.loading')}</p>}
      {state.status === 'error' && (
        <p className="message message--error" role="alert">
          {t('history.loadFailed')}
        </p>
      )}
      {state.status === 'ready' && (
        <div className="article__page time-travel__page">
          <p className="time-travel__count">
            {t('annotations.count', { count: state.annotations.length })}
          </p>
          <div
            className="article-body past-body"
            lang="ar"
            dir="rtl"
            data-testid="time-travel-body"
          >
            {segments.map((paragraph, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a read-only text
              <PastParagraph key={index} segments={paragraph} />
            ))}
          </div>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('history.restoreTitle')}
        confirmLabel={t('history.restoreConfirm')}
        cancelLabel={t('history.cancel')}
        busy={restoring}
        onConfirm={restore}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('history.restoreBody', { when })}</p>
      </ConfirmDialog>
    </section>
  )
}
