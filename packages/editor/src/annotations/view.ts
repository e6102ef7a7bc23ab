/**
 * How annotations look and behave in the editor.
 *
 * The mark carries only an id; the kind comes from the annotations Y.Map. Each
 * annotation mark is drawn by a small mark view: one
 * `<span data-annotation-id class="annotation annotation--<kind>">` per
 * contiguous piece, nested where annotations overlap (so translucent
 * backgrounds stack). A plugin keeps the kinds read from the Y.Map (observed
 * deeply, each change dispatched as a meta transaction; only the entries a
 * change touched are read again) and the ids to show as active, and repaints
 * the classes of the mark views whose kind or active state changed, without
 * redrawing any text (a long article has tens of thousands of them). Class
 * changes are invisible to ProseMirror's DOM observer (the mark views ignore
 * their own attribute mutations).
 *
 * The plugin also reports hovering, lets the user pick a claim by clicking it,
 * snaps mouse selections to whole words (grapheme clusters with Shift or Alt
 * held on release), and keeps foreign or duplicated annotation marks out of
 * pasted content.
 */
import {
  ANNOTATION_KINDS,
  ANNOTATION_MARK,
  type AnnotationKind,
  annotationsMap,
  Field,
  isAnnotationKind,
  isValidAnnotationId,
} from '@hashiya/annotations'
import { Extension } from '@tiptap/core'
import { Fragment, type Mark, type Node as PMNode, Slice } from '@tiptap/pm/model'
import { type EditorState, Plugin, PluginKey, TextSelection } from '@tiptap/pm/state'
import type { EditorView, MarkView, ViewMutationRecord } from '@tiptap/pm/view'
import * as Y from 'yjs'
import { taggableText, tagSelection } from './actions.js'
import type { TextRange } from './snap.js'
import { snapDocRange } from './snapDoc.js'

export interface AnnotationViewState {
  /** Kind of every annotation with a valid entry in the Y.Map. */
  kinds: ReadonlyMap<string, AnnotationKind>
  /** Annotations drawn as active (hovered or selected, in the text or the panel). */
  active: ReadonlySet<string>
  /** "Click the claim in the text" mode. */
  picking: boolean
  /** The last selection made in precise mode (a modifier held on mouse release). */
  precise: TextRange | null
}

type AnnotationViewMeta = Partial<AnnotationViewState>

export const annotationViewKey = new PluginKey<AnnotationViewState>('hashiyaAnnotationView')

export interface AnnotationViewEvents {
  /** The pointer moved onto an annotation (its innermost one) or off all of them. */
  onHover?: (id: string | null) => void
  /**
   * In picking mode: the user clicked the text; `ids` are the annotations under
   * the click, innermost first. Null when picking was cancelled (Escape).
   */
  onPick?: (ids: string[] | null) => void
  /** An annotation was tagged with a keyboard shortcut, over this text. */
  onTagged?: (tagged: { id: string; kind: AnnotationKind; text: string }) => void
}

/** Class names of a painted annotation span. */
export const ANNOTATION_CLASS = 'annotation'
export const ACTIVE_ANNOTATION_CLASS = 'annotation--active'
export const PICKING_CLASS = 'annotation-picking'

export function annotationKindClass(kind: AnnotationKind): string {
  return `${ANNOTATION_CLASS}--${kind}`
}

/** The kinds of all valid entries, read straight from the Y.Map (cheap: no text layout). */
export function readKinds(doc: Y.Doc): Map<string, AnnotationKind> {
  const kinds = new Map<string, AnnotationKind>()
  for (const [id, entry] of annotationsMap(doc).entries()) {
    if (!isValidAnnotationId(id) || !(entry instanceof Y.Map)) continue
    const kind = entry.get(Field.kind)
    if (isAnnotationKind(kind)) kinds.set(id, kind)
  }
  return kinds
}

function sameKinds(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false
  for (const [id, kind] of a) if (b.get(id) !== kind) return false
  return true
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false
  for (const id of a) if (!b.has(id)) return false
  return true
}

/** The painted mark views, by annotation id. */
class MarkViewRegistry {
  private readonly byId = new Map<string, Set<HTMLElement>>()

  add(id: string, element: HTMLElement): void {
    let set = this.byId.get(id)
    if (!set) {
      set = new Set()
      this.byId.set(id, set)
    }
    set.add(element)
  }

