/**
 * Pure rules of signing in: what a valid account name and password look like
 * (the server checks again), where to return after signing in, how long to
 * wait after too many attempts, and what a closed or failed document
 * connection means for the session.
 */

/** Account names: lowercase Latin letters, digits, dots, dashes and underscores, 2–32. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/
export const MIN_PASSWORD_LENGTH = 10
export const MAX_PASSWORD_LENGTH = 256
export const MAX_DISPLAY_NAME_LENGTH = 80

export type AccountField = 'username' | 'displayName' | 'password' | 'confirm'

/** The i18n keys of what is wrong with an account form, by field (empty when it can be sent). */
export function accountFormProblems(input: {
  username?: string
  displayName?: string
  password?: string
  /** The password typed again, when the form asks for it. */
  confirm?: string
}): Partial<Record<AccountField, AccountProblem>> {
  const problems: Partial<Record<AccountField, AccountProblem>> = {}
  if (input.username !== undefined) {
    const username = normalizeUsername(input.username)
    if (!username) problems.username = 'usernameRequired'
    else if (!USERNAME_PATTERN.test(username)) problems.username = 'usernameInvalid'
  }
  if (input.displayName !== undefined) {
    const name = input.displayName.trim()
    if (!name) problems.displayName = 'displayNameRequired'
    else if ([...name].length > MAX_DISPLAY_NAME_LENGTH) problems.displayName = 'displayNameTooLong'
  }
  if (input.password !== undefined) {
    if (input.password.length < MIN_PASSWORD_LENGTH) problems.password = 'passwordTooShort'
    else if (input.password.length > MAX_PASSWORD_LENGTH) problems.password = 'passwordTooLong'
  }
  if (input.confirm !== undefined && input.password !== undefined) {
    if (input.confirm !== input.password) problems.confirm = 'passwordMismatch'
  }
  return problems
}

/** What is wrong with a new password typed twice, the first problem only; undefined if nothing. */
export function newPasswordProblem(password: string, confirm: string): AccountProblem | undefined {
  const problems = accountFormProblems({ password, confirm })
  return problems.password ?? problems.confirm
}

export type AccountProblem =
  | 'usernameRequired'
  | 'usernameInvalid'
  | 'displayNameRequired'
  | 'displayNameTooLong'
  | 'passwordTooShort'
  | 'passwordTooLong'
  | 'passwordMismatch'

/** What the server does with an account name before checking it. */
export function normalizeUsername(value: string): string {
  return value.trim().toLowerCase()
}

/** The setup code as printed (`XXXX-XXXX-XXXX`), tolerant of spaces and lowercase. */
export function normalizeSetupCode(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase()
}

const AUTH_PAGES = ['/login', '/setup']

/**
 * A path inside this app to go back to after signing in, or `/` for anything
 * else (another site, `//host`, the sign-in pages themselves).
 */
export function safeReturnPath(value: string | null | undefined): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return '/'
  if (value.startsWith('//') || value.includes('\\')) {
    return '/'
  }
  try {
    const url = new URL(value, 'http://hashiya.invalid')
    if (url.origin !== 'http://hashiya.invalid') return '/'
    if (AUTH_PAGES.includes(url.pathname)) return '/'
    return `${url.pathname}${url.search}${url.hash}`
  } catch {
    return '/'
  }
}

/** The sign-in page, asked to come back to `from` afterwards (not for the home page). */
export function loginPath(from: string | null): string {
  const back = from ? safeReturnPath(from) : '/'
  return back === '/' ? '/login' : `/login?${new URLSearchParams({ next: back })}`
}

/** Whole minutes to wait, at least one, from a `Retry-After` in seconds. */
export function retryMinutes(seconds: number | null): number {
  if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return 1
  return Math.max(1, Math.ceil(seconds / 60))
}

/** WebSocket close codes of the document connection (apps/server, packages/sync-server). */
export const CLOSE_CODES = {
  permissionsChanged: 4001,
  signedOut: 4401,
  accessRemoved: 4403,
  documentDeleted: 4404,
} as const

export type CloseVerdict = 'signed-out' | 'no-access' | 'deleted' | 'permissions-changed' | 'retry'

/** What a close of the document's WebSocket means (`null`: closed without a code). */
export function closeVerdict(code: number | null): CloseVerdict {
  switch (code) {
    case CLOSE_CODES.signedOut:
      return 'signed-out'
    case CLOSE_CODES.accessRemoved:
      return 'no-access'
    case CLOSE_CODES.documentDeleted:
      return 'deleted'
    case CLOSE_CODES.permissionsChanged:
      return 'permissions-changed'
    default:
      return 'retry'
  }
}

/**
 * After a connection failed before it opened (the server answers an upgrade it
 * refuses with a plain HTTP status the browser does not show), what the
 * session and the document say: the HTTP status of `GET /api/session` and of
 * `GET /api/documents/:id` (0 when there was no answer).
 */
export function failedConnectVerdict(sessionStatus: number, documentStatus: number): CloseVerdict {
  if (sessionStatus === 401 || documentStatus === 401) return 'signed-out'
  if (sessionStatus === 0 || documentStatus === 0) return 'retry'
  // a document the account may not open answers 404, like a deleted one
  if (documentStatus === 403 || documentStatus === 404) return 'no-access'
  return 'retry'
}
