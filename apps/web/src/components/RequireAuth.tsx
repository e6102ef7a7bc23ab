import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, Outlet, useLocation } from 'react-router'
import { loginPath, safeReturnPath } from '../lib/auth.js'
import type { KeyValueStore } from '../lib/storage.js'
import { AuthFrame } from '../pages/AuthFrame.js'
import { type AuthState, SessionProvider, useAuth } from './AuthContext.js'
import { ChangePasswordDialog } from './ChangePasswordDialog.js'
import { IdentityProvider } from './IdentityContext.js'
import { UserDialog } from './UserDialog.js'
import { UserDirectoryProvider } from './UserDirectory.js'

/** While the start-up check runs: nothing to see yet, said politely. */
export function Checking() {
  const { t } = useTranslation()
  return (
    <AuthFrame>
      <p className="article-loading" role="status">
        {t('auth.checking')}
      </p>
    </AuthFrame>
  )
}

/** The server could not be asked who is signed in. */
export function Unreachable() {
  const { t } = useTranslation()
  const { retry } = useAuth()
  return (
    <AuthFrame>
      <div className="message message--error" role="alert" data-testid="server-unreachable">
        <p>{t('auth.unreachable')}</p>
        <button type="button" className="button" onClick={retry}>
          {t('list.retry')}
        </button>
      </div>
    </AuthFrame>
  )
}

/** What a page outside the signed-in area shows for a state that is not its own. */
function elsewhere(state: AuthState, next: string): ReactNode {
  switch (state.status) {
    case 'checking':
      return <Checking />
    case 'unreachable':
      return <Unreachable />
    case 'setup':
      return <Navigate to="/setup" replace />
    case 'signed-in':
      return <Navigate to={next} replace />
    case 'signed-out':
      return <Navigate to="/login" replace />
  }
}

/** The sign-in page, shown only when signed out; once signed in, goes where the person was. */
export function SignedOutOnly({ children }: { children: ReactNode }) {
  const { state } = useAuth()
  const location = useLocation()
  const next = safeReturnPath(new URLSearchParams(location.search).get('next'))
  if (state.status === 'signed-out') return children
  return elsewhere(state, next)
}

/** The setup page, shown only while the first administrator is missing. */
export function SetupOnly({ children }: { children: ReactNode }) {
  const { state } = useAuth()
  if (state.status === 'setup') return children
  return elsewhere(state, '/')
}

/**
 * Every other page: signed in, with the identity, the user directory and the
 * account dialogs; otherwise to the sign-in page, which comes back here.
 */
export function RequireAuth({ store }: { store: KeyValueStore }) {
  const { state } = useAuth()
  const location = useLocation()
  if (state.status === 'signed-out') {
    const here = `${location.pathname}${location.search}${location.hash}`
    // after signing out on purpose, the next person starts from the list
    const remember = state.reason !== 'signed-out'
    return <Navigate to={loginPath(remember ? here : null)} replace />
  }
  if (state.status !== 'signed-in') return elsewhere(state, '/')
  const { session } = state
  return (
    <SessionProvider value={session}>
      <IdentityProvider store={store} user={session.user}>
        <UserDirectoryProvider>
          <Outlet />
          <UserDialog />
          <ChangePasswordDialog />
        </UserDirectoryProvider>
      </IdentityProvider>
    </SessionProvider>
  )
}