  remove(id: string, element: HTMLElement): void {
    const set = this.byId.get(id)
    if (!set) return
    set.delete(element)
    if (set.size === 0) this.byId.delete(id)
  }

  /** Repaints the spans of these annotations (a long article has tens of thousands of spans). */
  paint(ids: Iterable<string>, state: AnnotationViewState): void {
    for (const id of ids) {
      const elements = this.byId.get(id)
      if (!elements) continue
      for (const element of elements) paint(element, state.kinds.get(id), state.active.has(id))
    }
  }
}

/** Annotations drawn differently in `after` than in `before`: kind or active state changed. */
function repaintedIds(before: AnnotationViewState, after: AnnotationViewState): Set<string> {
  const ids = new Set<string>()
  if (before.kinds !== after.kinds) {
    for (const [id, kind] of after.kinds) if (before.kinds.get(id) !== kind) ids.add(id)
    for (const id of before.kinds.keys()) if (!after.kinds.has(id)) ids.add(id)
  }
  if (before.active !== after.active) {
    for (const id of after.active) if (!before.active.has(id)) ids.add(id)
    for (const id of before.active) if (!after.active.has(id)) ids.add(id)
  }
  return ids
}

/**
 * The kinds after a change to the annotations Y.Map: only the entries the
 * change touched are read again (tagging in a long article must not re-read
 * every entry).
 */
function updatedKinds(
  doc: Y.Doc,
  previous: ReadonlyMap<string, AnnotationKind>,
  events: readonly Y.YEvent<Y.AbstractType<unknown>>[],
): Map<string, AnnotationKind> {
  const map = annotationsMap(doc)
  const touched = new Set<string>()
  for (const event of events) {
    if (event.target === map) for (const id of event.keys.keys()) touched.add(id)
    else if (typeof event.path[0] === 'string') touched.add(event.path[0])
  }
  const kinds = new Map(previous)
  for (const id of touched) {
    const entry = map.get(id)
    const kind = isValidAnnotationId(id) && entry instanceof Y.Map ? entry.get(Field.kind) : null
    if (isAnnotationKind(kind)) kinds.set(id, kind)
    else kinds.delete(id)
  }
  return kinds
}

function paint(element: HTMLElement, kind: AnnotationKind | undefined, active: boolean): void {
  let className = ANNOTATION_CLASS
  if (kind) className += ` ${annotationKindClass(kind)}`
  if (active) className += ` ${ACTIVE_ANNOTATION_CLASS}`
  if (element.className !== className) element.className = className
  if (kind) {
    if (element.getAttribute('data-annotation-kind') !== kind) {
      element.setAttribute('data-annotation-kind', kind)
    }
  } else if (element.hasAttribute('data-annotation-kind')) {
    element.removeAttribute('data-annotation-kind')
  }
}

/** Annotation ids of the spans around a DOM node inside the editor, innermost first. */
export function annotationIdsAtDom(target: EventTarget | null, root: HTMLElement): string[] {
  const ids: string[] = []
  let element =
    target instanceof Element ? target : target instanceof Node ? target.parentElement : null
  while (element && element !== root && root.contains(element)) {
    const id = element.getAttribute('data-annotation-id')
    if (id && !ids.includes(id)) ids.push(id)
    element = element.parentElement
  }
  return ids
}

/** Annotation ids of the marks at a position (the text after it, else before it), innermost first. */
export function annotationIdsAt(state: EditorState, pos: number): string[] {
  const $pos = state.doc.resolve(pos)
  const marks = ($pos.nodeAfter?.marks.length ? $pos.nodeAfter.marks : $pos.nodeBefore?.marks) ?? []
  return marks
    .filter((mark) => mark.type.name === ANNOTATION_MARK && typeof mark.attrs.id === 'string')
    .map((mark) => mark.attrs.id as string)
    .reverse()
}

function annotationIdsInDoc(doc: PMNode): Set<string> {
  const ids = new Set<string>()
  doc.descendants((node) => {
    for (const mark of node.marks) {
      if (mark.type.name === ANNOTATION_MARK && typeof mark.attrs.id === 'string') {
        ids.add(mark.attrs.id)
      }
    }
  })
  return ids
}

