/**
 * Keeps open WebSocket connections honest after they were authorized: when an
 * account is deactivated, signs out, loses a role or a document grant, each of
 * its connections is re-checked at once and closed with a code the client can
 * act on (sign in again, leave the document, or reconnect with new rights).
 */
import { type AccessChange, type Accounts, atLeast } from '@hashiya/accounts'
import { CloseCode, type Logger } from '@hashiya/sync-server'

export interface OpenConnection {
  connectionId: string
  documentId: string
  userId: string
  token: string
  /** When the credential it was admitted with expires (ms since the epoch). */
  expiresAt: number
  readOnly: boolean
  close(code: number, reason: string): void
}

export class OpenConnections {
  private readonly byId = new Map<string, OpenConnection>()
  private readonly expiryTimer: NodeJS.Timeout

  constructor(
    private readonly accounts: Accounts,
    private readonly logger: Logger,
    expiryCheckMs = 30_000,
  ) {
    accounts.onChange((change) => void this.recheckAffected(change))
    // A session that runs out while its socket is open ends like a sign-out.
    this.expiryTimer = setInterval(() => {
      const now = Date.now()
      for (const connection of this.byId.values()) {
        if (connection.expiresAt <= now) void this.recheck(connection)
      }
    }, expiryCheckMs)
    this.expiryTimer.unref()
  }

  close(): void {
    clearInterval(this.expiryTimer)
  }

  add(connection: OpenConnection): void {
    this.byId.set(connection.connectionId, connection)
  }

  remove(connectionId: string): void {
    this.byId.delete(connectionId)
  }

  /** Re-checks every connection the change may concern (also for changes made elsewhere). */
  async recheckAffected(change: AccessChange): Promise<void> {
    const affected = [...this.byId.values()].filter((connection) =>
      'userId' in change
        ? connection.userId === change.userId
        : connection.documentId === change.documentId,
    )
    await Promise.all(affected.map((connection) => this.recheck(connection)))
  }

  /** After access changes may have been missed (another instance's signal lost). */
  async recheckAll(): Promise<void> {
    await Promise.all([...this.byId.values()].map((connection) => this.recheck(connection)))
  }

  /** The credential, the account and the grant are all looked up again. */
  async recheck(connection: OpenConnection): Promise<void> {
    try {
      const auth = await this.accounts.authenticate(connection.token)
      let code: number | null = null
      if (!auth) code = CloseCode.signedOut
      else {
        const permission = await this.accounts.permission(auth.user, connection.documentId)
        if (permission === 'none') code = CloseCode.accessRemoved
        else if (atLeast(permission, 'edit') === connection.readOnly) {
          code = CloseCode.permissionsChanged
        }
      }
      if (code === null) return
      this.byId.delete(connection.connectionId)
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
