/**
 * A standalone, script-free HTML page of the annotated article: right-to-left,
 * Arabic font stack, each kind with its colour (background and underline only:
 * anything else inside a word breaks Arabic letter joining), speaker and note on
 * each span, a legend, a numbered list with relations, and a print stylesheet.
 * Every piece of text from the document or its annotations is escaped.
 */
import type { Annotation, AnnotationKind } from '@hashiya/annotations'
import { segmentParagraphs } from './segments.js'
import { type ExportSource, personName } from './source.js'

export const KIND_LABELS: Record<AnnotationKind, { ar: string; colour: string; line: string }> = {
  quote: { ar: 'اقتباس', colour: '#1d4ed8', line: 'dashed' },
  claim: { ar: 'ادعاء', colour: '#b45309', line: 'solid' },
  denial: { ar: 'نفي', colour: '#b91c1c', line: 'wavy' },
  aside: { ar: 'هامش', colour: '#0f766e', line: 'dotted' },
}

const RELATION_LABELS = { denies: 'ينفي', states: 'يقول' } as const

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

function style(): string {
  const kinds = Object.entries(KIND_LABELS)
    .map(
      ([kind, { colour, line }], index) =>
        `.k-${kind}{background:${colour}1f;text-decoration:underline ${line} ${colour};text-decoration-thickness:2px;text-underline-offset:${4 + index * 3}px}`,
    )
    .join('\n')
  return `body{font-family:"Noto Naskh Arabic","Amiri","Scheherazade New","Arial",sans-serif;line-height:2.1;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1c1917;background:#fff}
h1{line-height:1.5}
.meta,.legend{color:#57534e;font-size:.9rem}
.legend span{display:inline-block;margin-inline-end:1.2rem;padding:0 .35rem}
article p{margin:0 0 1.2rem}
article h2,article h3{margin:1.6rem 0 .8rem;line-height:1.6}
${kinds}
ol.annotations li{margin-bottom:.8rem}
ol.annotations .by{color:#555;font-size:.9em}
.quote{font-weight:normal}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}.legend{break-after:avoid}ol.annotations{break-before:page}}`
}

/**
 * Names the exporter in the file, so that importing it again takes the article
 * and leaves its header and list of annotations (see @hashiya/import).
 */
export const HTML_GENERATOR = 'Hashiya'

export function toHtml(source: ExportSource): string {
  const annotations = source.annotations
  const titles = annotations.map((a, index) =>
    [`${index + 1}`, KIND_LABELS[a.kind].ar, a.speaker && `المتحدث: ${a.speaker}`, a.note]
      .filter(Boolean)
      .join(' · '),
  )
  const firstSeen = new Set<number>()
  const paragraphs = segmentParagraphs(source).map((segments, blockIndex) => {
    const block = source.blocks[blockIndex]
    const tag = block?.type === 'heading' ? `h${block.level}` : 'p'
    const html = segments
      .map((segment) => {
        let inner = escapeHtml(segment.text).replaceAll('\n', '<br>')
        for (const index of [...segment.covering].reverse()) {
          const a = annotations[index] as Annotation
          const anchor = firstSeen.has(index) ? '' : ` id="a${index + 1}"`
          firstSeen.add(index)
          inner = `<span${anchor} class="k-${a.kind}" title="${escapeHtml(titles[index] as string)}">${inner}</span>`
        }
        return inner
      })
      .join('')
    return `<${tag}>${html}</${tag}>`
  })
  // times are left-to-right runs inside Arabic text: isolate them so they read in order
  const time = (date: Date) =>
    `<bdi dir="ltr">${date.toISOString().replace('T', ' ').slice(0, 16)} UTC</bdi>`
  const number = new Map(annotations.map((a, index) => [a.id, index + 1]))
  const list = annotations
    .map((a, index) => {
      const relations = a.relations
        .filter((r) => number.has(r.target))
        .map(
          (r) =>
            `${RELATION_LABELS[r.type]} <a href="#a${number.get(r.target)}">#${number.get(r.target)}</a>`,
        )
        .join('، ')
      const details = [
        a.speaker && `<div>المتحدث: <bdi>${escapeHtml(a.speaker)}</bdi></div>`,
        a.note && `<div>ملاحظة: <bdi>${escapeHtml(a.note)}</bdi></div>`,
        relations && `<div>${relations}</div>`,
        `<div class="by">من إضافة <bdi>${escapeHtml(personName(source, a.author))}</bdi> · ${time(new Date(a.createdAt))}</div>`,
      ]
        .filter(Boolean)
        .join('')
      return `<li id="n${index + 1}"><a href="#a${index + 1}"><strong class="k-${a.kind}">${KIND_LABELS[a.kind].ar}</strong></a> «${escapeHtml(a.text)}»${details}</li>`
    })
    .join('\n')
  const legend = Object.entries(KIND_LABELS)
    .map(([kind, { ar }]) => `<span class="k-${kind}">${ar}</span>`)
    .join('')
  const version = source.version ? ` · نسخة ${time(source.version.time)}` : ''
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="${HTML_GENERATOR}">
<title>${escapeHtml(source.title)}</title>
<style>${style()}</style>
</head>
<body>
<header>
<h1>${escapeHtml(source.title)}</h1>
<p class="meta">حاشية · ${countOfAnnotations(annotations.length)} · صُدّر في ${time(source.exportedAt)}${version}</p>
<p class="legend">${legend}</p>
</header>
<article>
${paragraphs.join('\n')}
</article>
<section>
<h2>الحواشي</h2>
<ol class="annotations">
${list}
</ol>
</section>
</body>
</html>
`
}

/** Arabic number agreement: 1 حاشية واحدة, 2 حاشيتان, 3–10 حواشٍ, 11+ حاشية. */
export function countOfAnnotations(count: number): string {
  const rule = new Intl.PluralRules('ar').select(count)
  switch (rule) {
    case 'zero':
      return 'لا حواشي'
    case 'one':
      return 'حاشية واحدة'
    case 'two':
      return 'حاشيتان'
    case 'few':
      return `${count} حواشٍ`
    default:
      return `${count} حاشية`
  }
}
