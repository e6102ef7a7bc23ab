/**
 * REST routes for claim annotations. Reads come from the Yjs document; writes go
 * through the sync core like any editor's change, so everyone editing sees them
 * at once and they are stored before the response.
 */
import {
  ANNOTATION_KINDS,
  type Annotation,
  AnnotationError,
  createAnnotation,
  deleteAnnotation,
  isValidAnnotationId,
  MAX_NOTE_LENGTH,
  MAX_SPEAKER_LENGTH,
  readAnnotations,
  updateAnnotation,
} from '@hashiya/annotations'
import type { DocumentStore } from '@hashiya/storage'
import { DocumentNotFoundError, type Logger, type SyncServer } from '@hashiya/sync-server'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { ApiError } from './errors.js'
import { historyPointToJson, readAt } from './read-at.js'
import { documentIdOf, documentNotFound, readJson } from './request.js'

const kind = z.enum(ANNOTATION_KINDS, {
  error: `kind must be one of ${ANNOTATION_KINDS.join(', ')}`,
})
const note = z
  .string({ error: 'note must be a string' })
  .max(MAX_NOTE_LENGTH, `note must be at most ${MAX_NOTE_LENGTH} characters`)
const speaker = z
  .string({ error: 'speaker must be a string' })
  .max(MAX_SPEAKER_LENGTH, `speaker must be at most ${MAX_SPEAKER_LENGTH} characters`)
const offset = (name: string) =>
  z
    .number({ error: `${name} must be a number (a code-point offset)` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must not be negative`)
const annotationIds = z
  .array(z.string().refine(isValidAnnotationId, 'invalid annotation id'))
  .max(100)

const createBody = z.strictObject(
  {
    kind,
    start: offset('start'),
    end: offset('end'),
    note: note.optional(),
    speaker: speaker.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : undefined,
  },
)

const patchBody = z.strictObject(
  {
    kind: kind.optional(),
    note: note.optional(),
    speaker: speaker.optional(),
    link: annotationIds.optional(),
    unlink: annotationIds.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : undefined,
  },
)

export function annotationToJson(annotation: Annotation) {
  return {
    id: annotation.id,
    kind: annotation.kind,
    text: annotation.text,
    start: annotation.start,
    end: annotation.end,
    ranges: annotation.ranges,
    author: annotation.author,
    createdAt: new Date(annotation.createdAt).toISOString(),
    updatedAt: new Date(annotation.updatedAt).toISOString(),
    updatedBy: annotation.updatedBy,
    note: annotation.note,
    speaker: annotation.speaker,
    relations: annotation.relations,
  }
}

function annotationIdOf(c: Context): string {
  const id = c.req.param('annotationId') ?? ''
  if (!isValidAnnotationId(id)) throw new ApiError(400, 'invalid-id', 'Invalid annotation id.')
  return id
}

function toApiError(error: unknown, documentId: string): unknown {
  if (error instanceof DocumentNotFoundError) return documentNotFound(documentId)
  if (error instanceof AnnotationError) {
    if (error.code === 'not-found') return new ApiError(404, 'annotation-not-found', error.message)
    return new ApiError(422, error.code, error.message)
  }
  return error
}

export interface AnnotationRoutesOptions {
  store: DocumentStore
  sync: SyncServer
  logger: Logger
  userIdOf(c: Context): string
}

export function annotationRoutes({ store, sync, logger, userIdOf }: AnnotationRoutesOptions): Hono {
  const app = new Hono()

  /** The annotation as readers now see it (404 if it no longer covers any text). */
  const current = async (documentId: string, id: string) => {
    const annotation = await sync.read(documentId, (doc) =>
      readAnnotations(doc).annotations.find((a) => a.id === id),
    )
    if (!annotation)
      throw new ApiError(404, 'annotation-not-found', `There is no annotation ${id}.`)
    return annotationToJson(annotation)
  }

  app.get('/', async (c) => {
    const documentId = documentIdOf(c)
    const { value: reading, at } = await readAt(c, { store, sync }, documentId, readAnnotations)
    if (reading.problems.length > 0) {
      logger.warn(
        { documentId, ignored: reading.problems.length, first: reading.problems[0] },
        'ignoring invalid annotation entries',
      )
    }
    return c.json({
      annotations: reading.annotations.map(annotationToJson),
      ignored: reading.problems,
      at: historyPointToJson(at),
    })
  })

  app.post('/', async (c) => {
    const documentId = documentIdOf(c)
    const input = await readJson(c, createBody, 'invalid-annotation')
    const author = userIdOf(c)
    const id = await sync
      .change(documentId, author, (doc, origin) =>
        createAnnotation(doc, { ...input, author }, origin),
      )
      .catch((error: unknown) => {
        throw toApiError(error, documentId)
      })
    return c.json({ annotation: await current(documentId, id) }, 201)
  })

  app.patch('/:annotationId', async (c) => {
    const documentId = documentIdOf(c)
    const id = annotationIdOf(c)
    const input = await readJson(c, patchBody, 'invalid-annotation')
    const by = userIdOf(c)
    await sync
      .change(documentId, by, (doc, origin) => updateAnnotation(doc, id, input, by, origin))
      .catch((error: unknown) => {
        throw toApiError(error, documentId)
      })
    return c.json({ annotation: await current(documentId, id) })
  })

  app.delete('/:annotationId', async (c) => {
    const documentId = documentIdOf(c)
    const id = annotationIdOf(c)
    await sync
      .change(documentId, userIdOf(c), (doc, origin) => deleteAnnotation(doc, id, origin))
      .catch((error: unknown) => {
        throw toApiError(error, documentId)
      })
    return c.body(null, 204)
  })

  return app
}
