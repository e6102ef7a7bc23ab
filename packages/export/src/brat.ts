/**
 * brat standoff: the text as `.txt`, spans as T lines, denial→claim and
 * quote→claim links as R lines, notes and speakers as AnnotatorNotes, in a zip
 * with the `annotation.conf` brat needs. brat counts offsets in code points
 * (Python string indices), which is what the model gives; a span over several
 * paragraphs becomes a discontinuous one, one fragment per marked piece.
 */
import type { AnnotationKind, RelationType } from '@hashiya/annotations'
import { strToU8, zipSync } from 'fflate'
import { codePointsOf, type ExportSource } from './source.js'

const ENTITY: Record<AnnotationKind, string> = {
  quote: 'Quote',
  claim: 'Claim',
  denial: 'Denial',
  aside: 'Aside',
}

const RELATION: Record<RelationType, string> = { denies: 'Denies', states: 'States' }

export const BRAT_CONFIG = `[entities]
Quote
Claim
Denial
Aside

[relations]
Denies\tArg1:Denial, Arg2:Claim
States\tArg1:Quote, Arg2:Claim

[events]

[attributes]
`

/** brat fields are tab-separated lines: no tabs or newlines inside one. */
const flat = (text: string) => text.replace(/[\t\r\n]+/g, ' ')

export function toBratAnn(source: ExportSource): string {
  const codePoints = codePointsOf(source.text)
  const lines: string[] = []
  const tIds = new Map(source.annotations.map((a, index) => [a.id, `T${index + 1}`]))
  let notes = 0
  let relations = 0
  for (const a of source.annotations) {
    const t = tIds.get(a.id) as string
    const fragments = a.ranges.map((r) => `${r.start} ${r.end}`).join(';')
    const text = a.ranges.map((r) => codePoints.slice(r.start, r.end).join('')).join(' ')
    lines.push(`${t}\t${ENTITY[a.kind]} ${fragments}\t${flat(text)}`)
    const note = [a.speaker && `speaker: ${a.speaker}`, a.note, `hashiya:${a.id}`]
      .filter(Boolean)
      .join(' | ')
    lines.push(`#${++notes}\tAnnotatorNotes ${t}\t${flat(note)}`)
  }
  for (const a of source.annotations) {
    for (const relation of a.relations) {
      const target = tIds.get(relation.target)
      if (!target) continue
      lines.push(
        `R${++relations}\t${RELATION[relation.type]} Arg1:${tIds.get(a.id)} Arg2:${target}`,
      )
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : ''
}

export function toBratZip(source: ExportSource, baseName: string): Uint8Array {
  return zipSync({
    [`${baseName}.txt`]: strToU8(source.text),
    [`${baseName}.ann`]: strToU8(toBratAnn(source)),
    'annotation.conf': strToU8(BRAT_CONFIG),
  })
}
