import type { AnnotationKind } from '@hashiya/annotations'
import {
  type AnnotationViewEvents,
  ARTICLE_EDITOR_OPTIONS,
  annotationElements,
  annotationIdsAt,
  annotationViewKey,
  articleExtensions,
  type CollabUser,
  editAnnotation,
  isChangeOrigin,
  linkAnnotation,
  type PresenceEntry,
  removeAnnotation,
  setActiveAnnotations,
  setPickingMode,
  taggableText,
  tagSelection,
} from '@hashiya/editor'
import type { Transaction } from '@tiptap/pm/state'
import { EditorContent, useEditor } from '@tiptap/react'
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { EntryActions } from '../annotations/AnnotationEntry.js'
import { AnnotationPanel, type PanelStatus } from '../annotations/AnnotationPanel.js'
import { clip } from '../annotations/filter.js'
import { SelectionToolbar } from '../annotations/SelectionToolbar.js'
import { formatShortcut } from '../annotations/shortcuts.js'
import { useAnnotations } from '../annotations/useAnnotations.js'
import type { CollabSession } from '../collab/session.js'
import { CompareView } from '../history/CompareView.js'
import { HistoryPanel } from '../history/HistoryPanel.js'
import { pointOfEvent } from '../history/logic.js'
import { TimeTravelView } from '../history/TimeTravelView.js'
import { useHistoryData } from '../history/useHistoryData.js'
import { useUserDirectory } from '../history/users.js'
import { CaretClearance } from '../lib/caretClearance.js'
import type { AuditEvent, Version } from '../lib/historyApi.js'
import type { DocumentCapabilities } from '../lib/permissions.js'
import { hideSelectionFromReact } from '../lib/reactSelection.js'
import { ExportMenu } from './ExportMenu.js'
import { TabList } from './TabList.js'
import { Toolbar } from './Toolbar.js'
import { useDirectory } from './UserDirectory.js'

interface ArticleEditorProps {
  session: CollabSession
  user: CollabUser
  /** Who is in the document (for authors' display names). */
  presence: readonly PresenceEntry[]
  /** The article title, shown above the editor. */
  title: ReactNode
  /** What this account may do here (read-only without `edit`). */
  capabilities: DocumentCapabilities
}

/** What the article column shows: the live editor, the article at a past point, or a comparison. */
type ArticleView =
  | { mode: 'live' }
  | { mode: 'at'; at: string; name: string | null }
  | { mode: 'compare'; from: string; to: string | null }

const SIDE_TABS = ['annotations', 'history'] as const
type SideTab = (typeof SIDE_TABS)[number]

const prefersReducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches

/** How long after a smooth scroll starts its end may still be corrected. */
const SCROLL_SETTLE_MS = 3_000
/** The person scrolling or clicking themselves: no correction after that. */
const USER_SCROLL_EVENTS = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const

/**
 * Brings a mark to the middle of the screen. The article only lays out the
 * paragraphs near the screen (see editor.css), so a smooth scroll aims at a
 * place computed from estimated heights, which the paragraphs it passes then
 * correct: a far jump is made at once, and a smooth one that ends away from
 * the mark is finished at once.
 */
function scrollToMark(element: HTMLElement): void {
  const view = element.ownerDocument.defaultView ?? window
  const { top, bottom } = element.getBoundingClientRect()
  const far = bottom < -view.innerHeight || top > 2 * view.innerHeight
  if (far || prefersReducedMotion()) {
    element.scrollIntoView({ block: 'center' })
    return
  }
  element.scrollIntoView({ block: 'center', behavior: 'smooth' })
  const started = performance.now()
  const stop = () => {
    view.removeEventListener('scrollend', settle)
    for (const type of USER_SCROLL_EVENTS) view.removeEventListener(type, stop, true)
  }
  const settle = () => {
    stop()
    if (performance.now() - started > SCROLL_SETTLE_MS || !element.isConnected) return
    const rect = element.getBoundingClientRect()
    if (rect.bottom < 0 || rect.top > view.innerHeight) element.scrollIntoView({ block: 'center' })
  }
  view.addEventListener('scrollend', settle)
  // once the person scrolls or clicks themselves, where the page ends up is theirs
  for (const type of USER_SCROLL_EVENTS) view.addEventListener(type, stop, true)
}

/**
 * The article body bound to the session's Y.Doc, with its annotations: the
 * selection toolbar that tags, and the panel beside the article that lists and
 * edits them. Mounted once the session has content (see
 * `SessionSnapshot.ready`), so typing never races the first sync.
 */
