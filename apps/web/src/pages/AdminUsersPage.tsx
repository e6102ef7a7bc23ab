import { type FormEvent, type ReactNode, useCallback, useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { AppHeader } from '../components/AppHeader.js'
import { useAuth, useSession } from '../components/AuthContext.js'
import { FormError, FormMessages, SubmitButton, useSubmit } from '../components/Form.js'
import { NoAccess } from '../components/NoAccess.js'
import { NewPasswordFields, TextField } from '../components/PasswordField.js'
import { useDirectory } from '../components/UserDirectory.js'
import { useDocumentTitle } from '../components/useDocumentTitle.js'
import { useModalDialog } from '../components/useModalDialog.js'
import { createUser, listUsers, type User, updateUser } from '../lib/accountsApi.js'
import {
  type AccountField,
  type AccountProblem,
  accountFormProblems,
  MAX_DISPLAY_NAME_LENGTH,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  newPasswordProblem,
  normalizeUsername,
} from '../lib/auth.js'
import { errorMessage, isForbidden, problemMessage } from '../lib/errors.js'
import { formatDateTime } from '../lib/format.js'
import { isRole, ROLES, type Role } from '../lib/permissions.js'

type ListState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'forbidden' }
  | { kind: 'ready'; users: User[] }

function byName(a: User, b: User): number {
  return a.displayName.localeCompare(b.displayName, 'ar') || a.id.localeCompare(b.id)
}

/** Administrators: every account, its role and whether it may sign in; new accounts; names; password resets. */
export function AdminUsersPage() {
  const { t } = useTranslation()
  const { abilities } = useSession()
  useDocumentTitle(`${t('admin.title')} — ${t('app.name')}`)
  return (
    <>
      <AppHeader />
      <main id="main" className="page page--admin" tabIndex={-1}>
        {abilities.manageUsers ? (
          <UserAdministration />
        ) : (
          <div className="page--narrow">
            <h1 className="page__title">{t('admin.title')}</h1>
            <NoAccess message={t('admin.denied')} />
          </div>
        )}
      </main>
    </>
  )
}

