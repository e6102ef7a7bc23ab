import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'
import type { User } from '../lib/accountsApi.js'
import { type Identity, identityOf, saveColor } from '../lib/identity.js'
import type { KeyValueStore } from '../lib/storage.js'

interface IdentityContextValue {
  /** Where the app keeps what it remembers in this browser (localStorage). */
  store: KeyValueStore
  /** The signed-in account as colleagues see it: id and display name from the server, colour chosen here. */
  identity: Identity
  saveColor(color: string): void
  /** The account dialog open, if any: the colour choice or the password change. */
  dialog: AccountDialog | null
  openDialog(dialog: AccountDialog): void
  closeDialog(): void
}

export type AccountDialog = 'color' | 'password'

const IdentityContext = createContext<IdentityContextValue | null>(null)

export function IdentityProvider({
  store,
  user,
  children,
}: {
  store: KeyValueStore
  user: Pick<User, 'id' | 'displayName'>
  children: ReactNode
}) {
  // bumped when the colour preference changes, to read it again
  const [version, setVersion] = useState(0)
  const [dialog, setDialog] = useState<AccountDialog | null>(null)
  const { id, displayName } = user

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` marks a stored colour change
  const identity = useMemo(
    () => identityOf(store, { id, displayName }),
    [store, id, displayName, version],
  )

  const save = useCallback(
    (color: string) => {
      saveColor(store, id, color)
      setVersion((n) => n + 1)
      setDialog(null)
    },
    [store, id],
  )
  const openDialog = useCallback((next: AccountDialog) => setDialog(next), [])
  const closeDialog = useCallback(() => setDialog(null), [])

  const value = useMemo(
    () => ({ store, identity, saveColor: save, dialog, openDialog, closeDialog }),
    [store, identity, save, dialog, openDialog, closeDialog],
  )
  return <IdentityContext.Provider value={value}>{children}</IdentityContext.Provider>
}

export function useIdentity(): IdentityContextValue {
  const value = useContext(IdentityContext)
  if (!value) throw new Error('useIdentity needs an IdentityProvider')
  return value
}
