import type { TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import { ApiError } from './api.js'
import { errorMessage, problemMessage } from './errors.js'

// a stand-in for i18next: the key and its options, to see which message was chosen
const t = ((key: string, options?: Record<string, unknown>) =>
  options ? `${key} ${JSON.stringify(options)}` : key) as unknown as TFunction

describe('error messages', () => {
  it('say how many minutes to wait after too many attempts', () => {
    const error = new ApiError(429, 'too-many-attempts', 'Too many sign-ins', 840)
    expect(errorMessage(error, t)).toBe('auth.errors.tooMany {"count":14}')
  })

  it('translate the accounts API codes instead of showing the English message', () => {
    expect(errorMessage(new ApiError(401, 'invalid-credentials', 'Wrong'), t)).toBe(
      'auth.errors.invalidCredentials',
    )
    expect(errorMessage(new ApiError(409, 'last-admin', 'No'), t)).toBe('auth.errors.lastAdmin')
    expect(errorMessage(new ApiError(403, 'forbidden', 'No'), t)).toBe('errors.forbidden')
  })

  it('show the server message for invalid input, with fallbacks', () => {
    expect(errorMessage(new ApiError(400, 'invalid-input', 'username is reserved'), t)).toBe(
      'username is reserved',
    )
    expect(errorMessage(new ApiError(403, 'http_403', ''), t)).toBe('errors.forbidden')
    expect(errorMessage(new ApiError(0, 'network', ''), t)).toBe('errors.network')
    expect(errorMessage(new Error('x'), t)).toBe('errors.generic')
  })

  it('give account form problems the limits they mention', () => {
    expect(problemMessage('passwordTooShort', t)).toBe(
      'auth.problems.passwordTooShort {"min":10,"max":80}',
    )
    expect(problemMessage('codeRequired', t)).toBe('auth.problems.codeRequired {"min":10,"max":80}')
  })
})
