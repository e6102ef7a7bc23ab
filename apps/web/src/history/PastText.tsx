import type { ReactNode } from 'react'
import type { Segment } from './logic.js'

/** One paragraph of past text, annotated pieces wrapped in the live editor's annotation spans. */
export function PastParagraph({ segments }: { segments: readonly Segment[] }) {
  return (
    <p>
      {segments.map((segment, index) => {
        let node: ReactNode = segment.text
        for (let i = segment.marks.length - 1; i >= 0; i--) {
          const mark = segment.marks[i]
          if (!mark) continue
          node = (
            <span
              className={`annotation annotation--${mark.kind}`}
              data-annotation-id={mark.id}
              data-kind={mark.kind}
            >
              {node}
            </span>
          )
        }
        // biome-ignore lint/suspicious/noArrayIndexKey: pieces of a read-only text, never reordered
        return <span key={index}>{node}</span>
      })}
    </p>
  )
}
