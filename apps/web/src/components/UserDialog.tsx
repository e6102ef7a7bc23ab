import { USER_COLORS } from '@hashiya/editor'
import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useIdentity } from './IdentityContext.js'

const COLOR_NAMES = {
  '#b91c1c': 'red',
  '#c2410c': 'orange',
  '#a16207': 'amber',
  '#15803d': 'green',
  '#0f766e': 'teal',
  '#0369a1': 'sky',
  '#1d4ed8': 'blue',
  '#6d28d9': 'violet',
  '#a21caf': 'fuchsia',
  '#be185d': 'pink',
} as const satisfies Record<(typeof USER_COLORS)[number], string>

/**
 * Asks for a display name and colour: on the first visit (and then it cannot be
 * dismissed without a name), and whenever the person wants to change them.
 */
export function UserDialog() {
  const { t } = useTranslation()
  const { identity, needsProfile, saveProfile, dialogOpen, closeDialog } = useIdentity()
  const dialogRef = useRef<HTMLDialogElement>(null)
  const [name, setName] = useState(identity.name)
  const [color, setColor] = useState(identity.color)
  const [error, setError] = useState('')
  const titleId = useId()
  const introId = useId()
  const errorId = useId()

  useEffect(() => {
    const dialog = dialogRef.current
    if (!dialog) return
    if (dialogOpen && !dialog.open) {
      setName(identity.name)
      setColor(identity.color)
      setError('')
      dialog.showModal()
    } else if (!dialogOpen && dialog.open) {
      dialog.close()
    }
  }, [dialogOpen, identity])

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (!name.trim()) {
      setError(t('user.nameRequired'))
      return
    }
    saveProfile({ name, color })
  }

  const colors: readonly string[] = USER_COLORS.includes(color as (typeof USER_COLORS)[number])
    ? USER_COLORS
    : [...USER_COLORS, color]

  return (
    <dialog
      ref={dialogRef}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={introId}
      onCancel={(event) => {
        // the first time, a name is needed before anything else
        if (needsProfile) event.preventDefault()
        else closeDialog()
      }}
      onClose={() => {
        if (!needsProfile) closeDialog()
      }}
    >
      <form className="dialog__form" onSubmit={onSubmit} noValidate>
        <h2 id={titleId} className="dialog__title">
          {t('user.dialogTitle')}
        </h2>
        <p id={introId} className="dialog__intro">
          {t('user.dialogIntro')}
        </p>
        <div className="field">
          <label className="field__label" htmlFor={`${titleId}-name`}>
            {t('user.nameLabel')}
          </label>
          <input
            id={`${titleId}-name`}
            className="input"
            data-testid="user-name-input"
            value={name}
            onChange={(event) => {
              setName(event.target.value)
              if (error) setError('')
            }}
            placeholder={t('user.namePlaceholder')}
            autoComplete="name"
            maxLength={40}
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            autoFocus
          />
          {error && (
            <p id={errorId} className="field__error" role="alert">
              {error}
            </p>
          )}
        </div>
        <fieldset className="field colors">
          <legend className="field__label">{t('user.colorLabel')}</legend>
          <div className="colors__options">
            {colors.map((option) => {
              const key = COLOR_NAMES[option as keyof typeof COLOR_NAMES] ?? 'other'
              return (
                <label key={option} className="colors__option" title={t(`colors.${key}`)}>
                  <input
                    type="radio"
                    name="user-color"
                    value={option}
                    checked={color === option}
                    onChange={() => setColor(option)}
                    className="colors__radio"
                    aria-label={t(`colors.${key}`)}
                  />
                  <span className="colors__swatch" style={{ backgroundColor: option }} />
                </label>
              )
            })}
          </div>
        </fieldset>
        <div className="dialog__actions">
          <button type="submit" className="button button--primary" data-testid="user-name-save">
            {t('user.save')}
          </button>
          {!needsProfile && (
            <button type="button" className="button" onClick={closeDialog}>
              {t('user.cancel')}
            </button>
          )}
        </div>
      </form>
    </dialog>
  )
}
