import { isValidDocumentId } from '@hashiya/document'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { forgetLocalCopy } from '../collab/localCopy.js'
import { useCollabSession, useSessionSnapshot } from '../collab/useCollabSession.js'
import { AppHeader } from '../components/AppHeader.js'
import { ArticleEditor } from '../components/ArticleEditor.js'
import { useAuth, useSession } from '../components/AuthContext.js'
import { ConnectionStatus } from '../components/ConnectionStatus.js'
import { useIdentity } from '../components/IdentityContext.js'
import { PresenceList } from '../components/PresenceList.js'
import { ShareDialog } from '../components/ShareDialog.js'
import { useDocumentTitle } from '../components/useDocumentTitle.js'
import { getSession } from '../lib/accountsApi.js'
import { ApiError, getDocument } from '../lib/api.js'
import { CLOSE_CODES, failedConnectVerdict } from '../lib/auth.js'
import {
  type DocumentPermission,
  documentCapabilities,
  rememberedPermission,
  rememberPermission,
} from '../lib/permissions.js'
import { NotFoundPage } from './NotFoundPage.js'

type Meta =
  | { kind: 'loading' }
  | { kind: 'ready'; title: string; createdAt: string; permission: DocumentPermission }
  /** Not there, or not for this account (the server answers both with 404). */
  | { kind: 'missing' }
  | { kind: 'forbidden' }
  /** The server could not be asked (offline): edit the local copy anyway. */
  | { kind: 'unknown' }

/** How often, at most, a failing connection makes the page ask the server why. */
const FAILED_CONNECT_CHECK_MS = 10_000

export function EditorPage() {
  const { id = '' } = useParams()
  if (!isValidDocumentId(id)) return <NotFoundPage />
  return <DocumentEditor key={id} docId={id} />
}

function metaFromError(error: unknown): Meta {
  if (error instanceof ApiError && error.status === 404) return { kind: 'missing' }
  if (error instanceof ApiError && error.status === 403) return { kind: 'forbidden' }
  return { kind: 'unknown' }
}

/** The HTTP status a request ended with (0: no answer). */
async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request
    return 200
  } catch (error) {
    return error instanceof ApiError ? error.status : 0
  }
}

