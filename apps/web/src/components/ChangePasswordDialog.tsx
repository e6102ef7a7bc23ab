import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { changePassword } from '../lib/accountsApi.js'
import { accountFormProblems, MIN_PASSWORD_LENGTH } from '../lib/auth.js'
import { errorMessage } from '../lib/errors.js'
import { useAuth } from './AuthContext.js'
import { useIdentity } from './IdentityContext.js'
import { PasswordField } from './PasswordField.js'

/**
 * A new password for the signed-in account. Every session of the account ends
 * with it (this one too), so the sign-in page follows, with a word about why.
 */
export function ChangePasswordDialog() {
  const { t } = useTranslation()
  const { dialog, closeDialog } = useIdentity()
  const { endSession } = useAuth()
  const open = dialog === 'password'
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const id = useId()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    const element = ref.current
    if (!element) return
    if (open && !element.open) {
      setCurrent('')
      setNext('')
      setConfirm('')
      setError('')
      element.showModal()
    } else if (!open && element.open) element.close()
  }, [open])

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (busy) return
    if (!current) {
      setError(t('account.currentRequired'))
      return
    }
    const problems = accountFormProblems({ password: next, confirm })
    const problem = problems.password ?? problems.confirm
    if (problem) {
      setError(t(`auth.problems.${problem}`, { min: MIN_PASSWORD_LENGTH }))
      return
    }
    setBusy(true)
    setError('')
    try {
      await changePassword(current, next)
      closeDialog()
      endSession('password-changed')
    } catch (caught) {
      setError(errorMessage(caught, t))
    } finally {
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      data-testid="password-dialog"
      onClose={() => {
        if (open) closeDialog()
      }}
    >
      <form className="dialog__form" onSubmit={onSubmit} noValidate>
        <h2 id={titleId} className="dialog__title">
          {t('account.passwordTitle')}
        </h2>
        <p className="dialog__intro">{t('account.passwordIntro')}</p>
        <PasswordField
          id={`${id}-current`}
          label={t('account.currentPassword')}
          value={current}
          onChange={setCurrent}
          autoComplete="current-password"
          testId="password-current"
        />
        <PasswordField
          id={`${id}-new`}
          label={t('account.newPassword')}
          hint={t('auth.passwordHint', { min: MIN_PASSWORD_LENGTH })}
          value={next}
          onChange={setNext}
          autoComplete="new-password"
          testId="password-new"
        />
        <PasswordField
          id={`${id}-confirm`}
          label={t('account.confirmPassword')}
          value={confirm}
          onChange={setConfirm}
          autoComplete="new-password"
          testId="password-confirm"
        />
        {error && (
          <p className="message message--error" role="alert" data-testid="password-error">
            {error}
          </p>
        )}
        <div className="dialog__actions">
          <button
            type="submit"
            className="button button--primary"
            disabled={busy}
            data-testid="password-submit"
          >
            {busy ? t('account.saving') : t('account.changePassword')}
          </button>
          <button type="button" className="button" onClick={closeDialog}>
            {t('user.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
