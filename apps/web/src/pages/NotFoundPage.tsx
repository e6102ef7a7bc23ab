import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { AppHeader } from '../components/AppHeader.js'
import { useDocumentTitle } from '../components/useDocumentTitle.js'

export function NotFoundPage() {
  const { t } = useTranslation()
  useDocumentTitle(`${t('notFound.title')} — ${t('app.name')}`)
  return (
    <>
      <AppHeader />
      <main id="main" className="page page--narrow" tabIndex={-1}>
        <h1 className="page__title">{t('notFound.title')}</h1>
        <p>{t('notFound.body')}</p>
        <Link to="/" className="button button--primary">
          {t('notFound.back')}
        </Link>
      </main>
    </>
  )
}
