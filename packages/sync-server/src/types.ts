/**
 * The seams between the collaboration core and whatever carries its frames.
 * The core never sees a socket: transports (the Hono WebSocket route, tests,
 * benchmarks) adapt theirs to `ClientTransport`.
 */

export interface ClientTransport {
  send(frame: Uint8Array): void
  close(code: number, reason: string): void
  /** Bytes queued but not yet written to the network; used to drop slow consumers. */
  readonly bufferedAmount: number
}

/** Who is on the other end; recorded with every update the connection produces. */
export interface ConnectionIdentity {
  connectionId: string
  userId: string
  /**
   * A viewer: its document updates (sync step 2 and update frames) are dropped
   * and counted, never applied; its awareness still reaches the others.
   */
  readOnly?: boolean
}

/** Structured logger (pino's shape). Messages never contain document content. */
export interface Logger {
  debug(fields: object, message?: string): void
  info(fields: object, message?: string): void
  warn(fields: object, message?: string): void
  error(fields: object, message?: string): void
}

/** WebSocket close codes the core uses; 4xxx are application codes clients can show. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  tooLarge: 1009,
  internalError: 1011,
  serviceRestart: 1012,
  tryAgainLater: 1013,
  /** The permissions of the connection's account changed: re-check and reconnect. */
  permissionsChanged: 4001,
  /** The session ended (signed out, expired, revoked or the account deactivated). */
  signedOut: 4401,
  /** The account may no longer open this document. */
  accessRemoved: 4403,
  documentDeleted: 4404,
} as const
