/**
 * Annotated formats in: Hashiya's native JSON and W3C Web Annotation (with the
 * text it annotates). Annotations are placed with the model's own operations,
 * so they come out exactly as an editor would have made them; whatever cannot
 * be placed is reported, never guessed.
 */
import {
  ANNOTATION_KINDS,
  type AnnotationKind,
  createAnnotation,
  isValidAnnotationId,
  updateAnnotation,
} from '@hashiya/annotations'
import { appendBlocks, type Block, createYDoc } from '@hashiya/document'
import type * as Y from 'yjs'
import { z } from 'zod'
import { type Dropped, dropped as drop } from './dropped.js'

export class ImportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportError'
  }
}

interface Placement {
  id?: string
  kind: AnnotationKind
  start: number
  end: number
  text: string
  note?: string
  speaker?: string
  author: string
  createdAt?: number
  updatedAt?: number
  updatedBy?: string
  links: string[]
}

/** Builds the doc, places annotations, then links; returns what was dropped. */
function placeAnnotations(doc: Y.Doc, placements: Placement[], dropped: Dropped[]): number {
  const placed = new Set<string>()
  const ids = new Map<Placement, string>()
  for (const p of placements) {
    try {
      const id = createAnnotation(doc, {
        kind: p.kind,
        start: p.start,
        end: p.end,
        author: p.author,
        note: p.note,
        speaker: p.speaker,
        id: p.id && isValidAnnotationId(p.id) && !placed.has(p.id) ? p.id : undefined,
        now: p.createdAt,
      })
      ids.set(p, id)
      placed.add(id)
    } catch (error) {
      dropped.push(drop('annotation-invalid', { text: p.text, detail: (error as Error).message }))
    }
  }
  for (const [p, id] of ids) {
    const links = p.links.filter((target) => placed.has(target))
    for (const missing of p.links.filter((target) => !placed.has(target))) {
      dropped.push(drop('link-target-missing', { id, target: missing }))
    }
    try {
      if (links.length > 0 || p.updatedAt !== undefined) {
        updateAnnotation(
          doc,
          id,
          { link: links },
          p.updatedBy ?? p.author,
          undefined,
          p.updatedAt ?? Date.now(),
        )
      }
    } catch (error) {
      dropped.push(drop('links-invalid', { id, detail: (error as Error).message }))
    }
  }
  return ids.size
}

const nativeSchema = z.object({
  format: z.literal('hashiya-annotated-document'),
  version: z.literal(1),
  document: z.object({
    title: z.string(),
    paragraphs: z.array(z.string()),
    // files from before headings were exported have paragraphs only
    blocks: z
      .array(
        z.union([
          z.object({ type: z.literal('paragraph') }),
          z.object({ type: z.literal('heading'), level: z.union([z.literal(2), z.literal(3)]) }),
        ]),
      )
      .optional(),
  }),
  annotations: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(ANNOTATION_KINDS),
      start: z.number().int().min(0),
      end: z.number().int().min(0),
      text: z.string(),
      note: z.string().optional(),
      speaker: z.string().optional(),
      author: z.string().min(1),
      createdAt: z.string().optional(),
      updatedAt: z.string().optional(),
      updatedBy: z.string().optional(),
      relations: z.array(z.object({ type: z.string(), target: z.string() })).default([]),
    }),
  ),
})

export interface AnnotatedImport {
  title: string
  doc: Y.Doc
  paragraphs: number
  annotations: number
  dropped: Dropped[]
}

const time = (iso: string | undefined) =>
  iso && Number.isFinite(Date.parse(iso)) ? Date.parse(iso) : undefined

