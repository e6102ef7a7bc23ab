import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { BrowserRouter, Route, Routes } from 'react-router'
import { IdentityProvider } from './components/IdentityContext.js'
import { UserDialog } from './components/UserDialog.js'
import type { KeyValueStore } from './lib/storage.js'
import { DocumentListPage } from './pages/DocumentListPage.js'
import { NotFoundPage } from './pages/NotFoundPage.js'

// the editor (Tiptap, Yjs, providers) is most of the code: load it when a document is opened
const EditorPage = lazy(() =>
  import('./pages/EditorPage.js').then((module) => ({ default: module.EditorPage })),
)

export function App({ store }: { store: KeyValueStore }) {
  const { t } = useTranslation()
  return (
    <IdentityProvider store={store}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <BrowserRouter>
        <Routes>
          <Route path="/" element={<DocumentListPage />} />
          <Route
            path="/d/:id"
            element={
              <Suspense fallback={<p className="article-loading">{t('editor.loading')}</p>}>
                <EditorPage />
              </Suspense>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </BrowserRouter>
      <UserDialog />
    </IdentityProvider>
  )
}
