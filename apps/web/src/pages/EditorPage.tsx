import { isValidDocumentId } from '@hashiya/document'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { useCollabSession, useSessionSnapshot } from '../collab/useCollabSession.js'
import { AppHeader } from '../components/AppHeader.js'
import { ArticleEditor } from '../components/ArticleEditor.js'
import { ConnectionStatus } from '../components/ConnectionStatus.js'
import { useIdentity } from '../components/IdentityContext.js'
import { PresenceList } from '../components/PresenceList.js'
import { useDocumentTitle } from '../components/useDocumentTitle.js'
import { ApiError, getDocument } from '../lib/api.js'
import { NotFoundPage } from './NotFoundPage.js'

type Meta =
  | { kind: 'loading' }
  | { kind: 'ready'; title: string; createdAt: string }
  | { kind: 'missing' }
  /** The server could not be asked (offline): edit the local copy anyway. */
  | { kind: 'unknown' }

export function EditorPage() {
  const { id = '' } = useParams()
  if (!isValidDocumentId(id)) return <NotFoundPage />
  return <DocumentEditor key={id} docId={id} />
}

function DocumentEditor({ docId }: { docId: string }) {
  const { t } = useTranslation()
  const { identity, store } = useIdentity()
  const [meta, setMeta] = useState<Meta>({ kind: 'loading' })
  // opened once the server has been asked about the document (or could not be: offline)
  const session = useCollabSession(
    meta.kind === 'ready' || meta.kind === 'unknown' ? docId : null,
    identity,
    { store, serverCreatedAt: meta.kind === 'ready' ? meta.createdAt : null },
  )
  const snapshot = useSessionSnapshot(session)

  useEffect(() => {
    const controller = new AbortController()
    getDocument(docId, controller.signal).then(
      (document) =>
        setMeta({ kind: 'ready', title: document.title, createdAt: document.createdAt }),
      (error: unknown) => {
        if (controller.signal.aborted) return
        setMeta(
          error instanceof ApiError && error.status === 404
            ? { kind: 'missing' }
            : { kind: 'unknown' },
        )
      },
    )
    return () => controller.abort()
  }, [docId])

  const title =
    meta.kind === 'ready' ? meta.title || t('list.untitled') : t('editor.titleUnavailable')
  useDocumentTitle(t('editor.pageTitle', { title }))
  const titleElement = (
    <h1 className="article-title" dir="auto" data-testid="document-title">
      {meta.kind === 'loading' ? '\u00a0' : title}
    </h1>
  )

  return (
    <>
      <AppHeader>
        <div className="doc-bar">
          <Link to="/" className="button button--quiet doc-bar__back">
            <svg
              className="icon icon--directional"
              viewBox="0 0 24 24"
              width="18"
              height="18"
              aria-hidden="true"
              focusable="false"
            >
              <path
                d="m15 18-6-6 6-6"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
            <span>{t('editor.back')}</span>
          </Link>
          {session && <ConnectionStatus snapshot={snapshot} />}
          {session && <PresenceList entries={snapshot.presence} />}
        </div>
      </AppHeader>
      <main id="main" className="page page--editor" tabIndex={-1}>
        {session && snapshot.ready && meta.kind !== 'missing' ? (
          <ArticleEditor
            session={session}
            user={identity}
            presence={snapshot.presence}
            title={titleElement}
          />
        ) : (
          // the same grid as the editor's, so that nothing moves when the article opens
          <div className="workspace">
            <div className="editor-column">
              {titleElement}
              {meta.kind === 'missing' ? (
                <div className="message message--error" role="alert">
                  <p>{t('editor.notFound')}</p>
                  <Link to="/" className="button">
                    {t('notFound.back')}
                  </Link>
                </div>
              ) : snapshot.closedCode !== null && !snapshot.ready ? (
                <p className="message message--error" role="alert">
                  {t('editor.unavailable')}
                </p>
              ) : (
                <p className="article-loading" role="status">
                  {t('editor.loading')}
                </p>
              )}
            </div>
          </div>
        )}
      </main>
    </>
  )
}
