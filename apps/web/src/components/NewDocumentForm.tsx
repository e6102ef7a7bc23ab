import { type ChangeEvent, type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { createDocument, MAX_BODY_BYTES, MAX_TITLE_LENGTH } from '../lib/api.js'
import { formatBytes } from '../lib/format.js'
import {
  cleanTitle,
  decodeTextFile,
  titleFromBody,
  titleFromFileName,
  utf8Length,
} from '../lib/text.js'
import { FormMessages, SubmitButton, useSubmit } from './Form.js'

/** Creates a document from pasted text or an uploaded .txt file, then opens it. */
export function NewDocumentForm() {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const id = useId()
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [notice, setNotice] = useState('')
  const { busy, error, setError, submit } = useSubmit()
  const [fileName, setFileName] = useState('')

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0]
    if (!file) return
    setError('')
    setNotice('')
    setFileName(file.name)
    // choosing the same file again must fire `change` again
    event.target.value = ''
    if (file.size > MAX_BODY_BYTES) {
      setError(t('create.bodyTooLarge', { max: formatBytes(MAX_BODY_BYTES, i18n.language) }))
      return
    }
    try {
      const text = decodeTextFile(await file.arrayBuffer())
      setBody(text)
      if (!title.trim()) setTitle(titleFromFileName(file.name))
      setNotice(t('create.fileLoaded', { name: file.name }))
    } catch {
      setError(t('create.fileUnreadable'))
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setError('')
    setNotice('')
    if (!body.trim()) {
      setError(t('create.bodyRequired'))
      return
    }
    if (utf8Length(body) > MAX_BODY_BYTES) {
      setError(t('create.bodyTooLarge', { max: formatBytes(MAX_BODY_BYTES, i18n.language) }))
      return
    }
    const finalTitle = cleanTitle(title) || titleFromBody(body) || t('list.untitled')
    if (Array.from(finalTitle).length > MAX_TITLE_LENGTH) {
      setError(t('create.titleTooLong', { max: MAX_TITLE_LENGTH }))
      return
    }
    await submit(
      async () => {
        const document = await createDocument({ title: finalTitle, body })
        navigate(`/d/${encodeURIComponent(document.id)}`)
      },
      { leaving: true },
    )
  }

  return (
    <section className="card new-document" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="card__title">
        {t('create.title')}
      </h2>
      <form onSubmit={onSubmit} noValidate className="new-document__form">
        <div className="field">
          <label className="field__label" htmlFor={`${id}-title`}>
            {t('create.titleLabel')}
          </label>
          <input
            id={`${id}-title`}
            className="input"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            maxLength={MAX_TITLE_LENGTH}
            aria-describedby={`${id}-title-hint`}
            dir="auto"
            data-testid="new-document-title"
          />
          <p id={`${id}-title-hint`} className="field__hint">
            {t('create.titleHint')}
          </p>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-body`}>
            {t('create.bodyLabel')}
          </label>
          <textarea
            id={`${id}-body`}
            className="input textarea"
            value={body}
            onChange={(event) => setBody(event.target.value)}
            rows={8}
            aria-describedby={`${id}-body-hint`}
            dir="auto"
            lang="ar"
            data-testid="new-document-body"
          />
          <p id={`${id}-body-hint`} className="field__hint">
            {t('create.bodyHint')}
          </p>
        </div>
        <div className="field">
          <span className="field__label" id={`${id}-file-label`}>
            {t('create.fileLabel')}
          </span>
          <div className="file-picker">
            {/* the native control stays focusable; its label is the visible, translated button */}
            <input
              id={`${id}-file`}
              type="file"
              accept=".txt,text/plain"
              className="file-picker__input visually-hidden"
              onChange={onFile}
              aria-labelledby={`${id}-file-label`}
              data-testid="new-document-file"
            />
            <label htmlFor={`${id}-file`} className="button file-picker__button">
              {t('create.fileChoose')}
            </label>
            <span className="file-picker__name" dir="auto">
              {fileName || t('create.fileNone')}
            </span>
          </div>
        </div>
        <FormMessages error={error} notice={notice} />
        <div className="form-actions">
          <SubmitButton
            busy={busy}
            label={t('create.submit')}
            busyLabel={t('create.submitting')}
            testId="new-document-submit"
          />
        </div>
      </form>
    </section>
  )
}
