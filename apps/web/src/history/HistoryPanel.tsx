import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AuditEvent, Version } from '../lib/historyApi.js'
import { ActivityChart } from './ActivityChart.js'
import { Timeline } from './Timeline.js'
import type { UserDirectory } from './users.js'
import { Versions } from './Versions.js'

type Section = 'events' | 'versions' | 'activity'
const SECTIONS: Section[] = ['events', 'versions', 'activity']

interface HistoryPanelProps {
  docId: string
  userId: string
  refreshKey: number
  userIds: readonly string[]
  versions: readonly Version[]
  versionsFailed: boolean
  users: UserDirectory
  currentAt: string | null
  onVersionsChanged(): void
  onOpenEvent(event: AuditEvent): void
  onOpenVersion(version: Version): void
  onCompareVersion(version: Version): void
}

/** Beside the article: what happened to the annotations, the saved versions, and activity over time. */
export function HistoryPanel(props: HistoryPanelProps) {
  const { t } = useTranslation()
  const headingId = useId()
  const tabsId = useId()
  const [section, setSection] = useState<Section>('events')

  const onKey = (event: React.KeyboardEvent) => {
    const index = SECTIONS.indexOf(section)
    const forward = document.dir === 'rtl' ? 'ArrowLeft' : 'ArrowRight'
    const back = document.dir === 'rtl' ? 'ArrowRight' : 'ArrowLeft'
    let next: Section | undefined
    if (event.key === forward) next = SECTIONS[(index + 1) % SECTIONS.length]
    else if (event.key === back) next = SECTIONS[(index + SECTIONS.length - 1) % SECTIONS.length]
    if (!next) return
    event.preventDefault()
    setSection(next)
    document.getElementById(`${tabsId}-${next}`)?.focus()
  }

  return (
    <aside className="history-panel" data-testid="history-panel" aria-labelledby={headingId}>
      <h2 className="visually-hidden" id={headingId}>
        {t('history.panelTitle')}
      </h2>
      <div className="history-sections" role="tablist" aria-label={t('history.panelTitle')}>
        {SECTIONS.map((name) => (
          <button
            key={name}
            id={`${tabsId}-${name}`}
            type="button"
            role="tab"
            className="history-sections__tab"
            data-testid={`history-section-${name}`}
            aria-selected={section === name}
            aria-controls={`${tabsId}-${name}-panel`}
            tabIndex={section === name ? 0 : -1}
            onClick={() => setSection(name)}
            onKeyDown={onKey}
          >
            {t(`history.sections.${name}`)}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${tabsId}-${section}-panel`}
        aria-labelledby={`${tabsId}-${section}`}
        className="history-panel__body"
      >
        {section === 'events' && (
          <Timeline
            docId={props.docId}
            refreshKey={props.refreshKey}
            userIds={props.userIds}
            users={props.users}
            onOpenEvent={props.onOpenEvent}
          />
        )}
        {section === 'versions' && (
          <Versions
            docId={props.docId}
            userId={props.userId}
            versions={props.versions}
            error={props.versionsFailed}
            users={props.users}
            currentAt={props.currentAt}
            onSaved={props.onVersionsChanged}
            onOpen={props.onOpenVersion}
            onCompare={props.onCompareVersion}
          />
        )}
        {section === 'activity' && (
          <ActivityChart docId={props.docId} refreshKey={props.refreshKey} users={props.users} />
        )}
      </div>
    </aside>
  )
}
