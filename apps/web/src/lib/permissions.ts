/**
 * What the interface offers, from the signed-in account's abilities (its role,
 * across the newsroom) and its permission on one document. The server decides
 * and enforces all of it; this only keeps the interface from offering what
 * would be refused.
 */
import type { KeyValueStore } from './storage.js'

export const ROLES = ['admin', 'lead', 'editor', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** What someone may do with one document, from least to most. */
export const DOCUMENT_PERMISSIONS = ['read', 'edit', 'manage'] as const
export type DocumentPermission = (typeof DOCUMENT_PERMISSIONS)[number]

/** Newsroom-wide abilities of the signed-in account (`GET /api/session`). */
export interface Abilities {
  manageUsers: boolean
  reviewHistory: boolean
  export: boolean
  createDocuments: boolean
}

export const NO_ABILITIES: Abilities = {
  manageUsers: false,
  reviewHistory: false,
  export: false,
  createDocuments: false,
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function isDocumentPermission(value: unknown): value is DocumentPermission {
  return typeof value === 'string' && (DOCUMENT_PERMISSIONS as readonly string[]).includes(value)
}

export function atLeast(permission: DocumentPermission, needed: DocumentPermission): boolean {
  return DOCUMENT_PERMISSIONS.indexOf(permission) >= DOCUMENT_PERMISSIONS.indexOf(needed)
}

/** Abilities as the server sent them: anything missing or not `true` is not allowed. */
export function readAbilities(value: unknown): Abilities {
  if (typeof value !== 'object' || value === null) return NO_ABILITIES
  const given = value as Record<string, unknown>
  return {
    manageUsers: given.manageUsers === true,
    reviewHistory: given.reviewHistory === true,
    export: given.export === true,
    createDocuments: given.createDocuments === true,
  }
}

/** What the editor page offers for one document. */
export interface DocumentCapabilities {
  /** Type in the article, tag text, change annotations (read-only otherwise). */
  edit: boolean
  /** Open the sharing dialog and change who has access. */
  share: boolean
  rename: boolean
  delete: boolean
  /** The history tab: timeline, versions, activity, the past and comparisons. */
  history: boolean
  /** Put the live document back as it was (history and editing both needed). */
  restore: boolean
  /** Name the current state as a version. */
  saveVersion: boolean
  export: boolean
}

export function documentCapabilities(
  permission: DocumentPermission,
  abilities: Abilities,
): DocumentCapabilities {
  const edit = atLeast(permission, 'edit')
  const manage = atLeast(permission, 'manage')
  return {
    edit,
    share: manage,
    rename: manage,
    delete: manage,
    history: abilities.reviewHistory,
    restore: abilities.reviewHistory && edit,
    saveVersion: abilities.reviewHistory,
    export: abilities.export,
  }
}

/** What the document list offers. */
export interface ListCapabilities {
  /** The new-document form. */
  create: boolean
  /** The import dialog. */
  import: boolean
  /** Selecting documents and exporting them as one zip. */
  batchExport: boolean
}

export function listCapabilities(abilities: Abilities): ListCapabilities {
  return {
    create: abilities.createDocuments,
    import: abilities.createDocuments,
    batchExport: abilities.export,
  }
}

const PERMISSION_KEY = 'hashiya.permission.'

/**
 * The permission last seen for a document by this account, for opening its
 * offline copy when the server cannot be asked. Without one, read only.
 */
export function rememberedPermission(
  store: KeyValueStore,
  userId: string,
  docId: string,
): DocumentPermission {
  const value = store.getItem(`${PERMISSION_KEY}${userId}:${docId}`)
  return isDocumentPermission(value) ? value : 'read'
}

export function rememberPermission(
  store: KeyValueStore,
  userId: string,
  docId: string,
  permission: DocumentPermission | null,
): void {
  try {
    const key = `${PERMISSION_KEY}${userId}:${docId}`
    if (permission === null) store.removeItem(key)
    else store.setItem(key, permission)
  } catch {
    // storage full or unavailable: only the offline fallback needs it
  }
}
