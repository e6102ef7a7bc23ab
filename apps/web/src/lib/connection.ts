/**
 * The connection state shown to the user, from the WebSocket provider's status
 * and the browser's idea of being online.
 */

export type ProviderStatus = 'connected' | 'connecting' | 'disconnected'

/** `data-state` values of the connection indicator. */
export type ConnectionState = 'connected' | 'connecting' | 'disconnected' | 'offline'

export interface ConnectionFacts {
  status: ProviderStatus
  online: boolean
  /** The server refused the document for good (a 44xx close): no more reconnects. */
  closed: boolean
}

export function connectionState(facts: ConnectionFacts): ConnectionState {
  if (!facts.online) return 'offline'
  if (facts.closed) return 'disconnected'
  return facts.status
}

/** The i18n key describing a state; "reconnecting" once a connection was lost. */
export function connectionLabelKey(
  state: ConnectionState,
  hasConnectedBefore: boolean,
):
  | 'connection.connected'
  | 'connection.offline'
  | 'connection.reconnecting'
  | 'connection.connecting' {
  switch (state) {
    case 'connected':
      return 'connection.connected'
    case 'offline':
      return 'connection.offline'
    case 'connecting':
    case 'disconnected':
      return hasConnectedBefore ? 'connection.reconnecting' : 'connection.connecting'
  }
}
