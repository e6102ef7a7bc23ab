import { USER_COLORS } from '@hashiya/editor'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useIdentity } from './IdentityContext.js'
import { useModalDialog } from './useModalDialog.js'

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
 * The colour this person appears in (caret, presence, history), a preference
 * kept in this browser; the name comes from their account.
 */
export function UserDialog() {
  const { t } = useTranslation()
  const { identity, saveColor, dialog, closeDialog } = useIdentity()
  const [color, setColor] = useState(identity.color)
  const titleId = useId()
  const introId = useId()
  const modal = useModalDialog(dialog === 'color', {
    onOpen: () => setColor(identity.color),
    onDismiss: closeDialog,
  })

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    saveColor(color)
  }

  const colors: readonly string[] = USER_COLORS.includes(color as (typeof USER_COLORS)[number])
    ? USER_COLORS
    : [...USER_COLORS, color]

  return (
    <dialog
      ref={modal.ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={introId}
      data-testid="color-dialog"
      onClose={modal.onClose}
    >
      <form className="dialog__form" onSubmit={onSubmit} noValidate>
        <h2 id={titleId} className="dialog__title">
          {t('user.colorTitle')}
        </h2>
        <p id={introId} className="dialog__intro">
          {t('user.colorIntro', { name: identity.name })}
        </p>
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
                    data-testid={`color-${key}`}
                  />
                  <span className="colors__swatch" style={{ backgroundColor: option }} />
                </label>
              )
            })}
          </div>
        </fieldset>
        <div className="dialog__actions">
          <button type="submit" className="button button--primary" data-testid="color-save">
            {t('user.save')}
          </button>
          <button type="button" className="button" onClick={closeDialog}>
            {t('user.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
