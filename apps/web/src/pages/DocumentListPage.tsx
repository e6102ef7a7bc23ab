import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { forgetLocalCopy } from '../collab/localCopy.js'
import { AppHeader } from '../components/AppHeader.js'
import { useSession } from '../components/AuthContext.js'
import { BatchExport } from '../components/BatchExport.js'
import { ConfirmDialog } from '../components/ConfirmDialog.js'
import { DocumentRow } from '../components/DocumentRow.js'
import { useIdentity } from '../components/IdentityContext.js'
import { ImportDialog } from '../components/ImportDialog.js'
import { NewDocumentForm } from '../components/NewDocumentForm.js'
import { useDocumentTitle } from '../components/useDocumentTitle.js'
import { useWhenShownAgain } from '../components/useWhenShownAgain.js'
import { type DocumentSummary, deleteDocument, listDocuments } from '../lib/api.js'
import { errorMessage } from '../lib/errors.js'
import { listCapabilities } from '../lib/permissions.js'
import { preloadEditor } from './EditorRoute.js'

type ListState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; documents: DocumentSummary[] }

/** The list is asked again when the page is shown again, at most this often. */
const LIST_REFRESH_MS = 5000

function newestFirst(a: DocumentSummary, b: DocumentSummary): number {
  return b.updatedAt.localeCompare(a.updatedAt)
}

