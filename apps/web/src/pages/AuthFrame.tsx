import type { ReactNode } from 'react'
import { AppHeader } from '../components/AppHeader.js'

/** The pages before signing in: the header (brand, language) and one card in the middle. */
export function AuthFrame({ children }: { children: ReactNode }) {
  return (
    <>
      <AppHeader />
      <main id="main" className="page page--auth" tabIndex={-1}>
        {children}
      </main>
    </>
  )
}