function withoutMarks(fragment: Fragment, drop: (mark: Mark) => boolean): Fragment {
  const nodes: PMNode[] = []
  fragment.forEach((node) => {
    if (node.isText) nodes.push(node.mark(node.marks.filter((mark) => !drop(mark))))
    else nodes.push(node.copy(withoutMarks(node.content, drop)))
  })
  return Fragment.fromArray(nodes)
}

/** Positions of the DOM selection, when it lies in the editor. */
function domSelection(view: EditorView): { anchor: number; head: number } | null {
  const selection = view.dom.ownerDocument.getSelection()
  const anchorNode = selection?.anchorNode
  const focusNode = selection?.focusNode
  if (!selection || !anchorNode || !focusNode) return null
  if (!view.dom.contains(anchorNode) || !view.dom.contains(focusNode)) return null
  try {
    return {
      anchor: view.posAtDOM(anchorNode, selection.anchorOffset),
      head: view.posAtDOM(focusNode, selection.focusOffset),
    }
  } catch {
    return null
  }
}

/**
 * After a mouse selection: grow it to whole words, or (Shift or Alt held on
 * release) only to whole grapheme clusters, and remember a precise one so
 * that tagging keeps it as it is.
 */
function snapMouseSelection(view: EditorView, precise: boolean): void {
  if (view.isDestroyed || view.composing) return
  const positions = domSelection(view)
  if (!positions || positions.anchor === positions.head) return
  const { doc } = view.state
  const from = Math.min(positions.anchor, positions.head)
  const to = Math.max(positions.anchor, positions.head)
  const snapped = snapDocRange(doc, from, to, precise ? 'grapheme' : 'word')
  if (!snapped) return
  const backward = positions.head < positions.anchor
  const selection = backward
    ? TextSelection.create(doc, snapped.to, snapped.from)
    : TextSelection.create(doc, snapped.from, snapped.to)
  const tr = view.state.tr
  if (!selection.eq(view.state.selection)) tr.setSelection(selection)
  const meta: AnnotationViewMeta = { precise: precise ? snapped : null }
  view.dispatch(tr.setMeta(annotationViewKey, meta))
}

export interface AnnotationViewPluginOptions {
  document: Y.Doc | null
  events?: AnnotationViewEvents
}

