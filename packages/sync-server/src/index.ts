/**
 * @hashiya/sync-server: the collaboration core behind the WebSocket endpoint.
 * Hooks in: a `DocumentStore` for durability, a `Logger`, and any transport.
 */

export { RemoteChange, ServerChange } from './room.js'
export {
  type ClientSession,
  DocumentNotFoundError,
  StorageUnavailableError,
  SyncServer,
  type SyncServerOptions,
} from './sync-server.js'
export {
  type ClientTransport,
  CloseCode,
  type ConnectionIdentity,
  type Fanout,
  type FanoutMessage,
  type FanoutSubscriber,
  type Logger,
  type SyncObserver,
} from './types.js'
