import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { TabList } from '../components/TabList.js'
import type { AuditEvent, Version } from '../lib/historyApi.js'
import { ActivityChart } from './ActivityChart.js'
import { Timeline } from './Timeline.js'
import type { UserDirectory } from './users.js'
import { Versions } from './Versions.js'

type Section = 'events' | 'versions' | 'activity'
const SECTIONS: Section[] = ['events', 'versions', 'activity']

interface HistoryPanelProps {
  docId: string
  /** Naming the current state as a version is offered. */
  canSaveVersion: boolean
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

  return (
    <aside className="history-panel" data-testid="history-panel" aria-labelledby={headingId}>
      <h2 className="visually-hidden" id={headingId}>
        {t('history.panelTitle')}
      </h2>
      <TabList
        tabs={SECTIONS}
        selected={section}
        onSelect={setSection}
        label={t('history.panelTitle')}
        className="history-sections"
        tabClassName="history-sections__tab"
        tabId={(name) => `${tabsId}-${name}`}
        panelId={(name) => `${tabsId}-${name}-panel`}
        testId={(name) => `history-section-${name}`}
      >
        {(name) => t(`history.sections.${name}`)}
      </TabList>
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
            canSave={props.canSaveVersion}
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
