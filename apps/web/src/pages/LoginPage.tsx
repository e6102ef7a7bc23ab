import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type SignedOutReason, useAuth } from '../components/AuthContext.js'
import { FormMessages, SubmitButton, useSubmit } from '../components/Form.js'
import { TextField } from '../components/PasswordField.js'
import { useDocumentTitle } from '../components/useDocumentTitle.js'
import { MAX_PASSWORD_LENGTH, normalizeUsername } from '../lib/auth.js'
import { AuthFrame } from './AuthFrame.js'

const NOTICES = {
  expired: 'auth.notices.expired',
  revoked: 'auth.notices.revoked',
  'signed-out': 'auth.notices.signedOut',
  'password-changed': 'auth.notices.passwordChanged',
  'setup-closed': 'auth.notices.setupClosed',
} as const satisfies Record<SignedOutReason, string>

/** Account name and password; afterwards, back to where the person was (see `SignedOutOnly`). */
export function LoginPage() {
  const { t } = useTranslation()
  const { state, signIn } = useAuth()
  useDocumentTitle(`${t('auth.signInTitle')} — ${t('app.name')}`)
  const id = useId()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const { busy, error, setError, submit } = useSubmit()
  const reason = state.status === 'signed-out' ? state.reason : null

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (busy) return
    const name = normalizeUsername(username)
    if (!name || !password) {
      setError(t('auth.errors.fillBoth'))
      return
    }
    await submit(() => signIn(name, password), { leaving: true })
  }

  return (
    <AuthFrame>
      <section className="card auth-card" aria-labelledby={`${id}-title`}>
        <div className="auth-card__head">
          <h1 id={`${id}-title`} className="page__title">
            {t('auth.signInTitle')}
          </h1>
          <p className="auth-card__intro">{t('auth.signInIntro')}</p>
        </div>
        {reason && (
          <p
            className={`message ${reason === 'signed-out' || reason === 'password-changed' ? 'message--info' : 'message--warning'}`}
            role="status"
            data-testid="login-notice"
            data-reason={reason}
          >
            {t(NOTICES[reason])}
          </p>
        )}
        <form className="auth-form" onSubmit={onSubmit} noValidate>
          <TextField
            id={`${id}-username`}
            label={t('auth.username')}
            value={username}
            onChange={setUsername}
            autoComplete="username"
            latin
            maxLength={64}
            autoFocus
            testId="login-username"
          />
          <TextField
            id={`${id}-password`}
            type="password"
            label={t('auth.password')}
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            maxLength={MAX_PASSWORD_LENGTH}
            testId="login-password"
          />
          <FormMessages live="assertive" error={error} errorTestId="login-error" />
          <SubmitButton
            className="button button--primary auth-form__submit"
            busy={busy}
            label={t('auth.signIn')}
            busyLabel={t('auth.signingIn')}
            testId="login-submit"
          />
        </form>
        <p className="field__hint">{t('auth.forgotHint')}</p>
      </section>
    </AuthFrame>
  )
}
