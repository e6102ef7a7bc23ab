/** Pure helpers of the sharing dialog. */
import { type DirectoryUser, EVERYONE, type Grant } from './accountsApi.js'

const LEVEL_ORDER = { owner: 0, edit: 1, read: 2 } as const

/** The owner first, then editors, then readers; everyone-in-the-newsroom before people, people by name. */
export function sortGrants(grants: readonly Grant[], nameOf: (id: string) => string): Grant[] {
  return [...grants].sort(
    (a, b) =>
      LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
      Number(b.userId === EVERYONE) - Number(a.userId === EVERYONE) ||
      nameOf(a.userId).localeCompare(nameOf(b.userId), 'ar'),
  )
}

/**
 * Whom a document can be shared with: active accounts other than its owner
 * and the person sharing (who can already manage it), by name.
 */
export function shareCandidates(
  users: readonly DirectoryUser[],
  owner: string | null,
  selfId: string,
): DirectoryUser[] {
  return users
    .filter((user) => user.active !== false && user.id !== owner && user.id !== selfId)
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'ar') || a.id.localeCompare(b.id))
}
