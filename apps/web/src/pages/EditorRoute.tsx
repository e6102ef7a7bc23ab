/**
 * The editor's code (Tiptap, Yjs, the providers) is most of the app, so it is
 * loaded when a document is first opened, and fetched ahead once the list is
 * shown. That load can fail: offline before it was ever fetched, or after a
 * redeploy renamed the files this page knows of. Either way (and should the
 * editor itself fail) the person gets words and a way on, never a blank page;
 * offline, it tries again by itself when the network returns.
 */
import { type ComponentType, lazy, Suspense, useEffect, useState } from 'react'
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { AppHeader } from '../components/AppHeader.js'

let loaded: Promise<{ default: ComponentType }> | null = null

/** The editor page's module, fetched once; a failed fetch is forgotten so it can be tried again. */
function loadEditorPage(): Promise<{ default: ComponentType }> {
  loaded ??= import('./EditorPage.js').then(
    (module) => ({ default: module.EditorPage }),
    (error: unknown) => {
      loaded = null
      throw error
    },
  )
  return loaded
}

/** Fetches the editor's code while the person is still choosing a document. */
export function preloadEditor(): void {
  const load = () => void loadEditorPage().catch(() => {})
  if (typeof requestIdleCallback === 'function') requestIdleCallback(load, { timeout: 5_000 })
  else setTimeout(load, 1_000)
}

/** What the browser says when a module's file cannot be fetched or is not a module. */
const LOAD_FAILURE =
  /dynamically imported module|Importing a module script failed|Expected a JavaScript|MIME type/i

function EditorFailed({ error, resetErrorBoundary }: FallbackProps) {
  const { t } = useTranslation()
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false
  const notLoaded = error instanceof Error && LOAD_FAILURE.test(error.message)
  const reason = offline ? 'offline' : notLoaded ? 'updated' : 'crashed'
  useEffect(() => {
    if (reason !== 'offline') return
    window.addEventListener('online', resetErrorBoundary)
    return () => window.removeEventListener('online', resetErrorBoundary)
  }, [reason, resetErrorBoundary])
  return (
    <>
      <AppHeader />
      <main id="main" className="page page--narrow" tabIndex={-1}>
        <div
          className="message message--error"
          role="alert"
          data-testid="editor-failed"
          data-reason={reason}
        >
          <p>{t(`editor.failed.${reason}`)}</p>
          <div className="form-actions">
            {reason === 'offline' ? (
              <button type="button" className="button button--primary" onClick={resetErrorBoundary}>
                {t('editor.failed.retry')}
              </button>
            ) : (
              <button
                type="button"
                className="button button--primary"
                onClick={() => window.location.reload()}
              >
                {t('editor.failed.reload')}
              </button>
            )}
            <Link to="/" className="button">
              {t('editor.back')}
            </Link>
          </div>
        </div>
      </main>
    </>
  )
}

export function EditorRoute() {
  const { t } = useTranslation()
  // React keeps a lazy component's failure for good: each try is a new one
  const [EditorPage, setEditorPage] = useState(() => lazy(loadEditorPage))
  return (
    <ErrorBoundary
      FallbackComponent={EditorFailed}
      onReset={() => setEditorPage(() => lazy(loadEditorPage))}
    >
      <Suspense fallback={<p className="article-loading">{t('editor.loading')}</p>}>
        <EditorPage />
      </Suspense>
    </ErrorBoundary>
  )
}
