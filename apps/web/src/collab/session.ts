/**
 * One open document in this browser tab: its Y.Doc, kept in IndexedDB for
 * offline editing, and synced with the server over a WebSocket. Tracks what the
 * UI shows: connection status, whether content has arrived, who is present.
 */
import { createYDoc } from '@hashiya/document'
import { type CollabUser, type PresenceEntry, presenceFromStates } from '@hashiya/editor'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'
import type { ProviderStatus } from '../lib/connection.js'
import { localStoreName } from './localCopy.js'

/** How long to wait for the server before showing what IndexedDB has. */
const LOCAL_FALLBACK_MS = 1500

/** The server closes a connection whose account's permissions changed with this code (then it may reconnect). */
const PERMISSIONS_CHANGED = 4001

/** The longest wait between reconnection attempts. */
export const RECONNECT_CAP_MS = 5_000

/** A wait between half of `ceiling` and all of it, by `random` in [0, 1). */
export function reconnectDelay(ceiling: number, random: number): number {
  return Math.round(ceiling / 2 + (ceiling / 2) * random)
}

export interface SessionSnapshot {
  status: ProviderStatus
  /** The server has sent its state at least once since this session opened. */
  serverSynced: boolean
  /** A connection was established at some point (so a drop means "reconnecting"). */
  hasConnected: boolean
  /** The local IndexedDB copy has been loaded (or is unavailable). */
  localLoaded: boolean
  /** Enough content is present to start editing (server state, or local copy once the server is slow). */
  ready: boolean
  /**
   * The server refused the document for good (WebSocket close code 4400–4499),
   * or the app stopped the connection for such a reason (see `stop`).
   */
  closedCode: number | null
  /** Connections that failed before they opened (the server refused the upgrade, or is unreachable). */
  failedConnects: number
  /** Times the server closed the connection because this account's permissions changed (4001). */
  permissionChanges: number
  presence: PresenceEntry[]
}

/** Whether two presence lists show the same people the same way. */
export function samePresence(a: readonly PresenceEntry[], b: readonly PresenceEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((entry, index) => {
      const other = b[index]
      return (
        other !== undefined &&
        entry.id === other.id &&
        entry.name === other.name &&
        entry.color === other.color &&
        entry.isSelf === other.isSelf &&
        entry.clientIds.length === other.clientIds.length &&
        entry.clientIds.every((id, i) => id === other.clientIds[i])
      )
    })
  )
}

