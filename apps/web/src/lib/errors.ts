import type { TFunction } from 'i18next'
import { ApiError } from './api.js'
import {
  type AccountProblem,
  MAX_DISPLAY_NAME_LENGTH,
  MIN_PASSWORD_LENGTH,
  retryMinutes,
} from './auth.js'

/**
 * Error codes of the accounts API with a message of our own in both
 * languages; anything else shows the server's message (`invalid-input` says
 * what was wrong), else a translated fallback.
 */
const KNOWN_CODES = {
  'invalid-credentials': 'auth.errors.invalidCredentials',
  'invalid-setup-code': 'auth.errors.invalidSetupCode',
  'setup-closed': 'auth.errors.setupClosed',
  'wrong-password': 'auth.errors.wrongPassword',
  'user-exists': 'auth.errors.userExists',
  'last-admin': 'auth.errors.lastAdmin',
  'cross-site-request': 'auth.errors.crossSite',
  owner: 'share.errors.owner',
  forbidden: 'errors.forbidden',
} as const

/** What to tell the user about a failed request. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.code === 'too-many-attempts' || error.status === 429) {
      return t('auth.errors.tooMany', { count: retryMinutes(error.retryAfter) })
    }
    const known = KNOWN_CODES[error.code as keyof typeof KNOWN_CODES]
    if (known) return t(known)
    if (error.code === 'signed-out' || error.status === 401) return t('auth.errors.signedOut')
    if (error.message) return error.message
    if (error.code === 'network') return t('errors.network')
    if (error.status === 403) return t('errors.forbidden')
    if (error.status === 404) return t('errors.notFound')
    if (error.status === 413) return t('errors.tooLarge')
    if (error.status === 400 || error.status === 422) return t('errors.invalid')
  }
  return t('errors.generic')
}

/** What to tell the user about a field of an account form (the setup code's too). */
export function problemMessage(problem: AccountProblem | 'codeRequired', t: TFunction): string {
  return t(`auth.problems.${problem}`, { min: MIN_PASSWORD_LENGTH, max: MAX_DISPLAY_NAME_LENGTH })
}

/** A 403: the account may not do this. */
export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403
}
