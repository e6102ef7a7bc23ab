import { type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DocumentSummary } from '../lib/api.js'
import { errorMessage } from '../lib/errors.js'
import {
  BATCH_FORMATS,
  type ExportFormat,
  exportDocuments,
  formatKey,
  saveBlob,
} from '../lib/transfer.js'

interface BatchExportProps {
  documents: readonly DocumentSummary[]
  selected: ReadonlySet<string>
  onSelectAll(selected: boolean): void
}

/** Select-all, and the selected documents exported as one zip in a chosen format. */
export function BatchExport({ documents, selected, onSelectAll }: BatchExportProps) {
  const { t } = useTranslation()
  const id = useId()
  const [format, setFormat] = useState<ExportFormat>('json')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const allRef = useRef<HTMLInputElement>(null)
  const chosen = documents.filter((d) => selected.has(d.id))
  const all = chosen.length === documents.length
  const some = chosen.length > 0 && !all

  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = some
  }, [some])

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (chosen.length === 0 || busy) return
    setBusy(true)
    setError('')
    try {
      const { blob, filename } = await exportDocuments(
        format,
        chosen.map((d) => d.id),
      )
      saveBlob(blob, filename)
    } catch (caught) {
      setError(errorMessage(caught, t))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="batch-export" onSubmit={onSubmit} aria-label={t('batch.label')}>
      <label className="batch-export__all">
        <input
          ref={allRef}
          type="checkbox"
          checked={all}
          onChange={(event) => onSelectAll(event.target.checked)}
          data-testid="select-all"
        />
        <span>{t('batch.selectAll')}</span>
      </label>
      <span className="batch-export__count" aria-live="polite" data-testid="batch-count">
        {t('batch.selected', { n: chosen.length })}
      </span>
      <span className="batch-export__controls">
        <label className="visually-hidden" htmlFor={`${id}-format`}>
          {t('batch.formatLabel')}
        </label>
        <select
          id={`${id}-format`}
          className="input batch-export__format"
          value={format}
          onChange={(event) => setFormat(event.target.value as ExportFormat)}
          data-testid="batch-export-format"
        >
          {BATCH_FORMATS.map((value) => (
            <option key={value} value={value}>
              {t(`export.formats.${formatKey(value)}.label`)}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="button button--primary"
          disabled={chosen.length === 0 || busy}
          data-testid="batch-export"
        >
          {busy ? t('batch.exporting') : t('batch.export')}
        </button>
      </span>
      {error && (
        <p className="message message--error batch-export__error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
