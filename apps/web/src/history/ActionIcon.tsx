import { LineIcon } from '../components/LineIcon.js'
import type { AuditAction } from '../lib/historyApi.js'

const PATHS: Record<AuditAction, string> = {
  created: 'M12 5v14M5 12h14',
  'kind-changed': 'M4 8h13l-3-3M20 16H7l3 3',
  'note-changed': 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  'speaker-changed': 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4.5 20c1-3.5 4-5 7.5-5s6.5 1.5 7.5 5',
  'relation-added':
    'M9 15l6-6M7.5 11.5 5 14a3.5 3.5 0 0 0 5 5l2.5-2.5M16.5 12.5 19 10a3.5 3.5 0 0 0-5-5l-2.5 2.5',
  'relation-removed':
    'M7.5 11.5 5 14a3.5 3.5 0 0 0 5 5l2.5-2.5M16.5 12.5 19 10a3.5 3.5 0 0 0-5-5l-2.5 2.5M4 4l16 16',
  'text-changed': 'M5 6h14M12 6v13M8.5 19h7',
  deleted: 'M5 7h14M9 7V4.5h6V7M7 7l1 13h8l1-13',
  restored: 'M4 12a8 8 0 1 0 2.4-5.7M4 4v4.5h4.5',
}

export function ActionIcon({ action, size = 16 }: { action: AuditAction; size?: number }) {
  return (
    <LineIcon
      path={PATHS[action] ?? PATHS['text-changed']}
      className={`action-icon action-icon--${action}`}
      size={size}
    />
  )
}