function UserAdministration() {
  const { t } = useTranslation()
  const { user: self } = useSession()
  const { refresh } = useAuth()
  const directory = useDirectory()
  const [state, setState] = useState<ListState>({ kind: 'loading' })
  const [rowErrors, setRowErrors] = useState<ReadonlyMap<string, string>>(new Map())
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set())
  const [announcement, setAnnouncement] = useState('')
  const [resetting, setResetting] = useState<User | null>(null)
  const [renaming, setRenaming] = useState<User | null>(null)

  const load = useCallback(
    (signal?: AbortSignal) => {
      listUsers(signal).then(
        (users) =>
          setState({
            kind: 'ready',
            users: users
              .filter((user): user is User => isRole(user.role))
              .map((user) => ({ ...user, active: user.active !== false }))
              .sort(byName),
          }),
        (error: unknown) => {
          if (signal?.aborted) return
          setState(
            isForbidden(error)
              ? { kind: 'forbidden' }
              : { kind: 'error', message: errorMessage(error, t) },
          )
        },
      )
    },
    [t],
  )

  useEffect(() => {
    const controller = new AbortController()
    load(controller.signal)
    return () => controller.abort()
  }, [load])

  function replace(user: User) {
    setState((current) =>
      current.kind === 'ready'
        ? {
            kind: 'ready',
            users: current.users
              .map((u) => (u.id === user.id ? { ...u, ...user } : u))
              .sort(byName),
          }
        : current,
    )
  }

  function setRowError(id: string, message: string) {
    setRowErrors((current) => {
      const next = new Map(current)
      if (message) next.set(id, message)
      else next.delete(id)
      return next
    })
  }

  async function change(user: User, changes: { role?: Role; active?: boolean }) {
    setRowError(user.id, '')
    setBusyIds((current) => new Set(current).add(user.id))
    // shown at once, put back if the server refuses
    replace({ ...user, ...changes })
    try {
      const updated = await updateUser(user.id, changes)
      replace(updated)
      directory.reload()
      setAnnouncement(
        changes.role
          ? t('admin.roleChanged', { name: updated.displayName, role: t(`roles.${updated.role}`) })
          : updated.active
            ? t('admin.activated', { name: updated.displayName })
            : t('admin.deactivated', { name: updated.displayName }),
      )
      // one's own role decides what this page and the others offer
      if (user.id === self.id) void refresh()
    } catch (error) {
      replace(user)
      setRowError(user.id, errorMessage(error, t))
    } finally {
      setBusyIds((current) => {
        const next = new Set(current)
        next.delete(user.id)
        return next
      })
    }
  }

  if (state.kind === 'forbidden') return <NoAccess message={t('admin.denied')} />

  return (
    <div className="list-layout admin-layout">
      <section className="admin-users" aria-labelledby="admin-heading">
        <div className="documents__head">
          <h1 id="admin-heading" className="page__title">
            {t('admin.title')}
          </h1>
          {state.kind === 'ready' && (
            <span className="documents__count">
              {t('admin.count', { count: state.users.length })}
            </span>
          )}
        </div>
        {state.kind === 'loading' && (
          <p className="message message--info" role="status">
            {t('admin.loading')}
          </p>
        )}
        {state.kind === 'error' && (
          <div className="message message--error" role="alert">
            <p>{state.message}</p>
            <button type="button" className="button" onClick={() => load()}>
              {t('list.retry')}
            </button>
          </div>
        )}
        {state.kind === 'ready' && (
          <div className="table-frame">
            <table className="user-table" data-testid="user-table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.columnName')}</th>
                  <th scope="col">{t('admin.columnRole')}</th>
                  <th scope="col">{t('admin.columnActive')}</th>
                  <th scope="col">{t('admin.columnCreated')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('list.columnActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.users.map((user) => (
                  <UserRow
                    key={user.id}
                    user={user}
                    isSelf={user.id === self.id}
                    busy={busyIds.has(user.id)}
                    error={rowErrors.get(user.id) ?? ''}
                    onChange={(changes) => void change(user, changes)}
                    onReset={() => setResetting(user)}
                    onRename={() => setRenaming(user)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </p>
      </section>
      <NewUserForm
        onCreated={(user) => {
          setState((current) =>
            current.kind === 'ready'
              ? { kind: 'ready', users: [...current.users, user].sort(byName) }
              : current,
          )
          directory.reload()
          setAnnouncement(t('admin.created', { name: user.displayName }))
        }}
      />
      <RenameDialog
        user={renaming}
        onClose={() => setRenaming(null)}
        onDone={(updated) => {
          replace(updated)
          directory.reload()
          setAnnouncement(t('admin.renamed', { name: updated.displayName }))
          // one's own name is in the header and in presence
          if (updated.id === self.id) void refresh()
        }}
      />
      <ResetPasswordDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(user) => setAnnouncement(t('admin.passwordReset', { name: user.displayName }))}
      />
    </div>
  )
}

function UserRow({
  user,
  isSelf,
  busy,
  error,
  onChange,
  onReset,
  onRename,
}: {
  user: User
  isSelf: boolean
  busy: boolean
  error: string
  onChange(changes: { role?: Role; active?: boolean }): void
  onReset(): void
  onRename(): void
}) {
  const { t, i18n } = useTranslation()
  const created =
    typeof user.createdAt === 'number' || typeof user.createdAt === 'string'
      ? new Date(user.createdAt).toISOString()
      : ''
  const errorId = `user-error-${user.id}`
  return (
    <>
      <tr
        className={`user-row${user.active ? '' : ' user-row--inactive'}`}
        data-testid={`user-row-${user.id}`}
        data-active={user.active ? 'true' : 'false'}
        data-role={user.role}
      >
        <th scope="row" className="user-row__name">
          <span className="user-row__display" dir="auto">
            {user.displayName}
          </span>
          <span className="user-row__username" dir="ltr">
            {user.id}
          </span>
          {isSelf && <span className="badge">{t('admin.you')}</span>}
        </th>
        <td>
          <select
            className="input input--compact"
            value={user.role}
            disabled={busy}
            aria-label={t('admin.roleOf', { name: user.displayName })}
            aria-describedby={error ? errorId : undefined}
            data-testid={`user-role-${user.id}`}
            onChange={(event) => {
              if (isRole(event.target.value)) onChange({ role: event.target.value })
            }}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`roles.${role}`)}
              </option>
            ))}
          </select>
        </td>
        <td>
          <label className="switch" title={isSelf ? t('admin.selfActive') : undefined}>
            <input
              type="checkbox"
              role="switch"
              className="switch__input"
              checked={user.active}
              aria-checked={user.active}
              disabled={busy || isSelf}
              aria-label={t('admin.activeOf', { name: user.displayName })}
              aria-describedby={error ? errorId : undefined}
              data-testid={`user-active-${user.id}`}
              onChange={(event) => onChange({ active: event.target.checked })}
            />
            <span className="switch__label">
              {user.active ? t('admin.active') : t('admin.inactive')}
            </span>
          </label>
        </td>
        <td className="user-row__created">
          {created && <time dateTime={created}>{formatDateTime(created, i18n.language)}</time>}
        </td>
        <td className="user-row__actions">
          <button
            type="button"
            className="button button--quiet"
            aria-haspopup="dialog"
            aria-label={t('admin.renameOf', { name: user.displayName })}
            data-testid={`user-rename-${user.id}`}
            onClick={onRename}
          >
            {t('admin.rename')}
          </button>
          <button
            type="button"
            className="button button--quiet"
            aria-haspopup="dialog"
            aria-label={t('admin.resetOf', { name: user.displayName })}
            data-testid={`user-reset-${user.id}`}
            onClick={onReset}
          >
            {t('admin.reset')}
          </button>
        </td>
      </tr>
      {error && (
        <tr className="user-row__error-row">
          <td colSpan={5}>
            <p
              id={errorId}
              className="message message--error"
              role="alert"
              data-testid={`user-error-${user.id}`}
            >
              {error}
            </p>
          </td>
        </tr>
      )}
    </>
  )
}

