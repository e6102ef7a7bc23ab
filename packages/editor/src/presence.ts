/**
 * Who is in the document, from awareness states: one entry per person (a person
 * with two tabs open appears once), the local user first.
 */
import { type CollabUser, readCollabUser } from './user.js'

export interface PresenceEntry extends CollabUser {
  /** Awareness client ids of this person's open editors. */
  clientIds: number[]
  isSelf: boolean
}

export function presenceFromStates(
  states: ReadonlyMap<number, unknown>,
  localClientId: number,
): PresenceEntry[] {
  const localUser = readCollabUser(states.get(localClientId))
  const byId = new Map<string, PresenceEntry>()
  for (const [clientId, state] of states) {
    const user = readCollabUser(state)
    if (!user) continue
    const existing = byId.get(user.id)
    if (existing) {
      existing.clientIds.push(clientId)
      if (clientId === localClientId) Object.assign(existing, user)
      continue
    }
    byId.set(user.id, {
      ...user,
      clientIds: [clientId],
      isSelf: localUser !== null && user.id === localUser.id,
    })
  }
  return [...byId.values()].sort((a, b) => {
    if (a.isSelf !== b.isSelf) return a.isSelf ? -1 : 1
    return a.name.localeCompare(b.name, 'ar') || a.id.localeCompare(b.id)
  })
}

/** One or two letters for an avatar: the first letter of the first two words. */
/** The Arabic definite article: «عمر الخطيب» is ع‌خ, not ع‌ا. */
const DEFINITE_ARTICLE = /^ال(?=\p{L}{2})/u

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const letters = words
    .slice(0, 2)
    .map(
      (word, index) => Array.from(index > 0 ? word.replace(DEFINITE_ARTICLE, '') : word)[0] ?? '',
    )
  return letters.join('').toLocaleUpperCase()
}
