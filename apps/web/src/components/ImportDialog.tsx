import { type DragEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { MAX_TITLE_LENGTH } from '../lib/api.js'
import { errorMessage } from '../lib/errors.js'
import { formatBytes } from '../lib/format.js'
import { cleanTitle } from '../lib/text.js'
import {
  droppedOf,
  droppedWording,
  fileLooksLikeW3c,
  type ImportResult,
  importDocument,
  MAX_IMPORT_BYTES,
} from '../lib/transfer.js'
import { FormError, SubmitButton } from './Form.js'
import { useModalDialog } from './useModalDialog.js'

interface ImportDialogProps {
  open: boolean
  onClose(): void
  /** A document was created (the list should be refreshed). */
  onImported(result: ImportResult): void
}

const ACCEPT = '.txt,.md,.markdown,.html,.htm,.docx,.json,.jsonld'

type Phase =
  | { kind: 'choosing' }
  | { kind: 'uploading'; fraction: number | null }
  | { kind: 'done'; result: ImportResult }

/**
 * Upload a file (text, Markdown, HTML, Word, a Hashiya export or W3C Web
 * Annotation with its text) as a new document, with the upload's progress and
 * then the server's report of what was kept and what could not be placed.
 */
export function ImportDialog({ open, onClose, onImported }: ImportDialogProps) {
  const { t, i18n } = useTranslation()
  const fileInputRef = useRef<HTMLInputElement>(null)
  const abortRef = useRef<AbortController | null>(null)
  const titleId = useId()
  const id = useId()
  const [file, setFile] = useState<File | null>(null)
  const [textFile, setTextFile] = useState<File | null>(null)
  const [w3c, setW3c] = useState(false)
  const [title, setTitle] = useState('')
  const [error, setError] = useState('')
  const [dragging, setDragging] = useState(false)
  const [phase, setPhase] = useState<Phase>({ kind: 'choosing' })

  const modal = useModalDialog(open, {
    onOpen: () => {
      setFile(null)
      setTextFile(null)
      setW3c(false)
      setTitle('')
      setError('')
      setPhase({ kind: 'choosing' })
    },
    onDismiss: onClose,
  })

  useEffect(() => () => abortRef.current?.abort(), [])

  async function choose(chosen: File | null) {
    setError('')
    setFile(chosen)
    setW3c(false)
    if (!chosen) return
    if (chosen.size > MAX_IMPORT_BYTES) {
      setError(t('import.tooLarge', { size: formatBytes(MAX_IMPORT_BYTES, i18n.language) }))
      return
    }
    setW3c(await fileLooksLikeW3c(chosen))
  }

  function onDrop(event: DragEvent) {
    event.preventDefault()
    setDragging(false)
    const dropped = event.dataTransfer.files[0]
    if (dropped) void choose(dropped)
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (phase.kind === 'uploading') return
    if (!file) {
      setError(t('import.chooseFirst'))
      fileInputRef.current?.focus()
      return
    }
    if (file.size > MAX_IMPORT_BYTES) {
      setError(t('import.tooLarge', { size: formatBytes(MAX_IMPORT_BYTES, i18n.language) }))
      return
    }
    setError('')
    setPhase({ kind: 'uploading', fraction: null })
    const controller = new AbortController()
    abortRef.current = controller
    try {
      const result = await importDocument(
        { file, text: w3c ? textFile : null, title: cleanTitle(title) || undefined },
        (fraction) => setPhase({ kind: 'uploading', fraction }),
        controller.signal,
      )
      setPhase({ kind: 'done', result })
      onImported(result)
    } catch (caught) {
      if (controller.signal.aborted) return
      setPhase({ kind: 'choosing' })
      setError(errorMessage(caught, t))
    } finally {
      if (abortRef.current === controller) abortRef.current = null
    }
  }

  function cancel() {
    abortRef.current?.abort()
    onClose()
  }

  const uploading = phase.kind === 'uploading'

  return (
    <dialog
      ref={modal.ref}
      className="dialog dialog--import"
      aria-labelledby={titleId}
      data-testid="import-dialog"
      onClose={() => {
        abortRef.current?.abort()
        modal.onClose()
      }}
    >
      <h2 id={titleId} className="dialog__title">
        {t('import.title')}
      </h2>
      {phase.kind === 'done' ? (
        <ImportReportView result={phase.result} onClose={onClose} />
      ) : (
        <form className="dialog__form" onSubmit={onSubmit} noValidate>
          <p className="dialog__intro">{t('import.intro')}</p>
          {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop zone also has a real file input inside it for keyboards */}
          <div
            className={`import-drop${dragging ? ' import-drop--over' : ''}`}
            data-testid="import-drop"
            onDragEnter={(event) => {
              event.preventDefault()
              setDragging(true)
            }}
            onDragOver={(event) => {
              event.preventDefault()
              event.dataTransfer.dropEffect = 'copy'
            }}
            onDragLeave={(event) => {
              if (!event.currentTarget.contains(event.relatedTarget as Node | null))
                setDragging(false)
            }}
            onDrop={onDrop}
          >
            <p className="import-drop__hint">{t('import.dropHint')}</p>
            <label className="field__label" htmlFor={`${id}-file`}>
              {t('import.fileLabel')}
            </label>
            <input
              ref={fileInputRef}
              id={`${id}-file`}
              type="file"
              className="import-drop__input"
              accept={ACCEPT}
              disabled={uploading}
              onChange={(event) => void choose(event.target.files?.[0] ?? null)}
              data-testid="import-file"
            />
            {file && (
              <p className="import-drop__chosen" data-testid="import-chosen">
                <bdi>{file.name}</bdi> · {formatBytes(file.size, i18n.language)}
              </p>
            )}
          </div>
          {w3c && (
            <div className="field">
              <label className="field__label" htmlFor={`${id}-text`}>
                {t('import.textFileLabel')}
              </label>
              <input
                id={`${id}-text`}
                type="file"
                accept=".txt,text/plain"
                disabled={uploading}
                aria-describedby={`${id}-text-hint`}
                onChange={(event) => setTextFile(event.target.files?.[0] ?? null)}
                data-testid="import-text-file"
              />
              <p id={`${id}-text-hint`} className="field__hint">
                {t('import.textFileHint')}
              </p>
            </div>
          )}
          <div className="field">
            <label className="field__label" htmlFor={`${id}-title`}>
              {t('import.titleLabel')}
            </label>
            <input
              id={`${id}-title`}
              className="input"
              value={title}
              maxLength={MAX_TITLE_LENGTH}
              dir="auto"
              disabled={uploading}
              onChange={(event) => setTitle(event.target.value)}
              aria-describedby={`${id}-title-hint`}
              data-testid="import-title"
            />
            <p id={`${id}-title-hint`} className="field__hint">
              {t('import.titleHint')}
            </p>
          </div>
          {uploading && (
            <div className="import-progress">
              <label htmlFor={`${id}-progress`}>
                {phase.fraction === null
                  ? t('import.uploading')
                  : t('import.uploadingPercent', {
                      percent: new Intl.NumberFormat(i18n.language, { style: 'percent' }).format(
                        phase.fraction,
                      ),
                    })}
              </label>
              <progress
                id={`${id}-progress`}
                max={1}
                // an indeterminate bar until the first progress event
                {...(phase.fraction === null ? {} : { value: phase.fraction })}
                data-testid="import-progress"
              />
            </div>
          )}
          <FormError message={error} testId="import-error" />
          <div className="dialog__actions">
            <SubmitButton
              busy={uploading}
              label={t('import.submit')}
              busyLabel={t('import.submitting')}
              testId="import-submit"
            />
            <button type="button" className="button" onClick={cancel}>
              {t('import.cancel')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  )
}

function ImportReportView({ result, onClose }: { result: ImportResult; onClose(): void }) {
  const { t, i18n } = useTranslation()
  const { report, document } = result
  const dropped = droppedOf(report)
  const number = (value: number) => new Intl.NumberFormat(i18n.language).format(value)
  const headingRef = useRef<HTMLParagraphElement>(null)
  useEffect(() => headingRef.current?.focus(), [])
  return (
    <div
      className="import-report"
      data-testid="import-report"
      data-annotations={report.annotations}
      data-paragraphs={report.paragraphs}
      data-dropped={dropped.length}
    >
      <p ref={headingRef} className="message message--info" role="status" tabIndex={-1}>
        {t('import.done', { title: document.title || t('list.untitled') })}
      </p>
      <dl className="import-report__facts">
        <dt>{t('import.reportFormat')}</dt>
        <dd data-testid="import-format">
          <bdi>{report.format}</bdi>
        </dd>
        <dt>{t('import.reportParagraphs')}</dt>
        <dd>{number(report.paragraphs)}</dd>
        <dt>{t('import.reportAnnotations')}</dt>
        <dd data-testid="import-annotations">{number(report.annotations)}</dd>
        <dt>{t('import.reportDropped')}</dt>
        <dd>{number(dropped.length)}</dd>
      </dl>
      <section
        className="import-report__dropped"
        aria-label={t('import.droppedHeading')}
        data-testid="import-dropped"
      >
        <h3>{t('import.droppedHeading')}</h3>
        {dropped.length > 0 ? (
          <ul>
            {dropped.map((item, index) => {
              const { what, reason } = droppedWording(item, t)
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list from one response
                <li key={index}>
                  <strong>
                    <bdi>{what}</bdi>
                  </strong>
                  : <bdi>{reason}</bdi>
                </li>
              )
            })}
          </ul>
        ) : (
          <p className="import-report__none">{t('import.nothingDropped')}</p>
        )}
      </section>
      <div className="dialog__actions">
        <Link
          to={`/d/${encodeURIComponent(document.id)}`}
          className="button button--primary"
          data-testid="import-open-document"
        >
          {t('import.openDocument')}
        </Link>
        <button type="button" className="button" onClick={onClose}>
          {t('import.close')}
        </button>
      </div>
    </div>
  )
}