type NewUserProblems = Partial<Record<AccountField, AccountProblem>>

function NewUserForm({ onCreated }: { onCreated(user: User): void }) {
  const { t } = useTranslation()
  const id = useId()
  const [username, setUsername] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [role, setRole] = useState<Role>('editor')
  const [password, setPassword] = useState('')
  const [problems, setProblems] = useState<NewUserProblems>({})
  const [notice, setNotice] = useState('')
  const { busy, error, setError, submit } = useSubmit()

  const problemText = (field: AccountField) => {
    const problem = problems[field]
    return problem ? problemMessage(problem, t) : undefined
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (busy) return
    const found = accountFormProblems({ username, displayName, password })
    setProblems(found)
    setError('')
    setNotice('')
    if (Object.keys(found).length > 0) return
    await submit(async () => {
      const user = await createUser({
        username: normalizeUsername(username),
        displayName: displayName.trim(),
        role,
        password,
      })
      onCreated({ ...user, active: user.active !== false })
      setUsername('')
      setDisplayName('')
      setPassword('')
      setRole('editor')
      setNotice(t('admin.created', { name: user.displayName }))
    })
  }

  return (
    <section className="card new-user" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="card__title">
        {t('admin.newUser')}
      </h2>
      <form className="new-document__form" onSubmit={onSubmit} noValidate>
        <TextField
          id={`${id}-username`}
          label={t('auth.username')}
          hint={t('auth.usernameHint')}
          error={problemText('username')}
          value={username}
          onChange={setUsername}
          autoComplete="off"
          latin
          maxLength={32}
          testId="new-user-username"
        />
        <TextField
          id={`${id}-display-name`}
          label={t('auth.displayName')}
          error={problemText('displayName')}
          value={displayName}
          onChange={setDisplayName}
          autoComplete="off"
          maxLength={MAX_DISPLAY_NAME_LENGTH}
          testId="new-user-display-name"
        />
        <div className="field">
          <label className="field__label" htmlFor={`${id}-role`}>
            {t('admin.columnRole')}
          </label>
          <select
            id={`${id}-role`}
            className="input"
            value={role}
            aria-describedby={`${id}-role-hint`}
            data-testid="new-user-role"
            onChange={(event) => {
              if (isRole(event.target.value)) setRole(event.target.value)
            }}
          >
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {t(`roles.${option}`)}
              </option>
            ))}
          </select>
          <p id={`${id}-role-hint`} className="field__hint">
            {t(`roleHints.${role}`)}
          </p>
        </div>
        <TextField
          id={`${id}-password`}
          type="password"
          label={t('admin.initialPassword')}
          hint={t('auth.passwordHint', { min: MIN_PASSWORD_LENGTH })}
          error={problemText('password')}
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          maxLength={MAX_PASSWORD_LENGTH}
          testId="new-user-password"
        />
        <FormMessages error={error} errorTestId="new-user-error" notice={notice} />
        <div className="form-actions">
          <SubmitButton
            busy={busy}
            label={t('admin.create')}
            busyLabel={t('admin.creating')}
            testId="new-user-submit"
          />
        </div>
      </form>
    </section>
  )
}

