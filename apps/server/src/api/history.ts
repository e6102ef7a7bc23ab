/**
 * REST routes for annotation history: the audit trail (filtered, paginated,
 * newest first) and activity counts for charts. Both bring the trail up to
 * date with the update log before answering.
 */
import { ANNOTATION_KINDS } from '@hashiya/annotations'
import { AUDIT_ACTIONS, type AuditTrail } from '@hashiya/history'
import type { DocumentStore } from '@hashiya/storage'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { ApiError } from './errors.js'
import { documentIdOf, documentNotFound } from './request.js'

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
  limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(500).default(100),
})

const activityQuery = z.object({
  ...filters,
  bucket: z.enum(['hour', 'day'], { error: 'bucket must be hour or day' }).default('hour'),
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
}

export function historyRoutes({ store, trail }: HistoryRoutesOptions): Hono {
  const app = new Hono()

  const upToDate = async (c: Context) => {
    const documentId = documentIdOf(c)
    if (!(await store.getDocument(documentId))) throw documentNotFound(documentId)
    await trail.catchUp(documentId)
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
    const bucketMs = query.bucket === 'day' ? 86_400_000 : 3_600_000
    const activity = await store.auditActivity(documentId, bucketMs, {
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

  return app
}
