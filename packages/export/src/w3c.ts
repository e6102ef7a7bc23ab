/**
 * W3C Web Annotation (JSON-LD): an AnnotationCollection with one Annotation per
 * span. TextPositionSelector offsets are code points, as the spec defines them;
 * TextQuoteSelector gives the exact text with 32 code points of context.
 * Speaker and relations use a small Hashiya vocabulary added to the context.
 */
import { codePointsOf, type ExportSource, personName } from './source.js'

const CONTEXT_LENGTH = 32

export const hashiyaUrn = {
  document: (id: string) => `urn:hashiya:document:${id}`,
  annotation: (id: string) => `urn:hashiya:annotation:${id}`,
  user: (id: string) => `urn:hashiya:user:${id}`,
}

export function toWebAnnotations(source: ExportSource) {
  const codePoints = codePointsOf(source.text)
  const slice = (start: number, end: number) => codePoints.slice(Math.max(0, start), end).join('')
  const items = source.annotations.map((a) => {
    const body: Record<string, string>[] = [
      { type: 'TextualBody', purpose: 'tagging', value: a.kind },
    ]
    if (a.note) body.push({ type: 'TextualBody', purpose: 'commenting', value: a.note })
    const relations: Record<string, string[]> = {}
    for (const relation of a.relations) {
      relations[relation.type] = [
        ...(relations[relation.type] ?? []),
        hashiyaUrn.annotation(relation.target),
      ]
    }
    return {
      id: hashiyaUrn.annotation(a.id),
      type: 'Annotation',
      motivation: 'tagging',
      created: new Date(a.createdAt).toISOString(),
      modified: new Date(a.updatedAt).toISOString(),
      creator: {
        id: hashiyaUrn.user(a.author),
        type: 'Person',
        nickname: a.author,
        ...(source.people.has(a.author) ? { name: personName(source, a.author) } : {}),
      },
      body,
      target: {
        source: hashiyaUrn.document(source.documentId),
        selector: [
          {
            type: 'TextQuoteSelector',
            exact: a.text,
            prefix: slice(a.start - CONTEXT_LENGTH, a.start),
            suffix: slice(a.end, a.end + CONTEXT_LENGTH),
          },
          { type: 'TextPositionSelector', start: a.start, end: a.end },
        ],
      },
      ...(a.speaker ? { speaker: a.speaker } : {}),
      ...relations,
    }
  })
  return {
    '@context': [
      'http://www.w3.org/ns/anno.jsonld',
      {
        hashiya: 'urn:hashiya:vocab#',
        speaker: 'hashiya:speaker',
        denies: { '@id': 'hashiya:denies', '@type': '@id' },
        states: { '@id': 'hashiya:states', '@type': '@id' },
      },
    ],
    id: `${hashiyaUrn.document(source.documentId)}:annotations`,
    type: 'AnnotationCollection',
    label: source.title,
    total: items.length,
    first: { type: 'AnnotationPage', startIndex: 0, items },
  }
}
