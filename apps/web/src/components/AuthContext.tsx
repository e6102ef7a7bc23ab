import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import {
  completeSetup,
  getSession,
  getSetup,
  type Session,
  signIn as signInRequest,
  signOut as signOutRequest,
} from '../lib/accountsApi.js'
import { ApiError, onForbidden, onSignedOut } from '../lib/api.js'
import { useWhenShownAgain } from './useWhenShownAgain.js'

/** After a 403, or when the page is shown again, the session (role, abilities) is asked again at most this often. */
const FORBIDDEN_REFRESH_MS = 5000

/** Why the sign-in page is shown: a message for the person, when there is one to give. */
export type SignedOutReason =
  /** The server answered 401 to a request: the session expired or was revoked. */
  | 'expired'
  /** The document connection was closed because the session ended (or the account was deactivated). */
  | 'revoked'
  /** The person signed out. */
  | 'signed-out'
  | 'password-changed'
  /** Someone else created the first administrator meanwhile. */
  | 'setup-closed'

export type AuthState =
  | { status: 'checking' }
  /** The server could not be asked (offline, down). */
  | { status: 'unreachable' }
  /** No administrator yet: the one-time setup page. */
  | { status: 'setup' }
  | { status: 'signed-out'; reason: SignedOutReason | null }
  | { status: 'signed-in'; session: Session }

interface AuthContextValue {
  state: AuthState
  signIn(username: string, password: string): Promise<void>
  completeSetup(input: Parameters<typeof completeSetup>[0]): Promise<void>
  /** Ends the session on the server, then shows the sign-in page. */
  signOut(): Promise<void>
  /** The session ended elsewhere (password changed, connection closed with 4401, setup closed). */
  endSession(reason: SignedOutReason): void
  /** Asks the server again who is signed in (after the account itself was changed). */
  refresh(): Promise<void>
  /** Runs the start-up check again (after the server could not be reached). */
  retry(): void
}

const AuthContext = createContext<AuthContextValue | null>(null)

/**
 * Who is signed in: asks the server at start (is a first administrator still
 * needed? is there a session?), and follows sign-in, sign-out and any 401.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'checking' })
  const [attempt, setAttempt] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` reruns the check on retry
  useEffect(() => {
    const controller = new AbortController()
    const { signal } = controller
    setState((current) => (current.status === 'checking' ? current : { status: 'checking' }))
    void (async () => {
      try {
        const { required } = await getSetup(signal)
        if (signal.aborted) return
        if (required) {
          setState({ status: 'setup' })
          return
        }
        const session = await getSession(signal)
        if (!signal.aborted) setState({ status: 'signed-in', session })
      } catch (error) {
        if (signal.aborted) return
        if (error instanceof ApiError && error.status === 401) {
          setState({ status: 'signed-out', reason: null })
        } else {
          console.warn('[hashiya] could not ask the server who is signed in', error)
          setState({ status: 'unreachable' })
        }
      }
    })()
    return () => controller.abort()
  }, [attempt])

  // back online after the server could not be reached: ask again
  useEffect(() => {
    if (state.status !== 'unreachable') return
    const onOnline = () => setAttempt((n) => n + 1)
    window.addEventListener('online', onOnline)
    return () => window.removeEventListener('online', onOnline)
  }, [state.status])

  useEffect(
    () =>
      onSignedOut(() =>
        setState((current) =>
          current.status === 'signed-in' ? { status: 'signed-out', reason: 'expired' } : current,
        ),
      ),
    [],
  )

  const signIn = useCallback(async (username: string, password: string) => {
    const session = await signInRequest(username, password)
    setState({ status: 'signed-in', session })
  }, [])

  const setup = useCallback(async (input: Parameters<typeof completeSetup>[0]) => {
    try {
      const session = await completeSetup(input)
      setState({ status: 'signed-in', session })
    } catch (error) {
      if (error instanceof ApiError && error.code === 'setup-closed') {
        setState({ status: 'signed-out', reason: 'setup-closed' })
      }
      throw error
    }
  }, [])

  const signOut = useCallback(async () => {
    try {
      await signOutRequest()
    } catch (error) {
      // already signed out is what was wanted; anything else is reported
      if (!(error instanceof ApiError && error.status === 401)) throw error
    }
    setState({ status: 'signed-out', reason: 'signed-out' })
  }, [])

  const endSession = useCallback((reason: SignedOutReason) => {
    setState((current) =>
      current.status === 'signed-in' || current.status === 'setup'
        ? { status: 'signed-out', reason }
        : current,
    )
  }, [])

  // Refreshes overlap (a 403, the page shown again, a permission change): the newest answers.
  const latestRefresh = useRef(0)
  const refresh = useCallback(async () => {
    const ticket = ++latestRefresh.current
    try {
      const session = await getSession()
      if (ticket !== latestRefresh.current) return
      setState((current) =>
        // signed out and in as someone else meanwhile: not theirs
        current.status === 'signed-in' && current.session.user.id === session.user.id
          ? { status: 'signed-in', session }
          : current,
      )
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) endSession('expired')
    }
  }, [endSession])

  const retry = useCallback(() => setAttempt((n) => n + 1), [])

  // a refused request may mean the role changed meanwhile: follow it
  useEffect(() => {
    let last = 0
    return onForbidden(() => {
      const now = Date.now()
      if (now - last < FORBIDDEN_REFRESH_MS) return
      last = now
      void refresh()
    })
  }, [refresh])

  // the role may have changed while the page was out of view
  useWhenShownAgain(() => {
    if (state.status !== 'signed-in') return false
    void refresh()
    return true
  }, FORBIDDEN_REFRESH_MS)

  const value = useMemo(
    () => ({ state, signIn, completeSetup: setup, signOut, endSession, refresh, retry }),
    [state, signIn, setup, signOut, endSession, refresh, retry],
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext)
  if (!value) throw new Error('useAuth needs an AuthProvider')
  return value
}

const SessionContext = createContext<Session | null>(null)

/** Gives the pages that require a session the signed-in one (see `RequireAuth`). */
export const SessionProvider = SessionContext.Provider

/** The signed-in session, or null outside the pages that require one. */
export function useOptionalSession(): Session | null {
  return useContext(SessionContext)
}

/** The signed-in session (only inside the pages that require one). */
export function useSession(): Session {
  const session = useContext(SessionContext)
  if (!session) throw new Error('useSession needs a signed-in account (RequireAuth)')
  return session
}
