/**
 * Binding the editor to a shared Y.Doc: Collaboration (sync + per-user undo) on
 * the article body, CollaborationCaret for remote carets, and the annotation
 * view.
 *
 * Undo: Tiptap's Collaboration passes `yUndoOptions` to y-tiptap's undo plugin,
 * which uses `yUndoOptions.undoManager` when one is given instead of creating
 * one for the body alone. `ArticleCollaboration` gives it an undo manager whose
 * scope is the body fragment AND the annotations Y.Map, tracking y-tiptap's
 * sync origin (the user's edits in the editor) and `ANNOTATION_ORIGIN` (the
 * user's annotation actions): one history for everything this person did,
 * never undoing what others did. The manager is created when the editor
 * creates its plugins, so one belongs to each editor (building the extension
 * list, which React does on every render, creates none).
 *
 * y-tiptap's sync plugin is wrapped (`lighterSyncPlugin`) so that what a
 * keystroke costs does not grow with the length of the article, and y-tiptap
 * 3.0.9 itself is patched (`patches/@tiptap__y-tiptap@3.0.9.patch`, pinned):
 * a colleague's keystroke rebuilds its paragraph, not the document; a
 * transaction that leaves the document node as it was is not diffed against
 * Yjs; remote carets are redrawn for other clients' awareness only; a
 * keystroke does not look for moved paragraphs. editor.test.ts checks the
 * first three against the released behaviour.
 */
import { annotationsMap } from '@hashiya/annotations'
import { BODY_FIELD } from '@hashiya/document'
import type { Extensions } from '@tiptap/core'
import Collaboration, { type CollaborationOptions } from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { Plugin } from '@tiptap/pm/state'
import type { EditorView } from '@tiptap/pm/view'
import { defaultDeleteFilter, defaultProtectedNodes, ySyncPluginKey } from '@tiptap/y-tiptap'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { ANNOTATION_ORIGIN } from './annotations/actions.js'
import { AnnotationView, type AnnotationViewEvents } from './annotations/view.js'
import { renderCaret, renderSelection } from './caret.js'
import { type ArticleSchemaOptions, articleSchemaExtensions } from './schema.js'
import type { CollabUser } from './user.js'

/** What CollaborationCaret needs from a provider (y-websocket's WebsocketProvider has it). */
export interface AwarenessProvider {
  awareness: Awareness
}

export interface ArticleEditorOptions extends ArticleSchemaOptions {
  /** The shared document, created with `createYDoc()` (gc off). */
  document: Y.Doc
  provider: AwarenessProvider
  user: CollabUser
  /** Hovering, picking and keyboard tagging of annotations. */
  annotationEvents?: AnnotationViewEvents
}

/**
 * The undo manager of one article editor: the body and the annotations, own
 * changes only, with y-tiptap's rules for what an undo may delete and which
 * transactions count.
 */
export function createArticleUndoManager(
  document: Y.Doc,
  fragment: Y.XmlFragment = document.getXmlFragment(BODY_FIELD),
): Y.UndoManager {
  return new Y.UndoManager([fragment, annotationsMap(document)], {
    trackedOrigins: new Set<unknown>([ySyncPluginKey, ANNOTATION_ORIGIN]),
    deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
    captureTransaction: (transaction) => transaction.meta.get('addToHistory') !== false,
  })
}

/**
 * y-tiptap's sync plugin, without a cost that grows with the article: it
 * rebuilds the whole ProseMirror document from Yjs each time its plugin view
 * is created, and ProseMirror re-creates every plugin view whenever the
 * editor's plugin set changes, e.g. when a menu registers its plugin after the
 * editor mounted. The rebuilt nodes are equal to those on screen but not the
 * same objects, and ProseMirror keeps the drawn ones for equal nodes: from then
 * on every transaction compares every paragraph deeply (6 ms per keystroke at
 * 100,000 words), and the rebuild itself takes hundreds of milliseconds. Only
 * an editor view's first plugin view needs the rebuild: y-tiptap keeps its node
 * mapping current after that.
 *
 * Its view still runs after every transaction, also those that leave the
 * document as it was: y-tiptap skips writing while it applies a remote change
 * and relies on the next transaction, whatever it is, to write what it
 * skipped; skipping those would leave a local edit unsent until the next one.
 */
function lighterSyncPlugin(syncPlugin: Plugin): Plugin {
  const createView = syncPlugin.spec.view
  if (!createView) return syncPlugin
  const rendered = new WeakSet<EditorView>()
  const firstOrLaterView = (view: EditorView) => {
    const binding = ySyncPluginKey.getState(view.state)?.binding as
      | { _forceRerender?: () => void }
      | undefined
    if (!rendered.has(view) || typeof binding?._forceRerender !== 'function') {
      rendered.add(view)
      return createView(view)
    }
    const rerender = binding._forceRerender
    binding._forceRerender = () => {}
    try {
      return createView(view)
    } finally {
      binding._forceRerender = rerender
    }
  }
  return new Plugin({ ...syncPlugin.spec, view: firstOrLaterView })
}

interface ArticleCollaborationStorage {
  isDisabled: boolean
  undoManager: Y.UndoManager | null
}

/** Collaboration with one undo history over the body and the annotations. */
export const ArticleCollaboration = Collaboration.extend<
  CollaborationOptions,
  ArticleCollaborationStorage
>({
  addStorage() {
    return { isDisabled: false, undoManager: null }
  },

  addProseMirrorPlugins() {
    const { document, fragment, field } = this.options
    const parentPlugins = Collaboration.config.addProseMirrorPlugins
    if (!document || !parentPlugins) return this.parent?.() ?? []
    const undoManager = createArticleUndoManager(
      document,
      fragment ?? document.getXmlFragment(field),
    )
    this.storage.undoManager = undoManager
    // Collaboration's own plugins, given the undo manager through its options
    const plugins = parentPlugins.call({
      ...this,
      options: { ...this.options, yUndoOptions: { ...this.options.yUndoOptions, undoManager } },
    }) as Plugin[]
    return plugins.map((plugin) =>
      plugin.spec.key === ySyncPluginKey ? lighterSyncPlugin(plugin) : plugin,
    )
  },

  onDestroy() {
    // y-tiptap destroys the manager with the editor, but Y.UndoManager leaves
    // its doc 'destroy' listener behind, which would keep it alive with the doc
    const undoManager = this.storage.undoManager
    if (undoManager) {
      undoManager.doc.off('destroy', undoManager.destroy)
      this.storage.undoManager = null
    }
  },
})

/** Every extension of the collaborative article editor. */
export function articleExtensions(options: ArticleEditorOptions): Extensions {
  return [
    ...articleSchemaExtensions(options),
    ArticleCollaboration.configure({
      document: options.document,
      field: BODY_FIELD,
      provider: options.provider,
    }),
    CollaborationCaret.configure({
      provider: options.provider,
      user: { ...options.user },
      render: renderCaret,
      selectionRender: renderSelection,
    }),
    AnnotationView.configure({
      document: options.document,
      userId: options.user.id,
      ...(options.annotationEvents ? { events: options.annotationEvents } : {}),
    }),
  ]
}

/**
 * Editor options every Hashiya article editor uses: articles are Arabic (right to
 * left), and Tiptap's base styles come from `@hashiya/editor/styles.css` instead
 * of a <style> element injected at runtime (which a strict CSP would block).
 */
export const ARTICLE_EDITOR_OPTIONS = {
  textDirection: 'rtl',
  injectCSS: false,
} as const