export function annotationViewPlugin({ document, events }: AnnotationViewPluginOptions): Plugin {
  const registry = new MarkViewRegistry()
  let hovered: string | null = null

  const markView = (mark: Mark, view: EditorView): MarkView => {
    const id = typeof mark.attrs.id === 'string' ? mark.attrs.id : ''
    const dom = view.dom.ownerDocument.createElement('span')
    if (id) dom.setAttribute('data-annotation-id', id)
    const state = annotationViewKey.getState(view.state)
    paint(dom, state?.kinds.get(id), state?.active.has(id) ?? false)
    registry.add(id, dom)
    return {
      dom,
      // only our own class changes happen to this element's attributes
      ignoreMutation: (mutation: ViewMutationRecord) =>
        mutation.type === 'attributes' && mutation.target === dom,
      destroy: () => registry.remove(id, dom),
    }
  }

  return new Plugin<AnnotationViewState>({
    key: annotationViewKey,
    state: {
      init: () => ({
        kinds: document ? readKinds(document) : new Map(),
        active: new Set(),
        picking: false,
        precise: null,
      }),
      apply(tr, value) {
        const meta = tr.getMeta(annotationViewKey) as AnnotationViewMeta | undefined
        let next = value
        if (meta) {
          next = { ...value, ...meta }
          if (meta.kinds && sameKinds(meta.kinds, value.kinds)) next.kinds = value.kinds
          if (meta.active && sameSet(meta.active, value.active)) next.active = value.active
        }
        if (tr.docChanged && next.precise && !meta?.precise) next = { ...next, precise: null }
        return next
      },
    },
    props: {
      markViews: { [ANNOTATION_MARK]: markView },
      attributes: (state): Record<string, string> =>
        annotationViewKey.getState(state)?.picking ? { class: PICKING_CLASS } : {},
      handleDOMEvents: {
        mouseover: (view, event) => {
          const id = annotationIdsAtDom(event.target, view.dom)[0] ?? null
          if (id !== hovered) {
            hovered = id
            events?.onHover?.(id)
          }
          return false
        },
        mouseleave: () => {
          if (hovered !== null) {
            hovered = null
            events?.onHover?.(null)
          }
          return false
        },
        mouseup: (view, event) => {
          if (event.button !== 0) return false
          const precise = event.altKey || event.shiftKey
          // after the browser and ProseMirror have settled the selection
          setTimeout(() => snapMouseSelection(view, precise), 0)
          return false
        },
      },
      handleClick: (view, _pos, event) => {
        if (!annotationViewKey.getState(view.state)?.picking) return false
        events?.onPick?.(annotationIdsAtDom(event.target, view.dom))
        return true
      },
      handleKeyDown: (view, event) => {
        if (event.key !== 'Escape' || !annotationViewKey.getState(view.state)?.picking) return false
        events?.onPick?.(null)
        return true
      },
      transformPasted: (slice, view) => {
        // moving text by drag and drop keeps its annotations
        if (view.dragging?.move) return slice
        const kinds = annotationViewKey.getState(view.state)?.kinds ?? new Map()
        const present = annotationIdsInDoc(view.state.doc)
        // a copy of tagged text is not tagged again, and foreign marks have no entry here;
        // cut-and-paste restores the marks of an annotation whose text was cut
        const drop = (mark: Mark) =>
          mark.type.name === ANNOTATION_MARK &&
          (!kinds.has(mark.attrs.id as string) || present.has(mark.attrs.id as string))
        return new Slice(withoutMarks(slice.content, drop), slice.openStart, slice.openEnd)
      },
    },
    view(view) {
      const map = document ? annotationsMap(document) : null
      const show = (kinds: Map<string, AnnotationKind>) => {
        if (view.isDestroyed) return
        const meta: AnnotationViewMeta = { kinds }
        // dispatched even when no kind changed: undo state and listeners follow every change
        view.dispatch(view.state.tr.setMeta(annotationViewKey, meta))
      }
      const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
        if (!document) return
        const previous = annotationViewKey.getState(view.state)?.kinds
        show(previous ? updatedKinds(document, previous, events) : readKinds(document))
      }
      map?.observeDeep(onChange)
      // changes made while this view was being (re)created: everything may have changed
      if (
        document &&
        !sameKinds(readKinds(document), annotationViewKey.getState(view.state)?.kinds ?? new Map())
      ) {
        queueMicrotask(() => show(readKinds(document)))
      }
      return {
        update(current, previous) {
          const before = annotationViewKey.getState(previous)
          const after = annotationViewKey.getState(current.state)
          if (before && after && (before.kinds !== after.kinds || before.active !== after.active)) {
            registry.paint(repaintedIds(before, after), after)
          }
        },
        destroy() {
          map?.unobserveDeep(onChange)
        },
      }
    },
  })
}

/** The keyboard shortcut of each kind, in Tiptap notation: Mod-Alt-1 … Mod-Alt-4. */
export const ANNOTATION_SHORTCUTS: Readonly<Record<AnnotationKind, string>> = Object.fromEntries(
  ANNOTATION_KINDS.map((kind, index) => [kind, `Mod-Alt-${index + 1}`]),
) as Record<AnnotationKind, string>

export interface AnnotationViewOptions extends AnnotationViewPluginOptions {
  /** Author of annotations tagged with the keyboard shortcuts. */
  userId: string
}

/** The plugin above as a Tiptap extension, with the tagging shortcuts. */
export const AnnotationView = Extension.create<AnnotationViewOptions>({
  name: 'annotationView',

  addOptions() {
    return { document: null, userId: '' }
  },

  addKeyboardShortcuts() {
    const shortcuts: Record<string, () => boolean> = {}
    for (const kind of ANNOTATION_KINDS) {
      shortcuts[ANNOTATION_SHORTCUTS[kind]] = () => {
        const { document, userId, events } = this.options
        if (!document || !userId || !this.editor.isEditable) return false
        const text = taggableText(this.editor.state)
        const id = tagSelection(this.editor, { document, kind, author: userId })
        if (id) events?.onTagged?.({ id, kind, text })
        // handled either way: the combination must not type a character
        return true
      }
    }
    return shortcuts
  },

  addProseMirrorPlugins() {
    return [
      annotationViewPlugin({
        document: this.options.document,
        ...(this.options.events ? { events: this.options.events } : {}),
      }),
    ]
  },
})
