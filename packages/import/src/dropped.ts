/**
 * What an import leaves out, and why: a code with its values for programs and
 * translations (the web app words each code in Arabic or English), and the
 * same in English for the command line and logs. One table holds the English.
 */

interface DropParams {
  /** An HTML element or attribute that was removed, as `<script>` or `onclick=…`. */
  'element-removed': { element: string; count: number }
  /** A warning from the Word reader, in its own (English) words. */
  'word-formatting': { detail: string }
  'word-comments': { count: number }
  /** An annotation the document refused (range, kind…), with the model's message. */
  'annotation-invalid': { text: string; detail: string }
  'link-target-missing': { id: string; target: string }
  'links-invalid': { id: string; detail: string }
  'not-web-annotation': Record<string, never>
  'unknown-kind': { id: string; kind: string }
  'text-not-found': { text: string }
}

export type DropCode = keyof DropParams

export interface Dropped {
  code: DropCode
  params: Record<string, string | number>
  /** What was left out, in English. */
  what: string
  /** Why, in English. */
  reason: string
}

const ENGLISH: { [C in DropCode]: (p: DropParams[C]) => { what: string; reason: string } } = {
  'element-removed': (p) => ({
    what: p.count > 1 ? `${p.element} ×${p.count}` : p.element,
    reason: 'removed: only paragraph and heading text is imported',
  }),
  'word-formatting': (p) => ({ what: 'Word formatting', reason: p.detail }),
  'word-comments': (p) => ({
    what: `${p.count} Word comment(s)`,
    reason: 'comments are not imported as annotations; import the Hashiya JSON export to keep them',
  }),
  'annotation-invalid': (p) => ({ what: `annotation «${p.text}»`, reason: p.detail }),
  'link-target-missing': (p) => ({
    what: `link ${p.id} → ${p.target}`,
    reason: 'the linked annotation was not imported',
  }),
  'links-invalid': (p) => ({ what: `links of ${p.id}`, reason: p.detail }),
  'not-web-annotation': () => ({ what: 'an item', reason: 'not a Web Annotation' }),
  'unknown-kind': (p) => ({
    what: p.id || 'an annotation',
    reason: `no known kind in its tagging body (${p.kind})`,
  }),
  'text-not-found': (p) => ({
    what: `annotation «${p.text}»`,
    reason: 'its text is not in the document',
  }),
}

/** Quoted text in a report is cut to this many characters. */
const QUOTE_LENGTH = 40

export function dropped<C extends DropCode>(code: C, params: DropParams[C]): Dropped {
  const shown = (
    'text' in params
      ? {
          ...params,
          text: Array.from(params.text as string)
            .slice(0, QUOTE_LENGTH)
            .join(''),
        }
      : params
  ) as DropParams[C]
  return { code, params: { ...shown }, ...ENGLISH[code](shown) }
}
