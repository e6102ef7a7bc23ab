/**
 * Binding the editor to a shared Y.Doc: Collaboration (sync + per-user undo via
 * y-undo) on the article body, and CollaborationCaret for remote carets.
 */
import { BODY_FIELD } from '@hashiya/document'
import type { Extensions } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import type { Awareness } from 'y-protocols/awareness'
import type * as Y from 'yjs'
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
}

/** Every extension of the collaborative article editor. */
export function articleExtensions(options: ArticleEditorOptions): Extensions {
  return [
    ...articleSchemaExtensions(options),
    Collaboration.configure({
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
