import type { TFunction } from 'i18next'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../lib/format.js'
import { createVersion, type Version } from '../lib/historyApi.js'
import type { UserDirectory } from './users.js'

interface VersionsProps {
  docId: string
  /** The form that names the current state is shown. */
  canSave: boolean
  /** Newest first, as the server sends them. */
  versions: readonly Version[]
  error: boolean
  users: UserDirectory
  /** The version being viewed, if any. */
  currentAt: string | null
  onSaved(): void
  onOpen(version: Version): void
  onCompare(version: Version): void
}

/** The server names a restore `restore:<the point it brought back>` (a version id, `s<seq>` or a time). */
const RESTORE_PREFIX = 'restore:'

/**
 * What a version is called. A restore says what it brought back, by that
 * version's name or time (`versions` is where it is looked up).
 */
export function versionLabel(
  version: Version,
  t: TFunction,
  language: string,
  versions: readonly Version[] = [],
): string {
  if (version.name?.startsWith(RESTORE_PREFIX)) {
    const at = version.name.slice(RESTORE_PREFIX.length)
    const source = versions.find((v) => v.id === at)
    const time = Number.isNaN(Date.parse(at)) ? null : at
    const what = source
      ? versionLabel(source, t, language)
      : time
        ? formatDateTime(time, language)
        : at
    return t('history.restoredVersion', { at: what })
  }
  return version.name ?? t('history.checkpoint', { time: formatDateTime(version.at, language) })
}

/** Named versions and automatic checkpoints: name the current state, pick one to look at. */
export function Versions(props: VersionsProps) {
  const { docId, canSave, versions, error, users, currentAt, onSaved, onOpen, onCompare } = props
  const { t, i18n } = useTranslation()
  const nameId = useId()
  const sliderId = useId()
  const [name, setName] = useState('')
  const [saving, setSaving] = useState(false)
  const [status, setStatus] = useState<{ text: string; tone: 'info' | 'error' } | null>(null)
  const chronological = [...versions].reverse()
  const sliderIndex = Math.max(
    0,
    chronological.findIndex((v) => v.id === currentAt),
  )

  const save = (event: React.FormEvent) => {
    event.preventDefault()
    const trimmed = name.trim()
    if (!trimmed) {
      setStatus({ text: t('history.nameRequired'), tone: 'error' })
      return
    }
    setSaving(true)
    createVersion(docId, trimmed).then(
      () => {
        setSaving(false)
        setName('')
        setStatus({ text: t('history.versionSaved', { name: trimmed }), tone: 'info' })
        onSaved()
      },
      () => {
        setSaving(false)
        setStatus({ text: t('history.saveFailed'), tone: 'error' })
      },
    )
  }

  return (
    <section className="versions" aria-label={t('history.versions')}>
      {canSave && (
        <form className="version-form" onSubmit={save}>
          <label htmlFor={nameId}>{t('history.nameVersion')}</label>
          <div className="version-form__row">
            <input
              id={nameId}
              className="input input--compact"
              data-testid="version-name-input"
              maxLength={200}
              placeholder={t('history.namePlaceholder')}
              value={name}
              dir="auto"
              onChange={(event) => setName(event.target.value)}
            />
            <button
              type="submit"
              className="button button--primary button--small"
              data-testid="version-save"
              disabled={saving}
            >
              {t('history.saveVersion')}
            </button>
          </div>
          <p
            className={`version-form__status${status?.tone === 'error' ? ' version-form__status--error' : ''}`}
            role="status"
          >
            {status?.text}
          </p>
        </form>
      )}

      {error && (
        <p className="message message--error" role="alert">
          {t('history.loadFailed')}
        </p>
      )}

      {chronological.length > 1 && (
        <div className="version-slider">
          <label htmlFor={sliderId}>{t('history.slider')}</label>
          <input
            id={sliderId}
            type="range"
            data-testid="version-slider"
            min={0}
            max={chronological.length - 1}
            step={1}
            value={sliderIndex}
            aria-valuetext={
              chronological[sliderIndex]
                ? versionLabel(chronological[sliderIndex] as Version, t, i18n.language, versions)
                : undefined
            }
            onChange={(event) => {
              const version = chronological[Number(event.target.value)]
              if (version) onOpen(version)
            }}
          />
          <div className="version-slider__ends" aria-hidden="true">
            <span>{t('history.oldest')}</span>
            <span>{t('history.newest')}</span>
          </div>
        </div>
      )}

      {versions.length === 0 ? (
        <p className="history-empty">{t('history.noVersions')}</p>
      ) : (
        <ol className="version-list" data-testid="version-list">
          {versions.map((version) => (
            <li
              key={version.id}
              className={`version-item${version.auto ? ' version-item--auto' : ''}${currentAt === version.id ? ' version-item--current' : ''}`}
            >
              <button
                type="button"
                className="version-item__open"
                data-testid="version-item"
                data-version-id={version.id}
                aria-current={currentAt === version.id ? 'true' : undefined}
                onClick={() => onOpen(version)}
              >
                <span className="version-item__name" dir="auto">
                  {version.auto
                    ? t('history.autoCheckpoint')
                    : versionLabel(version, t, i18n.language, versions)}
                </span>
                <span className="version-item__meta">
                  <time dateTime={version.at}>{formatDateTime(version.at, i18n.language)}</time>
                  {version.createdBy && <> · {users.nameOf(version.createdBy)}</>}
                </span>
              </button>
              <button
                type="button"
                className="button button--quiet button--small"
                data-testid="version-compare"
                onClick={() => onCompare(version)}
                aria-label={t('history.compareWithNowLabel', {
                  name: versionLabel(version, t, i18n.language, versions),
                })}
              >
                {t('history.compareWithNow')}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
