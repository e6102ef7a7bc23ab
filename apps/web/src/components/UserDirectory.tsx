import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react'
import { type DirectoryUser, listUsers } from '../lib/accountsApi.js'

interface UserDirectoryValue {
  /** The accounts of the newsroom (active ones; administrators also see inactive ones). */
  users: readonly DirectoryUser[]
  /** Display names by account id. */
  names: ReadonlyMap<string, string>
  /** The list has been read at least once (or could not be). */
  loaded: boolean
  /** Reads the list again (sharing, administration). */
  reload(): void
}

const DirectoryContext = createContext<UserDirectoryValue | null>(null)

/**
 * `GET /api/users`, read once a session starts: the names shown for account ids
 * in presence, annotation authors, history and sharing.
 */
export function UserDirectoryProvider({ children }: { children: ReactNode }) {
  const [users, setUsers] = useState<readonly DirectoryUser[]>([])
  const [loaded, setLoaded] = useState(false)
  const [attempt, setAttempt] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` asks again
  useEffect(() => {
    const controller = new AbortController()
    listUsers(controller.signal).then(
      (list) => {
        setUsers(list)
        setLoaded(true)
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        console.warn('[hashiya] could not read the user directory', error)
        setLoaded(true)
      },
    )
    return () => controller.abort()
  }, [attempt])

  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  const value = useMemo(
    () => ({
      users,
      names: new Map(users.map((user) => [user.id, user.displayName || user.id])),
      loaded,
      reload,
    }),
    [users, loaded, reload],
  )
  return <DirectoryContext.Provider value={value}>{children}</DirectoryContext.Provider>
}

const EMPTY: UserDirectoryValue = { users: [], names: new Map(), loaded: false, reload: () => {} }

/** The user directory (empty outside a signed-in session). */
export function useDirectory(): UserDirectoryValue {
  return useContext(DirectoryContext) ?? EMPTY
}
