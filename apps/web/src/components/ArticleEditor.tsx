import { ARTICLE_EDITOR_OPTIONS, articleExtensions, type CollabUser } from '@hashiya/editor'
import { EditorContent, useEditor } from '@tiptap/react'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { CollabSession } from '../collab/session.js'
import { Toolbar } from './Toolbar.js'

interface ArticleEditorProps {
  session: CollabSession
  user: CollabUser
}

/**
 * The article body bound to the session's Y.Doc. Mounted once the session has
 * content (see `SessionSnapshot.ready`), so typing never races the first sync.
 */
export function ArticleEditor({ session, user }: ArticleEditorProps) {
  const { t, i18n } = useTranslation()
  // built once per session; later name/colour changes are published through awareness
  const initialUser = useRef(user).current
  const label = t('editor.label')

  const editor = useEditor(
    {
      ...ARTICLE_EDITOR_OPTIONS,
      extensions: articleExtensions({
        document: session.doc,
        provider: session.provider,
        user: initialUser,
        placeholder: () => i18n.t('editor.placeholder'),
      }),
      editorProps: {
        attributes: {
          class: 'article-body',
          lang: 'ar',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': label,
          'data-testid': 'editor',
          spellcheck: 'true',
        },
      },
    },
    [session],
  )

  // follow the UI language without rebuilding the editor (which would drop the undo history)
  useEffect(() => {
    if (editor.isDestroyed) return
    const { editorProps } = editor.options
    const attributes = typeof editorProps.attributes === 'object' ? editorProps.attributes : {}
    // setOptions also redraws decorations, so the placeholder changes language too
    editor.setOptions({
      editorProps: { ...editorProps, attributes: { ...attributes, 'aria-label': label } },
    })
  }, [editor, label])

  return (
    <div className="article">
      <Toolbar editor={editor} />
      <div className="article__page">
        <EditorContent editor={editor} className="article__content" />
      </div>
    </div>
  )
}
