import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import {
  decodeClientMessage,
  encodeAwarenessStates,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeSyncUpdate,
  isEmptyStateVector,
  MessageType,
  ProtocolError,
  stampAwarenessUpdate,
} from './index.js'

/** Frames exactly as the stock y-websocket client builds them. */
function stockFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return doc
}

function errorCode(frame: Uint8Array): string {
  try {
    decodeClientMessage(frame)
  } catch (error) {
    if (error instanceof ProtocolError) return error.code
    throw error
  }
  return 'accepted'
}

describe('decodeClientMessage', () => {
  it('reads the stock client sync step 1', () => {
    const doc = docWithText('مرحبا')
    const frame = stockFrame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.sync)
      syncProtocol.writeSyncStep1(encoder, doc)
    })
    const message = decodeClientMessage(frame)
    expect(message.type).toBe('sync-step1')
    if (message.type !== 'sync-step1') return
    expect(Y.decodeStateVector(message.stateVector)).toEqual(
      Y.decodeStateVector(Y.encodeStateVector(doc)),
    )
  })

  it('reads an update that applies to another replica', () => {
    const doc = docWithText('نص')
    const frame = stockFrame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.sync)
      syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(doc))
    })
    const message = decodeClientMessage(frame)
    expect(message.type).toBe('sync-update')
    if (message.type !== 'sync-update') return
    const replica = new Y.Doc()
    Y.applyUpdate(replica, message.update)
    expect(replica.getText('t').toString()).toBe('نص')
  })

  it('reads awareness and query-awareness frames', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState({ user: { name: 'ليلى' } })
    const frame = encodeAwarenessStates(awareness, [awareness.clientID])
    expect(decodeClientMessage(frame).type).toBe('awareness')
    expect(decodeClientMessage(new Uint8Array([MessageType.queryAwareness])).type).toBe(
      'query-awareness',
    )
  })

  it('refuses empty, truncated, unknown and malformed frames with a code', () => {
    const goodUpdate = encodeSyncUpdate(Y.encodeStateAsUpdate(docWithText('abc')))
    expect(errorCode(new Uint8Array())).toBe('empty-frame')
    expect(errorCode(new Uint8Array([0x80]))).toBe('truncated-frame') // varint never ends
    expect(errorCode(new Uint8Array([0, 2, 50, 1, 2]))).toBe('truncated-frame')
    expect(errorCode(goodUpdate.subarray(0, goodUpdate.length - 3))).toBe('truncated-frame')
    expect(errorCode(new Uint8Array([9]))).toBe('unknown-message-type')
    expect(errorCode(new Uint8Array([0, 7, 0]))).toBe('unknown-sync-type')
    expect(errorCode(new Uint8Array([MessageType.auth, 0]))).toBe('unsupported-message')
    expect(errorCode(new Uint8Array([0, 2, 3, 0xff, 0xff, 0xff]))).toBe('malformed-update')
    expect(errorCode(new Uint8Array([1, 3, 1, 1, 1]))).toBe('malformed-awareness')
  })

  it('never throws anything but ProtocolError on random bytes', () => {
    let seed = 42
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed
    }
    for (let i = 0; i < 5000; i++) {
      const frame = new Uint8Array(1 + (random() % 40)).map(() => random() & 0xff)
      frame[0] = random() % 5
      try {
        decodeClientMessage(frame)
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError)
      }
    }
  })
})

describe('encoders', () => {
  it('write the same bytes as y-protocols', () => {
    const doc = docWithText('سلام')
    const stateVector = Y.encodeStateVector(doc)
    const update = Y.encodeStateAsUpdate(doc)
    expect(encodeSyncStep1(stateVector)).toEqual(
      stockFrame((encoder) => {
        encoding.writeVarUint(encoder, MessageType.sync)
        syncProtocol.writeSyncStep1(encoder, doc)
      }),
    )
    expect(encodeSyncStep2(update)).toEqual(
      stockFrame((encoder) => {
        encoding.writeVarUint(encoder, MessageType.sync)
        syncProtocol.writeSyncStep2(encoder, doc)
      }),
    )
    expect(encodeSyncUpdate(update)).toEqual(
      stockFrame((encoder) => {
        encoding.writeVarUint(encoder, MessageType.sync)
        syncProtocol.writeUpdate(encoder, update)
      }),
    )
  })

  it('encodes awareness like the stock server', () => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState({ user: { name: 'Sami' } })
    const expected = stockFrame((encoder) => {
      encoding.writeVarUint(encoder, MessageType.awareness)
      encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [awareness.clientID]))
    })
    expect(encodeAwarenessStates(awareness, [awareness.clientID])).toEqual(expected)
  })

  it('recognises the empty state vector of a new client', () => {
    expect(isEmptyStateVector(Y.encodeStateVector(new Y.Doc()))).toBe(true)
    expect(isEmptyStateVector(Y.encodeStateVector(docWithText('x')))).toBe(false)
  })
})

describe('stampAwarenessUpdate', () => {
  it('replaces the claimed user id and name with the account, keeping the rest', async () => {
    const { applyAwarenessUpdate } = await import('y-protocols/awareness')
    const doc = new Y.Doc()
    const awareness = new Awareness(doc)
    awareness.setLocalState({ user: { id: 'boss', name: 'المدير', color: '#123456' }, cursor: 7 })
    const claimed = encodeAwarenessUpdate(awareness, [doc.clientID])
    const stamped = stampAwarenessUpdate(claimed, { id: 'layla', name: 'ليلى' })
    const receiver = new Awareness(new Y.Doc())
    applyAwarenessUpdate(receiver, stamped, null)
    expect(receiver.getStates().get(doc.clientID)).toEqual({
      user: { id: 'layla', name: 'ليلى', color: '#123456' },
      cursor: 7,
    })
    awareness.setLocalState(null)
    const removal = stampAwarenessUpdate(encodeAwarenessUpdate(awareness, [doc.clientID]), {
      id: 'layla',
    })
    applyAwarenessUpdate(receiver, removal, null)
    expect(receiver.getStates().has(doc.clientID)).toBe(false)
  })
})
