/**
 * Keeps open WebSocket connections honest after they were authorized: when an
 * account is deactivated, signs out, loses a role or a document grant, each of
 * its connections is re-checked at once and closed with a code the client can
 * act on (sign in again, leave the document, or reconnect with new rights).
 */
import {
  type AccessChange,
  type Accounts,
  type Authenticated,
  atLeast,
  type DocumentPermission,
} from '@hashiya/accounts'
import { CloseCode, type Logger } from '@hashiya/sync-server'

export interface OpenConnection {
  readonly connectionId: string
  readonly documentId: string
  readonly userId: string
  readonly token: string
  /** When the credential it was admitted with expires (ms since the epoch). */
  readonly expiresAt: number
  readonly readOnly: boolean
  close(code: number, reason: string): void
  /** Drops the connection at once, without a closing handshake (shutdown). */
  terminate(): void
  /**
   * Asks the client for a sign of life (a WebSocket ping). False when it never
   * answered the previous one: the peer is gone without closing (a laptop lid
   * shut, a network dropped), and only this notices.
   */
  heartbeat(): boolean
}

export interface OpenConnectionsOptions {
  /** How often expired sessions are looked for. */
  expiryCheckMs?: number
  /** How often every connection is pinged; one that missed the last ping is dropped. */
  heartbeatMs?: number
}

export class OpenConnections {
  private readonly open = new Set<OpenConnection>()
  private rechecking: Promise<void> | null = null
  private recheckAgain = false
  private readonly expiryTimer: NodeJS.Timeout
  private readonly heartbeatTimer: NodeJS.Timeout

  constructor(
    private readonly accounts: Accounts,
    private readonly logger: Logger,
    { expiryCheckMs = 30_000, heartbeatMs = 30_000 }: OpenConnectionsOptions = {},
  ) {
    accounts.onChange((change) => void this.recheckAffected(change))
    // A session that runs out while its socket is open ends like a sign-out.
    this.expiryTimer = setInterval(() => {
      const now = Date.now()
      for (const connection of this.open) {
        if (connection.expiresAt <= now) void this.recheck(connection)
      }
    }, expiryCheckMs)
    this.expiryTimer.unref()
    this.heartbeatTimer = setInterval(() => this.checkHeartbeats(), heartbeatMs)
    this.heartbeatTimer.unref()
  }

  close(): void {
    clearInterval(this.expiryTimer)
    clearInterval(this.heartbeatTimer)
  }

  private checkHeartbeats(): void {
    for (const connection of this.open) {
      if (connection.heartbeat()) continue
      this.open.delete(connection)
      this.logger.warn(
        {
          connectionId: connection.connectionId,
          documentId: connection.documentId,
          userId: connection.userId,
        },
        'no answer to ping; dropping connection',
      )
      connection.terminate()
    }
  }

  add(connection: OpenConnection): void {
    this.open.add(connection)
  }

  remove(connection: OpenConnection): void {
    this.open.delete(connection)
  }

  /**
   * Shutdown, after clients were asked to close: drops whatever is still open.
   * This set is the server's one list of its sockets (ws keeps none, to save
   * a listener and a set entry per connection).
   */
  terminateAll(): void {
    for (const connection of this.open) connection.terminate()
    this.open.clear()
  }

  /** Re-checks every connection the change may concern (also for changes made elsewhere). */
  async recheckAffected(change: AccessChange): Promise<void> {
    const affected = [...this.open].filter((connection) =>
      'userId' in change
        ? connection.userId === change.userId
        : connection.documentId === change.documentId,
    )
    await Promise.all(affected.map((connection) => this.recheck(connection)))
  }

  /**
   * After access changes may have been missed (another instance's signal lost),
   * and repeatedly while Redis is away: one pass at a time (a call during a pass
   * runs one more after it), each credential and grant looked up once per pass.
   */
  recheckAll(): Promise<void> {
    if (this.rechecking) {
      this.recheckAgain = true
      return this.rechecking
    }
    this.rechecking = (async () => {
      try {
        do {
          this.recheckAgain = false
          const lookups: Lookups = { auth: new Map(), permission: new Map() }
          await Promise.all([...this.open].map((connection) => this.recheck(connection, lookups)))
        } while (this.recheckAgain)
      } finally {
        this.rechecking = null
      }
    })()
    return this.rechecking
  }

  /** The credential, the account and the grant are all looked up again. */
  async recheck(connection: OpenConnection, lookups?: Lookups): Promise<void> {
    try {
      const auth = await once(lookups?.auth, connection.token, () =>
        this.accounts.authenticate(connection.token),
      )
      let code: number | null = null
      if (!auth) code = CloseCode.signedOut
      else {
        const permission = await once(
          lookups?.permission,
          `${auth.user.id}\n${connection.documentId}`,
          () => this.accounts.permission(auth.user, connection.documentId),
        )
        if (permission === 'none') code = CloseCode.accessRemoved
        else if (atLeast(permission, 'edit') === connection.readOnly) {
          code = CloseCode.permissionsChanged
        }
      }
      if (code === null) return
      this.open.delete(connection)
      this.logger.info(
        {
          connectionId: connection.connectionId,
          documentId: connection.documentId,
          userId: connection.userId,
          code,
        },
        'access changed; closing connection',
      )
      connection.close(
        code,
        code === CloseCode.permissionsChanged ? 'permissions changed' : 'access ended',
      )
    } catch (error) {
      this.logger.error(
        { connectionId: connection.connectionId, err: error },
        'access re-check failed',
      )
    }
  }
}

/** What one pass over every connection has already looked up. */
interface Lookups {
  auth: Map<string, Promise<Authenticated | null>>
  permission: Map<string, Promise<DocumentPermission>>
}

function once<T>(memo: Map<string, Promise<T>> | undefined, key: string, look: () => Promise<T>) {
  if (!memo) return look()
  let found = memo.get(key)
  if (!found) {
    found = look()
    memo.set(key, found)
  }
  return found
}
