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
   * The account's display name. When set, presence shows the account, whatever
   * the client claims: every awareness state it sends gets `user.id` = `userId`
   * and `user.name` = this, before anyone sees it.
   */
  displayName?: string
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

/**
 * A message between server instances about one document. `update` carries
 * updates another instance has already stored, as the log positions
 * `fromSeq..toSeq` (one batch, merged); receivers apply it and relay it to
 * their clients, never store it again.
 */
export type FanoutMessage =
  | { type: 'update'; update: Uint8Array; fromSeq: number; toSeq: number }
  | { type: 'awareness'; update: Uint8Array }
  /** Every instance closes the document's clients with this code (deletion). */
  | { type: 'closed'; code: number; reason: string }
  /**
   * An instance has just opened the document (or may have missed messages): the
   * others send the presence of their own clients, who would otherwise stay unseen
   * there until they renew it (every 15 s).
   */
  | { type: 'presence-wanted' }

/** What an instance holding a document gets from the fan-out. */
export interface FanoutSubscriber {
  /** Another instance's message; `sentAt` is that instance's clock (ms since the epoch). */
  receive(message: FanoutMessage, sentAt: number): void
  /**
   * Messages may have been missed: called once the subscription is in place,
   * and again after anything that may have lost messages (the channel was
   * unreachable, the reader reconnected). The subscriber re-reads the store.
   */
  resync(): void
}

/**
 * Cross-instance fan-out (Redis Streams in @hashiya/fanout; the core never
 * imports a Redis client). Delivery is best effort and may lose messages: the
 * store stays the source of truth, and subscribers heal from it.
 */
export interface Fanout {
  /**
   * Starts delivering other instances' messages for a document, from some
   * moment after this call; `resync` is called once that moment is fixed.
   */
  subscribe(documentId: string, subscriber: FanoutSubscriber): void
  unsubscribe(documentId: string, subscriber: FanoutSubscriber): void
  /** Best effort and never throws. Updates are published only once stored. */
  publish(documentId: string, message: FanoutMessage): void
}

/** Hooks for metrics; each must be cheap and must not throw. */
export interface SyncObserver {
  /** Document updates accepted from clients and API changes (before they are stored). */
  updatesReceived?(count: number): void
  /** Update frames sent to clients (one per client per stored batch of updates). */
  updatesSent?(count: number): void
  /** One store append: how long it took, how many updates, whether it committed. */
  appended?(durationMs: number, count: number, ok: boolean): void
  /** Updates from other instances applied to a live document. */
  remoteApplied?(count: number, latencyMs: number | null): void
  /** A live document re-read what it was missing from the store. */
  resynced?(documentId: string, updatesApplied: number): void
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
