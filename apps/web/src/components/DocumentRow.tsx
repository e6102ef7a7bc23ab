import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { type DocumentSummary, MAX_TITLE_LENGTH, renameDocument } from '../lib/api.js'
import { errorMessage } from '../lib/errors.js'
import { formatBytes, formatDateTime } from '../lib/format.js'
import { cleanTitle } from '../lib/text.js'

interface DocumentRowProps {
  document: DocumentSummary
  onRenamed(document: DocumentSummary): void
  onDeleteRequest(document: DocumentSummary): void
  /** Can be chosen for a batch export (the account may export). */
  selectable: boolean
  /** Chosen for a batch export. */
  selected: boolean
  onSelectedChange(document: DocumentSummary, selected: boolean): void
}

export function DocumentRow(props: DocumentRowProps) {
  const { document, onRenamed, onDeleteRequest, selectable, selected, onSelectedChange } = props
  const { t, i18n } = useTranslation()
  const [renaming, setRenaming] = useState(false)
  const [draft, setDraft] = useState(document.title)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const inputRef = useRef<HTMLInputElement>(null)
  const renameButtonRef = useRef<HTMLButtonElement>(null)
  const wasRenaming = useRef(false)
  const id = useId()
  const title = document.title || t('list.untitled')
  const manage = document.permission === 'manage'

  useEffect(() => {
    if (renaming) inputRef.current?.select()
    else if (wasRenaming.current) renameButtonRef.current?.focus()
    wasRenaming.current = renaming
  }, [renaming])

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const next = cleanTitle(draft)
    if (!next || next === document.title) {
      setRenaming(false)
      return
    }
    setBusy(true)
    setError('')
    try {
      onRenamed(await renameDocument(document.id, next))
      setRenaming(false)
    } catch (caught) {
      setError(errorMessage(caught, t))
    } finally {
      setBusy(false)
    }
  }

  return (
    <li
      className={`document-row${selected ? ' document-row--selected' : ''}`}
      data-testid="document-row"
      data-document-id={document.id}
      data-permission={document.permission}
    >
      {selectable && (
        <input
          type="checkbox"
          className="document-row__select"
          checked={selected}
          onChange={(event) => onSelectedChange(document, event.target.checked)}
          aria-label={t('batch.selectLabel', { title })}
          data-testid="document-select"
        />
      )}
      {renaming && manage ? (
        <form className="document-row__rename" onSubmit={onSubmit}>
          <label className="visually-hidden" htmlFor={`${id}-title`}>
            {t('list.renameLabel', { title })}
          </label>
          <input
            id={`${id}-title`}
            ref={inputRef}
            className="input"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                event.preventDefault()
                setRenaming(false)
              }
            }}
            maxLength={MAX_TITLE_LENGTH}
            dir="auto"
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            data-testid="rename-input"
          />
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('list.renameSave')}
          </button>
          <button type="button" className="button" onClick={() => setRenaming(false)}>
            {t('list.renameCancel')}
          </button>
          {error && (
            <p id={`${id}-error`} className="message message--error" role="alert">
              {error}
            </p>
          )}
        </form>
      ) : (
        <>
          <div className="document-row__main">
            <Link
              to={`/d/${encodeURIComponent(document.id)}`}
              className="document-row__title"
              dir="auto"
            >
              {title}
            </Link>
            <p className="document-row__meta">
              <span>
                <span className="visually-hidden">{t('list.columnUpdated')}: </span>
                <time dateTime={document.updatedAt}>
                  {formatDateTime(document.updatedAt, i18n.language)}
                </time>
              </span>
              <span aria-hidden="true"> · </span>
              <span>
                <span className="visually-hidden">{t('list.columnSize')}: </span>
                {formatBytes(document.size, i18n.language)}
              </span>
              {document.permission !== 'manage' && (
                <>
                  <span aria-hidden="true"> · </span>
                  <span
                    className={`document-row__permission document-row__permission--${document.permission}`}
                    data-testid="document-permission"
                  >
                    {t(`list.permission.${document.permission}`)}
                  </span>
                </>
              )}
            </p>
          </div>
          {manage && (
            <div className="document-row__actions">
              <button
                ref={renameButtonRef}
                type="button"
                className="button button--quiet"
                onClick={() => {
                  setDraft(document.title)
                  setError('')
                  setRenaming(true)
                }}
                aria-label={t('list.renameActionLabel', { title })}
                data-testid="rename-document"
              >
                {t('list.rename')}
              </button>
              <button
                type="button"
                className="button button--quiet button--danger-text"
                onClick={() => onDeleteRequest(document)}
                aria-label={t('list.deleteLabel', { title })}
                data-testid="delete-document"
              >
                {t('list.delete')}
              </button>
            </div>
          )}
        </>
      )}
    </li>
  )
}