export function DocumentListPage() {
  const { t } = useTranslation()
  const { store, identity } = useIdentity()
  const { abilities } = useSession()
  const can = listCapabilities(abilities)
  useDocumentTitle(t('list.pageTitle'))
  const [state, setState] = useState<ListState>({ kind: 'loading' })
  const [toDelete, setToDelete] = useState<DocumentSummary | null>(null)
  const [deleting, setDeleting] = useState(false)
  const [deleteError, setDeleteError] = useState('')
  const [announcement, setAnnouncement] = useState('')
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [importing, setImporting] = useState(false)

  // Answers to a load started before a newer load or a change made here (a
  // rename, a deletion) are out of date: they would bring a deleted row back.
  const generation = useRef(0)
  const load = useCallback(
    (signal?: AbortSignal, quiet = false) => {
      const asked = ++generation.current
      // a quiet reload keeps the list (and its selection) on screen while it asks, and if it fails
      setState((current) => (quiet && current.kind === 'ready' ? current : { kind: 'loading' }))
      listDocuments(signal).then(
        (documents) => {
          if (asked !== generation.current) return
          setState({ kind: 'ready', documents: [...documents].sort(newestFirst) })
        },
        (error: unknown) => {
          if (signal?.aborted || asked !== generation.current) return
          setState((current) =>
            quiet && current.kind === 'ready'
              ? current
              : { kind: 'error', message: errorMessage(error, t) },
          )
        },
      )
    },
    [t],
  )

  useEffect(() => {
    const controller = new AbortController()
    load(controller.signal)
    return () => controller.abort()
  }, [load])

  // a document opened next (perhaps after the network has gone) opens without fetching code
  useEffect(preloadEditor, [])

  // shared, created or deleted elsewhere while the page was out of view
  useWhenShownAgain(() => {
    load(undefined, true)
    return true
  }, LIST_REFRESH_MS)

  // documents that are gone (deleted here or elsewhere) are no longer selected
  const documents = state.kind === 'ready' ? state.documents : null
  useEffect(() => {
    if (!documents) return
    const ids = new Set(documents.map((d) => d.id))
    setSelected((current) => {
      const kept = [...current].filter((id) => ids.has(id))
      return kept.length === current.size ? current : new Set(kept)
    })
  }, [documents])

  function select(document: DocumentSummary, on: boolean) {
    setSelected((current) => {
      const next = new Set(current)
      if (on) next.add(document.id)
      else next.delete(document.id)
      return next
    })
  }

  function replace(document: DocumentSummary) {
    generation.current += 1
    setState((current) =>
      current.kind === 'ready'
        ? {
            kind: 'ready',
            documents: current.documents
              .map((existing) => (existing.id === document.id ? document : existing))
              .sort(newestFirst),
          }
        : current,
    )
    setAnnouncement(t('list.renamed', { title: document.title }))
  }

  async function confirmDelete() {
    if (!toDelete) return
    setDeleting(true)
    setDeleteError('')
    try {
      await deleteDocument(toDelete.id)
      const deleted = toDelete
      void forgetLocalCopy(store, identity.id, deleted.id)
      generation.current += 1
      setState((current) =>
        current.kind === 'ready'
          ? { kind: 'ready', documents: current.documents.filter((d) => d.id !== deleted.id) }
          : current,
      )
      setAnnouncement(t('list.deleted', { title: deleted.title }))
      setToDelete(null)
    } catch (error) {
      setDeleteError(errorMessage(error, t))
    } finally {
      setDeleting(false)
    }
  }

  return (
    <>
      <AppHeader />
      <main id="main" className="page page--list" tabIndex={-1}>
        <div className={`list-layout${can.create ? '' : ' list-layout--single'}`}>
          <section className="documents" aria-labelledby="documents-heading">
            <div className="documents__head">
              <h1 id="documents-heading" className="page__title">
                {t('list.title')}
              </h1>
              {state.kind === 'ready' && (
                <span className="documents__count">
                  {t('list.count', { count: state.documents.length })}
                </span>
              )}
              {can.import && (
                <button
                  type="button"
                  className="button documents__import"
                  aria-haspopup="dialog"
                  onClick={() => setImporting(true)}
                  data-testid="import-open"
                >
                  {t('import.open')}
                </button>
              )}
            </div>
            {can.batchExport && state.kind === 'ready' && state.documents.length > 0 && (
              <BatchExport
                documents={state.documents}
                selected={selected}
                onSelectAll={(on) =>
                  setSelected(on ? new Set(state.documents.map((d) => d.id)) : new Set())
                }
              />
            )}
            {state.kind === 'loading' && (
              <p className="message message--info" role="status">
                {t('list.loading')}
              </p>
            )}
            {state.kind === 'error' && (
              <div className="message message--error" role="alert">
                <p>{state.message}</p>
                <button type="button" className="button" onClick={() => load()}>
                  {t('list.retry')}
                </button>
              </div>
            )}
            {state.kind === 'ready' && state.documents.length === 0 && (
              <p className="empty">{can.create ? t('list.empty') : t('list.emptyShared')}</p>
            )}
            {state.kind === 'ready' && state.documents.length > 0 && (
              <ul className="document-list" data-testid="document-list">
                {state.documents.map((document) => (
                  <DocumentRow
                    key={document.id}
                    document={document}
                    onRenamed={replace}
                    selectable={can.batchExport}
                    selected={selected.has(document.id)}
                    onSelectedChange={select}
                    onDeleteRequest={(target) => {
                      setDeleteError('')
                      setToDelete(target)
                    }}
                  />
                ))}
              </ul>
            )}
            <p className="visually-hidden" role="status" aria-live="polite">
              {announcement}
            </p>
          </section>
          {can.create && <NewDocumentForm />}
        </div>
      </main>
      {can.import && (
        <ImportDialog
          open={importing}
          onClose={() => setImporting(false)}
          onImported={(result) => {
            setAnnouncement(
              t('import.done', { title: result.document.title || t('list.untitled') }),
            )
            load(undefined, true)
          }}
        />
      )}
      <ConfirmDialog
        open={toDelete !== null}
        title={t('list.confirmDeleteTitle')}
        confirmLabel={t('list.confirmDelete')}
        cancelLabel={t('user.cancel')}
        busy={deleting}
        onConfirm={() => void confirmDelete()}
        onCancel={() => {
          if (!deleting) setToDelete(null)
        }}
      >
        <p>{t('list.confirmDeleteBody', { title: toDelete?.title ?? '' })}</p>
        {deleteError && (
          <p className="message message--error" role="alert">
            {deleteError}
          </p>
        )}
      </ConfirmDialog>
    </>
  )
}