export function syncUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`
}

export class CollabSession {
  readonly doc: Y.Doc
  readonly provider: WebsocketProvider
  readonly persistence: IndexeddbPersistence | null
  private snapshot: SessionSnapshot
  private readonly listeners = new Set<() => void>()
  private fallbackTimer: ReturnType<typeof setTimeout> | undefined
  private localFallback = false
  private destroyed = false
  /** The current connection attempt reached "connected". */
  private attemptOpened = false

  constructor(
    readonly docId: string,
    user: CollabUser,
  ) {
    this.doc = createYDoc()
    let persistence: IndexeddbPersistence | null = null
    try {
      persistence = new IndexeddbPersistence(localStoreName(user.id, docId), this.doc)
    } catch (error) {
      console.warn('[hashiya] offline storage unavailable', error)
    }
    this.persistence = persistence
    // the session cookie says who this is; nothing about the user goes in the URL
    this.provider = new WebsocketProvider(syncUrl(globalThis.location), docId, this.doc, {
      connect: false,
    })
    this.provider.awareness.setLocalStateField('user', { ...user })

    this.snapshot = {
      status: 'connecting',
      serverSynced: false,
      hasConnected: false,
      localLoaded: persistence === null,
      ready: false,
      closedCode: null,
      failedConnects: 0,
      permissionChanges: 0,
      presence: this.readPresence(),
    }

    this.provider.on('status', this.onStatus)
    this.provider.on('sync', this.onSync)
    this.provider.on('closed', this.onClosed)
    this.provider.on('connection-close', this.onConnectionClose)
    this.provider.awareness.on('change', this.onAwareness)
    persistence?.whenSynced.then(this.onLocalLoaded, (error: unknown) => {
      console.warn('[hashiya] could not read the offline copy', error)
      this.onLocalLoaded()
    })
    this.fallbackTimer = setTimeout(() => {
      this.localFallback = true
      this.update({})
    }, LOCAL_FALLBACK_MS)
    globalThis.addEventListener?.('online', this.onOnline)

    this.provider.connect()
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): SessionSnapshot => this.snapshot

  /** Publishes a changed name or colour to everyone in the document. */
  setUser(user: CollabUser): void {
    if (this.destroyed) return
    this.provider.awareness.setLocalStateField('user', { ...user })
  }

  /**
   * Stops connecting for good, as if the server had closed with `code` (the
   * app found out why connections fail: signed out, no access).
   */
  stop(code: number): void {
    if (this.destroyed) return
    this.provider.disconnect()
    this.update({ closedCode: code, status: 'disconnected' })
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    clearTimeout(this.fallbackTimer)
    globalThis.removeEventListener?.('online', this.onOnline)
    this.provider.off('status', this.onStatus)
    this.provider.off('sync', this.onSync)
    this.provider.off('closed', this.onClosed)
    this.provider.off('connection-close', this.onConnectionClose)
    this.provider.awareness.off('change', this.onAwareness)
    this.provider.destroy()
    void this.persistence?.destroy()
    this.doc.destroy()
    this.listeners.clear()
  }

  private update(patch: Partial<SessionSnapshot>): void {
    if (this.destroyed) return
    const next = { ...this.snapshot, ...patch }
    next.ready = next.serverSynced || (next.localLoaded && this.localFallback)
    this.snapshot = next
    for (const listener of this.listeners) listener()
  }

  private readPresence(): PresenceEntry[] {
    return presenceFromStates(this.provider.awareness.getStates(), this.doc.clientID)
  }

  private onStatus = ({ status }: { status: ProviderStatus }): void => {
    if (status === 'connected') this.attemptOpened = true
    this.update({
      status,
      hasConnected: this.snapshot.hasConnected || status === 'connected',
      closedCode: status === 'connected' ? null : this.snapshot.closedCode,
    })
  }

  private onSync = (synced: boolean): void => {
    if (synced && !this.snapshot.serverSynced) this.update({ serverSynced: true })
  }

  private onClosed = ({ code }: { code: number }): void => {
    this.update({ closedCode: code, status: 'disconnected' })
  }

  /** Every closed connection: `event` is null when this side closed it. */
  private onConnectionClose = (event: CloseEvent | null): void => {
    this.jitterNextReconnect()
    const opened = this.attemptOpened
    this.attemptOpened = false
    if (!event) return
    if (event.code === PERMISSIONS_CHANGED) {
      this.update({ permissionChanges: this.snapshot.permissionChanges + 1 })
    } else if (!opened) {
      this.update({ failedConnects: this.snapshot.failedConnects + 1 })
    }
  }

  /**
   * y-websocket waits min(2^attempt · 100 ms, maxBackoffTime) before the next
   * attempt, the same for every client, so a restarted server would be hit by
   * all of them in the same instant. Capping this one wait at a random point
   * between half and all of it ("equal jitter") spreads them out. The provider
   * reads the cap right after this event, when it schedules the attempt.
   */
  private jitterNextReconnect(): void {
    const attempt = this.provider.wsUnsuccessfulReconnects + 1
    const ceiling = Math.min(RECONNECT_CAP_MS, 100 * 2 ** attempt)
    this.provider.maxBackoffTime = reconnectDelay(ceiling, Math.random())
  }

  private onLocalLoaded = (): void => {
    this.update({ localLoaded: true })
  }

  private onAwareness = (): void => {
    // every keystroke moves this person's caret, which is an awareness change too: the
    // page re-renders only when who is here (or how they are shown) changed
    const presence = this.readPresence()
    if (samePresence(presence, this.snapshot.presence)) return
    this.update({ presence })
  }

  /** Back online: try now instead of waiting for the next backoff step. */
  private onOnline = (): void => {
    if (this.snapshot.status !== 'connected' && this.snapshot.closedCode === null) {
      this.provider.disconnect()
      this.provider.connect()
    }
  }
}
