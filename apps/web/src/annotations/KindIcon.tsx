import type { AnnotationKind } from '@hashiya/annotations'
import { LineIcon } from '../components/LineIcon.js'

/** Simple line icons, one per kind, in the kind's colour (set by CSS through `currentColor`). */
const PATHS: Record<AnnotationKind, string> = {
  // two quotation marks
  quote: 'M5 7h5v5c0 3-1.6 5-4.5 5.8M14 7h5v5c0 3-1.6 5-4.5 5.8',
  // a speech bubble with an exclamation mark
  claim: 'M4 5h16v11H10l-4 3.5V16H4zM12 8v3.5M12 13.6v.01',
  // a circle struck through
  denial: 'M12 4a8 8 0 1 0 0 16 8 8 0 1 0 0-16zM6.4 6.4l11.2 11.2',
  // a page with lines: a note in the margin
  aside: 'M6 3.5h8.5L18.5 7.5V20.5H6zM9 11h6.5M9 14.5h6.5M9 18h4',
}

export function KindIcon({ kind, size = 18 }: { kind: AnnotationKind; size?: number }) {
  return <LineIcon path={PATHS[kind]} className={`kind-icon kind-icon--${kind}`} size={size} />
}
