import { type ReactNode, useId } from 'react'
import { useModalDialog } from './useModalDialog.js'

interface ConfirmDialogProps {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  cancelLabel: string
  busy?: boolean
  onConfirm(): void
  onCancel(): void
}

/** A modal yes/no question (native <dialog>: focus is trapped and Escape cancels). */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, children, confirmLabel, cancelLabel, busy, onConfirm, onCancel } = props
  const { ref } = useModalDialog(open)
  const titleId = useId()
  const bodyId = useId()

  return (
    <dialog
      ref={ref}
      className="dialog dialog--small"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onClose={onCancel}
    >
      <h2 id={titleId} className="dialog__title">
        {title}
      </h2>
      <div id={bodyId} className="dialog__intro">
        {children}
      </div>
      <div className="dialog__actions">
        <button
          type="button"
          className="button button--danger"
          onClick={onConfirm}
          disabled={busy}
          data-testid="confirm-dialog-confirm"
        >
          {confirmLabel}
        </button>
        {/* biome-ignore lint/a11y/noAutofocus: the safe choice takes the focus in a destructive confirmation */}
        <button type="button" className="button" onClick={onCancel} autoFocus>
          {cancelLabel}
        </button>
      </div>
    </dialog>
  )
}
