/**
 * Who the local person is: the signed-in account (its id and display name come
 * from the server) and the colour they like to appear in, a preference kept in
 * this browser. Without a choice the colour follows from the account id, so the
 * same person looks the same everywhere.
 */
import { type CollabUser, cleanUserName, isUserColor, USER_COLORS } from '@hashiya/editor'
import type { KeyValueStore } from './storage.js'

/** The chosen colour of each account, by id (one browser may be used by several people). */
export const USER_COLOR_KEY = 'hashiya.user.color'

/** The identity shown to colleagues (awareness, carets, presence). */
export type Identity = CollabUser

/** A stable colour for an id, from the palette. */
export function defaultColorFor(id: string): string {
  let hash = 0
  for (const char of id) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0
  return USER_COLORS[hash % USER_COLORS.length] ?? USER_COLORS[0]
}

function readColors(store: KeyValueStore): Record<string, string> {
  try {
    const raw = JSON.parse(store.getItem(USER_COLOR_KEY) ?? '{}') as unknown
    // before accounts this key held one colour for the browser
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {}
    return raw as Record<string, string>
  } catch {
    return {}
  }
}

export function colorPreference(store: KeyValueStore, userId: string): string | null {
  const color = readColors(store)[userId]
  return isUserColor(color) ? color.toLowerCase() : null
}

/** The identity of a signed-in account in this browser. */
export function identityOf(
  store: KeyValueStore,
  user: { id: string; displayName: string },
): Identity {
  return {
    id: user.id,
    name: cleanUserName(user.displayName) || user.id,
    color: colorPreference(store, user.id) ?? defaultColorFor(user.id),
  }
}

/** Remembers the colour an account chose in this browser. */
export function saveColor(store: KeyValueStore, userId: string, color: string): void {
  if (!isUserColor(color)) throw new Error(`Not a #rrggbb colour: ${color}`)
  const colors = readColors(store)
  colors[userId] = color.toLowerCase()
  store.setItem(USER_COLOR_KEY, JSON.stringify(colors))
}
