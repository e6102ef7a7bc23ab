import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { forgetLocalCopy } from '../collab/localCopy.js'
import { AppHeader } from '../components/AppHeader.js'
import { ConfirmDialog } from '../components/ConfirmDialog.js'
import { DocumentRow } from '../components/DocumentRow.js'
import { useIdentity } from '../components/IdentityContext.js'
import { NewDocumentForm } from '../components/NewDocumentForm.js'
import { useDocumentTitle } from '../components/useDocumentTitle.js'
import { type DocumentSummary, deleteDocument, listDocuments } from '../lib/api.js'
import { errorMessage } from '../lib/errors.js'

type ListState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; documents: DocumentSummary[] }

function newestFirst(a: DocumentSummary, b: DocumentSummary): number {
  return b.updatedAt.localeCompare(a.updatedAt)
}

export function DocumentListPage() {
  const { t } = useTranslation()
  const { store } = useIdentity()
  useDocumentTitle(t('list.pageTitle'))
  const [state, setState] = useState<ListState>({ kind: 'loading' })
  const [toDelete, setToDelete] = useState<DocumentSummary | null>(null)
  const [deleting, setDeleting] = useState(false)
  const [deleteError, setDeleteError] = useState('')
  const [announcement, setAnnouncement] = useState('')

  const load = useCallback(
    (signal?: AbortSignal) => {
      setState({ kind: 'loading' })
      listDocuments(signal).then(
        (documents) => setState({ kind: 'ready', documents: [...documents].sort(newestFirst) }),
        (error: unknown) => {
          if (signal?.aborted) return
          setState({ kind: 'error', message: errorMessage(error, t) })
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

  function replace(document: DocumentSummary) {
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
      void forgetLocalCopy(store, deleted.id)
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
        <div className="list-layout">
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
            </div>
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
              <p className="empty">{t('list.empty')}</p>
            )}
            {state.kind === 'ready' && state.documents.length > 0 && (
              <ul className="document-list" data-testid="document-list">
                {state.documents.map((document) => (
                  <DocumentRow
                    key={document.id}
                    document={document}
                    onRenamed={replace}
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
          <NewDocumentForm />
        </div>
      </main>
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
