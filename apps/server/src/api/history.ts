/**
 * REST routes for annotation history: the audit trail (filtered, paginated,
 * newest first) and activity counts for charts. Both bring the trail up to
 * date with the update log before answering.
 */
import { ANNOTATION_KINDS } from '@hashiya/annotations'
import {
  AUDIT_ACTIONS,
  type AuditTrail,
  diffDocuments,
  listVersions,
  loadDocumentAt,
  restoreDocument,
} from '@hashiya/history'
import type { DocumentStore, StoredVersion } from '@hashiya/storage'
import type { SyncServer } from '@hashiya/sync-server'

import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { ApiError } from './errors.js'
import { historyPointToJson, resolvePoint } from './read-at.js'
import { documentIdOf, documentNotFound, readJson } from './request.js'

const time = (name: string) =>
  z
    .string()
    .transform((value, ctx) => {
      const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
      if (!Number.isFinite(ms)) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be an ISO time or milliseconds since 1970`,
        })
        return z.NEVER
      }
      return ms
    })
    .optional()

const filters = {
  user: z.string().min(1).max(128).optional(),
  kind: z
    .enum(ANNOTATION_KINDS, { error: `kind must be one of ${ANNOTATION_KINDS.join(', ')}` })
    .optional(),
  action: z
    .enum(AUDIT_ACTIONS, { error: `action must be one of ${AUDIT_ACTIONS.join(', ')}` })
    .optional(),
  from: time('from'),
  to: time('to'),
}

const historyQuery = z.object({
  ...filters,
  cursor: z.coerce.number({ error: 'cursor must be a number' }).int().positive().optional(),
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int({ error: 'limit must be a whole number' })
    .min(1, { error: 'limit must be between 1 and 500' })
    .max(500, { error: 'limit must be between 1 and 500' })
    .default(100),
})

const activityQuery = z.object({
  ...filters,
  bucket: z.enum(['hour', 'day'], { error: 'bucket must be hour or day' }).default('hour'),
  /** The viewer's offset from UTC in minutes (east positive), so that days start at their midnight. */
  utcOffset: z.coerce
    .number({ error: 'utcOffset must be a number of minutes' })
    .int({ error: 'utcOffset must be a whole number of minutes' })
    .min(-720, { error: 'utcOffset must be between -720 and 840 minutes' })
    .max(840, { error: 'utcOffset must be between -720 and 840 minutes' })
    .default(0),
})

function parseQuery<T>(c: Context, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) {
    throw new ApiError(
      400,
      'invalid-query',
      parsed.error.issues.map((issue) => issue.message).join('; '),
    )
  }
  return parsed.data
}

export interface HistoryRoutesOptions {
  store: DocumentStore
  trail: AuditTrail
  sync: SyncServer
  userIdOf(c: Context): string
  /** Silence after which the last update becomes an automatic checkpoint. */
  checkpointAfterMs: number
}

const restoreBody = z.strictObject({
  at: z
    .string({ error: 'at must be a version id, s<seq> or an ISO time' })
    .min(1, 'at must not be empty'),
})

function versionToJson(version: StoredVersion) {
  return {
    id: `v${version.id}`,
    name: version.name,
    auto: false,
    seq: version.seq,
    at: new Date(version.createdAt).toISOString(),
    createdBy: version.createdBy,
  }
}

/** A restore is recorded as a version named this, then the point it brought back. */
const RESTORE_NAME_PREFIX = 'restore:'

const versionBody = z.strictObject({
  name: z
    .string({ error: 'name must be a string' })
    .trim()
    .min(1, 'name must not be empty')
    .max(200, 'name must be at most 200 characters')
    // the server names restores so; a person's version must not pass for one
    .refine((name) => !name.startsWith(RESTORE_NAME_PREFIX), {
      error: `names starting with "${RESTORE_NAME_PREFIX}" are kept for restores`,
    }),
})

export function historyRoutes(options: HistoryRoutesOptions): Hono {
  const { store, trail, sync } = options
  const app = new Hono()

  const upToDate = async (c: Context) => {
    const documentId = documentIdOf(c)
    if (!(await store.getDocument(documentId))) throw documentNotFound(documentId)
    await sync.whenStored(documentId)
    // An open document's replica follows its commits; a closed one's is not kept.
    if (sync.isLoaded(documentId)) await trail.catchUp(documentId)
    else await trail.catchUpAndRelease(documentId)
    return documentId
  }

  app.get('/history', async (c) => {
    const query = parseQuery(c, historyQuery)
    const documentId = await upToDate(c)
    const events = await store.queryAuditEvents(documentId, {
      userId: query.user,
      kind: query.kind,
      action: query.action,
      from: query.from,
      to: query.to,
      before: query.cursor,
      limit: query.limit + 1,
    })
    const page = events.slice(0, query.limit)
    return c.json({
      events: page.map((event) => ({ ...event, at: new Date(event.at).toISOString() })),
      nextCursor: events.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
    })
  })

  app.get('/activity', async (c) => {
    const query = parseQuery(c, activityQuery)
    const documentId = await upToDate(c)
    const buckets = {
      sizeMs: query.bucket === 'day' ? 86_400_000 : 3_600_000,
      offsetMs: query.utcOffset * 60_000,
    }
    const activity = await store.auditActivity(documentId, buckets, {
      userId: query.user,
      kind: query.kind,
      action: query.action,
      from: query.from,
      to: query.to,
    })
    return c.json({
      bucket: query.bucket,
      byUser: activity.byUser,
      byKind: activity.byKind,
      byTime: activity.byTime.map((b) => ({
        start: new Date(b.start).toISOString(),
        count: b.count,
      })),
    })
  })

  const point = (documentId: string, at: string) => resolvePoint(store, documentId, at)

  app.get('/diff', async (c) => {
    const documentId = documentIdOf(c)
    await sync.whenStored(documentId)
    const summary = await store.getDocument(documentId)
    if (!summary) throw documentNotFound(documentId)
    const fromAt = c.req.query('from')
    if (!fromAt)
      throw new ApiError(
        400,
        'invalid-query',
        'from is required: a version id, s<seq> or an ISO time',
      )
    const toAt = c.req.query('to')
    const from = await point(documentId, fromAt)
    const to = toAt ? await point(documentId, toAt) : await point(documentId, `s${summary.lastSeq}`)
    if (from.seq > to.seq)
      throw new ApiError(400, 'invalid-query', 'from must not be later than to')
    const [earlier, later] = await Promise.all([
      loadDocumentAt(store, documentId, from.seq),
      loadDocumentAt(store, documentId, to.seq),
    ])
    try {
      const diff = diffDocuments(earlier, later, await store.readLog(documentId, from.seq, to.seq))
      return c.json({ from: historyPointToJson(from), to: historyPointToJson(to), ...diff })
    } finally {
      earlier.destroy()
      later.destroy()
    }
  })

  app.post('/restore', async (c) => {
    const documentId = documentIdOf(c)
    const input = await readJson(c, restoreBody, 'invalid-restore')
    await sync.whenStored(documentId)
    if (!(await store.getDocument(documentId))) throw documentNotFound(documentId)
    const from = await point(documentId, input.at)
    const past = await loadDocumentAt(store, documentId, from.seq)
    const userId = options.userIdOf(c)
    try {
      await sync.change(documentId, userId, (doc, origin) => restoreDocument(doc, past, origin))
    } finally {
      past.destroy()
    }
    const summary = await store.getDocument(documentId)
    if (!summary) throw documentNotFound(documentId)
    // the restore is itself a named point in history
    const version = await store.createVersion(documentId, {
      name: `${RESTORE_NAME_PREFIX}${input.at}`,
      seq: summary.lastSeq,
      createdBy: userId,
      createdAt: Date.now(),
    })
    return c.json({ restoredFrom: historyPointToJson(from), version: versionToJson(version) }, 201)
  })

  app.get('/versions', async (c) => {
    const documentId = documentIdOf(c)
    await sync.whenStored(documentId)
    if (!(await store.getDocument(documentId))) throw documentNotFound(documentId)
    const versions = await listVersions(store, documentId, { pauseMs: options.checkpointAfterMs })
    return c.json({
      versions: versions.map((v) => ({ ...v, at: new Date(v.at).toISOString() })),
    })
  })

  app.post('/versions', async (c) => {
    const documentId = documentIdOf(c)
    const input = await readJson(c, versionBody, 'invalid-version')
    // what the server has applied (the lead's last keystrokes included) is in the version
    await sync.whenStored(documentId)
    const summary = await store.getDocument(documentId)
    if (!summary) throw documentNotFound(documentId)
    const version = await store.createVersion(documentId, {
      name: input.name,
      seq: summary.lastSeq,
      createdBy: options.userIdOf(c),
      createdAt: Date.now(),
    })
    return c.json({ version: versionToJson(version) }, 201)
  })

  return app
}
