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
  documentDeleted: 4404,
} as const
