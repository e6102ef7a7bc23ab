/**
 * What a person does to annotations from the editor: tag, edit, link, delete.
 *
 * Each action is exactly one step of that person's undo history. The article
 * editor's undo manager covers both the body and the annotations Y.Map (see
 * `ArticleCollaboration`) and tracks y-tiptap's sync origin and
 * `ANNOTATION_ORIGIN`. Around every action capturing is stopped, so that the
 * action does not merge with typing just before it, and nothing after it merges
 * into it; inside, a tag's mark (written by y-tiptap) and its metadata (written
 * here) are captured into one stack item.
 */
import {
  ANNOTATION_MARK,
  type AnnotationKind,
  type AnnotationPatch,
  deleteAnnotation,
  isValidAnnotationId,
  newAnnotationId,
  setRelation,
  updateAnnotation,
  writeRecord,
} from '@hashiya/annotations'
import type { Editor } from '@tiptap/core'
import type { EditorState } from '@tiptap/pm/state'
import { TextSelection } from '@tiptap/pm/state'
import { yUndoPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import type { TextRange } from './snap.js'
import { snapDocRange } from './snapDoc.js'
import { type AnnotationViewState, annotationViewKey } from './view.js'

/** Transaction origin of annotation changes made here; tracked by the article's undo manager. */
export const ANNOTATION_ORIGIN: object = Object.freeze({ source: 'hashiya-annotation-editor' })

/** The undo manager of an article editor (none before the editor has a view). */
export function articleUndoManager(editor: Editor): Y.UndoManager | null {
  if (editor.isDestroyed) return null
  const state = yUndoPluginKey.getState(editor.state) as { undoManager?: Y.UndoManager } | undefined
  return state?.undoManager ?? null
}

/** Runs an annotation change as exactly one undo step. */
export function asOneUndoStep<T>(editor: Editor, change: (origin: object) => T): T {
  const undoManager = articleUndoManager(editor)
  undoManager?.stopCapturing()
  try {
    return change(ANNOTATION_ORIGIN)
  } finally {
    undoManager?.stopCapturing()
  }
}

function viewState(state: EditorState): AnnotationViewState | undefined {
  return annotationViewKey.getState(state)
}

/**
 * The range tagging the current selection would cover: whole words, unless
 * the selection was made in precise mode (then whole grapheme clusters); the
 * word at the caret when nothing is selected. Null when there is no text to tag.
 */
export function taggableRange(state: EditorState): TextRange | null {
  const { selection } = state
  const precise = viewState(state)?.precise
  const keepAsMade =
    !selection.empty && precise?.from === selection.from && precise?.to === selection.to
  return snapDocRange(state.doc, selection.from, selection.to, keepAsMade ? 'grapheme' : 'word')
}

/** The text a tag of the selection would cover: what the person is told they tagged. */
export function taggableText(state: EditorState): string {
  const range = taggableRange(state)
  return range ? state.doc.textBetween(range.from, range.to, ' ', ' ') : ''
}

export interface TagInput {
  document: Y.Doc
  kind: AnnotationKind
  /** User id of the person tagging. */
  author: string
}

/**
 * Tags the selection (see `taggableRange`) with a new annotation: its metadata
 * and its mark, in one undo step. The caret ends up after the tagged text.
 * Returns the new id, or null when there was nothing to tag.
 */
export function tagSelection(editor: Editor, { document, kind, author }: TagInput): string | null {
  if (editor.isDestroyed || !editor.isEditable) return null
  const range = taggableRange(editor.state)
  const markType = editor.schema.marks[ANNOTATION_MARK]
  if (!range || !markType) return null
  const id = newAnnotationId()
  return asOneUndoStep(editor, (origin) => {
    // metadata first, so the span is drawn with its kind from the start
    writeRecord(document, { id, kind, author }, origin)
    const { state } = editor
    const tr = state.tr.addMark(range.from, range.to, markType.create({ id }))
    tr.setSelection(TextSelection.create(tr.doc, range.to))
    // y-tiptap writes the mark to the Y.Doc synchronously, with its sync origin
    editor.view.dispatch(tr)
    return id
  })
}

export function editAnnotation(
  editor: Editor,
  document: Y.Doc,
  id: string,
  patch: AnnotationPatch,
  by: string,
): void {
  asOneUndoStep(editor, (origin) => updateAnnotation(document, id, patch, by, origin))
}

export function linkAnnotation(
  editor: Editor,
  document: Y.Doc,
  sourceId: string,
  claimId: string,
  linked: boolean,
  by: string,
): void {
  asOneUndoStep(editor, (origin) => setRelation(document, sourceId, claimId, linked, by, origin))
}

export function removeAnnotation(editor: Editor, document: Y.Doc, id: string): void {
  asOneUndoStep(editor, (origin) => deleteAnnotation(document, id, origin))
}

/** Draws these annotations as active (hovered or selected elsewhere, e.g. in a list). */
export function setActiveAnnotations(editor: Editor, ids: Iterable<string>): void {
  if (editor.isDestroyed) return
  const active = new Set(ids)
  const current = viewState(editor.state)?.active
  if (current && current.size === active.size && [...active].every((id) => current.has(id))) return
  editor.view.dispatch(editor.state.tr.setMeta(annotationViewKey, { active }))
}

/** Turns "click the claim in the text" mode on or off. */
export function setPickingMode(editor: Editor, picking: boolean): void {
  if (editor.isDestroyed || viewState(editor.state)?.picking === picking) return
  editor.view.dispatch(editor.state.tr.setMeta(annotationViewKey, { picking }))
}

/** The spans drawing an annotation, in document order. */
export function annotationElements(editor: Editor, id: string): HTMLElement[] {
  // valid ids are letters, digits, '_' and '-': safe inside the selector
  if (editor.isDestroyed || !isValidAnnotationId(id)) return []
  return [...editor.view.dom.querySelectorAll<HTMLElement>(`[data-annotation-id="${id}"]`)]
}
