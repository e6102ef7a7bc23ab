/**
 * @hashiya/sync-protocol: the y-protocols wire format, decoded into checked
 * messages and encoded back. Shared by the server, the benchmark clients and tests.
 */
export {
  type ClientMessage,
  decodeClientMessage,
  encodeAwarenessFrame,
  encodeAwarenessStates,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  isEmptyStateVector,
  MessageType,
  ProtocolError,
  SyncMessageType,
  stampAwarenessUpdate,
  type VerifiedUser,
} from './messages.js'
