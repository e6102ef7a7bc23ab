import { type FormEvent, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Access,
  EVERYONE,
  type Grant,
  getAccess,
  type ShareLevel,
  shareDocument,
  unshareDocument,
} from '../lib/accountsApi.js'
import { errorMessage } from '../lib/errors.js'
import { formatDateTime } from '../lib/format.js'
import { shareCandidates, sortGrants } from '../lib/sharing.js'
import { useSession } from './AuthContext.js'
import { FormError, SubmitButton, useSubmit } from './Form.js'
import { useDirectory } from './UserDirectory.js'
import { useModalDialog } from './useModalDialog.js'

interface ShareDialogProps {
  docId: string
  title: string
  open: boolean
  onClose(): void
}

type State =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; access: Access }

/**
 * Who may open this document and what they may do: the owner, people it was
 * shared with (to edit or to read), or everyone in the newsroom. The owner and
 * leads change it; everyone else who opens it only reads the list.
 */
export function ShareDialog({ docId, title, open, onClose }: ShareDialogProps) {
  const { t, i18n } = useTranslation()
  const { user: self } = useSession()
  const directory = useDirectory()
  const id = useId()
  const [state, setState] = useState<State>({ kind: 'loading' })
  const [grantee, setGrantee] = useState('')
  const [level, setLevel] = useState<ShareLevel>('edit')
  const { busy, error, setError, submit } = useSubmit()
  const [announcement, setAnnouncement] = useState('')
  const { reload: reloadDirectory } = directory

  const modal = useModalDialog(open, {
    onOpen: () => {
      setGrantee('')
      setLevel('edit')
      setError('')
      setAnnouncement('')
    },
    onDismiss: onClose,
  })

  useEffect(() => {
    if (!open) return
    const controller = new AbortController()
    setState({ kind: 'loading' })
    reloadDirectory()
    getAccess(docId, controller.signal).then(
      (access) => setState({ kind: 'ready', access }),
      (caught: unknown) => {
        if (!controller.signal.aborted)
          setState({ kind: 'error', message: errorMessage(caught, t) })
      },
    )
    return () => controller.abort()
  }, [open, docId, t, reloadDirectory])

  const nameOf = (userId: string) =>
    userId === EVERYONE ? t('share.everyone') : (directory.names.get(userId) ?? userId)

  const access = state.kind === 'ready' ? state.access : null
  const canShare = access?.canShare ?? false
  const owner = access?.grants.find((grant) => grant.level === 'owner')?.userId ?? null
  const candidates = shareCandidates(directory.users, owner, self.id)

  function run(change: () => Promise<Grant[]>, done: string) {
    return submit(async () => {
      const grants = await change()
      setState((current) =>
        current.kind === 'ready'
          ? { kind: 'ready', access: { ...current.access, grants } }
          : current,
      )
      setAnnouncement(done)
    })
  }

  async function onAdd(event: FormEvent) {
    event.preventDefault()
    if (busy) return
    if (!grantee) {
      setError(t('share.chooseFirst'))
      return
    }
    const name = nameOf(grantee)
    const ok = await run(
      () => shareDocument(docId, grantee, level),
      t('share.added', { name, level: t(`share.levels.${level}`) }),
    )
    if (ok) setGrantee('')
  }

  return (
    <dialog
      ref={modal.ref}
      className="dialog dialog--share"
      aria-labelledby={`${id}-title`}
      data-testid="share-dialog"
      onClose={modal.onClose}
    >
      <div className="dialog__form">
        <h2 id={`${id}-title`} className="dialog__title">
          {t('share.title')}
        </h2>
        <p className="dialog__intro">
          «<bdi>{title}</bdi>»
        </p>

        {state.kind === 'loading' && (
          <p className="article-loading" role="status">
            {t('share.loading')}
          </p>
        )}
        {state.kind === 'error' && (
          <p className="message message--error" role="alert">
            {state.message}
          </p>
        )}
        {access && (
          <section aria-labelledby={`${id}-who`}>
            <h3 id={`${id}-who`} className="share__heading">
              {t('share.who')}
            </h3>
            <ul className="share-list" data-testid="share-list">
              {sortGrants(access.grants, nameOf).map((grant) => (
                <li
                  key={grant.userId}
                  className="share-list__item"
                  data-testid="share-grant"
                  data-user-id={grant.userId}
                  data-level={grant.level}
                >
                  <span className="share-list__who">
                    <span className="share-list__name" dir="auto">
                      {nameOf(grant.userId)}
                    </span>
                    {grant.userId !== EVERYONE && (
                      <span className="share-list__account" dir="ltr">
                        {grant.userId}
                      </span>
                    )}
                    {grant.userId === self.id && <span className="badge">{t('admin.you')}</span>}
                  </span>
                  <span
                    className={`share-list__level share-list__level--${grant.level}`}
                    title={
                      grant.grantedAt
                        ? t('share.grantedBy', {
                            name: grant.grantedBy ? nameOf(grant.grantedBy) : '—',
                            when: formatDateTime(grant.grantedAt, i18n.language),
                          })
                        : undefined
                    }
                  >
                    {t(`share.levels.${grant.level}`)}
                  </span>
                  {canShare && grant.level !== 'owner' && (
                    <button
                      type="button"
                      className="button button--quiet button--small button--danger-text"
                      disabled={busy}
                      aria-label={t('share.removeLabel', { name: nameOf(grant.userId) })}
                      data-testid={`share-remove-${grant.userId}`}
                      onClick={() =>
                        void run(
                          () => unshareDocument(docId, grant.userId),
                          t('share.removed', { name: nameOf(grant.userId) }),
                        )
                      }
                    >
                      {t('share.remove')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
            {access.grants.length === 0 && <p className="history-empty">{t('share.none')}</p>}
          </section>
        )}

        {access && canShare && (
          <form className="share-form" onSubmit={onAdd} noValidate aria-labelledby={`${id}-add`}>
            <h3 id={`${id}-add`} className="share__heading">
              {t('share.add')}
            </h3>
            <div className="share-form__row">
              <div className="field share-form__user">
                <label className="field__label" htmlFor={`${id}-user`}>
                  {t('share.person')}
                </label>
                <select
                  id={`${id}-user`}
                  className="input"
                  value={grantee}
                  onChange={(event) => {
                    setGrantee(event.target.value)
                    setError('')
                  }}
                  data-testid="share-user"
                >
                  <option value="">{t('share.choose')}</option>
                  <option value={EVERYONE}>{t('share.everyone')}</option>
                  {candidates.map((user) => (
                    <option key={user.id} value={user.id}>
                      {user.displayName === user.id ? user.id : `${user.displayName} (${user.id})`}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label className="field__label" htmlFor={`${id}-level`}>
                  {t('share.level')}
                </label>
                <select
                  id={`${id}-level`}
                  className="input"
                  value={level}
                  onChange={(event) => setLevel(event.target.value === 'read' ? 'read' : 'edit')}
                  data-testid="share-level"
                >
                  <option value="edit">{t('share.levels.edit')}</option>
                  <option value="read">{t('share.levels.read')}</option>
                </select>
              </div>
              <SubmitButton
                className="button button--primary share-form__submit"
                busy={busy}
                label={t('share.submit')}
                testId="share-add"
              />
            </div>
            <p className="field__hint">{t('share.viewerHint')}</p>
          </form>
        )}
        <FormError message={error} testId="share-error" />
        <p className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </p>
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose} data-testid="share-close">
            {t('import.close')}
          </button>
        </div>
      </div>
    </dialog>
  )
}
