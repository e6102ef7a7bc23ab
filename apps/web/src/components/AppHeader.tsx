import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { LanguageSwitch } from './LanguageSwitch.js'
import { UserButton } from './UserButton.js'

/** The bar at the top of every page: brand, page-specific items, the user and the language. */
export function AppHeader({ children }: { children?: ReactNode }) {
  const { t } = useTranslation()
  return (
    <header className="app-header">
      <Link to="/" className="brand" aria-label={t('app.home')}>
        <span className="brand__mark" aria-hidden="true">
          ح
        </span>
        <span className="brand__name">{t('app.name')}</span>
      </Link>
      <div className="app-header__middle">{children}</div>
      <div className="app-header__end">
        <UserButton />
        <LanguageSwitch />
      </div>
    </header>
  )
}
