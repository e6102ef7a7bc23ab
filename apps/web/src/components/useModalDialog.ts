import { useEffect, useRef } from 'react'

/**
 * A native modal <dialog> that follows `open`: shown with showModal (focus
 * trapped, Escape closes) after `onOpen` has reset the form, and closed when
 * `open` turns false. Pass the result's `ref` and `onClose` to the element;
 * `onDismiss` runs when the person closes it (Escape) while it is meant to be open.
 */
export function useModalDialog(
  open: boolean,
  { onOpen, onDismiss }: { onOpen?(): void; onDismiss?(): void } = {},
) {
  const ref = useRef<HTMLDialogElement>(null)
  const onOpenRef = useRef(onOpen)
  onOpenRef.current = onOpen

  useEffect(() => {
    const element = ref.current
    if (!element) return
    if (open && !element.open) {
      onOpenRef.current?.()
      element.showModal()
    } else if (!open && element.open) element.close()
  }, [open])

  return {
    ref,
    onClose: () => {
      if (open) onDismiss?.()
    },
  }
}
