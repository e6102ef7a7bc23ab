/**
 * Authorization middleware: one policy table for every document route, so
 * what each role may do is readable in one place (and tested as a matrix).
 */
import { type Accounts, atLeast, type DocumentPermission, roleCan } from '@hashiya/accounts'
import type { MiddlewareHandler } from 'hono'
import { documentIdOf, documentNotFound } from '../api/request.js'
import { currentAuth, currentUser, forbidden } from './context.js'

export type Ability = Parameters<typeof roleCan>[1]

export function requireUser(): MiddlewareHandler {
  return async (c, next) => {
    currentAuth(c)
    await next()
  }
}

export function requireAbility(ability: Ability): MiddlewareHandler {
  return async (c, next) => {
    if (!roleCan(currentUser(c).role, ability)) throw forbidden()
    await next()
  }
}

export interface Requirement {
  permission: DocumentPermission
  ability?: Ability
}

const HISTORY_ROUTES = new Set(['history', 'activity', 'diff', 'versions', 'restore'])

/**
 * What a request under `/api/documents/:id` needs, from its method and the
 * path after the id. Anything not listed needs `manage`.
 */
export function documentRequirement(
  method: string,
  rest: string,
  pastVersion: boolean,
): Requirement {
  const [section = ''] = rest.split('/')
  const reading = method === 'GET' || method === 'HEAD'
  const history: Ability | undefined = pastVersion ? 'review-history' : undefined
  if (section === '') {
    if (reading) return { permission: 'read', ability: history }
    return { permission: 'manage' }
  }
  if (section === 'annotations') {
    return reading ? { permission: 'read', ability: history } : { permission: 'edit' }
  }
  if (HISTORY_ROUTES.has(section)) {
    // Naming a version or restoring one changes the document: it needs edit rights too.
    return { permission: reading ? 'read' : 'edit', ability: 'review-history' }
  }
  if (section === 'export') return { permission: 'read', ability: 'export' }
  if (section === 'access') return reading ? { permission: 'read' } : { permission: 'manage' }
  return { permission: 'manage' }
}

/**
 * Checks the caller's permission on the document in the path. A document the
 * caller may not read answers 404, like one that does not exist, so ids
 * cannot be probed.
 */
export function authorizeDocument(accounts: Accounts): MiddlewareHandler {
  return async (c, next) => {
    const user = currentUser(c)
    const documentId = documentIdOf(c)
    const rest = /\/documents\/[^/]+\/?(.*)$/.exec(c.req.path)?.[1] ?? ''
    const needed = documentRequirement(c.req.method, rest, Boolean(c.req.query('at')))
    const permission = await accounts.permission(user, documentId)
    if (permission === 'none') throw documentNotFound(documentId)
    const lacksAbility = needed.ability !== undefined && !roleCan(user.role, needed.ability)
    if (!atLeast(permission, needed.permission) || lacksAbility) throw forbidden()
    c.set('documentPermission', permission)
    await next()
  }
}
