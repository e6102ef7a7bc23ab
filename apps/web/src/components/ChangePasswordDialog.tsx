import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { changePassword } from '../lib/accountsApi.js'
import { MIN_PASSWORD_LENGTH, newPasswordProblem } from '../lib/auth.js'
import { problemMessage } from '../lib/errors.js'
import { useAuth } from './AuthContext.js'
import { FormError, SubmitButton, useSubmit } from './Form.js'
import { useIdentity } from './IdentityContext.js'
import { PasswordField } from './PasswordField.js'
import { useModalDialog } from './useModalDialog.js'

/**
 * A new password for the signed-in account. Every session of the account ends
 * with it (this one too), so the sign-in page follows, with a word about why.
 */
export function ChangePasswordDialog() {
  const { t } = useTranslation()
  const { dialog, closeDialog } = useIdentity()
  const { endSession } = useAuth()
  const titleId = useId()
  const id = useId()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [confirm, setConfirm] = useState('')
  const { busy, error, setError, submit } = useSubmit()
  const modal = useModalDialog(dialog === 'password', {
    onOpen: () => {
      setCurrent('')
      setNext('')
      setConfirm('')
      setError('')
    },
    onDismiss: closeDialog,
  })

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (busy) return
    if (!current) {
      setError(t('account.currentRequired'))
      return
    }
    const problem = newPasswordProblem(next, confirm)
    if (problem) {
      setError(problemMessage(problem, t))
      return
    }
    await submit(async () => {
      await changePassword(current, next)
      closeDialog()
      endSession('password-changed')
    })
  }

  return (
    <dialog
      ref={modal.ref}
      className="dialog"
      aria-labelledby={titleId}
      data-testid="password-dialog"
      onClose={modal.onClose}
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
        <FormError message={error} testId="password-error" />
        <div className="dialog__actions">
          <SubmitButton
            busy={busy}
            label={t('account.changePassword')}
            busyLabel={t('account.saving')}
            testId="password-submit"
          />
          <button type="button" className="button" onClick={closeDialog}>
            {t('user.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
