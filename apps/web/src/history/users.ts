import type { PresenceEntry } from '@hashiya/editor'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useIdentity } from '../components/IdentityContext.js'
import { useDirectory } from '../components/UserDirectory.js'
import { colorForId, type KnownUser, readKnownUsers, rememberUsers, shortId } from './logic.js'

export interface UserDirectory {
  nameOf(id: string | null): string
  colorOf(id: string | null): string
}

/**
 * Display names and colours of users by id: names from the newsroom's
 * directory (accounts), else the people present, else the ones this browser
 * has seen before, otherwise the id itself; colours as the people present
 * chose them, else as seen before, else one that follows from the id.
 */
export function useUserDirectory(
  presence: readonly PresenceEntry[],
  self: { id: string; name: string; color: string },
): UserDirectory {
  const { t } = useTranslation()
  const { store } = useIdentity()
  const { names: accounts } = useDirectory()
  const [known, setKnown] = useState<Map<string, KnownUser>>(() => readKnownUsers(store))

  useEffect(() => {
    const next = new Map(known)
    const seen = [...presence, self].map(({ id, name, color }) => ({ id, name, color }))
    if (rememberUsers(store, next, seen)) setKnown(next)
  }, [presence, self, store, known])

  return useMemo(() => {
    const present = new Map(presence.map((entry) => [entry.id, entry]))
    return {
      nameOf: (id) => {
        if (!id) return t('history.unknownUser')
        const name =
          (id === self.id ? self.name : '') ||
          accounts.get(id) ||
          present.get(id)?.name ||
          known.get(id)?.name
        if (!name) return shortId(id)
        return id === self.id ? t('annotations.you', { name }) : name
      },
      colorOf: (id) => {
        if (!id) return '#6b7280'
        return (
          present.get(id)?.color ??
          known.get(id)?.color ??
          (id === self.id ? self.color : colorForId(id))
        )
      },
    }
  }, [presence, known, self, accounts, t])
}
