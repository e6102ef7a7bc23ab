import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { useAuth } from '../components/AuthContext.js'
import { FormMessages, SubmitButton, useSubmit } from '../components/Form.js'
import { NewPasswordFields, TextField } from '../components/PasswordField.js'
import { useDocumentTitle } from '../components/useDocumentTitle.js'
import { ApiError } from '../lib/api.js'
import {
  type AccountField,
  type AccountProblem,
  accountFormProblems,
  MAX_DISPLAY_NAME_LENGTH,
  normalizeSetupCode,
  normalizeUsername,
} from '../lib/auth.js'
import { problemMessage } from '../lib/errors.js'
import { AuthFrame } from './AuthFrame.js'

/**
 * Once, on a new server: the first administrator, with the code the server
 * printed in its terminal (the printed link fills it in).
 */
export function SetupPage() {
  const { t } = useTranslation()
  const { completeSetup } = useAuth()
  const [params] = useSearchParams()
  useDocumentTitle(`${t('setup.title')} — ${t('app.name')}`)
  const id = useId()
  const [code, setCode] = useState(() => params.get('code') ?? '')
  const [username, setUsername] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [problems, setProblems] = useState<
    Partial<Record<AccountField | 'code', AccountProblem | 'codeRequired'>>
  >({})
  const [codeWrong, setCodeWrong] = useState(false)
  const { busy, error, setError, submit } = useSubmit()

  const problemText = (field: AccountField | 'code') => {
    const problem = problems[field]
    if (problem) return problemMessage(problem, t)
    if (field === 'code' && codeWrong) return t('auth.errors.invalidSetupCode')
    return undefined
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (busy) return
    const found: typeof problems = accountFormProblems({ username, displayName, password, confirm })
    if (!normalizeSetupCode(code)) found.code = 'codeRequired'
    setProblems(found)
    setError('')
    setCodeWrong(false)
    if (Object.keys(found).length > 0) {
      setError(t('setup.fixFields'))
      return
    }
    await submit(
      () =>
        completeSetup({
          code: normalizeSetupCode(code),
          username: normalizeUsername(username),
          displayName: displayName.trim(),
          password,
        }),
      {
        leaving: true,
        onError: (caught) =>
          setCodeWrong(caught instanceof ApiError && caught.code === 'invalid-setup-code'),
      },
    )
  }

  return (
    <AuthFrame>
      <section className="card auth-card auth-card--wide" aria-labelledby={`${id}-title`}>
        <div className="auth-card__head">
          <h1 id={`${id}-title`} className="page__title">
            {t('setup.title')}
          </h1>
          <p className="auth-card__intro">{t('setup.intro')}</p>
        </div>
        <form className="auth-form" onSubmit={onSubmit} noValidate>
          <TextField
            id={`${id}-code`}
            label={t('setup.code')}
            hint={t('setup.codeHint')}
            error={problemText('code')}
            value={code}
            onChange={setCode}
            autoComplete="off"
            latin
            maxLength={64}
            testId="setup-code"
          />
          <TextField
            id={`${id}-username`}
            label={t('auth.username')}
            hint={t('auth.usernameHint')}
            error={problemText('username')}
            value={username}
            onChange={setUsername}
            autoComplete="username"
            latin
            maxLength={32}
            autoFocus
            testId="setup-username"
          />
          <TextField
            id={`${id}-display-name`}
            label={t('auth.displayName')}
            hint={t('auth.displayNameHint')}
            error={problemText('displayName')}
            value={displayName}
            onChange={setDisplayName}
            autoComplete="name"
            maxLength={MAX_DISPLAY_NAME_LENGTH}
            testId="setup-display-name"
          />
          <NewPasswordFields
            id={id}
            label={t('auth.password')}
            password={password}
            confirm={confirm}
            onPasswordChange={setPassword}
            onConfirmChange={setConfirm}
            errors={{ password: problemText('password'), confirm: problemText('confirm') }}
            testId="setup-password"
          />
          <FormMessages live="assertive" error={error} errorTestId="setup-error" />
          <SubmitButton
            className="button button--primary auth-form__submit"
            busy={busy}
            label={t('setup.submit')}
            busyLabel={t('setup.submitting')}
            testId="setup-submit"
          />
        </form>
      </section>
    </AuthFrame>
  )
}