interface AccountDialogProps {
  user: User | null
  onClose(): void
  onDone(user: User): void
}

/**
 * A dialog that changes one account: the caller's fields, checked here before
 * the change is sent, the server's refusal shown in place.
 */
function AccountChangeDialog({
  user,
  onClose,
  onDone,
  testId,
  title,
  intro,
  submitLabel,
  onOpen,
  check,
  send,
  children,
}: AccountDialogProps & {
  /** Prefix of the dialog's test ids: `<testId>-dialog`, `-error`, `-submit`. */
  testId: string
  title: string
  intro: string
  submitLabel: string
  /** Resets the caller's fields each time the dialog opens. */
  onOpen(): void
  check(): AccountProblem | undefined
  send(user: User): Promise<User>
  children(id: string): ReactNode
}) {
  const { t } = useTranslation()
  const id = useId()
  const { busy, error, setError, submit } = useSubmit()
  const modal = useModalDialog(user !== null, {
    onOpen: () => {
      onOpen()
      setError('')
    },
    onDismiss: onClose,
  })

  async function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (!user || busy) return
    const problem = check()
    if (problem) {
      setError(problemMessage(problem, t))
      return
    }
    await submit(async () => {
      onDone(await send(user))
      onClose()
    })
  }

  return (
    <dialog
      ref={modal.ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      data-testid={`${testId}-dialog`}
      onClose={modal.onClose}
    >
      <form className="dialog__form" onSubmit={onSubmit} noValidate>
        <h2 id={`${id}-title`} className="dialog__title">
          {title}
        </h2>
        <p className="dialog__intro">{intro}</p>
        {children(id)}
        <FormError message={error} testId={`${testId}-error`} />
        <div className="dialog__actions">
          <SubmitButton busy={busy} label={submitLabel} testId={`${testId}-submit`} />
          <button type="button" className="button" onClick={onClose}>
            {t('user.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  )
}

/** The name colleagues see for an account (carets, presence, history); the account name stays. */
function RenameDialog(props: AccountDialogProps) {
  const { t } = useTranslation()
  const [displayName, setDisplayName] = useState('')
  return (
    <AccountChangeDialog
      {...props}
      testId="rename"
      title={t('admin.renameTitle', { name: props.user?.displayName ?? '' })}
      intro={t('admin.renameIntro')}
      submitLabel={t('admin.renameSubmit')}
      onOpen={() => setDisplayName(props.user?.displayName ?? '')}
      check={() => accountFormProblems({ displayName }).displayName}
      send={async (user) => {
        const updated = await updateUser(user.id, { displayName: displayName.trim() })
        return { ...updated, active: updated.active !== false }
      }}
    >
      {(id) => (
        <TextField
          id={`${id}-display-name`}
          label={t('auth.displayName')}
          value={displayName}
          onChange={setDisplayName}
          autoComplete="off"
          maxLength={MAX_DISPLAY_NAME_LENGTH}
          testId="rename-display-name"
        />
      )}
    </AccountChangeDialog>
  )
}

function ResetPasswordDialog(props: AccountDialogProps) {
  const { t } = useTranslation()
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  return (
    <AccountChangeDialog
      {...props}
      testId="reset"
      title={t('admin.resetTitle', { name: props.user?.displayName ?? '' })}
      intro={t('admin.resetIntro')}
      submitLabel={t('admin.resetSubmit')}
      onOpen={() => {
        setPassword('')
        setConfirm('')
      }}
      check={() => newPasswordProblem(password, confirm)}
      send={async (user) => {
        await updateUser(user.id, { password })
        return user
      }}
    >
      {(id) => (
        <NewPasswordFields
          id={id}
          label={t('account.newPassword')}
          password={password}
          confirm={confirm}
          onPasswordChange={setPassword}
          onConfirmChange={setConfirm}
          testId="reset-password"
        />
      )}
    </AccountChangeDialog>
  )
}
