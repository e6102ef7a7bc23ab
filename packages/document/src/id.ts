/**
 * Document ids: URL-safe, unguessable enough to share in links, and checked at
 * every door (REST routes, WebSocket paths) before they reach storage.
 */

export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export function isValidDocumentId(id: string): boolean {
  return DOCUMENT_ID_PATTERN.test(id)
}

/** 16 characters from a 57-letter alphabet without look-alikes: about 93 bits. */
export function newDocumentId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16))
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length]
  return id
}
