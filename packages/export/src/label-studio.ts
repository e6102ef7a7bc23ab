/**
 * Label Studio: a task with the text and one span result per annotation, plus
 * relation results, and the labelling config that matches them. Label Studio
 * counts `start`/`end` in JavaScript string units (UTF-16), not code points:
 * offsets are converted here, so an emoji or other astral character before a
 * span shifts them by one extra unit each.
 */
import { ANNOTATION_KINDS, RELATION_TYPES } from '@hashiya/annotations'
import { codePointsOf, type ExportSource, utf16Offsets } from './source.js'

export const LABEL_STUDIO_CONFIG = `<View>
  <Relations>
${RELATION_TYPES.map((type) => `    <Relation value="${type}"/>`).join('\n')}
  </Relations>
  <Labels name="label" toName="text">
${ANNOTATION_KINDS.map((kind) => `    <Label value="${kind}"/>`).join('\n')}
  </Labels>
  <Text name="text" value="$text" granularity="word"/>
</View>
`

export function toLabelStudioTasks(source: ExportSource) {
  const units = utf16Offsets(codePointsOf(source.text))
  const spans = source.annotations.map((a) => ({
    id: a.id,
    from_name: 'label',
    to_name: 'text',
    type: 'labels',
    origin: 'manual',
    value: {
      start: units[a.start] as number,
      end: units[a.end] as number,
      text: a.text,
      labels: [a.kind],
    },
    meta: { text: [a.note, a.speaker && `speaker: ${a.speaker}`].filter(Boolean) },
  }))
  const listed = new Set(source.annotations.map((a) => a.id))
  const relations = source.annotations.flatMap((a) =>
    a.relations
      .filter((r) => listed.has(r.target))
      .map((r) => ({
        type: 'relation',
        from_id: a.id,
        to_id: r.target,
        direction: 'right',
        labels: [r.type],
      })),
  )
  return [
    {
      data: { text: source.text, title: source.title, hashiya_document: source.documentId },
      annotations: [{ result: [...spans, ...relations], completed_by: 'hashiya' }],
    },
  ]
}