export function importNativeJson(value: unknown): AnnotatedImport {
  const parsed = nativeSchema.safeParse(value)
  if (!parsed.success) {
    throw new ImportError(
      `not a Hashiya export: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
    )
  }
  const { document, annotations } = parsed.data
  const doc = createYDoc()
  // paragraphs are kept as they were exported (already NFC), so offsets stay valid
  // the text is the paragraphs' (what the offsets count in); blocks only say which are headings
  const kinds = document.blocks?.length === document.paragraphs.length ? document.blocks : null
  appendBlocks(
    doc,
    document.paragraphs.map((text, index): Block => {
      const kind = kinds?.[index]
      return kind?.type === 'heading'
        ? { type: 'heading', level: kind.level, text }
        : { type: 'paragraph', text }
    }),
  )
  const dropped: Dropped[] = []
  const placements = annotations.map((a) => ({
    id: a.id,
    kind: a.kind,
    start: a.start,
    end: a.end,
    text: a.text,
    note: a.note,
    speaker: a.speaker,
    author: a.author,
    createdAt: time(a.createdAt),
    updatedAt: time(a.updatedAt),
    updatedBy: a.updatedBy,
    links: a.relations.map((r) => r.target),
  }))
  const count = placeAnnotations(doc, placements, dropped)
  return {
    title: document.title,
    doc,
    paragraphs: document.paragraphs.length,
    annotations: count,
    dropped,
  }
}

const selectorSchema = z.looseObject({ type: z.string() })
const w3cItem = z.looseObject({
  id: z.string().optional(),
  body: z.union([z.array(z.looseObject({})), z.looseObject({})]).optional(),
  target: z.looseObject({ selector: z.union([z.array(selectorSchema), selectorSchema]) }),
  created: z.string().optional(),
  modified: z.string().optional(),
  creator: z.union([z.string(), z.looseObject({ id: z.string().optional() })]).optional(),
  speaker: z.string().optional(),
  denies: z.union([z.string(), z.array(z.string())]).optional(),
  states: z.union([z.string(), z.array(z.string())]).optional(),
})
const w3cCollection = z.looseObject({
  type: z.literal('AnnotationCollection'),
  label: z.string().optional(),
  first: z.looseObject({ items: z.array(z.unknown()) }).optional(),
  items: z.array(z.unknown()).optional(),
})

const urnTail = (value: string) => value.replace(/^urn:hashiya:(annotation|user):/, '')
const asList = (value: string | string[] | undefined) =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]

export function importWebAnnotations(
  value: unknown,
  rawText: string,
  fallbackTitle: string,
): AnnotatedImport {
  const collection = w3cCollection.safeParse(value)
  if (!collection.success)
    throw new ImportError('not a W3C Web Annotation collection (AnnotationCollection)')
  const text = rawText.normalize('NFC')
  const paragraphs = text.split(/\n\n/)
  const doc = createYDoc()
  appendBlocks(
    doc,
    paragraphs.map((p): Block => ({ type: 'paragraph', text: p })),
  )
  const codePoints = Array.from(paragraphs.join('\n\n'))
  const joined = codePoints.join('')
  const dropped: Dropped[] = []
  const placements: Placement[] = []
  for (const raw of collection.data.first?.items ?? collection.data.items ?? []) {
    const item = w3cItem.safeParse(raw)
    if (!item.success) {
      dropped.push(drop('not-web-annotation', {}))
      continue
    }
    const a = item.data
    const bodies = (Array.isArray(a.body) ? a.body : a.body ? [a.body] : []) as Record<
      string,
      unknown
    >[]
    const kind = bodies.find((b) => b.purpose === 'tagging')?.value
    if (!ANNOTATION_KINDS.includes(kind as AnnotationKind)) {
      dropped.push(drop('unknown-kind', { id: a.id ?? '', kind: String(kind) }))
      continue
    }
    const selectors = (
      Array.isArray(a.target.selector) ? a.target.selector : [a.target.selector]
    ) as Record<string, unknown>[]
    const quote = selectors.find((s) => s.type === 'TextQuoteSelector') as
      | { exact?: string; prefix?: string; suffix?: string }
      | undefined
    const position = selectors.find((s) => s.type === 'TextPositionSelector') as
      | { start?: number; end?: number }
      | undefined
    const exact = quote?.exact?.normalize('NFC')
    let start = -1
    let end = -1
    if (position && Number.isInteger(position.start) && Number.isInteger(position.end)) {
      const candidate = codePoints.slice(position.start, position.end).join('')
      if (exact === undefined || candidate === exact) {
        start = position.start as number
        end = position.end as number
      }
    }
    if (start < 0 && exact) {
      const context = `${quote?.prefix ?? ''}${exact}${quote?.suffix ?? ''}`.normalize('NFC')
      let index = joined.indexOf(context)
      let offsetInContext = (quote?.prefix ?? '').normalize('NFC').length
      if (index < 0) {
        index = joined.indexOf(exact)
        offsetInContext = 0
      }
      if (index >= 0) {
        start = Array.from(joined.slice(0, index + offsetInContext)).length
        end = start + Array.from(exact).length
      }
    }
    if (start < 0) {
      dropped.push(drop('text-not-found', { text: exact ?? '' }))
      continue
    }
    const creator = typeof a.creator === 'string' ? a.creator : a.creator?.id
    placements.push({
      id: a.id ? urnTail(a.id) : undefined,
      kind: kind as AnnotationKind,
      start,
      end,
      text: exact ?? '',
      note: bodies.find((b) => b.purpose === 'commenting')?.value as string | undefined,
      speaker: a.speaker,
      author: creator ? urnTail(creator) : 'import',
      createdAt: time(a.created),
      updatedAt: time(a.modified),
      links: [...asList(a.denies), ...asList(a.states)].map(urnTail),
    })
  }
  const count = placeAnnotations(doc, placements, dropped)
  return {
    title: collection.data.label ?? fallbackTitle,
    doc,
    paragraphs: paragraphs.length,
    annotations: count,
    dropped,
  }
}
