import { useTranslation } from 'react-i18next'
import { Avatar } from './Avatar.js'
import { useIdentity } from './IdentityContext.js'

export function UserButton() {
  const { t } = useTranslation()
  const { identity, openDialog } = useIdentity()
  return (
    <button
      type="button"
      className="button button--quiet user-button"
      onClick={openDialog}
      aria-label={`${t('user.edit')}: ${identity.name}`}
      title={t('user.edit')}
    >
      <Avatar name={identity.name} color={identity.color} size="sm" />
      <span className="user-button__name">{identity.name}</span>
    </button>
  )
}
