import type { HTMLInputAutoCompleteAttribute, ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../lib/auth.js'

interface TextFieldProps {
  id: string
  label: string
  value: string
  onChange(value: string): void
  testId: string
  hint?: ReactNode
  /** Shown under the field and announced; marks the field invalid. */
  error?: string
  autoComplete?: HTMLInputAutoCompleteAttribute
  type?: 'text' | 'password'
  /** Account names and codes are Latin: left to right whatever the page. */
  latin?: boolean
  maxLength?: number
  autoFocus?: boolean
  required?: boolean
}

/** A labelled input with its hint and error, wired for screen readers. */
export function TextField({
  id,
  label,
  value,
  onChange,
  testId,
  hint,
  error,
  autoComplete,
  type = 'text',
  latin = false,
  maxLength,
  autoFocus,
  required = true,
}: TextFieldProps) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ')
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className={`input${latin ? ' input--latin' : ''}`}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete={autoComplete}
        dir={latin ? 'ltr' : 'auto'}
        spellCheck={latin || type === 'password' ? false : undefined}
        autoCapitalize={latin ? 'none' : undefined}
        maxLength={maxLength}
        required={required}
        // biome-ignore lint/a11y/noAutofocus: the first field of a form that is the whole page or dialog
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        data-testid={testId}
      />
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  )
}

/** A password input (never spell-checked, never capitalised). */
export function PasswordField(props: Omit<TextFieldProps, 'type' | 'latin'>) {
  return <TextField {...props} type="password" />
}

/**
 * A new password and the same typed again: ids `${id}-password` and
 * `${id}-confirm`, test ids `${testId}` and `${testId}-confirm`.
 */
export function NewPasswordFields({
  id,
  label,
  password,
  confirm,
  onPasswordChange,
  onConfirmChange,
  errors = {},
  testId,
}: {
  id: string
  label: string
  password: string
  confirm: string
  onPasswordChange(value: string): void
  onConfirmChange(value: string): void
  errors?: { password?: string | undefined; confirm?: string | undefined }
  testId: string
}) {
  const { t } = useTranslation()
  return (
    <>
      <TextField
        id={`${id}-password`}
        type="password"
        label={label}
        hint={t('auth.passwordHint', { min: MIN_PASSWORD_LENGTH })}
        error={errors.password}
        value={password}
        onChange={onPasswordChange}
        autoComplete="new-password"
        maxLength={MAX_PASSWORD_LENGTH}
        testId={testId}
      />
      <TextField
        id={`${id}-confirm`}
        type="password"
        label={t('account.confirmPassword')}
        error={errors.confirm}
        value={confirm}
        onChange={onConfirmChange}
        autoComplete="new-password"
        maxLength={MAX_PASSWORD_LENGTH}
        testId={`${testId}-confirm`}
      />
    </>
  )
}
