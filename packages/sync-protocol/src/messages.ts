/**
 * The y-websocket wire format, as the stock `WebsocketProvider` speaks it.
 *
 * A frame is a varuint message type followed by its payload. Decoding turns a
 * frame into a typed message or a `ProtocolError`, without touching any Y.Doc,
 * so that a malformed frame is refused before it can reach shared state.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { Awareness } from 'y-protocols/awareness'
import { encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'

/** Outer message types of y-websocket. */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const

/** Inner types of a sync message (y-protocols/sync). */
export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const

export type ClientMessage =
  | { type: 'sync-step1'; stateVector: Uint8Array }
  | { type: 'sync-step2'; update: Uint8Array }
  | { type: 'sync-update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'query-awareness' }

/** A frame that does not follow the protocol; `code` is stable for logs and metrics. */
export class ProtocolError extends Error {
  constructor(
    readonly code:
      | 'empty-frame'
      | 'truncated-frame'
      | 'unknown-message-type'
      | 'unknown-sync-type'
      | 'malformed-update'
      | 'malformed-state-vector'
      | 'malformed-awareness'
      | 'unsupported-message',
    message: string,
  ) {
    super(message)
    this.name = 'ProtocolError'
  }
}

function readPayload(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder)
  if (length > decoder.arr.length - decoder.pos) {
    throw new ProtocolError('truncated-frame', 'frame ends before its payload')
  }
  return decoding.readUint8Array(decoder, length)
}

function checkUpdate(update: Uint8Array): Uint8Array {
  try {
    Y.decodeUpdate(update)
  } catch {
    throw new ProtocolError('malformed-update', 'update is not a valid Yjs update')
  }
  return update
}

function checkStateVector(stateVector: Uint8Array): Uint8Array {
  try {
    Y.decodeStateVector(stateVector)
  } catch {
    throw new ProtocolError('malformed-state-vector', 'state vector is not valid')
  }
  return stateVector
}

function checkAwareness(update: Uint8Array): Uint8Array {
  try {
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      decoding.readVarUint(decoder)
      decoding.readVarUint(decoder)
      JSON.parse(decoding.readVarString(decoder))
    }
  } catch {
    throw new ProtocolError('malformed-awareness', 'awareness update is not valid')
  }
  return update
}

/**
 * Decodes one frame from a client. Throws `ProtocolError` on anything a stock
 * client would never send; the caller closes that one connection.
 */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  if (frame.length === 0) throw new ProtocolError('empty-frame', 'empty frame')
  const decoder = decoding.createDecoder(frame)
  try {
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.sync: {
        const syncType = decoding.readVarUint(decoder)
        const payload = readPayload(decoder)
        switch (syncType) {
          case SyncMessageType.step1:
            return { type: 'sync-step1', stateVector: checkStateVector(payload) }
          case SyncMessageType.step2:
            return { type: 'sync-step2', update: checkUpdate(payload) }
          case SyncMessageType.update:
            return { type: 'sync-update', update: checkUpdate(payload) }
          default:
            throw new ProtocolError('unknown-sync-type', `unknown sync message type ${syncType}`)
        }
      }
      case MessageType.awareness:
        return { type: 'awareness', update: checkAwareness(readPayload(decoder)) }
      case MessageType.queryAwareness:
        return { type: 'query-awareness' }
      case MessageType.auth:
        throw new ProtocolError('unsupported-message', 'auth messages are not accepted')
      default:
        throw new ProtocolError('unknown-message-type', `unknown message type ${type}`)
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError('truncated-frame', 'frame ends in the middle of a field')
  }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/** Sync step 1: "here is what I have", asking the peer for the rest. */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MessageType.sync)
    encoding.writeVarUint(encoder, SyncMessageType.step1)
    encoding.writeVarUint8Array(encoder, stateVector)
  })
}

/** Sync step 2: the update the peer is missing. */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MessageType.sync)
    encoding.writeVarUint(encoder, SyncMessageType.step2)
    encoding.writeVarUint8Array(encoder, update)
  })
}

/** An incremental document update. */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MessageType.sync)
    encoding.writeVarUint(encoder, SyncMessageType.update)
    encoding.writeVarUint8Array(encoder, update)
  })
}

/** An awareness frame around an already encoded awareness update. */
export function encodeAwarenessFrame(awarenessUpdate: Uint8Array): Uint8Array {
  return frame((encoder) => {
    encoding.writeVarUint(encoder, MessageType.awareness)
    encoding.writeVarUint8Array(encoder, awarenessUpdate)
  })
}

/** The awareness states of the given clients as one frame. */
export function encodeAwarenessStates(awareness: Awareness, clientIds: number[]): Uint8Array {
  return encodeAwarenessFrame(encodeAwarenessUpdate(awareness, clientIds))
}

export function encodeQueryAwareness(): Uint8Array {
  return frame((encoder) => encoding.writeVarUint(encoder, MessageType.queryAwareness))
}

/** Who the server knows a connection to be, as presence should show it. */
export interface VerifiedUser {
  id: string
  name?: string
}

/**
 * Rewrites the `user.id` (and `user.name`, when known) of every state in an
 * awareness update to the connection's account, so that presence cannot be
 * used to pose as someone else. Other fields (colour, cursor) pass through.
 * The update must already have been checked by `decodeClientMessage`.
 */
export function stampAwarenessUpdate(update: Uint8Array, user: VerifiedUser): Uint8Array {
  const decoder = decoding.createDecoder(update)
  const encoder = encoding.createEncoder()
  const count = decoding.readVarUint(decoder)
  encoding.writeVarUint(encoder, count)
  for (let i = 0; i < count; i++) {
    encoding.writeVarUint(encoder, decoding.readVarUint(decoder))
    encoding.writeVarUint(encoder, decoding.readVarUint(decoder))
    const state: unknown = JSON.parse(decoding.readVarString(decoder))
    if (state !== null && typeof state === 'object' && !Array.isArray(state)) {
      const record = state as Record<string, unknown>
      const claimed = record.user
      const base =
        claimed !== null && typeof claimed === 'object' && !Array.isArray(claimed) ? claimed : {}
      record.user = {
        ...base,
        id: user.id,
        ...(user.name === undefined ? {} : { name: user.name }),
      }
    }
    encoding.writeVarString(encoder, JSON.stringify(state))
  }
  return encoding.toUint8Array(encoder)
}

/** True when a state vector says "I have nothing": the cheap, cacheable full-state case. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0
}
