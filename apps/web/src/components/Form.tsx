/**
 * What the app's forms (sign-in, setup, accounts, passwords, new documents,
 * import) share: submitting with a busy state and a failure turned into a
 * message, the message itself, and the submit button that says it is busy.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../lib/errors.js'

interface SubmitOptions {
  /** Success leaves the page or form (navigation, sign-in): the button stays busy until then. */
  leaving?: boolean
  /** Sees a failure before it becomes the error message. */
  onError?(caught: unknown): void
}

/** Busy while a submission runs; a failed one leaves what to tell the user in `error`. */
export function useSubmit() {
  const { t } = useTranslation()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')

  /** Runs `work` with the form busy and the error cleared; resolves to whether it succeeded. */
  async function submit(work: () => Promise<void>, options: SubmitOptions = {}): Promise<boolean> {
    setBusy(true)
    setError('')
    try {
      await work()
      if (!options.leaving) setBusy(false)
      return true
    } catch (caught) {
      options.onError?.(caught)
      setError(errorMessage(caught, t))
      setBusy(false)
      return false
    }
  }

  return { busy, error, setError, submit }
}

/** A form's error, announced as it appears; nothing without one. */
export function FormError({ message, testId }: { message: string; testId?: string }) {
  if (!message) return null
  return (
    <p className="message message--error" role="alert" data-testid={testId}>
      {message}
    </p>
  )
}

/** The live region under a form's fields: its error, and a notice after success. */
export function FormMessages({
  error,
  errorTestId,
  notice = '',
  live = 'polite',
}: {
  error: string
  errorTestId?: string
  notice?: string
  live?: 'polite' | 'assertive'
}) {
  return (
    <div aria-live={live} className="form-messages">
      <FormError message={error} testId={errorTestId} />
      {notice && <p className="message message--info">{notice}</p>}
    </div>
  )
}

/** The primary button of a form, disabled and relabelled (if `busyLabel`) while it is busy. */
export function SubmitButton({
  busy,
  label,
  busyLabel = label,
  testId,
  className = 'button button--primary',
}: {
  busy: boolean
  label: string
  busyLabel?: string
  testId: string
  className?: string
}) {
  return (
    <button type="submit" className={className} disabled={busy} data-testid={testId}>
      {busy ? busyLabel : label}
    </button>
  )
}
