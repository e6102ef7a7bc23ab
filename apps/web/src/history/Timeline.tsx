import { ANNOTATION_KINDS, type AnnotationKind } from '@hashiya/annotations'
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { clip } from '../annotations/filter.js'
import { KindIcon } from '../annotations/KindIcon.js'
import { formatDateTime } from '../lib/format.js'
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEvent,
  getHistory,
  type HistoryFilter,
} from '../lib/historyApi.js'
import { ActionIcon } from './ActionIcon.js'
import { localInputToIso, relativeTime } from './logic.js'
import type { UserDirectory } from './users.js'

const PAGE = 50

interface TimelineProps {
  docId: string
  /** Changes whenever the document may have new history. */
  refreshKey: number
  /** Everyone with history in the document, and the people present. */
  userIds: readonly string[]
  users: UserDirectory
  onOpenEvent(event: AuditEvent): void
}

type Load = { status: 'loading' } | { status: 'error' } | { status: 'ready' }

/** The audit trail, newest first, filtered, one page at a time. */
export function Timeline({ docId, refreshKey, userIds, users, onOpenEvent }: TimelineProps) {
  const { t, i18n } = useTranslation()
  const ids = { user: useId(), kind: useId(), action: useId(), from: useId(), to: useId() }
  const [user, setUser] = useState('')
  const [kind, setKind] = useState('')
  const [action, setAction] = useState('')
  const [fromInput, setFromInput] = useState('')
  const [toInput, setToInput] = useState('')
  const [events, setEvents] = useState<AuditEvent[]>([])
  const [nextCursor, setNextCursor] = useState<number | null>(null)
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  const [loadingMore, setLoadingMore] = useState(false)
  const [now, setNow] = useState(() => Date.now())

  const filter: HistoryFilter = {
    user: user || undefined,
    kind: (kind || undefined) as AnnotationKind | undefined,
    action: (action || undefined) as AuditAction | undefined,
    from: localInputToIso(fromInput),
    to: localInputToIso(toInput),
  }
  const filterKey = JSON.stringify(filter)

  // the first page (as many events as already shown, when refreshing), again on every change
  // biome-ignore lint/correctness/useExhaustiveDependencies: refetched when the filter or the document changes
  useEffect(() => {
    const controller = new AbortController()
    const parsed = JSON.parse(filterKey) as HistoryFilter
    getHistory(docId, parsed, { limit: PAGE }, controller.signal).then(
      (page) => {
        setEvents((shown) => {
          // keep older pages already loaded when only newer events arrived
          const newest = new Set(page.events.map((e) => e.id))
          const oldestNew = page.events[page.events.length - 1]?.id ?? Number.POSITIVE_INFINITY
          const older = shown.filter((e) => !newest.has(e.id) && e.id < oldestNew)
          const keepOlder = older.length > 0 && page.nextCursor !== null
          if (!keepOlder) setNextCursor(page.nextCursor)
          return keepOlder ? [...page.events, ...older] : page.events
        })
        setLoad({ status: 'ready' })
        setNow(Date.now())
      },
      () => {
        if (!controller.signal.aborted) setLoad({ status: 'error' })
      },
    )
    return () => controller.abort()
  }, [docId, filterKey, refreshKey])

  // a new filter starts from the newest events
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on filter change only
  useEffect(() => {
    setEvents([])
    setNextCursor(null)
    setLoad({ status: 'loading' })
  }, [filterKey])

  const loadMore = () => {
    if (nextCursor === null) return
    setLoadingMore(true)
    getHistory(docId, filter, { cursor: nextCursor, limit: PAGE }).then(
      (page) => {
        setEvents((shown) => {
          const seen = new Set(shown.map((e) => e.id))
          return [...shown, ...page.events.filter((e) => !seen.has(e.id))]
        })
        setNextCursor(page.nextCursor)
        setLoadingMore(false)
      },
      () => {
        setLoadingMore(false)
        setLoad({ status: 'error' })
      },
    )
  }

  const filtering = user || kind || action || fromInput || toInput
  const clearFilters = () => {
    setUser('')
    setKind('')
    setAction('')
    setFromInput('')
    setToInput('')
  }

  return (
    <section className="timeline" aria-label={t('history.timeline')}>
      <div className="history-filters">
        <div className="history-filters__field">
          <label htmlFor={ids.user}>{t('history.filterUser')}</label>
          <select
            id={ids.user}
            className="input input--compact"
            data-testid="history-filter-user"
            value={user}
            onChange={(event) => setUser(event.target.value)}
          >
            <option value="">{t('history.allUsers')}</option>
            {[...new Set(user ? [...userIds, user] : userIds)].map((id) => (
              <option key={id} value={id}>
                {users.nameOf(id)}
              </option>
            ))}
          </select>
        </div>
        <div className="history-filters__field">
          <label htmlFor={ids.kind}>{t('history.filterKind')}</label>
          <select
            id={ids.kind}
            className="input input--compact"
            data-testid="history-filter-kind"
            value={kind}
            onChange={(event) => setKind(event.target.value)}
          >
            <option value="">{t('history.allKinds')}</option>
            {ANNOTATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`annotations.kinds.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="history-filters__field">
          <label htmlFor={ids.action}>{t('history.filterAction')}</label>
          <select
            id={ids.action}
            className="input input--compact"
            data-testid="history-filter-action"
            value={action}
            onChange={(event) => setAction(event.target.value)}
          >
            <option value="">{t('history.allActions')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`history.actions.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="history-filters__field history-filters__field--time">
          <label htmlFor={ids.from}>{t('history.filterFrom')}</label>
          <input
            id={ids.from}
            type="datetime-local"
            className="input input--compact"
            data-testid="history-filter-from"
            value={fromInput}
            onChange={(event) => setFromInput(event.target.value)}
          />
        </div>
        <div className="history-filters__field history-filters__field--time">
          <label htmlFor={ids.to}>{t('history.filterTo')}</label>
          <input
            id={ids.to}
            type="datetime-local"
            className="input input--compact"
            data-testid="history-filter-to"
            value={toInput}
            onChange={(event) => setToInput(event.target.value)}
          />
        </div>
        {filtering ? (
          <button
            type="button"
            className="button button--small history-filters__clear"
            onClick={clearFilters}
          >
            {t('history.clearFilters')}
          </button>
        ) : null}
      </div>

      {load.status === 'error' && (
        <p className="message message--error" role="alert">
          {t('history.loadFailed')}
        </p>
      )}
      {load.status === 'loading' && events.length === 0 && (
        <p className="history-empty" role="status">
          {t('history.loading')}
        </p>
      )}
      {load.status === 'ready' && events.length === 0 && (
        <p className="history-empty">{filtering ? t('history.noMatches') : t('history.empty')}</p>
      )}

      <ol className="history-events">
        {events.map((event) => (
          <li key={event.id}>
            <button
              type="button"
              className={`history-event history-event--${event.kind}`}
              data-testid="history-event"
              data-action={event.action}
              data-user-id={event.userId}
              data-annotation-id={event.annotationId}
              onClick={() => onOpenEvent(event)}
              title={t('history.openEvent')}
            >
              <span className="history-event__head">
                <span className="history-event__action">
                  <ActionIcon action={event.action} />
                  {t(`history.actions.${event.action}`)}
                </span>
                <span className={`history-event__kind kind-color--${event.kind}`}>
                  <KindIcon kind={event.kind} size={14} />
                  {t(`annotations.kinds.${event.kind}`)}
                </span>
              </span>
              {event.text && (
                <span className="history-event__text" lang="ar" dir="rtl">
                  «{clip(event.text, 80)}»
                </span>
              )}
              <Change event={event} />
              <span className="history-event__meta">
                <span className="history-event__user">
                  <span
                    className="user-dot"
                    style={{ backgroundColor: users.colorOf(event.userId) }}
                    aria-hidden="true"
                  />
                  {users.nameOf(event.userId)}
                </span>
                <time dateTime={event.at} title={formatDateTime(event.at, i18n.language)}>
                  {relativeTime(event.at, now, i18n.language)}
                  <span className="history-event__absolute">
                    {' · '}
                    {formatDateTime(event.at, i18n.language)}
                  </span>
                </time>
              </span>
            </button>
          </li>
        ))}
      </ol>
      {nextCursor !== null && (
        <button
          type="button"
          className="button button--small history-load-more"
          data-testid="history-load-more"
          onClick={loadMore}
          disabled={loadingMore}
        >
          {loadingMore ? t('history.loading') : t('history.loadMore')}
        </button>
      )}
    </section>
  )
}

/** What an edit changed, when the server says (kinds translated). */
function Change({ event }: { event: AuditEvent }) {
  const { t } = useTranslation()
  const show = (value: unknown): string => {
    if (typeof value !== 'string' || !value) return '—'
    if ((ANNOTATION_KINDS as readonly string[]).includes(value)) {
      return t(`annotations.kinds.${value as AnnotationKind}`)
    }
    return clip(value, 40)
  }
  if (
    event.action !== 'kind-changed' &&
    event.action !== 'note-changed' &&
    event.action !== 'speaker-changed'
  ) {
    return null
  }
  if (event.from == null && event.to == null) return null
  return (
    <span className="history-event__change">
      {t('history.changeFromTo', { from: show(event.from), to: show(event.to) })}
    </span>
  )
}
