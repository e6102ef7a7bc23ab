import type { PresenceEntry } from '@hashiya/editor'
import { useTranslation } from 'react-i18next'
import { Avatar } from './Avatar.js'

const MAX_SHOWN = 6

/** Everyone in the document, from awareness: avatars in their colours, names on hover and for screen readers. */
export function PresenceList({ entries }: { entries: PresenceEntry[] }) {
  const { t } = useTranslation()
  const shown = entries.slice(0, MAX_SHOWN)
  const hidden = entries.length - shown.length
  return (
    <section className="presence" aria-label={t('presence.label')}>
      <span className="presence__count">{t('presence.count', { count: entries.length })}</span>
      <ul className="presence__list" data-testid="presence-list">
        {shown.map((entry) => {
          const name = entry.isSelf ? t('presence.you', { name: entry.name }) : entry.name
          return (
            <li
              key={entry.id}
              className="presence__user"
              data-testid="presence-user"
              data-user-id={entry.id}
              data-self={entry.isSelf ? 'true' : undefined}
              title={name}
            >
              <Avatar name={entry.name} color={entry.color} />
              <span className="presence__name">{name}</span>
            </li>
          )
        })}
        {hidden > 0 && (
          <li
            className="presence__more"
            title={entries
              .slice(MAX_SHOWN)
              .map((e) => e.name)
              .join('، ')}
          >
            +{hidden}
          </li>
        )}
      </ul>
    </section>
  )
}
