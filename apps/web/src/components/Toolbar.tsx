import type { HeadingLevel } from '@hashiya/editor'
import type { Editor } from '@tiptap/core'
import { useEditorState } from '@tiptap/react'
import { useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useStickyOffset } from './useStickyOffset.js'

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

function shortcut(text: string): string {
  return IS_MAC ? text.replace('Ctrl', '⌘') : text
}

/** Undo/redo (own changes only, via y-undo) and the block type of the current paragraph. */
export function Toolbar({ editor }: { editor: Editor }) {
  const { t } = useTranslation()
  const bar = useRef<HTMLDivElement>(null)
  useStickyOffset(bar, '--toolbar-offset')
  const state = useEditorState({
    editor,
    selector: ({ editor: current }) => ({
      canUndo: current.can().undo(),
      canRedo: current.can().redo(),
      paragraph: current.isActive('paragraph'),
      heading2: current.isActive('heading', { level: 2 }),
      heading3: current.isActive('heading', { level: 3 }),
      editable: current.isEditable,
    }),
  })

  const setHeading = (level: HeadingLevel) => editor.chain().focus().setHeading({ level }).run()
  const undoLabel = `${t('editor.undo')} (${shortcut(t('editor.shortcutUndo'))})`
  const redoLabel = `${t('editor.redo')} (${shortcut(t('editor.shortcutRedo'))})`

  return (
    <div className="toolbar" role="toolbar" aria-label={t('editor.toolbar')} ref={bar}>
      <div className="toolbar__group">
        <button
          type="button"
          className="button button--tool"
          onClick={() => editor.chain().focus().undo().run()}
          disabled={!state.canUndo}
          aria-label={undoLabel}
          title={undoLabel}
          data-testid="undo"
        >
          <UndoIcon />
        </button>
        <button
          type="button"
          className="button button--tool"
          onClick={() => editor.chain().focus().redo().run()}
          disabled={!state.canRedo}
          aria-label={redoLabel}
          title={redoLabel}
          data-testid="redo"
        >
          <UndoIcon flipped />
        </button>
      </div>
      <div className="toolbar__separator" aria-hidden="true" />
      <div className="toolbar__group">
        <button
          type="button"
          className="button button--tool button--text"
          aria-pressed={state.paragraph}
          disabled={!state.editable}
          onClick={() => editor.chain().focus().setParagraph().run()}
        >
          {t('editor.paragraph')}
        </button>
        <button
          type="button"
          className="button button--tool button--text"
          aria-pressed={state.heading2}
          disabled={!state.editable}
          onClick={() => setHeading(2)}
        >
          {t('editor.heading2')}
        </button>
        <button
          type="button"
          className="button button--tool button--text"
          aria-pressed={state.heading3}
          disabled={!state.editable}
          onClick={() => setHeading(3)}
        >
          {t('editor.heading3')}
        </button>
      </div>
    </div>
  )
}

/**
 * A curved arrow. Undo points against the reading direction's "forward": the
 * icon is mirrored in right-to-left pages by CSS (`.icon--directional`).
 */
function UndoIcon({ flipped = false }: { flipped?: boolean }) {
  return (
    <svg
      className={`icon icon--directional${flipped ? ' icon--flipped' : ''}`}
      viewBox="0 0 24 24"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
