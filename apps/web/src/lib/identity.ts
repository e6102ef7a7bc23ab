/**
 * Who the local person is, until accounts exist: a random id made once per
 * browser, and a display name and colour they pick. Kept in localStorage under
 * the keys below (end-to-end tests set them before the page loads).
 */
import { type CollabUser, cleanUserName, isUserColor, USER_COLORS } from '@hashiya/editor'
import type { KeyValueStore } from './storage.js'

export const USER_ID_KEY = 'hashiya.user.id'
export const USER_NAME_KEY = 'hashiya.user.name'
export const USER_COLOR_KEY = 'hashiya.user.color'

const USER_ID_PATTERN = /^[A-Za-z0-9-]{8,64}$/

/** The stored identity; `name` is empty until the person has picked one. */
export type Identity = CollabUser

function newUserId(): string {
  return globalThis.crypto.randomUUID()
}

function randomColor(): string {
  const [index = 0] = globalThis.crypto.getRandomValues(new Uint32Array(1))
  return USER_COLORS[index % USER_COLORS.length] ?? USER_COLORS[0]
}

/**
 * Reads the identity, creating and storing the id and colour on first use.
 * Ids are never regenerated once stored, so the server can attribute edits.
 */
export function loadIdentity(store: KeyValueStore): Identity {
  let id = store.getItem(USER_ID_KEY)
  if (!id || !USER_ID_PATTERN.test(id)) {
    id = newUserId()
    store.setItem(USER_ID_KEY, id)
  }
  let color = store.getItem(USER_COLOR_KEY)
  if (!isUserColor(color)) {
    color = randomColor()
    store.setItem(USER_COLOR_KEY, color)
  }
  const name = cleanUserName(store.getItem(USER_NAME_KEY) ?? '')
  return { id, name, color: color.toLowerCase() }
}

/** Stores a new name and colour (the id stays). Returns the identity as stored. */
export function saveProfile(
  store: KeyValueStore,
  profile: { name: string; color: string },
): Identity {
  const name = cleanUserName(profile.name)
  if (!name) throw new Error('A display name is required')
  if (!isUserColor(profile.color)) throw new Error(`Not a #rrggbb colour: ${profile.color}`)
  store.setItem(USER_NAME_KEY, name)
  store.setItem(USER_COLOR_KEY, profile.color.toLowerCase())
  return loadIdentity(store)
}

export function hasProfile(identity: Identity): boolean {
  return identity.name.length > 0
}
