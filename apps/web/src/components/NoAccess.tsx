import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'

/** A page or part of one this account may not see. */
export function NoAccess({ message }: { message?: string }) {
  const { t } = useTranslation()
  return (
    <div className="message message--error" role="alert" data-testid="no-access">
      <p>{message ?? t('access.denied')}</p>
      <Link to="/" className="button">
        {t('notFound.back')}
      </Link>
    </div>
  )
}
