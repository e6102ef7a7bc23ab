import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../lib/errors.js'
import { useAuth, useSession } from './AuthContext.js'
import { Avatar } from './Avatar.js'
import { useIdentity } from './IdentityContext.js'
import { useMenuButton } from './useMenuButton.js'

/**
 * The signed-in person in the header: their name and role, and a menu to
 * change their colour or password, switch the language, or sign out.
 */
export function UserMenu() {
  const { t, i18n } = useTranslation()
  const { identity, openDialog } = useIdentity()
  const { user } = useSession()
  const { signOut } = useAuth()
  const { open, setOpen, rootRef, buttonRef, menuRef, menuId, close, onMenuKey } = useMenuButton()
  const [error, setError] = useState('')
  const nextLanguage = i18n.language === 'ar' ? 'en' : 'ar'
  const role = t(`roles.${user.role}`)

  const choose = (action: () => void) => () => {
    close(true)
    action()
  }

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button--quiet user-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={t('account.menuLabel', { name: identity.name, role })}
        data-testid="user-menu"
        onClick={() => {
          setError('')
          setOpen((current) => !current)
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault()
            setOpen(true)
          }
        }}
      >
        <Avatar name={identity.name} color={identity.color} size="sm" />
        <span className="user-button__text">
          <span className="user-button__name" dir="auto" data-testid="user-display-name">
            {identity.name}
          </span>
          <span className="user-button__role" data-testid="user-role" data-role={user.role}>
            {role}
          </span>
        </span>
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          className="menu-popup user-menu__popup"
          role="menu"
          aria-label={t('account.menuTitle')}
          onKeyDown={onMenuKey}
        >
          <p className="user-menu__who">
            <span className="user-menu__name" dir="auto">
              {identity.name}
            </span>
            {user.id !== identity.name && (
              <span className="user-menu__account" dir="ltr">
                {user.id}
              </span>
            )}
          </p>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu-popup__item"
            data-testid="change-color"
            onClick={choose(() => openDialog('color'))}
          >
            <span className="colors__dot" style={{ backgroundColor: identity.color }} />
            {t('account.changeColor')}
          </button>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu-popup__item"
            data-testid="change-password"
            onClick={choose(() => openDialog('password'))}
          >
            {t('account.changePassword')}
          </button>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu-popup__item"
            lang={nextLanguage}
            aria-label={t('language.switchLabel')}
            data-testid="language-switch"
            onClick={choose(() => void i18n.changeLanguage(nextLanguage))}
          >
            {t('language.switchTo')}
          </button>
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            className="menu-popup__item menu-popup__item--danger"
            data-testid="sign-out"
            onClick={() => {
              signOut().catch((caught: unknown) => {
                setError(errorMessage(caught, t))
              })
            }}
          >
            {t('account.signOut')}
          </button>
          {error && (
            <p className="message message--error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  )
}
