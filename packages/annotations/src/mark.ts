/**
 * The `annotation` mark as it sits in Yjs.
 *
 * The mark carries only the annotation id. Because it does not exclude itself
 * (annotations overlap), y-tiptap stores each one under its own formatting key,
 * `annotation--<hash of the mark's JSON>`; this module computes the same key so
 * that the server can tag text exactly as an editor would, and reads any key.
 */
import * as buffer from 'lib0/buffer'
import * as sha256 from 'lib0/hash/sha256'

export const ANNOTATION_MARK = 'annotation'

const KEY_PATTERN = /^annotation(--[a-zA-Z0-9+/=]{8})?$/

/** y-tiptap's `hashOfJSON`: sha256 folded to 6 bytes, base64. */
function hashOfJson(json: unknown): string {
  const digest = sha256.digest(buffer.encodeAny(json))
  const folded = 6
  for (let i = folded; i < digest.length; i++) {
    digest[i % folded] = (digest[i % folded] as number) ^ (digest[i] as number)
  }
  return buffer.toBase64(digest.slice(0, folded))
}

/** The Y.XmlText formatting key of the mark for this annotation. */
export function annotationMarkKey(id: string): string {
  return `${ANNOTATION_MARK}--${hashOfJson({ type: ANNOTATION_MARK, attrs: { id } })}`
}

/** The annotation id a formatting attribute stands for, or null if it is not an annotation mark. */
export function annotationIdOfAttribute(key: string, value: unknown): string | null {
  if (!KEY_PATTERN.test(key)) return null
  if (typeof value !== 'object' || value === null) return null
  const id = (value as { id?: unknown }).id
  return typeof id === 'string' && id.length > 0 ? id : null
}
