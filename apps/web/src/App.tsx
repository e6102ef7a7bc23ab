import { useTranslation } from 'react-i18next'
import { BrowserRouter, Route, Routes } from 'react-router'
import { AuthProvider } from './components/AuthContext.js'
import { RequireAuth, SetupOnly, SignedOutOnly } from './components/RequireAuth.js'
import type { KeyValueStore } from './lib/storage.js'
import { AdminUsersPage } from './pages/AdminUsersPage.js'
import { DocumentListPage } from './pages/DocumentListPage.js'
import { EditorRoute } from './pages/EditorRoute.js'
import { LoginPage } from './pages/LoginPage.js'
import { NotFoundPage } from './pages/NotFoundPage.js'
import { SetupPage } from './pages/SetupPage.js'

export function App({ store }: { store: KeyValueStore }) {
  const { t } = useTranslation()
  return (
    <AuthProvider>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <BrowserRouter>
        <Routes>
          <Route
            path="/login"
            element={
              <SignedOutOnly>
                <LoginPage />
              </SignedOutOnly>
            }
          />
          <Route
            path="/setup"
            element={
              <SetupOnly>
                <SetupPage />
              </SetupOnly>
            }
          />
          <Route element={<RequireAuth store={store} />}>
            <Route path="/" element={<DocumentListPage />} />
            <Route path="/d/:id" element={<EditorRoute />} />
            <Route path="/admin/users" element={<AdminUsersPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </AuthProvider>
  )
}
