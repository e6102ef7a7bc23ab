import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'
import { hasProfile, type Identity, loadIdentity, saveProfile } from '../lib/identity.js'
import type { KeyValueStore } from '../lib/storage.js'

interface IdentityContextValue {
  /** Where the app keeps what it remembers in this browser (localStorage). */
  store: KeyValueStore
  identity: Identity
  /** True until the person has chosen a display name. */
  needsProfile: boolean
  saveProfile(profile: { name: string; color: string }): void
  dialogOpen: boolean
  openDialog(): void
  closeDialog(): void
}

const IdentityContext = createContext<IdentityContextValue | null>(null)

export function IdentityProvider({
  store,
  children,
}: {
  store: KeyValueStore
  children: ReactNode
}) {
  const [identity, setIdentity] = useState(() => loadIdentity(store))
  const [dialogRequested, setDialogRequested] = useState(false)
  const needsProfile = !hasProfile(identity)

  const save = useCallback(
    (profile: { name: string; color: string }) => {
      setIdentity(saveProfile(store, profile))
      setDialogRequested(false)
    },
    [store],
  )
  const openDialog = useCallback(() => setDialogRequested(true), [])
  const closeDialog = useCallback(() => setDialogRequested(false), [])

  const value = useMemo(
    () => ({
      store,
      identity,
      needsProfile,
      saveProfile: save,
      dialogOpen: needsProfile || dialogRequested,
      openDialog,
      closeDialog,
    }),
    [store, identity, needsProfile, save, dialogRequested, openDialog, closeDialog],
  )
  return <IdentityContext.Provider value={value}>{children}</IdentityContext.Provider>
}

export function useIdentity(): IdentityContextValue {
  const value = useContext(IdentityContext)
  if (!value) throw new Error('useIdentity needs an IdentityProvider')
  return value
}
