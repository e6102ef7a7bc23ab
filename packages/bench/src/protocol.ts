/**
 * The y-websocket wire format, just as much of it as a load generator needs:
 * a frame is `varuint messageType` (0 = sync, 1 = awareness) and, for sync,
 * `varuint syncType` (0 = step 1, 1 = step 2, 2 = update) and a length-prefixed
 * payload (a state vector or a Yjs update, y-protocols' encoding).
 *
 * Latency is measured with a marker embedded in each edit's content (typed
 * text, or an annotation's note): U+2063 (invisible separator), the author's
 * number, `:`, the send time in microseconds since the run's epoch, and `;`. Yjs
 * keeps strings verbatim in update bytes (ContentString, and `Any` strings in
 * map entries), so a receiver finds markers by scanning the frame: no Y.Doc
 * needed, and it works whatever the server does to the update (relay it as is,
 * or re-encode it from its own doc as the stock server does).
 */

export const MessageType = { sync: 0, awareness: 1 } as const
export const SyncType = { step1: 0, step2: 1, update: 2 } as const

/** Sync step 1 with an empty state vector: "send me everything". */
export const STEP1_EMPTY = Uint8Array.of(0, 0, 1, 0)
/** Sync step 2 carrying an empty update (no structs, empty delete set). */
export const STEP2_EMPTY = Uint8Array.of(0, 1, 2, 0, 0)

function varUintLength(n: number): number {
  let length = 1
  while (n > 0x7f) {
    n = Math.floor(n / 128)
    length++
  }
  return length
}

function writeVarUint(target: Uint8Array, offset: number, n: number): number {
  while (n > 0x7f) {
    target[offset++] = 0x80 | (n & 0x7f)
    n = Math.floor(n / 128)
  }
  target[offset++] = n
  return offset
}

/** A sync frame: [0, syncType, varuint length, ...payload]. */
export function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(2 + varUintLength(payload.length) + payload.length)
  frame[0] = MessageType.sync
  frame[1] = syncType
  const offset = writeVarUint(frame, 2, payload.length)
  frame.set(payload, offset)
  return frame
}

/**
 * The payload of a sync frame (a view, not a copy), or null if the frame is
 * not a sync frame or is truncated.
 */
export function syncPayload(frame: Uint8Array): Uint8Array | null {
  if (frame.length < 3 || frame[0] !== MessageType.sync) return null
  let offset = 2
  let length = 0
  let shift = 1
  for (;;) {
    const byte = frame[offset++]
    if (byte === undefined) return null
    length += (byte & 0x7f) * shift
    if (byte < 0x80) break
    shift *= 128
  }
  if (offset + length > frame.length) return null
  return frame.subarray(offset, offset + length)
}

export const MARKER_LEAD = '\u2063'
const LEAD0 = 0xe2
const LEAD1 = 0x81
const LEAD2 = 0xa3
const COLON = 0x3a
/** Ends a marker, so that digits the encoding happens to put right after it are not read as its own. */
const SEMICOLON = 0x3b

/** The text an edit carries: who made it and when (µs since the run's epoch). */
export function marker(author: number, micros: number): string {
  return `${MARKER_LEAD}${author}:${micros};`
}

/**
 * Calls `found(author, micros)` for every marker in the frame; returns how many.
 * Cost: one pass over the bytes.
 */
export function scanMarkers(
  frame: Uint8Array,
  found: (author: number, micros: number) => void,
): number {
  let count = 0
  const end = frame.length - 4
  let i = frame.indexOf(LEAD0)
  while (i !== -1 && i < end) {
    if (frame[i + 1] === LEAD1 && frame[i + 2] === LEAD2) {
      let j = i + 3
      let author = 0
      let digits = 0
      let byte = frame[j] as number
      while (byte >= 0x30 && byte <= 0x39) {
        author = author * 10 + (byte - 0x30)
        digits++
        byte = frame[++j] as number
      }
      if (digits > 0 && byte === COLON) {
        j++
        let micros = 0
        digits = 0
        byte = frame[j] as number
        while (byte >= 0x30 && byte <= 0x39) {
          micros = micros * 10 + (byte - 0x30)
          digits++
          byte = frame[++j] as number
        }
        if (digits > 0 && byte === SEMICOLON) {
          found(author, micros)
          count++
        }
      }
      i = frame.indexOf(LEAD0, j)
    } else {
      i = frame.indexOf(LEAD0, i + 1)
    }
  }
  return count
}
