import { useTranslation } from 'react-i18next'
import type { SessionSnapshot } from '../collab/session.js'
import { useOnline } from '../collab/useCollabSession.js'
import { CLOSE_CODES } from '../lib/auth.js'
import { connectionLabelKey, connectionState } from '../lib/connection.js'

/** Connected / reconnecting / offline, announced politely to screen readers when it changes. */
export function ConnectionStatus({ snapshot }: { snapshot: SessionSnapshot }) {
  const { t } = useTranslation()
  const online = useOnline()
  const closed = snapshot.closedCode !== null
  const state = connectionState({ status: snapshot.status, online, closed })
  const label =
    snapshot.closedCode === CLOSE_CODES.documentDeleted
      ? t('connection.deleted')
      : snapshot.closedCode === CLOSE_CODES.accessRemoved
        ? t('connection.accessRemoved')
        : snapshot.closedCode === CLOSE_CODES.signedOut
          ? t('connection.signedOut')
          : closed
            ? t('connection.refused')
            : t(connectionLabelKey(state, snapshot.hasConnected))
  return (
    <div
      className={`connection connection--${state}`}
      data-testid="connection-status"
      data-state={state}
      role="status"
      aria-live="polite"
      title={label}
    >
      <span className="connection__dot" aria-hidden="true" />
      <span className="visually-hidden">{t('connection.label')}: </span>
      <span className="connection__text">{label}</span>
    </div>
  )
}
