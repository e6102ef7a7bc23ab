import { type Annotation, type AnnotationProblem, readAnnotations } from '@hashiya/annotations'
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { reuseUnchanged } from './filter.js'

export interface AnnotationsSnapshot {
  /** Valid annotations in document order; unchanged ones keep their object identity. */
  annotations: readonly Annotation[]
  /** Entries written by faulty clients, ignored. */
  problems: readonly AnnotationProblem[]
}

const EMPTY: AnnotationsSnapshot = { annotations: [], problems: [] }

function read(doc: Y.Doc, previous: AnnotationsSnapshot): AnnotationsSnapshot {
  const reading = readAnnotations(doc)
  const annotations = reuseUnchanged(previous.annotations, reading.annotations)
  const sameProblems =
    previous.problems.length === reading.problems.length &&
    previous.problems.every(
      (problem, index) =>
        problem.annotationId === reading.problems[index]?.annotationId &&
        problem.problem === reading.problems[index]?.problem,
    )
  if (annotations === previous.annotations && sameProblems) return previous
  return { annotations, problems: sameProblems ? previous.problems : reading.problems }
}

/**
 * The document's annotations, live: re-read after every change to the Y.Doc
 * (local, remote, undo), at most once per animation frame (or every 200 ms
 * while the tab is hidden, when frames do not run).
 */
export function useAnnotations(doc: Y.Doc): AnnotationsSnapshot {
  const [snapshot, setSnapshot] = useState<AnnotationsSnapshot>(() => read(doc, EMPTY))

  useEffect(() => {
    let frame = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const refresh = () => {
      frame = 0
      timer = undefined
      setSnapshot((previous) => read(doc, previous))
    }
    const schedule = () => {
      if (frame || timer) return
      if (document.visibilityState === 'hidden') timer = setTimeout(refresh, 200)
      else frame = requestAnimationFrame(refresh)
    }
    doc.on('update', schedule)
    schedule()
    return () => {
      doc.off('update', schedule)
      if (frame) cancelAnimationFrame(frame)
      clearTimeout(timer)
    }
  }, [doc])

  return snapshot
}
