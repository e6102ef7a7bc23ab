import {
  type Annotation,
  type AnnotationProblem,
  AnnotationReader,
  annotationsMap,
} from '@hashiya/annotations'
import { startTransition, useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { applyChanges, reuseUnchanged } from './filter.js'

export interface AnnotationsSnapshot {
  /**
   * Valid annotations in document order; unchanged ones keep their object
   * identity. Offsets are as of when each was last read: text typed since may
   * have moved them (the panel shows none).
   */
  annotations: readonly Annotation[]
  /** Entries written by faulty clients, ignored. */
  problems: readonly AnnotationProblem[]
}

const EMPTY: AnnotationsSnapshot = { annotations: [], problems: [] }

/** While the tab is hidden frames do not run: re-read on a timer instead. */
const HIDDEN_DELAY_MS = 200

/**
 * Typing (here or by colleagues) re-reads at most this often: typing inside a
 * quote changes its entry, and re-rendering the panel after every keystroke
 * would still be running when the next key came. Changes to the annotations
 * themselves (tagging, editing, deleting) are read after the next frame.
 */
const TYPING_READ_INTERVAL_MS = 250

/** The longest an idle wait may last once the frame is painted (a busy page still gets its panel). */
const IDLE_TIMEOUT_MS = 100

/**
 * A full reading: every annotation with its offsets, reusing the objects of
 * those that did not change.
 */
function readAll(reader: AnnotationReader, previous: AnnotationsSnapshot): AnnotationsSnapshot {
  const reading = reader.read()
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
 * Only what changed since the last read: typing that touches no annotation
 * costs nothing here, typing inside a quote or tagging a span places one entry
 * (a full reading of 10,000 annotations takes ~10 ms, and the panel's render
 * after it as long again). A full reading when a faulty entry came or went,
 * since the problems are listed too.
 */
function readChanges(reader: AnnotationReader, previous: AnnotationsSnapshot): AnnotationsSnapshot {
  const { changed } = reader.readChanges()
  const problemsMoved = [...changed.keys()].some(
    (id) =>
      reader.hasProblem(id) || previous.problems.some((problem) => problem.annotationId === id),
  )
  const annotations = problemsMoved
    ? null
    : applyChanges(previous.annotations, changed, (id) => reader.spanOf(id))
  if (!annotations) return readAll(reader, previous)
  return annotations === previous.annotations ? previous : { ...previous, annotations }
}

/**
 * Runs `task` after the frame being prepared has been painted, when the page
 * is idle: from an animation frame callback, an idle callback (or, where there
 * are none, a task posted from it) comes after that frame's rendering work and
 * after whatever else was waiting, such as the next keystroke. Returns a
 * cancel function.
 */
function afterNextPaint(task: () => void): () => void {
  let cancelAfter: (() => void) | null = null
  const frame = requestAnimationFrame(() => {
    if (typeof requestIdleCallback === 'function') {
      const idle = requestIdleCallback(task, { timeout: IDLE_TIMEOUT_MS })
      cancelAfter = () => cancelIdleCallback(idle)
    } else {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => {
        channel.port1.close()
        task()
      }
      channel.port2.postMessage(null)
      cancelAfter = () => channel.port1.close()
    }
  })
  return () => {
    cancelAnimationFrame(frame)
    cancelAfter?.()
  }
}

/**
 * The document's annotations, live: re-read after every change to the Y.Doc
 * (local, remote, undo), coalesced, once the frame showing the change has been
 * painted and the page is idle (or every 200 ms while the tab is hidden, when
 * frames do not run).
 * Reading before that frame would delay every keystroke's paint by a read and
 * a render of the panel. While only the text changes (typing), reads are
 * spaced by `TYPING_READ_INTERVAL_MS`.
 *
 * One incremental `AnnotationReader` per document: a read after a keystroke
 * re-lays out only the paragraph that changed and lists only the annotations
 * it touched (see `readChanges`). The panel's render is a transition, so React
 * yields to the next keystroke instead of finishing it.
 */
export function useAnnotations(doc: Y.Doc): AnnotationsSnapshot {
  // made during the first render so that the article opens with its annotations
  // listed, and kept for the effect; a render that is never committed leaves a
  // reader listening to this doc until the doc is destroyed, which is harmless
  const readerRef = useRef<{ doc: Y.Doc; reader: AnnotationReader } | null>(null)
  const readerFor = (current: Y.Doc): AnnotationReader => {
    if (readerRef.current?.doc !== current) {
      readerRef.current = { doc: current, reader: new AnnotationReader(current) }
    }
    return readerRef.current.reader
  }
  const [snapshot, setSnapshot] = useState<AnnotationsSnapshot>(() =>
    readAll(readerFor(doc), EMPTY),
  )
  // the newest reading, which a pending transition may not have rendered yet
  const latest = useRef(snapshot)

  // biome-ignore lint/correctness/useExhaustiveDependencies: readerFor only reads the ref
  useEffect(() => {
    const reader = readerFor(doc)
    // typed as Yjs keys its change records
    const entries = annotationsMap(doc) as unknown as Y.AbstractType<
      Y.YEvent<Y.AbstractType<unknown>>
    >
    let cancel: (() => void) | null = null
    /** The scheduled read waits out the typing interval (an urgent change cuts it short). */
    let spacing = false
    let lastRead = 0
    const refresh = () => {
      cancel = null
      spacing = false
      lastRead = performance.now()
      const next = readChanges(reader, latest.current)
      if (next === latest.current) return
      latest.current = next
      startTransition(() => setSnapshot(next))
    }
    const schedule = (urgent: boolean) => {
      if (cancel && !(urgent && spacing)) return
      cancel?.()
      if (document.visibilityState === 'hidden') {
        const timer = setTimeout(refresh, HIDDEN_DELAY_MS)
        cancel = () => clearTimeout(timer)
        return
      }
      const wait = urgent ? 0 : lastRead + TYPING_READ_INTERVAL_MS - performance.now()
      if (wait <= 0) {
        cancel = afterNextPaint(refresh)
        return
      }
      spacing = true
      let cancelPaint: (() => void) | null = null
      const timer = setTimeout(() => {
        cancelPaint = afterNextPaint(refresh)
      }, wait)
      cancel = () => {
        clearTimeout(timer)
        cancelPaint?.()
      }
    }
    const onTransaction = (transaction: Y.Transaction) => {
      if (transaction.changed.size === 0) return
      schedule(transaction.changed.has(entries) || transaction.changedParentTypes.has(entries))
    }
    doc.on('afterTransaction', onTransaction)
    // changes made between the first render and now
    schedule(true)
    return () => {
      doc.off('afterTransaction', onTransaction)
      cancel?.()
      reader.destroy()
      if (readerRef.current?.reader === reader) readerRef.current = null
    }
  }, [doc])

  return snapshot
}
