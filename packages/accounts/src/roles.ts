/**
 * Roles and document access: who may do what, decided in one place so the
 * HTTP API and the WebSocket can never disagree.
 *
 * A role says what kind of work someone does across the newsroom; a grant says
 * which documents they work on. Leads and admins reach every document; editors
 * and viewers only those they own or that were shared with them (or with
 * everyone). A viewer stays read-only whatever a grant says.
 */

export const ROLES = ['admin', 'lead', 'editor', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** What a grant on one document gives; `owner` is the creator's. */
export const ACCESS_LEVELS = ['owner', 'edit', 'read'] as const
export type AccessLevel = (typeof ACCESS_LEVELS)[number]

/** The grantee meaning "every signed-in account". */
export const EVERYONE = '*'

export interface Grant {
  userId: string
  level: AccessLevel
}

/** What someone may do with one document, from least to most. */
export const PERMISSIONS = ['none', 'read', 'edit', 'manage'] as const
export type DocumentPermission = (typeof PERMISSIONS)[number]

export interface Principal {
  id: string
  role: Role
}

const rank = (permission: DocumentPermission) => PERMISSIONS.indexOf(permission)

export function atLeast(permission: DocumentPermission, needed: DocumentPermission): boolean {
  return rank(permission) >= rank(needed)
}

const grantPermission: Record<AccessLevel, DocumentPermission> = {
  owner: 'manage',
  edit: 'edit',
  read: 'read',
}

export function documentPermission(
  principal: Principal,
  grants: readonly Grant[],
): DocumentPermission {
  if (principal.role === 'admin' || principal.role === 'lead') return 'manage'
  let best: DocumentPermission = 'none'
  for (const grant of grants) {
    if (grant.userId !== principal.id && grant.userId !== EVERYONE) continue
    const granted = grantPermission[grant.level]
    if (rank(granted) > rank(best)) best = granted
  }
  if (principal.role === 'viewer' && rank(best) > rank('read')) return 'read'
  return best
}

/** Newsroom-wide abilities that do not depend on one document. */
export function roleCan(
  role: Role,
  ability: 'manage-users' | 'review-history' | 'export' | 'create-documents',
): boolean {
  switch (ability) {
    case 'manage-users':
      return role === 'admin'
    case 'review-history':
    case 'export':
      return role === 'admin' || role === 'lead'
    case 'create-documents':
      return role !== 'viewer'
  }
}
