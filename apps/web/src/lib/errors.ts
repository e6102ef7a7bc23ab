import type { TFunction } from 'i18next'
import { ApiError } from './api.js'

/** What to tell the user about a failed request: the server's message, else a translated fallback. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    if (error.message) return error.message
    if (error.code === 'network') return t('errors.network')
    if (error.status === 404) return t('errors.notFound')
    if (error.status === 413) return t('errors.tooLarge')
    if (error.status === 400 || error.status === 422) return t('errors.invalid')
  }
  return t('errors.generic')
}