function DocumentEditor({ docId }: { docId: string }) {
  const { t } = useTranslation()
  const { identity, store } = useIdentity()
  const { abilities } = useSession()
  const { endSession, refresh } = useAuth()
  const [meta, setMeta] = useState<Meta>({ kind: 'loading' })
  const [sharing, setSharing] = useState(false)
  // opened once the server has been asked about the document (or could not be: offline); what
  // it learns later (once back online) must not reopen the session under the person typing
  const [openedWith, setOpenedWith] = useState<{ serverCreatedAt: string | null } | null>(null)
  if (!openedWith && (meta.kind === 'ready' || meta.kind === 'unknown'))
    setOpenedWith({ serverCreatedAt: meta.kind === 'ready' ? meta.createdAt : null })
  const session = useCollabSession(openedWith ? docId : null, identity, {
    store,
    serverCreatedAt: openedWith?.serverCreatedAt ?? null,
  })
  const snapshot = useSessionSnapshot(session)
  const permission =
    meta.kind === 'ready' ? meta.permission : rememberedPermission(store, identity.id, docId)
  const capabilities = documentCapabilities(permission, abilities)

  const loadMeta = useCallback(
    (signal: AbortSignal, quiet: boolean) =>
      getDocument(docId, signal).then(
        (document) => {
          rememberPermission(store, identity.id, docId, document.permission)
          setMeta({
            kind: 'ready',
            title: document.title,
            createdAt: document.createdAt,
            permission: document.permission,
          })
        },
        (error: unknown) => {
          if (signal.aborted) return
          const next = metaFromError(error)
          // a check while the document is open only changes what it learnt
          if (!quiet || next.kind !== 'unknown') setMeta(next)
        },
      ),
    [docId, store, identity.id],
  )

  useEffect(() => {
    const controller = new AbortController()
    void loadMeta(controller.signal, false)
    return () => controller.abort()
  }, [loadMeta])

  // the server closed the connection because this account's permissions changed: ask again
  // (the provider reconnects by itself, with the new permission)
  useEffect(() => {
    if (snapshot.permissionChanges === 0) return
    const controller = new AbortController()
    void loadMeta(controller.signal, true)
    // the role may be what changed: its abilities (history, export) too
    void refresh()
    return () => controller.abort()
  }, [snapshot.permissionChanges, loadMeta, refresh])

  // opened while the server could not be asked (offline, restarting): ask once it answers
  // again, or the page would stay on the remembered permission and no title until reloaded
  const connected = snapshot.status === 'connected'
  useEffect(() => {
    if (meta.kind !== 'unknown' || !connected) return
    const controller = new AbortController()
    void loadMeta(controller.signal, true)
    return () => controller.abort()
  }, [meta.kind, connected, loadMeta])

  // a connection refused before it opened looks like any network failure: ask the API why
  const lastCheck = useRef(0)
  useEffect(() => {
    if (!session || snapshot.failedConnects === 0 || !navigator.onLine) return
    const now = Date.now()
    if (now - lastCheck.current < FAILED_CONNECT_CHECK_MS) return
    lastCheck.current = now
    let cancelled = false
    void Promise.all([statusOf(getSession()), statusOf(getDocument(docId))]).then(
      ([sessionStatus, documentStatus]) => {
        if (cancelled) return
        const verdict = failedConnectVerdict(sessionStatus, documentStatus)
        if (verdict === 'signed-out') {
          session.stop(CLOSE_CODES.signedOut)
          endSession('revoked')
        } else if (verdict === 'no-access') {
          session.stop(CLOSE_CODES.accessRemoved)
        }
      },
    )
    return () => {
      cancelled = true
    }
  }, [session, snapshot.failedConnects, docId, endSession])

  // the server ended the session (signed out elsewhere, password changed, account deactivated)
  useEffect(() => {
    if (snapshot.closedCode === CLOSE_CODES.signedOut) endSession('revoked')
  }, [snapshot.closedCode, endSession])

  const accessRemoved = snapshot.closedCode === CLOSE_CODES.accessRemoved
  // what this account may no longer open is not kept in this browser either
  useEffect(() => {
    if (!accessRemoved) return
    rememberPermission(store, identity.id, docId, null)
    void forgetLocalCopy(store, identity.id, docId)
  }, [accessRemoved, store, identity.id, docId])

  const title =
    meta.kind === 'ready' ? meta.title || t('list.untitled') : t('editor.titleUnavailable')
  useDocumentTitle(t('editor.pageTitle', { title }))
  const titleElement = (
    <h1 className="article-title" dir="auto" data-testid="document-title">
      {meta.kind === 'loading' ? '\u00a0' : title}
    </h1>
  )

  let blocked: { message: string; testId: string } | null = null
  if (meta.kind === 'missing')
    blocked = { message: t('editor.notFound'), testId: 'document-missing' }
  else if (meta.kind === 'forbidden')
    blocked = { message: t('access.document'), testId: 'no-access' }
  else if (accessRemoved) blocked = { message: t('editor.accessRemoved'), testId: 'access-removed' }

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
          {meta.kind === 'ready' && capabilities.share && !accessRemoved && (
            <button
              type="button"
              className="button button--small share-button"
              aria-haspopup="dialog"
              onClick={() => setSharing(true)}
              data-testid="share-button"
            >
              <ShareIcon />
              <span>{t('share.button')}</span>
            </button>
          )}
          {session && !blocked && <PresenceList entries={snapshot.presence} />}
        </div>
      </AppHeader>
      <main id="main" className="page page--editor" tabIndex={-1}>
        {session && snapshot.ready && !blocked ? (
          <ArticleEditor
            session={session}
            user={identity}
            presence={snapshot.presence}
            title={titleElement}
            capabilities={capabilities}
          />
        ) : (
          // the same grid as the editor's, so that nothing moves when the article opens
          <div className="workspace">
            <div className="editor-column">
              {titleElement}
              {blocked ? (
                <div className="message message--error" role="alert" data-testid={blocked.testId}>
                  <p>{blocked.message}</p>
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
      {meta.kind === 'ready' && capabilities.share && (
        <ShareDialog docId={docId} title={title} open={sharing} onClose={() => setSharing(false)} />
      )}
    </>
  )
}

function ShareIcon() {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6M19 8v6M22 11h-6"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
