import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { EXPORT_FORMATS, exportUrl, formatKey } from '../lib/transfer.js'
import { useMenuButton } from './useMenuButton.js'

interface ExportMenuProps {
  docId: string
  /** The point in history being viewed (`v3`, `s120`, an ISO time), or null for the live document. */
  at: string | null
  /** The name of the version viewed, when it has one. */
  pointName?: string | null
}

/**
 * A menu button whose items are download links to the server's export of this
 * document (of the past point shown, when the time-travel view is open).
 */
export function ExportMenu({ docId, at, pointName = null }: ExportMenuProps) {
  const { t } = useTranslation()
  const { open, setOpen, rootRef, buttonRef, menuRef, menuId, close, onMenuKey } = useMenuButton()
  const noteId = useId()

  return (
    <div className="export-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="button button--small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid="export-menu"
        onClick={() => setOpen((current) => !current)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault()
            setOpen(true)
          }
        }}
      >
        <DownloadIcon />
        <span>{at ? t('export.buttonAt') : t('export.button')}</span>
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          className="export-menu__popup"
          role="menu"
          aria-label={t('export.menuLabel')}
          aria-describedby={noteId}
          data-testid="export-menu-popup"
          onKeyDown={onMenuKey}
        >
          <p
            id={noteId}
            className={`export-menu__note${at ? ' export-menu__note--past' : ''}`}
            data-testid="export-point"
          >
            {at
              ? t('export.pastNote', { point: pointName ? `«${pointName}»` : at })
              : t('export.liveNote')}
          </p>
          {EXPORT_FORMATS.map((format) => (
            <a
              key={format}
              role="menuitem"
              tabIndex={-1}
              className="export-menu__item"
              href={exportUrl(docId, format, at)}
              download=""
              data-testid={`export-${format}`}
              onClick={() => close(true)}
            >
              <span className="export-menu__label">
                {t(`export.formats.${formatKey(format)}.label`)}
              </span>
              <span className="export-menu__description">
                {t(`export.formats.${formatKey(format)}.description`)}
              </span>
            </a>
          ))}
        </div>
      )}
    </div>
  )
}

function DownloadIcon() {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d="M12 4v11m0 0-4.5-4.5M12 15l4.5-4.5M5 19h14"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}
