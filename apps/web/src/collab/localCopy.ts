/**
 * The browser's offline copy of a document (y-indexeddb, one database per
 * document) belongs to one incarnation of that document on the server. If the
 * server's document was recreated (a new data directory re-creating the demo
 * under the same id, a restore), merging the old copy back would duplicate the
 * whole article, so a copy made for another incarnation is dropped first.
 * The incarnation is the server's `createdAt`, remembered per document.
 *
 * Copies are kept per account: on a shared newsroom computer, the next person
 * to sign in never opens (or sends) what the previous one left offline.
 */
import { clearDocument } from 'y-indexeddb'
import type { KeyValueStore } from '../lib/storage.js'

const KEY_PREFIX = 'hashiya.localCopy.'

export function localStoreName(userId: string, docId: string): string {
  return `hashiya:${userId}:${docId}`
}

const keyOf = (userId: string, docId: string) => `${KEY_PREFIX}${userId}.${docId}`

/** What to do with the local copy before opening the document. */
export function localCopyAction(
  store: KeyValueStore,
  userId: string,
  docId: string,
  serverCreatedAt: string | null,
): 'keep' | 'clear' {
  // offline: the server cannot be asked, the local copy is all there is
  if (serverCreatedAt === null) return 'keep'
  const known = store.getItem(keyOf(userId, docId))
  return known !== null && known !== serverCreatedAt ? 'clear' : 'keep'
}

/** Drops a stale local copy if needed and records which incarnation the copy now belongs to. */
export async function prepareLocalCopy(
  store: KeyValueStore,
  userId: string,
  docId: string,
  serverCreatedAt: string | null,
): Promise<void> {
  if (localCopyAction(store, userId, docId, serverCreatedAt) === 'clear') {
    try {
      await clearDocument(localStoreName(userId, docId))
    } catch (error) {
      console.warn('[hashiya] could not clear a stale offline copy', error)
    }
  }
  if (serverCreatedAt !== null) store.setItem(keyOf(userId, docId), serverCreatedAt)
}

/** Forgets the local copy of a deleted document. */
export async function forgetLocalCopy(
  store: KeyValueStore,
  userId: string,
  docId: string,
): Promise<void> {
  store.removeItem(keyOf(userId, docId))
  try {
    await clearDocument(localStoreName(userId, docId))
  } catch (error) {
    console.warn('[hashiya] could not clear the offline copy', error)
  }
}
