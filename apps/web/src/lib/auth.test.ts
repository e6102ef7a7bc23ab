import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from './api.js'
import {
  accountFormProblems,
  CLOSE_CODES,
  closeVerdict,
  failedConnectVerdict,
  loginPath,
  newPasswordProblem,
  normalizeSetupCode,
  retryMinutes,
  safeReturnPath,
} from './auth.js'

describe('account forms', () => {
  it('accept what the server accepts', () => {
    expect(
      accountFormProblems({
        username: '  Layla.Ahmad ',
        displayName: 'ليلى أحمد',
        password: 'ten chars!',
        confirm: 'ten chars!',
      }),
    ).toEqual({})
  })

  it('name each problem by field', () => {
    expect(
      accountFormProblems({ username: '', displayName: ' ', password: 'short', confirm: 'short' }),
    ).toEqual({
      username: 'usernameRequired',
      displayName: 'displayNameRequired',
      password: 'passwordTooShort',
    })
    expect(accountFormProblems({ username: 'ليلى' }).username).toBe('usernameInvalid')
    expect(accountFormProblems({ username: 'a' }).username).toBe('usernameInvalid')
    expect(accountFormProblems({ username: '.layla' }).username).toBe('usernameInvalid')
    expect(accountFormProblems({ username: 'x'.repeat(33) }).username).toBe('usernameInvalid')
    expect(accountFormProblems({ displayName: 'ن'.repeat(81) }).displayName).toBe(
      'displayNameTooLong',
    )
    expect(accountFormProblems({ password: 'long enough', confirm: 'long enougH' })).toEqual({
      confirm: 'passwordMismatch',
    })
    expect(accountFormProblems({ password: 'x'.repeat(257) }).password).toBe('passwordTooLong')
  })

  it('name the first problem of a new password typed twice', () => {
    expect(newPasswordProblem('long enough', 'long enough')).toBeUndefined()
    expect(newPasswordProblem('short', 'other')).toBe('passwordTooShort')
    expect(newPasswordProblem('long enough', 'long enougH')).toBe('passwordMismatch')
  })

  it('reads a setup code however it was pasted', () => {
    expect(normalizeSetupCode(' ab12-cd34-ef56 \n')).toBe('AB12-CD34-EF56')
  })
})

describe('returning after sign-in', () => {
  it('keeps paths inside the app', () => {
    expect(safeReturnPath('/d/abc?x=1#p')).toBe('/d/abc?x=1#p')
    expect(safeReturnPath('/admin/users')).toBe('/admin/users')
  })

  it('refuses other sites, odd paths and the sign-in pages', () => {
    for (const bad of [
      null,
      undefined,
      '',
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/login',
      '/setup?code=1',
    ]) {
      expect(safeReturnPath(bad), String(bad)).toBe('/')
    }
  })

  it('builds the sign-in link with where to come back', () => {
    expect(loginPath('/d/abc')).toBe('/login?next=%2Fd%2Fabc')
    expect(loginPath('/')).toBe('/login')
    expect(loginPath(null)).toBe('/login')
    expect(loginPath('//evil.example')).toBe('/login')
  })
})

describe('too many attempts', () => {
  it('rounds Retry-After up to whole minutes, at least one', () => {
    expect(retryMinutes(1)).toBe(1)
    expect(retryMinutes(60)).toBe(1)
    expect(retryMinutes(61)).toBe(2)
    expect(retryMinutes(900)).toBe(15)
    expect(retryMinutes(null)).toBe(1)
    expect(retryMinutes(Number.NaN)).toBe(1)
  })

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('120')).toBe(120)
    expect(parseRetryAfter(null)).toBeNull()
    expect(parseRetryAfter('soon')).toBeNull()
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:05:00 GMT', now)).toBe(300)
  })
})

describe('document connection', () => {
  it('tells what a close code means', () => {
    expect(closeVerdict(CLOSE_CODES.signedOut)).toBe('signed-out')
    expect(closeVerdict(CLOSE_CODES.accessRemoved)).toBe('no-access')
    expect(closeVerdict(CLOSE_CODES.documentDeleted)).toBe('deleted')
    expect(closeVerdict(CLOSE_CODES.permissionsChanged)).toBe('permissions-changed')
    expect(closeVerdict(1006)).toBe('retry')
    expect(closeVerdict(null)).toBe('retry')
  })

  it('tells why a connection failed before it opened, from the API', () => {
    expect(failedConnectVerdict(401, 401)).toBe('signed-out')
    expect(failedConnectVerdict(401, 0)).toBe('signed-out')
    expect(failedConnectVerdict(200, 404)).toBe('no-access')
    expect(failedConnectVerdict(200, 403)).toBe('no-access')
    // the server is down or the network is: keep trying
    expect(failedConnectVerdict(0, 0)).toBe('retry')
    expect(failedConnectVerdict(200, 0)).toBe('retry')
    expect(failedConnectVerdict(200, 200)).toBe('retry')
    expect(failedConnectVerdict(200, 500)).toBe('retry')
  })
})
