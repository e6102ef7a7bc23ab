import type { CollabUser } from '@hashiya/editor'
import { useEffect, useState, useSyncExternalStore } from 'react'
import type { KeyValueStore } from '../lib/storage.js'
import { prepareLocalCopy } from './localCopy.js'
import { CollabSession, type SessionSnapshot } from './session.js'

/**
 * Opens a collaboration session for a document while the component is mounted
 * (null until it is open). The session changes only with the document or the
 * account; name and colour changes are published to the open session.
 */
export function useCollabSession(
  docId: string | null,
  user: CollabUser,
  options: {
    store: KeyValueStore
    /** The server's `createdAt` of the document, or null when it could not be asked (offline). */
    serverCreatedAt: string | null
  },
): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null)
  const userId = user.id
  const { store, serverCreatedAt } = options

  // biome-ignore lint/correctness/useExhaustiveDependencies: the session follows the user id only; later name/colour changes go through setUser below
  useEffect(() => {
    if (!docId) return
    let cancelled = false
    let opened: CollabSession | null = null
    void prepareLocalCopy(store, userId, docId, serverCreatedAt).then(() => {
      if (cancelled) return
      opened = new CollabSession(docId, user)
      setSession(opened)
    })
    return () => {
      cancelled = true
      opened?.destroy()
      setSession(null)
    }
  }, [docId, userId, store, serverCreatedAt])

  useEffect(() => {
    session?.setUser(user)
  }, [session, user])

  return session
}

const EMPTY: SessionSnapshot = {
  status: 'connecting',
  serverSynced: false,
  hasConnected: false,
  localLoaded: false,
  ready: false,
  closedCode: null,
  failedConnects: 0,
  permissionChanges: 0,
  presence: [],
}

const noopSubscribe = () => () => {}

export function useSessionSnapshot(session: CollabSession | null): SessionSnapshot {
  return useSyncExternalStore(
    session?.subscribe ?? noopSubscribe,
    session?.getSnapshot ?? (() => EMPTY),
  )
}

/** `navigator.onLine`, kept current. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      window.addEventListener('online', onChange)
      window.addEventListener('offline', onChange)
      return () => {
        window.removeEventListener('online', onChange)
        window.removeEventListener('offline', onChange)
      }
    },
    () => navigator.onLine,
  )
}
