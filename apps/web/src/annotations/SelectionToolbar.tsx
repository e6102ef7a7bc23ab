import { ANNOTATION_KINDS, type AnnotationKind } from '@hashiya/annotations'
import { ANNOTATION_SHORTCUTS, annotationViewKey } from '@hashiya/editor'
import type { Editor } from '@tiptap/core'
import { BubbleMenu, type BubbleMenuProps } from '@tiptap/react/menus'
import { useTranslation } from 'react-i18next'
import { KindIcon } from './KindIcon.js'
import { formatShortcut } from './shortcuts.js'

type ShouldShow = NonNullable<BubbleMenuProps['shouldShow']>

/** Shown over a non-empty selection of text, while the editor (or this bar) has focus. */
const shouldShow: ShouldShow = ({ editor, view, state, from, to, element }) => {
  if (!editor.isEditable || state.selection.empty) return false
  if (annotationViewKey.getState(state)?.picking) return false
  const focused = view.hasFocus() || element.contains(document.activeElement)
  return focused && state.doc.textBetween(from, to, ' ', ' ').trim().length > 0
}

const FLOATING_OPTIONS: BubbleMenuProps['options'] = {
  placement: 'top',
  offset: 8,
  flip: true,
  shift: { padding: 8 },
}

/** The four kinds, over the selection: one click (or Ctrl/⌘+Alt+1…4) tags it. */
export function SelectionToolbar({
  editor,
  onTag,
}: {
  editor: Editor
  onTag: (kind: AnnotationKind) => void
}) {
  const { t } = useTranslation()
  return (
    <BubbleMenu
      editor={editor}
      shouldShow={shouldShow}
      options={FLOATING_OPTIONS}
      className="selection-toolbar"
      data-testid="selection-toolbar"
      role="toolbar"
      aria-label={t('annotations.toolbar')}
    >
      {ANNOTATION_KINDS.map((kind) => {
        const label = t(`annotations.kinds.${kind}`)
        const hint = t('annotations.tagAs', {
          kind: label,
          shortcut: formatShortcut(ANNOTATION_SHORTCUTS[kind]),
        })
        return (
          <button
            key={kind}
            type="button"
            className={`tag-button tag-button--${kind}`}
            data-testid={`tag-${kind}`}
            title={`${hint}\n${t('annotations.snapHint')}`}
            aria-label={hint}
            // a pointer leaves the focus in the text, as in a word processor's toolbar: the
            // caret stays on colleagues' screens and typing goes on after the tag
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onTag(kind)}
          >
            <KindIcon kind={kind} size={16} />
            <span>{label}</span>
          </button>
        )
      })}
    </BubbleMenu>
  )
}
