import { type ReactNode, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, NavLink } from 'react-router'
import { useOptionalSession } from './AuthContext.js'
import { LanguageSwitch } from './LanguageSwitch.js'
import { UserMenu } from './UserMenu.js'
import { useStickyOffset } from './useStickyOffset.js'

/**
 * The bar at the top of every page: brand, page-specific items, and the
 * signed-in person's menu (or, before signing in, the language).
 */
export function AppHeader({ children }: { children?: ReactNode }) {
  const { t } = useTranslation()
  const session = useOptionalSession()
  const header = useRef<HTMLElement>(null)
  useStickyOffset(header, '--header-offset')
  return (
    <header className="app-header" ref={header}>
      <Link to="/" className="brand" aria-label={t('app.home')}>
        <span className="brand__mark" aria-hidden="true">
          ح
        </span>
        <span className="brand__name">{t('app.name')}</span>
      </Link>
      <div className="app-header__middle">{children}</div>
      <div className="app-header__end">
        {session?.abilities.manageUsers && (
          <NavLink
            to="/admin/users"
            className="button button--quiet nav-link"
            data-testid="nav-admin"
          >
            {t('admin.nav')}
          </NavLink>
        )}
        {session ? <UserMenu /> : <LanguageSwitch />}
      </div>
    </header>
  )
}