export function ArticleEditor({
  session,
  user,
  presence,
  title,
  capabilities,
}: ArticleEditorProps) {
  const { t, i18n } = useTranslation()
  const doc = session.doc
  const editable = capabilities.edit
  const directory = useDirectory()
  // built once per session; later name/colour changes are published through awareness
  const initialUser = useRef(user).current
  const label = t('editor.label')

  const { annotations, problems } = useAnnotations(doc)
  const [hoveredId, setHoveredId] = useState<string | null>(null)
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [pickingFor, setPickingFor] = useState<string | null>(null)
  const [status, setStatus] = useState<PanelStatus | null>(null)
  const [chosenTab, setSideTab] = useState<SideTab>('annotations')
  const [chosenView, setView] = useState<ArticleView>({ mode: 'live' })
  // without the history ability (or once it is gone) only the live article and its annotations
  const sideTab = capabilities.history ? chosenTab : 'annotations'
  const view: ArticleView = capabilities.history ? chosenView : { mode: 'live' }
  const historyData = useHistoryData(
    session.docId,
    doc,
    capabilities.history && (sideTab === 'history' || view.mode !== 'live'),
  )

  // the editor reports events through these; they always see the latest state
  const latest = useRef({ annotations, pickingFor })
  latest.current = { annotations, pickingFor }
  const handlers = useRef<Required<AnnotationViewEvents>>({
    onHover: () => {},
    onPick: () => {},
    onTagged: () => {},
  })
  const events = useMemo<AnnotationViewEvents>(
    () => ({
      onHover: (id) => handlers.current.onHover(id),
      onPick: (ids) => handlers.current.onPick(ids),
      onTagged: (id) => handlers.current.onTagged(id),
    }),
    [],
  )

  const editor = useEditor(
    {
      ...ARTICLE_EDITOR_OPTIONS,
      editable,
      extensions: [
        ...articleExtensions({
          document: doc,
          provider: session.provider,
          user: initialUser,
          placeholder: () => i18n.t('editor.placeholder'),
          annotationEvents: events,
        }),
        CaretClearance,
      ],
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

  // renders elsewhere on the page would otherwise walk the whole article first (see the module)
  useEffect(() => {
    if (editor.isDestroyed) return
    return hideSelectionFromReact(editor.view.dom)
  }, [editor])

  // a permission that changes while the document is open (shared, unshared, role changed)
  useEffect(() => {
    if (editor.isDestroyed || editor.isEditable === editable) return
    editor.setEditable(editable)
    if (!editable) setPickingFor(null)
  }, [editor, editable])

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

  const textOf = useCallback(
    (id: string) => clip(latest.current.annotations.find((a) => a.id === id)?.text ?? '', 40),
    [],
  )

  /** Runs a change to the annotations; a change that fails (e.g. deleted meanwhile) is reported. */
  const attempt = useCallback(
    (change: () => void): boolean => {
      // read only: the panel offers no changes, and none are made
      if (!editor.isEditable) return false
      try {
        change()
        return true
      } catch (error) {
        console.warn('[hashiya] annotation change failed', error)
        setStatus({ text: (t) => t('annotations.failed'), tone: 'error' })
        return false
      }
    },
    [editor],
  )

  /** Picking a claim from the text ends without one: its "not a claim" message goes too. */
  const cancelPicking = useCallback(() => {
    setPickingFor(null)
    setStatus(null)
  }, [])

  /** Selects a new tag's entry and says, for everyone and screen readers, what was tagged as what. */
  const announceTagged = useCallback((id: string, kind: AnnotationKind, text: string) => {
    setSelectedId(id)
    const shown = clip(text, 40)
    setStatus({
      text: (t) => t('annotations.tagged', { text: shown, kind: t(`annotations.kinds.${kind}`) }),
      tone: 'info',
    })
  }, [])

  const tag = useCallback(
    (kind: AnnotationKind) => {
      if (!editor.isEditable) return
      const text = taggableText(editor.state)
      const id = tagSelection(editor, { document: doc, kind, author: initialUser.id })
      if (!id) return
      // reached by the keyboard, the toolbar's button has the focus and goes with the
      // selection: back to the text, the caret after the tag, where typing goes on
      if (!editor.view.hasFocus()) editor.view.focus()
      announceTagged(id, kind, text)
    },
    [editor, doc, initialUser.id, announceTagged],
  )

  // the annotation the pointer is on in the text (the panel's entries report their own)
  const hoveredInText = useRef<string | null>(null)
  handlers.current = {
    onHover: (id) => {
      const previous = hoveredInText.current
      hoveredInText.current = id
      // leaving the text for an entry: the entry's hover comes first and stays
      setHoveredId((current) => id ?? (current === previous ? null : current))
    },
    onTagged: ({ id, kind, text }) => announceTagged(id, kind, text),
    onPick: (ids) => {
      const source = latest.current.pickingFor
      if (!source || !editor.isEditable) return
      if (ids === null) {
        cancelPicking()
        return
      }
      const kinds = annotationViewKey.getState(editor.state)?.kinds
      const claim = ids.find((id) => id !== source && kinds?.get(id) === 'claim')
      if (!claim) {
        setStatus({ text: (t) => t('annotations.notAClaim'), tone: 'error' })
        return
      }
      if (attempt(() => linkAnnotation(editor, doc, source, claim, true, initialUser.id))) {
        const claimText = textOf(claim)
        setStatus({ text: (t) => t('annotations.linked', { text: claimText }), tone: 'info' })
      }
      setPickingFor(null)
      setSelectedId(source)
    },
  }

  // the caret inside an annotation selects it (the innermost one)
  useEffect(() => {
    const onSelection = ({ transaction }: { transaction: Transaction }) => {
      if (isChangeOrigin(transaction)) return
      const { selection } = editor.state
      if (!selection.empty) return
      setSelectedId(annotationIdsAt(editor.state, selection.head)[0] ?? null)
    }
    editor.on('selectionUpdate', onSelection)
    return () => {
      editor.off('selectionUpdate', onSelection)
    }
  }, [editor])

  useEffect(() => {
    const active = [hoveredId, selectedId].filter((id): id is string => id !== null)
    setActiveAnnotations(editor, active)
  }, [editor, hoveredId, selectedId])

  useEffect(() => {
    setPickingMode(editor, pickingFor !== null)
    if (pickingFor === null) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') cancelPicking()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [editor, pickingFor, cancelPicking])

  // undo and redo also work when nothing has focus (after tagging from the toolbar)
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = document.activeElement
      if (target && target !== document.body) return
      if (!editor.isEditable) return
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return
      const key = event.key.toLowerCase()
      const redo = key === 'y' || (key === 'z' && event.shiftKey)
      if (key !== 'z' && key !== 'y') return
      event.preventDefault()
      if (redo) editor.commands.redo()
      else editor.commands.undo()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [editor])

  // an annotation deleted (here or by a colleague) is no longer hovered, selected or picking;
  // one just tagged, not yet read back, is kept
  const listedIds = useRef<ReadonlySet<string>>(new Set())
  useEffect(() => {
    const before = listedIds.current
    const now = new Set(annotations.map((a) => a.id))
    listedIds.current = now
    const gone = (id: string | null) => id !== null && before.has(id) && !now.has(id)
    setHoveredId((id) => (gone(id) ? null : id))
    setSelectedId((id) => (gone(id) ? null : id))
    setPickingFor((id) => (gone(id) ? null : id))
  }, [annotations])

  const actions = useMemo<EntryActions & { stopPicking(): void }>(
    () => ({
      goTo: (id) => {
        setSelectedId(id)
        const mark = annotationElements(editor, id)[0]
        if (mark) scrollToMark(mark)
      },
      select: setSelectedId,
      hover: setHoveredId,
      setKind: (id, kind) => {
        attempt(() => editAnnotation(editor, doc, id, { kind }, initialUser.id))
      },
      setNote: (id, note) => {
        attempt(() => editAnnotation(editor, doc, id, { note }, initialUser.id))
      },
      setSpeaker: (id, speaker) => {
        attempt(() => editAnnotation(editor, doc, id, { speaker }, initialUser.id))
      },
      link: (id, claimId, linked) => {
        const done = attempt(() => linkAnnotation(editor, doc, id, claimId, linked, initialUser.id))
        if (done && linked) {
          const claimText = textOf(claimId)
          setStatus({ text: (t) => t('annotations.linked', { text: claimText }), tone: 'info' })
        }
      },
      togglePicking: (id) => {
        setStatus(null)
        setPickingFor((current) => (current === id ? null : id))
      },
      stopPicking: cancelPicking,
      remove: (id) => {
        if (attempt(() => removeAnnotation(editor, doc, id))) {
          setStatus({
            text: (t) => t('annotations.deleted', { shortcut: formatShortcut('Mod-z') }),
            tone: 'info',
          })
        }
      },
    }),
    [editor, doc, initialUser.id, attempt, textOf, cancelPicking],
  )

  // display names of authors: the newsroom's directory, else who is present
  const names = useMemo(() => {
    const map = new Map(presence.map((entry) => [entry.id, entry.name]))
    for (const [id, name] of directory.names) map.set(id, name)
    if (user.name) map.set(user.id, user.name)
    return map
  }, [presence, directory.names, user.id, user.name])

  const self = useMemo(
    () => ({ id: user.id, name: user.name, color: user.color }),
    [user.id, user.name, user.color],
  )
  const users = useUserDirectory(presence, self)

  const openEvent = (event: AuditEvent) => {
    if (annotations.some((annotation) => annotation.id === event.annotationId)) {
      setView({ mode: 'live' })
      // after the live article is shown again
      requestAnimationFrame(() => actions.goTo(event.annotationId))
    } else {
      setView({ mode: 'at', at: pointOfEvent(event), name: null })
    }
  }
  const openVersion = (version: Version) =>
    setView({ mode: 'at', at: version.id, name: version.auto ? null : version.name })
  const compareVersion = (version: Version) =>
    setView({ mode: 'compare', from: version.id, to: null })
  return (
    <div className="workspace">
      <div className="editor-column">
        <div className="article-head">
          {title}
          {!editable && (
            <span
              className="badge badge--readonly"
              data-testid="read-only-badge"
              title={t('editor.readOnlyHint')}
            >
              <LockIcon />
              {t('editor.readOnly')}
            </span>
          )}
          {capabilities.export && (
            <ExportMenu
              docId={session.docId}
              at={view.mode === 'at' ? view.at : null}
              pointName={view.mode === 'at' ? view.name : null}
            />
          )}
        </div>
        {view.mode === 'at' && (
          <TimeTravelView
            docId={session.docId}
            canRestore={capabilities.restore}
            at={view.at}
            name={view.name}
            onExit={() => setView({ mode: 'live' })}
            onCompare={() => setView({ mode: 'compare', from: view.at, to: null })}
            onRestored={() => {
              setView({ mode: 'live' })
              historyData.reloadVersions()
            }}
          />
        )}
        {view.mode === 'compare' && (
          <CompareView
            docId={session.docId}
            versions={historyData.versions}
            from={view.from}
            to={view.to}
            users={users}
            onChange={(from, to) => setView({ mode: 'compare', from, to })}
            onExit={() => setView({ mode: 'live' })}
          />
        )}
        <div
          className={`article${pickingFor ? ' article--picking' : ''}`}
          hidden={view.mode !== 'live'}
        >
          {editable && <Toolbar editor={editor} />}
          <div className="article__page">
            <EditorContent editor={editor} className="article__content" />
          </div>
          <SelectionToolbar editor={editor} onTag={tag} />
        </div>
      </div>
      <div className="side-panel">
        {capabilities.history && (
          <TabList
            tabs={SIDE_TABS}
            selected={sideTab}
            onSelect={setSideTab}
            label={t('history.sidePanel')}
            className="side-tabs"
            tabClassName="side-tabs__tab"
            tabId={(tab) => `side-tab-${tab}`}
            panelId={(tab) => `side-panel-${tab}`}
            testId={(tab) => `${tab}-tab`}
          >
            {(tab) => (tab === 'annotations' ? t('annotations.panelTitle') : t('history.tab'))}
          </TabList>
        )}
        <div
          // a tab panel when there are tabs (the history tab is only there for reviewers)
          {...(capabilities.history
            ? { role: 'tabpanel', 'aria-labelledby': 'side-tab-annotations' }
            : {})}
          id="side-panel-annotations"
          className="side-panel__pane"
          hidden={sideTab !== 'annotations'}
        >
          <AnnotationPanel
            annotations={annotations}
            problems={problems}
            names={names}
            selfId={user.id}
            activeId={hoveredId}
            selectedId={selectedId}
            pickingFor={pickingFor}
            status={status}
            actions={actions}
            readOnly={!editable}
          />
        </div>
        {sideTab === 'history' && (
          <div role="tabpanel" id="side-panel-history" aria-labelledby="side-tab-history">
            <HistoryPanel
              docId={session.docId}
              canSaveVersion={capabilities.saveVersion}
              refreshKey={historyData.refreshKey}
              userIds={historyData.userIds}
              versions={historyData.versions}
              versionsFailed={historyData.versionsFailed}
              users={users}
              currentAt={view.mode === 'at' ? view.at : null}
              onVersionsChanged={historyData.reloadVersions}
              onOpenEvent={openEvent}
              onOpenVersion={openVersion}
              onCompareVersion={compareVersion}
            />
          </div>
        )}
      </div>
    </div>
  )
}

function LockIcon() {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M7 11V8a5 5 0 0 1 10 0v3M6 11h12v9H6z"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
