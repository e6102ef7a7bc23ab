import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'

interface DraftFieldProps {
  value: string
  onCommit: (value: string) => void
  label: string
  placeholder: string
  maxLength: number
  multiline?: boolean
  className?: string
  testId: string
}

/**
 * A text field saved when it loses focus or on Enter (Shift+Enter adds a line
 * in a note); Escape puts back the saved value. While the person is typing,
 * changes from colleagues do not overwrite their draft; otherwise the field
 * follows the document.
 */
export function DraftField({
  value,
  onCommit,
  label,
  placeholder,
  maxLength,
  multiline = false,
  className,
  testId,
}: DraftFieldProps) {
  const id = useId()
  const [draft, setDraft] = useState(value)
  const dirty = useRef(false)

  useEffect(() => {
    if (!dirty.current) setDraft(value)
  }, [value])

  const commit = () => {
    if (!dirty.current) return
    dirty.current = false
    const next = draft.trim()
    if (next !== value) onCommit(next)
    else setDraft(value)
  }

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing) return
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault()
      commit()
    } else if (event.key === 'Escape') {
      event.preventDefault()
      dirty.current = false
      setDraft(value)
    }
  }

  const common = {
    id,
    className: `input input--compact ${className ?? ''}`,
    value: draft,
    placeholder,
    maxLength,
    // an empty field follows the page (dir="auto" would lay the placeholder out left to right)
    dir: draft ? ('auto' as const) : undefined,
    'data-testid': testId,
    onChange: (event: { target: { value: string } }) => {
      dirty.current = true
      setDraft(event.target.value)
    },
    onBlur: commit,
    onKeyDown,
  }

  return (
    <div className="draft-field">
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      {multiline ? <textarea rows={1} {...common} /> : <input type="text" {...common} />}
    </div>
  )
}
